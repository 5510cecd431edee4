/**
 * The ingest command line: a full import (--osm, with side files) or a
 * partial update of one table (--centers, --households or --grids alone,
 * optionally --dry-run). A bad argument throws a usage error naming it, so
 * the CLI exits 2 before anything is opened.
 */
import { crsFromFlag, type IngestOptions } from './ingest.ts';
import type { PartialOptions, PartialTable } from './partial/partial-update.ts';

export const USAGE = `usage: npm run ingest -- --osm <file.osm.pbf|file.osm> [--grids file.geojson]
       [--centers file.csv|file.xlsx|file.geojson] [--households file.csv|file.xlsx|file.geojson]
       [--crs wgs84|gcj02|bd09] [--sheet NAME] [--city NAME] [--database-url URL] [--data-dir DIR] [--quiet]
   or: npm run ingest -- --centers FILE | --households FILE | --grids FILE
       [--dry-run] [--crs wgs84|gcj02|bd09] [--sheet NAME] [--database-url URL] [--data-dir DIR]
  Without --osm, one table is updated against the city already stored, the
  street network and everything else kept: centers merged by their code
  column (编码/code) when the file has one, else replaced; households
  replaced; grids replaced (GeoJSON polygons) or their attributes updated
  by code (CSV, xlsx). --dry-run prints what would change and writes nothing.
  --crs    coordinate system of the grids, centers and households files, converted
           to WGS84 on import (default wgs84; cgcs2000 is read as wgs84). The OSM
           file is always WGS84. gcj02: Amap/Gaode, Tencent; bd09: Baidu.
  --sheet  the sheet of an .xlsx file (default: the first).
  Accepted column headers (Chinese or English): see README, "Update one table".`;

const VALUE_FLAGS = ['osm', 'grids', 'centers', 'households', 'crs', 'sheet', 'city', 'database-url', 'data-dir', 'log-level'];
const TABLES: readonly PartialTable[] = ['centers', 'households', 'grids'];

export type IngestCommand =
  | { mode: 'full'; options: IngestOptions; quiet: boolean }
  | { mode: 'partial'; options: Omit<PartialOptions, 'coverage' | 'audit'>; quiet: boolean };

function usageError(message: string): Error {
  return new Error(`${message}\n${USAGE}`);
}

/** Parses argv; throws a usage error naming the bad argument. */
export function parseIngestArgs(argv: readonly string[]): IngestCommand {
  const values: Record<string, string> = {};
  let quiet = false;
  let dryRun = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quiet') {
      quiet = true;
      continue;
    }
    if (arg === '--dry-run') {
      dryRun = true;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m || !VALUE_FLAGS.includes(m[1]!)) throw usageError(`unknown argument "${arg}"`);
    const value = m[2] ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw usageError(`${arg} needs a value`);
    values[m[1]!] = value;
  }
  const crs = values.crs === undefined ? undefined : crsFromFlag(values.crs);
  if (values.osm) {
    if (dryRun) throw usageError('--dry-run previews an update of one table (without --osm); an import with --osm replaces the whole city');
    const { osm, grids, centers, households, sheet, city } = values;
    return { mode: 'full', options: { osm, grids, centers, households, crs, sheet, city }, quiet };
  }
  const given = TABLES.filter((t) => values[t] !== undefined);
  if (given.length === 0) throw usageError('--osm is required, or one of --centers, --households, --grids to update that table alone');
  if (given.length > 1) {
    throw usageError(`an update without --osm takes one of --centers, --households, --grids (got ${given.map((t) => `--${t}`).join(', ')}); each is its own transaction: run them one after another`);
  }
  if (values.city !== undefined) throw usageError('--city names the city of an import with --osm; an update of one table keeps the stored city');
  const table = given[0]!;
  return { mode: 'partial', options: { table, file: values[table]!, crs, sheet: values.sheet, dryRun }, quiet };
}
