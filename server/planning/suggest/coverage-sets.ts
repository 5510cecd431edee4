/**
 * Coverage sets: for each candidate, the demand units it would bring within
 * the threshold, by exactly the rule householdCoverage applies when the
 * candidate is added as a center. One bounded search per candidate over the
 * reverse graph ("to": the time to reach the candidate), seeded at both ends
 * of its edge as multiSourceSearch seeds a center, on one reused SearchState.
 * A demand unit's time is then its link cost plus its edge end's time, or
 * straight along its edge when it shares the candidate's edge, summed in the
 * same order and rounded to float32 as householdCoverage stores it; it is
 * covered when that is <= the threshold. Floating-point sums are monotone,
 * so Dijkstra's time at a node is the smallest path sum whether one center
 * or many seed the search: adding the chosen candidates as centers covers
 * exactly the union of their sets (coverage-sets.test.ts checks this).
 *
 * The sets are CSR arrays (candidateOffset / candidateDemands, ascending
 * demand indices), with the transpose (demandOffset / demandCandidates) for
 * the incremental gains of greedy and swaps. Candidates whose set is empty,
 * or equal to an earlier candidate's, are dropped: neither objective can
 * lose by it (nor by dropping sets inside others: dominated-sites.ts).
 * `candidateOf` maps rows back to the candidates given.
 */
import { accessCost, alongEdgeCost } from '../../routing/search/partial-edge.ts';
import { runSearch, seedAtEdgePoint } from '../../routing/search/bounded-search.ts';
import { withState, type SearchScratch, type SearchState } from '../../routing/search/search-state.ts';
import type { WalkGraph } from '../../routing/graph/walk-graph.ts';
import type { LinkedUnits } from '../../coverage/household-coverage.ts';
import { GrowableArray } from '../../../kernel/growable-array.ts';
import { InvalidOption } from '../../domain-errors.ts';
import type { Demand } from './demand.ts';
import type { CandidateSites } from './candidate-sites.ts';

export interface CoverageSets {
  /** Rows (kept candidates). */
  candidateCount: number;
  demandCount: number;
  /** Row r covers candidateDemands[candidateOffset[r] .. candidateOffset[r+1]), ascending. */
  candidateOffset: Uint32Array;
  candidateDemands: Uint32Array;
  /** Demand d is covered by rows demandCandidates[demandOffset[d] .. demandOffset[d+1]), ascending. */
  demandOffset: Uint32Array;
  demandCandidates: Uint32Array;
  /** Index into the CandidateSites of each row. */
  candidateOf: Uint32Array;
  /** Candidates dropped for an empty set, for a set equal to an earlier one, and (dominated-sites.ts) for a set inside another's. */
  dropped: { empty: number; duplicate: number; dominated: number };
}

/**
 * Most entries the sets may hold (4 bytes each, twice with the transpose):
 * a long threshold over a large uncovered area could otherwise ask for
 * gigabytes. The demo city at 15 minutes needs 0.75 million.
 */
export const MAX_SET_ENTRIES = 30_000_000;

/** Graph seconds taken off the demand reach before it prunes a search (far above float rounding, far below any walk). */
const REACH_MARGIN = 0.01;

/**
 * The search limit for a threshold: float32 rounding may bring a time a
 * little above the threshold down onto it, so the search goes that much
 * further (the exact test is made on the rounded time).
 */
export function searchLimit(threshold: number): number {
  return threshold * (1 + 1e-6) + 1e-6;
}

/**
 * Builds the coverage sets of `sites` over `demand` for `threshold` graph
 * units. With `reach` (candidate-sites.ts demandReach, for the same demand
 * and at least the search limit) the searches skip nodes no uncovered unit
 * walks through in time: the same sets, several times faster.
 */
