/**
 * The bounded search against a naive Dijkstra (array scan, no heap) on seeded
 * synthetic networks, and the snapped-point start against the same network
 * with the snapped edge really split and the access leg added as an edge.
 * The bucket-queue search against the same naive Dijkstra from many seeds,
 * on a network of arcs shorter than a bucket (so nodes are visited again).
 */
import { describe, expect, it } from 'vitest';
import { seededRandom, syntheticNetwork, randomPointIn } from '../../../test/synthetic-graph.ts';
import { runBucketSearch, runSearch, searchFromNode, seedFromSnap } from './bounded-search.ts';
import { buildEdgeIndex } from '../graph/edge-index.ts';
import { buildWalkGraph, type WalkGraphInput } from '../graph/graph-builder.ts';
import { accessCost } from './partial-edge.ts';
import { withState } from './search-state.ts';
import { snapToEdge } from './snap.ts';

/** O(n^2) Dijkstra over the input's edge list: obviously right, slow. */
function naiveTimes(input: WalkGraphInput, from: number, limit: number, seeds: [node: number, time: number][] = [[from, 0]], reverse = false): Float64Array {
  const n = input.nodeCount;
  const dist = new Float64Array(n).fill(Infinity);
  const done = new Uint8Array(n);
  for (const [node, time] of seeds) dist[node] = Math.min(dist[node]!, time);
  for (;;) {
    let u = -1;
    for (let i = 0; i < n; i++) if (!done[i] && dist[i]! < Infinity && (u < 0 || dist[i]! < dist[u]!)) u = i;
    if (u < 0 || dist[u]! > limit) break;
    done[u] = 1;
    for (let e = 0; e < input.edgeCount; e++) {
      const s = input.source[e]!;
      const t = input.target[e]!;
      const forward = reverse ? input.reverseCost[e]! : input.cost[e]!;
      const backward = reverse ? input.cost[e]! : input.reverseCost[e]!;
      if (s === u && forward >= 0) dist[t] = Math.min(dist[t]!, dist[u]! + forward);
      if (t === u && backward >= 0) dist[s] = Math.min(dist[s]!, dist[u]! + backward);
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

describe('bucket-queue search', () => {
  // 6 m between nodes: arcs of about 4 s in buckets 10 s wide, so a node is often
  // visited before a neighbour in its own bucket lowers its time.
  const input = syntheticNetwork({ cols: 24, rows: 18, seed: 31, spacingM: 6, oneWayShare: 0.2 });
  const graph = buildWalkGraph(input);
  const random = seededRandom(5);

  function bucketSearch(seeds: [number, number][], limit: number, direction: 'from' | 'to') {
    return withState(graph, (state) => {
      seeds.forEach(([node, time], k) => state.seed(node, time, k));
      runBucketSearch(graph, state, limit, direction);
      const times = new Float64Array(graph.nodeCount).fill(Infinity);
      const listed = state.order.slice(0, state.settledCount);
      for (const v of listed) times[v] = state.dist[v]!;
      // Every reached node is listed once, bucket by bucket.
      expect(new Set(listed).size).toBe(listed.length);
      for (let k = 1; k < listed.length; k++) expect(Math.floor(times[listed[k]!]! / 10)).toBeGreaterThanOrEqual(Math.floor(times[listed[k - 1]!]! / 10));
      // Each node's arc and source lead back to a seed along times that add up.
      for (const v of listed) {
        const a = state.predArc[v]!;
        if (a < 0) continue;
        const e = graph.arcEdge[a]! & 0x7fffffff;
        const u = graph.edgeSource[e] === graph.arcTarget[a] ? graph.edgeTarget[e]! : graph.edgeSource[e]!;
        const cost = direction === 'from' ? graph.arcCost[a]! : graph.arcReverseCost[a]!;
        expect(Math.abs(state.dist[u]! + cost - state.dist[v]!)).toBeLessThan(1e-6);
        expect(state.source[v]).toBe(state.source[u]);
      }
      return times;
    });
  }

  it('equals a naive Dijkstra from many seeds at once, both ways, at several limits', () => {
    let reached = 0;
    for (let round = 0; round < 12; round++) {
      const seeds: [number, number][] = Array.from({ length: 1 + (round % 6) }, () => [Math.floor(random() * graph.nodeCount), random() * 20]);
      const limit = [15, 60, 240][round % 3]!;
      for (const direction of ['from', 'to'] as const) {
        const times = bucketSearch(seeds, limit, direction);
        expectSameTimes(times, naiveTimes(input, -1, limit, seeds, direction === 'to'), 1e-4); // the graph holds costs as float32
        reached += times.filter((t) => t < Infinity).length;
      }
    }
    expect(reached).toBeGreaterThan(2000);
  });

  it('gives the heap search\'s times and reached nodes on a snapped start', () => {
    const index = buildEdgeIndex(graph);
    let compared = 0;
    for (let k = 0; k < 20; k++) {
      const [lon, lat] = randomPointIn(input, random);
      const snap = snapToEdge(graph, index, lon, lat, 100);
      if (!snap) continue;
      const run = (search: typeof runSearch) =>
        withState(graph, (state) => {
          seedFromSnap(graph, state, snap, 0, 'to');
          search(graph, state, 120, 'to');
          const times = new Float64Array(graph.nodeCount).fill(Infinity);
          for (let i = 0; i < state.settledCount; i++) times[state.order[i]!] = state.dist[state.order[i]!]!;
          return times;
        });
      expectSameTimes(run(runBucketSearch), run(runSearch), 1e-9);
      compared++;
    }
    expect(compared).toBeGreaterThan(15);
  });

  it('needs a finite limit', () => {
    expect(() => withState(graph, (state) => runBucketSearch(graph, state, Infinity))).toThrow(/finite limit/);
  });
});
