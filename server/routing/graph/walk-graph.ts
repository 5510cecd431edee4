/**
 * The in-memory walk graph: compressed sparse rows over typed arrays, built
 * from walk_edges. Edges are the rows of walk_edges and carry the geometry.
 * Arcs are edge ends: every walkable edge gives two arcs, one leaving each of
 * its end nodes, and each arc carries the cost both ways along it
 * (`arcCost` leaving, `arcReverseCost` arriving), negative where walkers may
 * not go. Keeping both ends of one-way edges lets the same CSR serve forward
 * searches (from a point) and reverse searches (the time TO the nearest
 * center) without a second, transposed copy of the graph. Costs are seconds
 * at the default speed (walk-speed.ts); a search at another speed scales them.
 *
 * Memory per arc: arcTarget 4 + arcCost 4 + arcReverseCost 4 + arcEdge 4 = 16
 * bytes, plus per edge (shared by its two arcs) 29 bytes and per node 24
 * bytes, plus 16 bytes per geometry vertex.
 */
export interface WalkGraph {
  /** The data version this graph was built from (snapshot key). */
  version: string;
  nodeCount: number;
  /** walk_nodes.id (the pgRouting vertex id) of each node. */
  nodeId: Int32Array;
  nodeLon: Float64Array;
  nodeLat: Float64Array;

  /** Arcs leaving node n are arcOffset[n] .. arcOffset[n + 1] - 1. */
  arcOffset: Uint32Array;
  /** Head node of each arc. */
  arcTarget: Uint32Array;
  /** Seconds tail -> head at the default speed; negative = walkers may not go this way. */
  arcCost: Float32Array;
  /** Seconds head -> tail along the same edge (for reverse searches); negative = not allowed. */
  arcReverseCost: Float32Array;
  /** The edge (row) an arc runs along; bit 31 set when it runs target -> source. */
  arcEdge: Uint32Array;

  edgeCount: number;
  /** walk_edges.id of each edge row. */
  edgeId: Int32Array;
  edgeSource: Uint32Array;
  edgeTarget: Uint32Array;
  edgeLengthM: Float32Array;
  /** Seconds source -> target and target -> source at the default speed; negative = not allowed. */
  edgeCost: Float32Array;
  edgeReverseCost: Float32Array;
  /** 1 where the edge is steps (highway=steps): walking profiles scale their cost (kernel/walk-speed.ts). */
  edgeSteps: Uint8Array;
  /** Edge e's vertices are coords[2*geomOffset[e] .. 2*geomOffset[e+1]) as lon,lat pairs, source first. */
  geomOffset: Uint32Array;
  coords: Float64Array;

  /** [minLon, minLat, maxLon, maxLat] of all edge geometry. */
  bounds: [number, number, number, number];
}

/** Set on arcEdge when the arc runs against the edge's geometry. */
export const ARC_REVERSED = 0x80000000;
/** arcEdge & ARC_EDGE_MASK is the edge index. */
export const ARC_EDGE_MASK = 0x7fffffff;

/** The node an arc leaves from (CSR stores only heads; the edge knows both ends). */
export function arcTail(graph: WalkGraph, arc: number): number {
  const tag = graph.arcEdge[arc]!;
  const edge = tag & ARC_EDGE_MASK;
  return tag & ARC_REVERSED ? graph.edgeTarget[edge]! : graph.edgeSource[edge]!;
}

/** Every typed array of the graph by name, in a fixed order (snapshots, memory accounting). */
export const GRAPH_ARRAYS = [
  'nodeId',
  'nodeLon',
  'nodeLat',
  'arcOffset',
  'arcTarget',
  'arcCost',
  'arcReverseCost',
  'arcEdge',
  'edgeId',
  'edgeSource',
  'edgeTarget',
  'edgeLengthM',
  'edgeCost',
  'edgeReverseCost',
  'edgeSteps',
  'geomOffset',
  'coords',
] as const;

export type GraphArrayName = (typeof GRAPH_ARRAYS)[number];

/** Bytes held by the graph's typed arrays. */
export function graphBytes(graph: WalkGraph, names: readonly GraphArrayName[] = GRAPH_ARRAYS): number {
  let total = 0;
  for (const name of names) total += graph[name].byteLength;
  return total;
}

/** Directed edges walkers may use (pgRouting's count: cost >= 0 plus reverse_cost >= 0). */
export function directedEdgeCount(graph: WalkGraph): number {
  let n = 0;
  for (let e = 0; e < graph.edgeCount; e++) {
    if (graph.edgeCost[e]! >= 0) n++;
    if (graph.edgeReverseCost[e]! >= 0) n++;
  }
  return n;
}
