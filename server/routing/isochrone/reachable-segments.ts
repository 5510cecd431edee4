/**
 * Turns a shortest-path tree into the reachable network as straight plane
 * segments, each tagged with the first contour (time limit) that reaches it.
 * This is the exact set the isochrone polygons are built around; nothing is
 * rounded to nodes. This module holds the types and the entry point; the
 * work is done by
 *
 *   reach-walker   the walk over the edges at reached nodes (plain edges)
 *   origin-edges   edges with origins on them, and the access legs
 *   edge-chords    one edge projected, its reachable pieces as chords
 *   segment-sink   the growing output, with per-level boxes and lengths
 *
 * Which part of an edge (u, v) is reachable within T seconds, by fraction of
 * its length from u (walking speed is uniform along an edge):
 *   - from u, if walkers may go u -> v: the prefix [0, (T - t[u]) / cost];
 *   - from v, if walkers may go v -> u: the suffix [1 - (T - t[v]) / reverseCost, 1];
 *   - from an origin snapped onto the edge at fraction f with access time a:
 *     [f - (T - a) / reverseCost, f + (T - a) / cost], each side only where
 *     that direction is allowed;
 * and the union of these (the whole edge when they meet). The straight access
 * leg from each origin to its snap point is walkable too and is included, up
 * to the fraction T / a when the limit runs out on it.
 *
 * Levels: with limits T0 < T1 < ... the part reached first at level k is the
 * part reachable within Tk minus the part reachable within T(k-1); every
 * segment is emitted once, at its level. The reachable set of contour k is
 * therefore exactly the segments of level <= k, which makes contours nest.
 *
 * Fractions are of the edge's planar polyline length, as the snapper measures
 * them; lengths are the edge's own metres (walk_edges.length_m) times the
 * fraction. Only edges at reached nodes are looked at (plus origin edges),
 * each once.
 */
import type { WalkGraph } from '../graph/walk-graph.ts';
import type { LocalProjection } from '../../../kernel/geo.ts';
import type { IsochroneScratch } from './isochrone-scratch.ts';
import { ReachWalker } from './reach-walker.ts';

/** A search origin as the isochrone needs it: the point and where it joins the network. */
export interface ReachOrigin {
  /** The requested point (the access leg starts here). */
  lon: number;
  lat: number;
  /** Edge row it snapped onto. */
  edge: number;
  /** Position of the snap point along the edge, 0 at its source, 1 at its target, by length. */
  fraction: number;
  /** Seconds from the point to the snap point at the search speed (the access leg). */
  accessSeconds: number;
}

/** The shortest-path tree the polygons are built from. */
export interface ReachTree {
  /** Seconds at which each node is reached at the search speed; Infinity (or > the largest limit) = not reached. */
  nodeSeconds: ArrayLike<number>;
  origins: readonly ReachOrigin[];
  /** Graph costs (seconds at the default speed) times this = seconds at the search speed. */
  costScale: number;
  /** The reached nodes, when the search has the list; saves a scan over all nodes. */
  reached?: ArrayLike<number>;
}

/** Reachable plane segments, flat: segment i is xy[4i..4i+3] = x1, y1, x2, y2 (metres). */
export interface ReachableSegments {
  count: number;
  xy: Float64Array;
  /** Index of the first limit that reaches segment i. */
  level: Uint8Array;
  /** Per limit k: the plane bounding box [minX, minY, maxX, maxY] of the segments of level <= k (empty: Infinity, -Infinity). */
  bbox: Float64Array;
  /** Per limit k: metres of reachable network (and access legs) within limit k. */
  lengthM: Float64Array;
}

/** At most this many limits (contours) in one call: levels are bytes and 255 means "none". */
export const MAX_LEVELS = 64;

/**
 * The reachable network of `tree` within each of `limitsSeconds` (ascending,
 * at most MAX_LEVELS), as plane segments in projection `proj`. With
 * `simplifyM` > 0 the segments of each reachable stretch are merged into
 * chords that stay within simplifyM of it (fewer segments to mark; the
 * caller takes simplifyM off its radius); lengths stay exact. With a
 * scratch, the segment arrays are its (valid until its next use).
 */
export function reachableSegments(
  graph: WalkGraph,
  tree: ReachTree,
  limitsSeconds: ArrayLike<number>,
  proj: LocalProjection,
  simplifyM = 0,
  scratch?: IsochroneScratch,
): ReachableSegments {
  const levels = limitsSeconds.length;
  if (levels < 1 || levels > MAX_LEVELS) throw new RangeError(`between 1 and ${MAX_LEVELS} limits, got ${levels}`);
  for (let k = 1; k < levels; k++) {
    if (!(limitsSeconds[k]! > limitsSeconds[k - 1]!)) throw new RangeError('limits must be strictly ascending');
  }
  return new ReachWalker(graph, tree, Float64Array.from(limitsSeconds), proj, simplifyM, scratch).run();
}
