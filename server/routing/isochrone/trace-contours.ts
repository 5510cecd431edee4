/**
 * Outlines of the marked region of a raster (cells with level <= k) as
 * polygons with holes, in plane metres, by following boundary edges of the
 * cell lattice.
 *
 * Every boundary edge (between a marked and an unmarked cell) is walked once,
 * with the marked cell on its left, so outer rings come out counter-clockwise
 * and holes clockwise, as RFC 7946 wants. At a lattice vertex the walk goes
 * straight, turns left or turns right by the two cells ahead; vertices are
 * emitted only at turns, so collinear runs are merged as they are traced.
 *
 * Connectivity and validity: marked cells count as connected through edges
 * only (4-connectivity). Where two marked cells meet at a single corner (a
 * saddle), each ring cuts that corner by `chamfer` along both edges instead
 * of passing through it, so rings never touch one another or themselves and
 * the polygons are valid (OGC simple) without any clean-up. A vertex that is
 * a saddle at a LARGER level gets the same cut in this contour too (where it
 * is a plain convex corner), so the cut-away triangles of a larger contour
 * are cut away from every smaller one and contours still nest exactly. Cuts
 * remove only area; build-isochrones chooses the marking radius so that no
 * reachable point can lie within `chamfer` of a saddle vertex (there all four
 * cells would be marked).
 *
 * Rings are grouped into polygons: the first ring found in scan order
 * (bottom row up, left to right) is an outer ring when the marked cell is
 * above its first edge and a hole when it is below; a hole belongs to the
 * 4-connected component of the marked cell just below it. Components come
 * from runs of marked cells per row joined by union-find (RowRuns), only
 * when there is more than one outer ring.
 */
import { BLOCK, BLOCK_SHIFT, type CellRaster } from './cell-raster.ts';
import { GrowableArray } from '../../../kernel/growable-array.ts';
import type { IsochroneScratch } from './isochrone-scratch.ts';

/** A polygon in plane metres: rings[0] the outer ring, the rest holes; x,y pairs, not repeated at the end. */
export type PlaneRing = Float64Array;
export type PlanePolygon = PlaneRing[];

/** Window of cells to scan (inclusive); cells outside it must not be marked at this level. */
export interface CellWindow {
  i0: number;
  j0: number;
  i1: number;
  j1: number;
}

// Directions: 0 = +x, 1 = +y, 2 = -x, 3 = -y; left turn = +1, right turn = +3 (mod 4).
const DX = [1, 0, -1, 0];
const DY = [0, 1, 0, -1];
// The four cells around a lattice vertex, as bits of a code.
const SW = 1;
const SE = 2;
const NW = 4;
const NE = 8;
// Per direction, the cell ahead-left and ahead-right of the walk.
const AHEAD_LEFT = [NE, NW, SW, SE];
const AHEAD_RIGHT = [SE, NE, NW, SW];
/** NEXT[d * 16 + code]: straight when ahead-left is marked and ahead-right not, right when both, else left. */
const NEXT = new Uint8Array(64);
for (let d = 0; d < 4; d++) {
  for (let code = 0; code < 16; code++) {
    const al = (code & AHEAD_LEFT[d]!) !== 0;
    const ar = (code & AHEAD_RIGHT[d]!) !== 0;
    NEXT[(d << 4) | code] = al ? (ar ? (d + 3) & 3 : d) : (d + 1) & 3;
  }
}

/**
 * The polygons of the cells with level <= `level`, outer rings counter-clockwise,
 * holes clockwise. `window` limits the scan (default: the whole raster); the
 * scratch, when given, lends the edge marks.
 */
