/**
 * Roll-ups: households and covered households per unit of a level, for a
 * time threshold, in one pass over typed arrays (household -> unit index).
 * Every household belongs to exactly one unit of every level (units the data
 * does not name get a null code), so the units of any level add up to the
 * city.
 */
import type { HouseholdData, LevelUnits } from './coverage-data.ts';
import { DEFAULT_SPEED_KMH } from '../../kernel/walk-speed.ts';

export interface RollupUnit {
  code: string | null;
  name: string;
  /** Households (not units) in the unit. */
  households: number;
  /** Households within the threshold of a center. */
  covered: number;
  /** covered / households; null where there are no households. */
  share: number | null;
}

export interface Rollup {
  units: RollupUnit[];
  total: { households: number; covered: number; share: number | null };
}

/** The graph-unit threshold for `minutes` at `speedKmh`: costs scale with 1 / speed. */
export function thresholdSeconds(minutes: number, speedKmh: number): number {
  return (minutes * 60 * speedKmh) / DEFAULT_SPEED_KMH;
}

const share = (covered: number, total: number) => (total > 0 ? covered / total : null);

/** Households and covered households per unit of `units`, for units within `threshold` graph units. */
export function rollup(households: HouseholdData, units: LevelUnits, seconds: Float32Array, threshold: number): Rollup {
  const k = units.codes.length;
  const total = new Float64Array(k);
  const covered = new Float64Array(k);
  const { unitOf } = units;
  const count = households.households;
  for (let i = 0; i < households.count; i++) {
    const u = unitOf[i]!;
    const h = count[i]!;
    total[u] += h;
    if (seconds[i]! <= threshold) covered[u] += h;
  }
  let allHouseholds = 0;
  let allCovered = 0;
  const out: RollupUnit[] = [];
  for (let u = 0; u < k; u++) {
    allHouseholds += total[u]!;
    allCovered += covered[u]!;
    out.push({ code: units.codes[u]!, name: units.names[u]!, households: total[u]!, covered: covered[u]!, share: share(covered[u]!, total[u]!) });
  }
  return { units: out, total: { households: allHouseholds, covered: allCovered, share: share(allCovered, allHouseholds) } };
}

/** Per unit and in total: households covered by `before`, and those `after` gains and loses against it. */
export interface ComparedRollup {
  coveredBefore: Float64Array;
  gained: Float64Array;
  lost: Float64Array;
  total: { coveredBefore: number; gained: number; lost: number };
}

/** Compares two coverages of the same households at one threshold, per unit of `units`. */
export function compareRollup(households: HouseholdData, units: LevelUnits, before: Float32Array, after: Float32Array, threshold: number): ComparedRollup {
  const k = units.codes.length;
  const coveredBefore = new Float64Array(k);
  const gained = new Float64Array(k);
  const lost = new Float64Array(k);
  const total = { coveredBefore: 0, gained: 0, lost: 0 };
  for (let i = 0; i < households.count; i++) {
    const u = units.unitOf[i]!;
    const h = households.households[i]!;
    const was = before[i]! <= threshold;
    const is = after[i]! <= threshold;
    if (was) {
      coveredBefore[u] += h;
      total.coveredBefore += h;
    }
    if (is && !was) {
      gained[u] += h;
      total.gained += h;
    } else if (was && !is) {
      lost[u] += h;
      total.lost += h;
    }
  }
  return { coveredBefore, gained, lost, total };
}
