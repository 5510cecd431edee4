/**
 * GET /api/events: the data changes as Server-Sent Events, so a map (ours, or
 * another app's that embeds the tiles) refreshes exactly when something it
 * shows changed, instead of polling. Every change this instance publishes is
 * sent: centers added, moved or removed (by anyone, through any instance on
 * the same database), the coverage written back after them (households and
 * grids), and imports (`replaced`).
 *
 * Events: `version` once at the start with the current data version (a
 * client that reconnects compares it with the last it saw), then `change`
 * with a DataChange as JSON: `{type:'features', version, layers, boxes}` or
 * `{type:'replaced', version}`. A comment line every 25 s keeps proxies from
 * closing an idle stream. `end()` ends every open stream (on shutdown, so the
 * HTTP server can close; browsers reconnect by themselves).
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { Database } from '../../kernel/db/database.ts';
import { readDataState } from '../../kernel/db/data-state.ts';
import type { DataChanges } from './data-changes.ts';
import { defineRoute } from '../http/define-route.ts';
import { TILE_LAYERS } from '../tiles/layers.ts';
import type { DataChange } from '../../kernel/data-change.ts';

/** Below the 30-60 s idle timeouts of common proxies and load balancers. */
export const HEARTBEAT_MS = 25_000;
/** Changes kept for a slow reader before it is cut off (it reconnects and resynchronises). */
const MAX_QUEUED = 1000;

export interface EventRoutes {
  routes: OpenAPIHono;
  /** Ends every open stream. */
  end(): void;
}

/** The data of a `version` event. */
const DataVersionEvent = z.strictObject({ version: z.string() }).openapi('DataVersionEvent', { description: 'The data of a `version` event on /api/events.' });

/** The data of a `change` event: a DataChange (kernel/data-change.ts). */
const DataChangeEvent = z
  .union([
    z
      .strictObject({
        type: z.literal('features'),
        version: z.string(),
        layers: z.array(z.enum(TILE_LAYERS.map((l) => l.id) as [string, ...string[]])),
        boxes: z.array(z.array(z.number()).min(4).max(4)).openapi({ description: 'Old and new extents of what changed, [west, south, east, north].' }),
      })
      .openapi({ description: 'Some features changed: drop the tiles of these layers that meet these boxes.' }),
    z.strictObject({ type: z.literal('replaced'), version: z.string() }).openapi({ description: 'The data was replaced (an import): reload everything.' }),
  ])
  .openapi('DataChange', { description: 'The data of a `change` event on /api/events.' });

export function eventRoutes(db: Database, changes: DataChanges, heartbeatMs = HEARTBEAT_MS): EventRoutes {
  const app = new OpenAPIHono();
  /** Each open stream's way to end it. */
  const open = new Set<() => void>();
  // The events' data are documented as components; the stream itself is text.
  app.openAPIRegistry.register('DataVersionEvent', DataVersionEvent);
  app.openAPIRegistry.register('DataChange', DataChangeEvent);
  const description =
    'A `text/event-stream` that stays open. First a `version` event (`DataVersionEvent`: the current data version, ' +
    'for a client that reconnects), then a `change` event (`DataChange`) for every change: centers added, moved or ' +
    'removed through any instance on the same database, the coverage written back after them (layers `households` ' +
    'and `grids`, with the extents that changed), and imports (`replaced`: reload everything). A map refreshes the ' +
    `tiles of those layers that meet the boxes. A comment line comes every ${HEARTBEAT_MS / 1000} s when nothing happens.`;
  defineRoute(
    app,
    {
      method: 'get',
      path: '/api/events',
      operationId: 'getEvents',
      tags: ['events'],
      summary: 'Data changes as they happen (Server-Sent Events)',
      description,
      responses: {
        200: {
          description: 'The event stream. Each event is `event: version|change` and one `data:` line of JSON.',
          content: { 'text/event-stream': { schema: z.string() } },
        },
      },
    },
    async (c) => {
      const { version } = await readDataState(db);
      c.header('Cache-Control', 'no-cache');
      c.header('Access-Control-Allow-Origin', '*');
      // Behind nginx: do not buffer the stream.
      c.header('X-Accel-Buffering', 'no');
      return streamSSE(c, async (stream) => {
        const queue: DataChange[] = [];
        let wake: (() => void) | undefined;
        let closed = false;
        const unsubscribe = changes.subscribe((change) => {
          // Never waits for the client: a publisher must not be held up by a slow reader.
          if (queue.length >= MAX_QUEUED) closed = true;
          else queue.push(change);
          wake?.();
        });
        const end = () => {
          closed = true;
          wake?.();
        };
        open.add(end);
        stream.onAbort(end);
        try {
          await stream.writeSSE({ event: 'version', data: JSON.stringify({ version }) });
          while (!closed) {
            const change = queue.shift();
            if (change) {
              await stream.writeSSE({ event: 'change', data: JSON.stringify(change) });
              continue;
            }
            const timer = setTimeout(() => wake?.(), heartbeatMs);
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
            clearTimeout(timer);
            if (queue.length === 0 && !closed) await stream.write(': keep-alive\n\n');
          }
        } finally {
          unsubscribe();
          open.delete(end);
        }
      });
    },
  );
  return {
    routes: app,
    end() {
      for (const end of [...open]) end();
    },
  };
}
