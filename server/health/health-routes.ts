/**
 * GET /health: liveness and readiness in one answer: the database (backend,
 * reachable), the data version and row counts, and whatever other parts
 * (graph, coverage, tiles, read replicas) register a check. 503 when the database does not
 * answer, so a load balancer takes the instance out.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { BackendKind, Database } from '../../kernel/db/database.ts';
import { readDataState } from '../../kernel/db/data-state.ts';
import { describeDatabaseError } from '../db/database-unavailable.ts';
import { defineRoute } from '../http/define-route.ts';
import { json } from '../http/responses.ts';
import type { TileCacheStats } from '../tiles/tile-cache.ts';

/** Extra readiness facts from other features (e.g. the routing graph). */
export type HealthCheck = () => Promise<Record<string, unknown>> | Record<string, unknown>;

const COUNTED_TABLES = ['admin_units', 'grids', 'centers', 'households', 'walk_nodes', 'walk_edges', 'buildings', 'water'] as const;

export async function readCounts(db: Database): Promise<Record<string, number>> {
  // One statement: identifiers come from the constant list above.
  const sql = `SELECT ${COUNTED_TABLES.map((t) => `(SELECT count(*) FROM ${t})::int AS ${t}`).join(', ')}`;
  const [row] = await db.query<Record<string, number>>(sql);
  return row!;
}

/** Every backend by name: a Record, so TypeScript fails here when BackendKind gains or loses one. */
const BACKENDS: Record<BackendKind, string> = { pglite: 'embedded PGlite', postgis: 'a PostGIS server' };
const Backend = z
  .enum(Object.keys(BACKENDS) as [BackendKind, ...BackendKind[]])
  .openapi('Backend', { description: Object.entries(BACKENDS).map(([k, v]) => `\`${k}\`: ${v}`).join('; ') });

const count = z.int().min(0);
/** The tile cache's counters, one entry per field of TileCacheStats (TypeScript keeps them in step). */
const CACHE_COUNTS: Record<keyof TileCacheStats, z.ZodInt> = { entries: count, bytes: count, maxBytes: count, hits: count, misses: count, coalesced: count, invalidated: count };

/** A part of /health that may not be ready yet: `ready`, `error`, the data version it has, and its own facts. */
function readiness(description: string, facts: z.ZodRawShape) {
  return z.strictObject({ ready: z.boolean(), error: z.string().nullable(), version: z.string().optional(), ...facts }).openapi({ description });
}
const optionalCount = count.optional();

const lsn = z.string().nullable().openapi({ description: 'A WAL position as PostgreSQL prints it (e.g. `0/3000148`).' });
/** db/read-replicas.ts ReplicaHealth. */
const Replicas = z
  .strictObject({
    max_lag_ms: count.openapi({ description: 'REPLICA_MAX_LAG_MS: how long a read waits after a change for a replica to replay it before it reads from the primary.' }),
    fence_lsn: lsn.openapi({ description: "The newest change this instance knows of, as the primary's WAL position when it learned of it; null when unknown (reads go to the primary)." }),
    primary_lsn: lsn.openapi({ description: "The primary's WAL end now; null when it does not answer." }),
    reads: z
      .strictObject({ replica: count, primary: count, waited: count, fell_back: count })
      .openapi({ description: 'Reads (statements and transactions) so far: on a replica, on the primary, those that waited for a replica, and those that went to the primary because none had caught up in time.' }),
    servers: z.array(
      z.strictObject({
        name: z.string().openapi({ description: 'host:port/database.' }),
        ok: z.boolean(),
        error: z.string().nullable(),
        replay_lsn: lsn.openapi({ description: 'How far it has replayed; null for a server that is not a standby (counted as current).' }),
        lag_bytes: count.nullable().openapi({ description: "WAL on the primary it has not replayed yet: the replica lag in bytes; null when either does not answer." }),
        paused: z.boolean().openapi({ description: 'Replay is paused (pg_wal_replay_pause()).' }),
        caught_up: z.boolean().openapi({ description: 'It has replayed every change this instance knows of: reads may go to it.' }),
        behind_ms: count.openapi({ description: 'How long it has been behind that, ms (0 when caught up): the replica lag in time as reads see it.' }),
      }),
    ),
  })
  .openapi('ReplicaHealth', { description: 'With DATABASE_READ_URL: the read replicas, their lag, and where reads went.' });

