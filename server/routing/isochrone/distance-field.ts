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
 * Marking: the field is, sample by sample, the smallest code over the
 * segments of the formula in codeWithin (distance to the segment, then the
 * code), so any order of work that computes it gives the same bytes. Two
 * passes over each segment's bounding box: the first sets every sample within
 * lo of a segment to code 0, the second gives the samples that are not 0
 * their code. Boxes of neighbouring segments overlap, so most of a segment's
 * box is within lo of another segment already and costs one byte compare;
 * most of the rest is nearer another segment already, which a quick test
 * against a per-code threshold settles without the square root. Each sample
 * keeps the smallest code written to it, so levels can be marked one after
 * the other into one field: after marking levels 0..k it holds contour k's
 * field. Codes only ever go down, which is what makes contours nest.
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
export function markSegments(
  field: DistanceField,
  band: FieldBand,
  segments: ReachableSegments,
  order: Uint32Array | null,
  from: number,
  to: number,
  scratch?: IsochroneScratch,
): void {
  const { lo, hi } = bandEnds(band);
  zeroWithin(field, lo, segments.xy, order, from, to);
  // Zero runs only on the rows pass 1 reads (a level's segments may cover a small part of the field).
  const xy = segments.xy;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (let o = from; o < to; o++) {
    const n = order === null ? o : order[o]!;
    const y1 = xy[4 * n + 1]!;
    const y2 = xy[4 * n + 3]!;
    if (y1 < yMin) yMin = y1;
    if (y2 < yMin) yMin = y2;
    if (y1 > yMax) yMax = y1;
    if (y2 > yMax) yMax = y2;
  }
  if (!(yMin <= yMax)) return;
  const rowFrom = Math.max(0, Math.floor((yMin - hi - field.y0) / field.cellSize) - 1);
  const rowTo = Math.min(field.height, Math.ceil((yMax + hi - field.y0) / field.cellSize) + 2);
  const zeros = zeroRuns(field.codes, rowFrom * field.width, rowTo * field.width, scratch);
  codeWithin(field, band, hi, xy, order, from, to, zeros);
}

/**
 * Per sample of codes [from, to), how many samples from it on are 0 (at
 * most 255, and counted as if a sample not 0 followed to: a run of 0 counted
 * short only costs a look at a 0), so pass 1 steps from one sample that is
 * not 0 to the next without looking at those between. One byte more per
 * sample while marking, from the scratch when there is one. Four samples a
 * word, without branches (zeros and not zeros come mixed).
 */
function zeroRuns(codes: Uint8Array, from: number, to: number, scratch: IsochroneScratch | undefined): Uint8Array {
  const size = codes.length;
  const runs = scratch ? scratch.runs(size + 4) : new Uint8Array(size + 4);
  let run = 0;
  // Whole words between wordFrom and wordTo; the bytes outside them one at a time.
  const wordFrom = (from + 3) >> 2;
  const wordTo = Math.max(wordFrom, to >> 2);
  for (let z = to - 1; z >= 4 * wordTo; z--) run = runs[z] = codes[z] === 0 ? Math.min(255, run + 1) : 0;
  const words = new Int32Array(codes.buffer, codes.byteOffset, size >> 2);
  const runWords = new Int32Array(runs.buffer, runs.byteOffset, size >> 2);
  for (let k = wordTo - 1; k >= wordFrom; k--) {
    const v = words[k]!;
    // Little-endian: byte 3 is the last sample of the word. Each: run + 1 kept below 256, and 0
    // where the code is not 0.
    let next = run + 1;
    const r3 = (next - (next >> 8)) & ((((v >>> 24) + 255) >> 8) - 1);
    next = r3 + 1;
    const r2 = (next - (next >> 8)) & (((((v >>> 16) & 0xff) + 255) >> 8) - 1);
    next = r2 + 1;
    const r1 = (next - (next >> 8)) & (((((v >>> 8) & 0xff) + 255) >> 8) - 1);
    next = r1 + 1;
    run = (next - (next >> 8)) & ((((v & 0xff) + 255) >> 8) - 1);
    runWords[k] = run | (r1 << 8) | (r2 << 16) | (r3 << 24);
  }
  for (let z = Math.min(4 * wordFrom, to) - 1; z >= from; z--) run = runs[z] = codes[z] === 0 ? Math.min(255, run + 1) : 0;
  return runs;
}