export function traceContour(raster: CellRaster, level: number, chamfer: number, window?: CellWindow, scratch?: IsochroneScratch): PlanePolygon[] {
  const { width: w, height: h, levels, x0, y0, cellSize: s } = raster;
  const i0 = Math.max(0, window?.i0 ?? 0);
  const i1 = Math.min(w - 1, window?.i1 ?? w - 1);
  const j0 = Math.max(1, window?.j0 ?? 1);
  const j1 = Math.min(h - 1, (window?.j1 ?? h - 1) + 1);
  // Bit 1: horizontal edge at the bottom of cell idx seen; bit 2: vertical edge at its left.
  const seen = scratch ? scratch.seen(w * h) : new Uint8Array(w * h);
  // One ring's vertices at a time, x,y pairs; each ring is copied out at its end.
  const points = new GrowableArray(new Float64Array(256));
  const outers: PlaneRing[] = [];
  const outerCell: number[] = [];
  const holes: PlaneRing[] = [];
  const holeCell: number[] = [];

  const step = [1, w, -1, -w];
  const edgeOffset = [0, 0, -1, -w];

  function trace(i: number, j: number, startDir: number): PlaneRing {
    // Start edge: bottom of cell (i, j); walk it in startDir, arriving at its end vertex.
    // idx is the cell north-east of the current vertex.
    seen[j * w + i]! |= 1;
    let idx = j * w + (startDir === 0 ? i + 1 : i);
    let d = startDir;
    for (;;) {
      const code =
        (levels[idx - w - 1]! <= level ? SW : 0) |
        (levels[idx - w]! <= level ? SE : 0) |
        (levels[idx - 1]! <= level ? NW : 0) |
        (levels[idx]! <= level ? NE : 0);
      const nd = NEXT[(d << 4) | code]!;
      if (nd !== d) {
        const vj = Math.floor(idx / w);
        const vx = x0 + (idx - vj * w) * s;
        const vy = y0 + vj * s;
        // A left turn goes round the corner of the cell behind-left; cut it when this
        // vertex is a saddle at this level (the cell ahead-right is marked) or at any
        // larger one (same cut in every contour that has the cell, so contours nest).
        if (nd === ((d + 1) & 3) && (code & AHEAD_RIGHT[d]! || largerSaddle(idx, d))) {
          points.push2(vx - chamfer * DX[d]!, vy - chamfer * DY[d]!);
          points.push2(vx + chamfer * DX[nd]!, vy + chamfer * DY[nd]!);
        } else {
          points.push2(vx, vy);
        }
      }
      const edge = idx + edgeOffset[nd]!;
      const bit = nd & 1 ? 2 : 1;
      if (seen[edge]! & bit) break;
      seen[edge]! |= bit;
      idx += step[nd]!;
      d = nd;
    }
    const ring = points.toArray();
    points.clear();
    return ring;
  }

  /** At a left turn with the cell ahead-right unmarked: is this vertex a saddle at a larger level? */
  function largerSaddle(idx: number, d: number): boolean {
    const lNE = levels[idx]!;
    const lNW = levels[idx - 1]!;
    const lSE = levels[idx - w]!;
    const lSW = levels[idx - w - 1]!;
    // Behind-right, ahead-left and ahead-right of the walk.
    const lBR = d === 0 ? lSW : d === 1 ? lSE : d === 2 ? lNE : lNW;
    const lAL = d === 0 ? lNE : d === 1 ? lNW : d === 2 ? lSW : lSE;
    const lAR = d === 0 ? lSE : d === 1 ? lNE : d === 2 ? lNW : lSW;
    return lAR < lBR && lAR < lAL;
  }

  // Rows four cells at a time: where a row's four levels equal those of the row below,
  // no level can have an edge there. Widths are multiples of 4 (gridAround).
  const { blocks, blocksX } = raster;
  const words = w % 4 === 0 && levels.byteOffset % 4 === 0 ? new Uint32Array(levels.buffer, levels.byteOffset, levels.length >> 2) : null;
  for (let j = j0; j <= j1; j++) {
    const row = j * w;
    // Blocks of this row and the row below; where both are empty there is no edge.
    const above = (j >> BLOCK_SHIFT) * blocksX;
    const below = ((j - 1) >> BLOCK_SHIFT) * blocksX;
    for (let i = i0; i <= i1; ) {
      const b = i >> BLOCK_SHIFT;
      const end = Math.min(i1, ((b + 1) << BLOCK_SHIFT) - 1);
      if (blocks[above + b] === 0 && blocks[below + b] === 0) {
        i = end + 1;
        continue;
      }
      for (; i <= end; i++) {
        const idx = row + i;
        if (words !== null && (idx & 3) === 0 && i + 3 <= end && words[idx >> 2] === words[(idx - w) >> 2]) {
          i += 3;
          continue;
        }
        const up = levels[idx]! <= level;
        if (up === levels[idx - w]! <= level || seen[idx]! & 1) continue;
        if (up) {
          outers.push(trace(i, j, 0));
          outerCell.push(idx);
        } else {
          holes.push(trace(i, j, 2));
          holeCell.push(idx - w);
        }
      }
    }
  }

  const polygons: PlanePolygon[] = outers.map((ring) => [ring]);
  if (holes.length === 0) return polygons;
  if (outers.length === 1) {
    polygons[0]!.push(...holes);
    return polygons;
  }
  const components = new RowRuns(raster, level, i0, Math.max(0, j0 - 1), i1, j1);
  const outerOf = new Map<number, number>();
  outerCell.forEach((cell, k) => outerOf.set(components.componentOf(cell), k));
  for (let k = 0; k < holes.length; k++) polygons[outerOf.get(components.componentOf(holeCell[k]!))!]!.push(holes[k]!);
  return polygons;
}

/**
 * The 4-connected components of the marked cells, from runs of marked cells
 * per row joined by union-find where runs of neighbouring rows share a
 * column: memory per run, not per cell.
 */
class RowRuns {
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly parent: Int32Array;
  /** Runs of row j (from j0) are rowFirst[j - j0] .. rowFirst[j - j0 + 1] - 1. */
  private readonly rowFirst: Int32Array;
  private readonly width: number;
  private readonly j0: number;

  constructor(raster: CellRaster, level: number, i0: number, j0: number, i1: number, j1: number) {
    const { width: w, levels, blocks, blocksX } = raster;
    const words = w % 4 === 0 && levels.byteOffset % 4 === 0 ? new Uint32Array(levels.buffer, levels.byteOffset, levels.length >> 2) : null;
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
        // Four unmarked cells (outside every level) at once.
        if (open < 0 && words !== null && ((row + i) & 3) === 0 && i + 3 <= i1 && words[(row + i) >> 2] === 0xffffffff) {
          i += 3;
          continue;
        }
        const on = levels[row + i]! <= level;
        if (on && open < 0) open = i;
        else if (!on && open >= 0) {
          starts.push(open);
          ends.push(i - 1);
          open = -1;
        }
      }
      // The border column is never marked, so a run always closes inside the window's row.
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
    // Join runs that share a column with a run of the row below.
    for (let j = j0 + 1; j <= j1; j++) {
      let a = this.rowFirst[j - j0 - 1]!;
      const aEnd = this.rowFirst[j - j0]!;
      for (let b = aEnd, bEnd = this.rowFirst[j - j0 + 1]!; b < bEnd; b++) {
        while (a < aEnd && end[a]! < start[b]!) a++;
        for (let c = a; c < aEnd && start[c]! <= end[b]!; c++) this.union(b, c);
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

  /** The component (a run id) of a marked cell. */
  componentOf(cell: number): number {
    const j = Math.floor(cell / this.width);
    const i = cell - j * this.width;
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
