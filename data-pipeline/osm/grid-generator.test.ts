import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/seeded-random.ts';
import { assignGrids, GRID_CELL_M, HOUSEHOLDS_PER_OFFICER } from './grid-generator.ts';

const rng = seededRandom;

function bounds(geom: number[][][][]): { w: number; e: number; s: number; n: number } {
  const ring = geom[0]![0]!;
  const xs = ring.map((p) => p[0]!);
  const ys = ring.map((p) => p[1]!);
  return { w: Math.min(...xs), e: Math.max(...xs), s: Math.min(...ys), n: Math.max(...ys) };
}

describe('assignGrids', () => {
  it('puts every unit in exactly one grid whose square contains it, and keeps no empty grid', () => {
    const r = rng(7);
    const n = 5000;
    const lon = new Float64Array(n);
    const lat = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      // Two clusters with an empty gap between them.
      const c = i % 2;
      lon[i] = 7.4 + c * 0.1 + r() * 0.02;
      lat[i] = 43.7 + r() * 0.02;
    }
    const { grids, gridIndex } = assignGrids(lon, lat);
    const used = new Int32Array(grids.length);
    const outside: number[] = [];
    for (let i = 0; i < n; i++) {
      const g = gridIndex[i]!;
      if (!(g >= 0 && g < grids.length)) {
        outside.push(i);
        continue;
      }
      used[g]!++;
      const b = bounds(grids[g]!.geom);
      const eps = 1e-12;
      if (lon[i]! < b.w - eps || lon[i]! > b.e + eps || lat[i]! < b.s - eps || lat[i]! > b.n + eps) outside.push(i);
    }
    expect(outside).toEqual([]);
    expect(Array.from(used).every((u) => u > 0)).toBe(true);
    // Cells are GRID_CELL_M squares: the gap between the clusters (~6 km) has no grids.
    const cellDeg = GRID_CELL_M / 111195;
    expect(grids.length).toBeLessThan(2 * Math.ceil(0.02 / cellDeg + 1) * Math.ceil(0.02 / (cellDeg / Math.cos((43.71 * Math.PI) / 180)) + 1));
    expect(new Set(grids.map((g) => g.code)).size).toBe(grids.length);
  });

  it('sends a point on a shared cell edge to exactly one cell, the one to its east / north', () => {
    // The first unit anchors the south-west corner; the second sits exactly on the
    // edge between the first and second cells (x = one cell width).
    const cellLat = GRID_CELL_M / (6371008.8 * (Math.PI / 180));
    const lon = [7.4, 7.4, 7.4];
    const lat = [43.7, 43.7 + cellLat, 43.7 + cellLat * 0.5];
    const { grids, gridIndex } = assignGrids(lon, lat);
    expect(grids.length).toBe(2);
    expect(gridIndex[0]).toBe(gridIndex[2]);
    expect(gridIndex[1]).not.toBe(gridIndex[0]);
    const b = bounds(grids[gridIndex[1]!]!.geom);
    expect(b.s).toBeCloseTo(lat[1]!, 12);
  });

  it('gives each grid officers by households, at least one', () => {
    const lon = [7.4, 7.4001, 7.5];
    const lat = [43.7, 43.7001, 43.75];
    const { grids, gridIndex, households } = assignGrids(lon, lat, [400, 500, 3]);
    expect(grids[gridIndex[0]!]!.officers).toBe(Math.round(900 / HOUSEHOLDS_PER_OFFICER));
    expect(grids[gridIndex[2]!]!.officers).toBe(1);
    expect(households[gridIndex[0]!]).toBe(900);
    expect(grids[0]!.code).toMatch(/^G-\d{4}-\d{4}$/);
    expect(grids[0]!.communityCode).toBeNull();
  });

  it('handles no households', () => {
    const r = assignGrids([], []);
    expect(r.grids).toEqual([]);
    expect(r.gridIndex.length).toBe(0);
  });
});
