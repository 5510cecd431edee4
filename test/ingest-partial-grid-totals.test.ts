/**
 * Grid totals in a partial --grids update (no --osm), on the real Monaco
 * extract and on both backends. Monaco is imported with five grid polygons
 * without totals (the building estimate fills them); then:
 * - the same polygons as GeoJSON with household totals: a dry run names the
 *   grid over the sea and writes nothing; the real run, in one version,
 *   makes every grid's stored units sum exactly to its total (households
 *   and persons), puts the grid over buildings' units at the centroids of
 *   the stored buildings they name, the grid over streets only along its
 *   residential streets at the documented spacing, leaves the sea grid
 *   empty and the grid without a total unit for unit as it was, and the
 *   walk network, buildings, water and centers byte for byte;
 * - a workbook of grid attributes with Chinese headers giving one grid a
 *   total: that grid's units are replaced, every other unit stays.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends, openTestDatabase, type TestDatabase } from './backends.ts';
import { GRIDS, gridsFile, unitsIn, type StoredUnit as Unit } from './grid-totals-fixture.ts';
import { describeWithData, sharedData } from './shared-data.ts';
import { revision, tableDigests, writeXlsx } from './partial-fixture.ts';
import { ingest } from '../data-pipeline/ingest.ts';
import { STREET_UNIT_SPACING_M } from '../data-pipeline/grid-totals.ts';
import { PERSONS_PER_HOUSEHOLD } from '../data-pipeline/osm/household-estimate.ts';
import { partialUpdate, type PartialReport } from '../data-pipeline/partial/partial-update.ts';
import { formatPartialReport } from '../data-pipeline/partial/partial-report.ts';

const monaco = sharedData('osm/monaco.osm.pbf');
const work = mkdtempSync(path.join(tmpdir(), 'lc-partial-grid-totals-'));


const plainGrids = gridsFile(work, 'grids-plain.geojson', false);
const totalGrids = gridsFile(work, 'grids-totals.geojson', true);

/** Per grid code: the stored units' households, persons and count. */
async function sums(t: TestDatabase): Promise<Record<string, { households: number; persons: number; units: number }>> {
  const rows = await t.db.query<{ code: string; households: number; persons: number; units: number }>(
    `SELECT g.code, coalesce(sum(h.households), 0)::int AS households, coalesce(sum(h.persons), 0)::int AS persons, count(h.id)::int AS units
     FROM grids g LEFT JOIN households h ON h.grid_id = g.id GROUP BY g.code ORDER BY g.code`,
  );
  return Object.fromEntries(rows.map(({ code, ...r }) => [code, r]));
}
const UNTOUCHED = ['walk_nodes', 'walk_edges', 'buildings', 'water', 'centers', 'admin_units'];
const pick = (d: Record<string, string>, tables: string[]) => Object.fromEntries(tables.map((t) => [t, d[t]]));

