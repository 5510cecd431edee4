/**
 * The walk network's connected pieces, and which of them a point may snap to.
 *
 * OSM data is full of walkway fragments: a 125 m footway beside a car park,
 * a plaza drawn without its link to the street, a clipped corner of the
 * extract. A point snapped onto one of them reaches only that fragment: its
 * isochrone is the fragment and no center is "reachable". Like Valhalla's
 * `minimum_reachability` and GraphHopper's subnetwork removal, points
 * (search origins, household units, centers, candidate sites) snap only to
 * edges of components with at least MIN_COMPONENT_M metres of walkable way;
 * the fragments stay in the graph and the tiles, nobody starts on them.
 *
 * Components are taken over walkable edges in either direction (weakly
 * connected): walkers' one-way rules are rare (`oneway:foot`) and a piece
 * one can enter but not leave is still part of the network one lives on.
 * When no component reaches the threshold (a data set that is only a
 * fragment, such as a test's few streets), every walkable edge is usable.
 */
import type { WalkGraph } from './walk-graph.ts';

/**
 * Smallest walkable length of a component origins may snap to, metres: a
 * 15-minute walk at the default 4 km/h. A piece shorter than that cannot hold
 * a 15-minute circle and is, in practice, a mapping gap (Monaco's largest
 * fragment is a few hundred metres); a real neighbourhood's network is
 * kilometres long even when its link to the rest is missing.
 */
export const MIN_COMPONENT_M = 1000;

export interface WalkComponents {
  /** Component of each node (0 .. count-1, largest first by length); -1 for a node on no walkable edge. */
  nodeComponent: Int32Array;
  /** Walkable metres and nodes per component, largest first. */
  lengthM: Float64Array;
  nodes: Uint32Array;
  count: number;
  /** 1 where an edge is walkable and lies on a usable component: the edges snapping may use. */
  usableEdge: Uint8Array;
  /** The threshold applied, metres; 0 when the whole data set is below it and every piece is usable. */
  minLengthM: number;
  /** Components and walkable metres left out of snapping. */
  fragments: number;
  fragmentLengthM: number;
}

/** True when walkers may use edge e in some direction. */
export function isWalkable(graph: WalkGraph, e: number): boolean {
  return graph.edgeCost[e]! >= 0 || graph.edgeReverseCost[e]! >= 0;
}

/** Every walkable edge marked 1, fragments included (snapping as it was before components). */
export function walkableEdges(graph: WalkGraph): Uint8Array {
  const mask = new Uint8Array(graph.edgeCount);
  for (let e = 0; e < graph.edgeCount; e++) if (isWalkable(graph, e)) mask[e] = 1;
  return mask;
}

/** Union-find root with path halving. */
function root(parent: Int32Array, n: number): number {
  while (parent[n] !== n) {
    parent[n] = parent[parent[n]!]!;
    n = parent[n]!;
  }
  return n;
}

/** The graph's components and the usable-edge mask for `minLengthM` (default MIN_COMPONENT_M). */
export function walkComponents(graph: WalkGraph, minLengthM = MIN_COMPONENT_M): WalkComponents {
  const n = graph.nodeCount;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const onWalkable = new Uint8Array(n);
  for (let e = 0; e < graph.edgeCount; e++) {
    if (!isWalkable(graph, e)) continue;
    const a = graph.edgeSource[e]!;
    const b = graph.edgeTarget[e]!;
    onWalkable[a] = 1;
    onWalkable[b] = 1;
    const ra = root(parent, a);
    const rb = root(parent, b);
    if (ra !== rb) parent[ra < rb ? rb : ra] = ra < rb ? ra : rb;
  }

  // Number the roots, then sum length and nodes per root.
  const rootIndex = new Int32Array(n).fill(-1);
  let roots = 0;
  for (let i = 0; i < n; i++) if (onWalkable[i] && root(parent, i) === i) rootIndex[i] = roots++;
  const length = new Float64Array(roots);
  const nodeCount = new Uint32Array(roots);
  for (let i = 0; i < n; i++) if (onWalkable[i]) nodeCount[rootIndex[root(parent, i)]!]!++;
  for (let e = 0; e < graph.edgeCount; e++) {
    if (isWalkable(graph, e)) length[rootIndex[root(parent, graph.edgeSource[e]!)]!]! += graph.edgeLengthM[e]!;
  }

  // Largest first (ties by first node), so component 0 is the main network.
  const order = Array.from({ length: roots }, (_, i) => i).sort((a, b) => length[b]! - length[a]! || a - b);
  const rank = new Int32Array(roots);
  order.forEach((r, i) => (rank[r] = i));
  const nodeComponent = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) if (onWalkable[i]) nodeComponent[i] = rank[rootIndex[root(parent, i)]!]!;
  const lengthM = new Float64Array(roots);
  const nodes = new Uint32Array(roots);
  order.forEach((r, i) => {
    lengthM[i] = length[r]!;
    nodes[i] = nodeCount[r]!;
  });

  // A data set that is only fragments: every piece is usable.
  const applied = roots > 0 && lengthM[0]! >= minLengthM ? minLengthM : 0;
  const usableEdge = new Uint8Array(graph.edgeCount);
  for (let e = 0; e < graph.edgeCount; e++) {
    if (isWalkable(graph, e) && lengthM[nodeComponent[graph.edgeSource[e]!]!]! >= applied) usableEdge[e] = 1;
  }
  let fragments = 0;
  let fragmentLengthM = 0;
  for (let c = 0; c < roots; c++) {
    if (lengthM[c]! < applied) {
      fragments++;
      fragmentLengthM += lengthM[c]!;
    }
  }
  return { nodeComponent, lengthM, nodes, count: roots, usableEdge, minLengthM: applied, fragments, fragmentLengthM };
}
