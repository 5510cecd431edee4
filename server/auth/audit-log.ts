/**
 * The audit trail: one append-only row per write, written with the write's
 * own transaction (so a write that fails leaves no record, and a record
 * always has its write), naming who did it (the token's name, never the
 * token), what, and the row before and after. Reading it: `GET /api/audit`
 * and `GET /api/centers/{id}/history` (audit-routes.ts).
 */
import type { Queryable } from '../../kernel/db/database.ts';

/** Who made a change: a token's name and id, or the command line. */
export interface Actor {
  name: string;
  tokenId: number | null;
}

/** The command line's actor (token commands, imports). */
export const CLI_ACTOR: Actor = { name: 'cli', tokenId: null };

export type AuditEntity = 'center' | 'scenario' | 'token';

export interface AuditRecord {
  id: number;
  at: string;
  actor: string;
  token_id: number | null;
  action: string;
  entity: AuditEntity;
  entity_id: string | null;
  before: unknown;
  after: unknown;
}

/** Appends one record in `tx` (the write's transaction). */
export async function recordAudit(
  tx: Queryable,
  actor: Actor,
  entry: { action: string; entity: AuditEntity; entityId: string | number | null; before: unknown; after: unknown },
): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (actor, token_id, action, entity, entity_id, before, after)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)`,
    [
      actor.name,
      actor.tokenId,
      entry.action,
      entry.entity,
      entry.entityId === null ? null : String(entry.entityId),
      entry.before === undefined || entry.before === null ? null : JSON.stringify(entry.before),
      entry.after === undefined || entry.after === null ? null : JSON.stringify(entry.after),
    ],
  );
}

type Row = Omit<AuditRecord, 'id' | 'at' | 'before' | 'after'> & { id: string | number; at: Date | string; before: unknown; after: unknown };

function toRecord(row: Row): AuditRecord {
  const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : (v ?? null));
  return {
    id: Number(row.id),
    at: new Date(row.at).toISOString(),
    actor: row.actor,
    token_id: row.token_id === null ? null : Number(row.token_id),
    action: row.action,
    entity: row.entity,
    entity_id: row.entity_id,
    before: json(row.before),
    after: json(row.after),
  };
}

const COLUMNS = 'id, at, actor, token_id, action, entity, entity_id, before, after';

/** Records after `since` (an id, or a time), oldest first, at most `limit`. */
export async function readAudit(q: Queryable, since: { afterId?: number; from?: Date }, limit: number): Promise<AuditRecord[]> {
  const rows = await q.query<Row>(
    `SELECT ${COLUMNS} FROM audit_log
     WHERE id > $1 AND at >= $2
     ORDER BY id LIMIT $3`,
    [since.afterId ?? 0, (since.from ?? new Date(0)).toISOString(), limit],
  );
  return rows.map(toRecord);
}

/** One entity's records, oldest first. */
export async function entityHistory(q: Queryable, entity: AuditEntity, id: string | number, limit = 1000): Promise<AuditRecord[]> {
  const rows = await q.query<Row>(`SELECT ${COLUMNS} FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id LIMIT $3`, [entity, String(id), limit]);
  return rows.map(toRecord);
}
