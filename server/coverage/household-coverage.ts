/**
 * Household coverage: every household unit's walk time TO its nearest center
 * and which center that is, from ONE multi-source search over the reverse
 * graph seeded at all centers (never from polygons). A unit's time is its
 * access leg, plus the partial edge to one end of its snapped edge, plus that
 * end's time to the nearest center; or directly along the edge to a center on
 * the same edge. Results are typed arrays indexed like HouseholdData.
 *
 * Times are in graph units (seconds at the default 4 km/h). Since every cost
 * scales with 1 / speed, the same arrays answer every speed: a unit is within
 * m minutes at speed s when seconds <= m * 60 * s / 4.
 */
import { multiSourceSearch } from '../routing/multi-source-search.ts';
import { accessCost, alongEdgeCost, costToSource, costToTarget } from '../routing/partial-edge.ts';
import { buildTargetSet } from '../routing/route.ts';
import type { SnapColumns } from '../routing/snap.ts';
import type { WalkGraph } from '../routing/walk-graph.ts';

export interface HouseholdCoverage {
  /** Graph units per household; Infinity where no center is reachable (or the unit is off the network). */
  seconds: Float32Array;
  /** Index of the nearest center (into the center arrays), -1 where none. */
  nearest: Int32Array;
  /** Milliseconds for the multi-source search alone and for the whole computation. */
  searchMs: number;
  totalMs: number;
}

/** Only the centers `include` accepts (e.g. one kind), as a copy with the others' edges set to -1. */
export function maskSnaps(snaps: SnapColumns, include: (i: number) => boolean): SnapColumns {
  const edge = snaps.edge.slice();
  for (let i = 0; i < snaps.count; i++) if (!include(i)) edge[i] = -1;
  return { ...snaps, edge };
}

/**
 * Computes every household's time to its nearest center among `centers`
 * (snapped; edge -1 means left out). `households` are the units' snaps.
 */
export function householdCoverage(graph: WalkGraph, households: SnapColumns, centers: SnapColumns): HouseholdCoverage {
  const started = performance.now();
  const tree = multiSourceSearch(graph, centers, { direction: 'to' });
  const searchMs = performance.now() - started;
  const nodeTime = tree.time;
  const nodeSource = tree.source;
  const sameEdge = buildTargetSet(centers).byEdge;

  const count = households.count;
  const seconds = new Float32Array(count);
  const nearest = new Int32Array(count);
  const { edgeSource, edgeTarget } = graph;
  for (let i = 0; i < count; i++) {
    const e = households.edge[i]!;
    let best = Infinity;
    let center = -1;
    if (e >= 0) {
      const f = households.fraction[i]!;
      const toSource = costToSource(graph, e, f);
      if (toSource >= 0) {
        const u = edgeSource[e]!;
        const t = toSource + nodeTime[u]!;
        if (t < best) {
          best = t;
          center = nodeSource[u]!;
        }
      }
      const toTarget = costToTarget(graph, e, f);
      if (toTarget >= 0) {
        const v = edgeTarget[e]!;
        const t = toTarget + nodeTime[v]!;
        if (t < best) {
          best = t;
          center = nodeSource[v]!;
        }
      }
      const onEdge = sameEdge.get(e);
      if (onEdge) {
        for (const c of onEdge) {
          const along = alongEdgeCost(graph, e, f, centers.fraction[c]!);
          if (along < 0) continue;
          const t = along + accessCost(centers.distanceM[c]!);
          if (t < best) {
            best = t;
            center = c;
          }
        }
      }
      if (center >= 0) best += accessCost(households.distanceM[i]!);
    }
    seconds[i] = center >= 0 ? best : Infinity;
    nearest[i] = center;
  }
  return { seconds, nearest, searchMs, totalMs: performance.now() - started };
}
