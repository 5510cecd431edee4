/**
 * Reference shortest paths for tests: ngraph.path (A* over an object-per-node
 * graph, an independent implementation) on the same directed costs as our
 * CSR graph.
 */
import createGraph, { type Graph } from 'ngraph.graph';
import ngraphPath, { type PathFinder } from 'ngraph.path';
import { expect } from 'vitest';
import { routeBetween } from '../server/routing/search/route.ts';
import { snapAtNode } from '../server/routing/search/snap.ts';
import type { WalkGraph } from '../server/routing/graph/walk-graph.ts';

/** The object graph and its finder, built once per graph. */
const references = new WeakMap<WalkGraph, { g: Graph<unknown, number>; finder: PathFinder<unknown> }>();

/** ngraph.path's time from node `from` to node `to` (graph units); Infinity when unreachable. */
export function referenceTime(graph: WalkGraph, from: number, to: number): number {
  let reference = references.get(graph);
  if (!reference) {
    const g = createGraph<unknown, number>({ multigraph: true });
    for (let e = 0; e < graph.edgeCount; e++) {
      if (graph.edgeCost[e]! >= 0) g.addLink(graph.edgeSource[e]!, graph.edgeTarget[e]!, graph.edgeCost[e]!);
      if (graph.edgeReverseCost[e]! >= 0) g.addLink(graph.edgeTarget[e]!, graph.edgeSource[e]!, graph.edgeReverseCost[e]!);
    }
    const finder = ngraphPath.aStar(g, { oriented: true, distance: (_a, _b, link) => link.data });
    references.set(graph, (reference = { g, finder }));
  }
  const { g, finder } = reference;
  const nodes = finder.find(from, to).reverse();
  if (nodes.length === 0) return from === to ? 0 : Infinity;
  // The path is a node list: take the cheapest allowed link between consecutive nodes.
  let total = 0;
  for (let i = 1; i < nodes.length; i++) {
    let best = Infinity;
    g.forEachLinkedNode(
      nodes[i - 1]!.id,
      (other, link) => {
        if (other.id === nodes[i]!.id && link.fromId === nodes[i - 1]!.id) best = Math.min(best, link.data);
      },
      true,
    );
    total += best;
  }
  return total;
}

/**
 * Routes each node pair with routeBetween and checks it against ngraph.path:
 * no route where the reference finds none, otherwise the same time within
 * `tolerance` seconds. Returns how many pairs had a route to compare.
 */
export function expectRoutesMatchReference(graph: WalkGraph, pairs: readonly [number, number][], tolerance: number): number {
  let compared = 0;
  for (const [a, b] of pairs) {
    const from = snapAtNode(graph, a);
    const to = snapAtNode(graph, b);
    if (!from || !to) continue;
    const expected = referenceTime(graph, a, b);
    const route = routeBetween(graph, from, to);
    if (expected === Infinity) {
      expect(route, `${a} -> ${b}`).toBeNull();
      continue;
    }
    compared++;
    expect(Math.abs(route!.cost - expected), `${a} -> ${b}`).toBeLessThan(tolerance);
  }
  return compared;
}

/** `count` seeded random node pairs. */
export function seededNodePairs(graph: WalkGraph, count: number, random: () => number): [number, number][] {
  return Array.from({ length: count }, () => [Math.floor(random() * graph.nodeCount), Math.floor(random() * graph.nodeCount)]);
}
