// Row marking against brute force: a cell is marked exactly when its centre
// is within the radius of a segment (up to rounding on the circle), with the
// lowest level of the segments that reach it, and every marked cell lies in
// a block flagged as occupied.
import { describe, expect, it } from 'vitest';
import { BLOCK_SHIFT, emptyRaster, gridAround, markSegments, UNMARKED } from './cell-raster.ts';
import type { ReachableSegments } from './reachable-segments.ts';
import { seededRandom } from '../../../test/synthetic-graph.ts';

function segmentsOf(list: [number, number, number, number, number][]): ReachableSegments {
  const xy = new Float64Array(list.flatMap(([x1, y1, x2, y2]) => [x1, y1, x2, y2]));
  const level = Uint8Array.from(list, (s) => s[4]);
  return { count: list.length, xy, level, bbox: new Float64Array(4), lengthM: new Float64Array(1) };
}

function distance(px: number, py: number, [x1, y1, x2, y2]: number[]): number {
  const dx = x2! - x1!;
  const dy = y2! - y1!;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - x1!) * dx + (py - y1!) * dy) / len2)) : 0;
  return Math.hypot(x1! + t * dx - px, y1! + t * dy - py);
}

describe('markSegments', () => {
  it('marks exactly the cells whose centre is within the radius, with the lowest level', () => {
    const random = seededRandom(99);
    const list: [number, number, number, number, number][] = [];
    for (let i = 0; i < 60; i++) {
      const x = random() * 400;
      const y = random() * 400;
      const kind = i % 4;
      // Some horizontal, vertical, degenerate (points) and free segments.
      const len = random() * 80;
      const angle = random() * Math.PI * 2;
      const x2 = kind === 2 ? x : x + len * Math.cos(angle);
      const y2 = kind === 1 ? y : kind === 2 ? y : y + len * Math.sin(angle);
      list.push([x, y, kind === 3 ? x : x2, kind === 3 ? y : y2, i % 3]);
    }
    const segments = segmentsOf(list);
    const radius = 23.7;
    const raster = emptyRaster(gridAround(-100, -100, 500, 500, radius, 7.5));
    markSegments(raster, segments, radius);
    let marked = 0;
    for (let j = 0; j < raster.height; j++) {
      for (let i = 0; i < raster.width; i++) {
        const cx = raster.x0 + (i + 0.5) * raster.cellSize;
        const cy = raster.y0 + (j + 0.5) * raster.cellSize;
        let expected = UNMARKED;
        let nearEdge = false;
        for (const s of list) {
          const d = distance(cx, cy, s);
          if (Math.abs(d - radius) < 1e-9) nearEdge = true;
          if (d <= radius) expected = Math.min(expected, s[4]);
        }
        const got = raster.levels[j * raster.width + i]!;
        if (!nearEdge) expect(got, `cell ${i},${j}`).toBe(expected);
        if (got !== UNMARKED) {
          marked++;
          expect(raster.blocks[(j >> BLOCK_SHIFT) * raster.blocksX + (i >> BLOCK_SHIFT)]).toBe(1);
        }
      }
    }
    expect(marked).toBeGreaterThan(1000);
  });
});
