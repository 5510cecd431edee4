/**
 * Routing on the demo city (Putian-like, ~85k edges, ~100k household units,
 * river with few bridges), in memory from the generated bundle:
 *   - coverage of every unit equals its best route to any center (seeded sample);
 *   - the multi-source search equals the minimum of single-source searches
 *     from each center of a seeded sample of centers;
 *   - node routes equal ngraph.path on seeded pairs;
 *   - some units really are outside the 15-minute circle, most are inside.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemoCity } from '../data-pipeline/demo-city/generate-demo-city.ts';
import type { ImportBundle } from '../kernel/import-bundle.ts';
import { householdCoverage, linkUnits } from '../server/coverage/household-coverage.ts';
import { buildEdgeIndex } from '../server/routing/graph/edge-index.ts';
import { buildWalkGraph, inputFromNetwork } from '../server/routing/graph/graph-builder.ts';
import { multiSourceSearch } from '../server/routing/search/multi-source-search.ts';
import { buildTargetSet, routeToNearest } from '../server/routing/search/route.ts';
import { snapMany, type SnapColumns } from '../server/routing/search/snap.ts';
import type { WalkGraph } from '../server/routing/graph/walk-graph.ts';
import { expectRoutesMatchReference, seededNodePairs } from './reference-routes.ts';
import { seededRandom } from './synthetic-graph.ts';

describe('routing on the demo city', () => {
  let bundle: ImportBundle;
  let graph: WalkGraph;
  let units: SnapColumns;
  let centers: SnapColumns;

  beforeAll(async () => {
    bundle = generateDemoCity();
    graph = buildWalkGraph(inputFromNetwork(bundle.network, 'demo'));
    const index = buildEdgeIndex(graph);
    units = snapMany(graph, index, bundle.households.lon, bundle.households.lat);
    centers = snapMany(graph, index, bundle.centers.map((c) => c.lon), bundle.centers.map((c) => c.lat));
  }, 120_000);

  const snapOf = (s: SnapColumns, i: number) => ({ edge: s.edge[i]!, fraction: s.fraction[i]!, lon: 0, lat: 0, distanceM: s.distanceM[i]! });

  it('covers each unit with its best route to any center; some units are outside 15 minutes', () => {
    const coverage = householdCoverage(graph, linkUnits(graph, units), centers);
    const targets = buildTargetSet(centers);
    const random = seededRandom(31);
    for (let k = 0; k < 60; k++) {
      const i = Math.floor(random() * units.count);
      if (units.edge[i]! < 0) continue;
      const route = routeToNearest(graph, snapOf(units, i), targets);
      if (!route) expect(coverage.seconds[i]).toBe(Infinity);
      else expect(Math.abs(coverage.seconds[i]! - route.cost), `unit ${i}`).toBeLessThan(0.01);
    }
    let households = 0;
    let within = 0;
    for (let i = 0; i < units.count; i++) {
      households += bundle.households.households[i]!;
      if (coverage.seconds[i]! <= 900) within += bundle.households.households[i]!;
    }
    console.info(`demo city: ${((100 * within) / households).toFixed(1)}% of households within 15 minutes of a center`);
    expect(within / households).toBeGreaterThan(0.5);
    expect(within).toBeLessThan(households);
  }, 60_000);

  it('multi-source equals the minimum of single-source searches (seeded sample of centers)', () => {
    const random = seededRandom(32);
    const sample = Array.from({ length: 12 }, () => Math.floor(random() * centers.count));
    const pick: SnapColumns = {
      count: sample.length,
      edge: Int32Array.from(sample, (c) => centers.edge[c]!),
      fraction: Float64Array.from(sample, (c) => centers.fraction[c]!),
      distanceM: Float32Array.from(sample, (c) => centers.distanceM[c]!),
    };
    const all = multiSourceSearch(graph, pick);
    const minimum = new Float64Array(graph.nodeCount).fill(Infinity);
    for (let s = 0; s < pick.count; s++) {
      const one = { count: 1, edge: pick.edge.subarray(s, s + 1), fraction: pick.fraction.subarray(s, s + 1), distanceM: pick.distanceM.subarray(s, s + 1) };
      const single = multiSourceSearch(graph, one).time;
      for (let v = 0; v < graph.nodeCount; v++) if (single[v]! < minimum[v]!) minimum[v] = single[v]!;
    }
    for (let v = 0; v < graph.nodeCount; v += 7) {
      if (minimum[v] === Infinity) expect(all.time[v]).toBe(Infinity);
      else expect(Math.abs(all.time[v]! - minimum[v]!)).toBeLessThan(1e-6);
    }
  }, 60_000);

  it('node routes equal ngraph.path on seeded pairs', () => {
    const compared = expectRoutesMatchReference(graph, seededNodePairs(graph, 6, seededRandom(33)), 0.01);
    expect(compared).toBeGreaterThan(2);
  }, 120_000);
});
