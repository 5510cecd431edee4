/**
 * What a centers file does to the stored centers, decided before anything
 * is written (the dry run prints it, the real run carries it out, so the two
 * cannot differ). With a code column the file is merged: each row is
 * matched to the stored center whose source_id is its code, and is added
 * (no such center), moved (its position changed; how far is reported),
 * changed (name, kind or services only) or unchanged; stored centers no row
 * names are removed. Without a code column the file replaces every center.
 */
import { haversineM } from '../../kernel/geo.ts';
import type { CenterInput } from '../inputs/center-rows.ts';
import type { StoredCenter } from './stored-city.ts';

/**
 * Positions closer than this are the same place: a file that carries the
 * stored coordinates back with 7 decimals differs from them by up to ~0.6 cm.
 */
export const SAME_PLACE_M = 0.01;

export interface AddedCenter {
  where: string;
  code: string | null;
  name: string;
  kind: string;
  services: string[];
  lon: number;
  lat: number;
}

export interface UpdatedCenter extends AddedCenter {
  id: number;
  /** The fields that change: name, kind, services, position. */
  fields: string[];
  /** Metres between the stored and the new position (0 when it stays). */
  movedM: number;
}

export interface RemovedCenter {
  id: number;
  code: string | null;
  name: string;
  kind: string;
}

export interface CenterPlan {
  mode: 'merge' | 'replace';
  before: number;
  after: number;
  added: AddedCenter[];
  /** Moved centers (their other fields may change too). */
  moved: UpdatedCenter[];
  /** Centers whose name, kind or services change, in place. */
  changed: UpdatedCenter[];
  removed: RemovedCenter[];
  unchanged: number;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

const added = (c: CenterInput): AddedCenter => ({ where: c.where, code: c.code, name: c.name, kind: c.kind, services: c.services ?? [], lon: c.lon, lat: c.lat });
const removed = (s: StoredCenter): RemovedCenter => ({ id: s.id, code: s.sourceId, name: s.name, kind: s.kind });

export function planCenters(stored: readonly StoredCenter[], rows: readonly CenterInput[], byCode: boolean): CenterPlan {
  const plan: CenterPlan = { mode: byCode ? 'merge' : 'replace', before: stored.length, after: rows.length, added: [], moved: [], changed: [], removed: [], unchanged: 0 };
  if (!byCode) {
    plan.added = rows.map(added);
    plan.removed = stored.map(removed);
    return plan;
  }
  // The first stored center with a code is its match; any other with the same code is removed.
  const byStoredCode = new Map<string, StoredCenter>();
  for (const s of stored) if (s.sourceId !== null && !byStoredCode.has(s.sourceId)) byStoredCode.set(s.sourceId, s);
  const kept = new Set<number>();
  for (const row of rows) {
    const match = byStoredCode.get(row.code!);
    if (!match) {
      plan.added.push(added(row));
      continue;
    }
    kept.add(match.id);
    const movedM = haversineM(match.lon, match.lat, row.lon, row.lat);
    const fields: string[] = [];
    if (match.name !== row.name) fields.push('name');
    if (match.kind !== row.kind) fields.push('kind');
    // Without a services column the stored services stay.
    const services = row.services ?? match.services;
    if (!sameList(match.services, services)) fields.push('services');
    const moved = movedM >= SAME_PLACE_M;
    if (moved) fields.push('position');
    if (fields.length === 0) {
      plan.unchanged++;
      continue;
    }
    // A position within SAME_PLACE_M stays as stored: the row changes nothing there.
    const at = moved ? { lon: row.lon, lat: row.lat } : { lon: match.lon, lat: match.lat };
    const update: UpdatedCenter = { ...added(row), services, ...at, id: match.id, fields, movedM: moved ? movedM : 0 };
    (moved ? plan.moved : plan.changed).push(update);
  }
  plan.removed = stored.filter((s) => !kept.has(s.id)).map(removed);
  return plan;
}

/** The centers there will be after the plan (for the dry run's coverage), in no particular order. */
export function centersAfter(stored: readonly StoredCenter[], plan: CenterPlan): { lon: Float64Array; lat: Float64Array; kind: string[] } {
  const gone = new Set(plan.removed.map((r) => r.id));
  const updated = new Map([...plan.moved, ...plan.changed].map((u) => [u.id, u]));
  const list: { lon: number; lat: number; kind: string }[] = [];
  for (const s of stored) if (!gone.has(s.id)) list.push(updated.get(s.id) ?? s);
  list.push(...plan.added);
  return { lon: Float64Array.from(list, (c) => c.lon), lat: Float64Array.from(list, (c) => c.lat), kind: list.map((c) => c.kind) };
}
