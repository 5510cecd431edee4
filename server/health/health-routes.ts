/**
 * GET /health: liveness and readiness in one answer: the database (backend,
 * reachable), the data version and row counts, and whatever other parts
 * (graph, tiles) register a check. 503 when the database does not answer, so
 * a load balancer takes the instance out.
 */
import { Hono } from 'hono';
import type { Database } from '../../kernel/db/database.ts';
import { readDataState } from '../../kernel/db/data-state.ts';

/** Extra readiness facts from other features (e.g. the routing graph). */
export type HealthCheck = () => Promise<Record<string, unknown>> | Record<string, unknown>;

const COUNTED_TABLES = ['admin_units', 'grids', 'centers', 'households', 'walk_nodes', 'walk_edges', 'buildings', 'water'] as const;

export async function readCounts(db: Database): Promise<Record<string, number>> {
  // One statement: identifiers come from the constant list above.
  const sql = `SELECT ${COUNTED_TABLES.map((t) => `(SELECT count(*) FROM ${t})::int AS ${t}`).join(', ')}`;
  const [row] = await db.query<Record<string, number>>(sql);
  return row!;
}

export function healthRoutes(db: Database, checks: Record<string, HealthCheck> = {}) {
  const app = new Hono();
  app.get('/health', async (c) => {
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
      return c.json({ status: 'unavailable', database: { backend: db.kind, ok: false, error: (error as Error).message } }, 503);
    }
  });
  return app;
}
