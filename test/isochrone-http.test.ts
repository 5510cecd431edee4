/**
 * GET and POST /api/isochrone through the app on a seeded synthetic city
 * (PGlite; the polygons do not depend on the backend): the FeatureCollection's
 * shape, the three polygon properties on what the API returns, the union of
 * several origins, the parameters taking effect, and every kind of bad input
 * answered with a 4xx whose message names the parameter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../server/app.ts';
import { silentLogger } from '../server/logger.ts';
import { writeBundle } from '../data-pipeline/write-bundle.ts';
import { buildWalkGraph, inputFromNetwork } from '../server/routing/graph/graph-builder.ts';
import { buildEdgeIndex } from '../server/routing/graph/edge-index.ts';
import { MAX_ORIGINS } from '../server/routing/isochrone/isochrone-routes.ts';
import { openTestDatabase, type TestDatabase } from './backends.ts';
import { syntheticCity } from './synthetic-city.ts';
import { bearer, testToken } from './auth-fixture.ts';
import { checkIsochrone, PolygonIndex, reachableLines, sampleLines, searchTree } from './isochrone-properties.ts';

describe('isochrone API', () => {
  let test: TestDatabase;
  let app: App;
  const bundle = syntheticCity({ seed: 11, households: 200, centers: 4 });
  const graph = buildWalkGraph(inputFromNetwork(bundle.network, 'check'));
  const index = buildEdgeIndex(graph);
  const [minLon, minLat, maxLon, maxLat] = graph.bounds;
  const mid: [number, number] = [(minLon + maxLon) / 2 + 0.0001, (minLat + maxLat) / 2 + 0.0001];

  beforeAll(async () => {
    test = await openTestDatabase('pglite');
    await writeBundle(test.db, bundle);
    app = await createApp({ db: test.db, logger: silentLogger, dataDir: undefined });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await test?.dispose();
  });

  const get = async (url: string) => {
    const response = await app.http.request(url);
    return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as any };
  };
  const post = async (body: unknown, raw?: string) => {
    const response = await app.http.request('/api/isochrone', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw ?? JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('answers GET with one polygon Feature per contour, largest first, that keep the three properties', async () => {
    const { status, type, body } = await get(`/api/isochrone?lon=${mid[0]}&lat=${mid[1]}`);
    expect(status).toBe(200);
    expect(type).toMatch(/application\/geo\+json/);
    expect(body.type).toBe('FeatureCollection');
    expect(body.features.map((f: any) => f.properties.minutes)).toEqual([15, 10, 5]);
    for (const f of body.features) {
      expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
      expect(f.properties.reachable_m).toBeGreaterThan(0);
      expect(f.properties.area_m2).toBeGreaterThan(0);
    }
    const areas = body.features.map((f: any) => f.properties.area_m2);
    expect(areas[0]).toBeGreaterThan(areas[1]);
    expect(areas[1]).toBeGreaterThan(areas[2]);
    expect(body.properties).toMatchObject({ buffer_m: 40, generalize_m: 0, speed_kmh: 4, origins: 1 });

    const tree = searchTree(graph, index, [mid], 4, 900);
    const contours = body.features.map((f: any) => ({ minutes: f.properties.minutes, geometry: f.geometry }));
    const report = checkIsochrone(graph, tree, contours, { bufferM: 40 });
    expect(report.coverageChecked).toBeGreaterThan(500);
    expect(report.coverageExamples).toEqual([]);
    expect(report.bufferWorstM).toBeLessThanOrEqual(40);
    expect(report.nestingMisses).toBe(0);
  });

  it('takes minutes, speed_kmh, buffer_m and generalize', async () => {
    const base = `/api/isochrone?lon=${mid[0]}&lat=${mid[1]}`;
    const slow = await get(`${base}&minutes=10`);
    const fast = await get(`${base}&minutes=10&speed_kmh=6`);
    expect(slow.body.features.length).toBe(1);
    expect(fast.body.features[0].properties.reachable_m).toBeGreaterThan(slow.body.features[0].properties.reachable_m);
    const wide = await get(`${base}&minutes=10&buffer_m=80`);
    expect(wide.body.properties.buffer_m).toBe(80);
    expect(wide.body.features[0].properties.area_m2).toBeGreaterThan(slow.body.features[0].properties.area_m2);
    const general = await get(`${base}&minutes=10&generalize=18`);
    const count = (g: any) => JSON.stringify(g.coordinates).split('],[').length;
    expect(count(general.body.features[0].geometry)).toBeLessThan(count(slow.body.features[0].geometry));
    // generalize=18 keeps coverage and buffer exact (tolerance absorbed); nesting to within 18 m.
    const tree = searchTree(graph, index, [mid], 4, 600);
    const report = checkIsochrone(graph, tree, [{ minutes: 10, geometry: general.body.features[0].geometry }], { bufferM: 40 });
    expect(report.coverageExamples).toEqual([]);
    expect(report.bufferWorstM).toBeLessThanOrEqual(40);
  });

  it('answers POST with the union of several origins', async () => {
    const origins: [number, number][] = [
      [minLon + 0.25 * (maxLon - minLon), minLat + 0.3 * (maxLat - minLat)],
      [minLon + 0.75 * (maxLon - minLon), minLat + 0.7 * (maxLat - minLat)],
      [minLon + 0.5 * (maxLon - minLon), minLat + 0.2 * (maxLat - minLat)],
    ];
    const { status, body } = await post({ origins, minutes: [5, 10], speed_kmh: 4 });
    expect(status).toBe(200);
    expect(body.properties.origins).toBe(3);
    const ten = new PolygonIndex(body.features[0].geometry);
    for (const o of origins) expect(ten.contains(...o)).toBe(true);
    const tree = searchTree(graph, index, origins, 4, 600);
    const report = checkIsochrone(graph, tree, body.features.map((f: any) => ({ minutes: f.properties.minutes, geometry: f.geometry })), { bufferM: 40 });
    expect(report.coverageExamples).toEqual([]);
    expect(report.bufferWorstM).toBeLessThanOrEqual(40);
    expect(report.nestingMisses).toBe(0);
    // The union covers what each origin reaches on its own.
    for (const origin of origins) {
      const own = searchTree(graph, index, [origin], 4, 600);
      const samples = sampleLines(reachableLines(graph, own, 600), 5);
      for (let i = 0; i < samples.length; i += 2) expect(ten.contains(samples[i]!, samples[i + 1]!)).toBe(true);
    }
  });

  it('tags GET answers with the data version and the query: 304 until the data changes, never a search for it', async () => {
    const url = `/api/isochrone?lon=${mid[0]}&lat=${mid[1]}&minutes=5,10`;
    const first = await app.http.request(url);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{22}"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    const again = await app.http.request(url, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');
    // Another query is another answer.
    expect((await app.http.request(`${url}&speed_kmh=5`, { headers: { 'if-none-match': etag } })).status).toBe(200);
    // A center added near the point changes what the contours reach: a new tag, and the old one gets the new answer.
    const token = await testToken(test.db);
    const added = await app.http.request('/api/centers', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: JSON.stringify({ name: 'Isochrone tag probe', kind: 'neighborhood', lon: mid[0], lat: mid[1] }),
    });
    expect(added.status).toBe(201);
    await app.idle();
    const after = await app.http.request(url, { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    const centers = (await after.json()).features.map((f: any) => f.properties.centers);
    const before = (await first.json()).features.map((f: any) => f.properties.centers);
    expect(centers.map((n: number, i: number) => n - before[i])).toEqual([1, 1]);
  });

  it('answers bad GET input with a 4xx naming the parameter', async () => {
    const ok = `lon=${mid[0]}&lat=${mid[1]}`;
    const cases: [string, number, RegExp][] = [
      [`lat=${mid[1]}`, 400, /lon is required/],
      [`lon=abc&lat=${mid[1]}`, 400, /lon must be a number/],
      [`lon=${mid[0]}&lat=`, 400, /lat is required/],
      [`lon=${mid[0]}&lat=95`, 400, /lat must be between/],
      [`${ok}&minutes=0`, 400, /minutes must be/],
      [`${ok}&minutes=61`, 400, /minutes must be/],
      [`${ok}&minutes=5,abc`, 400, /minutes must be/],
      [`${ok}&speed_kmh=0`, 400, /speed_kmh must be/],
      [`${ok}&speed_kmh=fast`, 400, /speed_kmh must be/],
      [`${ok}&buffer_m=1`, 400, /buffer_m must be between/],
      [`${ok}&buffer_m=9999`, 400, /buffer_m must be between/],
      [`${ok}&buffer_m=wide`, 400, /buffer_m must be a number/],
      [`${ok}&generalize=-1`, 400, /generalize must be between/],
      [`${ok}&generalize=x`, 400, /generalize must be a number/],
      [`lon=${maxLon + 1}&lat=${mid[1]}`, 422, /outside the data/],
      // Inside the bounds' snap margin but 640 m from the nearest way (the network's corner): "in the sea".
      [`lon=${maxLon + 450 / (111195 * Math.cos((maxLat * Math.PI) / 180))}&lat=${maxLat + 450 / 111195}`, 422, /from any walkable way/],
      [`lon=${mid[0]}&lat=${minLat - 0.5}`, 422, /outside the data/],
    ];
    for (const [query, status, message] of cases) {
      const response = await get(`/api/isochrone?${query}`);
      expect(response.status, query).toBe(status);
      expect(response.body.error.message, query).toMatch(message);
    }
  });

  it('answers bad POST input with a 4xx naming the field', async () => {
    const o = [mid];
    const cases: [unknown, string | undefined, number, RegExp][] = [
      [undefined, '{"origins": [[1, 2]', 400, /must be JSON/],
      [undefined, '', 400, /must be JSON/],
      [[mid], undefined, 400, /JSON object/],
      [{}, undefined, 400, /origins is required/],
      [{ origins: [] }, undefined, 400, /origins is required/],
      [{ origins: [[mid[0]]] }, undefined, 400, /origins\[0\] must be a \[lon, lat\] pair/],
      [{ origins: [[mid[0], 'x']] }, undefined, 400, /origins\[0\]\[1\] \(lat\) must be a number/],
      [{ origins: [mid, [200, 10]] }, undefined, 400, /origins\[1\]\[0\] \(lon\) must be between/],
      [{ origins: Array.from({ length: MAX_ORIGINS + 1 }, () => mid) }, undefined, 400, /at most 5000/],
      [{ origins: o, minutes: [0] }, undefined, 400, /minutes\[0\] must be/],
      [{ origins: o, minutes: 'x' }, undefined, 400, /minutes must be/],
      [{ origins: o, speed_kmh: 0 }, undefined, 400, /speed_kmh must be/],
      [{ origins: o, buffer_m: 0 }, undefined, 400, /buffer_m must be between/],
      [{ origins: o, generalise: 5 }, undefined, 400, /unknown field "generalise"/],
      [{ origins: [mid, [maxLon + 1, mid[1]]] }, undefined, 422, /origin 1 .*outside the data/],
    ];
    for (const [body, raw, status, message] of cases) {
      const response = await post(body, raw);
      expect(response.status, raw ?? JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(response.body.error.message).toMatch(message);
    }
    const huge = await post(undefined, JSON.stringify({ origins: o, pad: 'x'.repeat(2 << 20) }));
    expect(huge.status).toBe(413);
  });
});
