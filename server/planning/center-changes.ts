/**
 * Coverage after a few centers change, without searching the whole city
 * again: the evaluation of the centers before (its per-node times and
 * nearest centers) is repaired where the change reaches, and only the
 * household units on edges whose ends changed are resolved again. The
 * answer is the one a from-scratch evaluation of the new center set gives
 * (household-coverage.ts), unit by unit; center-changes.test.ts checks that
 * on seeded random changes.
 *
 * Repair, with times to the nearest center ("to" searches, as coverage
 * measures them):
 *   1. Removed centers (and the old places of moved ones): every node whose
 *      nearest center was one of them loses its time; each such node is
 *      seeded from its neighbours that kept theirs and from the remaining
 *      centers on its edges, and a Dijkstra restricted to improvements
 *      fills the hole. Nodes that kept their time were already best for
 *      the remaining centers.
 *   2. Added centers (and the new places of moved ones) seed their edges'
 *      ends where they beat the time there, and the same Dijkstra spreads
 *      the improvement until it meets nodes that are closer to another
 *      center.
 * A moved center keeps its index, so `nearest` still names it.
 */
import { IndexedMinHeap } from '../routing/search/binary-heap.ts';
import { accessCost, costFromSource, costFromTarget } from '../routing/search/partial-edge.ts';
import type { SnapColumns } from '../routing/search/snap.ts';
import { ARC_EDGE_MASK, type WalkGraph } from '../routing/graph/walk-graph.ts';
import { timeAlongEdge, timeViaNodes, type HouseholdCoverage, type LinkedUnits } from '../coverage/household-coverage.ts';

/**
 * Reusable buffers for repairs on one graph and one set of units (the
 * scratch style of docs/architecture.md): the heap and the marks, each
 * cleared after use by undoing only what was marked.
 */
export class ChangeScratch {
  readonly heap: IndexedMinHeap;
  readonly nodeMark: Uint8Array;
  readonly unitMark: Uint8Array;
  /** The node times and nearest centers being repaired (a copy of the base's each time). */
  readonly time: Float64Array;
  readonly source: Int32Array;

  constructor(nodeCount: number, unitCount: number) {
    this.heap = new IndexedMinHeap(nodeCount);
    this.nodeMark = new Uint8Array(nodeCount);
    this.unitMark = new Uint8Array(unitCount);
    this.time = new Float64Array(nodeCount);
    this.source = new Int32Array(nodeCount);
  }
}

export interface ChangedCoverage {
  coverage: HouseholdCoverage;
  /** The household units whose time or nearest center was computed again (the others are copied). */
  changedUnits: Uint32Array;
  /** Nodes whose time or nearest center changed. */
  changedNodes: number;
}

/** Whether center c's snap differs between two center sets (edge -1: not there). */
function sameSnap(a: SnapColumns, b: SnapColumns, c: number): boolean {
  const inA = c < a.count ? a.edge[c]! : -1;
  const inB = c < b.count ? b.edge[c]! : -1;
  if (inA !== inB) return false;
  return inA < 0 || (a.fraction[c] === b.fraction[c] && a.distanceM[c] === b.distanceM[c]);
}

/**
 * The coverage of `next` from the coverage `base` of `before`. The center
 * sets share indices: a center keeps its index, removed ones have edge -1 in
 * `next`, added ones come after `before.count`. The answer's per-unit arrays
 * are its own; its per-node arrays are the scratch's (valid until the
 * scratch's next repair; pass a fresh scratch to keep them).
 */
