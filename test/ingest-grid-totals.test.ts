/**
 * Households from grid totals, on the real Monaco extract and on both
 * backends: a grids file of five polygons, four of them with a household
 * total. Checked on what was stored: every grid's units sum exactly to its
 * total (households and persons); the grid over buildings has a unit per
 * residential building, households in proportion to floor area; the grid
 * over residential streets without buildings (found by looking at the data:
 * ~250 m of highway=residential in Moneghetti, no building centred there) has units along
 * those streets at the documented spacing; the grid over the sea is reported
 * by code in the report and the CLI output; the grid without a total keeps
 * the building estimate unchanged; a total of 0 empties its grid.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerDatabase, describeBackends, openTestDatabase, serverUrl, type TestDatabase } from './backends.ts';
import { GRIDS, gridsFile, unitsIn as storedUnitsIn, type StoredUnit } from './grid-totals-fixture.ts';
import { describeWithData, sharedData } from './shared-data.ts';
import { ingest, type IngestResult } from '../data-pipeline/ingest.ts';
import { STREET_UNIT_SPACING_M } from '../data-pipeline/grid-totals.ts';
import { PERSONS_PER_HOUSEHOLD } from '../data-pipeline/osm/household-estimate.ts';
import { readDataState } from '../kernel/db/data-state.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const monaco = sharedData('osm/monaco.osm.pbf');
const work = mkdtempSync(path.join(tmpdir(), 'lc-grid-totals-'));

const WITH_TOTAL = GRIDS.filter((g) => g.households !== undefined);

const plainGrids = gridsFile(work, 'grids-plain.geojson', false);
const totalGrids = gridsFile(work, 'grids-totals.geojson', true);

// The full import writes new ids: units are compared without them.
type Unit = Omit<StoredUnit, 'id'>;
const unitsIn = async (t: TestDatabase, code: string): Promise<Unit[]> => (await storedUnitsIn(t, code)).map(({ id: _id, ...unit }) => unit);

describeWithData('households from grid totals (Monaco)', monaco, () => {
  describeBackends('grid totals', (kind) => {
    let t: TestDatabase;
    let estimateK: Unit[];
    let estimateB: number;
    let result: IngestResult;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      // The same polygons without totals first: what the building estimate puts in them.
      await ingest(t.db, { osm: monaco.path, grids: plainGrids });
      estimateK = await unitsIn(t, 'K');
      estimateB = (await unitsIn(t, 'B')).length;
      result = await ingest(t.db, { osm: monaco.path, grids: totalGrids });
    });
    afterAll(() => t?.dispose());

    it('every grid with a total: its units sum exactly to its households and persons', async () => {
      const rows = await t.db.query<{ code: string; households: number; persons: number; units: number }>(
        `SELECT g.code, coalesce(sum(h.households), 0)::int AS households, coalesce(sum(h.persons), 0)::int AS persons, count(h.id)::int AS units
         FROM grids g LEFT JOIN households h ON h.grid_id = g.id GROUP BY g.code ORDER BY g.code`,
      );
      const by = Object.fromEntries(rows.map((r) => [r.code, r]));
      expect(Object.keys(by).sort()).toEqual(GRIDS.map((g) => g.code).sort());
      expect(by.B).toMatchObject({ households: 5000, persons: 12_000 });
      expect(by.S).toMatchObject({ households: 37, persons: Math.round(37 * PERSONS_PER_HOUSEHOLD) });
      expect(by.Z).toMatchObject({ households: 0, units: 0 });
      expect(by.SEA).toMatchObject({ households: 0, units: 0 });
      // The report counts what was stored.
      const total = rows.reduce((a, r) => a + r.households, 0);
      expect(result.report.counts.householdsTotal).toBe(total);
      expect(result.report.counts.householdUnits).toBe(rows.reduce((a, r) => a + r.units, 0));
      const r = result.report.gridTotals!;
      expect(r).toMatchObject({ grids: WITH_TOTAL.length, byBuildings: 1, byStreets: 1, zero: 1, householdsGiven: 5087, householdsPlaced: 5037 });
      expect(r.replacedUnits).toBeGreaterThan(estimateB);
    });

    it('the grid over buildings: one unit at the centroid of each of its residential buildings, households in proportion to floor area', async () => {
      const units = await t.db.query<{ source_id: string; households: number; dist: number; area: number; levels: number | null }>(
        `SELECT h.source_id, h.households, d.dist, d.area, d.levels
         FROM households h JOIN grids g ON g.id = h.grid_id
         CROSS JOIN LATERAL (
           SELECT ST_Distance(ST_Centroid(n.geom)::geography, h.geom::geography) AS dist, ST_Area(n.geom::geography) AS area, n.levels
           FROM (SELECT geom, levels FROM buildings b ORDER BY b.geom <-> h.geom LIMIT 4) n
           ORDER BY ST_Distance(ST_Centroid(n.geom), h.geom) LIMIT 1) d
         WHERE g.code = 'B'`,
      );
      expect(units.length).toBeGreaterThan(50);
      expect(units.length).toBeLessThanOrEqual(estimateB);
      for (const u of units) {
        expect(u.source_id).toMatch(/^grid:B way\/\d+$/);
        expect(u.dist).toBeLessThan(0.01);
        // None of these buildings has building:levels or height in the extract: floor area is the footprint.
        expect(u.levels).toBeNull();
      }
      expect(new Set(units.map((u) => u.source_id)).size).toBe(units.length);
      // Households per m² are the same for every building up to the rounding of its share (< 1 household):
      // within 1/20 either way for the units of at least 20 households.
      const big = units.filter((u) => u.households >= 20);
      expect(big.length).toBeGreaterThan(20);
      const density = big.map((u) => u.households / u.area);
      expect(Math.max(...density) / Math.min(...density)).toBeLessThan((1 + 1 / 20) / (1 - 1 / 20));
      // And a larger building never gets fewer households.
      const byArea = [...units].sort((a, b) => a.area - b.area);
      for (let i = 1; i < byArea.length; i++) if (byArea[i]!.area > byArea[i - 1]!.area * 1.001) expect(byArea[i]!.households).toBeGreaterThanOrEqual(byArea[i - 1]!.households);
    });

    it(`the grid over streets only: units along its residential streets, one per ${STREET_UNIT_SPACING_M} m of them`, async () => {
      const [premise] = await t.db.query<{ buildings: number; length: number }>(
        // A building belongs to the grid its centroid is in (one edge of a building reaches into S).
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
    });

    it('the grid over the sea is reported by code, stored without units', async () => {
      expect(result.report.gridTotals!.unplaced).toEqual(['SEA']);
      const [sea] = await t.db.query<{ grids: number; edges: number; buildings: number }>(
        `SELECT count(*)::int AS grids,
                (SELECT count(*)::int FROM walk_edges e WHERE ST_Intersects(e.geom, g.geom)) AS edges,
                (SELECT count(*)::int FROM buildings b WHERE ST_Intersects(b.geom, g.geom)) AS buildings
         FROM grids g WHERE g.code = 'SEA' GROUP BY g.geom`,
      );
      expect(sea).toEqual({ grids: 1, edges: 0, buildings: 0 });
      expect(await unitsIn(t, 'SEA')).toEqual([]);
    });

    it('the grid without a total keeps the building estimate, unit for unit', async () => {
      expect(estimateK.length).toBeGreaterThan(20);
      expect(await unitsIn(t, 'K')).toEqual(estimateK);
      for (const u of estimateK) expect(u.source_id).toMatch(/^way\/\d+$/);
    });

    it('totals together with a --households file are refused before anything is read, the data untouched', async () => {
      const before = await readDataState(t.db);
      const households = path.join(work, 'households.csv');
      writeFileSync(households, 'lon,lat,households\n7.423,43.742,5\n');
      await expect(ingest(t.db, { osm: monaco.path, grids: totalGrids, households })).rejects.toThrow(/grids-totals\.geojson: households: the grids carry household totals/);
      expect(await readDataState(t.db)).toEqual(before);
    });
  });

  describe('the ingest CLI', () => {
    // A PostGIS server database when there is one, else an embedded one in a fresh data directory.
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'error', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'lc-grid-totals-cli-')) };
    let drop = async () => {};
    beforeAll(async () => {
      if (!serverUrl) return;
      const server = await createServerDatabase(serverUrl);
      env.DATABASE_URL = server.url;
      drop = server.drop;
    });
    afterAll(() => drop());

    it('names the grid whose total found neither buildings nor streets', async () => {
      const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'data-pipeline/ingest-cli.ts', '--osm', monaco.path, '--grids', totalGrids, '--quiet'], { cwd: ROOT, env });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
      });
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toMatch(/grid totals {4}4 grids with household totals: 1 over buildings, 1 along streets, 1 with 0; 5,037 households in \d+ units/);
      expect(out.stdout).toMatch(/NOT PLACED {5}1 grids with a household total but no residential buildings or streets inside \(50 households left out\): SEA\n/);
      expect(out.stdout).toMatch(/households {5}5,\d{3} households in/);
    });
  });
});
