/**
 * Scale-out benchmark (npm run bench -- scale), on the deployment of
 * docs/scale-out.md started on loopback ports (test/scale-out-cluster.ts: a
 * private primary and a pg_basebackup replica, two instances reading from
 * it, nginx with deploy/nginx/ in front) with the demo city:
 *
 * (a) cached tiles at TileJSON's versioned URLs: requests per second
 *     (autocannon) through nginx (its cache) against straight to one
 *     instance (its memory cache), and nginx's hit ratio from its access log;
 * (b) uncached tiles (plain URLs, tiles nobody asked for before) and
 * (c) isochrones (points nobody asked for before): one instance behind
 *     nginx against two;
 * (d) a center moved and renamed through instance A until the first tile
 *     through nginx shows it: at the plain URL polled, and the way a map does it
 *     (B's event stream, then TileJSON's new URL), p50 and p95.
 *
 * Needs root, the PostgreSQL 15 binaries with PostGIS and nginx, as the
 * scale-out test does; says so and skips otherwise. On a 2-core machine
 * nginx, both instances, PostgreSQL twice and this client share the cores:
 * two instances cannot double anything there, and the figures say so.
 */
import { generateDemoCity } from '../data-pipeline/demo-city/generate-demo-city.ts';
import { writeBundle } from '../data-pipeline/write-bundle.ts';
import { TILE_LAYERS } from '../server/tiles/layers.ts';
import { latToTileY, lonToTileX } from '../server/tiles/tile-envelope.ts';
import { decodeTile } from '../test/tiles-fixture.ts';
import { scaleOutUnavailable, startScaleOut, waitUntil, type ScaleOut } from '../test/scale-out-cluster.ts';
import { runLoad, type LoadRequest, type LoadResult } from './load-generator.ts';
import { formatMs, seededRandom, summarize } from './stats.ts';

const ALL_LAYERS = TILE_LAYERS.map((l) => l.id).join(',');
/** Another layer list for the uncached runs, so nothing of (a) is in any cache. */
const UNCACHED_LAYERS = 'grids,centers,households,streets,buildings';
const GZIP = { 'accept-encoding': 'gzip' };
const CACHED_SECONDS = 5;
const CANNON_CONNECTIONS = 50;
const UNCACHED_SECONDS = 8;
const CHANGES = 20;

type Tile = [z: number, x: number, y: number];

/** Every tile at zoom z with a household unit in it, in a seeded order. */
function everyHouseholdTile(lon: Float64Array, lat: Float64Array, zooms: readonly number[], seed: number): Tile[] {
  const seen = new Set<string>();
  const tiles: Tile[] = [];
  for (const z of zooms) {
    for (let k = 0; k < lon.length; k++) {
      const tile: Tile = [z, Math.floor(lonToTileX(lon[k]!, z)), Math.floor(latToTileY(lat[k]!, z))];
      const key = tile.join('/');
      if (!seen.has(key)) {
        seen.add(key);
        tiles.push(tile);
      }
    }
  }
  const random = seededRandom(seed);
  for (let i = tiles.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [tiles[i], tiles[j]] = [tiles[j]!, tiles[i]!];
  }
  return tiles;
}

/** Distinct tiles at `zooms` where household units are, in a seeded order. */
function householdTiles(lon: Float64Array, lat: Float64Array, zooms: readonly number[], perZoom: number, seed: number): Tile[] {
  const random = seededRandom(seed);
  const seen = new Set<string>();
  const tiles: Tile[] = [];
  for (const z of zooms) {
    for (let tries = 0, got = 0; got < perZoom && tries < perZoom * 20; tries++) {
      const k = Math.floor(random() * lon.length);
      const tile: Tile = [z, Math.floor(lonToTileX(lon[k]!, z)), Math.floor(latToTileY(lat[k]!, z))];
      if (seen.has(tile.join('/'))) continue;
      seen.add(tile.join('/'));
      tiles.push(tile);
      got++;
    }
  }
  return tiles;
}

const port = (url: string) => Number(new URL(url).port);

