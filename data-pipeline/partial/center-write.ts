/**
 * Carries out a center plan (center-plan.ts) inside the update's
 * transaction: removed centers deleted, updated ones changed in place (they
 * keep their ids, so their history stays theirs), added ones inserted with
 * ids past every id the centers table and the audit trail know (ids are
 * never reused, as the centers API does). Rows go as arrays bound to one
 * statement each, not one statement per center. Each change is given to
 * `audit` (the CLI records it in the audit trail as the API's writes are).
 * Returns the boxes the tiles must drop: old and new places of every center
 * that changed.
 */
import type { Queryable } from '../../kernel/db/database.ts';
import type { BBox } from '../../kernel/data-change.ts';
import type { CenterPlan } from './center-plan.ts';
import type { StoredCenter } from './stored-city.ts';

/** A center as the audit trail records it (the API's shape). */
interface AuditedCenter {
  id: number;
  name: string;
  kind: string;
  services: string[];
  source: string;
  lon: number;
  lat: number;
}

export interface AuditEntry {
  action: 'center.add' | 'center.update' | 'center.remove';
  entity: 'center';
  entityId: number;
  before: AuditedCenter | null;
  after: AuditedCenter | null;
}

/** Records one change in the transaction that makes it (the CLI passes the server's audit log). */
export type AuditHook = (tx: Queryable, entry: AuditEntry) => Promise<void>;

/** The source of centers a file adds. */
const FILE_SOURCE = 'file';

const box = (c: { lon: number; lat: number }): BBox => [c.lon, c.lat, c.lon, c.lat];
const audited = (c: StoredCenter): AuditedCenter => ({ id: c.id, name: c.name, kind: c.kind, services: c.services, source: c.source, lon: c.lon, lat: c.lat });

export async function writeCenterPlan(tx: Queryable, stored: readonly StoredCenter[], plan: CenterPlan, audit?: AuditHook): Promise<BBox[]> {
  const boxes: BBox[] = [];
  const byId = new Map(stored.map((s) => [s.id, s]));

  if (plan.removed.length > 0) {
    await tx.query('DELETE FROM centers WHERE id = ANY($1::int[])', [plan.removed.map((r) => r.id)]);
    for (const r of plan.removed) {
      const old = byId.get(r.id)!;
      boxes.push(box(old));
      await audit?.(tx, { action: 'center.remove', entity: 'center', entityId: r.id, before: audited(old), after: null });
    }
  }

  const updates = [...plan.moved, ...plan.changed];
  if (updates.length > 0) {
    await tx.query(
      `UPDATE centers c SET name = u.name, kind = u.kind, services = ARRAY(SELECT json_array_elements_text(u.services::json)),
         geom = ST_SetSRID(ST_MakePoint(u.lon, u.lat), 4326)
       FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[]) AS u(id, name, kind, services, lon, lat)
       WHERE c.id = u.id`,
      [
        updates.map((u) => u.id),
        updates.map((u) => u.name),
        updates.map((u) => u.kind),
        updates.map((u) => JSON.stringify(u.services)),
        updates.map((u) => u.lon),
        updates.map((u) => u.lat),
      ],
    );
    for (const u of updates) {
      const old = byId.get(u.id)!;
      boxes.push(box(old));
      if (u.movedM > 0) boxes.push(box(u));
      const after = { ...audited(old), name: u.name, kind: u.kind, services: u.services, lon: u.lon, lat: u.lat };
      await audit?.(tx, { action: 'center.update', entity: 'center', entityId: u.id, before: audited(old), after });
    }
  }

  if (plan.added.length > 0) {
    const [next] = await tx.query<{ id: number }>(
      `SELECT GREATEST((SELECT COALESCE(max(id), 0) FROM centers),
                       (SELECT COALESCE(max(entity_id::integer), 0) FROM audit_log WHERE entity = 'center')) + 1 AS id`,
    );
    const first = Number(next!.id);
    const a = plan.added;
    await tx.query(
      `INSERT INTO centers (id, name, kind, services, source, source_id, geom)
       SELECT $1::int + u.n - 1, u.name, u.kind, ARRAY(SELECT json_array_elements_text(u.services::json)), $2, u.code,
              ST_SetSRID(ST_MakePoint(u.lon, u.lat), 4326)
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[]) WITH ORDINALITY AS u(name, kind, services, code, lon, lat, n)`,
      [first, FILE_SOURCE, a.map((c) => c.name), a.map((c) => c.kind), a.map((c) => JSON.stringify(c.services)), a.map((c) => c.code), a.map((c) => c.lon), a.map((c) => c.lat)],
    );
    for (let i = 0; i < a.length; i++) {
      const c = a[i]!;
      boxes.push(box(c));
      const after: AuditedCenter = { id: first + i, name: c.name, kind: c.kind, services: c.services, source: FILE_SOURCE, lon: c.lon, lat: c.lat };
      await audit?.(tx, { action: 'center.add', entity: 'center', entityId: first + i, before: null, after });
    }
  }
  return boxes;
}