export function buildCoverageSets(
  graph: WalkGraph,
  units: LinkedUnits,
  demand: Demand,
  sites: CandidateSites,
  threshold: number,
  scratch?: SearchScratch,
  maxEntries = MAX_SET_ENTRIES,
  reach?: Float64Array,
): CoverageSets {
  const limit = searchLimit(threshold);
  // A node whose time to the candidate plus the nearest uncovered unit's walk to it is over the limit
  // cannot lie on any covering path; the margin absorbs the two searches' different float sums.
  const rest = reach?.map((t) => t - REACH_MARGIN);
  const best = new Float64Array(demand.count);
  const mark = new Int32Array(demand.count).fill(-1);
  const touched = new Uint32Array(demand.count);
  const entries = new GrowableArray(new Uint32Array(1 << 16));
  const offsets = new Uint32Array(sites.count + 1);
  const { nodeOffset, nodeDemand, nodeCost } = demand;
  const { fraction: unitFraction, distanceM: unitDistance } = units.snaps;

  let reached = 0;
  /** Demand unit d reaches candidate c in t: the first time it is touched, or a better time. */
  const offer = (d: number, t: number, c: number) => {
    if (mark[d] !== c) {
      mark[d] = c;
      best[d] = t;
      touched[reached++] = d;
    } else if (t < best[d]!) {
      best[d] = t;
    }
  };

  /** Runs candidate c's search; its reached demand units are touched[0 .. n) with their best times. */
  const coverOne = (state: SearchState, c: number): number => {
    reached = 0;
    const e = sites.edge[c]!;
    seedAtEdgePoint(graph, state, e, sites.fraction[c]!, sites.distanceM[c]!, 0, 'to');
    runSearch(graph, state, limit, 'to', rest);
    const { order, dist } = state;
    for (let s = 0; s < state.settledCount; s++) {
      const v = order[s]!;
      const dv = dist[v]!;
      for (let k = nodeOffset[v]!, end = nodeOffset[v + 1]!; k < end; k++) offer(nodeDemand[k]!, nodeCost[k]! + dv, c);
    }
    // Units on the candidate's own edge may walk straight along it (timeAlongEdge's sum, in its order).
    const centerAccess = accessCost(sites.distanceM[c]!);
    for (let k = units.edgeOffset[e]!, end = units.edgeOffset[e + 1]!; k < end; k++) {
      const i = units.unitsOnEdge[k]!;
      const d = demand.demandOf[i]!;
      if (d < 0) continue;
      const along = alongEdgeCost(graph, e, unitFraction[i]!, sites.fraction[c]!);
      if (along >= 0) offer(d, accessCost(unitDistance[i]!) + along + centerAccess, c);
    }
    return reached;
  };

  withState(
    graph,
    (state) => {
      for (let c = 0; c < sites.count; c++) {
        if (c > 0) state.begin();
        const n = coverOne(state, c);
        const start = entries.length;
        for (let q = 0; q < n; q++) {
          const d = touched[q]!;
          if (Math.fround(best[d]!) <= threshold) entries.push(d);
        }
        entries.data.subarray(start, entries.length).sort();
        offsets[c + 1] = entries.length;
        if (entries.length > maxEntries) {
          throw new InvalidOption(
            'minutes',
            `the threshold reaches too many uncovered households from too many candidates (over ${maxEntries} pairs by candidate ${c} of ${sites.count}); ask for fewer minutes, a lower speed, or fewer candidates`,
          );
        }
      }
    },
    scratch,
  );
  return compactSets(demand.count, offsets, entries.data.subarray(0, entries.length));
}

/** Sets from CSR arrays (one range of ascending demand indices per candidate): empty and repeated ones dropped, transpose built. */
export function compactSets(demandCount: number, offsets: Uint32Array, entries: Uint32Array): CoverageSets {
  const candidates = offsets.length - 1;
  const keep: number[] = [];
  const firstOfHash = new Map<number, number[]>();
  let empty = 0;
  let duplicate = 0;
  for (let c = 0; c < candidates; c++) {
    const a = offsets[c]!;
    const b = offsets[c + 1]!;
    if (a === b) {
      empty++;
      continue;
    }
    let h = 0x811c9dc5 ^ (b - a);
    for (let k = a; k < b; k++) h = Math.imul(h ^ entries[k]!, 0x01000193);
    const same = firstOfHash.get(h);
    if (same?.some((o) => equalRanges(entries, offsets[o]!, offsets[o + 1]!, a, b))) {
      duplicate++;
      continue;
    }
    if (same) same.push(c);
    else firstOfHash.set(h, [c]);
    keep.push(c);
  }
  const candidateOf = Uint32Array.from(keep);
  const candidateOffset = new Uint32Array(keep.length + 1);
  for (let r = 0; r < keep.length; r++) candidateOffset[r + 1] = candidateOffset[r]! + offsets[keep[r]! + 1]! - offsets[keep[r]!]!;
  const candidateDemands = new Uint32Array(candidateOffset[keep.length]!);
  for (let r = 0; r < keep.length; r++) candidateDemands.set(entries.subarray(offsets[keep[r]!]!, offsets[keep[r]! + 1]!), candidateOffset[r]!);
  const { offset: demandOffset, entries: demandCandidates } = transpose(candidateOffset, candidateDemands, demandCount);
  return {
    candidateCount: keep.length,
    demandCount,
    candidateOffset,
    candidateDemands,
    demandOffset,
    demandCandidates,
    candidateOf,
    dropped: { empty, duplicate, dominated: 0 },
  };
}

function equalRanges(a: Uint32Array, a0: number, a1: number, b0: number, b1: number): boolean {
  if (a1 - a0 !== b1 - b0) return false;
  for (let k = 0; k < a1 - a0; k++) if (a[a0 + k] !== a[b0 + k]) return false;
  return true;
}

/** The transpose of a CSR relation rows -> columns (ascending rows per column, as rows are visited in order). */
export function transpose(offset: Uint32Array, entries: Uint32Array, columns: number): { offset: Uint32Array; entries: Uint32Array } {
  const out = new Uint32Array(columns + 1);
  for (let k = 0; k < entries.length; k++) out[entries[k]! + 1]!++;
  for (let c = 0; c < columns; c++) out[c + 1]! += out[c]!;
  const cursor = out.slice(0, columns);
  const transposed = new Uint32Array(entries.length);
  for (let r = 0; r + 1 < offset.length; r++) {
    for (let k = offset[r]!, end = offset[r + 1]!; k < end; k++) transposed[cursor[entries[k]!]!++] = r;
  }
  return { offset: out, entries: transposed };
}

/** Bytes held by the sets and their transpose. */
export function coverageSetBytes(sets: CoverageSets): number {
  return sets.candidateOffset.byteLength + sets.candidateDemands.byteLength + sets.demandOffset.byteLength + sets.demandCandidates.byteLength + sets.candidateOf.byteLength;
}
