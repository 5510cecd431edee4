// The GeoJSON text writer gives exactly the objects' JSON: integer coordinates
// formatted as decimals parse back to the same doubles, rings are closed,
// Polygon for one piece and MultiPolygon otherwise (empty included).
import { describe, expect, it } from 'vitest';
import { e7Text, geometryOf, isochroneFeatureCollection, isochroneGeoJsonText, type ContourLike, type E7Ring } from './isochrone-geojson.ts';
import { seededRandom } from '../../../test/synthetic-graph.ts';

function contour(minutes: number, polygons: E7Ring[][]): ContourLike {
  return { minutes, polygons, reachableM: 1234.56, areaM2: 98765.4, get geometry() { return geometryOf(polygons); } };
}

describe('isochrone GeoJSON', () => {
  it('formats 1e-7 degree integers as the decimals JSON would give', () => {
    const random = seededRandom(3);
    const cases = [0, 1, -1, 10, 1e7, -1e7, 1_800_000_000, -1_800_000_000, 1190000000, 254500001, -74270315, 5];
    for (let i = 0; i < 2000; i++) cases.push(Math.round((random() - 0.5) * 3.6e9));
    for (const n of cases) expect(Number(e7Text(n)), String(n)).toBe(n / 1e7);
    expect(e7Text(74270315)).toBe('7.4270315');
    expect(e7Text(-5)).toBe('-0.0000005');
    expect(e7Text(1190000000)).toBe('119');
    expect(e7Text(254500000)).toBe('25.45');
  });

  it('writes the same collection as the objects, largest contour first', () => {
    const square = Int32Array.from([1190000000, 254500000, 1190010000, 254500000, 1190010000, 254510000, 1190000000, 254510000]);
    const hole = Int32Array.from([1190002000, 254502000, 1190002000, 254508000, 1190008000, 254508000, 1190008000, 254502000]);
    const island = Int32Array.from([1190100000, 254500000, 1190100123, 254500000, 1190100123, 254500321]);
    const result = {
      contours: [contour(5, []), contour(10, [[square]]), contour(15, [[square, hole], [island]])],
      method: { bufferM: 40, generalizeM: 0, cellSizeM: 10 },
    };
    const text = isochroneGeoJsonText(result, { origins: 1, speed_kmh: 4 });
    const objects = isochroneFeatureCollection(result, { origins: 1, speed_kmh: 4 });
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(objects)));
    const parsed = JSON.parse(text);
    expect(parsed.features.map((f: any) => f.geometry.type)).toEqual(['MultiPolygon', 'Polygon', 'MultiPolygon']);
    expect(parsed.features[2].geometry.coordinates).toEqual([]);
    // Negative coordinates and values with trailing zeros come out as JSON would write them.
    const west = Int32Array.from([-1190000000, -254500000, -1189999990, -254500000, -1189999990, -254499999]);
    const far = { contours: [contour(15, [[west]])], method: { bufferM: 40, generalizeM: 0, cellSizeM: 10 } };
    expect(isochroneGeoJsonText(far)).toBe(JSON.stringify(isochroneFeatureCollection(far)));
    // Non-ASCII properties (Chinese names) come out as the same text, not as bytes read one by one.
    const named = { 城市: '莆田', note: 'ASCII 与 中文' };
    expect(isochroneGeoJsonText(far, named)).toBe(JSON.stringify(isochroneFeatureCollection(far, named)));
    const ring = parsed.features[1].geometry.coordinates[0];
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    expect(ring[0]).toEqual([119, 25.45]);
  });

  it('writes long rings of the widest numbers and of trailing zeros as JSON does', () => {
    // "[-179.1234567,-89.1234567]" is the longest vertex: a ring of only those must fit the writer's
    // reservation; values with 0 to 7 fraction digits test the trailing zeros it takes back.
    const random = seededRandom(11);
    const values = (n: number, widest: boolean) =>
      Int32Array.from({ length: 2 * n }, (_, i) => {
        const limit = i % 2 === 0 ? 1_800_000_000 : 900_000_000;
        if (widest) return -(limit - 1 - Math.floor(random() * 9e8 * (limit / 1.8e9)));
        const digits = Math.floor(random() * 8);
        const step = 10 ** (7 - digits);
        return Math.round(((random() - 0.5) * 2 * limit) / step) * step;
      });
    const wide = values(3000, true);
    const mixed = values(3000, false);
    expect(Math.max(...Array.from(wide, (v) => e7Text(v).length))).toBe(12);
    for (const polygons of [[[wide]], [[mixed]], [[mixed], [wide]]]) {
      const result = { contours: [contour(15, polygons)], method: { bufferM: 40, generalizeM: 0, cellSizeM: 10 } };
      expect(isochroneGeoJsonText(result)).toBe(JSON.stringify(isochroneFeatureCollection(result)));
    }
  });
});
