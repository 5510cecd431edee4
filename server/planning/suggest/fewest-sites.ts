/**
 * The heuristic side of both objectives, on one tracker:
 *
 * - `greedyWithBounds` runs greedy and, before every step, records the
 *   submodular bound's ingredients at that prefix S_i: f(S_i) and the largest
 *   gains with respect to S_i. For any p, OPT_p <= f(S_i) + (sum of the p
 *   largest gains at S_i) for every i, so the smallest of these bounds the
 *   best p sites can do (upper bound for max coverage), and the smallest p
 *   whose bound reaches the target is a lower bound on the sites it needs.
 * - `fewestSites` (target_share): greedy until the weight to gain is
 *   reached, then tries one site fewer at a time: the site whose removal
 *   loses least goes, swaps then raise the weight of the rest as far as
 *   they can, and the smaller set is kept if it still reaches the target.
 *   It stops at the lower bound, where fewer cannot work.
 */
import { largestValues, wholeBound } from './coverage-bound.ts';
import type { CoverageTracker } from './coverage-tracker.ts';
import { swapImprove } from './greedy-swap.ts';

export interface GreedyRun {
  /** Rows in the order greedy added them. */
  rows: number[];
  /** bounds[p] for p = 0..maxSites: the best upper bound on what p sites can cover (whole). */
  bounds: number[];
}

/**
 * Greedy on `tracker` (left holding the greedy sites) until `maxSites`, no
 * more gain, or `stopAt` weight covered; with the bounds of the module header
 * for every p up to maxSites.
 */
export function greedyWithBounds(tracker: CoverageTracker, maxSites: number, stopAt = Infinity): GreedyRun {
  const rows: number[] = [];
  const bounds = new Array<number>(maxSites + 1).fill(Infinity);
  for (;;) {
    // The bound at this prefix, for every p at once (prefix sums of the largest gains).
    const top = largestValues(tracker.gain, maxSites, tracker.chosen).values;
    let sum = tracker.value;
    bounds[0] = Math.min(bounds[0]!, wholeBound(sum));
    for (let p = 1; p <= maxSites; p++) {
      sum += p <= top.length ? top[p - 1]! : 0;
      bounds[p] = Math.min(bounds[p]!, wholeBound(sum));
    }
    if (rows.length >= maxSites || tracker.value >= stopAt) break;
    const c = tracker.bestAddition();
    if (c < 0) break;
    tracker.add(c);
    rows.push(c);
  }
  // What fewer sites can cover, more sites can too.
  for (let p = 1; p <= maxSites; p++) bounds[p] = Math.max(bounds[p]!, bounds[p - 1]!);
  return { rows, bounds };
}

export interface FewestSites {
  rows: number[];
  reached: boolean;
  /** No fewer sites can reach the weight (maxSites + 1 when no set of maxSites can). */
  lowerBound: number;
  swaps: number;
}

/** The fewest sites (at most maxSites) covering `need` weight; `tracker` must be empty. */
export function fewestSites(tracker: CoverageTracker, need: number, maxSites: number, deadline = Infinity): FewestSites {
  if (need <= 0) return { rows: [], reached: true, lowerBound: 0, swaps: 0 };
  const run = greedyWithBounds(tracker, maxSites, need);
  let lowerBound = run.bounds.findIndex((b) => b >= need);
  if (lowerBound < 0) lowerBound = maxSites + 1;
  let rows = run.rows;
  let swaps = 0;
  if (tracker.value < need) return { rows, reached: false, lowerBound, swaps };
  // Try p - 1 sites: drop the site that loses least, then swap for the most weight.
  while (rows.length - 1 >= lowerBound && performance.now() < deadline) {
    let drop = 0;
    let least = Infinity;
    rows.forEach((c, i) => {
      const lost = tracker.loss(c);
      if (lost < least) {
        least = lost;
        drop = i;
      }
    });
    const fewer = rows.filter((_, i) => i !== drop);
    tracker.remove(rows[drop]!);
    swaps += swapImprove(tracker, fewer, deadline).swaps;
    if (tracker.value < need) {
      for (const c of fewer) tracker.remove(c);
      for (const c of rows) tracker.add(c);
      break;
    }
    rows = fewer;
  }
  return { rows, reached: true, lowerBound, swaps };
}
