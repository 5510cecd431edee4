/**
 * The tile endpoints over HTTP on both backends: catalog and TileJSON, the
 * tile's headers (content type, strong ETag, Cache-Control, Vary, CORS),
 * 304 on If-None-Match, gzip and brotli by Accept-Encoding, 204 for empty
 * tiles, 400 for bad z/x/y and 404 for unknown layers, caching and request
 * coalescing; and the whole app from createApp serving them.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeBundle } from '../data-pipeline/write-bundle.ts';
import { createApp } from '../server/app.ts';
import { createDataChanges } from '../server/events/data-changes.ts';
import { bearer } from './auth-fixture.ts';
import { silentLogger } from '../server/logger.ts';
import { latToTileY, lonToTileX } from '../server/tiles/tile-envelope.ts';
import { describeBackends, openTestDatabase, type TestDatabase } from './backends.ts';
import { decodeTile, SMALL_CITY_CENTER, smallCityBundle, tileTestApp } from './tiles-fixture.ts';

const [LON, LAT] = SMALL_CITY_CENTER;
const tileOf = (z: number) => `${z}/${Math.floor(lonToTileX(LON, z))}/${Math.floor(latToTileY(LAT, z))}`;

describeBackends('tile HTTP', (kind) => {
  let t: TestDatabase;
  let app: Awaited<ReturnType<typeof tileTestApp>>;
  const get = (path: string, headers: Record<string, string> = {}) => app.http.request(path, { headers });

  /** The version whose coverage the test says is written (households and grids tiles are final only there). */
  let coverageAt: string | undefined;

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    await writeBundle(t.db, smallCityBundle());
    app = await tileTestApp(t.db, { versionWaitMs: 400, coverageWritten: () => coverageAt });
  });
  afterAll(async () => {
    app?.service.close();
    await t?.dispose();
  });

  it('lists the layers in the catalog with zooms and typed fields', async () => {
    const res = await get('/tiles/catalog.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = await res.json();
    expect(body.layers.map((l: { id: string }) => l.id)).toEqual(['admin', 'grids', 'centers', 'households', 'streets', 'buildings', 'water']);
    const grids = body.layers.find((l: { id: string }) => l.id === 'grids');
    expect(grids).toMatchObject({ minzoom: 10, maxzoom: 16, geometry_type: 'polygon' });
    expect(grids.fields.officers).toEqual({ type: 'integer', description: expect.any(String) });
    expect(grids.fields.coverage_share.type).toBe('float');
  });

  it('serves TileJSON 3.0.0 for a layer list, with bounds, center and vector_layers', async () => {
    const res = await get('http://tiles.example.org/tiles/grids,centers.json', { 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(200);
    const tj = await res.json();
    expect(tj.tilejson).toBe('3.0.0');
    expect(tj.tiles).toEqual([`https://tiles.example.org/tiles/grids,centers/{z}/{x}/{y}.mvt?v=${app.service.version()}`]);
    expect(tj.minzoom).toBe(8);
    expect(tj.maxzoom).toBe(16);
    expect(tj.bounds[0]).toBeLessThan(LON);
    expect(tj.bounds[2]).toBeGreaterThan(LON);
    expect(tj.bounds[1]).toBeLessThan(LAT);
    expect(tj.bounds[3]).toBeGreaterThan(LAT);
    expect(tj.center[0]).toBeCloseTo(LON, 1);
    expect(tj.center[2]).toBeGreaterThanOrEqual(8);
    expect(tj.vector_layers.map((l: { id: string }) => l.id)).toEqual(['grids', 'centers']);
    expect(tj.vector_layers[0].fields).toMatchObject({ code: 'String', officers: 'Number' });
    expect(tj.attribution).toBeUndefined();
    expect((await get('/tiles/nope.json')).status).toBe(404);
    expect((await get('/tiles/grids.xml')).status).toBe(404);
  });

  it('credits OpenStreetMap in TileJSON when the data came from OSM', async () => {
    await t.db.query("UPDATE data_state SET source = 'osm:monaco.osm.pbf'");
    await app.changes.publish({ type: 'replaced', version: 'osm' });
    const tj = await (await get('/tiles/streets.json')).json();
    expect(tj.attribution).toContain('© OpenStreetMap contributors');
    await t.db.query("UPDATE data_state SET source = 'test:small-city'");
    await app.changes.publish({ type: 'replaced', version: 'test' });
  });

  it('serves a tile with content type, strong ETag, Cache-Control, Vary and CORS', async () => {
    const res = await get(`/tiles/grids,centers,streets/${tileOf(14)}.mvt`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    expect(res.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('content-encoding')).toBeNull();
    const tile = decodeTile(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(tile).sort()).toEqual(['centers', 'grids', 'streets']);
  });

  it('answers 304 to If-None-Match with the ETag, in any encoding, and 200 to another', async () => {
    const path = `/tiles/grids/${tileOf(12)}.mvt`;
    const etag = (await get(path)).headers.get('etag')!;
    const again = await get(path, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    expect(await again.text()).toBe('');
    expect((await get(path, { 'if-none-match': `W/${etag}` })).status).toBe(304);
    expect((await get(path, { 'if-none-match': `"other", ${etag}` })).status).toBe(304);
    expect((await get(path, { 'if-none-match': '*' })).status).toBe(304);
    const gz = await get(path, { 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect(gz.status).toBe(304);
    expect(gz.headers.get('etag')).toBe(etag.replace(/"$/, '-gz"'));
    expect((await get(path, { 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('compresses with gzip or brotli by Accept-Encoding, each with its own ETag', async () => {
    const path = `/tiles/grids,streets,buildings/${tileOf(14)}.mvt`;
    const plain = await get(path);
    const raw = new Uint8Array(await plain.arrayBuffer());
    expect(raw.byteLength).toBeGreaterThan(1000);
    const gz = await get(path, { 'accept-encoding': 'gzip, deflate' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const gzBody = new Uint8Array(await gz.arrayBuffer());
    expect(gzBody.byteLength).toBeLessThan(raw.byteLength);
    expect(new Uint8Array(gunzipSync(gzBody))).toEqual(raw);
    const br = await get(path, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(new Uint8Array(brotliDecompressSync(new Uint8Array(await br.arrayBuffer())))).toEqual(raw);
    const tags = new Set([plain, gz, br].map((r) => r.headers.get('etag')));
    expect(tags.size).toBe(3);
    expect(br.headers.get('etag')).toBe(plain.headers.get('etag')!.replace(/"$/, '-br"'));
    expect((await get(path, { 'accept-encoding': 'br;q=0, gzip;q=0' })).headers.get('content-encoding')).toBeNull();
  });

  it('answers 204 for an empty tile and for zooms below a layer', async () => {
    const empty = await get('/tiles/grids,centers/14/0/0.mvt');
    expect(empty.status).toBe(204);
    expect(empty.headers.get('etag')).toMatch(/^"/);
    expect(empty.headers.get('access-control-allow-origin')).toBe('*');
    expect(await empty.text()).toBe('');
    expect((await get(`/tiles/households/${tileOf(10)}.mvt`)).status).toBe(204);
    const etag = empty.headers.get('etag')!;
    expect((await get('/tiles/grids,centers/14/0/0.mvt', { 'if-none-match': etag })).status).toBe(304);
  });

  it('opens CORS for reads, preflight included', async () => {
    const pre = await app.http.request(`/tiles/grids/${tileOf(12)}.mvt`, {
      method: 'OPTIONS',
      headers: { origin: 'https://other.example', 'access-control-request-method': 'GET' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-methods')).toContain('GET');
    const head = await app.http.request(`/tiles/grids/${tileOf(12)}.mvt`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toMatch(/^"/);
  });

  it('answers 400 for bad z/x/y and 404 for unknown layers, with the JSON error shape', async () => {
    const cases: [string, number][] = [
      ['/tiles/grids/17/0/0.mvt', 400],
      ['/tiles/centers/16/65536/0.mvt', 400],
      ['/tiles/grids/2/4/0.mvt', 400],
      ['/tiles/grids/-1/0/0.mvt', 400],
      ['/tiles/grids/1.5/0/0.mvt', 400],
      ['/tiles/grids/a/0/0.mvt', 400],
      ['/tiles/grids/99999999999999999999/0/0.mvt', 400],
      ['/tiles/grids/3/1/x.mvt', 400],
      ['/tiles/nope/3/1/1.mvt', 404],
      ['/tiles/grids,nope/3/1/1.mvt', 404],
      ['/tiles/grids%27%3B%20DROP%20TABLE%20grids%3B--/3/1/1.mvt', 404],
      ['/tiles/grids/3/1/1.pbf', 404],
      ['/tiles/grids/3/1', 404],
    ];
    for (const [path, status] of cases) {
      const res = await get(path);
      expect(res.status, path).toBe(status);
      const body = await res.json();
      expect(body.error.code, path).toEqual(expect.any(String));
      expect(body.error.message, path).toEqual(expect.any(String));
    }
    const body = await (await get('/tiles/grids/17/0/0.mvt')).json();
    expect(body.error.message).toContain('z must be a whole number from 0 to 16');
  });

  it('names the data version in TileJSON: tiles there are final (immutable), elsewhere revalidated, and a change gives new URLs', async () => {
    const IMMUTABLE = 'public, max-age=31536000, immutable';
    const REVALIDATE = 'public, max-age=0, must-revalidate';
    const tileUrl = async (layers: string, z = 14) => {
      const [template] = (await (await get(`/tiles/${layers}.json`)).json()).tiles as string[];
      return new URL(template!.replace('{z}/{x}/{y}', tileOf(z))).pathname + new URL(template!.replace('{z}/{x}/{y}', tileOf(z))).search;
    };
    const centersAt = async (path: string) => {
      const res = await get(path);
      const names = res.status === 200 ? decodeTile(new Uint8Array(await res.arrayBuffer())).centers?.features.map((f) => f.properties.name) : [];
      return { cacheControl: res.headers.get('cache-control'), names: names ?? [] };
    };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${app.token}` };
    const made = await app.http.request('/api/centers', { method: 'POST', headers, body: JSON.stringify({ name: 'Versioned probe', kind: 'neighborhood', lon: LON + 0.001, lat: LAT + 0.001 }) });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: number };
    const v1 = app.service.version();
    expect(v1).toMatch(/^\d+-[0-9a-f]{8}$/);
    const at1 = await tileUrl('centers');
    expect(at1).toBe(`/tiles/centers/${tileOf(14)}.mvt?v=${v1}`);
    expect(await centersAt(at1)).toEqual({ cacheControl: IMMUTABLE, names: expect.arrayContaining(['Versioned probe']) });
    // The plain URL, a client's own cache-buster and an unknown version are revalidated.
    for (const path of [`/tiles/centers/${tileOf(14)}.mvt`, `/tiles/centers/${tileOf(14)}.mvt?v=1767000000000`, `/tiles/centers/${tileOf(14)}.mvt?v=0-00000000`]) {
      expect((await centersAt(path)).cacheControl, path).toBe(REVALIDATE);
    }
    // Households change with the coverage write-back: final only once that version's coverage is written.
    const households = await tileUrl('households');
    expect((await get(households)).headers.get('cache-control')).toBe(REVALIDATE);
    coverageAt = v1;
    expect((await get(households)).headers.get('cache-control')).toBe(IMMUTABLE);

    // A change: new URLs; the old one gets the new tile, revalidated.
    const renamed = await app.http.request(`/api/centers/${id}`, { method: 'PATCH', headers, body: JSON.stringify({ name: 'Versioned probe, renamed' }) });
    expect(renamed.status).toBe(200);
    const v2 = app.service.version();
    expect(v2).not.toBe(v1);
    const at2 = await tileUrl('centers');
    expect(at2).toBe(`/tiles/centers/${tileOf(14)}.mvt?v=${v2}`);
    expect(await centersAt(at1)).toEqual({ cacheControl: REVALIDATE, names: expect.arrayContaining(['Versioned probe, renamed']) });
    expect(await centersAt(at2)).toEqual({ cacheControl: IMMUTABLE, names: expect.arrayContaining(['Versioned probe, renamed']) });
    expect((await get(households)).headers.get('cache-control')).toBe(REVALIDATE);

    // A version announced elsewhere first: the request waits until this instance applies it, then it is final.
    const revision = Number(v2.split('-')[0]);
    const v3 = `${revision + 1}-0123abcd`;
    const started = performance.now();
    const pending = centersAt(`/tiles/centers/${tileOf(14)}.mvt?v=${v3}`);
    setTimeout(() => void app.changes.publish({ type: 'features', version: v3, layers: ['centers'], boxes: [[LON, LAT, LON, LAT]] }), 100);
    expect((await pending).cacheControl).toBe(IMMUTABLE);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    // One that never comes is waited for at most versionWaitMs, and revalidated.
    const far = performance.now();
    expect((await centersAt(`/tiles/centers/${tileOf(14)}.mvt?v=${revision + 50}-0123abcd`)).cacheControl).toBe(REVALIDATE);
    expect(performance.now() - far).toBeGreaterThanOrEqual(390);
    // An older version announced late does not move the version back.
    await app.changes.publish({ type: 'features', version: v1, layers: ['households'], boxes: [[LON, LAT, LON, LAT]] });
    expect(app.service.version()).toBe(v3);
    await app.http.request(`/api/centers/${id}`, { method: 'DELETE', headers });
  });

  it('caches tiles and shares one load among concurrent requests', async () => {
    const path = `/tiles/admin,grids,centers,streets,water/${tileOf(13)}.mvt`;
    const before = app.service.stats();
    const responses = await Promise.all(Array.from({ length: 12 }, () => get(path)));
    const after = app.service.stats();
    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([200]));
    expect(new Set(responses.map((r) => r.headers.get('etag'))).size).toBe(1);
    expect(after.misses - before.misses).toBe(1);
    expect(after.coalesced - before.coalesced).toBe(11);
    await get(path);
    expect(app.service.stats().hits - after.hits).toBe(1);
  });

  it("holds the app's reads from its own write's commit to the publish, so none gets the tile the write replaced", async () => {
    const changes = createDataChanges();
    const tile = `/tiles/centers/${tileOf(14)}.mvt`;
    let read: Promise<Response> | undefined;
    let publishedAt = 0;
    // First listener, so it runs before the tile cache drops anything: a read sent now would find the old tile.
    changes.subscribe(async (change) => {
      if (change.type !== 'features' || !change.layers.includes('centers') || read) return;
      read = Promise.resolve(whole.http.request(tile));
      await new Promise((resolve) => setTimeout(resolve, 150));
      publishedAt = performance.now();
    });
    const whole = await createApp({ db: t.db, logger: silentLogger, dataDir: undefined, changes });
    try {
      await whole.idle();
      expect((await whole.http.request(tile)).status).toBe(200);
      const headers = { 'content-type': 'application/json', ...bearer(app.token) };
      const made = await whole.http.request('/api/centers', { method: 'POST', headers, body: JSON.stringify({ name: 'Held read probe', kind: 'governance', lon: LON + 0.0005, lat: LAT }) });
      expect(made.status).toBe(201);
      const answer = await read!;
      const answeredAt = performance.now();
      expect(answeredAt).toBeGreaterThanOrEqual(publishedAt);
      const names = decodeTile(new Uint8Array(await answer.arrayBuffer())).centers!.features.map((f) => f.properties.name);
      expect(names).toContain('Held read probe');
      await whole.http.request(`/api/centers/${((await made.json()) as { id: number }).id}`, { method: 'DELETE', headers });
      await whole.idle();
    } finally {
      await whole.close();
    }
  });

  it('is mounted by createApp', async () => {
    const whole = await createApp({ db: t.db, logger: silentLogger, dataDir: undefined });
    try {
      expect((await whole.http.request('/tiles/catalog.json')).status).toBe(200);
      const res = await whole.http.request(`/tiles/centers/${tileOf(12)}.mvt`);
      expect(res.status).toBe(200);
      expect(decodeTile(new Uint8Array(await res.arrayBuffer())).centers!.features.length).toBeGreaterThan(0);
      expect((await whole.http.request('/api/centers')).status).toBe(200);
    } finally {
      await whole.close();
    }
  });
});
