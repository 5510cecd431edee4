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
import { multiSourceSearch } from '../routing/search/multi-source-search.ts';
import { accessCost, alongEdgeCost, costToSource, costToTarget } from '../routing/search/partial-edge.ts';
import { withState, type SearchScratch } from '../routing/search/search-state.ts';
import { runBucketSearch, seedAtEdgePoint } from '../routing/search/bounded-search.ts';
import type { SnapColumns } from '../routing/search/snap.ts';
import type { WalkGraph } from '../routing/graph/walk-graph.ts';

export interface HouseholdCoverage {
  /** Graph units per household; Infinity where no center is reachable (or the unit is off the network). */
  seconds: Float32Array;
  /** Index of the nearest center (into the center arrays), -1 where none. */
  nearest: Int32Array;
  /**
   * Per node: graph units to the nearest center and which one it is (-1:
   * none). Kept so that a change of a few centers can be evaluated by
   * repairing these instead of searching again (planning/center-changes.ts).
   */
  nodeTime: Float64Array;
  nodeSource: Int32Array;
  /** Milliseconds for the multi-source search alone and for the whole computation. */
  searchMs: number;
  totalMs: number;
}

/**
 * Household units joined to the network, precomputed once per graph so the
 * per-recomputation pass is two additions and a comparison per unit: the
 * nodes at both ends of each unit's edge and the cost (access leg plus
 * partial edge) to walk to each; Infinity where one-way rules forbid it.
 */
export interface LinkedUnits {
  count: number;
  snaps: SnapColumns;
  sourceNode: Uint32Array;
  targetNode: Uint32Array;
  toSource: Float32Array;
  toTarget: Float32Array;
  /** Units on edge e: unitsOnEdge[edgeOffset[e] .. edgeOffset[e+1]) (for centers on the same edge). */
  edgeOffset: Uint32Array;
  unitsOnEdge: Uint32Array;
}

/** Precomputes the units' links to the network (see LinkedUnits). */
export function linkUnits(graph: WalkGraph, snaps: SnapColumns): LinkedUnits {
  const count = snaps.count;
  const sourceNode = new Uint32Array(count);
  const targetNode = new Uint32Array(count);
  const toSource = new Float32Array(count).fill(Infinity);
  const toTarget = new Float32Array(count).fill(Infinity);
  for (let i = 0; i < count; i++) {
    const e = snaps.edge[i]!;
    if (e < 0) continue;
    const f = snaps.fraction[i]!;
    const access = accessCost(snaps.distanceM[i]!);
    sourceNode[i] = graph.edgeSource[e]!;
    targetNode[i] = graph.edgeTarget[e]!;
    const s = costToSource(graph, e, f);
    const t = costToTarget(graph, e, f);
    if (s >= 0) toSource[i] = access + s;
    if (t >= 0) toTarget[i] = access + t;
  }
  // Units grouped by edge (CSR: count, prefix sums, fill).
  const edgeOffset = new Uint32Array(graph.edgeCount + 1);
  for (let i = 0; i < count; i++) if (snaps.edge[i]! >= 0) edgeOffset[snaps.edge[i]! + 1]!++;
  for (let e = 0; e < graph.edgeCount; e++) edgeOffset[e + 1]! += edgeOffset[e]!;
  const unitsOnEdge = new Uint32Array(edgeOffset[graph.edgeCount]!);
  const cursor = edgeOffset.slice(0, graph.edgeCount);
  for (let i = 0; i < count; i++) if (snaps.edge[i]! >= 0) unitsOnEdge[cursor[snaps.edge[i]!]!++] = i;
  return { count, snaps, sourceNode, targetNode, toSource, toTarget, edgeOffset, unitsOnEdge };
}

/** Only the centers `include` accepts (e.g. one kind), as a copy with the others' edges set to -1. */
export function maskSnaps(snaps: SnapColumns, include: (i: number) => boolean): SnapColumns {
  const edge = snaps.edge.slice();
  for (let i = 0; i < snaps.count; i++) if (!include(i)) edge[i] = -1;
  return { ...snaps, edge };
}

/**
 * Computes every household's time to its nearest center among `centers`
 * (snapped; edge -1 means left out). Pure: reads its inputs, returns new arrays.
 */
export function householdCoverage(graph: WalkGraph, units: LinkedUnits, centers: SnapColumns, scratch?: SearchScratch): HouseholdCoverage {
  const started = performance.now();
  const tree = multiSourceSearch(graph, centers, { direction: 'to', scratch });
  const searchMs = performance.now() - started;
  const seconds = new Float32Array(units.count);
  const nearest = new Int32Array(units.count);
  for (let i = 0; i < units.count; i++) timeViaNodes(units, tree.time, tree.source, i, seconds, nearest);
  // Centers on a unit's own edge can also be reached directly along it: only those units are checked.
  for (let c = 0; c < centers.count; c++) {
    const e = centers.edge[c]!;
    if (e < 0) continue;
    for (let k = units.edgeOffset[e]!, end = units.edgeOffset[e + 1]!; k < end; k++) timeAlongEdge(graph, units, centers, c, units.unitsOnEdge[k]!, seconds, nearest);
  }
  return { seconds, nearest, nodeTime: tree.time, nodeSource: tree.source, searchMs, totalMs: performance.now() - started };
}

