/**
 * `--crs` on import: side files in GCJ-02 or BD-09 (as Chinese map providers
 * give them) are stored in WGS84, where the OSM file already is. A tiny
 * street grid in Putian written as OSM XML here (WGS84) carries them; the
 * rows of the grids, centers and households files are written at the
 * GCJ-02 / BD-09 positions of chosen WGS84 places, and must be stored at
 * those places. Also: the OSM file is not converted, an unknown --crs stops
 * the CLI before it touches the data, and (with the Monaco extract) points
 * outside China pass through GCJ-02 unchanged.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerDatabase, describeBackends, openTestDatabase, serverUrl, type TestDatabase } from './backends.ts';
import { describeWithData, sharedData } from './shared-data.ts';
import { ingest } from '../data-pipeline/ingest.ts';
import { gcj02ToBd09, wgs84ToGcj02 } from '../data-pipeline/inputs/chinese-crs.ts';
import { haversineM } from '../kernel/geo.ts';
import type { Position } from '../kernel/import-bundle.ts';
import type { Database } from '../kernel/db/database.ts';
import { readCounts } from '../server/health/health-routes.ts';
import { readDataState } from '../kernel/db/data-state.ts';
import { openDatabase } from '../server/db/open-database.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'lc-crs-'));
const file = (name: string, text: string) => {
  const p = path.join(work, name);
  writeFileSync(p, text);
  return p;
};

// A 4 x 4 street grid in Putian, 0.002 deg (~200 m) apart, in WGS84.
const LON0 = 119.0;
const LAT0 = 25.43;
const STEP = 0.002;
function streetGridOsm(): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="ingest-crs.test">'];
  const id = (i: number, j: number) => 1 + i * 4 + j;
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) lines.push(`<node id="${id(i, j)}" lat="${(LAT0 + j * STEP).toFixed(3)}" lon="${(LON0 + i * STEP).toFixed(3)}"/>`);
  }
  let way = 100;
  for (let k = 0; k < 4; k++) {
    const along = (f: (m: number) => number) => [0, 1, 2, 3].map((m) => `<nd ref="${f(m)}"/>`).join('');
    lines.push(`<way id="${way++}">${along((m) => id(m, k))}<tag k="highway" v="residential"/></way>`);
    lines.push(`<way id="${way++}">${along((m) => id(k, m))}<tag k="highway" v="residential"/></way>`);
  }
  lines.push('</osm>');
  return lines.join('\n');
}
const osm = file('putian-grid.osm', streetGridOsm());

// The WGS84 places of the side files' rows.
const CENTERS: { name: string; at: Position }[] = [
  { name: 'Community service centre', at: [119.002, 25.432] },
  { name: 'Health station', at: [119.005, 25.435] },
];
const HOUSEHOLDS: { id: string; at: Position; grid: string }[] = [
  { id: 'h-west', at: [119.0015, 25.4315], grid: 'W' },
  { id: 'h-east', at: [119.0045, 25.4345], grid: 'E' },
];
/** A building footprint (a 20 m square) as a household unit: stored at its vertex mean. */
const FOOTPRINT = { id: 'h-building', center: [119.005, 25.432] as Position, half: 0.0001, grid: 'E' };
/** Two grids splitting the street grid at lon 119.003. */
const GRIDS = [
  { code: 'W', box: [118.999, 25.429, 119.003, 25.437] },
  { code: 'E', box: [119.003, 25.429, 119.007, 25.437] },
];

type Convert = (lon: number, lat: number) => Position;
const toBd09: Convert = (lon, lat) => gcj02ToBd09(...wgs84ToGcj02(lon, lat));

function ring([x0, y0, x1, y1]: number[], convert: Convert): Position[] {
  return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]].map(([x, y]) => convert(x!, y!));
}

