/**
 * npm run ingest -- --osm <file.osm.pbf|file.osm> [--grids f.geojson]
 *   [--centers f.csv|f.xlsx|f.geojson] [--households f.csv|f.xlsx|f.geojson]
 *   [--crs wgs84|gcj02|bd09] [--sheet NAME] [--city NAME] [--database-url URL] [--data-dir DIR]
 * npm run ingest -- --centers FILE | --households FILE | --grids FILE [--dry-run] [--crs ...] [--sheet NAME]
 *
 * Imports a city, or updates one table of the stored city, in the configured
 * database (DATABASE_URL, else the embedded one in DATA_DIR), in one
 * transaction, with a summary at the end. Bad input: exit 1 with the file
 * and every bad row named; the data that was there before stays. A bad
 * argument (an unknown --crs, say): exit 2 before anything is opened.
 *
 * The one module of the importer that sees the server (an entry point,
 * docs/architecture.md): a dry run's coverage is the server's own
 * evaluation, and center changes go into the server's audit trail.
 */
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/open-database.ts';
import { CLI_ACTOR, recordAudit } from '../server/auth/audit-log.ts';
import { ingest } from './ingest.ts';
import { parseIngestArgs, type IngestCommand } from './ingest-args.ts';
import { importSummary } from './ingest-summary.ts';
import { partialUpdate, type PartialOptions } from './partial/partial-update.ts';
import { formatPartialReport } from './partial/partial-report.ts';
import { RowsRefused } from './inputs/row-problems.ts';
import { createProgress } from './progress.ts';

async function runFull(command: Extract<IngestCommand, { mode: 'full' }>, argv: string[]): Promise<number> {
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
    const result = await ingest(opening, { ...command.options, signal: abort.signal }, createProgress(process.stderr, command.quiet));
    process.stdout.write(importSummary(result, (await opening).kind, command.options) + '\n');
    return 0;
  } catch (error) {
    process.stderr.write(`\nimport failed, the previous data is unchanged: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await opening.then((db) => db.close(), () => {});
  }
}

async function runPartial(command: Extract<IngestCommand, { mode: 'partial' }>, argv: string[]): Promise<number> {
  const config = loadConfig(process.env, argv);
  let db: Awaited<ReturnType<typeof openDatabase>> | undefined;
  try {
    // The embedded database refuses a second process (a running server): its message says what to do.
    db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2, statementTimeoutMs: 0 });
    const options: PartialOptions = {
      ...command.options,
      // Loaded only for a dry run: the graph and the coverage evaluation are the server's.
      coverage: command.options.dryRun ? (await import('../server/coverage/city-coverage.ts')).cityCoverageChange : undefined,
      audit: (tx, entry) => recordAudit(tx, CLI_ACTOR, entry),
    };
    const report = await partialUpdate(db, options);
    process.stdout.write(formatPartialReport(report) + '\n');
    return 0;
  } catch (error) {
    const what = command.options.dryRun ? 'dry run failed' : 'update failed, the previous data is unchanged';
    const refused = error instanceof RowsRefused;
    process.stderr.write(`${what}: ${refused ? `${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}\n` : ''}${(error as Error).message}\n`);
    return 1;
  } finally {
    await db?.close();
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let command: IngestCommand;
  try {
    command = parseIngestArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  return command.mode === 'full' ? runFull(command, argv) : runPartial(command, argv);
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`import failed: ${error.message}\n`);
    process.exit(1);
  },
);
