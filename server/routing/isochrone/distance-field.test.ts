// Field marking against brute force: every sample holds the code of its
// distance to the nearest segment (clamped to the band, rounded to the nearest
// code on r's side), levels marked one after the other give each contour its
// own field, and every touched sample lies in a block flagged as occupied.
import { describe, expect, it } from 'vitest';
import { BLOCK_SHIFT, bandEnds, emptyField, FAR, gridAround, INSIDE_MAX, markSegments, segmentsByLevel, THRESHOLD, type FieldBand } from './distance-field.ts';
import type { ReachableSegments } from './reachable-segments.ts';
import { seededRandom } from '../../../test/synthetic-graph.ts';

type Segment = [number, number, number, number, number];

function segmentsOf(list: Segment[]): ReachableSegments {
  const xy = new Float64Array(list.flatMap(([x1, y1, x2, y2]) => [x1, y1, x2, y2]));
  const level = Uint8Array.from(list, (s) => s[4]);
  return { count: list.length, xy, level, bbox: new Float64Array(4), lengthM: new Float64Array(1) };
}

function distance(px: number, py: number, [x1, y1, x2, y2]: Segment): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / len2)) : 0;
  return Math.hypot(x1 + t * dx - px, y1 + t * dy - py);
}

/** The code of distance d, and whether d lies within 1e-9 of a rounding boundary (either code is right there). */
function codeOf(d: number, band: FieldBand): { code: number; tie: boolean } {
  const { hi } = bandEnds(band);
  if (d >= hi) return { code: FAR, tie: Math.abs(d - hi) < 1e-9 };
  const x = d < band.r ? (d - band.r) / band.below + THRESHOLD : (d - band.r) / band.above + THRESHOLD;
  const code = d < band.r ? Math.max(0, Math.min(INSIDE_MAX, Math.floor(x + 0.5))) : Math.min(FAR, Math.floor(x + 0.5));
  const step = d < band.r ? band.below : band.above;
  return { code, tie: Math.abs(x + 0.5 - Math.round(x + 0.5)) * step < 1e-9 };
}

function randomSegments(seed: number, count: number, levels: number): Segment[] {
  const random = seededRandom(seed);
  const list: Segment[] = [];
  for (let i = 0; i < count; i++) {
    const x = random() * 400;
    const y = random() * 400;
    const kind = i % 4;
    // Some horizontal, vertical, degenerate (points) and free segments.
    const len = random() * 80;
    const angle = random() * Math.PI * 2;
    const x2 = kind === 2 ? x : x + len * Math.cos(angle);
    const y2 = kind === 1 || kind === 2 ? y : y + len * Math.sin(angle);
    list.push([x, y, kind === 3 ? x : x2, kind === 3 ? y : y2, i % levels]);
  }
  return list;
}

const BAND: FieldBand = { r: 21.3, below: 0.09, above: 0.06 };

describe('markSegments', () => {
  it('gives every sample the code of its distance to the nearest segment, and flags its block', () => {
    const list = randomSegments(99, 60, 1);
    const segments = segmentsOf(list);
    const field = emptyField(gridAround(-100, -100, 500, 500, bandEnds(BAND).hi, 7.5));
    markSegments(field, BAND, segments, null, 0, segments.count);
    let inside = 0;
    let between = 0;
    for (let j = 0; j < field.height; j++) {
      for (let i = 0; i < field.width; i++) {
        const x = field.x0 + i * field.cellSize;
        const y = field.y0 + j * field.cellSize;
        const d = Math.min(...list.map((s) => distance(x, y, s)));
        const expected = codeOf(d, BAND);
        const got = field.codes[j * field.width + i]!;
        if (!expected.tie) expect(got, `sample ${i},${j} at ${d.toFixed(3)} m`).toBe(expected.code);
        // Rounding never moves a sample across r.
        expect(got <= INSIDE_MAX, `sample ${i},${j}`).toBe(d < BAND.r);
        if (got < FAR) expect(field.blocks[(j >> BLOCK_SHIFT) * field.blocksX + (i >> BLOCK_SHIFT)]).toBe(1);
        if (got <= INSIDE_MAX) inside++;
        if (got > 0 && got < FAR) between++;
      }
    }
    expect(inside).toBeGreaterThan(1000);
    expect(between).toBeGreaterThan(300);
  });

  it('codes every sample around wide areas of 0, where runs of 0 in a row pass 255 samples', () => {
    // Horizontal streets 12 m apart fill a block with code 0; a diagonal and a few short ones stick out.
    const list: Segment[] = [];
    for (let y = 0; y <= 300; y += 12) list.push([0, y, 800, y, 0]);
    list.push([-60, -50, 860, 350, 0], [820, 100, 821, 100, 0], [-20, 320, -20, 320, 0]);
    const segments = segmentsOf(list);
    const field = emptyField(gridAround(-60, -50, 860, 350, bandEnds(BAND).hi, 2.5));
    markSegments(field, BAND, segments, null, 0, segments.count);
    let longest = 0;
    let run = 0;
    for (const code of field.codes) {
      run = code === 0 ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    expect(longest).toBeGreaterThan(300);
    for (let j = 0; j < field.height; j++) {
      for (let i = 0; i < field.width; i++) {
        const d = Math.min(...list.map((seg) => distance(field.x0 + i * field.cellSize, field.y0 + j * field.cellSize, seg)));
        const expected = codeOf(d, BAND);
        if (!expected.tie) expect(field.codes[j * field.width + i], `sample ${i},${j} at ${d.toFixed(3)} m`).toBe(expected.code);
      }
    }
  });

  it('marks levels one after the other: after level k the field is that of levels <= k', () => {
    const list = randomSegments(7, 45, 3);
    const segments = segmentsOf(list);
    const { order, start } = segmentsByLevel(segments, 3);
    expect(Array.from(start)).toEqual([0, 15, 30, 45]);
    const field = emptyField(gridAround(-100, -100, 500, 500, bandEnds(BAND).hi, 9));
    for (let k = 0; k < 3; k++) {
      markSegments(field, BAND, segments, order, start[k]!, start[k + 1]!);
      const mine = list.filter((s) => s[4] <= k);
      for (let j = 0; j < field.height; j += 3) {
        for (let i = 0; i < field.width; i += 3) {
          const d = Math.min(...mine.map((s) => distance(field.x0 + i * field.cellSize, field.y0 + j * field.cellSize, s)));
          const expected = codeOf(d, BAND);
          if (!expected.tie) expect(field.codes[j * field.width + i], `level ${k}, sample ${i},${j}`).toBe(expected.code);
        }
      }
    }
  });
});
