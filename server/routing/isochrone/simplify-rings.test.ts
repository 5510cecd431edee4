// Douglas-Peucker on closed rings: a staircase straightened within the
// tolerance, and rings kept valid where simplifying would make them cross.
import { describe, expect, it } from 'vitest';
import type { PlanePolygon } from './trace-contours.ts';
import { hasIntersections, ringArea, simplifyPolygons, simplifyRing } from './simplify-rings.ts';

describe('simplifyRing / simplifyPolygons', () => {
  it('straightens a staircase within the tolerance', () => {
    // A 10-step staircase triangle.
    const pts: number[] = [0, 0, 10, 0];
    for (let k = 10; k > 0; k--) pts.push(k, 10 - k + 1, k - 1, 10 - k + 1);
    const ring = Float64Array.from(pts);
    const simple = simplifyRing(ring, 1);
    expect(simple.length / 2).toBe(3);
    expect(Math.sign(ringArea(simple))).toBe(Math.sign(ringArea(ring)));
  });

  it('keeps rings valid: falls back when simplifying would make rings cross', () => {
    // Two long thin combs interleaved 1 unit apart: a 3-unit tolerance would cross them.
    const comb = (y: number, dir: number) => {
      const pts: number[] = [];
      for (let x = 0; x <= 20; x += 2) pts.push(x, y, x + 1, y + dir * 0.4);
      pts.push(21, y + dir * 0.9, 0, y + dir * 0.9);
      return Float64Array.from(dir > 0 ? pts : pts.reverse().flatMap((_, i, a) => (i % 2 === 0 ? [a[i + 1]!, a[i]!] : [])));
    };
    const polygons: PlanePolygon[] = [[comb(0, 1)], [comb(2, -1)]];
    const simplified = simplifyPolygons(polygons, 3, 0.01);
    expect(hasIntersections(simplified.flat())).toBe(false);
  });
});
