import { describe, expect, it } from 'vitest';
import { equirectangularDistanceM, localScale } from '../kernel/geo.ts';
import type { MultiPolygonCoords, Position } from '../kernel/import-bundle.ts';
import { seededRandom } from '../test/seeded-random.ts';
import {
  PLACED,
  STREET_SAMPLE_M,
  STREET_UNIT_SPACING_M,
  spreadGridTotals,
  type GridTotal,
  type ResidentialBuildings,
  type StreetLines,
} from './grid-totals.ts';
import { buildingInfo, PERSONS_PER_HOUSEHOLD, type BuildingFootprints } from './osm/household-estimate.ts';
import { residentialBuildingsFrom, residentialStreetsFrom } from './osm/grid-totals-inputs.ts';
import { createOsmCollector } from './osm/osm-collector.ts';

// A local plane in metres around a point in Putian.
const LON0 = 119.0;
const LAT0 = 25.43;
const { kx, ky } = localScale(LAT0);
const at = (x: number, y: number): Position => [LON0 + x / kx, LAT0 + y / ky];

/** A grid over the square [x0, x0 + side] x [y0, y0 + side] metres. */
function grid(code: string, x0: number, y0: number, side: number, households: number | null, persons: number | null = null): GridTotal {
  const ring = [at(x0, y0), at(x0 + side, y0), at(x0 + side, y0 + side), at(x0, y0 + side), at(x0, y0)];
  return { code, geom: [[ring]] as MultiPolygonCoords, households, persons };
}

interface B {
  x: number;
  y: number;
  m2: number;
  levels?: number;
}
function buildings(list: B[]): ResidentialBuildings {
  const n = list.length;
  const out: ResidentialBuildings = {
    count: n,
    lon: new Float64Array(n),
    lat: new Float64Array(n),
    footprintM2: new Float64Array(n),
    levels: new Float64Array(n),
    osmId: new Float64Array(n),
  };
  list.forEach((b, i) => {
    [out.lon[i], out.lat[i]] = at(b.x, b.y);
    out.footprintM2[i] = b.m2;
    out.levels[i] = b.levels ?? Number.NaN;
    out.osmId[i] = 1000 + i;
  });
  return out;
}

/** Straight lines in metres, each with its rank. */
function streets(list: { from: [number, number]; to: [number, number]; rank: number }[]): StreetLines {
  const n = list.length;
  const coords = new Float64Array(4 * n);
  const lines: StreetLines = { count: n, start: new Int32Array(n), end: new Int32Array(n), coords, rank: new Uint8Array(n), osmId: new Float64Array(n) };
  list.forEach((s, i) => {
    coords.set([...at(...s.from), ...at(...s.to)], 4 * i);
    lines.start[i] = 2 * i;
    lines.end[i] = 2 * i + 2;
    lines.rank[i] = s.rank;
    lines.osmId[i] = 500 + i;
  });
  return lines;
}
const NO_BUILDINGS = buildings([]);
const NO_STREETS = streets([]);

/** Households (or persons) of the units per grid index. */
function sums(units: { gridIndex: Int32Array; households: Int32Array; persons: Int32Array; count: number }, field: 'households' | 'persons'): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 0; i < units.count; i++) out.set(units.gridIndex[i]!, (out.get(units.gridIndex[i]!) ?? 0) + units[field][i]!);
  return out;
}

