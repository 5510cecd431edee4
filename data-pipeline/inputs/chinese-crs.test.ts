// GCJ-02 and BD-09 to WGS84 against point pairs published by open-source
// converters (each pair's source beside it), round trips over a seeded grid
// of points across China, and the out-of-China rule. Each published pair is
// the output of a *forward* transform (WGS84 -> GCJ-02 -> BD-09) or of an
// iterative inverse, so its WGS84 side is the truth to within its rounding;
// pairs whose WGS84 side came from a one-step inverse or from a web service
// are not used (googollee/eviltransform's two BD-09 test points are 10 m and
// 41 m away from what its own published formulas give).
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/seeded-random.ts';
import {
  bd09ToGcj02,
  bd09ToWgs84,
  gcj02ToBd09,
  gcj02ToWgs84,
  outOfChina,
  parseCrs,
  toWgs84,
  wgs84ToGcj02,
} from './chinese-crs.ts';
import { haversineM } from '../../kernel/geo.ts';

type Pair = { from: [number, number]; to: [number, number]; source: string };

const GCJ02_TO_WGS84: Pair[] = [
  // wandergis/coordtransform README.md, "result": wgs84togcj02(116.404, 39.915) (Beijing, Tiananmen).
  { from: [116.41024449916938, 39.91640428150164], to: [116.404, 39.915], source: 'coordtransform README' },
  // googollee/eviltransform go/transform_test.go and python/test.py, `tests` (lat, lng order there).
  { from: [121.531541859215, 31.17530398364597], to: [121.5272106, 31.1774276], source: 'eviltransform tests, shanghai' },
  { from: [113.9171764808363, 22.540796131694766], to: [113.912316, 22.543847], source: 'eviltransform tests, shenzhen' },
  { from: [116.38404722455657, 39.91334545536069], to: [116.377817, 39.911954], source: 'eviltransform tests, beijing' },
  // hujiulong/gcoord test/unit/crs/WGS84.spec.ts, "WGS84 to GCJ02" of [123, 45] (8 decimals).
  { from: [123.00607541, 45.00197815], to: [123, 45], source: 'gcoord WGS84.spec' },
];

const BD09_TO_WGS84: Pair[] = [
  // hujiulong/gcoord test/unit/crs/WGS84.spec.ts, "WGS84 to BD09" of [123, 45] (7 decimals).
  { from: [123.0124491, 45.0083293], to: [123, 45], source: 'gcoord WGS84.spec' },
  // hujiulong/gcoord test/unit/crs/BD09.spec.ts, "BD09 to WGS84" of [123, 45] (iterative inverse, 8 decimals).
  { from: [123, 45], to: [122.9876221, 44.9917154], source: 'gcoord BD09.spec' },
];

const BD09_TO_GCJ02: Pair[] = [
  // wandergis/coordtransform README.md, "result": gcj02tobd09(116.404, 39.915).
  { from: [116.41036949371029, 39.92133699351021], to: [116.404, 39.915], source: 'coordtransform README, gcj02tobd09' },
  // wandergis/coordtransform README.md, "result": bd09togcj02(116.404, 39.915).
  { from: [116.404, 39.915], to: [116.39762729119315, 39.90865673957631], source: 'coordtransform README, bd09togcj02' },
  // hujiulong/gcoord test/unit/crs/BD09.spec.ts, "BD09 to GCJ02" of [123, 45] (8 decimals).
  { from: [123, 45], to: [122.99363304, 44.9936543], source: 'gcoord BD09.spec' },
];

const errorM = (convert: (lon: number, lat: number) => [number, number], p: Pair) => {
  const [lon, lat] = convert(p.from[0], p.from[1]);
  return haversineM(lon, lat, p.to[0], p.to[1]);
};

/** Seeded points on a 30 x 30 grid over China, jittered within their cells, kept off the rectangle's edge. */
function pointsInChina(seed: number): [number, number][] {
  const random = seededRandom(seed);
  const out: [number, number][] = [];
  const [minLon, maxLon, minLat, maxLat] = [73.5, 135, 18, 53.5];
  for (let i = 0; i < 30; i++) {
    for (let j = 0; j < 30; j++) {
      out.push([minLon + ((i + random()) * (maxLon - minLon)) / 30, minLat + ((j + random()) * (maxLat - minLat)) / 30]);
    }
  }
  return out;
}

