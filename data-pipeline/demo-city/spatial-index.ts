/**
 * Two small bucket grids in local metres: one over the network's segments
 * (how far is a point from the nearest street), one over placed footprints
 * (does a new building overlap an earlier one). Buckets keep each query to a
 * handful of candidates.
 */

export class SegmentGrid {
  private readonly offsets: Int32Array;
  private readonly items: Int32Array;
  private readonly nx: number;
  private readonly ny: number;

  /** Segments from polylines: vertex offsets (per polyline) over flat xy. */
  constructor(
    private readonly xy: Float64Array,
    private readonly polylineOffsets: Int32Array,
    private readonly x0: number,
    private readonly y0: number,
    xMax: number,
    yMax: number,
    private readonly cell: number,
  ) {
    this.nx = Math.ceil((xMax - x0) / cell) + 1;
    this.ny = Math.ceil((yMax - y0) / cell) + 1;
    const counts = new Int32Array(this.nx * this.ny + 1);
    this.forEachSegmentBucket((b) => counts[b + 1]++);
    for (let b = 0; b < this.nx * this.ny; b++) counts[b + 1] += counts[b];
    this.offsets = counts;
    this.items = new Int32Array(counts[this.nx * this.ny]);
    const fill = counts.slice(0, this.nx * this.ny);
    this.forEachSegmentBucket((b, seg) => {
      this.items[fill[b]++] = seg;
    });
  }

  /** Segment id = index of its first vertex in xy / 2. */
  private forEachSegmentBucket(emit: (bucket: number, seg: number) => void): void {
    const lines = this.polylineOffsets.length - 1;
    for (let l = 0; l < lines; l++) {
      for (let v = this.polylineOffsets[l]; v < this.polylineOffsets[l + 1] - 1; v++) {
        const ax = this.xy[2 * v];
        const ay = this.xy[2 * v + 1];
        const bx = this.xy[2 * v + 2];
        const by = this.xy[2 * v + 3];
        const i0 = this.bx(Math.min(ax, bx));
        const i1 = this.bx(Math.max(ax, bx));
        const j0 = this.by(Math.min(ay, by));
        const j1 = this.by(Math.max(ay, by));
        for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) emit(j * this.nx + i, v);
      }
    }
  }

  private bx(x: number): number {
    return Math.max(0, Math.min(this.nx - 1, Math.floor((x - this.x0) / this.cell)));
  }

  private by(y: number): number {
    return Math.max(0, Math.min(this.ny - 1, Math.floor((y - this.y0) / this.cell)));
  }

  /** Distance from (x, y) to the nearest segment, if within `radius` (<= cell); else Infinity. */
  nearestDistance(x: number, y: number, radius: number): number {
    let best = Infinity;
    const i0 = this.bx(x - radius);
    const i1 = this.bx(x + radius);
    const j0 = this.by(y - radius);
    const j1 = this.by(y + radius);
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        const b = j * this.nx + i;
        for (let k = this.offsets[b]; k < this.offsets[b + 1]; k++) {
          const v = this.items[k];
          const ax = this.xy[2 * v];
          const ay = this.xy[2 * v + 1];
          const dx = this.xy[2 * v + 2] - ax;
          const dy = this.xy[2 * v + 3] - ay;
          const len2 = dx * dx + dy * dy;
          let t = len2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0;
          t = t < 0 ? 0 : t > 1 ? 1 : t;
          const ex = ax + t * dx - x;
          const ey = ay + t * dy - y;
          const d = Math.sqrt(ex * ex + ey * ey);
          if (d < best) best = d;
        }
      }
    }
    return best <= radius ? best : Infinity;
  }
}

/**
 * Circles inserted one by one; overlap queries against those inserted so far.
 * A fixed bucket grid over the extent with linked lists in typed arrays.
 */
export class CircleHash {
  private readonly head: Int32Array;
  private next = new Int32Array(1024);
  private circles = new Float64Array(3 * 1024);
  private count = 0;
  private readonly nx: number;
  private readonly ny: number;

  /** `cell` must be at least twice the largest radius. */
  constructor(
    private readonly x0: number,
    private readonly y0: number,
    xMax: number,
    yMax: number,
    private readonly cell: number,
  ) {
    this.nx = Math.ceil((xMax - x0) / cell) + 1;
    this.ny = Math.ceil((yMax - y0) / cell) + 1;
    this.head = new Int32Array(this.nx * this.ny).fill(-1);
  }

  private bucket(i: number, j: number): number {
    if (i < 0 || j < 0 || i >= this.nx || j >= this.ny) return -1;
    return j * this.nx + i;
  }

  overlaps(x: number, y: number, r: number): boolean {
    const ci = Math.floor((x - this.x0) / this.cell);
    const cj = Math.floor((y - this.y0) / this.cell);
    for (let j = cj - 1; j <= cj + 1; j++) {
      for (let i = ci - 1; i <= ci + 1; i++) {
        const b = this.bucket(i, j);
        if (b < 0) continue;
        for (let k = this.head[b]; k >= 0; k = this.next[k]) {
          const dx = this.circles[3 * k] - x;
          const dy = this.circles[3 * k + 1] - y;
          const lim = this.circles[3 * k + 2] + r;
          if (dx * dx + dy * dy < lim * lim) return true;
        }
      }
    }
    return false;
  }

  insert(x: number, y: number, r: number): void {
    const b = this.bucket(Math.floor((x - this.x0) / this.cell), Math.floor((y - this.y0) / this.cell));
    if (b < 0) throw new Error('CircleHash: point outside the extent');
    if (this.count === this.next.length) {
      const next = new Int32Array(this.count * 2);
      next.set(this.next);
      this.next = next;
      const circles = new Float64Array(this.count * 6);
      circles.set(this.circles);
      this.circles = circles;
    }
    const k = this.count++;
    this.circles[3 * k] = x;
    this.circles[3 * k + 1] = y;
    this.circles[3 * k + 2] = r;
    this.next[k] = this.head[b];
    this.head[b] = k;
  }
}