/** Requests per second and latency of one load run. */
function show(label: string, r: LoadResult): string {
  const ms = [...r.byRoute.values()].flatMap((f) => f.ms);
  const s = summarize(ms);
  return `${label.padEnd(34)} ${(r.requests / r.seconds).toFixed(0).padStart(6)} req/s  p50 ${formatMs(s.p50).padStart(9)}  p99 ${formatMs(s.p99).padStart(9)}  errors ${r.errors}`;
}

/** A closed loop of `connections` over `requests`, round and round for `seconds`, or once through them without. */
function load(base: string, connections: number, requests: LoadRequest[], seconds?: number): Promise<LoadResult> {
  let i = 0;
  return runLoad({
    host: '127.0.0.1',
    port: port(base),
    connections,
    seconds,
    next: () => (seconds === undefined && i >= requests.length ? undefined : requests[i++ % requests.length]),
  });
}

interface CannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

/** autocannon (lighter per request than the closed-loop generator, which a cache answering from memory outruns). */
async function cannon(base: string, paths: string[], seconds: number): Promise<CannonResult> {
  const { default: autocannon } = (await import('autocannon' as string)) as { default: (o: unknown) => Promise<CannonResult> };
  return autocannon({ url: base, connections: CANNON_CONNECTIONS, duration: seconds, headers: GZIP, requests: paths.map((path) => ({ method: 'GET', path })) });
}

/** Cache statuses of nginx's access log lines after `from` for paths starting with `prefix`. */
function cacheStatuses(s: ScaleOut, from: number, prefix: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of s.accessLog().slice(from).split('\n')) {
    if (!line.includes(`"GET ${prefix}`)) continue;
    const status = /cache=(\S+)/.exec(line)?.[1] ?? '-';
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  return counts;
}

async function benchCached(s: ScaleOut, tiles: Tile[]): Promise<void> {
  const [a] = s.instances;
  const tileJson = (await (await fetch(`${s.nginxUrl}/tiles/${ALL_LAYERS}.json`)).json()) as { tiles: string[] };
  const version = new URL(tileJson.tiles[0]!.replace('{z}/{x}/{y}', '0/0/0')).searchParams.get('v')!;
  // Households tiles are final once the first coverage write-back (every unit, on a fresh import) is done on every instance.
  const [z0, x0, y0] = tiles[0]!;
  for (const instance of s.instances) {
    await waitUntil(`instance ${instance.name}'s coverage write-back`, 300_000, async () => {
      const res = await fetch(`${instance.url}/tiles/households/${z0}/${x0}/${y0}.mvt?v=${version}`);
      await res.arrayBuffer();
      return res.headers.get('cache-control')?.includes('immutable') ? true : undefined;
    });
  }
  const paths: string[] = [];
  for (const [z, x, y] of tiles) {
    const path = `/tiles/${ALL_LAYERS}/${z}/${x}/${y}.mvt?v=${version}`;
    // Warm both caches: nginx's (twice: a miss stores it) and instance A's memory.
    const res = await fetch(s.nginxUrl + path, { headers: GZIP });
    await res.arrayBuffer();
    if (res.status !== 200) continue;
    await (await fetch(s.nginxUrl + path, { headers: GZIP })).arrayBuffer();
    await (await fetch(a!.url + path, { headers: GZIP })).arrayBuffer();
    paths.push(path);
  }
  await cannon(s.nginxUrl, paths, 1); // warm-up: sockets, JIT
  const logFrom = s.accessLog().length;
  const viaNginx = await cannon(s.nginxUrl, paths, CACHED_SECONDS);
  const statuses = cacheStatuses(s, logFrom, '/tiles/');
  await cannon(a!.url, paths, 1);
  const direct = await cannon(a!.url, paths, CACHED_SECONDS);
  const total = [...statuses.values()].reduce((x, y) => x + y, 0);
  const line = (label: string, r: CannonResult) =>
    `${label.padEnd(34)} ${r.requests.average.toFixed(0).padStart(6)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  non-2xx ${r.non2xx}  errors ${r.errors}`;
  console.log(`(a) cached tiles: ${paths.length} tiles (all ${TILE_LAYERS.length} layers, z12-z16, gzip) at TileJSON's URLs (?v=${version}), autocannon ${CANNON_CONNECTIONS} connections, ${CACHED_SECONDS} s each`);
  console.log('  ' + line('through nginx (its cache)', viaNginx));
  console.log('  ' + line('straight to instance A (memory)', direct));
  console.log(`  ratio nginx/instance: ${(viaNginx.requests.average / direct.requests.average).toFixed(2)}`);
  console.log(`  nginx cache during the run: ${[...statuses].map(([k, v]) => `${k} ${v}`).join(', ')}; hit ratio ${((statuses.get('HIT') ?? 0) / Math.max(1, total)).toFixed(4)}`);
}