describe('GCJ-02 to WGS84', () => {
  it.each(GCJ02_TO_WGS84)('the published pair from $source converts within 1 cm', (pair) => {
    // Measured: 0 m for the first four, 1.1 mm for gcoord's (its 8 decimals).
    expect(errorM(gcj02ToWgs84, pair)).toBeLessThan(0.01);
  });

  it('the forward transform reproduces the published GCJ-02 side', () => {
    for (const p of GCJ02_TO_WGS84) {
      const [lon, lat] = wgs84ToGcj02(p.to[0], p.to[1]);
      expect(haversineM(lon, lat, p.from[0], p.from[1]), p.source).toBeLessThan(0.01);
    }
  });

  it('round-trips forward then inverse within 0.01 m over a seeded grid across China', () => {
    let worst = 0;
    for (const [lon, lat] of pointsInChina(42)) {
      const [gLon, gLat] = wgs84ToGcj02(lon, lat);
      // The offset is hundreds of metres: a round trip that did nothing would fail.
      expect(haversineM(gLon, gLat, lon, lat)).toBeGreaterThan(10);
      const [wLon, wLat] = gcj02ToWgs84(gLon, gLat);
      worst = Math.max(worst, haversineM(wLon, wLat, lon, lat));
    }
    expect(worst).toBeLessThan(0.01); // measured: ~3e-9 m
  });

  it('is more accurate than the one-step inverse, which is off by metres', () => {
    // The one-step inverse subtracts the offset taken at the GCJ-02 point.
    let oneStepWorst = 0;
    for (const [lon, lat] of pointsInChina(7)) {
      const [gLon, gLat] = wgs84ToGcj02(lon, lat);
      const [fLon, fLat] = wgs84ToGcj02(gLon, gLat);
      oneStepWorst = Math.max(oneStepWorst, haversineM(2 * gLon - fLon, 2 * gLat - fLat, lon, lat));
    }
    expect(oneStepWorst).toBeGreaterThan(1); // measured: ~4.4 m
  });
});

describe('BD-09 to GCJ-02 and WGS84', () => {
  it.each(BD09_TO_WGS84)('the published BD-09 -> WGS84 pair from $source converts within 1 m', (pair) => {
    // Measured: 0.11 m and 0.016 m (the standard BD-09 inverse, and the pairs' rounding).
    expect(errorM(bd09ToWgs84, pair)).toBeLessThan(1);
  });

  it.each(BD09_TO_GCJ02)('the published BD-09 -> GCJ-02 pair from $source converts within 1 m', (pair) => {
    // Measured: 0.057 m, 0 m, 0.8 mm.
    expect(errorM(bd09ToGcj02, pair)).toBeLessThan(1);
  });

  it('round-trips WGS84 -> GCJ-02 -> BD-09 -> WGS84 within the standard inverse error (0.3 m) across China', () => {
    let worst = 0;
    for (const [lon, lat] of pointsInChina(43)) {
      const [bLon, bLat] = gcj02ToBd09(...wgs84ToGcj02(lon, lat));
      const [wLon, wLat] = bd09ToWgs84(bLon, bLat);
      worst = Math.max(worst, haversineM(wLon, wLat, lon, lat));
    }
    expect(worst).toBeLessThan(0.3); // measured: ~0.21 m, the closed-form BD-09 inverse's own error
  });
});

describe('outside China', () => {
  it('leaves points outside the GCJ-02 rectangle unchanged, in both systems', () => {
    const outside: [number, number][] = [
      [7.4246, 43.7384], // Monaco
      [-0.1276, 51.5072], // London
      [139.6917, 35.6895], // Tokyo: east of 137.8347
      [121.0, 0.5], // south of 0.8293
    ];
    for (const [lon, lat] of outside) {
      expect(outOfChina(lon, lat)).toBe(true);
      expect(gcj02ToWgs84(lon, lat)).toEqual([lon, lat]);
      expect(bd09ToWgs84(lon, lat)).toEqual([lon, lat]);
      expect(wgs84ToGcj02(lon, lat)).toEqual([lon, lat]);
    }
    expect(outOfChina(119.0, 25.43)).toBe(false); // Putian
  });
});

describe('parseCrs and toWgs84', () => {
  it('knows the three systems, their usual spellings, and CGCS2000 as WGS84', () => {
    expect(parseCrs('gcj02')).toBe('gcj02');
    expect(parseCrs('GCJ-02')).toBe('gcj02');
    expect(parseCrs('BD-09')).toBe('bd09');
    expect(parseCrs('WGS84')).toBe('wgs84');
    expect(parseCrs('cgcs2000')).toBe('wgs84');
    expect(parseCrs('utm50n')).toBeUndefined();
    expect(parseCrs('')).toBeUndefined();
  });

  it('gives the identity for wgs84 and the inverses for the others', () => {
    const p: [number, number] = [119.0, 25.43];
    expect(toWgs84('wgs84')(...p)).toEqual(p);
    expect(toWgs84('gcj02')(...p)).toEqual(gcj02ToWgs84(...p));
    expect(toWgs84('bd09')(...p)).toEqual(bd09ToWgs84(...p));
  });
});
