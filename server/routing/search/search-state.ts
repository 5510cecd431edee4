/**
 * Per-search arrays, reused across searches on one graph (SearchScratch) so
 * a search allocates nothing in proportion to the graph. A generation counter
 * (`stamp[node] === gen` means "touched in this search") replaces clearing
 * the arrays: starting a search is O(1), not O(nodes).
 */
import { IndexedMinHeap } from './binary-heap.ts';
import { BucketQueue } from './bucket-queue.ts';
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
  /** Settled nodes, each once: order[0 .. settledCount); in order of time (runSearch) or of time bucket (runBucketSearch). */
  readonly order: Uint32Array;
  settledCount = 0;
  private bucketQueue: BucketQueue | undefined;

  constructor(nodeCount: number) {
    this.nodeCount = nodeCount;
    this.dist = new Float64Array(nodeCount);
    this.predArc = new Int32Array(nodeCount);
    this.source = new Int32Array(nodeCount);
    this.stamp = new Uint32Array(nodeCount);
    this.heap = new IndexedMinHeap(nodeCount);
    this.order = new Uint32Array(nodeCount);
  }

  /**
   * The queue of runBucketSearch, made on first use. Buckets 10 graph units
   * (seconds at the default speed) wide: on the demo city's standard check
   * widths from 1 to 30 ran within 10% of each other.
   */
  buckets(): BucketQueue {
    return (this.bucketQueue ??= new BucketQueue(this.nodeCount, 10));
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

/** States a scratch keeps between searches (searches run one at a time; a few allow nesting). */
const KEPT_STATES = 4;

/**
 * The search scratch of one graph: states handed out for one search at a
 * time and taken back after, so a search allocates nothing in proportion to
 * the graph. The one scratch-memory style of routing and isochrones: a
 * `*Scratch` object holds the reusable buffers of one kind of computation,
 * its owner (here whoever loaded the graph) creates it and passes it as the
 * last, optional argument; without it a computation allocates fresh buffers.
 */
export class SearchScratch {
  private readonly free: SearchState[] = [];

  constructor(readonly graph: WalkGraph) {}

  /** Runs fn with a state of this graph and always takes it back. */
  use<T>(fn: (state: SearchState) => T): T {
    const state = this.free.pop() ?? new SearchState(this.graph.nodeCount);
    state.begin();
    try {
      return fn(state);
    } finally {
      if (this.free.length < KEPT_STATES) this.free.push(state);
    }
  }
}

/** Runs fn with a state from `scratch`, or with a fresh one when there is none. */
export function withState<T>(graph: WalkGraph, fn: (state: SearchState) => T, scratch?: SearchScratch): T {
  if (scratch) {
    if (scratch.graph !== graph) throw new Error('the search scratch belongs to another graph');
    return scratch.use(fn);
  }
  const state = new SearchState(graph.nodeCount);
  state.begin();
  return fn(state);
}