/**
 * Pass 0: code 0 for the samples within lo of a segment, sample by sample
 * over the segment's box, without branches (a mispredicted branch costs as
 * much as a sample here). The clamp of the projection to the segment is
 * written with absolute values and t steps along the row by additions, both
 * some ulps off; that cannot matter, since a sample within lo gets code 0
 * from pass 1 too (its code is at most half a step, which the store
 * truncates to 0), and one that is not within lo by such an error is less
 * than 1e-9 code steps out: still code 0. So this pass only saves pass 1
 * work; it decides nothing.
 */
function zeroWithin(field: DistanceField, lo: number, xy: Float64Array, order: Uint32Array | null, from: number, to: number): void {
  const { x0, y0, cellSize: s, width, codes } = field;
  const inv = 1 / s;
  const invLo2 = 1 / (lo * lo);
  for (let o = from; o < to; o++) {
    const n = order === null ? o : order[o]!;
    const x1 = xy[4 * n]!;
    const y1 = xy[4 * n + 1]!;
    const x2 = xy[4 * n + 2]!;
    const y2 = xy[4 * n + 3]!;
    const dx = x2 - x1;
    const dy = y2 - y1;
    const len2 = dx * dx + dy * dy;
    const invLen2 = len2 > 0 ? 1 / len2 : 0;
    const iLo = Math.ceil(((x1 < x2 ? x1 : x2) - lo - x0) * inv) | 0;
    const iHi = Math.floor(((x1 < x2 ? x2 : x1) + lo - x0) * inv) | 0;
    const jLo = Math.ceil(((y1 < y2 ? y1 : y2) - lo - y0) * inv) | 0;
    const jHi = Math.floor(((y1 < y2 ? y2 : y1) + lo - y0) * inv) | 0;
    // Along a row, the projection parameter t and the offset ex grow by fixed steps.
    const exLo = x0 + iLo * s - x1;
    const tStep = s * dx * invLen2;
    for (let j = jLo; j <= jHi; j++) {
      const ey = y0 + j * s - y1;
      let ex = exLo;
      let t = (exLo * dx + ey * dy) * invLen2;
      for (let z = j * width + iLo, end = j * width + iHi; z <= end; z++) {
        const f = 0.5 * (Math.abs(t) - Math.abs(t - 1) + 1);
        const px = f * dx - ex;
        const py = f * dy - ey;
        // q is 0 exactly when the squared distance is below lo^2; then the mask clears the byte.
        const q = ((px * px + py * py) * invLo2) | 0;
        codes[z]! &= (-q >> 31) & 0xff;
        t += tStep;
        ex += s;
      }
    }
  }
}

/**
 * Pass 1: the code of every sample that is not 0, over each segment's box.
 * Most samples there are 0 (within lo of this or another segment) or nearer
 * to another segment already: a sample's current code c is only lowered when
 * its squared distance is below skipBelow[c], which a branch-free test
 * settles before the exact computation (see codeThresholds).
 */