/**
 * Sets within[i] = 1 for every unit within `limit` graph units of one of
 * `centers` (others are left as they are). One search bounded at the limit
 * (on the bucket queue: runBucketSearch), read straight from the search
 * state (no per-node arrays filled or copied);
 * then, when the search settled few nodes, only the units on edges next to a
 * settled node are looked at, so a 5-minute question costs a 5-minute search
 * and not a pass over the city; when it settled many (and there are not many
 * more units than nodes), one sequential pass over the units is cheaper than
 * hopping from node to edge to unit.
 */
export function markUnitsWithin(graph: WalkGraph, units: LinkedUnits, centers: SnapColumns, limit: number, within: Uint8Array, scratch?: SearchScratch): void {
  withState(
    graph,
    (state) => {
      for (let c = 0; c < centers.count; c++) {
        const e = centers.edge[c]!;
        if (e >= 0) seedAtEdgePoint(graph, state, e, centers.fraction[c]!, centers.distanceM[c]!, c, 'to');
      }
      // Bucket queue: only which units are within the limit matters, not the order nodes settle in.
      runBucketSearch(graph, state, limit, 'to');
      // Every node the search touched is settled with its final time: nothing above the limit is queued.
      const { dist, stamp, gen, order, settledCount } = state;
      // Measured (npm run bench -- routing, the standard check): the sequential pass wins on the demo city
      // (1.6 units per node), the walk from settled nodes on Monaco (2.8 units per node, short searches).
      if (settledCount * 4 > graph.nodeCount && units.count <= 2 * graph.nodeCount) {
        for (let i = 0; i < units.count; i++) if (!within[i] && reachedViaNodes(units, i, dist, stamp, gen, limit)) within[i] = 1;
      } else {
        const { edgeOffset, unitsOnEdge } = units;
        for (let k = 0; k < settledCount; k++) {
          const v = order[k]!;
          for (let a = graph.arcOffset[v]!; a < graph.arcOffset[v + 1]!; a++) {
            const e = graph.arcEdge[a]! & 0x7fffffff;
            for (let q = edgeOffset[e]!, end = edgeOffset[e + 1]!; q < end; q++) {
              const i = unitsOnEdge[q]!;
              if (!within[i] && reachedViaNodes(units, i, dist, stamp, gen, limit)) within[i] = 1;
            }
          }
        }
      }
    },
    scratch,
  );
  // Centers on a unit's own edge, reached directly along it.
  for (let c = 0; c < centers.count; c++) {
    const e = centers.edge[c]!;
    if (e < 0) continue;
    for (let k = units.edgeOffset[e]!, end = units.edgeOffset[e + 1]!; k < end; k++) {
      const i = units.unitsOnEdge[k]!;
      if (within[i]) continue;
      const along = alongEdgeCost(graph, e, units.snaps.fraction[i]!, centers.fraction[c]!);
      if (along >= 0 && accessCost(units.snaps.distanceM[i]!) + along + accessCost(centers.distanceM[c]!) <= limit) within[i] = 1;
    }
  }
}

/**
 * Whether unit i is within `limit` through either end of its edge, from a
 * search's node times (a node the search did not touch is not reached).
 */
function reachedViaNodes(units: LinkedUnits, i: number, dist: Float64Array, stamp: Uint32Array, gen: number, limit: number): boolean {
  const s = units.sourceNode[i]!;
  if (stamp[s] === gen && units.toSource[i]! + dist[s]! <= limit) return true;
  const t = units.targetNode[i]!;
  return stamp[t] === gen && units.toTarget[i]! + dist[t]! <= limit;
}

/**
 * Unit i's time through either end of its edge, from the nodes' times to
 * their nearest centers. Off-network units have Infinity on both sides and
 * stay unreached.
 */
export function timeViaNodes(units: LinkedUnits, nodeTime: Float64Array, nodeSource: Int32Array, i: number, seconds: Float32Array, nearest: Int32Array): void {
  const u = units.sourceNode[i]!;
  const v = units.targetNode[i]!;
  const viaSource = units.toSource[i]! + nodeTime[u]!;
  const viaTarget = units.toTarget[i]! + nodeTime[v]!;
  if (viaSource <= viaTarget) {
    seconds[i] = viaSource;
    nearest[i] = viaSource < Infinity ? nodeSource[u]! : -1;
  } else {
    seconds[i] = viaTarget;
    nearest[i] = nodeSource[v]!;
  }
}

/** Lowers unit i's time to center c's when c is on the unit's edge and reachable directly along it. */
export function timeAlongEdge(graph: WalkGraph, units: LinkedUnits, centers: SnapColumns, c: number, i: number, seconds: Float32Array, nearest: Int32Array): void {
  const e = centers.edge[c]!;
  const along = alongEdgeCost(graph, e, units.snaps.fraction[i]!, centers.fraction[c]!);
  if (along < 0) return;
  const t = accessCost(units.snaps.distanceM[i]!) + along + accessCost(centers.distanceM[c]!);
  if (t < seconds[i]!) {
    seconds[i] = t;
    nearest[i] = c;
  }
}
