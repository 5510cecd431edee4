/**
 * Exact invalidation on both backends: after a center is moved, added or
 * removed through the API, every tile that shows it (at every zoom, alone or
 * with other layers) comes back with its new content and a new ETag at once,
 * while tiles the change does not touch keep their ETag and stay cached. A
 * change that overtakes a tile being loaded never leaves a stale tile behind.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeBundle } from '../data-pipeline/write-bundle.ts';
import { latToTileY, lonToTileX } from '../server/tiles/tile-envelope.ts';
import { describeBackends, openTestDatabase, type TestDatabase } from './backends.ts';
import { decodeTile, smallCityBundle, tileTestApp } from './tiles-fixture.ts';
import { bearer } from './auth-fixture.ts';

/** How far (degrees) the far center is: more than a z8 tile, so no tile from z8 up shows both. */
const FAR_SHIFT = 2;

describeBackends('tile invalidation', (kind) => {
  let t: TestDatabase;
  let app: Awaited<ReturnType<typeof tileTestApp>>;
  const get = (path: string, headers: Record<string, string> = {}) => app.http.request(path, { headers });
  const send = (method: string, path: string, body?: unknown) =>
    app.http.request(path, { method, headers: { 'content-type': 'application/json', ...bearer(app.token) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const tilePath = (layers: string, lon: number, lat: number, z: number) =>
    `/tiles/${layers}/${z}/${Math.floor(lonToTileX(lon, z))}/${Math.floor(latToTileY(lat, z))}.mvt`;
  const etagOf = async (path: string) => (await get(path)).headers.get('etag');
  const centerIds = async (path: string) => {
    const res = await get(path);
    if (res.status === 204) return [];
    return decodeTile(new Uint8Array(await res.arrayBuffer())).centers?.features.map((f) => f.id) ?? [];
  };
  const ZOOMS = [8, 9, 10, 11, 12, 13, 14, 15, 16];

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    // A second center far away, for tiles the changes must not touch.
    const bundle = smallCityBundle();
    bundle.centers.push({ ...bundle.centers[0]!, name: 'Far', lon: bundle.centers[0]!.lon + FAR_SHIFT, lat: bundle.centers[0]!.lat - FAR_SHIFT });
    await writeBundle(t.db, bundle);
    app = await tileTestApp(t.db);
  });
  afterAll(async () => {
    app?.service.close();
    await t?.dispose();
  });

  it('moving a center changes every tile that showed or now shows it, at every zoom, and no other', async () => {
    const center = await (await send('GET', '/api/centers/5')).json();
    const far = (await (await send('GET', '/api/centers')).json()).centers.find((c: { name: string }) => c.name === 'Far');
    const to = { lon: center.lon + 0.004, lat: center.lat + 0.003 };

    const oldTiles = ZOOMS.flatMap((z) => [tilePath('centers', center.lon, center.lat, z), tilePath('grids,centers,streets', center.lon, center.lat, z)]);
    const newTiles = ZOOMS.map((z) => tilePath('centers', to.lon, to.lat, z));
    const farTiles = ZOOMS.map((z) => tilePath('centers', far.lon, far.lat, z));
    const before = new Map<string, string | null>();
    for (const path of [...oldTiles, ...newTiles, ...farTiles]) before.set(path, await etagOf(path));
    for (const path of oldTiles.filter((p) => p.startsWith('/tiles/centers/'))) expect(await centerIds(path), path).toContain(5);

    const res = await send('PATCH', '/api/centers/5', to);
    expect(res.status).toBe(200);

    const hitsBefore = app.service.stats().hits;
    for (const path of farTiles) expect(await etagOf(path), `far ${path}`).toBe(before.get(path));
    // The far tiles were still cached: answered without the database.
    expect(app.service.stats().hits - hitsBefore).toBe(farTiles.length);

    for (const path of oldTiles) {
      const movedAway = !newTiles.includes(path.replace('grids,centers,streets', 'centers'));
      expect(await etagOf(path), `old ${path}`).not.toBe(before.get(path));
      if (movedAway && path.startsWith('/tiles/centers/')) expect(await centerIds(path), path).not.toContain(5);
    }
    for (const path of newTiles) {
      expect(await etagOf(path), `new ${path}`).not.toBe(before.get(path));
      expect(await centerIds(path), path).toContain(5);
    }
  });

  it('a client holding an old ETag gets the new tile, and an add then remove restores the first ETag', async () => {
    const spot = { lon: 119.0085, lat: 25.4405 };
    const paths = ZOOMS.map((z) => tilePath('centers', spot.lon, spot.lat, z));
    const first = new Map<string, string | null>();
    for (const path of paths) first.set(path, await etagOf(path));

    const added = await (await send('POST', '/api/centers', { name: 'Pop-up', kind: 'neighborhood', ...spot })).json();
    for (const path of paths) {
      const res = await get(path, { 'if-none-match': first.get(path) ?? '"none"' });
      expect(res.status, path).toBe(200);
      expect(decodeTile(new Uint8Array(await res.arrayBuffer())).centers!.features.map((f) => f.id)).toContain(added.id);
    }
    expect((await send('DELETE', `/api/centers/${added.id}`)).status).toBe(200);
    for (const path of paths) expect(await etagOf(path), path).toBe(first.get(path));
  });

  it('no stale tile after a change: a load the change overtakes is not cached', async () => {
    const center = await (await send('GET', '/api/centers/7')).json();
    const path = tilePath('centers', center.lon, center.lat, 15);
    const to = { lon: center.lon + 0.01, lat: center.lat };
    // Start loading the (uncached) tile and move the center while it loads.
    const loading = get(path);
    const moved = send('PATCH', '/api/centers/7', to);
    await Promise.all([loading, moved]);
    // Whatever the first request saw, every request after the change sees the center gone.
    expect(await centerIds(path)).not.toContain(7);
    expect(await centerIds(tilePath('centers', to.lon, to.lat, 15))).toContain(7);
  });

  it('a replaced data set drops every tile', async () => {
    const path = tilePath('centers', 119, 25.45, 12);
    const etag = await etagOf(path);
    const bundle = smallCityBundle(99);
    const written = await writeBundle(t.db, bundle);
    await app.changes.publish({ type: 'replaced', version: written.version });
    expect(app.service.stats().entries).toBe(0);
    expect(await etagOf(path)).not.toBe(etag);
  });
});
