import { VectorTile } from '@mapbox/vector-tile';
import Pbf from 'pbf';
import { describe, expect, it } from 'vitest';
import type { FieldType } from '../layers.ts';
import { encodeGeometry, encodeTile, GEOM_LINESTRING, GEOM_POINT, GEOM_POLYGON, MvtLayerWriter, type TileGeometry } from './mvt-encoder.ts';

const decode = (bytes: Uint8Array) => new VectorTile(new Pbf(bytes) as never);

function polygon(rings: number[][][], ringsPerPolygon?: number[]): TileGeometry {
  const coords: number[] = [];
  const ends: number[] = [];
  for (const ring of rings) {
    for (const [x, y] of ring) coords.push(x!, y!);
    ends.push(coords.length / 2);
  }
  return {
    type: GEOM_POLYGON,
    coords: Int32Array.from(coords),
    partEnds: Uint32Array.from(ends),
    ringsPerPolygon: Uint32Array.from(ringsPerPolygon ?? [rings.length]),
  };
}

/** Fields of every MVT value type, named in the order string, integer, number, float, boolean. */
function everyType(...names: [string, string, string, string, string]): { name: string; type: FieldType }[] {
  const types: FieldType[] = ['string', 'integer', 'number', 'float', 'boolean'];
  return types.map((type, i) => ({ name: names[i]!, type }));
}

/** Twice the surveyor's area of a decoded ring (positive: exterior in MVT). */
function area2(ring: { x: number; y: number }[]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += ring[j]!.x * ring[i]!.y - ring[i]!.x * ring[j]!.y;
  return s;
}

