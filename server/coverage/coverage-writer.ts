/**
 * Writes coverage back to the tables the tile layers read: per household
 * unit walk_seconds and nearest_center_id, per grid the household total, the
 * households within 5, 10 and 15 minutes and the 15-minute share (all at the
 * default speed). Only rows whose values changed are written, in one
 * transaction with batched `UPDATE ... FROM unnest(...)`; the result names the
 * places that changed, for the tile caches.
 *
 * The transaction reads the data version first (REPEATABLE READ): if the
 * data changed since the version the coverage describes, nothing is written
 * (the change's own recomputation writes). What the tables hold is kept in a
 * StoredCoverage (the write-back's memory, loaded with the data and updated
 * after every write), so unchanged rows are never sent.
 */
import type { Database } from '../../kernel/db/database.ts';
import type { BBox } from '../../kernel/data-change.ts';
import type { CenterData, CoverageData, StoredCoverage } from './coverage-data.ts';
import type { HouseholdCoverage } from './household-coverage.ts';
import { thresholdSeconds } from './coverage-rollup.ts';
import { DEFAULT_SPEED_KMH } from '../../kernel/walk-speed.ts';

/** Rows per UPDATE: one round trip per batch, small enough for PGlite's message size. */
const BATCH = 5000;
/** The grid columns' thresholds, minutes (GB 50180-2018's life circles). */
export const GRID_MINUTES = [5, 10, 15] as const;

export interface WriteBackResult {
  /** False when the data changed underneath and nothing was written. */
  written: boolean;
  householdsChanged: number;
  gridsChanged: number;
  /** Extents of the grids whose households or roll-ups changed (households there included). */
  boxes: BBox[];
  ms: number;
}

/** NULL-aware float4 comparison: NaN means NULL. */
const same32 = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));

/** What to write: the coverage of `centers` over `data`, valid at data version `version`. */
export interface CoverageToWrite {
  version: string;
  data: CoverageData;
  centers: CenterData;
  coverage: HouseholdCoverage;
}