describe('spreadGridTotals over buildings', () => {
  it('apportions by floor area where levels are known, else by footprint, summing exactly', () => {
    const g = grid('G', 0, 0, 200, 170, 400);
    // Weights: 100 x 10 = 1000, 100 (no levels: footprint) = 100, 300 x 2 = 600: 1700 in all.
    const b = buildings([{ x: 20, y: 20, m2: 100, levels: 10 }, { x: 100, y: 100, m2: 100 }, { x: 150, y: 50, m2: 300, levels: 2 }]);
    const { units, placement, unplaced } = spreadGridTotals([g], b, NO_STREETS);
    expect(Array.from(units.households)).toEqual([100, 10, 60]);
    // Persons by the units' households: 400 x 100/170 = 235.3, x 10/170 = 23.5, x 60/170 = 141.2.
    expect(Array.from(units.persons)).toEqual([235, 24, 141]);
    expect(placement[0]).toBe(PLACED.buildings);
    expect(unplaced).toEqual([]);
    expect(units.sourceIds).toEqual(['grid:G way/1000', 'grid:G way/1001', 'grid:G way/1002']);
    // Each unit at its building's centroid.
    for (let i = 0; i < 3; i++) expect([units.lon[i], units.lat[i]]).toEqual([b.lon[i], b.lat[i]]);
  });

  it('uses only the buildings whose centroid is in the grid, and leaves grids without a total alone', () => {
    const grids = [grid('A', 0, 0, 100, 9), grid('B', 100, 0, 100, null)];
    const b = buildings([{ x: 50, y: 50, m2: 80 }, { x: 150, y: 50, m2: 80 }, { x: 250, y: 50, m2: 80 }, { x: 60, y: 40, m2: 160 }]);
    const { units, placement } = spreadGridTotals(grids, b, NO_STREETS);
    expect(Array.from(units.gridIndex)).toEqual([0, 0]);
    expect(Array.from(units.households)).toEqual([3, 6]);
    expect(Array.from(placement)).toEqual([PLACED.buildings, PLACED.noTotal]);
  });

  it('with fewer households than buildings, the largest buildings get them and no unit is empty', () => {
    const list = Array.from({ length: 10 }, (_, i) => ({ x: 10 + 18 * i, y: 50, m2: 50 + 10 * i }));
    const { units } = spreadGridTotals([grid('G', 0, 0, 200, 3)], buildings(list), NO_STREETS);
    expect(units.sourceIds).toEqual(['grid:G way/1007', 'grid:G way/1008', 'grid:G way/1009']);
    expect(Array.from(units.households)).toEqual([1, 1, 1]);
  });

  it('on 200 random grids: every grid sums exactly to its households and persons, and a second run gives the same units', () => {
    const random = seededRandom(6);
    const grids: GridTotal[] = [];
    const list: B[] = [];
    for (let k = 0; k < 200; k++) {
      const x0 = (k % 20) * 100;
      const y0 = Math.floor(k / 20) * 100;
      const households = random() < 0.1 ? null : Math.floor(random() * 3000);
      grids.push(grid(`g${k}`, x0, y0, 100, households, households !== null && random() < 0.5 ? Math.floor(households * (1 + 3 * random())) : null));
      const n = random() < 0.05 ? 0 : 1 + Math.floor(random() * 30);
      for (let i = 0; i < n; i++) list.push({ x: x0 + 1 + 98 * random(), y: y0 + 1 + 98 * random(), m2: 30 + 2000 * random(), levels: random() < 0.5 ? 1 + Math.floor(20 * random()) : undefined });
    }
    const b = buildings(list);
    const first = spreadGridTotals(grids, b, NO_STREETS);
    const households = sums(first.units, 'households');
    const persons = sums(first.units, 'persons');
    const failures: string[] = [];
    grids.forEach((g, gi) => {
      const placed = first.placement[gi];
      if (g.households === null || placed === PLACED.nowhere) {
        if (households.has(gi)) failures.push(`${g.code} has units`);
        return;
      }
      if ((households.get(gi) ?? 0) !== g.households) failures.push(`${g.code}: households ${households.get(gi)} != ${g.households}`);
      const wantPersons = g.persons ?? Math.round(g.households * PERSONS_PER_HOUSEHOLD);
      if ((persons.get(gi) ?? 0) !== wantPersons) failures.push(`${g.code}: persons ${persons.get(gi)} != ${wantPersons}`);
    });
    expect(failures).toEqual([]);
    expect(first.unplaced.length).toBeGreaterThan(0); // the grids drawn without buildings (and no streets)
    expect(Math.min(...first.units.households)).toBeGreaterThan(0);
    expect(spreadGridTotals(grids, b, NO_STREETS)).toEqual(first);
  });
});

