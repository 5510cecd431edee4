/**
 * The sampled distance field the contours are traced on: samples on a square
 * lattice of spacing s, each holding the distance from the sample to the
 * nearest marked segment, clamped to a band [lo, hi] around the contour
 * distance r and quantized to a byte. Codes 0..127 stand for distances below
 * r in steps of `below` (code c: r - (127.5 - c) below), codes 128..255 for
 * distances above r in steps of `above` (r + (c - 127.5) above); code 255
 * also means "no segment nearer than hi". So a sample is inside (nearer than
 * r) exactly when its code is <= 127, that is when its top bit is clear;
 * rounding never moves a sample across r, and no sample sits on it.
 *
 * Why clamp and quantize: the clamped distance min(max(D, lo), hi) is still
 * 1-Lipschitz, which is what the proof needs (docs/architecture.md), so only
 * distances inside the band must be computed, and a byte per sample keeps the
 * field as small as the cell raster it replaces. Rounding to the nearest code
 * adds at most half a step. The two halves have their own steps because the
 * proof needs a wider band below r than above it.
 *
 * Marking: a segment's radius-neighbourhood (a capsule) meets each row of
 * samples in one interval, computed in closed form (two discs and a slab).
 * A first pass sets every sample within lo of a segment to code 0 (one
 * interval per row, no distances); a second gives the samples within hi that
 * are not 0 their distance code. Capsules of neighbouring segments overlap,
 * so most of a segment's band is within lo of another segment already and
 * costs one byte compare. Each sample keeps the smallest code written to it,
 * so levels can be marked one after the other into one field: after marking
 * levels 0..k it holds contour k's field. Codes only ever go down, which is
 * what makes contours nest.
 *
 * The grid keeps one untouched sample on every side, so outlines never touch
 * its edge.
 */
import type { ReachableSegments } from './reachable-segments.ts';
import type { IsochroneScratch } from './isochrone-scratch.ts';

/** Code of a sample no segment comes within hi of. */
export const FAR = 255;
/** Largest code of an inside sample; r lies half-way between it and the next. */
export const INSIDE_MAX = 127;
/** The contour distance r in code units (codes are integers, so no sample sits on it). */
export const THRESHOLD = INSIDE_MAX + 0.5;

/** A sample lattice: sample (i, j) sits at (x0 + i s, y0 + j s); index j*width + i. The squares between samples are the cells. */
export interface CellGrid {
  x0: number;
  y0: number;
  cellSize: number;
  width: number;
  height: number;
}

export interface DistanceField extends CellGrid {
  /** Per sample: its quantized clamped distance code, FAR when untouched. */
  codes: Uint8Array;
  /** Per block of BLOCK x BLOCK samples: 1 when a sample in it may be below FAR, so scans skip empty land. */
  blocks: Uint8Array;
  blocksX: number;
}

/** The band of a field: r, and the step of a code below and above it. */
export interface FieldBand {
  r: number;
  below: number;
  above: number;
}

/** Block side in samples (a power of two), and its log2. */
export const BLOCK_SHIFT = 5;
export const BLOCK = 1 << BLOCK_SHIFT;

/** The band's ends: lo (code 0) = r - 127.5 below, hi (code 255) = r + 127.5 above. */
export function bandEnds(band: FieldBand): { lo: number; hi: number } {
  return { lo: band.r - THRESHOLD * band.below, hi: band.r + THRESHOLD * band.above };
}

/** Number of samples of the grid covering box (plane metres) grown by margin, plus the untouched border. */
export function gridCellCount(minX: number, minY: number, maxX: number, maxY: number, margin: number, cellSize: number): number {
  const width = Math.ceil((maxX - minX + 2 * margin) / cellSize) + 3;
  const height = Math.ceil((maxY - minY + 2 * margin) / cellSize) + 3;
  return width * height;
}

/**
 * The lattice covering the box grown by margin, with one spare sample each
 * side; the width is a multiple of 4 so rows can be compared four samples at
 * a time.
 */
export function gridAround(minX: number, minY: number, maxX: number, maxY: number, margin: number, cellSize: number): CellGrid {
  return {
    x0: minX - margin - cellSize,
    y0: minY - margin - cellSize,
    cellSize,
    width: (Math.ceil((maxX - minX + 2 * margin) / cellSize) + 3 + 3) & ~3,
    height: Math.ceil((maxY - minY + 2 * margin) / cellSize) + 3,
  };
}

