/**
 * Who is left out, per unit of a level: the p90 walk time of its households
 * (household-weighted), its longest walk, and its households that cannot
 * reach a center at all; the coverage answer adds households beyond 15
 * minutes. Shares alone hide a grid where most are close and some are far.
 *
 * One sort of every household unit by walk time (a radix sort on the
 * float32 bits: non-negative floats sort like integers) and one pass that
 * fills each unit's running total: a unit's p90 is the time at which its
 * total first reaches 90 %. Times are in graph units (seconds at 4 km/h);
 * at another speed they scale by 4 / speed.
 */
import type { HouseholdData, LevelUnits } from './coverage-data.ts';

export interface UnitEquity {
  /** Per unit: p90 walk time; Infinity where the p90 household reaches no center; NaN without households. */
  p90: Float64Array;
  /** Per unit: the longest walk of a household that reaches a center; NaN where none does. */
  max: Float64Array;
  /** Per unit: households that reach no center. */
  unreachable: Float64Array;
}

/** Household indices in order of walk time (ties by index). */
export function orderByTime(seconds: Float32Array): Uint32Array {
  const n = seconds.length;
  const keys = new Uint32Array(seconds.buffer, seconds.byteOffset, n);
  let order = new Uint32Array(n);
  let spare = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Two stable passes of 16 bits each (least significant first).
  const counts = new Uint32Array(1 << 16);
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(keys[i]! >>> shift) & 0xffff]!++;
    let sum = 0;
    for (let b = 0; b < counts.length; b++) {
      const c = counts[b]!;
      counts[b] = sum;
      sum += c;
    }
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      spare[counts[(keys[i]! >>> shift) & 0xffff]!++] = i;
    }
    [order, spare] = [spare, order];
  }
  return order;
}

/** The equity figures of every unit of `units` for the walk times `seconds` (graph units). */
export function unitEquity(households: HouseholdData, units: LevelUnits, seconds: Float32Array): UnitEquity {
  const k = units.codes.length;
  const total = new Float64Array(k);
  const running = new Float64Array(k);
  const p90 = new Float64Array(k).fill(NaN);
  const max = new Float64Array(k).fill(NaN);
  const unreachable = new Float64Array(k);
  const { unitOf } = units;
  const weight = households.households;
  for (let i = 0; i < households.count; i++) total[unitOf[i]!] += weight[i]!;
  const order = orderByTime(seconds);
  for (let o = 0; o < order.length; o++) {
    const i = order[o]!;
    const u = unitOf[i]!;
    const s = seconds[i]!;
    running[u] += weight[i]!;
    if (Number.isNaN(p90[u]!) && running[u]! >= 0.9 * total[u]! && total[u]! > 0) p90[u] = s;
    if (s === Infinity) unreachable[u] += weight[i]!;
    else max[u] = s;
  }
  return { p90, max, unreachable };
}
