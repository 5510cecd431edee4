/**
 * npm run ingest -- --osm <file.osm.pbf|file.osm> [--grids f.geojson]
 *   [--centers f.geojson|f.csv] [--households f.geojson|f.csv]
 *   [--crs wgs84|gcj02|bd09] [--city NAME] [--database-url URL] [--data-dir DIR]
 *
 * Imports a city into the configured database (DATABASE_URL, else the
 * embedded one in DATA_DIR) in one transaction, with progress on a terminal
 * and a summary at the end. Bad input: exit 1 with one line naming the file
 * and the feature or line; the data that was there before stays. A bad
 * argument (an unknown --crs, say): exit 2 before anything is opened.
 */
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/open-database.ts';
import type { Database } from '../kernel/db/database.ts';
import { crsFromFlag, ingest, type IngestOptions, type IngestResult } from './ingest.ts';
import { createProgress, thousands } from './progress.ts';
import { gridTotalsSummary } from './grid-totals-import.ts';

const USAGE = `usage: npm run ingest -- --osm <file.osm.pbf|file.osm> [--grids file.geojson]
       [--centers file.geojson|file.csv] [--households file.geojson|file.csv]
       [--crs wgs84|gcj02|bd09] [--city NAME] [--database-url URL] [--data-dir DIR] [--quiet]
  --crs  coordinate system of the grids, centers and households files, converted
         to WGS84 on import (default wgs84; cgcs2000 is read as wgs84). The OSM
         file is always WGS84. gcj02: Amap/Gaode, Tencent; bd09: Baidu.`;

const VALUE_FLAGS = ['osm', 'grids', 'centers', 'households', 'crs', 'city', 'database-url', 'data-dir', 'log-level'];

/** Parses argv into options; throws a usage error naming the bad argument. */
export function parseIngestArgs(argv: readonly string[]): IngestOptions & { quiet: boolean } {
  const values: Record<string, string> = {};
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quiet') {
      quiet = true;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m || !VALUE_FLAGS.includes(m[1]!)) throw new Error(`unknown argument "${arg}"\n${USAGE}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`${arg} needs a value\n${USAGE}`);
    values[m[1]!] = value;
  }
  if (!values.osm) throw new Error(`--osm is required\n${USAGE}`);
  const crs = values.crs === undefined ? undefined : crsFromFlag(values.crs);
  return { osm: values.osm, grids: values.grids, centers: values.centers, households: values.households, crs, city: values.city, quiet };
}

function summary(result: IngestResult, db: Database, options: IngestOptions): string {
  const c = result.report.counts;
  const sideFiles = [options.grids && 'grids', options.centers && 'centers', options.households && 'households'].filter(Boolean);
  const lines = [
    `imported ${result.report.source} into ${db.kind} as data version ${result.write.version}`,
    `  walk network   ${thousands(c.networkNodes)} nodes, ${thousands(c.networkEdges)} edges (${c.stepsEdges} steps) from ${thousands(c.walkableWays)} walkable ways`,
    `  households     ${thousands(c.householdsTotal)} households in ${thousands(c.householdUnits)} units`,
    ...(result.report.gridTotals ? gridTotalsSummary(result.report.gridTotals) : []),
    `  centers        ${c.centers} (${Object.entries(c.centersByKind).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'})`,
    `  grids          ${c.grids} with ${c.officers} officers; ${c.communities} communities`,
    ...(result.crs === 'wgs84' || sideFiles.length === 0 ? [] : [`  coordinates    ${sideFiles.join(', ')} converted from ${result.crs} to wgs84`]),
    `  basemap        ${thousands(c.buildings)} buildings, ${c.water} water features`,
  ];
  if (result.report.skipped.length > 0) {
    lines.push('  skipped:');
    for (const s of result.report.skipped) {
      lines.push(`    ${thousands(s.count)} ${s.reason}${s.examples.length ? ` (e.g. ${s.examples.join(', ')})` : ''}`);
    }
  }
  const ms = result.ms;
  const secs = (n: number) => `${(n / 1000).toFixed(2)} s`;
  // The database opens while the file is read; only a wait beyond the read is shown.
  const open = ms.open >= 10 ? `, waiting for the database ${secs(ms.open)}` : '';
  lines.push(`  time           ${secs(ms.total)} (read ${secs(ms.read)}${open}, build ${secs(ms.build)}, write ${secs(ms.write)})`);
  return lines.join('\n');
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let options: ReturnType<typeof parseIngestArgs>;
  try {
    options = parseIngestArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const config = loadConfig(process.env, argv);
  const opening = openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 2,
    statementTimeoutMs: 0, // a big import may legitimately run long
  });
  // Connecting and migrating overlap the OSM read; a failure surfaces when awaited.
  opening.catch(() => {});
  const abort = new AbortController();
  const onSignal = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const result = await ingest(opening, { ...options, signal: abort.signal }, createProgress(process.stderr, options.quiet));
    process.stdout.write(summary(result, await opening, options) + '\n');
    return 0;
  } catch (error) {
    process.stderr.write(`\nimport failed, the previous data is unchanged: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await opening.then((db) => db.close(), () => {});
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`import failed: ${error.message}\n`);
    process.exit(1);
  },
);
