/**
 * Where a requested point joins the walk network: inside the data's bounds
 * (widened by the snap distance), and within MAX_SNAP_DISTANCE_M of a
 * walkable edge; otherwise a domain error that says which of the two failed.
 * Used for search origins (isochrones, nearest center) on a loaded graph.
 */
import { METRES_PER_DEGREE, RAD } from '../../kernel/geo.ts';
import { DEFAULT_SPEED_KMH } from '../../kernel/walk-speed.ts';
import { OffNetwork, OutsideData } from '../domain-errors.ts';
import type { EdgeIndex } from './graph/edge-index.ts';
import type { WalkGraph } from './graph/walk-graph.ts';
import { accessCost } from './search/partial-edge.ts';
import { MAX_SNAP_DISTANCE_M, snapToEdge, type Snap } from './search/snap.ts';

/** An input point and where it joined the network. */
export interface SnappedOrigin {
  /** The point as given. */
  lon: number;
  lat: number;
  /** The nearest point on the nearest walkable edge. */
  snap: Snap;
  /** Seconds of the straight access leg (snap.distanceM) at the search's speed. */
  accessSeconds: number;
}

/**
 * Snaps (lon, lat) for a search at `speedKmh`; `label` names the point in
 * errors ("the point", "origin 3"). Throws OutsideData or OffNetwork.
 */
export function snapOrigin(
  graph: WalkGraph,
  index: EdgeIndex,
  lon: number,
  lat: number,
  speedKmh = DEFAULT_SPEED_KMH,
  label = 'the point',
): SnappedOrigin {
  const [minLon, minLat, maxLon, maxLat] = graph.bounds;
  // The data's bounds, widened by the snap distance (in degrees, generously at this latitude).
  const marginLat = MAX_SNAP_DISTANCE_M / METRES_PER_DEGREE;
  const marginLon = marginLat / Math.max(0.01, Math.cos(((minLat + maxLat) / 2) * RAD));
  if (lon < minLon - marginLon || lon > maxLon + marginLon || lat < minLat - marginLat || lat > maxLat + marginLat) {
    throw new OutsideData(label, lon, lat, graph.bounds);
  }
  const snap = snapToEdge(graph, index, lon, lat, MAX_SNAP_DISTANCE_M);
  if (!snap) throw new OffNetwork(label, lon, lat, MAX_SNAP_DISTANCE_M);
  return { lon, lat, snap, accessSeconds: accessCost(snap.distanceM) * (DEFAULT_SPEED_KMH / speedKmh) };
}
