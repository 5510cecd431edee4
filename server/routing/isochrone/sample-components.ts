/**
 * The connected components of the inside samples of a distance field (code
 * <= INSIDE_MAX), for grouping traced rings into polygons. Samples connect
 * along the edges of the tracing triangulation: to the left and right, up
 * and down, and along the south-west to north-east diagonal of each cell, the
 * only diagonal the triangles have (trace-contours.ts). Two inside samples
 * joined by such an edge are in one piece of the contour (the interpolated
 * field is below r all along the edge), and every piece holds samples, so
 * these components are exactly the polygons.
 *
 * Components come from runs of inside samples per row, joined by union-find
 * where a run of the row above shares a column with a run below, or starts
 * one column to the right of where a run below ends (the diagonal): memory
 * per run, not per sample.
 */
import { BLOCK, BLOCK_SHIFT, type DistanceField } from './distance-field.ts';
import { GrowableArray } from '../../../kernel/growable-array.ts';

/** Top bits of four codes: all set means four outside samples. */
const OUTSIDE4 = 0x80808080;

export class SampleComponents {
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly parent: Int32Array;
  /** Runs of row j (from j0) are rowFirst[j - j0] .. rowFirst[j - j0 + 1] - 1. */
  private readonly rowFirst: Int32Array;
  private readonly width: number;
  private readonly j0: number;

  /** Components of the inside samples in columns i0..i1 of rows j0..j1 (none outside them may be inside). */
  constructor(field: DistanceField, i0: number, j0: number, i1: number, j1: number) {
    const { width: w, codes, blocks, blocksX } = field;
    const words = w % 4 === 0 && codes.byteOffset % 4 === 0 ? new Uint32Array(codes.buffer, codes.byteOffset, codes.length >> 2) : null;
    this.width = w;
    this.j0 = j0;
    // Runs as start and end columns, appended together.
    const starts = new GrowableArray(new Int32Array(1024));
    const ends = new GrowableArray(new Int32Array(1024));
    this.rowFirst = new Int32Array(j1 - j0 + 2);
    for (let j = j0; j <= j1; j++) {
      this.rowFirst[j - j0] = starts.length;
      const row = j * w;
      const blockRow = (j >> BLOCK_SHIFT) * blocksX;
      let open = -1;
      for (let i = i0; i <= i1; i++) {
        if (open < 0 && (i & (BLOCK - 1)) === 0 && blocks[blockRow + (i >> BLOCK_SHIFT)] === 0) {
          i += BLOCK - 1;
          continue;
        }
        // Four outside samples at once.
        if (open < 0 && words !== null && ((row + i) & 3) === 0 && i + 3 <= i1 && (words[(row + i) >> 2]! & OUTSIDE4) === OUTSIDE4) {
          i += 3;
          continue;
        }
        const on = codes[row + i]! < 128;
        if (on && open < 0) open = i;
        else if (!on && open >= 0) {
          starts.push(open);
          ends.push(i - 1);
          open = -1;
        }
      }
      if (open >= 0) {
        starts.push(open);
        ends.push(i1);
      }
    }
    const n = starts.length;
    this.rowFirst[j1 - j0 + 1] = n;
    const start = starts.data;
    const end = ends.data;
    this.start = start;
    this.end = end;
    const parent = new Int32Array(n);
    for (let r = 0; r < n; r++) parent[r] = r;
    this.parent = parent;
    // A run [a, b] of row j touches the columns [a - 1, b] of row j - 1 (straight down, or down the diagonal).
    for (let j = j0 + 1; j <= j1; j++) {
      let c = this.rowFirst[j - j0 - 1]!;
      const cEnd = this.rowFirst[j - j0]!;
      for (let b = cEnd, bEnd = this.rowFirst[j - j0 + 1]!; b < bEnd; b++) {
        while (c < cEnd && end[c]! < start[b]! - 1) c++;
        for (let k = c; k < cEnd && start[k]! <= end[b]!; k++) this.union(b, k);
      }
    }
  }

  private find(r: number): number {
    const parent = this.parent;
    while (parent[r] !== r) {
      parent[r] = parent[parent[r]!]!;
      r = parent[r]!;
    }
    return r;
  }

  private union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[ra < rb ? rb : ra] = ra < rb ? ra : rb;
  }

  /** The component (a run id) of an inside sample. */
  componentOf(sample: number): number {
    const j = Math.floor(sample / this.width);
    const i = sample - j * this.width;
    let lo = this.rowFirst[j - this.j0]!;
    let hi = this.rowFirst[j - this.j0 + 1]! - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.start[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    return this.find(lo);
  }
}