/** The side files with every position taken from WGS84 to the file's system by `convert`; households as GeoJSON (with a footprint) or CSV. */
function sideFiles(tag: string, convert: Convert, householdsFormat: 'geojson' | 'csv' = 'geojson') {
  const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
  const { center: c, half: h } = FOOTPRINT;
  const householdsGeojson = () => fc([
    ...HOUSEHOLDS.map((x) => ({ type: 'Feature', properties: { id: x.id, households: 10 }, geometry: { type: 'Point', coordinates: convert(...x.at) } })),
    {
      type: 'Feature', properties: { id: FOOTPRINT.id, households: 30 },
      geometry: { type: 'Polygon', coordinates: [ring([c[0] - h, c[1] - h, c[0] + h, c[1] + h], convert)] },
    },
  ]);
  // Full precision in the CSVs: String() of a double round-trips exactly.
  const householdsCsv = () => ['id,lon,lat,households', ...HOUSEHOLDS.map((x) => `${x.id},${convert(...x.at).join(',')},10`)].join('\n');
  return {
    grids: file(`grids-${tag}.geojson`, fc(GRIDS.map((g) => ({
      type: 'Feature', properties: { code: g.code }, geometry: { type: 'Polygon', coordinates: [ring(g.box, convert)] },
    })))),
    centers: file(`centers-${tag}.csv`, ['name,kind,lon,lat', ...CENTERS.map((x) => `${x.name},neighborhood,${convert(...x.at).join(',')}`)].join('\n')),
    households: householdsFormat === 'csv' ? file(`households-${tag}.csv`, householdsCsv()) : file(`households-${tag}.geojson`, householdsGeojson()),
  };
}

async function storedCenters(db: Database) {
  return db.query<{ name: string; lon: number; lat: number }>('SELECT name, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM centers ORDER BY id');
}

async function storedHouseholds(db: Database) {
  return db.query<{ id: string; lon: number; lat: number; grid: string }>(
    `SELECT h.source_id AS id, ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat, g.code AS grid
     FROM households h JOIN grids g ON g.id = h.grid_id ORDER BY h.source_id`,
  );
}

/** Metres from each stored center to its WGS84 place. */
async function centerErrors(db: Database): Promise<number[]> {
  const rows = await storedCenters(db);
  expect(rows.map((r) => r.name)).toEqual(CENTERS.map((c) => c.name));
  return rows.map((r, i) => haversineM(r.lon, r.lat, ...CENTERS[i]!.at));
}

describeBackends('import with --crs', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
  });
  afterAll(() => t?.dispose());

  it('gcj02: grids, centers and households from GCJ-02 files are stored at their WGS84 places', async () => {
    const result = await ingest(t.db, { osm, crs: 'gcj02', ...sideFiles('gcj02', wgs84ToGcj02) });
    expect(result.crs).toBe('gcj02');
    for (const error of await centerErrors(t.db)) expect(error).toBeLessThan(0.01);

    const households = await storedHouseholds(t.db);
    const expected = [...HOUSEHOLDS.map((h) => ({ ...h, center: h.at })), FOOTPRINT].sort((a, b) => a.id.localeCompare(b.id));
    expect(households.map((h) => [h.id, h.grid])).toEqual(expected.map((h) => [h.id, h.grid]));
    households.forEach((h, i) => expect(haversineM(h.lon, h.lat, ...expected[i]!.center)).toBeLessThan(0.01));

    // Each grid's box is the WGS84 one (to ~1e-7 deg, ~1 cm).
    const grids = await t.db.query<{ code: string; box: number[] }>(
      `SELECT code, ARRAY[ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)] AS box FROM grids ORDER BY code`,
    );
    expect(grids.map((g) => g.code)).toEqual(['E', 'W']);
    for (const g of grids) {
      const want = GRIDS.find((x) => x.code === g.code)!.box;
      g.box.forEach((v, k) => expect(v).toBeCloseTo(want[k]!, 7));
    }
  });

  it('the GCJ-02 files really were offset (by hundreds of metres) from where the rows are stored', () => {
    // Guards the test above against a fixture that converts nothing.
    for (const c of CENTERS) expect(haversineM(...wgs84ToGcj02(...c.at), ...c.at)).toBeGreaterThan(100);
  });

  it('the OSM file is not converted: the walk nodes are where the file puts them', async () => {
    const [extent] = await t.db.query<{ box: number[] }>(
      'SELECT ARRAY[min(ST_X(geom)), min(ST_Y(geom)), max(ST_X(geom)), max(ST_Y(geom))] AS box FROM walk_nodes',
    );
    const want = [LON0, LAT0, LON0 + 3 * STEP, LAT0 + 3 * STEP];
    extent!.box.forEach((v, k) => expect(v).toBeCloseTo(want[k]!, 9));
  });

  it('bd09: BD-09 files (households as CSV) are stored at their WGS84 places within the BD-09 inverse error (< 0.3 m)', async () => {
    await ingest(t.db, { osm, crs: 'bd09', ...sideFiles('bd09', toBd09, 'csv') });
    for (const error of await centerErrors(t.db)) expect(error).toBeLessThan(0.3);
    const households = await storedHouseholds(t.db);
    expect(households.map((h) => [h.id, h.grid])).toEqual([['h-east', 'E'], ['h-west', 'W']]);
    for (const h of households) expect(haversineM(h.lon, h.lat, ...HOUSEHOLDS.find((x) => x.id === h.id)!.at)).toBeLessThan(0.3);
  });

  it('without --crs the same GCJ-02 file is taken as WGS84, hundreds of metres off', async () => {
    const { centers } = sideFiles('as-wgs84', wgs84ToGcj02);
    await ingest(t.db, { osm, centers });
    for (const error of await centerErrors(t.db)) expect(error).toBeGreaterThan(100);
  });

  it('an unknown crs passed to ingest() is an error naming --crs and the allowed values', async () => {
    const before = await readCounts(t.db);
    await expect(ingest(t.db, { osm, crs: 'utm50n' as never })).rejects.toThrow(/--crs: unknown coordinate system "utm50n"; expected one of wgs84, gcj02, bd09/);
    expect(await readCounts(t.db)).toEqual(before);
  });
});

