/**
 * Ingest benchmark: the Monaco import into the PostGIS server, our whole CLI
 * process (start, read, build, one-transaction write, exit) against two Debian
 * tools on the same file and server in the same run:
 *   osm2pgsql --create          (imports all features)
 *   osm2pgrouting, pedestrian   (routable network only; reads XML, so the file
 *                                is converted with osmium first, untimed)
 * Also the demo city build on the embedded default: first start ready time
 * and later start time of `npm start`'s server process; and a centers-only
 * update of 500 centers against a whole re-import (partial-update.ts).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { formatMs, summarize } from './stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MONACO = path.resolve(ROOT, '../shared/data/osm/monaco.osm.pbf');
// Five runs each, alternating: the machine is shared and single runs vary by ±15%.
const RUNS = 5;

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

function timeCommand(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const t0 = performance.now();
  const result = spawnSync(command, args, { env, cwd: ROOT, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (result.status !== 0) throw new Error(`${command} failed (${result.status}): ${(result.stderr || result.stdout).slice(-800)}`);
  return ms;
}

/** A new, empty database `name` on the server (dropped first if there), with PostGIS. */
export async function freshDatabase(baseUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  await c.query('CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS hstore');
  await c.query('CREATE EXTENSION IF NOT EXISTS pgrouting').catch(() => {});
  await c.end();
  return url.toString();
}

function line(label: string, samples: number[], ours?: number[]): string {
  const s = summarize(samples);
  const o = ours && summarize(ours);
  const ratio = o ? `  ratio ours/this ${(o.min / s.min).toFixed(2)} (means ${(o.mean / s.mean).toFixed(2)})` : '';
  return `${label.padEnd(34)} min ${formatMs(s.min).padStart(9)}  mean ${formatMs(s.mean).padStart(9)}${ratio}`;
}

async function benchMonaco(baseUrl: string): Promise<void> {
  if (!existsSync(MONACO)) {
    console.log(`skipped the Monaco import: ${MONACO} is missing`);
    return;
  }
  const ours: number[] = [];
  const osm2pgsql: number[] = [];
  const osm2pgrouting: number[] = [];
  const oursUrl = await freshDatabase(baseUrl, 'lc_bench_ours');
  const refUrl = await freshDatabase(baseUrl, 'lc_bench_ref');
  // Warm the OS file cache and build the CLI bundle once, untimed.
  timeCommand(process.execPath, ['scripts/ingest.mjs', '--osm', MONACO, '--quiet'], { ...process.env, DATABASE_URL: oursUrl });
  for (let i = 0; i < RUNS; i++) {
    ours.push(timeCommand(process.execPath, ['scripts/ingest.mjs', '--osm', MONACO, '--quiet'], { ...process.env, DATABASE_URL: oursUrl }));
    if (has('osm2pgsql')) osm2pgsql.push(timeCommand('osm2pgsql', ['--create', '--log-level=warn', '-d', refUrl, MONACO]));
  }
  if (has('osm2pgrouting') && has('osmium')) {
    const work = mkdtempSync(path.join(tmpdir(), 'lc-bench-'));
    const xml = path.join(work, 'monaco.osm');
    execFileSync('osmium', ['cat', MONACO, '-o', xml, '--overwrite']);
    const u = new URL(refUrl);
    // Debian's pedestrian config ends with a comment containing "--", which
    // is not well-formed XML and makes osm2pgrouting refuse it: use the part
    // up to the root element's end.
    const conf = path.join(work, 'mapconfig_for_pedestrian.xml');
    const original = readFileSync('/usr/share/osm2pgrouting/mapconfig_for_pedestrian.xml', 'utf8');
    writeFileSync(conf, original.slice(0, original.indexOf('</configuration>') + '</configuration>'.length) + '\n');
    for (let i = 0; i < RUNS; i++) {
      osm2pgrouting.push(
        timeCommand('osm2pgrouting', ['--f', xml, '--conf', conf, '--dbname', u.pathname.slice(1), '--username', u.username, '--password', decodeURIComponent(u.password), '--host', u.hostname, '--port', u.port || '5432', '--clean'], process.env),
      );
    }
    rmSync(work, { recursive: true, force: true });
  }
  const best = Math.min(...ours);
  console.log('Monaco import into the PostGIS server, whole process each (lower is better):');
  console.log(line('ours (npm run ingest: node scripts/ingest.mjs)', ours));
  if (osm2pgsql.length) console.log(line('osm2pgsql --create', osm2pgsql, ours));
  else console.log('osm2pgsql: not installed (apt-get install osm2pgsql)');
  if (osm2pgrouting.length) console.log(line('osm2pgrouting (pedestrian)', osm2pgrouting, ours));
  else console.log('osm2pgrouting/osmium: not installed (apt-get install osm2pgrouting osmium-tool)');
  if (osm2pgsql.length) console.log(`target: ours no slower than osm2pgsql (best run against best run) -> ${best <= Math.min(...osm2pgsql) ? 'met' : 'NOT met'}`);
}

/** Starts `npm start`'s server on a data folder and waits for /health; returns ms to ready. */
async function startServer(dataDir: string, port: number): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        if (res.ok) return performance.now() - t0;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function benchDemoStart(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lc-bench-demo-'));
  try {
    const first = await startServer(dataDir, 18_181);
    const later: number[] = [];
    for (let i = 0; i < 2; i++) later.push(await startServer(dataDir, 18_181));
    console.log('Demo city on the embedded default (npm start), time until /health answers:');
    console.log(`first start (builds the demo city)   ${formatMs(first)}   target < 90 s -> ${first < 90_000 ? 'met' : 'NOT met'}`);
    console.log(`later starts                         ${later.map(formatMs).join(', ')}   target < 10 s -> ${Math.max(...later) < 10_000 ? 'met' : 'NOT met'}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runIngestBench(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (url) await benchMonaco(url);
  else console.log('skipped the PostGIS import comparison: set DATABASE_URL to a PostGIS server');
  // Issue 14: one table updated alone against a whole re-import, until a running server follows.
  if (url) await (await import('./partial-update.ts')).benchPartialUpdate(url);
  else console.log('skipped the partial update comparison: set DATABASE_URL to a PostGIS server');
  await benchDemoStart();
}
