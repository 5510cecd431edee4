/**
 * Site suggestions over HTTP, and what they cost everyone else: the whole
 * app on the benchmark's store (demo city), the tile cache off so every
 * tile is made again. Measured through app.http.request, in one run:
 *   - POST /api/plan/suggest {k: 10}: the first (worker start and network
 *     sent), then the next ones (greedy), and one exact solve;
 *   - the p50 and p99 of isochrone and tile requests idle, and while
 *     suggestions run back to back in the worker (target: p99 at most 2x
 *     idle): the same seeded requests in the same order, in rounds that
 *     alternate idle and busy.
 */
import { createApp } from '../server/app.ts';
import { silentLogger } from '../server/logger.ts';
import { latToTileY, lonToTileX } from '../server/tiles/tile-envelope.ts';
import type { Database } from '../kernel/db/database.ts';
import { formatMs, formatSummary, seededRandom, summarize } from './stats.ts';

/** Requests of each kind per phase, and idle/busy rounds. */
const REQUESTS = 300;
const ROUNDS = 4;
const print = (label: string, text: string) => console.log(`${label.padEnd(44)} ${text}`);

export async function runSuggestLoadBench(db: Database, bounds: readonly [number, number, number, number]): Promise<void> {
  const app = await createApp({ db, logger: silentLogger, dataDir: undefined, tiles: { cacheBytes: 0 } });
  try {
    await app.idle();
    const post = async (body: unknown) => {
      const t0 = performance.now();
      const res = await app.http.request('/api/plan/suggest', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const answer = (await res.json()) as { sites: unknown[]; bound: { gap: number }; status: string; timings_ms: Record<string, number> };
      if (res.status !== 200) throw new Error(`suggest answered ${res.status}: ${JSON.stringify(answer)}`);
      return { ms: performance.now() - t0, answer };
    };
    const first = await post({ k: 10 });
    print('POST /api/plan/suggest k=10, first', `${formatMs(first.ms)} (worker start and network sent: ${formatMs(first.answer.timings_ms.waiting!)})`);
    const next: number[] = [];
    for (let i = 0; i < 5; i++) next.push((await post({ k: 10 })).ms);
    print('POST /api/plan/suggest k=10, greedy', `${formatSummary(summarize(next))}  gap ${(100 * first.answer.bound.gap).toFixed(2)}%`);
    const exact = await post({ k: 10, method: 'exact' });
    print('POST /api/plan/suggest k=10, exact', `${formatMs(exact.ms)} (${exact.answer.status})`);

    // The same seeded isochrone origins and tiles for both phases.
    const random = seededRandom(99);
    const [x0, y0, x1, y1] = bounds;
    const requests = Array.from({ length: REQUESTS }, () => {
      const lon = x0 + (0.2 + 0.6 * random()) * (x1 - x0);
      const lat = y0 + (0.2 + 0.6 * random()) * (y1 - y0);
      const z = 15;
      return {
        isochrone: `/api/isochrone?lon=${lon.toFixed(5)}&lat=${lat.toFixed(5)}&minutes=15`,
        tile: `/tiles/households/${z}/${Math.floor(lonToTileX(lon, z))}/${Math.floor(latToTileY(lat, z))}.mvt`,
      };
    });
    const times = { idle: { isochrone: [] as number[], tile: [] as number[] }, busy: { isochrone: [] as number[], tile: [] as number[] } };
    const phase = async (into: { isochrone: number[]; tile: number[] }) => {
      for (const r of requests) {
        for (const kind of ['isochrone', 'tile'] as const) {
          const t0 = performance.now();
          const res = await app.http.request(r[kind]);
          await res.arrayBuffer();
          // Answers other than 200 (204 for an empty tile, 422 off the network) are timed as they are.
          into[kind].push(performance.now() - t0);
        }
      }
    };
    await phase({ isochrone: [], tile: [] }); // warm-up
    let suggestions = 0;
    // Idle and busy alternate, so that drift on a shared machine falls on both alike.
    for (let round = 0; round < ROUNDS; round++) {
      await phase(times.idle);
      let running = true;
      const background = (async () => {
        while (running) {
          await post({ k: 10 });
          suggestions++;
        }
      })();
      await phase(times.busy);
      running = false;
      await background;
    }
    for (const kind of ['isochrone', 'tile'] as const) {
      const idle = summarize(times.idle[kind]);
      const busy = summarize(times.busy[kind]);
      print(`${kind} requests, idle`, `${formatSummary(idle)}  p99 ${formatMs(idle.p99)}`);
      print(`  while suggestions run (${suggestions} done)`, `${formatSummary(busy)}  p99 ${formatMs(busy.p99)}`);
      const ratio = busy.p99 / idle.p99;
      print('  p99 ratio', `${ratio.toFixed(2)}x, p50 ${(busy.p50 / idle.p50).toFixed(2)}x (target p99 <= 2x: ${ratio <= 2 ? 'met' : 'NOT met'})`);
    }
  } finally {
    await app.close();
  }
}
