/**
 * Changes to community service centers: add, move or rename, remove. Each
 * change is one transaction that also bumps the data version, and after it
 * commits the store publishes a `features` change for the 'centers' layer
 * with the old and new positions, so the tile cache drops exactly the tiles
 * that showed (or now show) the center and coverage recomputes. The publish
 * comes after the commit: a listener that reloads sees the new data.
 */
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { bumpDataVersion } from '../../kernel/db/data-state.ts';
import type { DataChanges } from '../events/data-changes.ts';
import type { BBox, DataChange } from '../../kernel/data-change.ts';
import { announceChange } from '../../kernel/change-announcements.ts';
import { recordAudit, type Actor } from '../auth/audit-log.ts';

export interface Center {
  id: number;
  name: string;
  kind: string;
  services: string[];
  /** Where it came from: 'osm', 'demo', an import's source, or 'api' for centers added here. */
  source: string;
  lon: number;
  lat: number;
}

export interface NewCenter {
  name: string;
  kind: string;
  services: string[];
  lon: number;
  lat: number;
}

/** Fields to change; absent ones stay. */
export type CenterPatch = Partial<NewCenter>;

/** One edit of several applied together (a scenario's changes). */
export type CenterEdit = { op: 'add'; center: NewCenter } | { op: 'move'; id: number; lon: number; lat: number } | { op: 'remove'; id: number };

/** What a batch of edits did. */
export interface AppliedEdits {
  /** The data version the edits made. */
  version: string;
  added: Center[];
  moved: Center[];
  removed: Center[];
}

export interface CenterStore {
  /** All centers, or those of one kind, by id. */
  list(filter?: { kind?: string }): Promise<Center[]>;
  get(id: number): Promise<Center | undefined>;
  /** Adds a center (source 'api') with the next free id. Every write is recorded in the audit trail, as `actor`, in its own transaction. */
  add(center: NewCenter, actor: Actor): Promise<Center>;
  /** Moves, renames or re-kinds a center; undefined when there is no such id. */
  update(id: number, patch: CenterPatch, actor: Actor): Promise<Center | undefined>;
  /** Removes a center; returns it, or undefined when there is no such id. */
  remove(id: number, actor: Actor): Promise<Center | undefined>;
  /**
   * Applies edits in order in one transaction with one version bump, if the
   * data is still at `expectVersion`; otherwise throws `stale(current)` and
   * changes nothing. An edit naming a missing center rolls everything back.
   * `also` runs last in the same transaction (the scenario's own audit record).
   */
  applyEdits(
    edits: readonly CenterEdit[],
    expectVersion: string,
    stale: (current: string) => Error,
    actor: Actor,
    also?: (tx: Queryable, applied: Omit<AppliedEdits, 'version'>) => Promise<void>,
  ): Promise<AppliedEdits>;
}

/** The layer name a center change publishes. */
export const CENTERS_LAYER = 'centers';

const COLUMNS = 'id, name, kind, to_json(services) AS services, source, ST_X(geom) AS lon, ST_Y(geom) AS lat';

type CenterRow = Omit<Center, 'services'> & { services: string[] | string };

function toCenter(row: CenterRow): Center {
  return {
    id: Number(row.id),
    name: row.name,
    kind: row.kind,
    services: typeof row.services === 'string' ? JSON.parse(row.services) : row.services,
    source: row.source,
    lon: Number(row.lon),
    lat: Number(row.lat),
  };
}

const pointBox = (c: { lon: number; lat: number }): BBox => [c.lon, c.lat, c.lon, c.lat];

