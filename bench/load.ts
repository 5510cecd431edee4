/**
 * Load benchmark (npm run bench -- load): the real server under a mixed load
 * over HTTP, on the PostGIS server (when DATABASE_URL is set: a scratch
 * database with the demo city) and then on the embedded default (PGlite with
 * the demo city in a scratch data folder).
 *
 * The server is server/main.ts in a child process (load-server.ts), as it
 * runs in production, ready when /health says the graph and coverage are.
 * The mix is a seeded pool of requests over the city (LOAD_POOL, default
 * 3,000): vector tiles at z12-16 (the layers each zoom shows, alone or
 * together) 60%, GET /api/nearest 15%, GET /api/isochrone 15% (5, 10 and 15
 * minutes), GET /api/coverage 10% (a level, 5/10/15 minutes); the points are
 * ones /api/nearest answers, found before the pool is drawn. The warm-up
 * sends every request of the pool once, so caches hold what the load asks
 * for, on the connections the load then uses (so it starts with them open);
 * then LOAD_CONNECTIONS (default 100) keep-alive connections send requests
 * drawn from the pool for LOAD_SECONDS (default 60).
 *
 * Reports per backend: requests per second, p50 and p99 per route, errors
 * (any status but 2xx and 304, or no complete answer; target 0) and the
 * server's memory (RSS and heap, after a full collection) at the start and
 * end of the load (target: growth under 10%; both read after 2 s of quiet),
 * with the RSS sampled during the load to tell a working set that settles
 * from a leak (first and last sample compared too).
 * LOAD_BACKENDS=postgis or pglite runs one backend only.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildDemoCity } from '../data-pipeline/build-demo-city.ts';
import { openDatabase } from '../server/db/open-database.ts';
import { latToTileY, lonToTileX } from '../server/tiles/tile-envelope.ts';
import { loadClient, runLoad, type LoadRequest, type LoadResult } from './load-generator.ts';
import { startLoadServer, type LoadServer, type MemoryFigures } from './load-server.ts';
import { formatMs, seededRandom, summarize } from './stats.ts';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 100);
const POOL = Number(process.env.LOAD_POOL ?? 3000);
const SCRATCH_DATABASE = 'lc_bench_load';
const ROUTES = ['tiles', 'nearest', 'isochrone', 'coverage'] as const;
const LEVELS = ['city', 'district', 'street', 'community', 'grid'];
/** Quiet time before each memory reading (below the server's 5 s keep-alive timeout, so the connections stay open). */
const SETTLE_MS = 2000;
/** Points looked for before the pool is drawn. */
const POINTS = 300;

