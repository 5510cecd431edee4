/**
 * Compact storage for what one streaming pass over an OSM file must keep:
 * every node's coordinates (NodeStore) and the node references of the ways we
 * use (WayRefs), both in flat typed arrays.
 *
 * Why all nodes: an OSM file lists nodes first, then ways, and we read it once.
 * While nodes stream past we cannot yet know which ones a walkable way or a
 * building will reference, so every node is kept. At 16 bytes per node (8 for
 * the id, 4 + 4 for lon/lat) a 10-million-node extract needs 160 MB; objects
 * or a Map per node would need about ten times that.
 */

import { ensureCapacity, trimmed } from '../../kernel/growable-array.ts';

/** Fixed-point scale: OSM stores coordinates to 1e-7 degrees, so Int32 at this scale is lossless. */
const FIXED = 1e7;

/**
 * Node id -> lon/lat. Ids are appended in file order (ascending in a sorted
 * OSM file) and looked up by binary search, which needs no hash table. If the
 * ids arrive unsorted, `seal()` sorts them once; adding after sealing is
 * allowed (the store re-seals on the next lookup).
 */
export class NodeStore {
  private ids = new Float64Array(1 << 16);
  private lons = new Int32Array(1 << 16);
  private lats = new Int32Array(1 << 16);
  private n = 0;
  private sorted = true;
  private sealed = false;

  get count(): number {
    return this.n;
  }

  add(id: number, lon: number, lat: number): void {
    const i = this.n;
    if (i === this.ids.length) {
      this.ids = ensureCapacity(this.ids, i + 1);
      this.lons = ensureCapacity(this.lons, i + 1);
      this.lats = ensureCapacity(this.lats, i + 1);
    }
    if (i > 0 && id <= this.ids[i - 1]!) this.sorted = false;
    this.ids[i] = id;
    this.lons[i] = Math.round(lon * FIXED);
    this.lats[i] = Math.round(lat * FIXED);
    this.n = i + 1;
    this.sealed = false;
  }

  /**
   * Ends the node phase: trims the arrays to size (growth by doubling leaves
   * up to half of them empty, and the store lives through the whole import)
   * and sorts by id if the file was not sorted. Lookups call it too.
   */
  seal(): void {
    if (this.sealed) return;
    this.sealed = true;
    if (this.ids.length > this.n + (this.n >>> 4) + 1024) {
      this.ids = trimmed(this.ids, this.n);
      this.lons = trimmed(this.lons, this.n);
      this.lats = trimmed(this.lats, this.n);
    }
    if (this.sorted) return;
    const n = this.n;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const ids = this.ids;
    order.sort((a, b) => ids[a]! - ids[b]! || a - b);
    const nextIds = new Float64Array(n);
    const nextLons = new Int32Array(n);
    const nextLats = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      nextIds[k] = ids[i]!;
      nextLons[k] = this.lons[i]!;
      nextLats[k] = this.lats[i]!;
    }
    this.ids = nextIds;
    this.lons = nextLons;
    this.lats = nextLats;
    this.sorted = true;
  }

  /**
   * The store index of a node id, or -1 when the file does not have it.
   * `hint`: the index of the previous ref of the same way. Nodes drawn
   * together get consecutive ids, so the next ref is very often at hint + 1;
   * checking it first skips most binary searches.
   */
  indexOf(id: number, hint = -1): number {
    if (!this.sealed) this.seal();
    const ids = this.ids;
    if (hint >= 0 && hint + 1 < this.n && ids[hint + 1] === id) return hint + 1;
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = ids[mid]!;
      if (v < id) lo = mid + 1;
      else if (v > id) hi = mid - 1;
      else return mid;
    }
    return -1;
  }

  /** Node id at a store index. */
  id(index: number): number {
    return this.ids[index]!;
  }

  lon(index: number): number {
    return this.lons[index]! / FIXED;
  }

  lat(index: number): number {
    return this.lats[index]! / FIXED;
  }

  /** Bytes held, for the report and the memory test. */
  get bytes(): number {
    return this.ids.byteLength + this.lons.byteLength + this.lats.byteLength;
  }
}

/**
 * The node references of a set of ways, kept until the node phase is over:
 * all refs in one Float64Array, way k's refs at refs[offset[k] .. offset[k+1]),
 * plus the way ids. Callers keep their own per-way attributes in parallel arrays.
 */
export class WayRefs {
  private refBuf = new Float64Array(1 << 12);
  private offsetBuf = new Int32Array(1 << 8);
  private idBuf = new Float64Array(1 << 8);
  private n = 0;
  private refCount = 0;

  get count(): number {
    return this.n;
  }

  /** Appends a way (copies its refs: readers reuse their buffers); returns its index. */
  add(id: number, refs: ArrayLike<number>): number {
    const k = this.n;
    const len = refs.length;
    if (this.refCount + len > this.refBuf.length) this.refBuf = ensureCapacity(this.refBuf, this.refCount + len);
    if (k + 2 > this.offsetBuf.length) {
      this.offsetBuf = ensureCapacity(this.offsetBuf, k + 2);
      this.idBuf = ensureCapacity(this.idBuf, k + 2);
    }
    const buf = this.refBuf;
    let at = this.refCount;
    for (let i = 0; i < len; i++) buf[at++] = refs[i]!;
    this.offsetBuf[k] = this.refCount;
    this.offsetBuf[k + 1] = at;
    this.idBuf[k] = id;
    this.refCount = at;
    this.n = k + 1;
    return k;
  }

  /** OSM id of way k. */
  id(k: number): number {
    return this.idBuf[k]!;
  }

  /** Start of way k's refs in `refs`. */
  start(k: number): number {
    return this.offsetBuf[k]!;
  }

  /** End (exclusive) of way k's refs in `refs`. */
  end(k: number): number {
    return this.offsetBuf[k + 1]!;
  }

  /** All refs (valid up to end(count - 1)). */
  get refs(): Float64Array {
    return this.refBuf;
  }

  get totalRefs(): number {
    return this.refCount;
  }
}