/** An untouched field on grid, in the scratch's buffers when one is given. */
export function emptyField(grid: CellGrid, scratch?: IsochroneScratch): DistanceField {
  const size = grid.width * grid.height;
  const codes = scratch ? scratch.field(size) : new Uint8Array(size);
  codes.fill(FAR);
  const blocksX = (grid.width + BLOCK - 1) >> BLOCK_SHIFT;
  const blockCount = blocksX * ((grid.height + BLOCK - 1) >> BLOCK_SHIFT);
  const blocks = scratch ? scratch.blocks(blockCount) : new Uint8Array(blockCount);
  return { ...grid, codes, blocks, blocksX };
}

/**
 * Segment indices grouped by level, ascending: the segments of level k are
 * order[start[k]] .. order[start[k + 1] - 1] (a counting sort; order is null
 * when there is one level and the segments are taken as they are).
 */
export function segmentsByLevel(segments: ReachableSegments, levels: number): { order: Uint32Array | null; start: Uint32Array } {
  const { level, count } = segments;
  const start = new Uint32Array(levels + 1);
  if (levels === 1) {
    start[1] = count;
    return { order: null, start };
  }
  for (let n = 0; n < count; n++) start[level[n]! + 1]!++;
  for (let k = 1; k <= levels; k++) start[k]! += start[k - 1]!;
  const next = start.slice(0, levels);
  const order = new Uint32Array(count);
  for (let n = 0; n < count; n++) order[next[level[n]!]!++] = n;
  return { order, start };
}

/**
 * Lowers every sample within hi of a segment order[from .. to) to its code
 * (the smallest code wins), in the two passes the header describes. Segments
 * must lie inside the grid shrunk by hi (gridAround with margin >= hi does
 * that).
 */
export function markSegments(field: DistanceField, band: FieldBand, segments: ReachableSegments, order: Uint32Array | null, from: number, to: number): void {
  const { x0, y0, cellSize: s, width, codes, blocks, blocksX } = field;
  const { lo, hi } = bandEnds(band);
  const r = band.r;
  const inv = 1 / s;
  const invBelow = 1 / band.below;
  const invAbove = 1 / band.above;
  const xy = segments.xy;
  // One capsule, reset per segment: no allocation per segment.
  const capsule = new Capsule();
  for (let pass = 0; pass < 2; pass++) {
    const radius = pass === 0 ? lo : hi;
    for (let o = from; o < to; o++) {
      const n = order === null ? o : order[o]!;
      const x1 = xy[4 * n]!;
      const y1 = xy[4 * n + 1]!;
      const x2 = xy[4 * n + 2]!;
      const y2 = xy[4 * n + 3]!;
      capsule.reset(x1, y1, x2, y2, radius);
      const yMin = (y1 < y2 ? y1 : y2) - radius;
      const yMax = (y1 < y2 ? y2 : y1) + radius;
      const jLo = Math.ceil((yMin - y0) * inv);
      const jHi = Math.floor((yMax - y0) * inv);
      if (pass === 1) {
        // The blocks the capsule's box touches.
        const iMin = Math.ceil(((x1 < x2 ? x1 : x2) - hi - x0) * inv) >> BLOCK_SHIFT;
        const iMax = Math.floor(((x1 < x2 ? x2 : x1) + hi - x0) * inv) >> BLOCK_SHIFT;
        for (let bj = jLo >> BLOCK_SHIFT; bj <= jHi >> BLOCK_SHIFT; bj++) {
          for (let bi = iMin; bi <= iMax; bi++) blocks[bj * blocksX + bi] = 1;
        }
      }
      for (let j = jLo; j <= jHi; j++) {
        const yc = y0 + j * s;
        if (!capsule.row(yc)) continue;
        const row = j * width;
        const a = row + Math.ceil((capsule.lo - x0) * inv);
        const b = row + Math.floor((capsule.hi - x0) * inv);
        if (pass === 0) {
          for (let z = a; z <= b; z++) codes[z] = 0;
          continue;
        }
        const dx = x2 - x1;
        const dy = y2 - y1;
        const ey = (yc - y1) * dy;
        const invLen2 = capsule.invLen2;
        for (let z = a; z <= b; z++) {
          if (codes[z] === 0) continue;
          // The nearest point of the segment: the sample's projection, clamped to the ends.
          const xc = x0 + (z - row) * s;
          const t = ((xc - x1) * dx + ey) * invLen2;
          const f = t < 0 ? 0 : t > 1 ? 1 : t;
          const px = x1 + f * dx - xc;
          const py = y1 + f * dy - yc;
          // The nearest code on r's side of the distance (rounding half up: the store truncates);
          // FAR or more is never lower than what is there.
          const dist = Math.sqrt(px * px + py * py);
          let code = dist < r ? Math.min(INSIDE_MAX, (dist - r) * invBelow + THRESHOLD + 0.5) : (dist - r) * invAbove + THRESHOLD + 0.5;
          if (code < 0) code = 0;
          if (code < codes[z]!) codes[z] = code;
        }
      }
    }
  }
}

