/**
 * Tile benchmark (npm run bench -- tiles), ratios measured in one run:
 *
 * (a) Uncached tiles on the PostGIS server (needs DATABASE_URL): the demo
 *     city in a fresh database; a fixed seeded set of tiles at z10-z16 (all
 *     layers in one tile, where household units are), each fetched over HTTP
 *     from our tile server with its cache off, against the same SQL
 *     statement run directly through `pg`, and against a bare node:http
 *     server answering the same bytes from memory (the HTTP hop alone, which
 *     any tile server over HTTP adds). Rotating the order, after a warm-up
 *     pass, so all see the same database caches. Per zoom by mean time and
 *     by per-tile minimum (on a shared machine noise only ever adds time).
 *     Target ratio <= 1.2 overall, <= 1.3 at z15-z16.
 * (b) Cached tiles: requests per second with autocannon (100 connections,
 *     keep-alive, 5 s) against our server with the tiles cached, and against
 *     a bare node:http server answering the same bytes from a Map. Both
 *     servers run in child processes of their own, so neither shares a core
 *     with autocannon's event loop. Identity and gzip. Target >= 0.7 of bare.
 *
 * The tile server is the tile routes of app.ts on a plain app (no routing
 * graph or coverage, whose background work would disturb the timing).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { Agent, createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import pg from 'pg';
import { generateDemoCity } from '../data-pipeline/demo-city/generate-demo-city.ts';
import { writeBundle } from '../data-pipeline/write-bundle.ts';
import { openDatabase } from '../server/db/open-database.ts';
import { createDataChanges } from '../server/events/data-changes.ts';
import { handleError, handleNotFound } from '../server/http/error-mapping.ts';
import { silentLogger } from '../server/logger.ts';
import { TILE_LAYERS } from '../server/tiles/layers.ts';
import { latToTileY, lonToTileX } from '../server/tiles/tile-envelope.ts';
import { tileRoutes } from '../server/tiles/tile-routes.ts';
import { createTileService } from '../server/tiles/tile-service.ts';
import { serverTileSql } from '../server/tiles/tile-sql.ts';
import { layersAtZoom } from '../server/tiles/tile-source.ts';
import { formatMs, seededRandom, summarize } from './stats.ts';

const SELF = fileURLToPath(import.meta.url);
const ZOOMS = [10, 11, 12, 13, 14, 15, 16];
/** Tiles drawn per zoom (fewer at low zooms, where the city has fewer tiles). */
const TILES_PER_ZOOM = 16;
const ROUNDS = 5;
const CANNON_SECONDS = 5;
const CONNECTIONS = 100;
const LAYER_LIST = TILE_LAYERS.map((l) => l.id).join(',');

type Tile = [z: number, x: number, y: number];

/** Child process roles: a tile server or a bare server, reporting its port over IPC. */
async function runChild(role: string): Promise<void> {
  // The benchmark process owns us: when it goes, we go.
  process.on('disconnect', () => process.exit(0));
  if (role === 'tiles') {
    const db = await openDatabase({ databaseUrl: process.env.BENCH_DATABASE_URL, dataDir: undefined, poolSize: 10 });
    const service = await createTileService(db, createDataChanges(), { cacheBytes: Number(process.env.BENCH_CACHE_BYTES) });
    const app = new Hono();
    app.onError(handleError(silentLogger));
    app.notFound(handleNotFound);
    app.route('/', tileRoutes(service));
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => process.send!({ port: info.port }));
    (server as import('node:http').Server).keepAliveTimeout = 60_000;
  } else {
    // The bare reference: a Map from path to bytes, answered with node:http alone.
    const bodies = new Map<string, { body: Uint8Array; gzip: Uint8Array }>();
    process.on('message', (m: { tiles: [string, Uint8Array, Uint8Array][] }) => {
      for (const [path, body, gz] of m.tiles) bodies.set(path, { body, gzip: gz });
      const server = createServer((req, res) => {
        const entry = bodies.get(req.url ?? '');
        if (!entry) {
          res.writeHead(404).end();
          return;
        }
        const gzip = /gzip/.test(req.headers['accept-encoding'] ?? '');
        const body = gzip ? entry.gzip : entry.body;
        res.writeHead(200, {
          'Content-Type': 'application/vnd.mapbox-vector-tile',
          'Content-Length': body.byteLength,
          ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
        });
        res.end(body);
      });
      server.keepAliveTimeout = 60_000;
      server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
    });
    process.send!({ ready: true });
  }
}