/** Splits `items` into `n` interleaved parts of about the same mix. */
const deal = <T>(items: readonly T[], n: number): T[][] => Array.from({ length: n }, (_, k) => items.filter((_, i) => i % n === k));

async function benchUncached(s: ScaleOut, tiles: Tile[], points: [number, number][]): Promise<void> {
  const [a, b] = s.instances;
  // One instance, two, one, two: each run on tiles and points of its own, asked for once (no cache anywhere has them).
  const runs: [string, typeof s.instances][] = [
    ['one instance', [a!]],
    ['two instances', [a!, b!]],
    ['one instance', [a!]],
    ['two instances', [a!, b!]],
  ];
  const tileParts = deal(tiles, runs.length);
  const pointParts = deal(points, runs.length);
  console.log(
    `(b) uncached tiles (${UNCACHED_LAYERS}, z15-z16, ${tileParts[0]!.length} per run, plain URLs: nginx passes them on) and ` +
      `(c) isochrones (5, 10, 15 min, up to ${UNCACHED_SECONDS} s per run), each asked for once, through nginx, 8 connections`,
  );
  for (const [k, [label, which]] of runs.entries()) {
    await s.useInstances(which);
    const tileRequests = tileParts[k]!.map(([z, x, y]) => ({ route: 'tile', path: `/tiles/${UNCACHED_LAYERS}/${z}/${x}/${y}.mvt`, headers: GZIP }));
    const tilesRun = await load(s.nginxUrl, 8, tileRequests);
    const isoRequests = pointParts[k]!.map(([lon, lat]) => ({ route: 'isochrone', path: `/api/isochrone?lon=${lon.toFixed(6)}&lat=${lat.toFixed(6)}&minutes=5,10,15` }));
    let i = 0;
    const isoRun = await runLoad({ host: '127.0.0.1', port: port(s.nginxUrl), connections: 8, seconds: UNCACHED_SECONDS, next: () => isoRequests[i++] });
    console.log('  ' + show(`uncached tiles, ${label}`, tilesRun));
    console.log('  ' + show(`isochrones, ${label}`, isoRun));
  }
  await s.useInstances(s.instances);
}

/** Follows B's /api/events, resolving `waitFor(version)` once a change with it (or any change, for '') arrives. */
function followEvents(base: string) {
  const seen = new Map<string, number>();
  const abort = new AbortController();
  void fetch(`${base}/api/events`, { signal: abort.signal })
    .then(async (res) => {
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += decoder.decode(value, { stream: true });
        for (const m of text.matchAll(/event: change\ndata: (.*)\n\n/g)) {
          const change = JSON.parse(m[1]!) as { version: string; layers?: string[] };
          if (change.layers?.includes('centers') && !seen.has(change.version)) seen.set(change.version, performance.now());
        }
        text = text.slice(text.lastIndexOf('\n\n') + 2);
      }
    })
    .catch(() => {});
  return { seen, close: () => abort.abort() };
}

