/**
 * The import: read the OSM file (one streaming pass), replace what the user
 * gave as files (households, centers, grids, converted to WGS84 from their
 * --crs), then store everything in one transaction. Separate from the CLI so
 * tests drive it without a process.
 */
import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { CRS_NAMES, parseCrs, toWgs84, type Crs } from './inputs/chinese-crs.ts';
import type { Database } from '../kernel/db/database.ts';
import type { HouseholdColumns, ImportBundle, AdminUnit } from '../kernel/import-bundle.ts';
import type { OsmImportReport } from './osm/assemble-bundle.ts';
import { assemble } from './osm/assemble-bundle.ts';
import { createOsmCollector, type OsmCollected } from './osm/osm-collector.ts';
import { cityFromFile } from './osm/osm-to-bundle.ts';
import { readOsm } from './osm/read-osm.ts';
import { readCentersFile } from './inputs/centers-file.ts';
import { readHouseholdsFile } from './inputs/households-file.ts';
import { readGridsFile, type GridFileRow } from './inputs/grids-file.ts';
import { applyGridTotals, hasGridTotals } from './grid-totals-import.ts';
import { assignToGrids } from './inputs/assign-to-grids.ts';
import { InputError } from './inputs/input-error.ts';
import { writeBundle, type WriteResult } from './write-bundle.ts';
import type { Progress } from './progress.ts';

export interface IngestOptions {
  osm: string;
  grids?: string;
  centers?: string;
  households?: string;
  /** The coordinate system of the grids, centers and households files (not of the OSM file, always WGS84); default wgs84. */
  crs?: Crs;
  /** The sheet of .xlsx centers and households files (default: the first). */
  sheet?: string;
  city?: string;
  signal?: AbortSignal;
}

export interface IngestResult {
  report: OsmImportReport;
  /** The system the side files were converted from. */
  crs: Crs;
  write: WriteResult;
  /** Milliseconds: `open` is how long the import waited for the database after reading (it opens during the read). */
  ms: { read: number; open: number; build: number; write: number; total: number };
}

/** The system a --crs value names; throws naming the flag and the values it takes. */
export function crsFromFlag(value: string): Crs {
  const crs = parseCrs(value);
  if (!crs) throw new Error(`--crs: unknown coordinate system "${value}"; expected one of ${CRS_NAMES.join(', ')} (or cgcs2000, read as wgs84)`);
  return crs;
}

function requireFile(file: string, flag: string): void {
  if (!existsSync(file)) throw new InputError(file, flag, 'file not found');
  if (!statSync(file).isFile()) throw new InputError(file, flag, 'is not a file');
}

/**
 * Replaces the generated grids with the user's and puts every unit into one
 * of them; inside grids that carry a household total, the units are that
 * total spread over their buildings or streets (grid-totals-import.ts).
 */
function applyGridsFile(bundle: ImportBundle, grids: GridFileRow[], file: string, collected: OsmCollected, report: OsmImportReport): void {
  const skipped = report.skipped;
  const h = bundle.households;
  const index = assignToGrids(grids, h.lon, h.lat);
  let keep = 0;
  const outside: string[] = [];
  for (let i = 0; i < h.count; i++) if (index[i]! >= 0) keep++;
  else if (outside.length < 5) outside.push(h.sourceIds[i] || `unit ${i}`);
  if (keep < h.count) {
    skipped.push({ reason: `household units outside every grid of ${basename(file)}`, count: h.count - keep, examples: outside });
  }
  const pick = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
    const out = make(keep);
    for (let i = 0, j = 0; i < h.count; i++) if (index[i]! >= 0) out[j++] = a[i]!;
    return out;
  };
  const kept: HouseholdColumns = {
    count: keep,
    lon: pick(h.lon, (n) => new Float64Array(n)),
    lat: pick(h.lat, (n) => new Float64Array(n)),
    households: pick(h.households, (n) => new Int32Array(n)),
    persons: pick(h.persons, (n) => new Int32Array(n)),
    gridIndex: pick(index, (n) => new Int32Array(n)),
    source: h.source,
    sourceIds: h.sourceIds.filter((_, i) => index[i]! >= 0),
  };
  bundle.households = kept;
  if (hasGridTotals(grids)) {
    const totals = applyGridTotals(kept, grids, { footprints: collected.footprints, network: bundle.network });
    bundle.households = totals.households;
    report.gridTotals = totals.report;
  }
  bundle.grids = grids;
  // The file's chain codes become admin units (named by code) so roll-ups reach them.
  const admin: AdminUnit[] = [];
  const seen = new Set<string>();
  const add = (code: string | null, level: AdminUnit['level'], parent: string | null) => {
    if (!code || seen.has(code)) return;
    seen.add(code);
    admin.push({ code, level, name: code, parentCode: parent, geom: null });
  };
  for (const g of grids) {
    add(g.districtCode, 'district', bundle.city.code);
    add(g.streetCode, 'street', g.districtCode ?? bundle.city.code);
    add(g.communityCode, 'community', g.streetCode ?? g.districtCode ?? bundle.city.code);
  }
  bundle.admin = admin;
}