function startChild(role: string, env: Record<string, string>): Promise<{ child: ChildProcess; port: number; send(m: unknown): void }> {
  return new Promise((resolve, reject) => {
    const child = fork(SELF, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env, TILES_BENCH_ROLE: role },
      serialization: 'advanced',
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`${role} server exited (${code})`)));
    child.on('message', (m: { port?: number; ready?: boolean }) => {
      if (m.port) resolve({ child, port: m.port, send: (x) => child.send(x as never) });
      if (m.ready) resolve({ child, port: 0, send: (x) => child.send(x as never) });
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  child.removeAllListeners('exit');
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function freshDatabase(baseUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A fixed set of tiles: where seeded-random household units are, at each zoom. */
function pickTiles(lon: Float64Array, lat: Float64Array): Tile[] {
  const random = seededRandom(42);
  const seen = new Set<string>();
  const tiles: Tile[] = [];
  for (const z of ZOOMS) {
    for (let i = 0; i < TILES_PER_ZOOM; i++) {
      const k = Math.floor(random() * lon.length);
      const tile: Tile = [z, Math.floor(lonToTileX(lon[k]!, z)), Math.floor(latToTileY(lat[k]!, z))];
      const key = tile.join('/');
      if (!seen.has(key)) {
        seen.add(key);
        tiles.push(tile);
      }
    }
  }
  return tiles;
}

const tilePath = ([z, x, y]: Tile) => `/tiles/${LAYER_LIST}/${z}/${x}/${y}.mvt`;

/**
 * GETs a tile with node:http over one keep-alive socket: a lean client, so
 * the figure is the server's time and not fetch()'s own (about 0.5 ms more
 * per request here).
 */
function fetchTile(base: string, tile: Tile, headers: Record<string, string> = {}): Promise<Uint8Array> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    get({ host: url.hostname, port: url.port, path: tilePath(tile), headers, agent: keepAlive }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        if (res.statusCode !== 200 && res.statusCode !== 204) reject(new Error(`${tilePath(tile)}: ${res.statusCode}`));
        else resolve(new Uint8Array(Buffer.concat(chunks)));
      });
      res.on('error', reject);
    }).on('error', reject);
  });
}

const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });

function report(label: string, samples: number[]): string {
  const s = summarize(samples);
  return `${label.padEnd(30)} min ${formatMs(s.min).padStart(9)}  mean ${formatMs(s.mean).padStart(9)}  p50 ${formatMs(s.p50).padStart(9)}  p95 ${formatMs(s.p95).padStart(9)}`;
}

