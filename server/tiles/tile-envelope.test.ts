import { describe, expect, it } from 'vitest';
import { latToTileY, lonToTileX, tileBounds, tileRangeForBox, tileXToLon, tileYToLat } from './tile-envelope.ts';

describe('tile envelope math', () => {
  it('round-trips tile coordinates', () => {
    for (const [lon, lat] of [[119, 25.45], [7.42, 43.73], [-74, 40.7], [0, 0]]) {
      for (const z of [0, 5, 14, 20]) {
        expect(tileXToLon(lonToTileX(lon!, z), z)).toBeCloseTo(lon!, 9);
        expect(tileYToLat(latToTileY(lat!, z), z)).toBeCloseTo(lat!, 9);
      }
    }
  });

  it('gives the tile bounds as ST_TileEnvelope does (z1: four quadrants)', () => {
    const [w, s, e, n] = tileBounds(1, 1, 0);
    expect(w).toBe(0);
    expect(e).toBe(180);
    expect(s).toBeCloseTo(0, 9);
    expect(n).toBeCloseTo(85.0511287798, 6);
  });

  it('covers a box with the tiles whose buffered envelope meets it', () => {
    const z = 14;
    const x = Math.floor(lonToTileX(119, z));
    const y = Math.floor(latToTileY(25.45, z));
    // A point in the middle of a tile: that tile only.
    const [w, s, e, n] = tileBounds(z, x, y);
    const mid: [number, number, number, number] = [(w + e) / 2, (s + n) / 2, (w + e) / 2, (s + n) / 2];
    expect(tileRangeForBox(mid, z, 64 / 4096)).toEqual({ minX: x, maxX: x, minY: y, maxY: y });
    // A point on the west edge: the tile and its west neighbour.
    expect(tileRangeForBox([w, (s + n) / 2, w, (s + n) / 2], z, 64 / 4096)).toEqual({ minX: x - 1, maxX: x, minY: y, maxY: y });
    // The whole world at z2 stays inside 0..3.
    expect(tileRangeForBox([-180, -85, 180, 85], 2, 64 / 4096)).toEqual({ minX: 0, maxX: 3, minY: 0, maxY: 3 });
  });
});
