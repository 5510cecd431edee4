/**
 * GET /metrics on Monaco (OSM), on both backends, through the whole app:
 *   - the text passes the strict exposition-format parser (prometheus-text.ts),
 *     every family with HELP and TYPE, and every family is in the
 *     operators' guide (docs/scale-out.md);
 *   - requests count by route pattern (never the URL) and status, and the
 *     latency histogram grows by as many requests, within their wall time;
 *   - the tile cache's hits, misses and bytes follow real tile requests and
 *     agree with /health;
 *   - a request over its client's rate is counted as rate-limited;
 *   - the data version's age agrees with /health's changed_at, and a center
 *     added through the API raises the revision, resets the age and adds a
 *     coverage computation; the first graph load is measured;
 *   - the endpoint follows METRICS: off is 404, admin (the default) is 401
 *     without a token, 403 for a planner, 200 for an admin; public needs
 *     nothing; port:N serves it on its own listener and not on the app.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends, openTestDatabase, type TestDatabase } from './backends.ts';
import { describeWithData, sharedData } from './shared-data.ts';
import { bearer, testToken } from './auth-fixture.ts';
import { DATASET_CENTER } from './tiles-fixture.ts';
import type { ErrorAnswer } from './answer-types.ts';
import { parsePrometheusText, sampleValue, type Family } from './prometheus-text.ts';
import { ingest } from '../data-pipeline/ingest.ts';
import { createApp, type App, type AppDeps } from '../server/app.ts';
import { silentLogger } from '../server/logger.ts';
import { startMetricsServer } from '../server/metrics/metrics-server.ts';
import { latToTileY, lonToTileX } from '../server/tiles/tile-envelope.ts';

const monaco = sharedData('osm/monaco.osm.pbf');
/** What these tests read of /health. */
interface HealthSeen {
  tiles: { cache: { hits: number; misses: number; bytes: number; maxBytes: number } };
  data: { changed_at: string; revision: number };
  graph: { load_ms: number; version: string };
}

const GUIDE = readFileSync(new URL('../docs/scale-out.md', import.meta.url), 'utf8');
const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';
const [LON, LAT] = DATASET_CENTER.monaco;
const TILE_ROUTE = '/tiles/:layers/:z/:x/:file';
const tileAt = (z: number, dx = 0) => `/tiles/households,centers,streets/${z}/${Math.floor(lonToTileX(LON, z)) + dx}/${Math.floor(latToTileY(LAT, z))}.mvt`;

type Families = Map<string, Family>;
const value = (f: Families, name: string, labels: Record<string, string> = {}) => sampleValue(f, name, labels) ?? 0;