describeWithData('grid totals in a partial grids update (Monaco)', monaco, () => {
  describeBackends('on Monaco', (kind) => {
    let t: TestDatabase;
    let estimate: Record<string, Unit[]>;
    let digests: Record<string, string>;
    let dry: PartialReport;
    let real: PartialReport;
    let rev: number;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      await ingest(t.db, { osm: monaco.path, grids: plainGrids });
      estimate = Object.fromEntries(await Promise.all(GRIDS.map(async (g) => [g.code, await unitsIn(t, g.code)] as const)));
      digests = await tableDigests(t.db);
      rev = await revision(t.db);
      dry = await partialUpdate(t.db, { table: 'grids', file: totalGrids, dryRun: true });
    });
    afterAll(() => t?.dispose());

    it('a dry run reports the spread, names the grid over the sea, and writes nothing', async () => {
      expect(await tableDigests(t.db)).toEqual(digests);
      expect(await revision(t.db)).toBe(rev);
      expect(dry.gridTotals).toMatchObject({ grids: 4, byBuildings: 1, byStreets: 1, zero: 1, unplaced: ['SEA'], householdsGiven: 5087, householdsPlaced: 5037 });
      const replaced = estimate.B!.length + estimate.S!.length + estimate.SEA!.length + estimate.Z!.length;
      expect(estimate.B!.length).toBeGreaterThan(50);
      expect(estimate.Z!.length).toBeGreaterThan(0);
      expect(dry.gridTotals!.replacedUnits).toBe(replaced);
      const text = formatPartialReport(dry);
      expect(text).toMatch(/^dry run \(nothing written\): grids from /);
      expect(text).toMatch(/grid totals {4}4 grids with household totals: 1 over buildings, 1 along streets, 1 with 0; 5,037 households in \d+ units/);
      expect(text).toMatch(/NOT PLACED {5}1 grids with a household total but no residential buildings or streets inside \(50 households left out\): SEA(\n|$)/);
    });

    it('the real run: one version, and every grid\'s stored units sum exactly to its total', async () => {
      real = await partialUpdate(t.db, { table: 'grids', file: totalGrids });
      expect(await revision(t.db)).toBe(rev + 1);
      expect(real.change).toEqual({ type: 'replaced', version: real.version });
      expect(real.gridTotals).toEqual(dry.gridTotals);
      expect(real.households).toEqual(dry.households);
      const by = await sums(t);
      expect(by.B).toMatchObject({ households: 5000, persons: 12_000 });
      expect(by.S).toMatchObject({ households: 37, persons: Math.round(37 * PERSONS_PER_HOUSEHOLD) });
      expect(by.Z).toEqual({ households: 0, persons: 0, units: 0 });
      expect(by.SEA).toEqual({ households: 0, persons: 0, units: 0 });
      // The report's "after" is what is stored.
      const total = Object.values(by).reduce((a, r) => ({ households: a.households + r.households, units: a.units + r.units }), { households: 0, units: 0 });
      expect({ households: real.households.after.households, units: real.households.after.units }).toEqual(total);
      expect(real.gridTotals!.units).toBe(by.B!.units + by.S!.units);
    });

    it('the walk network, buildings, water and centers are unchanged byte for byte', async () => {
      expect(pick(await tableDigests(t.db), UNTOUCHED)).toEqual(pick(digests, UNTOUCHED));
    });

    it('the grid over buildings: a unit at the centroid of each stored building it names', async () => {
      const units = await t.db.query<{ source_id: string; households: number; dist: number; inside: boolean }>(
        `SELECT h.source_id, h.households, ST_Distance(ST_Centroid(b.geom)::geography, h.geom::geography) AS dist, ST_Covers(g.geom, h.geom) AS inside
         FROM households h JOIN grids g ON g.id = h.grid_id
         JOIN buildings b ON b.id = substring(h.source_id FROM 'building/(\\d+)$')::int
         WHERE g.code = 'B'`,
      );
      expect(units.length).toBe((await unitsIn(t, 'B')).length);
      expect(units.length).toBeGreaterThan(50);
      for (const u of units) {
        expect(u.source_id).toMatch(/^grid:B building\/\d+$/);
        expect(u.dist).toBeLessThan(0.01);
        expect(u.inside).toBe(true);
      }
      expect(new Set(units.map((u) => u.source_id)).size).toBe(units.length);
    });

    it(`the grid over streets only: units along its residential streets, one per ${STREET_UNIT_SPACING_M} m of them`, async () => {
      const [premise] = await t.db.query<{ buildings: number; length: number }>(
        `SELECT (SELECT count(*)::int FROM buildings b WHERE ST_Intersects(b.geom, g.geom) AND ST_Covers(g.geom, ST_Centroid(b.geom))) AS buildings,
                (SELECT sum(ST_Length(ST_Intersection(e.geom, g.geom)::geography)) FROM walk_edges e
                  WHERE e.class IN ('residential', 'living_street') AND ST_Intersects(e.geom, g.geom)) AS length
         FROM grids g WHERE g.code = 'S'`,
      );
      expect(premise!.buildings).toBe(0);
      expect(premise!.length).toBeGreaterThan(150);
      const units = await t.db.query<{ source_id: string; households: number; street_m: number }>(
        `SELECT h.source_id, h.households,
                (SELECT min(ST_Distance(e.geom::geography, h.geom::geography)) FROM walk_edges e
                  WHERE e.class IN ('residential', 'living_street') AND ST_DWithin(e.geom, h.geom, 0.0001)) AS street_m
         FROM households h JOIN grids g ON g.id = h.grid_id WHERE g.code = 'S'`,
      );
      expect(units.length).toBe(Math.round(premise!.length / STREET_UNIT_SPACING_M));
      for (const u of units) {
        expect(u.source_id).toMatch(/^grid:S street way\/\d+$/);
        expect(u.street_m).toBeLessThan(0.05);
      }
      const households = units.map((u) => u.households);
      expect(Math.max(...households) - Math.min(...households)).toBeLessThanOrEqual(1);
      // The estimate had put nothing here: the street units are new.
      expect(estimate.S).toEqual([]);
    });

    it('the grid without a total keeps its units, unit for unit', async () => {
      expect(estimate.K!.length).toBeGreaterThan(20);
      expect(await unitsIn(t, 'K')).toEqual(estimate.K);
    });

    it('a workbook of grid attributes (Chinese headers) with a total for one grid replaces only that grid\'s units', async () => {
      const before = await unitsIn(t, 'B');
      const d = await tableDigests(t.db);
      const r0 = await revision(t.db);
      const file = await writeXlsx(work, `grid-attributes-${kind}.xlsx`, { 网格: [['网格编码', '网格员', '户数', '人口'], ['K', 2, 300, 700], ['B', null, null, null]] });
      const report = await partialUpdate(t.db, { table: 'grids', file });
      expect(await revision(t.db)).toBe(r0 + 1);
      expect(report.gridTotals).toMatchObject({ grids: 1, byBuildings: 1, unplaced: [], householdsGiven: 300, householdsPlaced: 300, personsPlaced: 700, replacedUnits: estimate.K!.length });
      expect(report.grids!.changed).toEqual([{ code: 'K', fields: ['officers'] }]);
      const by = await sums(t);
      expect(by.K).toMatchObject({ households: 300, persons: 700 });
      for (const u of await unitsIn(t, 'K')) expect(u.source_id).toMatch(/^grid:K building\/\d+$/);
      // B had no total in this file: its units stay as the GeoJSON update left them.
      expect(await unitsIn(t, 'B')).toEqual(before);
      expect(by.B).toMatchObject({ households: 5000, persons: 12_000 });
      expect(pick(await tableDigests(t.db), UNTOUCHED)).toEqual(pick(d, UNTOUCHED));
    });
  });
});
