import { describe, expect, it } from 'vitest';
import { GEOM_LINESTRING, GEOM_POINT, GEOM_POLYGON, type TileGeometry } from './mvt-encoder.ts';
import { removeCollinearPoints, snapRoundPolygons } from './tile-simplify.ts';

const line = (...parts: number[][]): TileGeometry => {
  const coords = parts.flat();
  let end = 0;
  return { type: GEOM_LINESTRING, coords: Int32Array.from(coords), partEnds: Uint32Array.from(parts.map((p) => (end += p.length / 2))) };
};
const rings = (...parts: number[][]): TileGeometry => ({ ...line(...parts), type: GEOM_POLYGON, ringsPerPolygon: Uint32Array.of(parts.length) });
const parts = (g: TileGeometry | null) => {
  if (!g) return null;
  const out: number[][] = [];
  let from = 0;
  for (const end of g.partEnds) {
    out.push(Array.from(g.coords.subarray(2 * from, 2 * end)));
    from = end;
  }
  return out;
};

describe('removeCollinearPoints (PostGIS 3.3 tolerance-0 simplify)', () => {
  it('drops points between their neighbours on a straight run, keeps turns and back-tracks', () => {
    expect(parts(removeCollinearPoints(line([0, 0, 1, 1, 2, 2, 3, 1])))).toEqual([[0, 0, 2, 2, 3, 1]]);
    expect(parts(removeCollinearPoints(line([0, 0, 1, 1, 2, 2, 1, 1, 5, 5])))).toEqual([[0, 0, 2, 2, 1, 1, 5, 5]]);
    expect(parts(removeCollinearPoints(line([0, 0, 2, 0, 1, 0, 3, 0])))).toEqual([[0, 0, 2, 0, 1, 0, 3, 0]]);
  });

  it('collapses there-and-back lines and drops them, as the server does', () => {
    expect(removeCollinearPoints(line([412, 1616, 411, 1615, 412, 1616]))).toBeNull();
    expect(parts(removeCollinearPoints(line([412, 1616, 411, 1615, 412, 1616], [0, 0, 5, 0])))).toEqual([[0, 0, 5, 0]]);
  });

  it('leaves points and polygons alone', () => {
    const p: TileGeometry = { type: GEOM_POINT, coords: Int32Array.of(1, 1), partEnds: Uint32Array.of(1) };
    expect(removeCollinearPoints(p)).toBe(p);
  });
});

describe('snapRoundPolygons (wagyu-like snap rounding)', () => {
  it('routes an edge through a vertex whose pixel it crosses and cuts the spike that makes', () => {
    // From Monaco building 14501 at 14/8529/5973: the server drops (2765,4091) and (2740,4078).
    const ring = [2770, 4093, 2766, 4090, 2765, 4091, 2767, 4087, 2761, 4080, 2752, 4076, 2742, 4074, 2740, 4078, 2740, 4077, 2736, 4075, 2735, 4076, 2699, 4059, 2718, 4021, 2819, 4071, 2825, 4084, 2799, 4109, 2770, 4094, 2770, 4093];
    const out = parts(snapRoundPolygons(rings(ring)))![0]!;
    const pts = new Set<string>();
    for (let i = 0; i < out.length; i += 2) pts.add(`${out[i]},${out[i + 1]}`);
    expect(pts.has('2765,4091')).toBe(false);
    expect(pts.has('2740,4078')).toBe(false);
    expect(pts.has('2766,4090')).toBe(true);
    expect(pts.has('2740,4077')).toBe(true);
    expect(out.slice(0, 2)).toEqual(out.slice(-2));
  });

  it('keeps a clean square as it is', () => {
    const square = [0, 0, 10, 0, 10, 10, 0, 10, 0, 0];
    expect(parts(snapRoundPolygons(rings(square)))).toEqual([square]);
  });

  it('removes spikes across the ring start', () => {
    expect(parts(snapRoundPolygons(rings([5, 5, 0, 0, 10, 0, 10, 10, 0, 10, 0, 0, 5, 5])))).toEqual([[10, 0, 10, 10, 0, 10, 0, 0, 10, 0]]);
  });
});