async function benchUncached(url: string, tiles: Tile[]): Promise<void> {
  const server = await startChild('tiles', { BENCH_DATABASE_URL: url, BENCH_CACHE_BYTES: '0' });
  const base = `http://127.0.0.1:${server.port}`;
  const direct = new pg.Client({ connectionString: url });
  await direct.connect();
  // Exactly the statement the server runs for the tile: the functions of the layers shown at its zoom.
  const viaPg = async ([z, x, y]: Tile) => {
    const layers = layersAtZoom(TILE_LAYERS, z);
    if (layers.length === 0) return Buffer.alloc(0);
    return (await direct.query(serverTileSql(layers), [z, x, y, '{}'])).rows[0].mvt as Buffer;
  };
  const bare = await startChild('bare', {});
  try {
    // Warm-up: plans, shared buffers, both paths, and a size check that they agree.
    let bytes = 0;
    const entries: [string, Uint8Array, Uint8Array][] = [];
    for (const tile of tiles) {
      const a = await viaPg(tile);
      const b = await fetchTile(base, tile);
      if (a.byteLength !== b.byteLength) throw new Error(`${tilePath(tile)}: ${a.byteLength} bytes through pg, ${b.byteLength} from the server`);
      bytes += b.byteLength;
      entries.push([tilePath(tile), b, b]);
    }
    // The HTTP hop alone: a bare node:http server answering the same bytes from memory.
    const bareReady = new Promise<number>((resolve) => bare.child.on('message', (m: { port?: number }) => m.port && resolve(m.port)));
    bare.send({ tiles: entries });
    const bareBase = `http://127.0.0.1:${await bareReady}`;
    const ours: number[] = [];
    const ref: number[] = [];
    const perTile = new Map<string, { z: number; ours: number[]; ref: number[]; hop: number[] }>();
    const who3 = ['ref', 'ours', 'hop'] as const;
    const random = seededRandom(1013);
    for (let round = 0; round < ROUNDS; round++) {
      for (const tile of tiles) {
        const t = perTile.get(tilePath(tile)) ?? { z: tile[0], ours: [], ref: [], hop: [] };
        perTile.set(tilePath(tile), t);
        // A seeded random order per tile: with a fixed rotation each contender always follows the same other one.
        const order = [...who3];
        for (let k = order.length - 1; k > 0; k--) {
          const j = Math.floor(random() * (k + 1));
          [order[k], order[j]] = [order[j]!, order[k]!];
        }
        for (const who of order) {
          const t0 = performance.now();
          if (who === 'ref') await viaPg(tile);
          else await fetchTile(who === 'ours' ? base : bareBase, tile);
          const ms = performance.now() - t0;
          t[who].push(ms);
          if (who === 'ours') ours.push(ms);
          if (who === 'ref') ref.push(ms);
        }
      }
    }
    const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);
    const min = (a: number[]) => Math.min(...a);
    console.log(`(a) uncached tiles, all ${TILE_LAYERS.length} layers, ${tiles.length} tiles at z${ZOOMS[0]}-z${ZOOMS.at(-1)} x ${ROUNDS} rounds, mean ${(bytes / tiles.length / 1024).toFixed(1)} KB`);
    console.log('  ' + report('server over HTTP (no cache)', ours));
    console.log('  ' + report('same SQL through pg', ref));
    const zooms = [...new Set([...perTile.values()].map((t) => t.z))].sort((a, b) => a - b);
    const byZoom = (z: number) => [...perTile.values()].filter((t) => t.z === z);
    // Mean: what a client sees on this machine, noise included; per-tile minimum: the cost itself (noise is only ever added).
    const ratio = (f: (a: number[]) => number) => zooms.map((z) => `z${z} ${(sum(byZoom(z).map((t) => f(t.ours))) / sum(byZoom(z).map((t) => f(t.ref)))).toFixed(2)}`).join('  ');
    const meanOf = (a: number[]) => sum(a) / a.length;
    /** Per zoom: the sum over its tiles of one contender's per-tile minimum. */
    const minSum = (z: number, who: 'ours' | 'ref' | 'hop') => sum(byZoom(z).map((t) => min(t[who])));
    const perZoom = (f: (z: number) => number) => zooms.map((z) => `z${z} ${f(z).toFixed(2)}`).join('  ');
    console.log(`  per zoom, server/pg, mean time:        ${ratio(meanOf)}`);
    console.log(`  per zoom, server/pg, per-tile minimum: ${ratio(min)}`);
    console.log(`  per zoom, the HTTP hop alone (bare node:http, same bytes), per-tile minimum, ms: ${perZoom((z) => minSum(z, 'hop') / byZoom(z).length)}`);
    // What a server with no cost of its own would score: the SQL plus the bare hop, over the SQL (per-tile minimums).
    console.log(`  per zoom, a server that costs nothing (pg + the hop alone)/pg, per-tile minimum: ${perZoom((z) => (minSum(z, 'ref') + minSum(z, 'hop')) / minSum(z, 'ref'))}`);
    console.log(`  per zoom, same SQL through pg, per-tile minimum, ms: ${perZoom((z) => minSum(z, 'ref') / byZoom(z).length)}`);
    console.log(`  ratio server/pg (total time per tile): ${(sum(ours) / sum(ref)).toFixed(3)}   (target <= 1.2; z15-z16 <= 1.3)`);
  } finally {
    await direct.end();
    await stopChild(server.child);
    await stopChild(bare.child);
  }
}

interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

async function cannon(base: string, paths: string[], headers: Record<string, string>): Promise<CannonResult> {
  const { default: autocannon } = (await import('autocannon' as string)) as { default: (o: unknown) => Promise<CannonResult> };
  return autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: CANNON_SECONDS,
    pipelining: 1,
    headers,
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
}

async function benchCached(url: string, tiles: Tile[]): Promise<void> {
  const ours = await startChild('tiles', { BENCH_DATABASE_URL: url, BENCH_CACHE_BYTES: String(512 * 1024 * 1024) });
  const bare = await startChild('bare', {});
  try {
    const oursBase = `http://127.0.0.1:${ours.port}`;
    // Fill our cache (both encodings) and collect the bytes for the bare server.
    const entries: [string, Uint8Array, Uint8Array][] = [];
    const nonEmpty: Tile[] = [];
    for (const tile of tiles) {
      const body = await fetchTile(oursBase, tile);
      await fetchTile(oursBase, tile, { 'accept-encoding': 'gzip' });
      if (body.byteLength === 0) continue;
      nonEmpty.push(tile);
      entries.push([tilePath(tile), body, gzipSync(body, { level: 6 })]);
    }
    const bareReady = new Promise<number>((resolve) => bare.child.on('message', (m: { port?: number }) => m.port && resolve(m.port)));
    bare.send({ tiles: entries });
    const bareBase = `http://127.0.0.1:${await bareReady}`;
    const paths = nonEmpty.map(tilePath);
    console.log(`(b) cached tiles, ${paths.length} tiles round-robin, autocannon ${CONNECTIONS} connections, keep-alive, ${CANNON_SECONDS} s each`);
    for (const [label, headers] of [['identity', {}], ['gzip', { 'accept-encoding': 'gzip' }]] as const) {
      await cannon(oursBase, paths, headers); // warm-up, untimed: JIT and sockets
      const a = await cannon(oursBase, paths, headers);
      const b = await cannon(bareBase, paths, headers);
      const show = (name: string, r: CannonResult) =>
        `${name.padEnd(22)} ${r.requests.average.toFixed(0).padStart(7)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  non-2xx ${r.non2xx}  errors ${r.errors}`;
      console.log(`  ${label}:`);
      console.log('    ' + show('our server (cached)', a));
      console.log('    ' + show('bare node:http', b));
      console.log(`    ratio ours/bare: ${(a.requests.average / b.requests.average).toFixed(3)}   (target >= 0.7)`);
    }
  } finally {
    await stopChild(ours.child);
    await stopChild(bare.child);
  }
}

/** Entry point for bench/run.ts. */
export async function runTilesBench(): Promise<void> {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    console.log('skipped: the tile benchmark needs a PostGIS server; set DATABASE_URL (e.g. postgres://postgres:postgres@localhost:5432/postgres)');
    return;
  }
  const database = await freshDatabase(baseUrl, `lc_bench_tiles_${process.pid}`);
  try {
    const bundle = generateDemoCity();
    const db = await openDatabase({ databaseUrl: database.url, dataDir: undefined });
    try {
      await writeBundle(db, bundle);
      await db.exec('ANALYZE');
    } finally {
      await db.close();
    }
    const tiles = pickTiles(bundle.households.lon, bundle.households.lat);
    console.log(`demo city: ${bundle.households.count} household units, ${bundle.network.edgeCount} walk edges, ${bundle.buildings.length} buildings`);
    await benchUncached(database.url, tiles);
    await benchCached(database.url, tiles);
  } finally {
    keepAlive.destroy();
    await database.drop();
  }
}

if (process.env.TILES_BENCH_ROLE) {
  runChild(process.env.TILES_BENCH_ROLE).catch((error: Error) => {
    process.stderr.write(`tiles bench ${process.env.TILES_BENCH_ROLE} server failed: ${error.stack}\n`);
    process.exit(1);
  });
}
