/**
 * Partial update benchmark (part of `npm run bench -- ingest`): on the demo
 * city in a PostGIS server database, with `npm start`'s server running on
 * it, a centers-only update of 500 centers through the real CLI process
 * (`node scripts/ingest.mjs --centers file.csv`), timed from the process's
 * start until the running server's coverage answers at the new data version
 * (and then checked to be what the dry run predicted); the file is the
 * whole centers table (2,682 on the demo city) with 500 of them changed
 * (moved, renamed, added, left out), against a whole
 * re-import of the same data (the demo city's bundle with those centers,
 * written by writeBundle in this process: no process start, no OSM read,
 * which favours the reference) until the server answers at its version. The
 * two alternate, RUNS times each; every partial run moves, renames, adds and
 * removes other centers (seeded), so each is a real change.
 * Target (issue 14): the partial update under 2 s on PostGIS.
 */
import { spawn, spawnSync } from 'node:child_process';
import pg from 'pg';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDemoCity } from '../data-pipeline/demo-city/generate-demo-city.ts';
import { writeBundle } from '../data-pipeline/write-bundle.ts';
import { partialUpdate } from '../data-pipeline/partial/partial-update.ts';
import { loadStoredCenters } from '../data-pipeline/partial/stored-city.ts';
import { openDatabase } from '../server/db/open-database.ts';
import { cityCoverageChange } from '../server/coverage/city-coverage.ts';
import type { Database } from '../kernel/db/database.ts';
import type { ImportBundle } from '../kernel/import-bundle.ts';
import { freshDatabase } from './ingest.ts';
import { formatMs, seededRandom, summarize } from './stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 5;
/** The file is the whole centers table, as an office keeps it; 500 of its centers change each run: */
const MOVED = 300; // by 50 to 300 m
const RENAMED = 100;
const ADDED = 50;
const REMOVED = 50;
const CHANGED = MOVED + RENAMED + ADDED + REMOVED;
const PORT = 18_191;

interface Coverage {
  data_version: string;
  total: { households: number; covered: number };
}

async function coverage(): Promise<Coverage | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${PORT}/api/coverage?level=city`);
    return res.ok ? ((await res.json()) as Coverage) : undefined;
  } catch {
    return undefined;
  }
}

/** Polls (every 10 ms) until the server's coverage is at another version than `from`; returns it. */
async function nextCoverage(from: string, deadlineMs = 60_000): Promise<Coverage> {
  const end = performance.now() + deadlineMs;
  for (;;) {
    const c = await coverage();
    if (c && c.data_version !== from) return c;
    if (performance.now() > end) throw new Error(`the server's coverage stayed at ${from}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The stored centers as a file, 500 of them changed: moved, renamed, new ones added, some left out (removed). Seeded per run. */
async function centersFile(db: Database, dir: string, run: number, nodes: { lon: number; lat: number }[]): Promise<string> {
  const random = seededRandom(1000 + run);
  const stored = await loadStoredCenters(db);
  const coded = stored.filter((c) => c.sourceId !== null);
  for (let i = coded.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [coded[i], coded[j]] = [coded[j]!, coded[i]!];
  }
  const keep = coded.slice(0, coded.length - REMOVED);
  const rows = ['code,name,kind,lon,lat'];
  keep.forEach((c, i) => {
    let { lon, lat } = c;
    if (i < MOVED) {
      const metres = 50 + 250 * random();
      const angle = 2 * Math.PI * random();
      lon += (metres * Math.cos(angle)) / (111_320 * Math.cos((lat * Math.PI) / 180));
      lat += (metres * Math.sin(angle)) / 110_574;
    }
    const name = i >= MOVED && i < MOVED + RENAMED ? `${c.name}（更名${run}）` : c.name;
    rows.push([c.sourceId, name.replace(/,/g, ' '), c.kind, lon, lat].join(','));
  });
  for (let k = 0; k < ADDED; k++) {
    // On the network: at a walk node.
    const n = nodes[Math.floor(random() * nodes.length)]!;
    rows.push([`bench/${run}/${k}`, `新中心${run}-${k}`, k % 2 ? 'governance' : 'neighborhood', n.lon, n.lat].join(','));
  }
  const file = path.join(dir, `centers-${run}.csv`);
  writeFileSync(file, rows.join('\n') + '\n');
  return file;
}

/** The demo bundle with the stored centers in place of its own: the same data as the partial update left. */
async function sameData(db: Database, demo: ImportBundle): Promise<ImportBundle> {
  const centers = (await loadStoredCenters(db)).map((c) => ({ name: c.name, kind: c.kind, services: c.services, source: c.source, sourceId: c.sourceId, lon: c.lon, lat: c.lat }));
  return { ...demo, centers };
}