const print = (label: string, text: string) => console.log(`${label.padEnd(36)} ${text}`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

/** A store with the demo city: a scratch database on the server, or a scratch PGlite folder. */
async function prepareStore(kind: 'postgis' | 'pglite'): Promise<{ databaseUrl: string | undefined; dataDir: string; drop(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `lc-bench-load-${kind}-`));
  let databaseUrl: string | undefined;
  const base = process.env.DATABASE_URL;
  if (kind === 'postgis') {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${SCRATCH_DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${SCRATCH_DATABASE}`);
    await admin.end();
    const url = new URL(base!);
    url.pathname = `/${SCRATCH_DATABASE}`;
    databaseUrl = url.toString();
  }
  const t0 = performance.now();
  const db = await openDatabase({ databaseUrl, dataDir: kind === 'pglite' ? dataDir : undefined });
  try {
    const result = await buildDemoCity(db);
    print('store', `${kind === 'postgis' ? `PostGIS server, scratch database ${SCRATCH_DATABASE}` : `PGlite in ${dataDir}`}: demo city (${result.counts.households ?? '?'} household units) written in ${formatMs(performance.now() - t0)}`);
  } finally {
    await db.close();
  }
  return {
    databaseUrl,
    dataDir,
    async drop() {
      rmSync(dataDir, { recursive: true, force: true });
      if (kind !== 'postgis') return;
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${SCRATCH_DATABASE} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** A process's resident set now, bytes (Linux /proc; 0 elsewhere). */
function residentBytes(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function getJson<T>(server: LoadServer, url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`http://${server.host}:${server.port}${url}`);
  return { status: res.status, body: (await res.json()) as T };
}

/** The seeded request pool: tiles where the city is, and routing and coverage at points the server can route from. */
async function requestPool(server: LoadServer): Promise<LoadRequest[]> {
  const catalog = (await getJson<{ layers: { id: string; minzoom: number; maxzoom: number }[] }>(server, '/tiles/catalog.json')).body;
  const tilejson = (await getJson<{ bounds: [number, number, number, number] }>(server, `/tiles/${catalog.layers.map((l) => l.id).join(',')}.json`)).body;
  const [west, south, east, north] = tilejson.bounds;
  const random = seededRandom(20_270_302);
  // Points inside the data that /api/nearest answers (not in water, not off the network).
  const points: [number, number][] = [];
  for (let tries = 0; points.length < POINTS && tries < POINTS * 5; tries++) {
    const lon = Number((west + (0.1 + 0.8 * random()) * (east - west)).toFixed(6));
    const lat = Number((south + (0.1 + 0.8 * random()) * (north - south)).toFixed(6));
    if ((await fetch(`http://${server.host}:${server.port}/api/nearest?lon=${lon}&lat=${lat}`).then((r) => r.arrayBuffer().then(() => r.status))) === 200) points.push([lon, lat]);
  }
  if (points.length < POINTS / 2) throw new Error(`only ${points.length} of ${POINTS} points in the city answer /api/nearest`);
  const pool: LoadRequest[] = [];
  for (let i = 0; i < POOL; i++) {
    const r = random();
    const [lon, lat] = points[Math.floor(random() * points.length)]!;
    if (r < 0.6) {
      const z = 12 + Math.floor(random() * 5);
      const shown = catalog.layers.filter((l) => l.minzoom <= z && z <= l.maxzoom).map((l) => l.id);
      const layers = random() < 0.5 ? shown.join(',') : shown[Math.floor(random() * shown.length)]!;
      // Anywhere over the city's area, not only at routable points.
      const tlon = west + random() * (east - west);
      const tlat = south + random() * (north - south);
      pool.push({ route: 'tiles', path: `/tiles/${layers}/${z}/${Math.floor(lonToTileX(tlon, z))}/${Math.floor(latToTileY(tlat, z))}.mvt` });
    } else if (r < 0.75) {
      pool.push({ route: 'nearest', path: `/api/nearest?lon=${lon}&lat=${lat}` });
    } else if (r < 0.9) {
      pool.push({ route: 'isochrone', path: `/api/isochrone?lon=${lon}&lat=${lat}&minutes=5,10,15` });
    } else {
      const level = LEVELS[Math.floor(random() * LEVELS.length)]!;
      pool.push({ route: 'coverage', path: `/api/coverage?level=${level}&minutes=${5 * (1 + Math.floor(random() * 3))}` });
    }
  }
  return pool;
}

function growth(start: number, end: number): string {
  const pct = (100 * (end - start)) / start;
  return `${mb(start)} -> ${mb(end)} (${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%; target < 10%: ${verdict(pct < 10)})`;
}

/** What the server's /health says of its tile cache. */
type CacheStats = { entries: number; bytes: number };

function report(label: string, result: LoadResult, start: MemoryFigures, end: MemoryFigures, cache: [CacheStats, CacheStats]): void {
  print(`load (${label})`, `${SECONDS} s at ${CONNECTIONS} connections: ${result.requests} requests, ${(result.requests / result.seconds).toFixed(0)} req/s, ${result.connections} connections opened beyond the warm-up's`);
  for (const route of ROUTES) {
    const f = result.byRoute.get(route);
    if (!f) continue;
    const s = summarize(f.ms);
    const statuses = [...f.statuses.entries()].sort().map(([k, n]) => `${k}:${n}`).join(' ');
    print(`  ${route}`, `n=${s.n}  ${(s.n / result.seconds).toFixed(0)} req/s  p50 ${formatMs(s.p50)}  p99 ${formatMs(s.p99)}  max ${formatMs(s.max)}  (${statuses})`);
  }
  print('  errors', `${result.errors} (target 0: ${verdict(result.errors === 0)})${result.errorSamples.length ? `: ${result.errorSamples.join('; ')}` : ''}`);
  print('  memory RSS, start -> end', growth(start.rss, end.rss));
  print('  memory heap used, start -> end', growth(start.heapUsed, end.heapUsed));
  // Outside the JS heap but in RSS: Buffers (the tile cache's tiles) and, on PGlite, the database's WebAssembly memory.
  print(
    '  (heap total, external, tile cache)',
    `heap total ${mb(start.heapTotal)} -> ${mb(end.heapTotal)}, external ${mb(start.external)} -> ${mb(end.external)}, ` +
      `tile cache ${cache[0].entries} tiles ${mb(cache[0].bytes)} -> ${cache[1].entries} tiles ${mb(cache[1].bytes)}`,
  );
  if (start.wasm > 0) print('  (WebAssembly memory)', `${mb(start.wasm)} -> ${mb(end.wasm)}`);
}

async function benchBackend(kind: 'postgis' | 'pglite'): Promise<void> {
  const label = kind === 'postgis' ? 'PostGIS server' : 'PGlite (embedded)';
  console.log(`\n--- ${label} ---`);
  const store = await prepareStore(kind);
  let server: LoadServer | undefined;
  try {
    const t0 = performance.now();
    server = await startLoadServer({ databaseUrl: store.databaseUrl, dataDir: store.dataDir });
    print('server', `server/main.ts in a child process (pid ${server.pid}), ready in ${formatMs(performance.now() - t0)}`);
    const pool = await requestPool(server);
    const before = await server.memory();
    // One set of connections for the warm-up and the load: the load starts with them open, as a busy server has them.
    const client = loadClient(server.host, server.port, CONNECTIONS);
    let i = 0;
    const warm = await runLoad({ host: server.host, port: server.port, connections: CONNECTIONS, client, next: () => pool[i++] });
    print('warm-up', `the pool's ${pool.length} requests once in ${warm.seconds.toFixed(1)} s on ${warm.connections} connections (${warm.errors} errors${warm.errorSamples.length ? `: ${warm.errorSamples.join('; ')}` : ''}); RSS ${mb(before.rss)} before${before.wasm ? `, WebAssembly ${mb(before.wasm)}` : ''}`);
    const cacheStats = async () => (await getJson<{ tiles: { cache: CacheStats } }>(server!, '/health')).body.tiles.cache;
    // Both readings after the same short quiet spell, so neither catches the last answers' buffers in flight.
    const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    await settle();
    const cacheStart = await cacheStats();
    const start = await server.memory();
    const random = seededRandom(20_270_303);
    // RSS over the run from /proc (no collection forced, so the load is not disturbed): growth that levels off, or keeps going.
    const trend: number[] = [];
    const sampler = setInterval(() => trend.push(residentBytes(server!.pid)), (SECONDS * 1000) / 6);
    const result = await runLoad({ host: server.host, port: server.port, connections: CONNECTIONS, client, seconds: SECONDS, next: () => pool[Math.floor(random() * pool.length)] });
    clearInterval(sampler);
    await settle();
    const end = await server.memory();
    client.close();
    report(label, result, start, end, [cacheStart, await cacheStats()]);
    print('  RSS during the load (/proc)', trend.map(mb).join(', '));
    // Under load from the first sample to the last: a leak keeps growing here; a working set that settles does not.
    if (trend.length >= 2) print('  RSS under load, first -> last sample', growth(trend[0]!, trend.at(-1)!));
  } finally {
    await server?.stop();
    await store.drop();
  }
}

export async function runLoadBench(): Promise<void> {
  console.log(`mixed load: ${SECONDS} s at ${CONNECTIONS} connections per backend (LOAD_SECONDS, LOAD_CONNECTIONS), pool of ${POOL} requests (LOAD_POOL)`);
  // LOAD_BACKENDS=postgis or pglite runs one of them (for a quick check).
  const only = process.env.LOAD_BACKENDS;
  if (only !== 'pglite') {
    if (process.env.DATABASE_URL) await benchBackend('postgis');
    else console.log('PostGIS server skipped: set DATABASE_URL to run it');
  }
  if (only !== 'postgis') await benchBackend('pglite');
}
