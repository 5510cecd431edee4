/**
 * Scenarios in the database (sql/migrations/004_scenarios.sql): what a
 * planner saved, never the evaluation (that is recomputed from the live data
 * in memory). Every edit raises the revision, which keys the scenario's
 * evaluations and tiles.
 */
import { recordAudit, type Actor } from '../auth/audit-log.ts';
import type { Database, Queryable } from '../../kernel/db/database.ts';
import type { ScenarioChange } from './scenario-centers.ts';

export interface StoredScenario {
  id: number;
  name: string;
  description: string | null;
  changes: ScenarioChange[];
  revision: number;
  created_at: string;
  updated_at: string;
}

export interface ScenarioInput {
  name: string;
  description?: string | null;
  changes: ScenarioChange[];
}

export interface ScenarioStore {
  list(): Promise<StoredScenario[]>;
  get(id: number): Promise<StoredScenario | undefined>;
  /** Each write is recorded in the audit trail as `actor`, in the write's transaction. */
  create(input: ScenarioInput, actor: Actor): Promise<StoredScenario>;
  /** Replaces the given fields and raises the revision; undefined when there is no such scenario. */
  update(id: number, patch: Partial<ScenarioInput>, actor: Actor): Promise<StoredScenario | undefined>;
  remove(id: number, actor: Actor): Promise<StoredScenario | undefined>;
}

const COLUMNS = 'id, name, description, changes::text AS changes, revision, created_at, updated_at';

interface Row {
  id: number;
  name: string;
  description: string | null;
  changes: string;
  revision: number;
  created_at: Date | string;
  updated_at: Date | string;
}

function toScenario(row: Row): StoredScenario {
  return {
    id: Number(row.id),
    name: row.name,
    description: row.description,
    changes: JSON.parse(row.changes) as ScenarioChange[],
    revision: Number(row.revision),
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

async function one(q: Queryable, sql: string, params: unknown[]): Promise<StoredScenario | undefined> {
  const [row] = await q.query<Row>(sql, params);
  return row ? toScenario(row) : undefined;
}

export function createScenarioStore(db: Database): ScenarioStore {
  return {
    async list() {
      return (await db.query<Row>(`SELECT ${COLUMNS} FROM scenarios ORDER BY id`)).map(toScenario);
    },
    get: (id) => one(db, `SELECT ${COLUMNS} FROM scenarios WHERE id = $1`, [id]),
    create(input, actor) {
      return db.transaction(async (tx) => {
        const created = (await one(tx, `INSERT INTO scenarios (name, description, changes) VALUES ($1, $2, $3::jsonb) RETURNING ${COLUMNS}`, [
          input.name,
          input.description ?? null,
          JSON.stringify(input.changes),
        ]))!;
        await recordAudit(tx, actor, { action: 'scenario.create', entity: 'scenario', entityId: created.id, before: null, after: created });
        return created;
      });
    },
    update(id, patch, actor) {
      return db.transaction(async (tx) => {
        const before = await one(tx, `SELECT ${COLUMNS} FROM scenarios WHERE id = $1 FOR UPDATE`, [id]);
        if (!before) return undefined;
        // A field not given keeps its value: COALESCE over a NULL parameter; description may be set to null explicitly.
        const after = (await one(
          tx,
          `UPDATE scenarios SET name = COALESCE($2, name),
             description = CASE WHEN $3::boolean THEN $4 ELSE description END,
             changes = COALESCE($5::jsonb, changes),
             revision = revision + 1, updated_at = now()
           WHERE id = $1 RETURNING ${COLUMNS}`,
          [id, patch.name ?? null, patch.description !== undefined, patch.description ?? null, patch.changes ? JSON.stringify(patch.changes) : null],
        ))!;
        await recordAudit(tx, actor, { action: 'scenario.update', entity: 'scenario', entityId: id, before, after });
        return after;
      });
    },
    remove(id, actor) {
      return db.transaction(async (tx) => {
        const removed = await one(tx, `DELETE FROM scenarios WHERE id = $1 RETURNING ${COLUMNS}`, [id]);
        if (removed) await recordAudit(tx, actor, { action: 'scenario.remove', entity: 'scenario', entityId: id, before: removed, after: null });
        return removed;
      });
    },
  };
}
