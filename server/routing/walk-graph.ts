/**
 * The in-memory walk graph: compressed sparse rows over typed arrays, built
 * from walk_edges. Arcs are directed (a two-way edge gives two arcs); edges
 * are the rows of walk_edges and carry the geometry. Costs are seconds at the
 * default speed (walk-speed.ts); a search at another speed scales them.
 *
 * Memory per directed arc: targets 4 + arcCost 4 + arcEdge 4 = 12 bytes, plus
 * per edge (shared by its two arcs) source/target/length/geometry offsets.
 */
export interface WalkGraph {
  /** The data version this graph was built from (snapshot key). */
  version: string;
  nodeCount: number;
  nodeLon: Float64Array;
  nodeLat: Float64Array;

  /** Arcs leaving node n are arcOffset[n] .. arcOffset[n + 1] - 1. */
  arcOffset: Uint32Array;
  /** Head node of each arc. */
  arcTarget: Uint32Array;
  /** Seconds along the arc at the default speed. */
  arcCost: Float32Array;
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
  /** Edge e's vertices are coords[2*geomOffset[e] .. 2*geomOffset[e+1]) as lon,lat pairs, source first. */
  geomOffset: Uint32Array;
  coords: Float64Array;
}

/** Set on arcEdge when the arc runs against the edge's geometry. */
export const ARC_REVERSED = 0x80000000;
