/**
 * Pooled per-search arrays, reused across searches on one graph so a search
 * allocates nothing in proportion to the graph. A generation counter
 * (`stamp[node] === gen` means "touched in this search") replaces clearing
 * the arrays: starting a search is O(1), not O(nodes).
 */
import { IndexedMinHeap } from './binary-heap.ts';
import type { WalkGraph } from '../graph/walk-graph.ts';

export class SearchState {
  readonly nodeCount: number;
  /** Best known time per node (valid where stamp === gen), in the graph's cost units. */
  readonly dist: Float64Array;
  /** Arc by which the node was reached; -1 for a seed. */
  readonly predArc: Int32Array;
  /** Which source (seed group) reached the node. */
  readonly source: Int32Array;
  readonly stamp: Uint32Array;
  gen = 0;
  readonly heap: IndexedMinHeap;
  /** Settled nodes in order of time: order[0 .. settledCount). */
  readonly order: Uint32Array;
  settledCount = 0;

  constructor(nodeCount: number) {
    this.nodeCount = nodeCount;
    this.dist = new Float64Array(nodeCount);
    this.predArc = new Int32Array(nodeCount);
    this.source = new Int32Array(nodeCount);
    this.stamp = new Uint32Array(nodeCount);
    this.heap = new IndexedMinHeap(nodeCount);
    this.order = new Uint32Array(nodeCount);
  }

  /** Starts a new search: forgets every node in O(1). */
  begin(): void {
    this.heap.clear();
    this.settledCount = 0;
    if (this.gen === 0xffffffff) {
      // Once per 4 billion searches: the counter wraps, so really clear.
      this.stamp.fill(0);
      this.gen = 0;
    }
    this.gen++;
  }

  /** True when the node was reached (seeded or relaxed) in this search. */
  touched(node: number): boolean {
    return this.stamp[node] === this.gen;
  }

  /** This search's time to `node`, Infinity when not reached. */
  time(node: number): number {
    return this.stamp[node] === this.gen ? this.dist[node]! : Infinity;
  }

  /** Starts the search at `node` with `time` on behalf of `source`; keeps a better existing seed. */
  seed(node: number, time: number, source: number): void {
    if (this.stamp[node] === this.gen && this.dist[node]! <= time) return;
    this.stamp[node] = this.gen;
    this.dist[node] = time;
    this.predArc[node] = -1;
    this.source[node] = source;
    this.heap.push(node, time);
  }
}

const pools = new WeakMap<WalkGraph, SearchState[]>();

/** A state sized for `graph`, from its pool; give it back with releaseState. */
export function acquireState(graph: WalkGraph): SearchState {
  const pool = pools.get(graph);
  const state = pool?.pop() ?? new SearchState(graph.nodeCount);
  state.begin();
  return state;
}

/** Returns a state to its graph's pool. */
export function releaseState(graph: WalkGraph, state: SearchState): void {
  let pool = pools.get(graph);
  if (!pool) pools.set(graph, (pool = []));
  if (pool.length < 4) pool.push(state);
}

/** Runs fn with a pooled state and always gives it back. */
export function withState<T>(graph: WalkGraph, fn: (state: SearchState) => T): T {
  const state = acquireState(graph);
  try {
    return fn(state);
  } finally {
    releaseState(graph, state);
  }
}