/**
 * Waits until no other session works on the database (the server's
 * coverage write-back of the last change, which runs after its coverage
 * answers): each timed step starts from a quiet database. An import that
 * truncates the tables while a write-back updates them can deadlock.
 */
async function quiet(db: Database): Promise<void> {
  for (let calm = 0, i = 0; calm < 3; i++) {
    const [row] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'",
    );
    calm = row!.n === 0 ? calm + 1 : 0;
    if (i > 600) throw new Error('the database did not become quiet within 30 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function runCli(file: string, url: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/ingest.mjs', '--centers', file, '--quiet'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function benchPartialUpdate(baseUrl: string): Promise<void> {
  const url = await freshDatabase(baseUrl, 'lc_bench_partial');
  const dir = mkdtempSync(path.join(tmpdir(), 'lc-bench-partial-'));
  const db = await openDatabase({ databaseUrl: url, dataDir: undefined, poolSize: 2, statementTimeoutMs: 0 });
  const demo = generateDemoCity({});
  await writeBundle(db, demo);
  const nodes = await db.query<{ lon: number; lat: number }>('SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM walk_nodes WHERE id % 97 = 0');
  // Build the CLI bundle once, untimed (scripts/ingest.mjs rebuilds it when a source is newer; --help then stops at the usage).
  spawnSync(process.execPath, ['scripts/ingest.mjs', '--help'], { cwd: ROOT });
  const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, DATA_DIR: path.join(dir, 'data'), PORT: String(PORT), LOG_LEVEL: 'warn', DEMO_ON_EMPTY: 'never' },
    stdio: 'ignore',
  });
  const partial: number[] = [];
  const cliOnly: number[] = [];
  const reimport: number[] = [];
  try {
    for (let i = 0; ; i++) {
      if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
      if (await coverage()) break;
      if (i > 1200) throw new Error('the server did not answer coverage within 120 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    for (let run = 0; run < RUNS; run++) {
      const file = await centersFile(db, dir, run, nodes);
      // Untimed: what the server's coverage must become.
      const expected = await partialUpdate(db, { table: 'centers', file, dryRun: true, coverage: cityCoverageChange });
      await quiet(db);
      const before = (await coverage())!.data_version;
      const t0 = performance.now();
      const [cli, followed] = await Promise.all([
        runCli(file, url).then((r) => ({ ...r, ms: performance.now() - t0 })),
        nextCoverage(before),
      ]);
      partial.push(performance.now() - t0);
      cliOnly.push(cli.ms);
      if (cli.code !== 0) throw new Error(`the update failed: ${cli.stderr}`);
      const version = /data version {3}(\S+)/.exec(cli.stdout)?.[1];
      const c = expected.centers!;
      if (run === 0) console.log(`  file: ${c.after} rows (${c.before} centers stored); run 1 added ${c.added.length}, moved ${c.moved.length}, changed ${c.changed.length}, removed ${c.removed.length}, unchanged ${c.unchanged}`);
      if (followed.data_version !== version) throw new Error(`the server answered ${followed.data_version}, the update wrote ${version}`);
      if (followed.total.covered !== expected.coverage!.after.covered) throw new Error(`coverage ${followed.total.covered} is not the dry run's ${expected.coverage!.after.covered}`);

      const bundle = await sameData(db, demo);
      await quiet(db);
      const t1 = performance.now();
      const { version: full } = await writeBundle(db, bundle);
      const after = await nextCoverage(version!);
      reimport.push(performance.now() - t1);
      if (after.data_version !== full || after.total.covered !== followed.total.covered) throw new Error('the re-import did not give the same coverage');
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await db.close();
    rmSync(dir, { recursive: true, force: true });
    // The bench's own database goes with it.
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS lc_bench_partial WITH (FORCE)').finally(() => admin.end());
  }
  const p = summarize(partial);
  const r = summarize(reimport);
  const cli = summarize(cliOnly);
  console.log(`Centers-only update of ${CHANGED} centers on the demo city (PostGIS), until the running server's coverage reflects it (${RUNS} runs, alternating):`);
  console.log(`  partial update (npm run ingest -- --centers)   min ${formatMs(p.min).padStart(9)}  mean ${formatMs(p.mean).padStart(9)}  max ${formatMs(p.max).padStart(9)}  (the CLI process alone: mean ${formatMs(cli.mean)})`);
  console.log(`  whole re-import of the same data (writeBundle) min ${formatMs(r.min).padStart(9)}  mean ${formatMs(r.mean).padStart(9)}  max ${formatMs(r.max).padStart(9)}`);
  console.log(`  ratio partial/re-import: ${(p.min / r.min).toFixed(2)} (best runs), ${(p.mean / r.mean).toFixed(2)} (means)`);
  console.log(`  target: under 2 s on PostGIS (mean) -> ${p.mean < 2000 ? 'met' : 'NOT met'}; slowest run ${formatMs(p.max)}`);
}
