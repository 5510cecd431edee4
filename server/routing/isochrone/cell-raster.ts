/**
 * The marking raster: square cells of side s on the isochrone plane, each
 * holding the first level (contour index) whose reachable segments come
 * within radius r of the cell's CENTRE; 255 = no level does. A contour is the
 * set of cells with level <= k, so all contours of one call share one grid
 * and nest cell for cell.
 *
 * Marking is by rows: a segment's r-neighbourhood (a capsule) meets each
 * horizontal line of cell centres in one interval, computed in closed form
 * (two discs and a slab), and the cells whose centres fall in it are set. No
 * per-cell distance test; the cost is one interval per row per segment plus
 * the cells written.
 *
 * The grid keeps one unmarked cell on every side, so outlines never touch
 * its edge.
 */
import type { ReachableSegments } from './reachable-segments.ts';
import type { IsochroneScratch } from './isochrone-scratch.ts';

/** Level of a cell that no contour reaches. */
export const UNMARKED = 255;

/** A cell grid: cell (i, j) spans x0 + [i, i+1]*s, y0 + [j, j+1]*s; index j*width + i. */
export interface CellGrid {
  x0: number;
  y0: number;
  cellSize: number;
  width: number;
  height: number;
}

export interface CellRaster extends CellGrid {
  /** Per cell: the first level that marks it, or UNMARKED. */
  levels: Uint8Array;
  /** Per block of BLOCK x BLOCK cells: 1 when a cell in it may be marked, so scans skip empty land. */
  blocks: Uint8Array;
  blocksX: number;
}

/** Block side in cells (a power of two), and its log2. */
export const BLOCK_SHIFT = 5;
export const BLOCK = 1 << BLOCK_SHIFT;

/** Number of cells of the grid covering box (plane metres) grown by margin, plus the unmarked border. */
export function gridCellCount(minX: number, minY: number, maxX: number, maxY: number, margin: number, cellSize: number): number {
  const width = Math.ceil((maxX - minX + 2 * margin) / cellSize) + 2;
  const height = Math.ceil((maxY - minY + 2 * margin) / cellSize) + 2;
  return width * height;
}

/**
 * The grid covering the box grown by margin, with one spare cell each side;
 * the width is a multiple of 4 so rows can be compared four cells at a time.
 */
export function gridAround(minX: number, minY: number, maxX: number, maxY: number, margin: number, cellSize: number): CellGrid {
  return {
    x0: minX - margin - cellSize,
    y0: minY - margin - cellSize,
    cellSize,
    width: (Math.ceil((maxX - minX + 2 * margin) / cellSize) + 2 + 3) & ~3,
    height: Math.ceil((maxY - minY + 2 * margin) / cellSize) + 2,
  };
}

/** An empty raster on grid, in the scratch's buffers when one is given. */
export function emptyRaster(grid: CellGrid, scratch?: IsochroneScratch): CellRaster {
  const size = grid.width * grid.height;
  const levels = scratch ? scratch.levels(size) : new Uint8Array(size);
  levels.fill(UNMARKED);
  const blocksX = (grid.width + BLOCK - 1) >> BLOCK_SHIFT;
  const blockCount = blocksX * ((grid.height + BLOCK - 1) >> BLOCK_SHIFT);
  const blocks = scratch ? scratch.blocks(blockCount) : new Uint8Array(blockCount);
  return { ...grid, levels, blocks, blocksX };
}

/**
 * Sets every cell whose centre lies within `radius` of segment i to
 * min(its level, level[i]), for all segments. Segments must lie inside the
 * grid shrunk by radius (gridAround with margin >= radius does that).
 */