function codeWithin(field: DistanceField, band: FieldBand, hi: number, xy: Float64Array, order: Uint32Array | null, from: number, to: number, zeros: Uint8Array): void {
  const { x0, y0, cellSize: s, width, codes, blocks, blocksX } = field;
  const r = band.r;
  const inv = 1 / s;
  const invBelow = 1 / band.below;
  const invAbove = 1 / band.above;
  const skipBelow = codeThresholds(band);
  for (let o = from; o < to; o++) {
    const n = order === null ? o : order[o]!;
    const x1 = xy[4 * n]!;
    const y1 = xy[4 * n + 1]!;
    const x2 = xy[4 * n + 2]!;
    const y2 = xy[4 * n + 3]!;
    const dx = x2 - x1;
    const dy = y2 - y1;
    const len2 = dx * dx + dy * dy;
    const invLen2 = len2 > 0 ? 1 / len2 : 0;
    const iLo = Math.ceil(((x1 < x2 ? x1 : x2) - hi - x0) * inv) | 0;
    const iHi = Math.floor(((x1 < x2 ? x2 : x1) + hi - x0) * inv) | 0;
    const jLo = Math.ceil(((y1 < y2 ? y1 : y2) - hi - y0) * inv) | 0;
    const jHi = Math.floor(((y1 < y2 ? y2 : y1) + hi - y0) * inv) | 0;
    for (let bj = jLo >> BLOCK_SHIFT; bj <= jHi >> BLOCK_SHIFT; bj++) {
      for (let bi = iLo >> BLOCK_SHIFT; bi <= iHi >> BLOCK_SHIFT; bi++) blocks[bj * blocksX + bi] = 1;
    }
    for (let j = jLo; j <= jHi; j++) {
      const yc = y0 + j * s;
      const ey = (yc - y1) * dy;
      const row = j * width;
      const end = row + iHi;
      // Only the samples that were not 0 when the pass began (see zeroRuns); any made 0 since have nothing to lower.
      for (let z = row + iLo + zeros[row + iLo]!; z <= end; z += 1 + zeros[z + 1]!) {
        const c = codes[z]!;
        const xc = x0 + (z - row) * s;
        const t = ((xc - x1) * dx + ey) * invLen2;
        // The quick test (clamp with absolute values, no branches): nothing to lower here.
        const g = 0.5 * (Math.abs(t) - Math.abs(t - 1) + 1);
        const qx = x1 + g * dx - xc;
        const qy = y1 + g * dy - yc;
        if (qx * qx + qy * qy >= skipBelow[c]!) continue;
        // The nearest point of the segment: the sample's projection, clamped to the ends
        // (t, 0 or 1 picked by factors of 0 and 1: the same doubles, without branches).
        const f = t * (+(t >= 0) & +(t <= 1)) + +(t > 1);
        const px = x1 + f * dx - xc;
        const py = y1 + f * dy - yc;
        // The nearest code on r's side of the distance, rounding half up (+ 0.5, then truncated),
        // inside codes kept to 0..127; the smaller of it and c stored. In integers, with masks
        // for the choices: those come in no order a branch predictor could follow. Below hi the
        // codes are small, so the truncations are exact.
        const dist = Math.sqrt(px * px + py * py);
        let inside = ((dist - r) * invBelow + THRESHOLD + 0.5) | 0;
        inside = INSIDE_MAX + ((inside - INSIDE_MAX) & ((inside - INSIDE_MAX) >> 31));
        inside &= ~(inside >> 31);
        const outside = ((dist - r) * invAbove + THRESHOLD + 0.5) | 0;
        const below = -+(dist < r);
        const code = (inside & below) | (outside & ~below);
        codes[z] = c + ((code - c) & ((code - c) >> 31));
      }
    }
  }
}

/**
 * Per code c >= 1, a squared distance at and above which a segment cannot
 * lower a sample of code c: the code before truncation, (d - r) / step +
 * 127.5 + 0.5, is at least c from d = r + (c - 128) step on, so d >= r +
 * (c - 127.75) step leaves a quarter step (some 5e-4 of d) for rounding, far
 * more than the quick test's error (a few 1e-16 of d). Code 255 gets hi less a
 * quarter step: farther samples were never touched.
 */
function codeThresholds(band: FieldBand): Float64Array {
  const out = new Float64Array(256);
  for (let c = 1; c < 256; c++) {
    const d = band.r + (c - (THRESHOLD + 0.25)) * (c <= INSIDE_MAX ? band.below : band.above);
    out[c] = d * d;
  }
  return out;
}
