/**
 * The nearest center by walking time from a point, with the route: the
 * point is snapped onto the access model's graph, one search runs towards
 * the model's route targets of the kind asked for (route.ts), and the route
 * is drawn along the streets with both access legs. Reads the model only;
 * NoCenterReachable when no such center is within MAX_SEARCH_SECONDS.
 */
import { DEFAULT_SPEED_KMH } from '../../kernel/walk-speed.ts';
import type { AccessModel } from '../coverage/access-model.ts';
import { targetsOf } from '../coverage/access-model.ts';
import { NoCenterReachable } from '../domain-errors.ts';
import { MAX_SEARCH_SECONDS } from '../routing/routing-limits.ts';
import { lineLengthM, routeLine, routeToNearest } from '../routing/search/route.ts';
import type { Snap } from '../routing/search/snap.ts';
import { snapOrigin, type SnappedOrigin } from '../routing/snap-origin.ts';

export interface NearestCenter {
  /** Index of the center in the model's centers. */
  center: number;
  origin: SnappedOrigin;
  /** Seconds at the requested speed, both access legs included. */
  walkSeconds: number;
  /** The route's length, metres. */
  distanceM: number;
  /** [lon, lat] from the point to the center. */
  line: [number, number][];
}

/** Rounds coordinates to 7 decimals (about 1 cm): smaller responses, no false precision. */
const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

/** The nearest center of `kind` (any when undefined) from (lon, lat) at `speedKmh`. */
export function nearestCenter(model: AccessModel, lon: number, lat: number, kind: string | undefined, speedKmh = DEFAULT_SPEED_KMH): NearestCenter {
  const targets = targetsOf(model, kind);
  const { graph, index, scratch } = model.loaded;
  const origin = snapOrigin(graph, index, lon, lat, speedKmh);
  const costScale = DEFAULT_SPEED_KMH / speedKmh;
  const route = routeToNearest(graph, origin.snap, targets, MAX_SEARCH_SECONDS / costScale, scratch);
  if (!route) throw new NoCenterReachable(kind, MAX_SEARCH_SECONDS, speedKmh, lon, lat);
  const i = route.target;
  const snaps = model.centerSnaps;
  const targetSnap: Snap = { edge: snaps.edge[i]!, fraction: snaps.fraction[i]!, lon: 0, lat: 0, distanceM: snaps.distanceM[i]! };
  const centerPoint: [number, number] = [model.centers.lon[i]!, model.centers.lat[i]!];
  const line = routeLine(graph, [lon, lat], origin.snap, route, centerPoint, targetSnap).map(([x, y]): [number, number] => [round7(x), round7(y)]);
  return { center: i, origin, walkSeconds: route.cost * costScale, distanceM: lineLengthM(line), line };
}
