/**
 * Routes: from a snapped origin to the nearest of a set of snapped targets
 * (the nearest center of a kind), or to one target (point to point). A
 * Dijkstra that checks, as it settles each node, the targets on the node's
 * edges, and stops once nothing left in the heap can beat the best target
 * found; the route then follows the predecessor arcs back. One search can
 * also find the nearest target of each of several groups (the nearest
 * center of every kind, for a place's answer card).
 *
 * The route includes both access legs (point to edge, straight) and the
 * partial first and last edges; an origin and a target on the same edge are
 * also joined directly along it when one-way rules allow.
 */
import { seedFromSnap } from './bounded-search.ts';
import { haversineM, localScale } from '../../../kernel/geo.ts';
import { accessCost, alongEdgeCost, costFromSource, costFromTarget, costToSource, costToTarget } from './partial-edge.ts';
import { withState, type SearchScratch } from './search-state.ts';
import type { Snap, SnapColumns } from './snap.ts';
import { ARC_EDGE_MASK, ARC_REVERSED, arcTail, type WalkGraph } from '../graph/walk-graph.ts';

/** Snapped targets grouped by edge, so the search finds the ones on a node's edges quickly. */
export interface TargetSet {
  snaps: SnapColumns;
  /** Edge -> indices (into snaps) of the targets on it. */
  byEdge: Map<number, number[]>;
}

/** Groups targets by edge; `include(i)` filters (e.g. by center kind). Targets with edge -1 are left out. */
export function buildTargetSet(snaps: SnapColumns, include: (i: number) => boolean = () => true): TargetSet {
  const byEdge = new Map<number, number[]>();
  for (let i = 0; i < snaps.count; i++) {
    const e = snaps.edge[i]!;
    if (e < 0 || !include(i)) continue;
    let list = byEdge.get(e);
    if (!list) byEdge.set(e, (list = []));
    list.push(i);
  }
  return { snaps, byEdge };
}

/** A target set of one snapped point. */
export function singleTarget(snap: Snap): TargetSet {
  return buildTargetSet({
    count: 1,
    edge: Int32Array.of(snap.edge),
    fraction: Float64Array.of(snap.fraction),
    distanceM: Float32Array.of(snap.distanceM),
  });
}

/** The best route found: which target, its cost, and the arcs walked on the network. */
export interface RouteResult {
  /** Index of the target reached (into the target set's snaps). */
  target: number;
  /** Graph units (seconds at the default speed), both access legs included. */
  cost: number;
  /** Arcs from the origin edge's end to the target edge's end, in walking order; empty when direct or via one node. */
  arcs: number[];
  /** First network node (an end of the origin edge), or -1 when the route runs directly along one edge. */
  firstNode: number;
  /** Last network node (an end of the target edge), or -1 when direct. */
  lastNode: number;
}

/**
 * The route from `origin` to the nearest target within `limit` graph units,
 * or null when none is reachable.
 */
export function routeToNearest(graph: WalkGraph, origin: Snap, targets: TargetSet, limit = Infinity, scratch?: SearchScratch): RouteResult | null {
  return routesToNearestOfEach(graph, origin, targets, null, 1, limit, scratch)[0]!;
}

/**
 * For each of `groups` groups of targets (the centers of each kind), the
 * route from `origin` to the group's nearest target within `limit` graph
 * units, or null where none is reachable; `groupOf[t]` is target t's group
 * (-1: left out), null puts every target in group 0. One search serves every
 * group: it runs until nothing left in the heap can beat any group's best,
 * and every route follows the same predecessor arcs back. Each group's
 * answer is the one a search for that group alone would give (routeToNearest
 * is this with one group): the same nodes are settled in the same order up
 * to where that search would stop, and only a strictly better cost replaces
 * a group's best.
 */
