/**
 * The bounded search against a naive Dijkstra (array scan, no heap) on seeded
 * synthetic networks, and the snapped-point start against the same network
 * with the snapped edge really split and the access leg added as an edge.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom, syntheticNetwork, randomPointIn } from '../../../test/synthetic-graph.ts';
import { runSearch, searchFromNode, seedFromSnap } from './bounded-search.ts';
import { buildEdgeIndex } from '../graph/edge-index.ts';
import { buildWalkGraph, type WalkGraphInput } from '../graph/graph-builder.ts';
import { accessCost } from './partial-edge.ts';
import { withState } from './search-state.ts';
import { snapToEdge } from './snap.ts';

/** O(n^2) Dijkstra over the input's edge list: obviously right, slow. */
function naiveTimes(input: WalkGraphInput, from: number, limit: number): Float64Array {
  const n = input.nodeCount;
  const dist = new Float64Array(n).fill(Infinity);
  const done = new Uint8Array(n);
  dist[from] = 0;
  for (;;) {
    let u = -1;
    for (let i = 0; i < n; i++) if (!done[i] && dist[i]! < Infinity && (u < 0 || dist[i]! < dist[u]!)) u = i;
    if (u < 0 || dist[u]! > limit) break;
    done[u] = 1;
    for (let e = 0; e < input.edgeCount; e++) {
      const s = input.source[e]!;
      const t = input.target[e]!;
      if (s === u && input.cost[e]! >= 0) dist[t] = Math.min(dist[t]!, dist[u]! + input.cost[e]!);
      if (t === u && input.reverseCost[e]! >= 0) dist[s] = Math.min(dist[s]!, dist[u]! + input.reverseCost[e]!);
    }
  }
  for (let i = 0; i < n; i++) if (dist[i]! > limit) dist[i] = Infinity;
  return dist;
}

function expectSameTimes(actual: Float64Array, expected: Float64Array, tolerance = 1e-3) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const b = expected[i]!;
    if (a === Infinity || b === Infinity) expect([i, a]).toEqual([i, b]);
    else expect(Math.abs(a - b), `node ${i}: ${a} vs ${b}`).toBeLessThan(tolerance);
  }
}

describe('bounded search', () => {
  const input = syntheticNetwork({ cols: 20, rows: 15, seed: 7, oneWayShare: 0.15 });
  const graph = buildWalkGraph(input);

  it('equals a naive Dijkstra from every tenth node, with and without a limit', () => {
    for (let node = 0; node < graph.nodeCount; node += 10) {
      for (const limit of [Infinity, 300]) {
        expectSameTimes(searchFromNode(graph, node, limit), naiveTimes(input, node, limit));
      }
    }
  });

  it('in reverse gives the times TO the node (one-way edges differ)', () => {
    const to = 137;
    const reverse = searchFromNode(graph, to, Infinity, 'to');
    for (let node = 0; node < graph.nodeCount; node += 7) {
      const forward = naiveTimes(input, node, Infinity)[to]!;
      if (forward === Infinity) expect(reverse[node]).toBe(Infinity);
      else expect(Math.abs(reverse[node]! - forward)).toBeLessThan(1e-3);
    }
  });

  it('starts at a snapped point like a network with that edge split and the access leg added', () => {
    const index = buildEdgeIndex(graph);
    const random = seededRandom(11);
    let checked = 0;
    for (let k = 0; k < 25; k++) {
      const [lon, lat] = randomPointIn(input, random);
      const snap = snapToEdge(graph, index, lon, lat, 500);
      if (!snap) continue;
      checked++;
      // The split network: edge e becomes source -> mid and mid -> target; the point joins mid.
      const e = snap.edge;
      const n = input.nodeCount;
      const mid = n;
      const point = n + 1;
      const f = snap.fraction;
      const c = input.cost[e]!;
      const rc = input.reverseCost[e]!;
      const split: WalkGraphInput = {
        ...input,
        nodeCount: n + 2,
        nodeLon: [...Array.from(input.nodeLon), snap.lon, lon],
        nodeLat: [...Array.from(input.nodeLat), snap.lat, lat],
        edgeCount: input.edgeCount + 3,
        source: [...Array.from(input.source), input.source[e]!, mid, point],
        target: [...Array.from(input.target), mid, input.target[e]!, mid],
        cost: [...Array.from(input.cost).map((v, i) => (i === e ? -1 : v)), c < 0 ? -1 : c * f, c < 0 ? -1 : c * (1 - f), accessCost(snap.distanceM)],
        reverseCost: [...Array.from(input.reverseCost).map((v, i) => (i === e ? -1 : v)), rc < 0 ? -1 : rc * f, rc < 0 ? -1 : rc * (1 - f), -1],
        lengthM: [...Array.from(input.lengthM), 0, 0, 0],
        geomOffset: [...Array.from(input.geomOffset), input.geomOffset[input.edgeCount]! + 2, input.geomOffset[input.edgeCount]! + 4, input.geomOffset[input.edgeCount]! + 6],
        coords: [...Array.from(input.coords), input.nodeLon[input.source[e]!]!, input.nodeLat[input.source[e]!]!, snap.lon, snap.lat, snap.lon, snap.lat, input.nodeLon[input.target[e]!]!, input.nodeLat[input.target[e]!]!, lon, lat, snap.lon, snap.lat],
      };
      const expected = naiveTimes(split, point, 400).subarray(0, n);
      const actual = withState(graph, (state) => {
        seedFromSnap(graph, state, snap, 0, 'from');
        runSearch(graph, state, 400);
        const out = new Float64Array(n).fill(Infinity);
        for (let i = 0; i < state.settledCount; i++) out[state.order[i]!] = state.dist[state.order[i]!]!;
        return out;
      });
      expectSameTimes(actual, expected);
    }
    expect(checked).toBeGreaterThan(15);
  });
});
