/**
 * Household coverage from one multi-source search must equal, per household,
 * the best point-to-point route to any center (routes walk FROM the household
 * TO the center, through one-way edges, with both access legs), on a seeded
 * synthetic network with centers that share edges with households.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom, syntheticNetwork, randomPoints } from '../../test/synthetic-graph.ts';
import { buildEdgeIndex } from '../routing/graph/edge-index.ts';
import { buildWalkGraph } from '../routing/graph/graph-builder.ts';
import { routeBetween } from '../routing/search/route.ts';
import { snapMany, snapToEdge } from '../routing/search/snap.ts';
import { householdCoverage, linkUnits, markUnitsWithin, maskSnaps } from './household-coverage.ts';

describe('householdCoverage', () => {
  const input = syntheticNetwork({ cols: 18, rows: 18, seed: 8, oneWayShare: 0.2 });
  const graph = buildWalkGraph(input);
  const index = buildEdgeIndex(graph);
  const random = seededRandom(17);
  const points = (n: number) => randomPoints(input, random, n);
  const c = points(5);
  const h = points(150);
  // Put some households on the centers' own edges, on both sides of them.
  for (let k = 0; k < 5; k++) {
    const at = snapToEdge(graph, index, c.lon[k]!, c.lat[k]!)!;
    const e = at.edge;
    // Points between the center's snap and each end of its edge: same edge, both sides.
    for (const node of [graph.edgeSource[e]!, graph.edgeTarget[e]!]) {
      h.lon.push(at.lon + 0.02 * (graph.nodeLon[node]! - at.lon));
      h.lat.push(at.lat + 0.02 * (graph.nodeLat[node]! - at.lat));
    }
  }
  const centers = snapMany(graph, index, c.lon, c.lat);
  const households = snapMany(graph, index, h.lon, h.lat);

  function check(centerSnaps: typeof centers) {
    const coverage = householdCoverage(graph, linkUnits(graph, households), centerSnaps);
    let sameEdge = 0;
    for (let i = 0; i < households.count; i++) {
      const from = { edge: households.edge[i]!, fraction: households.fraction[i]!, lon: 0, lat: 0, distanceM: households.distanceM[i]! };
      let best = Infinity;
      for (let k = 0; k < centerSnaps.count; k++) {
        if (centerSnaps.edge[k]! < 0) continue;
        if (centerSnaps.edge[k] === from.edge) sameEdge++;
        const to = { edge: centerSnaps.edge[k]!, fraction: centerSnaps.fraction[k]!, lon: 0, lat: 0, distanceM: centerSnaps.distanceM[k]! };
        const route = routeBetween(graph, from, to);
        if (route) best = Math.min(best, route.cost);
      }
      if (best === Infinity) {
        expect(coverage.seconds[i]).toBe(Infinity);
        expect(coverage.nearest[i]).toBe(-1);
      } else {
        expect(Math.abs(coverage.seconds[i]! - best), `household ${i}`).toBeLessThan(1e-3 * Math.max(1, best));
        expect(centerSnaps.edge[coverage.nearest[i]!]).toBeGreaterThanOrEqual(0);
      }
    }
    return sameEdge;
  }

  it('equals the best route from each household to any center', () => {
    expect(check(centers)).toBeGreaterThanOrEqual(10);
  });

  it('per kind: only the selected centers count', () => {
    check(maskSnaps(centers, (i) => i % 2 === 0));
  });

  it('markUnitsWithin marks exactly the units the full coverage puts within each limit', () => {
    const units = linkUnits(graph, households);
    const seconds = householdCoverage(graph, units, centers).seconds;
    // Small limits take the walk from the settled nodes, large ones the pass over all units.
    for (const limit of [60, 150, 300, 600, 3600]) {
      const within = new Uint8Array(units.count);
      markUnitsWithin(graph, units, centers, limit, within);
      let marked = 0;
      for (let i = 0; i < units.count; i++) {
        expect(within[i], `unit ${i} at ${seconds[i]} s, limit ${limit}`).toBe(seconds[i]! <= limit ? 1 : 0);
        marked += within[i]!;
      }
      if (limit === 300) expect(marked).toBeGreaterThan(10);
    }
  });
});
