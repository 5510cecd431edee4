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
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Database } from '../../kernel/db/database.ts';
import { readDataState } from '../../kernel/db/data-state.ts';
import type { DataChanges } from './data-changes.ts';
import type { DataChange } from '../../kernel/data-change.ts';

/** Below the 30-60 s idle timeouts of common proxies and load balancers. */
export const HEARTBEAT_MS = 25_000;
/** Changes kept for a slow reader before it is cut off (it reconnects and resynchronises). */
const MAX_QUEUED = 1000;

export interface EventRoutes {
  routes: Hono;
  /** Ends every open stream. */
  end(): void;
}

export function eventRoutes(db: Database, changes: DataChanges, heartbeatMs = HEARTBEAT_MS): EventRoutes {
  const app = new Hono();
  /** Each open stream's way to end it. */
  const open = new Set<() => void>();
  app.get('/api/events', async (c) => {
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
  });
  return {
    routes: app,
    end() {
      for (const end of [...open]) end();
    },
  };
}