export function coverageAfterChanges(
  graph: WalkGraph,
  units: LinkedUnits,
  before: SnapColumns,
  base: HouseholdCoverage,
  next: SnapColumns,
  scratch = new ChangeScratch(graph.nodeCount, units.count),
): ChangedCoverage {
  const started = performance.now();
  const n = graph.nodeCount;
  const time = scratch.time;
  const source = scratch.source;
  time.set(base.nodeTime);
  source.set(base.nodeSource);
  const changedNode = scratch.nodeMark;
  const changedList: number[] = [];
  const markNode = (v: number) => {
    if (changedNode[v]) return;
    changedNode[v] = 1;
    changedList.push(v);
  };
  const gone = new Uint8Array(Math.max(before.count, next.count));
  const changed: number[] = [];
  for (let c = 0; c < Math.max(before.count, next.count); c++) {
    if (sameSnap(before, next, c)) continue;
    changed.push(c);
    if (c < before.count && before.edge[c]! >= 0) gone[c] = 1;
  }
  const heap = scratch.heap;
  const offer = (v: number, t: number, s: number) => {
    if (!(t < time[v]!)) return;
    time[v] = t;
    source[v] = s;
    markNode(v);
    heap.push(v, t);
  };

  // 1. Nodes served by a removed center lose their time ...
  const hole: number[] = [];
  for (let v = 0; v < n; v++) {
    const s = source[v]!;
    if (s >= 0 && gone[s]) {
      hole.push(v);
      time[v] = Infinity;
      source[v] = -1;
      markNode(v);
    }
  }
  // ... and are seeded from the neighbours that kept theirs (walking v -> w is arcCost of v's arc to w) ...
  for (const v of hole) {
    for (let a = graph.arcOffset[v]!, end = graph.arcOffset[v + 1]!; a < end; a++) {
      const w = graph.arcTarget[a]!;
      const c = graph.arcCost[a]!;
      if (c >= 0 && source[w]! >= 0) offer(v, time[w]! + c, source[w]!);
    }
  }
  // ... and from the centers that stay, where their edge ends in the hole.
  if (hole.length > 0) {
    for (let c = 0; c < next.count; c++) if (next.edge[c]! >= 0 && sameSnap(before, next, c)) seedCenter(graph, next, c, offer);
  }
  spread(graph, heap, time, source, offer);

  // 2. Added and moved centers seed their edges' ends where they beat the time there.
  for (const c of changed) if (c < next.count && next.edge[c]! >= 0) seedCenter(graph, next, c, offer);
  spread(graph, heap, time, source, offer);

  // Units to resolve again: on the edges of changed nodes, and on the edges of changed centers.
  const unitChanged = scratch.unitMark;
  const unitList: number[] = [];
  const markEdge = (e: number) => {
    for (let k = units.edgeOffset[e]!, end = units.edgeOffset[e + 1]!; k < end; k++) {
      const i = units.unitsOnEdge[k]!;
      if (!unitChanged[i]) {
        unitChanged[i] = 1;
        unitList.push(i);
      }
    }
  };
  for (const v of changedList) for (let a = graph.arcOffset[v]!, end = graph.arcOffset[v + 1]!; a < end; a++) markEdge(graph.arcEdge[a]! & ARC_EDGE_MASK);
  for (const c of changed) {
    if (c < before.count && before.edge[c]! >= 0) markEdge(before.edge[c]!);
    if (c < next.count && next.edge[c]! >= 0) markEdge(next.edge[c]!);
  }

  // Resolve them as householdCoverage does: through the nodes, then each center on the unit's edge in index order.
  const seconds = base.seconds.slice();
  const nearest = base.nearest.slice();
  const onEdge = centersByEdge(next);
  for (const i of unitList) {
    timeViaNodes(units, time, source, i, seconds, nearest);
    const e = units.snaps.edge[i]!;
    for (const c of e >= 0 ? (onEdge.get(e) ?? []) : []) timeAlongEdge(graph, units, next, c, i, seconds, nearest);
  }
  // Leave the scratch as it was given: unmark what was marked.
  for (const v of changedList) changedNode[v] = 0;
  for (const i of unitList) unitChanged[i] = 0;
  const totalMs = performance.now() - started;
  return {
    coverage: { seconds, nearest, nodeTime: time, nodeSource: source, searchMs: totalMs, totalMs },
    changedUnits: Uint32Array.from(unitList),
    changedNodes: changedList.length,
  };
}

/** Offers center c's edge ends its time to them ("to" the center: access leg plus the partial edge). */
function seedCenter(graph: WalkGraph, centers: SnapColumns, c: number, offer: (v: number, t: number, s: number) => void): void {
  const e = centers.edge[c]!;
  const f = centers.fraction[c]!;
  const access = accessCost(centers.distanceM[c]!);
  const atSource = costFromSource(graph, e, f);
  const atTarget = costFromTarget(graph, e, f);
  if (atSource >= 0) offer(graph.edgeSource[e]!, access + atSource, c);
  if (atTarget >= 0) offer(graph.edgeTarget[e]!, access + atTarget, c);
}

/** Dijkstra over improvements only: a settled node lowers its neighbours where its way is shorter. */
function spread(graph: WalkGraph, heap: IndexedMinHeap, time: Float64Array, source: Int32Array, offer: (v: number, t: number, s: number) => void): void {
  while (heap.size > 0) {
    const u = heap.pop();
    const tu = time[u]!;
    const su = source[u]!;
    for (let a = graph.arcOffset[u]!, end = graph.arcOffset[u + 1]!; a < end; a++) {
      // Towards u along the arc's edge: the reverse cost, as the "to" search walks it.
      const c = graph.arcReverseCost[a]!;
      if (c >= 0) offer(graph.arcTarget[a]!, tu + c, su);
    }
  }
}

/** Center indices per edge, ascending, for the direct along-the-edge times. */
function centersByEdge(centers: SnapColumns): Map<number, number[]> {
  const byEdge = new Map<number, number[]>();
  for (let c = 0; c < centers.count; c++) {
    const e = centers.edge[c]!;
    if (e < 0) continue;
    let list = byEdge.get(e);
    if (!list) byEdge.set(e, (list = []));
    list.push(c);
  }
  return byEdge;
}