describe('MVT encoder', () => {
  it('writes an empty tile as zero bytes and leaves out empty layers', () => {
    expect(encodeTile([]).byteLength).toBe(0);
    const empty = new MvtLayerWriter('a', []);
    expect(encodeTile([empty]).byteLength).toBe(0);
    const full = new MvtLayerWriter('b', []);
    full.addFeature(1, [], { type: GEOM_POINT, coords: Int32Array.of(1, 2), partEnds: Uint32Array.of(1) });
    expect(Object.keys(decode(encodeTile([empty, full])).layers)).toEqual(['b']);
  });

  it('writes ids, typed properties and leaves out nulls', () => {
    const layer = new MvtLayerWriter('centers', everyType('name', 'n', 'share', 'levels', 'open'));
    const point = (x: number, y: number): TileGeometry => ({ type: GEOM_POINT, coords: Int32Array.of(x, y), partEnds: Uint32Array.of(1) });
    layer.addFeature(7, ['A', 3, 0.25, 1.1, true], point(10, 20));
    layer.addFeature(8, ['B', -4, 1, null, false], point(4096, 0));
    layer.addFeature(null, ['A', 3, 0.25, undefined, true], point(-64, 4160));
    const tile = decode(encodeTile([layer]));
    const l = tile.layers.centers!;
    expect(l.version).toBe(2);
    expect(l.extent).toBe(4096);
    expect(l.length).toBe(3);
    const f0 = l.feature(0);
    expect(f0.id).toBe(7);
    expect(f0.type).toBe(1);
    expect(f0.properties).toEqual({ name: 'A', n: 3, share: 0.25, levels: Math.fround(1.1), open: true });
    expect(f0.loadGeometry()).toEqual([[{ x: 10, y: 20 }]]);
    expect(l.feature(1).properties).toEqual({ name: 'B', n: -4, share: 1, open: false });
    expect(l.feature(2).id).toBeUndefined();
    expect(l.feature(2).loadGeometry()).toEqual([[{ x: -64, y: 4160 }]]);
  });

  it('joins parts of a multi-geometry with one cursor', () => {
    const lines: TileGeometry = { type: GEOM_LINESTRING, coords: Int32Array.of(0, 0, 10, 0, 10, 10, 5, 5, 5, 5, 6, 6), partEnds: Uint32Array.of(3, 6) };
    const layer = new MvtLayerWriter('l', []);
    layer.addFeature(1, [], lines);
    const g = decode(encodeTile([layer])).layers.l!.feature(0).loadGeometry();
    // The repeated point is dropped.
    expect(g).toEqual([
      [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }],
      [{ x: 5, y: 5 }, { x: 6, y: 6 }],
    ]);
  });

  it('orients exterior rings clockwise on screen (positive area) and holes the other way', () => {
    // Exterior given counter-clockwise on screen, hole given clockwise: both must flip.
    const ccw = [[0, 0], [0, 100], [100, 100], [100, 0], [0, 0]];
    const cwHole = [[20, 20], [80, 20], [80, 80], [20, 80], [20, 20]];
    const layer = new MvtLayerWriter('p', []);
    layer.addFeature(1, [], polygon([ccw, cwHole]));
    const rings = decode(encodeTile([layer])).layers.p!.feature(0).loadGeometry();
    expect(rings).toHaveLength(2);
    expect(area2(rings[0]!)).toBeGreaterThan(0);
    expect(area2(rings[1]!)).toBeLessThan(0);
    // Closing point repeated by the decoder, as ClosePath means.
    expect(rings[0]![0]).toEqual(rings[0]![rings[0]!.length - 1]);
  });

  it('drops rings under one square unit (as wagyu does) and holes of dropped exteriors', () => {
    const tiny = [[0, 0], [1, 0], [0, 1], [0, 0]];
    const hole = [[0, 0], [0, 1], [1, 0], [0, 0]];
    const big = [[10, 10], [20, 10], [20, 20], [10, 10]];
    expect(encodeGeometry(polygon([tiny]))).toBeNull();
    const commands = encodeGeometry(polygon([tiny, hole, big], [2, 1]));
    expect(commands).not.toBeNull();
    const layer = new MvtLayerWriter('p', []);
    layer.addFeature(1, [], polygon([tiny, hole, big], [2, 1]));
    expect(decode(encodeTile([layer])).layers.p!.feature(0).loadGeometry()).toHaveLength(1);
  });

  it('skips features without drawable geometry', () => {
    const layer = new MvtLayerWriter('l', []);
    expect(layer.addFeature(1, [], { type: GEOM_LINESTRING, coords: Int32Array.of(3, 3, 3, 3), partEnds: Uint32Array.of(2) })).toBe(false);
    expect(layer.length).toBe(0);
  });

  it('writes the same bytes ST_AsMVT writes', () => {
    // SELECT ST_AsMVT(t, 'l', 4096, 'geom', 'id') FROM (VALUES
    //   (5, 'x'::text, 3, 2.5::float8, 1.5::real, true, 'POLYGON((0 0,10 0,10 10,0 10,0 0))'::geometry),
    //   (6, 'y'::text, -2, 2.5::float8, NULL::real, false, 'MULTIPOLYGON(((20 20,30 20,30 30,20 20)),((40 40,50 40,50 50,40 40)))'::geometry)
    // ) t(id, k, n, d, r, b, geom)   -- on PostGIS 3.3
    const postgis =
      '1a86010a016c121d0805120a000001010202030304041803220b0900001a1400001413000f12220806120800050106020204071803221209282812140000140f09141412140000140f1a016b1a016e1a01641a01721a016222030a01782202280322091900000000000004402205150000c03f2202380122030a017922023003220238002880207802';
    const layer = new MvtLayerWriter('l', everyType('k', 'n', 'd', 'r', 'b'));
    layer.addFeature(5, ['x', 3, 2.5, 1.5, true], polygon([[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]]));
    layer.addFeature(6, ['y', -2, 2.5, null, false], polygon([[[20, 20], [30, 20], [30, 30], [20, 20]], [[40, 40], [50, 40], [50, 50], [40, 40]]], [1, 1]));
    expect(Buffer.from(encodeTile([layer])).toString('hex')).toBe(postgis);
  });
});
