import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../test/backends.ts';
import { storeSmallCity } from '../../test/tiles-fixture.ts';
import { createApp, type App } from '../app.ts';
import { silentLogger } from '../logger.ts';
import { createDataChanges } from '../events/data-changes.ts';
import { layerIndex, TILE_LAYERS } from './layers.ts';
import type { TileService } from './tile-service.ts';
import { FIRST_VIEW_LAYER_SETS, firstViewTiles, fitZoom, startTileWarmer } from './tile-warmer.ts';
import { bearer, testToken } from '../../test/auth-fixture.ts';

/** The client's two sources, read from the client itself (plain JS, loaded as is). */
const client = (await import(new URL('../../client/map-style.js', import.meta.url).href)) as { BASEMAP_LAYERS: string[]; OVERLAY_LAYERS: string[] };

const PUTIAN: [number, number, number, number] = [118.62, 25.1, 119.32, 25.72];

describe('first view', () => {
  it('asks for the tiles of the sources the client has', () => {
    expect(FIRST_VIEW_LAYER_SETS).toEqual([client.BASEMAP_LAYERS.join(','), client.OVERLAY_LAYERS.join(',')]);
  });

  it('fits the bounds as MapLibre does: twice the viewport is one zoom more', () => {
    const z = fitZoom(PUTIAN, { width: 1440, height: 900 });
    expect(z).toBeGreaterThan(8);
    expect(z).toBeLessThan(10);
    expect(fitZoom(PUTIAN, { width: 2840, height: 1760 }) - z).toBeCloseTo(1, 1);
  });

  it('takes the opening zoom (never below the grids) and the next, from the center out', () => {
    const tiles = firstViewTiles(PUTIAN, 10, 16, { width: 1440, height: 900 });
    const zooms = [...new Set(tiles.map(([z]) => z))];
    expect(zooms).toEqual([10, 11]);
    // 1440x900 px at zoom 10 spans 2.8x1.8 tiles of 512 px: at most 4x3 of them at z10, 7x5 at z11.
    expect(tiles.filter(([z]) => z === 10).length).toBeGreaterThanOrEqual(6);
    expect(tiles.filter(([z]) => z === 10).length).toBeLessThanOrEqual(12);
    expect(tiles.filter(([z]) => z === 11).length).toBeLessThanOrEqual(35);
    // The first tile holds the center.
    const [z, x, y] = tiles[0]!;
    const n = 2 ** z;
    const lon = (PUTIAN[0] + PUTIAN[2]) / 2;
    expect(x).toBe(Math.floor(((lon + 180) / 360) * n));
    expect(y).toBeGreaterThan(0);
    // A small city opens at its own, deeper zoom.
    const small = firstViewTiles([7.40, 43.72, 7.44, 43.75], 10, 16, { width: 1440, height: 900 });
    expect(small[0]![0]).toBe(13);
  });
});

describe('startTileWarmer', () => {
  it('lets timers, requests and signals run between tiles, and stops at once', async () => {
    // Like PGlite: each tile is busy work answered in a promise callback, no I/O.
    let made = 0;
    const tiles = {
      index: layerIndex(TILE_LAYERS),
      extent: async () => ({ bounds: PUTIAN, source: null, city: null, version: 'v' }),
      async tile() {
        const until = performance.now() + 10;
        while (performance.now() < until);
        made++;
      },
    } as unknown as TileService;
    const warmer = startTileWarmer(tiles, createDataChanges(), async () => {}, silentLogger, { maxTiles: 64 });
    const started = performance.now();
    // A timer set now fires long before 64 tiles of 10 ms are made.
    const firedAfter = await new Promise<number>((resolve) => setTimeout(() => resolve(performance.now() - started), 20));
    expect(firedAfter).toBeLessThan(200);
    expect(made).toBeLessThan(30);
    await warmer.stop();
    const stoppedAt = made;
    await new Promise((r) => setTimeout(r, 50));
    expect(made).toBe(stoppedAt);
    expect(made).toBeLessThan(64);
  });
});

describe('tile warming on the embedded database', () => {
  let t: TestDatabase;
  let app: App;

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    await storeSmallCity(t.db);
    app = await createApp({ db: t.db, logger: silentLogger, dataDir: undefined, warmTiles: true });
    await app.idle();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  /** The first view's tile URLs, both sources, as the client asks for them. */
  async function firstView(): Promise<string[]> {
    const tileJson = await (await app.http.request(`/tiles/${FIRST_VIEW_LAYER_SETS[1]}.json`)).json();
    const tiles = firstViewTiles(tileJson.bounds, 10, 16, { width: 1440, height: 900 });
    return tiles.slice(0, 4).flatMap(([z, x, y]) => FIRST_VIEW_LAYER_SETS.map((set) => `/tiles/${set}/${z}/${x}/${y}.mvt`));
  }

  const cache = async () => (await (await app.http.request('/health')).json()).tiles.cache as { hits: number; misses: number };

  /** Requests the paths and returns how many were served from the cache, and how many had to be made. */
  async function served(paths: string[]): Promise<{ hits: number; misses: number }> {
    const before = await cache();
    for (const path of paths) expect([200, 204], path).toContain((await app.http.request(path)).status);
    const after = await cache();
    return { hits: after.hits - before.hits, misses: after.misses - before.misses };
  }

  it('has the first view ready before anyone asks', async () => {
    const paths = await firstView();
    expect(paths.length).toBe(8);
    expect(await served(paths)).toEqual({ hits: 8, misses: 0 });
    // The check can tell: a tile outside the first view is made on request.
    expect(await served(['/tiles/grids,households,centers/16/0/0.mvt'])).toEqual({ hits: 0, misses: 1 });
  });

  it('makes them again after a change dropped them', async () => {
    const paths = await firstView();
    const center = await (await app.http.request('/api/centers/1')).json();
    const res = await app.http.request('/api/centers/1', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...bearer(await testToken(t.db)) },
      body: JSON.stringify({ lon: center.lon + 0.001 }),
    });
    expect(res.status).toBe(200);
    const invalidated = (await (await app.http.request('/health')).json()).tiles.cache.invalidated;
    expect(invalidated).toBeGreaterThan(0);
    await app.idle();
    expect(await served(paths)).toEqual({ hits: 8, misses: 0 });
  });
});