export async function writeCoverage(db: Database, stored: StoredCoverage, input: CoverageToWrite): Promise<WriteBackResult> {
  const started = performance.now();
  const { data, centers, coverage } = input;
  const { households, grids } = data;

  // Household rows whose values differ from what is stored.
  const changedIds: number[] = [];
  const changedSeconds: (number | null)[] = [];
  const changedCenters: (number | null)[] = [];
  const changedIndex: number[] = [];
  const newSeconds = new Float32Array(households.count);
  const newCenter = new Int32Array(households.count);
  for (let i = 0; i < households.count; i++) {
    const s = coverage.seconds[i]!;
    newSeconds[i] = Number.isFinite(s) ? s : NaN;
    newCenter[i] = coverage.nearest[i]! >= 0 ? centers.id[coverage.nearest[i]!]! : -1;
    if (same32(newSeconds[i]!, stored.seconds[i]!) && newCenter[i] === stored.center[i]) continue;
    changedIndex.push(i);
    changedIds.push(households.id[i]!);
    changedSeconds.push(Number.isNaN(newSeconds[i]!) ? null : newSeconds[i]!);
    changedCenters.push(newCenter[i]! >= 0 ? newCenter[i]! : null);
  }

  // Grid roll-ups at the default speed.
  const g = grids.count;
  const total = new Int32Array(g);
  const covered = GRID_MINUTES.map(() => new Int32Array(g));
  const thresholds = GRID_MINUTES.map((m) => thresholdSeconds(m, DEFAULT_SPEED_KMH));
  for (let i = 0; i < households.count; i++) {
    const k = households.gridIndex[i]!;
    if (k < 0) continue;
    const h = households.households[i]!;
    total[k] += h;
    for (let t = 0; t < thresholds.length; t++) if (coverage.seconds[i]! <= thresholds[t]!) covered[t]![k] += h;
  }
  const gridChanged = new Uint8Array(g);
  const gridRows: { id: number[]; total: number[]; c5: number[]; c10: number[]; c15: number[]; share: (number | null)[] } = {
    id: [], total: [], c5: [], c10: [], c15: [], share: [],
  };
  const newShare = new Float32Array(g);
  for (let k = 0; k < g; k++) {
    newShare[k] = total[k]! > 0 ? covered[2]![k]! / total[k]! : NaN;
    const unchanged =
      stored.gridTotal[k] === total[k] &&
      stored.gridCovered.every((column, t) => column[k] === covered[t]![k]) &&
      same32(stored.gridShare[k]!, newShare[k]!);
    if (unchanged) continue;
    gridChanged[k] = 1;
    gridRows.id.push(grids.id[k]!);
    gridRows.total.push(total[k]!);
    gridRows.c5.push(covered[0]![k]!);
    gridRows.c10.push(covered[1]![k]!);
    gridRows.c15.push(covered[2]![k]!);
    gridRows.share.push(Number.isNaN(newShare[k]!) ? null : newShare[k]!);
  }

  if (changedIds.length === 0 && gridRows.id.length === 0) {
    return { written: true, householdsChanged: 0, gridsChanged: 0, boxes: [], ms: performance.now() - started };
  }

  const written = await db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const [state] = await tx.query<{ version: string }>('SELECT version FROM data_state WHERE id = 1');
    if (state?.version !== input.version) return false;
    for (let from = 0; from < changedIds.length; from += BATCH) {
      const to = Math.min(changedIds.length, from + BATCH);
      await tx.query(
        `UPDATE households h SET walk_seconds = t.s, nearest_center_id = t.c
         FROM unnest($1::int[], $2::real[], $3::int[]) AS t(id, s, c) WHERE h.id = t.id`,
        [changedIds.slice(from, to), changedSeconds.slice(from, to), changedCenters.slice(from, to)],
      );
    }
    for (let from = 0; from < gridRows.id.length; from += BATCH) {
      const to = Math.min(gridRows.id.length, from + BATCH);
      await tx.query(
        `UPDATE grids g SET households_total = t.n, covered_5 = t.c5, covered_10 = t.c10, covered_15 = t.c15, coverage_share_15 = t.s
         FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::int[], $6::real[]) AS t(id, n, c5, c10, c15, s) WHERE g.id = t.id`,
        [gridRows.id.slice(from, to), gridRows.total.slice(from, to), gridRows.c5.slice(from, to), gridRows.c10.slice(from, to), gridRows.c15.slice(from, to), gridRows.share.slice(from, to)],
      );
    }
    return true;
  });
  if (!written) return { written: false, householdsChanged: 0, gridsChanged: 0, boxes: [], ms: performance.now() - started };

  // What is stored now, so the next write compares against it.
  stored.seconds.set(newSeconds);
  stored.center.set(newCenter);
  stored.gridTotal.set(total);
  GRID_MINUTES.forEach((_, t) => stored.gridCovered[t]!.set(covered[t]!));
  stored.gridShare.set(newShare);

  // One box per touched grid: its extent, widened by its changed households (which may lie outside it).
  const box = new Float64Array(4 * g);
  for (let k = 0; k < g; k++) box.set(gridChanged[k] ? grids.bbox.subarray(4 * k, 4 * k + 4) : [Infinity, Infinity, -Infinity, -Infinity], 4 * k);
  const loose: BBox[] = [];
  for (const i of changedIndex) {
    const k = households.gridIndex[i]!;
    const x = households.lon[i]!;
    const y = households.lat[i]!;
    if (k < 0) {
      loose.push([x, y, x, y]);
      continue;
    }
    gridChanged[k] = 1;
    box[4 * k] = Math.min(box[4 * k]!, x);
    box[4 * k + 1] = Math.min(box[4 * k + 1]!, y);
    box[4 * k + 2] = Math.max(box[4 * k + 2]!, x);
    box[4 * k + 3] = Math.max(box[4 * k + 3]!, y);
  }
  const boxes: BBox[] = [];
  for (let k = 0; k < g; k++) if (gridChanged[k]) boxes.push([box[4 * k]!, box[4 * k + 1]!, box[4 * k + 2]!, box[4 * k + 3]!]);
  boxes.push(...loose);
  return { written: true, householdsChanged: changedIds.length, gridsChanged: gridRows.id.length, boxes, ms: performance.now() - started };
}
