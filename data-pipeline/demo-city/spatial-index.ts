/**
 * Two small bucket grids in local metres: one over the network's segments
 * (how far is a point from the nearest street), one over placed footprints
 * (does a new building overlap an earlier one). Buckets keep each query to a
 * handful of candidates.
 */
import { buildGridIndex, columnOf, rowOf, type GridIndex } from '../../kernel/grid-index.ts';
import { ensureCapacity } from '../../kernel/growable-array.ts';
import { pointSegmentDistance2 } from '../../kernel/plane-geometry.ts';

/** An axis-aligned extent in local metres. */
export interface Extent {
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Columns and rows of `cell`-sized buckets from the extent's south-west corner, with a spare one on each axis. */
function bucketCounts(extent: Extent, cell: number): { cols: number; rows: number } {
  return { cols: Math.ceil((extent.xMax - extent.xMin) / cell) + 1, rows: Math.ceil((extent.yMax - extent.yMin) / cell) + 1 };
}

/**
 * The segments of polylines, bucketed by their boxes (kernel/grid-index.ts).
 * Segment v runs from vertex v to vertex v + 1 of the flat xy array; the
 * last vertex of each polyline starts none.
 */
export class SegmentGrid {
  private readonly index: GridIndex;

  /** Segments from polylines: vertex offsets (per polyline) over flat xy. */
  constructor(
    private readonly xy: Float64Array,
    polylineOffsets: Int32Array,
    extent: Extent,
    cell: number,
  ) {
    const vertices = polylineOffsets[polylineOffsets.length - 1]!;
    const startsSegment = new Uint8Array(vertices);
    for (let l = 0; l + 1 < polylineOffsets.length; l++) startsSegment.fill(1, polylineOffsets[l], polylineOffsets[l + 1]! - 1);
    const { cols, rows } = bucketCounts(extent, cell);
    this.index = buildGridIndex(
      vertices,
      (v, box) => {
        if (!startsSegment[v]) return false;
        box[0] = Math.min(xy[2 * v]!, xy[2 * v + 2]!);
        box[1] = Math.min(xy[2 * v + 1]!, xy[2 * v + 3]!);
        box[2] = Math.max(xy[2 * v]!, xy[2 * v + 2]!);
        box[3] = Math.max(xy[2 * v + 1]!, xy[2 * v + 3]!);
      },
      extent.xMin,
      extent.yMin,
      cell,
      cols,
      rows,
    );
  }

  /** Distance from (x, y) to the nearest segment, if within `radius` (<= cell); else Infinity. */
  nearestDistance(x: number, y: number, radius: number): number {
    const index = this.index;
    const { cols, cellOffset, cellItems } = index;
    const xy = this.xy;
    let best = Infinity;
    const i0 = columnOf(index, x - radius);
    const i1 = columnOf(index, x + radius);
    const j0 = rowOf(index, y - radius);
    const j1 = rowOf(index, y + radius);
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        const b = j * cols + i;
        for (let k = cellOffset[b]!, end = cellOffset[b + 1]!; k < end; k++) {
          const v = cellItems[k]!;
          const d = Math.sqrt(pointSegmentDistance2(x, y, xy[2 * v]!, xy[2 * v + 1]!, xy[2 * v + 2]!, xy[2 * v + 3]!));
          if (d < best) best = d;
        }
      }
    }
    return best <= radius ? best : Infinity;
  }
}

/**
 * Circles inserted one by one; overlap queries against those inserted so far.
 * A fixed bucket grid over the extent with linked lists in typed arrays: the
 * static grid index does not fit, as every query must see the circles
 * inserted just before it.
 */
export class CircleHash {
  private readonly head: Int32Array;
  private next = new Int32Array(1024);
  private circles = new Float64Array(3 * 1024);
  private count = 0;
  private readonly x0: number;
  private readonly y0: number;
  private readonly nx: number;
  private readonly ny: number;

  /** `cell` must be at least twice the largest radius. */
  constructor(
    extent: Extent,
    private readonly cell: number,
  ) {
    this.x0 = extent.xMin;
    this.y0 = extent.yMin;
    const { cols, rows } = bucketCounts(extent, cell);
    this.nx = cols;
    this.ny = rows;
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
    this.next = ensureCapacity(this.next, this.count + 1);
    this.circles = ensureCapacity(this.circles, 3 * (this.count + 1));
    const k = this.count++;
    this.circles[3 * k] = x;
    this.circles[3 * k + 1] = y;
    this.circles[3 * k + 2] = r;
    this.next[k] = this.head[b];
    this.head[b] = k;
  }
}
