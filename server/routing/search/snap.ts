/**
 * Snapping: a point goes to the nearest point on the nearest walkable edge
 * (not the nearest node), described by the edge and the fraction of its
 * length from its source; searches start from that partial edge. The
 * straight access leg from the point to the edge is walked too, and counts.
 */
import { nearestSegment, type EdgeIndex } from '../graph/edge-index.ts';
import { haversineM } from '../../../kernel/geo.ts';
import type { WalkGraph } from '../graph/walk-graph.ts';

/**
 * How far a point may be from the nearest walkable edge, metres. Beyond this
 * it is "off the network" (in the sea, in a park without paths, or outside
 * the data): 500 m is half of a 15-minute walk, far more than any building's
 * distance to its street.
 */
export const MAX_SNAP_DISTANCE_M = 500;

/** A point snapped onto an edge. */
export interface Snap {
  /** Edge row index in the graph (not walk_edges.id). */
  edge: number;
  /** Position along the edge: 0 at its source, 1 at its target, by length. */
  fraction: number;
  /** The snapped point on the edge. */
  lon: number;
  lat: number;
  /** Straight-line access leg from the input point to the snapped point, metres. */
  distanceM: number;
}

/** Fraction of edge `edge`'s planar length before point t of segment starting at `vertex`. */
function fractionAlong(graph: WalkGraph, index: EdgeIndex, edge: number, vertex: number, t: number): number {
  const { kx, ky } = index;
  const coords = graph.coords;
  let before = 0;
  let total = 0;
  for (let k = graph.geomOffset[edge]!; k < graph.geomOffset[edge + 1]! - 1; k++) {
    const dx = (coords[2 * k + 2]! - coords[2 * k]!) * kx;
    const dy = (coords[2 * k + 3]! - coords[2 * k + 1]!) * ky;
    const len = Math.sqrt(dx * dx + dy * dy);
    if (k < vertex) before += len;
    else if (k === vertex) before += t * len;
    total += len;
  }
  if (total <= 0) return 0;
  return Math.min(1, Math.max(0, before / total));
}

/** Snaps (lon, lat) to the nearest walkable edge within maxDistanceM; null when there is none. */
export function snapToEdge(
  graph: WalkGraph,
  index: EdgeIndex,
  lon: number,
  lat: number,
  maxDistanceM = MAX_SNAP_DISTANCE_M,
): Snap | null {
  const hit = nearestSegment(graph, index, lon, lat, maxDistanceM);
  if (!hit) return null;
  const k = hit.vertex;
  const c = graph.coords;
  const sLon = c[2 * k]! + hit.t * (c[2 * k + 2]! - c[2 * k]!);
  const sLat = c[2 * k + 1]! + hit.t * (c[2 * k + 3]! - c[2 * k + 1]!);
  return {
    edge: hit.edge,
    fraction: fractionAlong(graph, index, hit.edge, k, hit.t),
    lon: sLon,
    lat: sLat,
    distanceM: haversineM(lon, lat, sLon, sLat),
  };
}

/** A snap exactly at a node (no access leg): along its first edge, at that edge's end. */
export function snapAtNode(graph: WalkGraph, node: number): Snap | null {
  const first = graph.arcOffset[node]!;
  if (first === graph.arcOffset[node + 1]) return null;
  const tag = graph.arcEdge[first]!;
  const edge = tag & 0x7fffffff;
  const atTarget = (tag & 0x80000000) !== 0;
  return { edge, fraction: atTarget ? 1 : 0, lon: graph.nodeLon[node]!, lat: graph.nodeLat[node]!, distanceM: 0 };
}

/** Many points snapped at once, in typed arrays (edge -1 where none is within reach). */
export interface SnapColumns {
  count: number;
  edge: Int32Array;
  fraction: Float64Array;
  distanceM: Float32Array;
}

/** Snaps every point; edge[i] = -1 when point i has no walkable edge within maxDistanceM. */
export function snapMany(
  graph: WalkGraph,
  index: EdgeIndex,
  lon: ArrayLike<number>,
  lat: ArrayLike<number>,
  maxDistanceM = MAX_SNAP_DISTANCE_M,
): SnapColumns {
  const count = lon.length;
  const edge = new Int32Array(count);
  const fraction = new Float64Array(count);
  const distanceM = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const snap = snapToEdge(graph, index, lon[i]!, lat[i]!, maxDistanceM);
    edge[i] = snap ? snap.edge : -1;
    fraction[i] = snap ? snap.fraction : 0;
    distanceM[i] = snap ? snap.distanceM : Infinity;
  }
  return { count, edge, fraction, distanceM };
}