export function routesToNearestOfEach(
  graph: WalkGraph,
  origin: Snap,
  targets: TargetSet,
  groupOf: Int32Array | null,
  groups: number,
  limit = Infinity,
  scratch?: SearchScratch,
): (RouteResult | null)[] {
  const { snaps, byEdge } = targets;
  const best = new Float64Array(groups).fill(Infinity);
  const bestTarget = new Int32Array(groups).fill(-1);
  const bestNode = new Int32Array(groups).fill(-1);
  // The search may stop once the smallest key reaches every group's best: the largest of them.
  let bound = Infinity;
  const offer = (t: number, cost: number, node: number) => {
    const g = groupOf === null ? 0 : groupOf[t]!;
    if (g < 0 || !(cost < best[g]!)) return;
    best[g] = cost;
    bestTarget[g] = t;
    bestNode[g] = node;
    bound = 0;
    for (let k = 0; k < groups; k++) if (best[k]! > bound) bound = best[k]!;
  };

  // Targets on the origin's own edge: straight along it, if the direction is allowed.
  const originAccess = accessCost(origin.distanceM);
  for (const t of byEdge.get(origin.edge) ?? []) {
    const along = alongEdgeCost(graph, origin.edge, origin.fraction, snaps.fraction[t]!);
    if (along < 0) continue;
    offer(t, originAccess + along + accessCost(snaps.distanceM[t]!), -1);
  }

  return withState(
    graph,
    (state) => {
      seedFromSnap(graph, state, origin, 0, 'from');
      const { dist, stamp, predArc, heap } = state;
      const gen = state.gen;
      while (heap.size > 0) {
        const key = heap.peekKey();
        if (key >= bound || key > limit) break;
        const u = heap.pop();
        const du = dist[u]!;
        for (let a = graph.arcOffset[u]!, end = graph.arcOffset[u + 1]!; a < end; a++) {
          const tag = graph.arcEdge[a]!;
          const e = tag & ARC_EDGE_MASK;
          const onEdge = byEdge.get(e);
          if (onEdge) {
            for (const t of onEdge) {
              const f = snaps.fraction[t]!;
              const along = tag & ARC_REVERSED ? costFromTarget(graph, e, f) : costFromSource(graph, e, f);
              if (along < 0) continue;
              offer(t, du + along + accessCost(snaps.distanceM[t]!), u);
            }
          }
          const c = graph.arcCost[a]!;
          if (c < 0) continue;
          const nd = du + c;
          if (nd > limit) continue;
          const v = graph.arcTarget[a]!;
          if (stamp[v] !== gen) stamp[v] = gen;
          else if (nd >= dist[v]!) continue;
          dist[v] = nd;
          predArc[v] = a;
          heap.push(v, nd);
        }
      }
      const routes: (RouteResult | null)[] = [];
      for (let g = 0; g < groups; g++) {
        if (bestTarget[g]! < 0 || best[g]! > limit) {
          routes.push(null);
          continue;
        }
        if (bestNode[g]! < 0) {
          routes.push({ target: bestTarget[g]!, cost: best[g]!, arcs: [], firstNode: -1, lastNode: -1 });
          continue;
        }
        const arcs: number[] = [];
        let node = bestNode[g]!;
        while (predArc[node]! >= 0) {
          const a = predArc[node]!;
          arcs.push(a);
          node = arcTail(graph, a);
        }
        arcs.reverse();
        routes.push({ target: bestTarget[g]!, cost: best[g]!, arcs, firstNode: node, lastNode: bestNode[g]! });
      }
      return routes;
    },
    scratch,
  );
}

/** The route from one snapped point to another, or null when unreachable within `limit`. */
export function routeBetween(graph: WalkGraph, from: Snap, to: Snap, limit = Infinity, scratch?: SearchScratch): RouteResult | null {
  return routeToNearest(graph, from, singleTarget(to), limit, scratch);
}

/** Appends [lon, lat] unless it repeats the last point. */
function pushPoint(line: [number, number][], lon: number, lat: number): void {
  const last = line[line.length - 1];
  if (last && last[0] === lon && last[1] === lat) return;
  line.push([lon, lat]);
}