describe('the ingest CLI with --crs', () => {
  // A PostGIS server database when there is one (created in a moment), else
  // an embedded one in a fresh data directory (its first start takes ~20 s).
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'error', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'lc-crs-cli-')) };
  let drop = async () => {};
  beforeAll(async () => {
    if (!serverUrl) return;
    const server = await createServerDatabase(serverUrl);
    env.DATABASE_URL = server.url;
    drop = server.drop;
  });
  afterAll(() => drop());
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'data-pipeline/ingest-cli.ts', ...args], { cwd: ROOT, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
  const state = async () => {
    const db = await openDatabase({ databaseUrl: env.DATABASE_URL || undefined, dataDir: env.DATA_DIR });
    try {
      return { counts: await readCounts(db), version: (await readDataState(db)).version, centers: await centerErrors(db) };
    } finally {
      await db.close();
    }
  };

  it('imports GCJ-02 files and says so; an unknown --crs exits non-zero naming the flag and its values, the data untouched', async () => {
    const { centers, households } = sideFiles('cli', wgs84ToGcj02);
    const first = await run(['--osm', osm, '--centers', centers, '--households', households, '--crs', 'GCJ-02', '--quiet']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/centers, households converted from gcj02 to wgs84/);
    const before = await state();
    for (const error of before.centers) expect(error).toBeLessThan(0.01);

    const bad = await run(['--osm', osm, '--centers', centers, '--crs', 'mars']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--crs: unknown coordinate system "mars"; expected one of wgs84, gcj02, bd09 \(or cgcs2000, read as wgs84\)/);
    expect(await state()).toEqual(before);
  });
});

const monaco = sharedData('osm/monaco.osm.pbf');

describeWithData('--crs gcj02 outside China (Monaco)', monaco, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase('pglite');
  });
  afterAll(() => t?.dispose());

  it('leaves the points of a GCJ-02 file outside China where they are', async () => {
    const places: Position[] = [[7.4246, 43.7384], [7.4197, 43.7311]];
    const centers = file('monaco-centers.csv', ['name,kind,lon,lat', ...places.map((p, i) => `Centre ${i},governance,${p.join(',')}`)].join('\n'));
    await ingest(t.db, { osm: monaco.path, centers, crs: 'gcj02' });
    const rows = await storedCenters(t.db);
    expect(rows.map((r) => [r.lon, r.lat])).toEqual(places);
  });
});
