/**
 * The data version: a token that changes in the same transaction as any
 * change to imported data. Snapshots and ETags are keyed by it, so it must be
 * unique across wipes too: revision counter plus random suffix.
 */
import { randomBytes } from 'node:crypto';
import type { Queryable } from './database.ts';

export interface DataState {
  version: string;
  revision: number;
  city: string | null;
  source: string | null;
  changedAt: string;
}

export async function readDataState(db: Queryable): Promise<DataState> {
  const rows = await db.query<{ version: string; revision: number; city: string | null; source: string | null; changed_at: Date | string }>(
    'SELECT version, revision, city, source, changed_at FROM data_state WHERE id = 1',
  );
  const row = rows[0];
  if (!row) throw new Error('data_state has no row: the migrations did not run');
  return {
    version: row.version,
    revision: Number(row.revision),
    city: row.city,
    source: row.source,
    changedAt: new Date(row.changed_at).toISOString(),
  };
}

/** Marks the data as changed; call inside the transaction that changed it. */
export async function bumpDataVersion(tx: Queryable, change: { city?: string | null; source?: string | null } = {}): Promise<string> {
  const rows = await tx.query<{ revision: number }>(
    `UPDATE data_state SET revision = revision + 1, changed_at = now(),
       city = COALESCE($1, city), source = COALESCE($2, source)
     WHERE id = 1 RETURNING revision`,
    [change.city ?? null, change.source ?? null],
  );
  const revision = Number(rows[0]!.revision);
  const version = `${revision}-${randomBytes(4).toString('hex')}`;
  await tx.query('UPDATE data_state SET version = $1 WHERE id = 1', [version]);
  return version;
}
