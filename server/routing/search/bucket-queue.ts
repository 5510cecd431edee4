/**
 * A bucket queue of (node, time) entries for searches with a finite limit:
 * bucket b holds the entries with time in [b * width, (b + 1) * width), and
 * entries leave bucket by bucket, in any order within a bucket. Pushing and
 * popping cost O(1), where the binary heap pays a walk up or down its tree
 * (and the cache misses of its position array) on every step; for a search
 * that settles tens of thousands of nodes that is most of its time.
 *
 * No decrease-key: a node whose time drops is pushed again and the search
 * skips the stale entry (its time is no longer the node's). Entries live in
 * one pool of typed arrays, linked per bucket, grown by doubling and
 * reused from the start by the next `reset`: nothing per node is cleared
 * between searches, and a node may be visited more than once per search
 * (see bounded-search.ts, runBucketSearch), so the queue also tells the
 * search which visit is a node's first.
 */
export class BucketQueue {
  private entryNode: Uint32Array;
  private entryKey: Float64Array;
  private entryNext: Int32Array;
  private used = 0;
  /** First entry of each bucket, -1 when empty. */
  private head = new Int32Array(64);
  private bucketCount = 0;
  private cursor = 0;
  private readonly inverseWidth: number;
  /** firstVisit: `visited[node] === generation` once the node was visited in this run. */
  private readonly visited: Uint32Array;
  private generation = 0;

  /** Queues for nodes 0 .. nodeCount - 1, in buckets `width` time units wide. */
  constructor(nodeCount: number, readonly width: number) {
    this.inverseWidth = 1 / width;
    this.visited = new Uint32Array(nodeCount);
    const capacity = Math.max(64, nodeCount);
    this.entryNode = new Uint32Array(capacity);
    this.entryKey = new Float64Array(capacity);
    this.entryNext = new Int32Array(capacity);
  }

  /** Empties the queue for a run whose times never exceed `limit` (finite). */
  reset(limit: number): void {
    if (!(limit >= 0 && limit < Infinity)) throw new RangeError(`a bucket queue needs a finite limit, got ${limit}`);
    const count = Math.floor(limit * this.inverseWidth) + 1;
    if (count > this.head.length) this.head = new Int32Array(Math.max(count, 2 * this.head.length));
    this.head.fill(-1, 0, count);
    this.bucketCount = count;
    this.cursor = 0;
    this.used = 0;
    if (this.generation === 0xffffffff) {
      this.visited.fill(0);
      this.generation = 0;
    }
    this.generation++;
  }

  /** Queues `node` at `key` (at most the limit given to reset). */
  push(node: number, key: number): void {
    if (this.used === this.entryNode.length) this.grow();
    const e = this.used++;
    const b = (key * this.inverseWidth) | 0;
    this.entryNode[e] = node;
    this.entryKey[e] = key;
    this.entryNext[e] = this.head[b]!;
    this.head[b] = e;
  }

  /** Takes an entry of the lowest non-empty bucket: its index for nodeOf/keyOf, or -1 when the queue is empty. */
  pop(): number {
    const head = this.head;
    while (this.cursor < this.bucketCount) {
      const e = head[this.cursor]!;
      if (e >= 0) {
        head[this.cursor] = this.entryNext[e]!;
        return e;
      }
      this.cursor++;
    }
    return -1;
  }

  nodeOf(entry: number): number {
    return this.entryNode[entry]!;
  }

  keyOf(entry: number): number {
    return this.entryKey[entry]!;
  }

  /** True the first time it is asked for `node` since reset. */
  firstVisit(node: number): boolean {
    if (this.visited[node] === this.generation) return false;
    this.visited[node] = this.generation;
    return true;
  }

  private grow(): void {
    const capacity = 2 * this.entryNode.length;
    const node = new Uint32Array(capacity);
    const key = new Float64Array(capacity);
    const next = new Int32Array(capacity);
    node.set(this.entryNode);
    key.set(this.entryKey);
    next.set(this.entryNext);
    this.entryNode = node;
    this.entryKey = key;
    this.entryNext = next;
  }
}
