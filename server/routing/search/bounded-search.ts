/**
 * The search: Dijkstra with a time limit over the CSR graph, on a pooled
 * SearchState (typed arrays, indexed binary heap). Callers seed it (from a
 * snapped point with `seedFromSnap`, from a node with `state.seed`, or from
 * many sources for multi-source-search.ts) and run it forwards (times FROM
 * the seeds) or in reverse (times TO the seeds, for "how long from here to
 * the nearest center", which differs where one-way paths exist).
 *
 * Times are in the graph's units (seconds at the default speed); scale by
 * DEFAULT_SPEED_KMH / speed for another speed, which changes every cost by
 * the same factor and so changes no shortest path.
 */
import { withState, type SearchScratch, type SearchState } from './search-state.ts';
import { accessCost, costFromSource, costFromTarget, costToSource, costToTarget } from './partial-edge.ts';
import type { Snap } from './snap.ts';
import type { WalkGraph } from '../graph/walk-graph.ts';

/** 'from': the search leaves the point; 'to': the search finds times to reach the point. */
export type SearchDirection = 'from' | 'to';

/**
 * Seeds the two ends of the snapped edge: access leg plus the partial edge to
 * each end, only in directions walkers may take (a one-way edge seeds one end).
 */
export function seedFromSnap(graph: WalkGraph, state: SearchState, snap: Snap, source: number, direction: SearchDirection = 'from'): void {
  seedAtEdgePoint(graph, state, snap.edge, snap.fraction, snap.distanceM, source, direction);
}

/** seedFromSnap for a snap given as its parts (snap columns, many sources). */
export function seedAtEdgePoint(
  graph: WalkGraph,
  state: SearchState,
  edge: number,
  fraction: number,
  accessM: number,
  source: number,
  direction: SearchDirection,
): void {
  const access = accessCost(accessM);
  const toSource = direction === 'from' ? costToSource(graph, edge, fraction) : costFromSource(graph, edge, fraction);
  const toTarget = direction === 'from' ? costToTarget(graph, edge, fraction) : costFromTarget(graph, edge, fraction);
  if (toSource >= 0) state.seed(graph.edgeSource[edge]!, access + toSource, source);
  if (toTarget >= 0) state.seed(graph.edgeTarget[edge]!, access + toTarget, source);
}

/**
 * Settles nodes in order of time until none is left within `limit` (graph
 * units). Settled nodes are state.order[0 .. settledCount); their times are
 * state.dist and their tree arcs state.predArc.
 *
 * `rest`, when given, is a lower bound per node on the time any use of the
 * search still needs beyond it (site suggestion: the walk from the nearest
 * uncovered household to the node): a node whose time plus its bound is
 * over the limit is not reached at all, which keeps the search to the part
 * of the network that can matter.
 */
export function runSearch(graph: WalkGraph, state: SearchState, limit: number, direction: SearchDirection = 'from', rest?: Float64Array): void {
  const { dist, heap, order } = state;
  // Reverse search walks each arc backwards: the cost of head -> tail.
  const arcCost = direction === 'from' ? graph.arcCost : graph.arcReverseCost;
  let settled = state.settledCount;
  while (heap.size > 0) {
    if (heap.peekKey() > limit) break;
    const u = heap.pop();
    order[settled++] = u;
    relaxArcs(graph, state, arcCost, u, dist[u]!, limit, rest, heap);
  }
  state.settledCount = settled;
}

/**
 * Lowers the time of every node one arc from u (reached at du) where that is
 * better and within the limit (and the rest bound), with u's source and the
 * arc, and queues it: the step both searches share, whichever queue they use.
 */
function relaxArcs(graph: WalkGraph, state: SearchState, arcCost: Float32Array, u: number, du: number, limit: number, rest: Float64Array | undefined, queue: { push(node: number, key: number): void }): void {
  const { dist, stamp, predArc, source } = state;
  const gen = state.gen;
  const arcTarget = graph.arcTarget;
  const su = source[u]!;
  for (let a = graph.arcOffset[u]!, end = graph.arcOffset[u + 1]!; a < end; a++) {
    const c = arcCost[a]!;
    if (c < 0) continue;
    const nd = du + c;
    if (nd > limit) continue;
    const v = arcTarget[a]!;
    if (rest !== undefined && nd + rest[v]! > limit) continue;
    if (stamp[v] !== gen) {
      stamp[v] = gen;
    } else if (nd >= dist[v]!) {
      continue;
    }
    dist[v] = nd;
    predArc[v] = a;
    source[v] = su;
    queue.push(v, nd);
  }
}

/**
 * runSearch on a bucket queue (bucket-queue.ts), for a finite `limit`: the
 * same times, reached nodes, arcs and sources, at a fraction of the cost,
 * but state.order is in time order only bucket by bucket. Callers that read
 * the settled nodes as a set (which are reached, and how fast) use it; those
 * that need them strictly by time keep runSearch.
 *
 * Why it is exact: buckets are taken in order, so when a node leaves bucket
 * b every node of an earlier bucket is final. Within a bucket, a node may
 * be visited before a neighbour in the same bucket lowers its time; it is
 * then queued again and visited again, until the bucket is empty (the
 * one-core form of delta-stepping). It appears in state.order once.
 * Start it as runSearch: seed the state, then call this instead.
 */
export function runBucketSearch(graph: WalkGraph, state: SearchState, limit: number, direction: SearchDirection = 'from'): void {
  const { dist, heap, order } = state;
  const queue = state.buckets();
  queue.reset(limit);
  // The seeds wait in the heap (state.seed), one entry per node with its best time.
  while (heap.size > 0) {
    const v = heap.pop();
    if (dist[v]! <= limit) queue.push(v, dist[v]!);
  }
  const arcCost = direction === 'from' ? graph.arcCost : graph.arcReverseCost;
  let settled = state.settledCount;
  for (let entry = queue.pop(); entry >= 0; entry = queue.pop()) {
    const u = queue.nodeOf(entry);
    const du = queue.keyOf(entry);
    if (du !== dist[u]) continue; // stale: u was queued again with a lower time
    if (queue.firstVisit(u)) order[settled++] = u;
    relaxArcs(graph, state, arcCost, u, du, limit, undefined, queue);
  }
  state.settledCount = settled;
}

/**
 * Times from one node to every node within `limit` (graph units), Infinity
 * elsewhere: the plain single-source search, as pgr_drivingDistance does it.
 */
export function searchFromNode(
  graph: WalkGraph,
  node: number,
  limit: number,
  direction: SearchDirection = 'from',
  scratch?: SearchScratch,
): Float64Array {
  return withState(
    graph,
    (state) => {
      state.seed(node, 0, 0);
      runSearch(graph, state, limit, direction);
      return settledTimes(state, 1);
    },
    scratch,
  );
}

/** A fresh per-node array of the settled times times `scale`, Infinity for nodes not settled. */
export function settledTimes(state: SearchState, scale: number): Float64Array {
  const times = new Float64Array(state.nodeCount).fill(Infinity);
  const { order, dist } = state;
  for (let i = 0; i < state.settledCount; i++) {
    const v = order[i]!;
    times[v] = dist[v]! * scale;
  }
  return times;
}