const Health = z
  .strictObject({
    status: z.literal('ok'),
    database: z.strictObject({ backend: Backend, ok: z.literal(true) }),
    data: z.strictObject({
      version: z.string().openapi({ description: 'Changes with every change to the data; keys snapshots and ETags.' }),
      revision: z.int().min(0),
      city: z.string().nullable(),
      source: z.string().nullable().openapi({ examples: ['demo:putian', 'osm:monaco.osm.pbf'] }),
      changed_at: z.string().openapi({ format: 'date-time' }),
    }),
    counts: z.record(z.string(), count).openapi({ description: 'Rows per table.' }),
    graph: readiness('The in-memory walk graph.', {
      source: z.enum(['snapshot', 'table']).optional(),
      nodes: optionalCount,
      edges: optionalCount,
      components: optionalCount.openapi({ description: 'Connected pieces of the walk network.' }),
      fragments: optionalCount.openapi({ description: 'Pieces shorter than the snapping threshold (1,000 m): kept, but no point, household or center snaps to them.' }),
      fragment_m: optionalCount.openapi({ description: 'Walkable metres in those fragments.' }),
      load_ms: optionalCount,
    }),
    coverage: readiness('Household coverage.', { units: optionalCount, centers: optionalCount, coverage_ms: optionalCount }),
    tiles: z
      .strictObject({ source: z.enum(['postgis', 'embedded']), cache: z.strictObject(CACHE_COUNTS) })
      .openapi({ description: 'Where tiles come from (`postgis`: the ST_AsMVT functions on the server; `embedded`: encoded here from PGlite rows) and the tile cache.' }),
    replicas: Replicas.optional(),
  })
  .openapi('Health', { description: 'Ready: the database answers; `graph` and `coverage` say whether routing and coverage are ready yet; `tiles` counts the tile cache.' });

const HealthUnavailable = z
  .strictObject({
    status: z.literal('unavailable'),
    database: z.strictObject({ backend: Backend, ok: z.literal(false), error: z.string() }),
  })
  .openapi('HealthUnavailable', { description: 'The database does not answer (this answer is not in the error shape: it is a readiness report).' });

export function healthRoutes(db: Database, checks: Record<string, HealthCheck> = {}) {
  const app = new OpenAPIHono();
  defineRoute(
    app,
    {
      method: 'get',
      path: '/health',
      operationId: 'getHealth',
      tags: ['health'],
      summary: 'Liveness and readiness',
      description:
        'The database (backend, reachable), the data version and row counts, the readiness of the walk graph and coverage, and with read replicas (DATABASE_READ_URL) their lag and where reads went. 503 when the database does not answer, so a load balancer takes the instance out.',
      responses: {
        200: { description: 'The database answers.', content: json(Health) },
        503: { description: 'The database does not answer.', content: json(HealthUnavailable) },
      },
    },
    async (c) => {
      try {
        const [state, counts] = await Promise.all([readDataState(db), readCounts(db)]);
        const extra: Record<string, unknown> = {};
        for (const [name, check] of Object.entries(checks)) extra[name] = await check();
        return c.json({
          status: 'ok',
          database: { backend: db.kind, ok: true },
          data: { version: state.version, revision: state.revision, city: state.city, source: state.source, changed_at: state.changedAt },
          counts,
          ...extra,
        });
      } catch (error) {
        // describeDatabaseError: a refused connect can come as an AggregateError with an empty message.
        return c.json({ status: 'unavailable', database: { backend: db.kind, ok: false, error: describeDatabaseError(error) } }, 503);
      }
    },
  );
  return app;
}
