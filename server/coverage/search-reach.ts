/**
 * What a search from one or more origins reaches, by network time and never
 * by polygon: the household units, households and persons, and the centers
 * of each kind within each contour's time. An isochrone's polygon is drawn
 * around the reached network with a buffer, so counting what lies inside it
 * would take in the far bank of a river; these counts take exactly the units
 * and centers whose walk from the nearest origin fits the time.
 *
 * A unit's walk time is the time of one end of its edge, plus the partial
 * edge from that end to its snapped point (one-way rules respected), plus
 * its access leg; or, for a unit on an origin's own edge, that origin's
 * access leg and the part of the edge between them. Centers are timed the
 * same way from their snaps. Only edges next to a reached node (and the
 * origins' edges) are visited, so the work follows the size of the reach,
 * not of the city.
 */
import type { ContourReach } from '../routing/isochrone/isochrone-geojson.ts';
import type { ShortestPathTree } from '../routing/routing-service.ts';
import { accessCost, alongEdgeCost, costFromSource, costFromTarget } from '../routing/search/partial-edge.ts';
import type { AccessModel } from './access-model.ts';

/** Seconds (at the tree's speed) from the tree's origins to the point at `fraction` of `edge`, access leg excluded. */
function timeToEdgePoint(model: AccessModel, tree: ShortestPathTree, edge: number, fraction: number): number {
  const graph = tree.graph;
  const scale = tree.costScale;
  let best = Infinity;
  const fromSource = costFromSource(graph, edge, fraction);
  if (fromSource >= 0) best = tree.times[graph.edgeSource[edge]!]! + fromSource * scale;
  const fromTarget = costFromTarget(graph, edge, fraction);
  if (fromTarget >= 0) best = Math.min(best, tree.times[graph.edgeTarget[edge]!]! + fromTarget * scale);
  // An origin on this very edge may reach the point directly along it.
  for (const origin of tree.origins) {
    if (origin.snap.edge !== edge) continue;
    const along = alongEdgeCost(graph, edge, origin.snap.fraction, fraction);
    if (along >= 0) best = Math.min(best, origin.accessSeconds + along * scale);
  }
  return best;
}

/**
 * Counts per limit (seconds at the tree's speed, ascending or not) of what
 * the tree reaches. The model must describe the tree's graph.
 */
export function searchReach(model: AccessModel, tree: ShortestPathTree, limitsSeconds: readonly number[]): ContourReach[] {
  const graph = tree.graph;
  if (model.loaded.graph !== graph) throw new Error('searchReach: the access model is of another graph than the search');
  const scale = tree.costScale;
  const out: ContourReach[] = limitsSeconds.map(() => ({ householdUnits: 0, households: 0, persons: 0, centers: {} }));
  const maxLimit = Math.max(...limitsSeconds);

  // The edges worth looking at: those with a reached end, and the origins' own.
  const edges: number[] = [];
  const seen = new Set<number>();
  const consider = (e: number) => {
    if (!seen.has(e)) {
      seen.add(e);
      edges.push(e);
    }
  };
  for (let i = 0; i < tree.reached.length; i++) {
    const v = tree.reached[i]!;
    for (let a = graph.arcOffset[v]!; a < graph.arcOffset[v + 1]!; a++) consider(graph.arcEdge[a]! & 0x7fffffff);
  }
  for (const origin of tree.origins) consider(origin.snap.edge);

  const { units } = model;
  const { households, persons } = model.data.households;
  for (const e of edges) {
    for (let k = units.edgeOffset[e]!, end = units.edgeOffset[e + 1]!; k < end; k++) {
      const i = units.unitsOnEdge[k]!;
      const t = timeToEdgePoint(model, tree, e, units.snaps.fraction[i]!) + accessCost(units.snaps.distanceM[i]!) * scale;
      if (!(t <= maxLimit)) continue;
      limitsSeconds.forEach((limit, c) => {
        if (t > limit) return;
        const r = out[c]!;
        r.householdUnits++;
        r.households += households[i]!;
        r.persons += Math.max(0, persons[i]!);
      });
    }
  }

  // Centers: few, so each is timed directly (edge -1: off the network, never reached).
  const snaps = model.centerSnaps;
  for (let c = 0; c < snaps.count; c++) {
    const e = snaps.edge[c]!;
    if (e < 0 || !seen.has(e)) continue;
    const t = timeToEdgePoint(model, tree, e, snaps.fraction[c]!) + accessCost(snaps.distanceM[c]!) * scale;
    if (!(t <= maxLimit)) continue;
    const kind = model.centers.kind[c]!;
    limitsSeconds.forEach((limit, k) => {
      if (t <= limit) out[k]!.centers[kind] = (out[k]!.centers[kind] ?? 0) + 1;
    });
  }
  return out;
}
