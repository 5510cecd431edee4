/**
 * `npm run bench -- metrics`: what counting requests for GET /metrics costs.
 * Monaco (OSM) in an embedded database, two apps on it, one with
 * METRICS=off (the reference: no middleware, no registry) and one with the
 * default (admin). The same seeded set of cached tiles (z14-z16, all the
 * overlay layers) is asked of both through `app.fetch` (no socket, so the
 * middleware is a visible share of the time: a cached tile is the cheapest
 * answer the server gives), in short alternating batches; per request, the
 * best and the median batch of each, and the median of the ratios of
 * neighbouring batches (each pair saw the same load). Then the scrape itself:
 * time and size of GET /metrics once every route pattern has been hit.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { ingest } from '../data-pipeline/ingest.ts';
import { openDatabase } from '../server/db/open-database.ts';
import { createApp, type App } from '../server/app.ts';
import { silentLogger } from '../server/logger.ts';
import { latToTileY, lonToTileX } from '../server/tiles/tile-envelope.ts';
import { createTokenStore } from '../server/auth/token-store.ts';
import { CLI_ACTOR } from '../server/auth/audit-log.ts';
import { formatMs, seededRandom, summarize } from './stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MONACO = path.resolve(ROOT, '../shared/data/osm/monaco.osm.pbf');
const CENTER: [number, number] = [7.4246, 43.7384];
const TILES = 48;
/** Short batches, alternating between the apps: on a shared machine the load drifts, and pairs of neighbouring batches see the same. */
const BATCHES = 120;
const REQUESTS_PER_BATCH = 400;
const SCRAPES = 50;

/** Seeded tile URLs around Monaco's center, z14-z16. */
function tileUrls(): string[] {
  const random = seededRandom(14);
  const urls = new Set<string>();
  while (urls.size < TILES) {
    const z = 14 + Math.floor(random() * 3);
    const x = Math.floor(lonToTileX(CENTER[0], z)) + Math.floor(random() * 5) - 2;
    const y = Math.floor(latToTileY(CENTER[1], z)) + Math.floor(random() * 5) - 2;
    urls.add(`http://bench/tiles/grids,households,centers/${z}/${x}/${y}.mvt`);
  }
  return [...urls];
}

/** Microseconds per request over `count` requests cycling through `urls`. */
async function round(app: App, urls: readonly string[], count: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const res = await app.http.fetch(new Request(urls[i % urls.length]!));
    await res.arrayBuffer();
  }
  return ((performance.now() - started) * 1000) / count;
}

export async function runMetricsBench(): Promise<void> {
  if (!existsSync(MONACO)) throw new Error(`${MONACO} is missing (../shared/data): the metrics bench runs on Monaco`);
  const db = await openDatabase({ databaseUrl: undefined, dataDir: undefined });
  await ingest(db, { osm: MONACO, city: 'Monaco' });
  const admin = (await createTokenStore(db).create({ role: 'admin', name: 'bench admin' }, CLI_ACTOR)).token;
  const off = await createApp({ db, logger: silentLogger, dataDir: undefined, metrics: { access: { mode: 'off' } } });
  const on = await createApp({ db, logger: silentLogger, dataDir: undefined });
  await Promise.all([off.idle(), on.idle()]);
  const urls = tileUrls();
  // Fill both caches, and warm the code paths.
  for (const app of [off, on]) await round(app, urls, urls.length * 3);

  const samples = { off: [] as number[], on: [] as number[] };
  const ratios: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    // Alternate which goes first, so neither always follows the other's garbage.
    const order = b % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const);
    for (const which of order) samples[which].push(await round(which === 'off' ? off : on, urls, REQUESTS_PER_BATCH));
    ratios.push(samples.on.at(-1)! / samples.off.at(-1)!);
  }
  const s = { off: summarize(samples.off), on: summarize(samples.on), ratio: summarize(ratios) };
  const us = (v: number) => `${v.toFixed(1)} µs`;
  console.log(`cached tiles through app.fetch, ${BATCHES} alternating batches of ${REQUESTS_PER_BATCH} requests over ${urls.length} tiles (per request):`);
  console.log(`  METRICS=off (reference)  best ${us(s.off.min)}  median ${us(s.off.p50)}`);
  console.log(`  METRICS=admin            best ${us(s.on.min)}  median ${us(s.on.p50)}`);
  console.log(`  ratio admin/off: by best batch ${(s.on.min / s.off.min).toFixed(3)}, median of paired batches ${s.ratio.p50.toFixed(3)}; added per request ${us(s.on.min - s.off.min)} (best batches)`);

  // A scrape with realistic series: every status of a few routes besides the tiles.
  for (const p of ['/health', '/api/coverage?level=grid', `/api/nearest?lon=${CENTER[0]}&lat=${CENTER[1]}`, '/api/nearest?lat=999', '/api/centers/999999', '/nope', '/api/openapi.json']) {
    await (await on.http.fetch(new Request(`http://bench${p}`))).arrayBuffer();
  }
  const scrapeMs: number[] = [];
  let bytes = 0;
  let series = 0;
  for (let i = 0; i < SCRAPES; i++) {
    const t0 = performance.now();
    const res = await on.http.fetch(new Request('http://bench/metrics', { headers: { authorization: `Bearer ${admin}` } }));
    const text = await res.text();
    scrapeMs.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}`);
    bytes = Buffer.byteLength(text);
    series = text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
  }
  const scrape = summarize(scrapeMs);
  console.log(`GET /metrics with an admin token, ${SCRAPES} scrapes: p50 ${formatMs(scrape.p50)}  mean ${formatMs(scrape.mean)}  max ${formatMs(scrape.max)}; ${bytes} bytes, ${series} samples`);

  await off.close();
  await on.close();
  await db.close();
}
