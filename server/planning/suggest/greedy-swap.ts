/**
 * The heuristic for k sites: greedy, then swaps.
 *
 * Greedy adds, k times, the candidate with the largest gain. The tracker
 * keeps every gain exact as sites are added (coverage-tracker.ts), so a step
 * is one scan over the gains; a lazy greedy's priority queue would save that
 * scan (20,000 comparisons, well under a millisecond) but would still need
 * the transpose for the swaps, so it would buy nothing here.
 *
 * Swaps (1-opt exchange): for each chosen site s in turn, price every
 * unchosen candidate c as a replacement, value - loss(s) + gain(c) +
 * (the part of loss(s) that c covers too), the last term accumulated through
 * the transpose from the units only s covers, and make the best exchange if
 * it gains. Passes repeat until one makes no exchange (the value rises at
 * every exchange, so this ends) or the deadline passes. Ties go to the
 * lowest candidate index, so the answer is the same for the same input.
 */
import type { CoverageSets } from './coverage-sets.ts';
import type { CoverageTracker } from './coverage-tracker.ts';

export interface SwapStats {
  passes: number;
  swaps: number;
  /** True when the last pass found no exchange (a local optimum), false when the deadline stopped it. */
  converged: boolean;
}

/** Adds up to k sites greedily to `tracker`; stops early when no candidate gains anything. Rows in the order added. */
export function greedySites(tracker: CoverageTracker, k: number): number[] {
  const rows: number[] = [];
  while (rows.length < k) {
    const c = tracker.bestAddition();
    if (c < 0) break;
    tracker.add(c);
    rows.push(c);
  }
  return rows;
}

/** Improves the chosen `rows` (also in `tracker`) by exchanges, in place; see the module header. */
export function swapImprove(tracker: CoverageTracker, rows: number[], deadline = Infinity): SwapStats {
  const { sets, weight, gain, chosen, coverCount } = tracker;
  const { candidateOffset, candidateDemands, demandOffset, demandCandidates } = sets;
  const extra = new Float64Array(sets.candidateCount);
  const touched = new Uint32Array(sets.candidateCount);
  const isTouched = new Uint8Array(sets.candidateCount);
  const stats: SwapStats = { passes: 0, swaps: 0, converged: false };
  for (;;) {
    if (performance.now() > deadline) return stats;
    stats.passes++;
    let exchanged = false;
    for (let p = 0; p < rows.length; p++) {
      const s = rows[p]!;
      let loss = 0;
      let n = 0;
      for (let k = candidateOffset[s]!, end = candidateOffset[s + 1]!; k < end; k++) {
        const d = candidateDemands[k]!;
        if (coverCount[d] !== 1) continue;
        const w = weight[d]!;
        loss += w;
        for (let q = demandOffset[d]!, stop = demandOffset[d + 1]!; q < stop; q++) {
          const c = demandCandidates[q]!;
          if (isTouched[c] === 0) {
            isTouched[c] = 1;
            touched[n++] = c;
          }
          extra[c]! += w;
        }
      }
      let best = -1;
      let bestDelta = 0;
      for (let c = 0; c < gain.length; c++) {
        if (chosen[c] !== 0) continue;
        const delta = gain[c]! + extra[c]! - loss;
        if (delta > bestDelta) {
          best = c;
          bestDelta = delta;
        }
      }
      for (let q = 0; q < n; q++) {
        extra[touched[q]!] = 0;
        isTouched[touched[q]!] = 0;
      }
      if (best >= 0) {
        tracker.remove(s);
        tracker.add(best);
        rows[p] = best;
        stats.swaps++;
        exchanged = true;
      }
    }
    if (!exchanged) {
      stats.converged = true;
      return stats;
    }
  }
}

/**
 * The chosen rows in greedy order among themselves (each next the one that
 * adds most to those before it, ties by index), with each one's marginal
 * weight: how an answer lists its sites, whichever method chose them.
 */
export function orderSites(sets: CoverageSets, weight: Float64Array, rows: readonly number[]): { rows: number[]; gains: number[] } {
  const covered = new Uint8Array(sets.demandCount);
  const left = [...rows].sort((a, b) => a - b);
  const ordered: number[] = [];
  const gains: number[] = [];
  const gainOf = (c: number) => {
    let g = 0;
    for (let k = sets.candidateOffset[c]!, end = sets.candidateOffset[c + 1]!; k < end; k++) {
      const d = sets.candidateDemands[k]!;
      if (covered[d] === 0) g += weight[d]!;
    }
    return g;
  };
  while (left.length > 0) {
    let pick = 0;
    let pickGain = -1;
    left.forEach((c, i) => {
      const g = gainOf(c);
      if (g > pickGain) {
        pick = i;
        pickGain = g;
      }
    });
    const c = left.splice(pick, 1)[0]!;
    for (let k = sets.candidateOffset[c]!, end = sets.candidateOffset[c + 1]!; k < end; k++) covered[sets.candidateDemands[k]!] = 1;
    ordered.push(c);
    gains.push(pickGain);
  }
  return { rows: ordered, gains };
}