/**
 * The radius-neighbourhood of a segment, row by row: the union of the discs
 * at both ends and the slab beside the segment, which meets a row in one
 * interval (the neighbourhood is convex), computed in closed form.
 */
class Capsule {
  /** The last row's interval (after row() returned true). */
  lo = 0;
  hi = 0;
  invLen2 = 0;
  private x1 = 0;
  private y1 = 0;
  private x2 = 0;
  private y2 = 0;
  private r2 = 0;
  private slab = false;
  private m1 = 0;
  private p0 = 0;
  private p1 = 0;
  private m2 = 0;
  private c = 0;
  private eaLo = 0;
  private eaHi = 0;

  /** Takes segment (x1, y1)-(x2, y2) and radius. */
  reset(x1: number, y1: number, x2: number, y2: number, radius: number): void {
    this.x1 = x1;
    this.y1 = y1;
    this.x2 = x2;
    this.y2 = y2;
    const dx = x2 - x1;
    const dy = y2 - y1;
    const len2 = dx * dx + dy * dy;
    this.invLen2 = len2 > 0 ? 1 / len2 : 0;
    this.r2 = radius * radius;
    // The slab on the row at height yc (ea = yc - y1): x - x1 between the perpendiculars
    // through the ends, [ea*m1 + p0, ea*m1 + p1], and within radius of the line,
    // [ea*m2 - c, ea*m2 + c]. Horizontal segments need none (their two discs span it);
    // vertical ones have the perpendiculars as the rows with ea in [eaLo, eaHi].
    this.slab = dy !== 0;
    this.m1 = dx !== 0 ? -dy / dx : 0;
    this.p0 = dx !== 0 ? Math.min(0, len2 / dx) : -Infinity;
    this.p1 = dx !== 0 ? Math.max(0, len2 / dx) : Infinity;
    this.m2 = dy !== 0 ? dx / dy : 0;
    this.c = dy !== 0 ? Math.abs((radius * Math.sqrt(len2)) / dy) : 0;
    this.eaLo = dx !== 0 ? -Infinity : Math.min(0, dy);
    this.eaHi = dx !== 0 ? Infinity : Math.max(0, dy);
  }

  /** Sets [lo, hi] to the interval of the row at height yc; false when the row misses the capsule. */
  row(yc: number): boolean {
    const { x1, x2, r2 } = this;
    let lo = Infinity;
    let hi = -Infinity;
    const ea = yc - this.y1;
    let h = r2 - ea * ea;
    if (h >= 0) {
      const w = Math.sqrt(h);
      lo = x1 - w;
      hi = x1 + w;
    }
    const eb = yc - this.y2;
    h = r2 - eb * eb;
    if (h >= 0) {
      const w = Math.sqrt(h);
      if (x2 - w < lo) lo = x2 - w;
      if (x2 + w > hi) hi = x2 + w;
    }
    if (this.slab && ea >= this.eaLo && ea <= this.eaHi) {
      const p = ea * this.m1;
      const q = ea * this.m2;
      const a = q - this.c > p + this.p0 ? q - this.c : p + this.p0;
      const b = q + this.c < p + this.p1 ? q + this.c : p + this.p1;
      if (a <= b) {
        if (x1 + a < lo) lo = x1 + a;
        if (x1 + b > hi) hi = x1 + b;
      }
    }
    this.lo = lo;
    this.hi = hi;
    return lo <= hi;
  }
}