async function benchChanges(s: ScaleOut): Promise<void> {
  const [a, b] = s.instances;
  const centers = ((await (await fetch(`${s.nginxUrl}/api/centers`)).json()) as { centers: { id: number; lon: number; lat: number }[] }).centers;
  const center = centers[Math.floor(centers.length / 2)]!;
  const tile = `14/${Math.floor(lonToTileX(center.lon, 14))}/${Math.floor(latToTileY(center.lat, 14))}`;
  const names = async (path: string) => {
    const res = await fetch(s.nginxUrl + path);
    return res.status === 200 ? (decodeTile(new Uint8Array(await res.arrayBuffer())).centers?.features ?? []).map((f) => f.properties.name) : [];
  };
  const events = followEvents(b!.url);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const polled: number[] = [];
  const viaEvent: number[] = [];
  const eventAt: number[] = [];
  const answered: number[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const name = `Bench move ${i} ${Date.now()}`;
    // Moved back and forth by about 50 m (within its tile) and renamed: coverage is recomputed and written back as after any move.
    const lon = center.lon + (i % 2 === 0 ? 0.0005 : 0);
    const sent = performance.now();
    const res = await fetch(`${a!.url}/api/centers/${center.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
      body: JSON.stringify({ name, lon, lat: center.lat }),
    });
    if (res.status !== 200) throw new Error(`PATCH answered ${res.status}: ${await res.text()}`);
    answered.push(performance.now() - sent);
    // Two clients at once, each timed from the same moment: one polling the
    // plain URL through nginx, and a map (B's event, then TileJSON's new URL).
    const poll = async () => {
      while (!(await names(`/tiles/centers/${tile}.mvt`)).includes(name)) await new Promise((resolve) => setTimeout(resolve, 2));
      polled.push(performance.now() - sent);
    };
    const map = async () => {
      let arrived: number | undefined;
      for (let k = 0; k < 2000 && arrived === undefined; k++) {
        arrived = [...events.seen.values()].find((t) => t >= sent);
        if (arrived === undefined) await new Promise((resolve) => setTimeout(resolve, 2));
      }
      if (arrived === undefined) throw new Error('no change event from B');
      eventAt.push(arrived - sent);
      const template = ((await (await fetch(`${s.nginxUrl}/tiles/centers.json`)).json()) as { tiles: string[] }).tiles[0]!;
      const url = new URL(template.replace('{z}/{x}/{y}', tile));
      if (!(await names(url.pathname + url.search)).includes(name)) throw new Error(`the tile at TileJSON's URL after B's event does not show ${name}`);
      viaEvent.push(performance.now() - sent);
    };
    await Promise.all([poll(), map()]);
    for (const [v, t] of events.seen) if (t < sent) events.seen.delete(v);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  events.close();
  const line = (label: string, samples: number[]) => {
    const sm = summarize(samples);
    return `  ${label.padEnd(52)} p50 ${formatMs(sm.p50).padStart(9)}  p95 ${formatMs(sm.p95).padStart(9)}  max ${formatMs(sm.max).padStart(9)}`;
  };
  console.log(`(d) a center moved (and renamed) through instance A, ${CHANGES} times, until the first fresh tile through nginx (healthy replica; target p95 < 1 s)`);
  console.log(line("A's answer to the PATCH", answered));
  console.log(line('plain URL polled through nginx', polled));
  console.log(line("B's event stream announces it", eventAt));
  console.log(line("B's event, then the tile at TileJSON's new URL", viaEvent));
}

/** Entry point for bench/run.ts. */
export async function runScaleBench(): Promise<void> {
  const reason = scaleOutUnavailable();
  if (reason) {
    console.log(`skipped: ${reason}`);
    return;
  }
  const bundle = generateDemoCity();
  const started = performance.now();
  const s = await startScaleOut({
    city: async (db) => {
      await writeBundle(db, bundle);
      await db.exec('ANALYZE');
    },
    env: { PG_POOL_SIZE: '8' },
    readyTimeoutMs: 300_000,
  });
  try {
    console.log(`demo city (${bundle.households.count} household units) on a primary, a pg_basebackup replica, 2 instances and nginx: up in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const { lon, lat } = bundle.households;
    await benchCached(s, householdTiles(lon, lat, [12, 13, 14, 15, 16], 16, 42));
    const random = seededRandom(7);
    const points = Array.from({ length: 12_000 }, () => {
      const k = Math.floor(random() * lon.length);
      return [lon[k]!, lat[k]!] as [number, number];
    });
    await benchUncached(s, everyHouseholdTile(lon, lat, [15, 16], 99), points);
    await benchChanges(s);
  } finally {
    await s.dispose();
  }
}