describeWithData('metrics on Monaco', monaco, () => {
  describeBackends('GET /metrics', (kind) => {
    let t: TestDatabase;
    let app: App;
    const others: App[] = [];
    let admin: string;
    let planner: string;

    const start = async (deps: Partial<AppDeps>) => {
      const made = await createApp({ db: t.db, logger: silentLogger, dataDir: undefined, ...deps });
      others.push(made);
      return made;
    };
    const scrape = async (on: App = app, headers: Record<string, string> = {}): Promise<Families> => {
      const res = await on.http.request('/metrics', { headers });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(PROMETHEUS_TEXT);
      expect(res.headers.get('cache-control')).toBe('no-store');
      return parsePrometheusText(await res.text(), { declaredOnly: true });
    };
    const health = async (on: App = app) => (await (await on.http.request('/health')).json()) as HealthSeen;

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      await ingest(t.db, { osm: monaco.path, city: 'Monaco' });
      admin = await testToken(t.db, 'admin');
      planner = await testToken(t.db, 'planner');
      // Isochrones of more than one origin: one at once, one a minute, so the second is refused.
      app = await createApp({
        db: t.db,
        logger: silentLogger,
        dataDir: undefined,
        metrics: { access: { mode: 'public' } },
        limits: { manyOrigins: 1, isochroneMany: { burst: 1, perMinute: 1 } },
      });
      await app.idle();
    }, 240_000);
    afterAll(async () => {
      for (const other of others) await other.close();
      await app?.close();
      await t?.dispose();
    });

    it('is strict exposition text, every family declared and in the operators\' guide', async () => {
      const families = await scrape();
      const expected: Record<string, string> = {
        living_circle_http_requests_total: 'counter',
        living_circle_http_request_duration_seconds: 'histogram',
        living_circle_tile_cache_hits_total: 'counter',
        living_circle_tile_cache_misses_total: 'counter',
        living_circle_tile_cache_bytes: 'gauge',
        living_circle_graph_build_seconds: 'histogram',
        living_circle_coverage_build_seconds: 'histogram',
        living_circle_coverage_write_seconds: 'histogram',
        living_circle_data_version_age_seconds: 'gauge',
        living_circle_rate_limited_total: 'counter',
      };
      for (const [name, type] of Object.entries(expected)) expect(families.get(name)?.type, name).toBe(type);
      // Replica metrics only where there are replicas (metrics-replica.test.ts has them).
      expect([...families.keys()].filter((name) => name.includes('replica'))).toEqual([]);
      const undocumented = [...families.keys()].filter((name) => !GUIDE.includes(name));
      expect(undocumented).toEqual([]);
      expect(value(families, 'living_circle_database_up')).toBe(1);
    });

    it('counts requests by route pattern and status, with their latency', async () => {
      const before = await scrape();
      const unique = randomBytes(6).toString('hex');
      const id = `9${String(parseInt(unique, 16)).slice(0, 8)}`;
      const calls: [path: string, init?: RequestInit][] = [
        [tileAt(14)],
        [tileAt(14)],
        [`/api/nearest?lon=${LON}&lat=${LAT}`],
        [`/api/nearest?lon=${LON}&lat=999`],
        [`/api/centers/${id}`],
        [`/no/such/${unique}`],
      ];
      const statuses: number[] = [];
      let wall = 0;
      for (const [path, init] of calls) {
        const t0 = performance.now();
        const res = await app.http.request(path, init);
        await res.arrayBuffer();
        wall += performance.now() - t0;
        statuses.push(res.status);
      }
      expect(statuses.slice(2)).toEqual([200, 400, 404, 404]);
      const text = await (await app.http.request('/metrics')).text();
      const after = parsePrometheusText(text, { declaredOnly: true });
      const rise = (route: string, status: number) => {
        const labels = { method: 'GET', route, status: String(status) };
        return value(after, 'living_circle_http_requests_total', labels) - value(before, 'living_circle_http_requests_total', labels);
      };
      expect(rise(TILE_ROUTE, statuses[0]!)).toBe(2);
      expect(rise('/api/nearest', 200)).toBe(1);
      expect(rise('/api/nearest', 400)).toBe(1);
      expect(rise('/api/centers/:id', 404)).toBe(1);
      expect(rise('unmatched', 404)).toBe(1);
      // The scrape before this one was itself a request.
      expect(rise('/metrics', 200)).toBeGreaterThanOrEqual(1);
      // Patterns only: neither the id nor the path sent appears anywhere.
      expect(text).not.toContain(unique);
      expect(text).not.toContain(`/api/centers/${id}`);
      // The histogram counts the same requests, and its time lies within the time they took.
      let counted = 0;
      let seconds = 0;
      for (const [route, status] of [[TILE_ROUTE, statuses[0]!], ['/api/nearest', 200], ['/api/nearest', 400], ['/api/centers/:id', 404], ['unmatched', 404]] as const) {
        const labels = { method: 'GET', route, status: String(status) };
        counted += value(after, 'living_circle_http_request_duration_seconds_count', labels) - value(before, 'living_circle_http_request_duration_seconds_count', labels);
        seconds += value(after, 'living_circle_http_request_duration_seconds_sum', labels) - value(before, 'living_circle_http_request_duration_seconds_sum', labels);
      }
      expect(counted).toBe(calls.length);
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(wall / 1000);
    });

    it('counts tile cache hits, misses and bytes as the cache does', async () => {
      const before = await scrape();
      const path = tileAt(15, 1);
      for (let i = 0; i < 3; i++) expect([200, 204]).toContain((await app.http.request(path)).status);
      const after = await scrape();
      const rise = (name: string) => value(after, name) - value(before, name);
      expect(rise('living_circle_tile_cache_misses_total')).toBe(1);
      expect(rise('living_circle_tile_cache_hits_total')).toBe(2);
      expect(rise('living_circle_tile_cache_bytes')).toBeGreaterThan(0);
      const cache = (await health()).tiles.cache;
      expect(value(after, 'living_circle_tile_cache_hits_total')).toBe(cache.hits);
      expect(value(after, 'living_circle_tile_cache_misses_total')).toBe(cache.misses);
      expect(value(after, 'living_circle_tile_cache_bytes')).toBe(cache.bytes);
      expect(value(after, 'living_circle_tile_cache_max_bytes')).toBe(cache.maxBytes);
    });

    it('counts requests refused for their rate', async () => {
      const before = await scrape();
      const body = JSON.stringify({ origins: [[LON, LAT], [LON + 0.002, LAT + 0.001]], minutes: [5] });
      const post = () => app.http.request('/api/isochrone', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect((await post()).status).toBe(200);
      const refused = await post();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      const after = await scrape();
      const rise = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
      expect(rise('living_circle_rate_limited_total', { class: 'isochrones' })).toBe(1);
      expect(rise('living_circle_rate_limited_total', { class: 'suggestions' })).toBe(0);
      expect(rise('living_circle_http_requests_total', { method: 'POST', route: '/api/isochrone', status: '429' })).toBe(1);
      expect(rise('living_circle_http_requests_total', { method: 'POST', route: '/api/isochrone', status: '200' })).toBe(1);
    });

    it("measures the data version's age, the graph load and coverage after a change", async () => {
      const before = await scrape();
      const state = (await health()).data;
      const age = value(before, 'living_circle_data_version_age_seconds');
      expect(Math.abs(age - (Date.now() - Date.parse(state.changed_at)) / 1000)).toBeLessThan(2);
      expect(value(before, 'living_circle_data_revision')).toBe(state.revision);
      // The first graph, built from the tables, as /health reports it.
      const graphBefore = (await health()).graph;
      const graphLoadMs = graphBefore.load_ms;
      expect(value(before, 'living_circle_graph_build_seconds_count', { source: 'table' })).toBe(1);
      expect(value(before, 'living_circle_graph_build_seconds_sum', { source: 'table' })).toBeGreaterThanOrEqual((graphLoadMs - 0.5) / 1000);
      expect(value(before, 'living_circle_coverage_build_seconds_count', { reason: 'graph' })).toBe(1);

      const { centers } = (await (await app.http.request('/api/centers')).json()) as { centers: { lon: number; lat: number }[] };
      const { lon, lat } = centers[0]!;
      const added = await app.http.request('/api/centers', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(planner) },
        body: JSON.stringify({ name: '指标测试中心', kind: 'neighborhood', lon: lon + 0.0003, lat }),
      });
      expect(added.status).toBe(201);
      await app.idle();
      const after = await scrape();
      expect(value(after, 'living_circle_data_revision')).toBe(state.revision + 1);
      expect(value(after, 'living_circle_data_version_age_seconds')).toBeLessThan(age);
      expect(value(after, 'living_circle_coverage_build_seconds_count', { reason: 'centers' })).toBe(value(before, 'living_circle_coverage_build_seconds_count', { reason: 'centers' }) + 1);
      expect(value(after, 'living_circle_coverage_write_seconds_count')).toBeGreaterThan(value(before, 'living_circle_coverage_write_seconds_count'));
      // One graph load per graph version the instance has had: settling after the
      // edit (app.idle) reloads the graph when the data version moved.
      const reloaded = (await health()).graph.version !== graphBefore.version ? 1 : 0;
      expect(value(after, 'living_circle_graph_build_seconds_count', { source: 'table' })).toBe(1 + reloaded);
      expect(value(after, 'living_circle_coverage_build_seconds_count', { reason: 'graph' })).toBe(1 + reloaded);
    });

    it('with the tile warmer on (the embedded default), a center edit rebuilds coverage for the centers, never the graph', async () => {
      const warm = await start({ warmTiles: true, metrics: { access: { mode: 'public' } } });
      await warm.idle();
      const graphVersion = async () => (await health(warm)).graph.version;
      const before = await scrape(warm);
      const versionBefore = await graphVersion();
      const { centers } = (await (await warm.http.request('/api/centers')).json()) as { centers: { lon: number; lat: number }[] };
      const added = await warm.http.request('/api/centers', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(planner) },
        body: JSON.stringify({ name: '预热测试中心', kind: 'neighborhood', lon: centers[1]!.lon + 0.0003, lat: centers[1]!.lat }),
      });
      expect(added.status).toBe(201);
      // Until the coverage of the edit is written back, then long enough for the warmer to settle and warm.
      const written = () => value(before, 'living_circle_coverage_write_seconds_count');
      let after = await scrape(warm);
      for (let i = 0; i < 200 && value(after, 'living_circle_coverage_write_seconds_count') <= written(); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        after = await scrape(warm);
      }
      await new Promise((resolve) => setTimeout(resolve, 1500));
      after = await scrape(warm);
      expect(value(after, 'living_circle_coverage_build_seconds_count', { reason: 'centers' })).toBeGreaterThan(value(before, 'living_circle_coverage_build_seconds_count', { reason: 'centers' }));
      expect(value(after, 'living_circle_graph_build_seconds_count', { source: 'table' })).toBe(value(before, 'living_circle_graph_build_seconds_count', { source: 'table' }));
      expect(value(after, 'living_circle_coverage_build_seconds_count', { reason: 'graph' })).toBe(value(before, 'living_circle_coverage_build_seconds_count', { reason: 'graph' }));
      expect(await graphVersion()).toBe(versionBefore);
    });

    it('follows METRICS: off, admin (the default), public and a port of its own', async () => {
      const off = await start({ metrics: { access: { mode: 'off' } } });
      const gone = await off.http.request('/metrics');
      expect(gone.status).toBe(404);
      expect(((await gone.json()) as ErrorAnswer).error.code).toBe('not_found');
      expect(off.metricsHttp).toBeUndefined();

      const byDefault = await start({});
      const none = await byDefault.http.request('/metrics');
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await byDefault.http.request('/metrics', { headers: bearer('lc_1_not-a-token') })).status).toBe(401);
      expect((await byDefault.http.request('/metrics', { headers: bearer(planner) })).status).toBe(403);
      const families = await scrape(byDefault, bearer(admin));
      // The failed tries above were counted, each by its status.
      expect(value(families, 'living_circle_http_requests_total', { method: 'GET', route: '/metrics', status: '401' })).toBe(2);
      expect(value(families, 'living_circle_http_requests_total', { method: 'GET', route: '/metrics', status: '403' })).toBe(1);
      expect(byDefault.metricsHttp).toBeUndefined();

      // public: the app of this suite answers without a token.
      expect((await app.http.request('/metrics')).status).toBe(200);
      // Mounted or not, it is not an operation of the API's document.
      for (const on of [app, byDefault]) {
        const doc = (await (await on.http.request('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
        expect(Object.keys(doc.paths)).toContain('/health');
        expect(Object.keys(doc.paths)).not.toContain('/metrics');
      }

      const ported = await start({ metrics: { access: { mode: 'port', port: 0, host: '127.0.0.1' } } });
      expect((await ported.http.request('/metrics', { headers: bearer(admin) })).status).toBe(404);
      const server = await startMetricsServer(ported.metricsHttp!, { port: 0, host: '127.0.0.1' });
      try {
        expect((await ported.http.request(tileAt(13))).status).toBeLessThan(300);
        const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe(PROMETHEUS_TEXT);
        const onPort = parsePrometheusText(await res.text(), { declaredOnly: true });
        // The same registry as the app's: its tile request and its refused /metrics are there.
        expect(value(onPort, 'living_circle_tile_cache_misses_total')).toBeGreaterThanOrEqual(1);
        expect(value(onPort, 'living_circle_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
        // Nothing but /metrics on that port.
        expect((await fetch(`http://127.0.0.1:${server.port}/health`)).status).toBe(404);
      } finally {
        await server.close();
      }
    });
  });
});
