/**
 * Seeded instances for the suggestion tests (used by the *.test.ts files of
 * this folder only): a synthetic walk network with household units and a
 * few fixed centers, candidate points, what householdCoverage says a set of
 * added sites covers (the reference every coverage set is checked against),
 * brute force over all k-subsets, and random set systems.
 */
import { randomPointIn, randomPoints, seededRandom, syntheticNetwork, type SyntheticOptions } from '../../../test/synthetic-graph.ts';
import { householdCoverage, linkUnits, type LinkedUnits } from '../../coverage/household-coverage.ts';
import { buildEdgeIndex, type EdgeIndex } from '../../routing/graph/edge-index.ts';
import { buildWalkGraph } from '../../routing/graph/graph-builder.ts';
import type { WalkGraph } from '../../routing/graph/walk-graph.ts';
import { snapMany, type SnapColumns } from '../../routing/search/snap.ts';
import { compactSets, type CoverageSets } from './coverage-sets.ts';
import { coveredWeight } from './coverage-tracker.ts';
import type { CandidatePoints } from './suggest-options.ts';
import type { SuggestNetwork } from './suggest-sites.ts';
import type { SuggestResult } from './suggest-result.ts';

export interface SuggestCase {
  graph: WalkGraph;
  index: EdgeIndex;
  units: LinkedUnits;
  network: SuggestNetwork;
  centers: SnapColumns;
  /** [minLon, minLat, maxLon, maxLat] of the network. */
  bounds: [number, number, number, number];
}

export interface CaseOptions extends Partial<SyntheticOptions> {
  households?: number;
  centers?: number;
}

/** A seeded network with household units (some persons unknown) and a few centers. */
export function syntheticCase(options: CaseOptions = {}): SuggestCase {
  const seed = options.seed ?? 1;
  const input = syntheticNetwork({ cols: options.cols ?? 16, rows: options.rows ?? 16, seed, oneWayShare: options.oneWayShare ?? 0.15, ...options });
  const graph = buildWalkGraph(input);
  const index = buildEdgeIndex(graph);
  const random = seededRandom(seed * 31 + 7);
  const n = options.households ?? 300;
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  const households = new Int32Array(n);
  const persons = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    [lon[i], lat[i]] = randomPointIn(input, random);
    if (i % 4 === 3) {
      // A quarter of the units stand on a street (no access leg), so times fall right at node times too.
      const e = Math.floor(random() * graph.edgeCount);
      const k = graph.geomOffset[e]!;
      const t = random();
      lon[i] = graph.coords[2 * k]! + t * (graph.coords[2 * k + 2]! - graph.coords[2 * k]!);
      lat[i] = graph.coords[2 * k + 1]! + t * (graph.coords[2 * k + 3]! - graph.coords[2 * k + 1]!);
    }
    households[i] = 1 + Math.floor(random() * 30);
    persons[i] = random() < 0.2 ? -1 : households[i]! * (1 + Math.floor(random() * 4));
  }
  const m = options.centers ?? 2;
  const c = randomPoints(input, random, m);
  const units = linkUnits(graph, snapMany(graph, index, lon, lat));
  const centers = snapMany(graph, index, c.lon, c.lat);
  return { graph, index, units, network: { graph, index, units, counts: { households, persons } }, centers, bounds: graph.bounds };
}

/** Seeded candidate points in the network's extent; every third one on a household unit's own edge. */
export function randomCandidates(c: SuggestCase, count: number, seed: number): CandidatePoints {
  const random = seededRandom(seed);
  const [x0, y0, x1, y1] = c.bounds;
  const { geomOffset, coords } = c.graph;
  const lon = new Float64Array(count);
  const lat = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const e = c.units.snaps.edge[Math.floor(random() * c.units.count)]!;
    if (i % 3 === 2 && e >= 0) {
      // A point of the edge's own geometry, so the straight along-the-edge case is exercised.
      const k = geomOffset[e]! + Math.floor(random() * (geomOffset[e + 1]! - geomOffset[e]! - 1));
      const t = random();
      lon[i] = coords[2 * k]! + t * (coords[2 * k + 2]! - coords[2 * k]!);
      lat[i] = coords[2 * k + 1]! + t * (coords[2 * k + 3]! - coords[2 * k + 1]!);
    } else {
      lon[i] = x0 + random() * (x1 - x0);
      lat[i] = y0 + random() * (y1 - y0);
    }
  }
  return { lon, lat };
}

/** `centers` followed by `extra`, as one set of snaps. */
export function joinSnaps(centers: SnapColumns, extra: SnapColumns): SnapColumns {
  const count = centers.count + extra.count;
  const edge = new Int32Array(count);
  const fraction = new Float64Array(count);
  const distanceM = new Float32Array(count);
  edge.set(centers.edge);
  edge.set(extra.edge, centers.count);
  fraction.set(centers.fraction);
  fraction.set(extra.fraction, centers.count);
  distanceM.set(centers.distanceM);
  distanceM.set(extra.distanceM, centers.count);
  return { count, edge, fraction, distanceM };
}

/** Units (indices) within `threshold` with `extra` added to the fixed centers that were not before. */
export function newlyCovered(c: SuggestCase, extra: SnapColumns, threshold: number): number[] {
  const before = householdCoverage(c.graph, c.units, c.centers).seconds;
  const after = householdCoverage(c.graph, c.units, joinSnaps(c.centers, extra)).seconds;
  const out: number[] = [];
  for (let i = 0; i < c.units.count; i++) if (after[i]! <= threshold && !(before[i]! <= threshold)) out.push(i);
  return out;
}

/** The best covered weight of any k rows (brute force over all k-subsets). */
export function bruteForce(sets: CoverageSets, weight: Float64Array, k: number): number {
  let best = 0;
  const pick: number[] = [];
  const walk = (from: number) => {
    if (pick.length === k || from === sets.candidateCount) {
      best = Math.max(best, coveredWeight(sets, weight, pick));
      return;
    }
    for (let c = from; c < sets.candidateCount; c++) {
      pick.push(c);
      walk(c + 1);
      pick.pop();
    }
  };
  walk(0);
  return best;
}

/** A random set system: `candidates` sets over `demand` units with whole weights (compacted like real sets). */
export function randomSets(seed: number, candidates: number, demand: number, density: number): { sets: CoverageSets; weight: Float64Array } {
  const random = seededRandom(seed);
  const weight = new Float64Array(demand);
  for (let d = 0; d < demand; d++) weight[d] = random() < 0.1 ? 0 : 1 + Math.floor(random() * 20);
  const offsets = new Uint32Array(candidates + 1);
  const entries: number[] = [];
  for (let c = 0; c < candidates; c++) {
    for (let d = 0; d < demand; d++) if (random() < density) entries.push(d);
    offsets[c + 1] = entries.length;
  }
  return { sets: compactSets(demand, offsets, Uint32Array.from(entries)), weight };
}

/** A result without its timings (which differ from run to run). */
export function withoutTimings(result: SuggestResult): Omit<SuggestResult, 'timings' | 'solver'> & { solver: Omit<SuggestResult['solver'], 'exact'> } {
  const { timings, solver, ...rest } = result;
  void timings;
  const { exact, ...solverRest } = solver;
  void exact;
  return { ...rest, solver: solverRest };
}