async function selectOne(q: Queryable, id: number, lock: boolean): Promise<Center | undefined> {
  const rows = await q.query<CenterRow>(`SELECT ${COLUMNS} FROM centers WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? toCenter(rows[0]) : undefined;
}

/**
 * `origin` names this process in its announcements to other processes on the
 * same database (change-notifications.ts).
 */
export function createCenterStore(db: Database, changes: DataChanges, origin: string): CenterStore {
  /**
   * Runs a change in one transaction with a version bump and an announcement
   * to other processes, then tells this process's listeners where it happened.
   */
  async function change<T>(fn: (tx: Queryable) => Promise<{ result: T; boxes: BBox[] } | undefined>): Promise<{ result: T; version: string } | undefined> {
    let release: (() => void) | undefined;
    try {
      const done = await db.transaction(async (tx) => {
        const outcome = await fn(tx);
        if (!outcome) return undefined;
        const version = await bumpDataVersion(tx);
        const change: DataChange = { type: 'features', version, layers: [CENTERS_LAYER], boxes: outcome.boxes };
        await announceChange(tx, origin, change);
        // From the commit to the publish, this process's reads wait (data-changes.ts hold).
        release = changes.hold();
        return { result: outcome.result, change };
      });
      if (!done) return undefined;
      await changes.publish(done.change);
      return { result: done.result, version: done.change.version };
    } finally {
      release?.();
    }
  }

  async function insert(tx: Queryable, center: NewCenter): Promise<Center> {
    const rows = await tx.query<CenterRow>(
      `INSERT INTO centers (id, name, kind, services, source, source_id, geom)
       SELECT GREATEST(COALESCE(max(id), 0),
                       -- Never an id the audit trail knows: a removed center's history stays its own.
                       (SELECT COALESCE(max(entity_id::integer), 0) FROM audit_log WHERE entity = 'center')) + 1,
              $1, $2, ARRAY(SELECT json_array_elements_text($3::json)), 'api', NULL,
              ST_SetSRID(ST_MakePoint($4, $5), 4326)
       FROM centers
       RETURNING ${COLUMNS}`,
      [center.name, center.kind, JSON.stringify(center.services), center.lon, center.lat],
    );
    return toCenter(rows[0]!);
  }

  return {
    async applyEdits(edits, expectVersion, stale, actor, also) {
      const applied = await change(async (tx) => {
        const [state] = await tx.query<{ version: string }>('SELECT version FROM data_state WHERE id = 1 FOR UPDATE');
        if (state?.version !== expectVersion) throw stale(state?.version ?? 'none');
        await tx.exec('LOCK TABLE centers IN SHARE ROW EXCLUSIVE MODE');
        const done: Omit<AppliedEdits, 'version'> = { added: [], moved: [], removed: [] };
        const boxes: BBox[] = [];
        for (const edit of edits) {
          if (edit.op === 'add') {
            const row = await insert(tx, edit.center);
            await recordAudit(tx, actor, { action: 'center.add', entity: 'center', entityId: row.id, before: null, after: row });
            done.added.push(row);
            boxes.push(pointBox(row));
            continue;
          }
          const old = await selectOne(tx, edit.id, true);
          if (!old) throw new Error(`center ${edit.id} is gone although the data version did not change`);
          if (edit.op === 'remove') {
            await tx.query('DELETE FROM centers WHERE id = $1', [edit.id]);
            await recordAudit(tx, actor, { action: 'center.remove', entity: 'center', entityId: old.id, before: old, after: null });
            done.removed.push(old);
            boxes.push(pointBox(old));
          } else {
            const rows = await tx.query<CenterRow>(
              `UPDATE centers SET geom = ST_SetSRID(ST_MakePoint($2, $3), 4326) WHERE id = $1 RETURNING ${COLUMNS}`,
              [edit.id, edit.lon, edit.lat],
            );
            const row = toCenter(rows[0]!);
            await recordAudit(tx, actor, { action: 'center.update', entity: 'center', entityId: row.id, before: old, after: row });
            done.moved.push(row);
            boxes.push(pointBox(old), pointBox(row));
          }
        }
        await also?.(tx, done);
        return { result: done, boxes };
      });
      return { ...applied!.result, version: applied!.version };
    },

    async list(filter = {}) {
      const rows = filter.kind === undefined
        ? await db.query<CenterRow>(`SELECT ${COLUMNS} FROM centers ORDER BY id`)
        : await db.query<CenterRow>(`SELECT ${COLUMNS} FROM centers WHERE kind = $1 ORDER BY id`, [filter.kind]);
      return rows.map(toCenter);
    },

    get: (id) => selectOne(db, id, false),

    async add(center, actor) {
      const added = await change(async (tx) => {
        // Ids are max + 1: the lock keeps two adds from taking the same one, and readers are not blocked.
        await tx.exec('LOCK TABLE centers IN SHARE ROW EXCLUSIVE MODE');
        const row = await insert(tx, center);
        await recordAudit(tx, actor, { action: 'center.add', entity: 'center', entityId: row.id, before: null, after: row });
        return { result: row, boxes: [pointBox(row)] };
      });
      return added!.result;
    },

    async update(id, patch, actor) {
      const updated = await change(async (tx) => {
        const old = await selectOne(tx, id, true);
        if (!old) return undefined;
        const next = { ...old, ...patch };
        const rows = await tx.query<CenterRow>(
          `UPDATE centers SET name = $2, kind = $3, services = ARRAY(SELECT json_array_elements_text($4::json)),
             geom = ST_SetSRID(ST_MakePoint($5, $6), 4326)
           WHERE id = $1
           RETURNING ${COLUMNS}`,
          [id, next.name, next.kind, JSON.stringify(next.services), next.lon, next.lat],
        );
        const row = toCenter(rows[0]!);
        await recordAudit(tx, actor, { action: 'center.update', entity: 'center', entityId: id, before: old, after: row });
        return { result: row, boxes: [pointBox(old), pointBox(row)] };
      });
      return updated?.result;
    },

    async remove(id, actor) {
      const removed = await change(async (tx) => {
        const rows = await tx.query<CenterRow>(`DELETE FROM centers WHERE id = $1 RETURNING ${COLUMNS}`, [id]);
        if (!rows[0]) return undefined;
        const row = toCenter(rows[0]);
        await recordAudit(tx, actor, { action: 'center.remove', entity: 'center', entityId: id, before: row, after: null });
        return { result: row, boxes: [pointBox(row)] };
      });
      return removed?.result;
    },
  };
}