/** Appends the part of edge e's geometry between two fractions (by length), in that order. */
export function appendEdgeSlice(graph: WalkGraph, e: number, from: number, to: number, line: [number, number][]): void {
  const first = graph.geomOffset[e]!;
  const last = graph.geomOffset[e + 1]! - 1;
  const c = graph.coords;
  const { kx, ky } = localScale(c[2 * first + 1]!);
  // Cumulative planar length at each vertex, as snap.ts measures fractions.
  const cumulative = new Float64Array(last - first + 1);
  for (let k = first + 1; k <= last; k++) {
    const dx = (c[2 * k]! - c[2 * k - 2]!) * kx;
    const dy = (c[2 * k + 1]! - c[2 * k - 1]!) * ky;
    cumulative[k - first] = cumulative[k - first - 1]! + Math.sqrt(dx * dx + dy * dy);
  }
  const total = cumulative[last - first]!;
  const pointAt = (fraction: number): [number, number] => {
    const target = fraction * total;
    for (let k = first + 1; k <= last; k++) {
      if (cumulative[k - first]! >= target || k === last) {
        const segment = cumulative[k - first]! - cumulative[k - first - 1]!;
        const t = segment > 0 ? Math.min(1, Math.max(0, (target - cumulative[k - first - 1]!) / segment)) : 0;
        return [c[2 * k - 2]! + t * (c[2 * k]! - c[2 * k - 2]!), c[2 * k - 1]! + t * (c[2 * k + 1]! - c[2 * k - 1]!)];
      }
    }
    return [c[2 * first]!, c[2 * first + 1]!];
  };
  const start = pointAt(from);
  pushPoint(line, start[0], start[1]);
  const lo = Math.min(from, to) * total;
  const hi = Math.max(from, to) * total;
  if (to >= from) {
    for (let k = first; k <= last; k++) if (cumulative[k - first]! > lo && cumulative[k - first]! < hi) pushPoint(line, c[2 * k]!, c[2 * k + 1]!);
  } else {
    for (let k = last; k >= first; k--) if (cumulative[k - first]! > lo && cumulative[k - first]! < hi) pushPoint(line, c[2 * k]!, c[2 * k + 1]!);
  }
  const end = pointAt(to);
  pushPoint(line, end[0], end[1]);
}

/**
 * The route as a line: origin point, access leg, partial origin edge, the
 * arcs' edges, partial target edge, access leg, target point.
 */
export function routeLine(
  graph: WalkGraph,
  originPoint: [number, number],
  origin: Snap,
  route: RouteResult,
  targetPoint: [number, number],
  target: Snap,
): [number, number][] {
  const line: [number, number][] = [];
  pushPoint(line, originPoint[0], originPoint[1]);
  if (route.firstNode < 0) {
    appendEdgeSlice(graph, origin.edge, origin.fraction, target.fraction, line);
  } else {
    // Leave the origin edge towards the end the search started from.
    const oe = origin.edge;
    const toEnd = route.firstNode === graph.edgeSource[oe] && route.firstNode === graph.edgeTarget[oe]
      ? pickLoopEnd(costToSource(graph, oe, origin.fraction), costToTarget(graph, oe, origin.fraction))
      : route.firstNode === graph.edgeSource[oe] ? 0 : 1;
    appendEdgeSlice(graph, oe, origin.fraction, toEnd, line);
    for (const a of route.arcs) {
      const tag = graph.arcEdge[a]!;
      const e = tag & ARC_EDGE_MASK;
      if (tag & ARC_REVERSED) appendEdgeSlice(graph, e, 1, 0, line);
      else appendEdgeSlice(graph, e, 0, 1, line);
    }
    const te = target.edge;
    const fromEnd = route.lastNode === graph.edgeSource[te] && route.lastNode === graph.edgeTarget[te]
      ? pickLoopEnd(costFromSource(graph, te, target.fraction), costFromTarget(graph, te, target.fraction))
      : route.lastNode === graph.edgeSource[te] ? 0 : 1;
    appendEdgeSlice(graph, te, fromEnd, target.fraction, line);
  }
  pushPoint(line, targetPoint[0], targetPoint[1]);
  if (line.length === 1) line.push([...line[0]!] as [number, number]);
  return line;
}

/** On a loop edge (both ends one node), the end whose partial cost is allowed and smaller: 0 or 1. */
function pickLoopEnd(viaSource: number, viaTarget: number): 0 | 1 {
  if (viaSource < 0) return 1;
  if (viaTarget < 0) return 0;
  return viaSource <= viaTarget ? 0 : 1;
}

/** Length of a line in metres (haversine). */
export function lineLengthM(line: readonly [number, number][]): number {
  let total = 0;
  for (let i = 1; i < line.length; i++) total += haversineM(line[i - 1]![0], line[i - 1]![1], line[i]![0], line[i]![1]);
  return total;
}