describe('spreadGridTotals along streets', () => {
  // A 1 km grid; a residential street crosses it from x = -200 to 1200 at y = 500: 1,000 m inside.
  const big = (households: number | null, persons: number | null = null) => grid('S', 0, 0, 1000, households, persons);

  it(`places one unit per ${STREET_UNIT_SPACING_M} m of the street inside the grid, evenly, splitting the total evenly`, () => {
    const lines = streets([{ from: [-200, 500], to: [1200, 500], rank: 0 }]);
    const { units, placement } = spreadGridTotals([big(205)], NO_BUILDINGS, lines);
    expect(placement[0]).toBe(PLACED.streets);
    expect(units.count).toBe(1000 / STREET_UNIT_SPACING_M);
    expect(Array.from(units.households).reduce((a, h) => a + h, 0)).toBe(205);
    expect(Math.max(...units.households) - Math.min(...units.households)).toBeLessThanOrEqual(1);
    expect(Array.from(units.persons).reduce((a, h) => a + h, 0)).toBe(Math.round(205 * PERSONS_PER_HOUSEHOLD));
    // On the street (y = 500), inside the grid, 50 m apart, the first half a spacing in.
    const xs = Array.from(units.lon, (lon) => (lon - LON0) * kx);
    for (const lat of units.lat) expect(Math.abs((lat - LAT0) * ky - 500)).toBeLessThan(0.01);
    expect(Math.abs(xs[0]! - STREET_UNIT_SPACING_M / 2)).toBeLessThanOrEqual(STREET_SAMPLE_M / 2 + 0.01);
    for (let k = 1; k < xs.length; k++) expect(Math.abs(xs[k]! - xs[k - 1]! - STREET_UNIT_SPACING_M)).toBeLessThanOrEqual(STREET_SAMPLE_M + 0.01);
    expect(units.sourceIds[0]).toBe('grid:S street way/500');
  });

  it('makes no more units than households, so none is empty', () => {
    const lines = streets([{ from: [-200, 500], to: [1200, 500], rank: 0 }]);
    const { units } = spreadGridTotals([big(3)], NO_BUILDINGS, lines);
    expect(Array.from(units.households)).toEqual([1, 1, 1]);
    // Spread over the whole street, not bunched at its start: at 1/6, 3/6 and 5/6 of it.
    const xs = Array.from(units.lon, (lon) => (lon - LON0) * kx);
    [1000 / 6, 500, 5000 / 6].forEach((want, k) => expect(Math.abs(xs[k]! - want)).toBeLessThanOrEqual(STREET_SAMPLE_M / 2 + 0.01));
  });

  it('uses residential streets where the grid has any, and unclassified / service lanes only where it has none', () => {
    const both = streets([{ from: [0, 200], to: [1000, 200], rank: 1 }, { from: [0, 800], to: [400, 800], rank: 0 }]);
    const a = spreadGridTotals([big(40)], NO_BUILDINGS, both);
    expect(a.units.count).toBe(400 / STREET_UNIT_SPACING_M);
    for (const lat of a.units.lat) expect(Math.round((lat - LAT0) * ky)).toBe(800);
    const lanes = streets([{ from: [0, 200], to: [1000, 200], rank: 1 }]);
    const b = spreadGridTotals([big(40)], NO_BUILDINGS, lanes);
    expect(b.units.count).toBe(1000 / STREET_UNIT_SPACING_M);
    for (const lat of b.units.lat) expect(Math.round((lat - LAT0) * ky)).toBe(200);
  });

  it('prefers buildings to streets: a grid with both gets units at its buildings only', () => {
    const lines = streets([{ from: [0, 500], to: [1000, 500], rank: 0 }]);
    const { units } = spreadGridTotals([big(30)], buildings([{ x: 300, y: 300, m2: 200 }]), lines);
    expect(units.sourceIds).toEqual(['grid:S way/1000']);
    expect(Array.from(units.households)).toEqual([30]);
  });

  it('measures across several streets and keeps persons exact when given', () => {
    const lines = streets([
      { from: [100, 100], to: [100, 400], rank: 0 },
      { from: [600, 100], to: [600, 1300], rank: 0 }, // 900 m inside
      { from: [2000, 100], to: [2000, 900], rank: 0 }, // in no grid
    ]);
    const { units } = spreadGridTotals([big(1001, 2345)], NO_BUILDINGS, lines);
    expect(units.count).toBe(Math.round(1200 / STREET_UNIT_SPACING_M));
    expect(Array.from(units.households).reduce((a, h) => a + h, 0)).toBe(1001);
    expect(Array.from(units.persons).reduce((a, h) => a + h, 0)).toBe(2345);
    for (const lon of units.lon) expect([100, 600]).toContain(Math.round((lon - LON0) * kx));
  });
});