/**
 * Runs an import. `db` may still be opening: the OSM read does not need it,
 * so the CLI overlaps connecting and migrating with reading the file.
 */
export async function ingest(db: Database | Promise<Database>, options: IngestOptions, progress?: Progress): Promise<IngestResult> {
  const t0 = performance.now();
  // Checked again here, not only by the CLI: a caller may pass any string.
  const crs = crsFromFlag(options.crs ?? 'wgs84');
  const convert = toWgs84(crs);
  requireFile(options.osm, '--osm');
  for (const [flag, file] of [['--grids', options.grids], ['--centers', options.centers], ['--households', options.households]] as const) {
    if (file) requireFile(file, flag);
  }
  if (options.grids && !/\.(geo)?json$/i.test(options.grids)) {
    // A table of grid attributes has no shapes to put the households in.
    throw new InputError(options.grids, '--grids', 'an import with --osm needs grid polygons (GeoJSON); a table of grid attributes (.csv, .xlsx) updates the stored grids: run it without --osm');
  }
  // Small side files first: a typo there should fail before a long OSM read.
  const centers = options.centers ? await readCentersFile(options.centers, convert, options.sheet) : undefined;
  const householdPoints = options.households ? await readHouseholdsFile(options.households, convert, options.sheet) : undefined;
  const gridRows = options.grids ? readGridsFile(options.grids, convert) : undefined;
  if (gridRows && householdPoints && hasGridTotals(gridRows)) {
    throw new InputError(options.grids!, 'households', 'the grids carry household totals (households / 户数) and --households gives household units too: give the households one way, not both');
  }
  const households: HouseholdColumns | undefined = householdPoints && {
    ...householdPoints,
    gridIndex: new Int32Array(householdPoints.count),
    source: `file:${basename(options.households!)}`,
  };

  progress?.stage(`reading ${basename(options.osm)}`);
  const collector = createOsmCollector();
  await readOsm(options.osm, collector.handler, {
    signal: options.signal,
    onProgress: (p) => progress?.update(p.bytesRead, p.totalBytes, 'bytes'),
  });
  const t1 = performance.now();
  options.signal?.throwIfAborted();

  // The bundle is built inside the write transaction, once it has sent the
  // server the clearing of the old city: both run at once on two cores.
  // The database opened during the read, or we say what we wait for (the
  // embedded one's first start initialises PostgreSQL and PostGIS: ~10 s).
  let opened = false;
  void Promise.resolve(db).then(() => (opened = true), () => {});
  await Promise.resolve();
  if (!opened) progress?.stage('opening the database');
  const database = await db;
  const tOpen = performance.now();
  let t2 = tOpen;
  let report: OsmImportReport | undefined;
  const build = (): ImportBundle => {
    progress?.stage('building the walk network, households, centers and grids');
    const collected = collector.collect();
    const built = assemble(collected, {
      city: options.city ?? cityFromFile(options.osm),
      source: `osm:${basename(options.osm)}`,
      households,
      centers,
    });
    report = built.report;
    if (gridRows) {
      applyGridsFile(built.bundle, gridRows, options.grids!, collected, built.report);
      const c = built.report.counts;
      const h = built.bundle.households;
      c.grids = built.bundle.grids.length;
      c.householdUnits = h.count;
      c.officers = built.bundle.grids.reduce((a, g) => a + g.officers, 0);
      // Units outside every grid were dropped and grid totals replaced some: count again.
      c.householdsTotal = h.households.reduce((a, n) => a + n, 0);
      c.personsTotal = h.persons.reduce((a, n) => a + Math.max(0, n), 0);
    }
    t2 = performance.now();
    options.signal?.throwIfAborted();
    progress?.stage('writing to the database (one transaction)');
    return built.bundle;
  };
  const write = await writeBundle(database, build, (table, done, total) => progress?.update(done, total, table));
  progress?.done();
  const t3 = performance.now();
  if (!report) throw new Error('the import wrote no bundle');
  report.ms = { read: t1 - t0, build: t2 - tOpen, total: t3 - t0 };
  return { report, crs, write, ms: { read: t1 - t0, open: tOpen - t1, build: t2 - tOpen, write: t3 - t2, total: t3 - t0 } };
}
