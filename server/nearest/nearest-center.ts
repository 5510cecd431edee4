/**
 * The nearest center by walking time from a point, with the route: the
 * point is snapped onto the access model's graph, one search runs towards
 * the model's route targets of the kind asked for (route.ts), and the route
 * is drawn along the streets with both access legs. Reads the model only;
 * NoCenterReachable when no such center is within MAX_SEARCH_SECONDS.
 *
 * nearestOfEachKind answers the same question for several kinds at once
 * (a place's answer card) with one search: each kind's answer is the one
 * nearestCenter gives for that kind alone, or null where it would throw.
 */
import { DEFAULT_SPEED_KMH } from '../../kernel/walk-speed.ts';
import type { AccessModel } from '../coverage/access-model.ts';
import { targetsOf } from '../coverage/access-model.ts';
import { NoCenterReachable } from '../domain-errors.ts';
import { MAX_SEARCH_SECONDS } from '../routing/routing-limits.ts';
import { buildTargetSet, lineLengthM, routeLine, routesToNearestOfEach, routeToNearest, type RouteResult } from '../routing/search/route.ts';
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

/** The answer for a route found from `origin` (its target indexes the model's centers). */
function drawRoute(model: AccessModel, origin: SnappedOrigin, route: RouteResult, costScale: number): NearestCenter {
  const i = route.target;
  const snaps = model.centerSnaps;
  const targetSnap: Snap = { edge: snaps.edge[i]!, fraction: snaps.fraction[i]!, lon: 0, lat: 0, distanceM: snaps.distanceM[i]! };
  const centerPoint: [number, number] = [model.centers.lon[i]!, model.centers.lat[i]!];
  const line = routeLine(model.loaded.graph, [origin.lon, origin.lat], origin.snap, route, centerPoint, targetSnap).map(([x, y]): [number, number] => [round7(x), round7(y)]);
  return { center: i, origin, walkSeconds: route.cost * costScale, distanceM: lineLengthM(line), line };
}

/** The nearest center of `kind` (any when undefined) from (lon, lat) at `speedKmh`. */
export function nearestCenter(model: AccessModel, lon: number, lat: number, kind: string | undefined, speedKmh = DEFAULT_SPEED_KMH): NearestCenter {
  const targets = targetsOf(model, kind);
  const { graph, index, scratch } = model.loaded;
  const origin = snapOrigin(graph, index, lon, lat, speedKmh);
  const costScale = DEFAULT_SPEED_KMH / speedKmh;
  const route = routeToNearest(graph, origin.snap, targets, MAX_SEARCH_SECONDS / costScale, scratch);
  if (!route) throw new NoCenterReachable(kind, MAX_SEARCH_SECONDS, speedKmh, lon, lat);
  return drawRoute(model, origin, route, costScale);
}

export interface NearestOfEachKind {
  origin: SnappedOrigin;
  /** Per kind asked for, in the same order: its nearest center, or null when none is within MAX_SEARCH_SECONDS (or the data has none). */
  nearest: (NearestCenter | null)[];
}

/**
 * The nearest center of each of `kinds` from (lon, lat) at `speedKmh`, in
 * one search. A kind no center has is null, not an error. Throws what
 * snapOrigin throws for a point the network cannot take.
 */
export function nearestOfEachKind(model: AccessModel, lon: number, lat: number, kinds: readonly string[], speedKmh = DEFAULT_SPEED_KMH): NearestOfEachKind {
  const { graph, index, scratch } = model.loaded;
  const origin = snapOrigin(graph, index, lon, lat, speedKmh);
  const costScale = DEFAULT_SPEED_KMH / speedKmh;
  // Each center's group is its kind's place in `kinds`; a kind without a center on the network joins no search.
  const groupByKind = new Map(kinds.map((kind, g) => [kind, g]));
  const centers = model.centers;
  const groupOf = new Int32Array(centers.count);
  const hasTargets = new Uint8Array(kinds.length);
  for (let i = 0; i < centers.count; i++) {
    const g = groupByKind.get(centers.kind[i]!) ?? -1;
    groupOf[i] = g;
    if (g >= 0 && model.centerSnaps.edge[i]! >= 0) hasTargets[g] = 1;
  }
  // Groups renumbered to those with targets: a group that can never be found would keep the search going to its limit.
  const searched: number[] = [];
  const slot = Int32Array.from(hasTargets, (has, g) => (has ? searched.push(g) - 1 : -1));
  for (let i = 0; i < centers.count; i++) if (groupOf[i]! >= 0) groupOf[i] = slot[groupOf[i]!]!;
  const targets = buildTargetSet(model.centerSnaps, (i) => groupOf[i]! >= 0);
  const routes = searched.length > 0 ? routesToNearestOfEach(graph, origin.snap, targets, groupOf, searched.length, MAX_SEARCH_SECONDS / costScale, scratch) : [];
  const nearest = kinds.map((_, g) => {
    const route = slot[g]! >= 0 ? routes[slot[g]!] : null;
    return route ? drawRoute(model, origin, route, costScale) : null;
  });
  return { origin, nearest };
}