export function markSegments(raster: CellRaster, segments: ReachableSegments, radius: number): void {
  const { x0, y0, cellSize: s, width, levels, blocks, blocksX } = raster;
  const r2 = radius * radius;
  const inv = 1 / s;
  const { xy, level, count } = segments;
  // Largest level first, each written over what is there: smaller levels come later and
  // win, so a cell ends with the smallest level that reaches it, without a compare per cell.
  const order = byLevelDescending(level, count);
  for (let o = 0; o < count; o++) {
    const n = order === null ? o : order[o]!;
    const x1 = xy[4 * n]!;
    const y1 = xy[4 * n + 1]!;
    const x2 = xy[4 * n + 2]!;
    const y2 = xy[4 * n + 3]!;
    const k = level[n]!;
    const dx = x2 - x1;
    const dy = y2 - y1;
    const len2 = dx * dx + dy * dy;
    // The slab: points whose projection falls inside the segment and whose distance from its
    // line is <= radius. On the row at height yc (ea = yc - y1) it is x - x1 in
    // [max(ea*m1 + c1lo, ea*m2 - c2), min(ea*m1 + c1hi, ea*m2 + c2)]; horizontal segments need
    // none (their two discs span it), vertical ones are [x1 - radius, x1 + radius] beside the segment.
    const slab = len2 <= 1e-18 || dy === 0 ? NO_SLAB : dx === 0 ? VERTICAL : SLANTED;
    const m1 = dx !== 0 ? -dy / dx : 0;
    const c1lo = dx !== 0 ? Math.min(0, len2 / dx) : 0;
    const c1hi = dx !== 0 ? Math.max(0, len2 / dx) : 0;
    const m2 = dy !== 0 ? dx / dy : 0;
    const c2 = dy !== 0 ? Math.abs((radius * Math.sqrt(len2)) / dy) : 0;
    const eaLo = Math.min(0, dy);
    const eaHi = Math.max(0, dy);
    const yMin = (y1 < y2 ? y1 : y2) - radius;
    const yMax = (y1 < y2 ? y2 : y1) + radius;
    const jLo = Math.ceil((yMin - y0) * inv - 0.5);
    const jHi = Math.floor((yMax - y0) * inv - 0.5);
    // The blocks the capsule's box touches.
    const iMin = Math.ceil(((x1 < x2 ? x1 : x2) - radius - x0) * inv - 0.5) >> BLOCK_SHIFT;
    const iMax = Math.floor(((x1 < x2 ? x2 : x1) + radius - x0) * inv - 0.5) >> BLOCK_SHIFT;
    for (let bj = jLo >> BLOCK_SHIFT; bj <= jHi >> BLOCK_SHIFT; bj++) {
      for (let bi = iMin; bi <= iMax; bi++) blocks[bj * blocksX + bi] = 1;
    }
    for (let j = jLo; j <= jHi; j++) {
      const yc = y0 + (j + 0.5) * s;
      let lo = Infinity;
      let hi = -Infinity;
      const ea = yc - y1;
      let h = r2 - ea * ea;
      if (h >= 0) {
        const w = Math.sqrt(h);
        lo = x1 - w;
        hi = x1 + w;
      }
      const eb = yc - y2;
      h = r2 - eb * eb;
      if (h >= 0) {
        const w = Math.sqrt(h);
        if (x2 - w < lo) lo = x2 - w;
        if (x2 + w > hi) hi = x2 + w;
      }
      if (slab === SLANTED) {
        const pm = ea * m1;
        const qm = ea * m2;
        const a = pm + c1lo > qm - c2 ? pm + c1lo : qm - c2;
        const b = pm + c1hi < qm + c2 ? pm + c1hi : qm + c2;
        if (a <= b) {
          if (x1 + a < lo) lo = x1 + a;
          if (x1 + b > hi) hi = x1 + b;
        }
      } else if (slab === VERTICAL && ea >= eaLo && ea <= eaHi) {
        if (x1 - radius < lo) lo = x1 - radius;
        if (x1 + radius > hi) hi = x1 + radius;
      }
      if (lo > hi) continue;
      const row = j * width;
      const end = row + Math.floor((hi - x0) * inv - 0.5);
      for (let i = row + Math.ceil((lo - x0) * inv - 0.5); i <= end; i++) levels[i] = k;
    }
  }
}

const NO_SLAB = 0;
const VERTICAL = 1;
const SLANTED = 2;

/** Segment indices sorted by level, largest first (counting sort; levels are bytes); null when all levels are equal. */
function byLevelDescending(level: Uint8Array, count: number): Uint32Array | null {
  let same = true;
  for (let n = 1; n < count && same; n++) same = level[n] === level[0];
  if (same) return null;
  const counts = new Uint32Array(257);
  for (let n = 0; n < count; n++) counts[255 - level[n]! + 1]!++;
  for (let v = 1; v <= 256; v++) counts[v]! += counts[v - 1]!;
  const order = new Uint32Array(count);
  for (let n = 0; n < count; n++) order[counts[255 - level[n]!]!++] = n;
  return order;
}