describe('grids with nowhere to put their total', () => {
  it('reports a grid with a total but neither buildings nor streets, by code, and places nothing there', () => {
    const lines = streets([{ from: [0, 50], to: [100, 50], rank: 0 }]);
    const grids = [grid('LAND', 0, 0, 100, 10), grid('SEA', 500, 500, 100, 25), grid('EMPTY', 800, 800, 100, 0), grid('NONE', 200, 0, 100, null)];
    const { units, placement, unplaced } = spreadGridTotals(grids, NO_BUILDINGS, lines);
    expect(unplaced).toEqual(['SEA']);
    expect(Array.from(placement)).toEqual([PLACED.streets, PLACED.nowhere, PLACED.zero, PLACED.noTotal]);
    expect(new Set(units.gridIndex)).toEqual(new Set([0]));
  });

  it('refuses a total that is not a whole number >= 0', () => {
    expect(() => spreadGridTotals([grid('X', 0, 0, 10, -1)], NO_BUILDINGS, NO_STREETS)).toThrow(/grid X: households/);
    expect(() => spreadGridTotals([grid('X', 0, 0, 10, 5, 2.5)], NO_BUILDINGS, NO_STREETS)).toThrow(/grid X: persons/);
  });
});

describe('the inputs from an OSM import', () => {
  it('residential buildings: the estimate’s housing only, levels from building:levels, else height / 3 m', () => {
    const tags: Record<string, string>[] = [
      { building: 'apartments', 'building:levels': '6' },
      { building: 'apartments', height: '30 m' },
      { building: 'house' },
      { building: 'yes', shop: 'supermarket' }, // not housing
      { building: 'industrial' }, // not housing
      { building: 'apartments', height: '40 ft' }, // not metres: no levels
    ];
    const n = tags.length;
    const footprints: BuildingFootprints = {
      count: n,
      info: tags.map((t) => buildingInfo(t)),
      areaM2: new Float64Array(n).fill(400),
      lon: Float64Array.from(tags, (_, i) => LON0 + i * 1e-4),
      lat: new Float64Array(n).fill(LAT0),
      osmId: Float64Array.from(tags, (_, i) => i + 1),
    };
    const r = residentialBuildingsFrom(footprints);
    expect(Array.from(r.osmId)).toEqual([1, 2, 3, 6]);
    expect(Array.from(r.levels)).toEqual([6, 10, Number.NaN, Number.NaN]);
  });

  it('residential streets: residential and living_street rank 0, unclassified and service rank 1, other ways none', () => {
    const collector = createOsmCollector();
    const h = collector.handler;
    const ids = [1, 2, 3, 4, 5, 6];
    ids.forEach((id) => h.node(id, ...at(100 * id, 0), null));
    const kinds = ['residential', 'living_street', 'service', 'unclassified', 'footway'];
    kinds.forEach((highway, i) => h.way(10 + i, [ids[i]!, ids[i + 1]!], { highway }));
    const lines = residentialStreetsFrom(collector.collect().network.network);
    const byWay = new Map(Array.from(lines.osmId, (id, i) => [id, lines.rank[i]]));
    expect([...byWay].sort((a, b) => a[0] - b[0])).toEqual([[10, 0], [11, 0], [12, 1], [13, 1]]);
    for (let i = 0; i < lines.count; i++) {
      const from = lines.start[i]!;
      const length = equirectangularDistanceM(lines.coords[2 * from]!, lines.coords[2 * from + 1]!, lines.coords[2 * from + 2]!, lines.coords[2 * from + 3]!);
      expect(length).toBeCloseTo(100, 3);
    }
  });
});
