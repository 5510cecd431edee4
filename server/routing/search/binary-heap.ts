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

  private up(i: number, node: number, key: number): void {
    const nodes = this.nodes;
    const keys = this.keys;
    const pos = this.pos;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentKey = keys[parent]!;
      if (parentKey <= key) break;
      const parentNode = nodes[parent]!;
      nodes[i] = parentNode;
      keys[i] = parentKey;
      pos[parentNode] = i;
      i = parent;
    }
    nodes[i] = node;
    keys[i] = key;
    pos[node] = i;
  }

  private down(i: number, node: number, key: number): void {
    const nodes = this.nodes;
    const keys = this.keys;
    const pos = this.pos;
    const size = this.size;
    const half = size >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      let childKey = keys[child]!;
      const right = child + 1;
      if (right < size && keys[right]! < childKey) {
        child = right;
        childKey = keys[right]!;
      }
      if (childKey >= key) break;
      const childNode = nodes[child]!;
      nodes[i] = childNode;
      keys[i] = childKey;
      pos[childNode] = i;
      i = child;
    }
    nodes[i] = node;
    keys[i] = key;
    pos[node] = i;
  }
}
