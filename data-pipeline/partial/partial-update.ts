/**
 * `npm run ingest -- --centers FILE` (or --households, --grids) without
 * --osm: one table updated against the city already stored, the street
 * network and everything else left as they are.
 *
 * The file is read and every row checked first (bad rows all named, and
 * then nothing is written). The plan (what is added, changed, moved,
 * removed) is made from the stored rows; a dry run prints it with the
 * households and the city's coverage before and after and writes nothing,
 * a real run makes the same plan again inside one transaction (its tables
 * locked against other writers, not readers), carries it out, bumps the
 * data version once and announces the change, so running servers follow:
 * - centers: a `features` change of the 'centers' layer with the old and
 *   new places, what a center edit through the API announces: tiles drop
 *   exactly those, coverage recomputes with the households it has;
 * - households or grids: `replaced`, as an import: the servers reload the
 *   units and their grids (coverage reads households only with a graph);
 *   a grids file with household totals also replaces the units in those
 *   grids by the totals spread over stored buildings or streets.
 * On PostGIS the announcement reaches other processes by NOTIFY at commit;
 * the embedded database serves one process, and a server in the same
 * process (tests, benchmarks) publishes the returned change on its bus.
 */
import { existsSync, statSync } from 'node:fs';
import type { Database } from '../../kernel/db/database.ts';
import type { DataChange } from '../../kernel/data-change.ts';
import { bumpDataVersion } from '../../kernel/db/data-state.ts';
import { announceChange } from '../../kernel/change-announcements.ts';
import { CRS_NAMES, parseCrs, toWgs84, type Crs } from '../inputs/chinese-crs.ts';
import { RowsRefused, fileProblem, type RowCounts } from '../inputs/row-problems.ts';
import { readTable, type Table } from '../inputs/table-file.ts';
import type { CenterPlan } from './center-plan.ts';
import type { AuditHook } from './center-write.ts';
import type { GridPlan } from './grid-update.ts';
import type { GridTotalsReport } from '../grid-totals-import.ts';
import { readGridShapes } from './grid-shapes-file.ts';
import { readStoredCity, type HouseholdTotals } from './stored-city.ts';
import { centersUpdate, gridAttributesUpdate, gridShapesUpdate, householdsUpdate, type CoverageProposal, type TableUpdate } from './table-updates.ts';

export type PartialTable = 'centers' | 'households' | 'grids';

/** The city's coverage at the city level (server/coverage/city-coverage.ts gives it). */
export interface CityCoverage {
  minutes: number;
  households: number;
  covered: number;
  share: number | null;
}

/** Coverage now and with the proposed centers or units in place; the CLI passes the server's evaluation. */
export type CoverageProbe = (db: Database, proposal: CoverageProposal) => Promise<{ before: CityCoverage; after: CityCoverage }>;

export interface PartialOptions {
  table: PartialTable;
  file: string;
  /** The file's coordinate system (default wgs84). */
  crs?: Crs;
  /** The sheet of an .xlsx file (default: the first). */
  sheet?: string;
  /** Report what would change and write nothing. */
  dryRun?: boolean;
  /** For a dry run's coverage before and after; without it the report has none. */
  coverage?: CoverageProbe;
  /** Records each center change in the audit trail, in the update's transaction. */
  audit?: AuditHook;
}

export interface PartialReport {
  table: PartialTable;
  file: string;
  format: Table['format'];
  sheet?: string;
  crs: Crs;
  dryRun: boolean;
  rows: RowCounts;
  /** Columns the header dictionary does not know: not read. */
  ignoredColumns: string[];
  centers?: CenterPlan;
  grids?: GridPlan;
  /** A grids file with household totals: how they were spread over the stored buildings or streets, and the grids they could not be. */
  gridTotals?: GridTotalsReport;
  households: { before: HouseholdTotals; after: HouseholdTotals };
  /** Dry run, with a probe: the city's coverage before and after. */
  coverage?: { before: CityCoverage; after: CityCoverage };
  /** Real run: the data version written (or, when the file changes nothing, the one kept) and the change announced. */
  version?: string;
  change?: DataChange;
  /** The file changes nothing: nothing was (or would be) written. */
  unchanged: boolean;
}

/** Who announces a partial update: not a server instance, so every instance takes it. */
const IMPORT_ORIGIN = 'import';
/** The tables a partial update may lock (a whitelist: their names go into SQL text). */
const LOCKABLE = new Set(['centers', 'households', 'grids']);

function checkFile(file: string): void {
  const problem = !existsSync(file) ? 'not found' : !statSync(file).isFile() ? 'is not a file' : undefined;
  if (problem) throw new RowsRefused(file, [fileProblem(problem)], { read: 0, accepted: 0, refused: 0 });
}

export async function partialUpdate(db: Database, options: PartialOptions): Promise<PartialReport> {
  // Checked here too, not only by the CLI: a caller may pass any string.
  const crs = parseCrs(options.crs ?? 'wgs84');
  if (!crs) throw new Error(`--crs: unknown coordinate system "${options.crs}"; expected one of ${CRS_NAMES.join(', ')}`);
  const convert = toWgs84(crs);
  const { file, table: kind } = options;
  checkFile(file);
  const city = await readStoredCity(db);
  const shapes = kind === 'grids' && /\.(geo)?json$/i.test(file);
  const table = shapes ? undefined : await readTable(file, kind, { sheet: options.sheet, toWgs84: convert });
  let update: TableUpdate;
  if (kind === 'centers') update = centersUpdate(table!, city, convert, options.audit);
  else if (kind === 'households') update = householdsUpdate(file, table!, city, convert);
  else if (shapes) update = gridShapesUpdate(file, readGridShapes(file, convert), city);
  else update = await gridAttributesUpdate(db, file, table!, city);
  if (update.problems.length > 0) throw new RowsRefused(file, update.problems, update.counts);

  const report = (planned: Awaited<ReturnType<TableUpdate['plan']>>): PartialReport => ({
    table: kind,
    file,
    format: table?.format ?? 'geojson',
    ...(table?.sheet === undefined ? {} : { sheet: table.sheet }),
    crs,
    dryRun: options.dryRun ?? false,
    rows: update.counts,
    ignoredColumns: table?.ignored ?? [],
    ...(planned.centers ? { centers: planned.centers } : {}),
    ...(planned.grids ? { grids: planned.grids } : {}),
    ...(planned.gridTotals ? { gridTotals: planned.gridTotals } : {}),
    households: planned.households,
    unchanged: planned.none,
  });

  if (options.dryRun) {
    const planned = await update.plan(db);
    const out = report(planned);
    if (options.coverage) out.coverage = await options.coverage(db, planned.proposal);
    return out;
  }
  return db.transaction(async (tx) => {
    const locks = update.locks.filter((t) => LOCKABLE.has(t));
    // Other writers (the centers API, another import) wait; readers go on with the data before the commit.
    await tx.exec(`LOCK TABLE ${locks.join(', ')} IN SHARE ROW EXCLUSIVE MODE`);
    const planned = await update.plan(tx);
    if (planned.none) {
      const [state] = await tx.query<{ version: string }>('SELECT version FROM data_state WHERE id = 1');
      return { ...report(planned), version: state?.version };
    }
    const written = await planned.write(tx);
    const version = await bumpDataVersion(tx);
    const change: DataChange = written === 'replaced'
      ? { type: 'replaced', version }
      : { type: 'features', version, layers: ['centers'], boxes: written };
    // Running servers on this database follow as soon as this commits.
    await announceChange(tx, IMPORT_ORIGIN, change);
    return { ...report(planned), version, change };
  });
}
