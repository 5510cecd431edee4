// Outline tracing on hand-made rasters: winding, holes, islands in holes,
// saddles (cut corners, no touching rings), cuts carried down to smaller
// contours so that they nest, and simplification keeping rings valid.
import { describe, expect, it } from 'vitest';
import { emptyRaster, type CellRaster } from './cell-raster.ts';
import { traceContour, type PlanePolygon } from './trace-contours.ts';
import { hasIntersections, ringArea, simplifyPolygons, simplifyRing } from './simplify-rings.ts';

/** A raster from rows of text, top row first: '.' unmarked, digits = level. One unmarked border is added. */
function rasterOf(rows: string[]): CellRaster {
  const h = rows.length + 2;
  const w = rows[0]!.length + 2;
  const raster = emptyRaster({ x0: 0, y0: 0, cellSize: 1, width: w, height: h });
  raster.blocks.fill(1);
  rows.forEach((row, r) => {
    const j = h - 2 - r;
    for (let i = 0; i < row.length; i++) if (row[i] !== '.') raster.levels[j * w + i + 1] = Number(row[i]);
  });
  return raster;
}

function area(polygons: PlanePolygon[]): number {
  let sum = 0;
  for (const rings of polygons) for (const ring of rings) sum += ringArea(ring);
  return sum;
}

function allRings(polygons: PlanePolygon[]): Float64Array[] {
  return polygons.flat();
}

describe('traceContour', () => {
  it('outlines one cell counter-clockwise with four vertices', () => {
    const polygons = traceContour(rasterOf(['0']), 0, 0.125);
    expect(polygons.length).toBe(1);
    expect(polygons[0]!.length).toBe(1);
    expect(Array.from(polygons[0]![0]!)).toEqual([2, 1, 2, 2, 1, 2, 1, 1]);
    expect(ringArea(polygons[0]![0]!)).toBe(1);
  });

  it('merges straight runs and keeps holes clockwise', () => {
    const polygons = traceContour(rasterOf(['000', '0.0', '000']), 0, 0.125);
    expect(polygons.length).toBe(1);
    const [outer, hole] = polygons[0]!;
    expect(outer!.length / 2).toBe(4);
    expect(hole!.length / 2).toBe(4);
    expect(ringArea(outer!)).toBe(9);
    expect(ringArea(hole!)).toBe(-1);
  });

  it('gives an island inside a hole its own polygon and the hole to the outer one', () => {
    const polygons = traceContour(rasterOf(['00000', '0...0', '0.0.0', '0...0', '00000']), 0, 0.125);
    expect(polygons.length).toBe(2);
    const big = polygons.find((p) => p.length === 2)!;
    const island = polygons.find((p) => p.length === 1)!;
    expect(ringArea(big[0]!)).toBe(25);
    expect(ringArea(big[1]!)).toBe(-9);
    expect(ringArea(island[0]!)).toBe(1);
  });

  it('assigns holes by component when there are several outer rings', () => {
    const polygons = traceContour(rasterOf(['000.000', '0.0.0.0', '000.000']), 0, 0.125);
    expect(polygons.length).toBe(2);
    for (const p of polygons) {
      expect(p.length).toBe(2);
      // The hole lies inside its own outer ring's box.
      const xs = (r: Float64Array) => Array.from(r).filter((_, i) => i % 2 === 0);
      expect(Math.min(...xs(p[1]!))).toBeGreaterThanOrEqual(Math.min(...xs(p[0]!)));
      expect(Math.max(...xs(p[1]!))).toBeLessThanOrEqual(Math.max(...xs(p[0]!)));
    }
  });

  it('cuts the corners at saddles so that rings never touch', () => {
    const d = 0.125;
    const polygons = traceContour(rasterOf(['0.', '.0']), 0, d);
    expect(polygons.length).toBe(2);
    for (const p of polygons) expect(ringArea(p[0]!)).toBeCloseTo(1 - (d * d) / 2, 12);
    expect(hasIntersections(allRings(polygons))).toBe(false);
    // A ring that meets itself at a saddle: a ring of cells touching diagonally.
    const loop = traceContour(rasterOf(['.0.', '0.0', '.0.']), 0, d);
    expect(loop.length).toBe(4);
    expect(hasIntersections(allRings(loop))).toBe(false);
    const chain = traceContour(rasterOf(['00.', '0.0', '.00']), 0, d);
    expect(hasIntersections(allRings(chain))).toBe(false);
    // Two saddles, each cutting two cells.
    expect(area(chain)).toBeCloseTo(6 - 4 * ((d * d) / 2), 12);
  });

  it('carries a larger contour saddle cut down to smaller contours, so they nest', () => {
    const d = 0.125;
    // Level 0 marks one cell; level 1 adds its diagonal neighbour: a saddle only at level 1.
    const raster = rasterOf(['0.', '.1']);
    const inner = traceContour(raster, 0, d);
    const outer = traceContour(raster, 1, d);
    expect(area(inner)).toBeCloseTo(1 - (d * d) / 2, 12);
    expect(area(outer)).toBeCloseTo(2 - d * d, 12);
    // The inner ring's cut vertices are exactly those of the outer's same cell.
    const cell = outer.find((p) => Math.min(...Array.from(p[0]!).filter((_, i) => i % 2 === 0)) === 1)!;
    expect(Array.from(inner[0]![0]!).sort()).toEqual(Array.from(cell[0]!).sort());
  });

  it('limits the scan to a window', () => {
    const raster = rasterOf(['0....', '.....', '....0']);
    expect(traceContour(raster, 0, 0.125, { i0: 0, j0: 0, i1: 2, j1: 4 }).length).toBe(1);
    expect(traceContour(raster, 0, 0.125).length).toBe(2);
  });
});

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
    expect(hasIntersections(allRings(simplified))).toBe(false);
  });
});
