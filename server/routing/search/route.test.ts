/**
 * Point-to-point routes against ngraph.path (A* over an object graph, as a
 * reference) on seeded node pairs, and snapped-point routes against the
 * bounded search's times, plus the line's shape (starts and ends at the
 * points, follows the edges).
 */
import { describe, expect, it } from 'vitest';
import { expectRoutesMatchReference, seededNodePairs } from '../../../test/reference-routes.ts';
import { seededRandom, syntheticNetwork, randomPointIn } from '../../../test/synthetic-graph.ts';
import { runSearch, searchFromNode, seedFromSnap } from './bounded-search.ts';
import { buildEdgeIndex } from '../graph/edge-index.ts';
import { buildWalkGraph } from '../graph/graph-builder.ts';
import { accessCost, costFromSource, costFromTarget, alongEdgeCost } from './partial-edge.ts';
import { buildTargetSet, routeBetween, routeLine, lineLengthM, routesToNearestOfEach, routeToNearest } from './route.ts';
import { withState } from './search-state.ts';
import { snapAtNode, snapMany, snapToEdge } from './snap.ts';

describe('routes', () => {
  const input = syntheticNetwork({ cols: 20, rows: 20, seed: 42, oneWayShare: 0.12 });
  const graph = buildWalkGraph(input);
  const index = buildEdgeIndex(graph);

  it('node to node equals ngraph.path on seeded pairs', () => {
    const compared = expectRoutesMatchReference(graph, seededNodePairs(graph, 40, seededRandom(1)), 1e-3);
    expect(compared).toBeGreaterThan(25);
  });

  it('snapped point to snapped point equals the bounded search time at the target', () => {
    const random = seededRandom(2);
    for (let k = 0; k < 40; k++) {
      const p = randomPointIn(input, random);
      const q = randomPointIn(input, random);
      const from = snapToEdge(graph, index, p[0], p[1])!;
      const to = snapToEdge(graph, index, q[0], q[1])!;
      // Reference: the tree from `from`, then the last partial edge and access leg (or directly along one edge).
      const expected = withState(graph, (state) => {
        seedFromSnap(graph, state, from, 0);
        runSearch(graph, state, Infinity);
        const e = to.edge;
        let best = Infinity;
        const viaSource = costFromSource(graph, e, to.fraction);
        const viaTarget = costFromTarget(graph, e, to.fraction);
        if (viaSource >= 0) best = Math.min(best, state.time(graph.edgeSource[e]!) + viaSource);
        if (viaTarget >= 0) best = Math.min(best, state.time(graph.edgeTarget[e]!) + viaTarget);
        if (from.edge === e) {
          const direct = alongEdgeCost(graph, e, from.fraction, to.fraction);
          if (direct >= 0) best = Math.min(best, accessCost(from.distanceM) + direct);
        }
        return best + accessCost(to.distanceM);
      });
      const route = routeBetween(graph, from, to);
      if (expected === Infinity) {
        expect(route).toBeNull();
        continue;
      }
      // Same sums in another order: equal up to rounding.
      expect(Math.abs(route!.cost - expected)).toBeLessThan(1e-4);
      const line = routeLine(graph, p, from, route!, q, to);
      expect(line[0]).toEqual(p);
      expect(line[line.length - 1]).toEqual(q);
      // Walking the line at the default speed takes about the route's time (steps are slower: never less).
      expect(lineLengthM(line) / (4 / 3.6)).toBeLessThanOrEqual(route!.cost * 1.01 + 0.5);
    }
  });

  it('joins two points on the same edge directly, respecting one-way edges', () => {
    const e = Array.from({ length: graph.edgeCount }, (_, i) => i).find((i) => graph.edgeReverseCost[i]! < 0 && graph.edgeCost[i]! > 0)!;
    const at = (fraction: number) => ({ edge: e, fraction, lon: 0, lat: 0, distanceM: 0 });
    const forward = routeBetween(graph, at(0.2), at(0.7))!;
    expect(forward.firstNode).toBe(-1);
    expect(forward.cost).toBeCloseTo(graph.edgeCost[e]! * 0.5, 3);
    // Backwards along a one-way edge: around the block, never directly.
    const backward = routeBetween(graph, at(0.7), at(0.2));
    if (backward) expect(backward.firstNode).not.toBe(-1);
  });

  it('node searches agree with node routes', () => {
    const times = searchFromNode(graph, 10, Infinity);
    for (let b = 0; b < graph.nodeCount; b += 37) {
      const to = snapAtNode(graph, b);
      if (!to) continue; // a node all of whose edges were dropped
      const route = routeBetween(graph, snapAtNode(graph, 10)!, to);
      if (times[b] === Infinity) expect(route).toBeNull();
      else expect(route!.cost).toBeCloseTo(times[b]!, 6);
    }
  });

  it('finds the nearest target of every group in one search, as one search per group does', () => {
    const random = seededRandom(3);
    const groups = 5;
    const points = Array.from({ length: 60 }, () => randomPointIn(input, random));
    const snaps = snapMany(graph, index, points.map((p) => p[0]), points.map((p) => p[1]));
    // Group 4 is one target only, far from most origins; some targets belong to no group (-1).
    const groupOf = Int32Array.from(points, (_, i) => (i === 0 ? 4 : i % 7 === 6 ? -1 : i % 4));
    const all = buildTargetSet(snaps, (i) => groupOf[i]! >= 0);
    const byGroup = Array.from({ length: groups }, (_, g) => buildTargetSet(snaps, (i) => groupOf[i] === g));
    let compared = 0;
    for (let k = 0; k < 30; k++) {
      const p = randomPointIn(input, random);
      const origin = snapToEdge(graph, index, p[0], p[1])!;
      // A limit that leaves some groups out of reach from some origins.
      const limit = k % 3 === 0 ? 300 : Infinity;
      const together = routesToNearestOfEach(graph, origin, all, groupOf, groups, limit);
      for (let g = 0; g < groups; g++) {
        expect(together[g], `origin ${k} group ${g}`).toEqual(routeToNearest(graph, origin, byGroup[g]!, limit));
        if (together[g]) compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});
