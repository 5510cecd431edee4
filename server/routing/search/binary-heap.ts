/**
 * An indexed binary min-heap of node ids keyed by Float64 times, on typed
 * arrays: no objects per entry, and decrease-key in place (each node is in the
 * heap at most once, so the heap never outgrows the node count, unlike lazy
 * deletion which can hold one entry per relaxed arc).
 *
 * `pos[node]` is the node's slot in the heap or -1. It is -1 for every node
 * between searches: pop sets it and `clear` resets only the nodes still in
 * the heap, so no search ever pays to clear the whole array.
 */
export class IndexedMinHeap {
  /** Entries in the heap. */
  size = 0;
  private readonly nodes: Uint32Array;
  private readonly keys: Float64Array;
  private readonly pos: Int32Array;

  constructor(capacity: number) {
    this.nodes = new Uint32Array(capacity);
    this.keys = new Float64Array(capacity);
    this.pos = new Int32Array(capacity).fill(-1);
  }

  /** True when `node` is waiting in the heap. */
  contains(node: number): boolean {
    return this.pos[node]! >= 0;
  }

  /** The smallest key (Infinity when empty). */
  peekKey(): number {
    return this.size > 0 ? this.keys[0]! : Infinity;
  }

  /** Inserts `node`, or lowers its key if it is already in and `key` is smaller. */
  push(node: number, key: number): void {
    let i = this.pos[node]!;
    if (i >= 0) {
      if (key >= this.keys[i]!) return;
    } else {
      i = this.size++;
    }
    this.up(i, node, key);
  }

  /** Removes and returns the node with the smallest key. */
  pop(): number {
    const top = this.nodes[0]!;
    this.pos[top] = -1;
    const last = --this.size;
    if (last > 0) this.down(0, this.nodes[last]!, this.keys[last]!);
    return top;
  }

  /** Empties the heap, resetting only the slots in use. */
  clear(): void {
    for (let i = 0; i < this.size; i++) this.pos[this.nodes[i]!] = -1;
    this.size = 0;
  }

  /** Puts `node` with `key` into slot i (small enough for V8 to inline into the loops). */
  private place(i: number, node: number, key: number): void {
    this.nodes[i] = node;
    this.keys[i] = key;
    this.pos[node] = i;
  }

  /** Sift-up: parents with larger keys move down until `key` fits at i. */
  private up(i: number, node: number, key: number): void {
    const keys = this.keys;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! <= key) break;
      this.place(i, this.nodes[parent]!, keys[parent]!);
      i = parent;
    }
    this.place(i, node, key);
  }

  /** Sift-down: the smaller child moves up until `key` fits at i. */
  private down(i: number, node: number, key: number): void {
    const keys = this.keys;
    const size = this.size;
    const half = size >> 1;
    while (i < half) {
      const left = 2 * i + 1;
      const child = left + 1 < size && keys[left + 1]! < keys[left]! ? left + 1 : left;
      if (keys[child]! >= key) break;
      this.place(i, this.nodes[child]!, keys[child]!);
      i = child;
    }
    this.place(i, node, key);
  }
}
