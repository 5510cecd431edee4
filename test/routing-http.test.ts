/**
 * Routing and coverage through HTTP on both backends, on a seeded synthetic
 * city: /api/nearest (route shape, kinds, bad input as 4xx with messages),
 * /api/coverage (every level adds up to the city; bad level/minutes),
 * write-back to households/grids, recomputation on a center change (and the
 * `features` change it publishes), and the graph snapshot on restart.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp, type App } from '../server/app.ts';
import type { DataChange } from '../kernel/data-change.ts';
import { silentLogger } from '../server/logger.ts';
import { writeBundle } from '../data-pipeline/write-bundle.ts';
import { bumpDataVersion } from '../kernel/db/data-state.ts';
import { describeBackends, openTestDatabase, type TestDatabase } from './backends.ts';
import { syntheticCity } from './synthetic-city.ts';

interface CoverageBody {
  units: { code: string | null; households: number; covered: number; share: number | null }[];
  total: { households: number; covered: number; share: number | null };
}

describeBackends('routing and coverage over HTTP', (kind) => {
  let test: TestDatabase;
  let app: App;
  let dataDir: string;
  const bundle = syntheticCity({ seed: 5, households: 500, centers: 6 });
  const center = bundle.centers[0]!;

  beforeAll(async () => {
    test = await openTestDatabase(kind);
    await writeBundle(test.db, bundle);
    dataDir = mkdtempSync(path.join(tmpdir(), 'lc-routing-'));
    app = await createApp({ db: test.db, logger: silentLogger, dataDir });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await test?.dispose();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const get = async (url: string) => {
    const response = await app.http.request(url);
    return { status: response.status, body: (await response.json()) as any };
  };

  it('finds the nearest center with a route along the streets from the point to the center', async () => {
    const lon = center.lon + 0.0004;
    const lat = center.lat + 0.0003;
    const { status, body } = await get(`/api/nearest?lon=${lon}&lat=${lat}`);
    expect(status).toBe(200);
    expect(body.center).toMatchObject({ name: expect.any(String), kind: expect.any(String), services: expect.any(Array) });
    expect(body.walk_seconds).toBeGreaterThan(0);
    const line = body.route.geometry.coordinates as [number, number][];
    expect(body.route.geometry.type).toBe('LineString');
    expect(line[0]![0]).toBeCloseTo(lon, 6);
    expect(line[0]![1]).toBeCloseTo(lat, 6);
    expect(line[line.length - 1]).toEqual([body.center.lon, body.center.lat]);
    // At 4 km/h, distance and time agree (no steps are longer than their time allows).
    expect(body.distance_m / (4 / 3.6)).toBeLessThanOrEqual(body.walk_seconds * 1.01 + 1);

    const faster = await get(`/api/nearest?lon=${lon}&lat=${lat}&speed_kmh=8`);
    expect(faster.body.center.id).toBe(body.center.id);
    expect(faster.body.walk_seconds).toBeCloseTo(body.walk_seconds / 2, 0);

    const governance = await get(`/api/nearest?lon=${lon}&lat=${lat}&kind=governance`);
    expect(governance.status).toBe(200);
    expect(governance.body.center.kind).toBe('governance');
    expect(governance.body.walk_seconds).toBeGreaterThanOrEqual(body.walk_seconds - 0.1);
  });

  it('answers bad input with a 4xx and a message naming the problem', async () => {
    const ok = `lon=${center.lon}&lat=${center.lat}`;
    const cases: [string, number, RegExp][] = [
      [`/api/nearest?lat=${center.lat}`, 400, /lon is required/],
      [`/api/nearest?lon=abc&lat=${center.lat}`, 400, /lon must be a number/],
      [`/api/nearest?lon=${center.lon}&lat=`, 400, /lat is required/],
      [`/api/nearest?lon=${center.lon}&lat=95`, 400, /lat must be between/],
      [`/api/nearest?${ok}&speed_kmh=0`, 400, /speed_kmh/],
      [`/api/nearest?${ok}&speed_kmh=-3`, 400, /speed_kmh/],
      [`/api/nearest?${ok}&speed_kmh=NaN`, 400, /speed_kmh/],
      [`/api/nearest?${ok}&speed_kmh=25`, 400, /at most 20/],
      [`/api/nearest?${ok}&kind=library`, 400, /no centers of kind "library"/],
      [`/api/nearest?${ok}&kind=a%20b`, 400, /kind must be/],
      [`/api/nearest?lon=${center.lon + 1}&lat=${center.lat}`, 422, /outside the data's bounds/],
      [`/api/nearest?lon=0&lat=0`, 422, /outside the data's bounds/],
      [`/api/coverage?level=province`, 400, /level must be one of/],
      [`/api/coverage?minutes=0`, 400, /minutes/],
      [`/api/coverage?minutes=61`, 400, /at most 60/],
      [`/api/coverage?minutes=x`, 400, /minutes/],
      [`/api/coverage?speed_kmh=0`, 400, /speed_kmh/],
      [`/api/coverage?kind=library`, 400, /no centers of kind "library"/],
      // Two hours at 0.1 km/h is 200 m: no center that close to this corner.
      [`/api/nearest?lon=${bundle.network.nodeLon[0]}&lat=${bundle.network.nodeLat[0]}&speed_kmh=0.1`, 404, /no center is reachable within 2 h/],
    ];
    for (const [url, status, message] of cases) {
      const response = await get(url);
      expect([url, response.status]).toEqual([url, status]);
      expect(response.body.error.message, url).toMatch(message);
    }
  });

  it('rolls coverage up so that every level adds up to the city', async () => {
    const city = (await get('/api/coverage?level=city&minutes=15')).body as CoverageBody;
    expect(city.units).toHaveLength(1);
    const totalHouseholds = Array.from(bundle.households.households).reduce((a, b) => a + b, 0);
    expect(city.total.households).toBe(totalHouseholds);
    expect(city.total.covered).toBeGreaterThan(0);
    expect(city.total.covered).toBeLessThan(totalHouseholds); // the far units are never covered
    for (const minutes of [5, 10, 15]) {
      for (const kind of ['', 'governance']) {
        const cityAt = (await get(`/api/coverage?level=city&minutes=${minutes}&kind=${kind}`)).body as CoverageBody;
        for (const level of ['district', 'street', 'community', 'grid']) {
          const { status, body } = await get(`/api/coverage?level=${level}&minutes=${minutes}&kind=${kind}`);
          expect(status).toBe(200);
          const sum = (body as CoverageBody).units.reduce((a, u) => ({ h: a.h + u.households, c: a.c + u.covered }), { h: 0, c: 0 });
          expect([level, minutes, kind, sum.h, sum.c]).toEqual([level, minutes, kind, cityAt.total.households, cityAt.total.covered]);
        }
      }
    }
    const grid = (await get('/api/coverage?level=grid')).body as CoverageBody;
    expect(grid.units).toHaveLength(16);
    const five = (await get('/api/coverage?minutes=5')).body as CoverageBody;
    expect(five.total.covered).toBeLessThanOrEqual(city.total.covered);
    // Twice the speed covers in 5 minutes what 4 km/h covers in 10.
    const ten = (await get('/api/coverage?minutes=10')).body as CoverageBody;
    const fastFive = (await get('/api/coverage?minutes=5&speed_kmh=8')).body as CoverageBody;
    expect(fastFive.total.covered).toBe(ten.total.covered);
  });

  it('writes walk times and grid roll-ups back to the tables', async () => {
    await app.idle();
    const city = (await get('/api/coverage?level=city&minutes=15')).body as CoverageBody;
    const [households] = await test.db.query<{ covered: number; timed: number; centers: number }>(
      `SELECT sum(households) FILTER (WHERE walk_seconds <= 900)::int AS covered, count(walk_seconds)::int AS timed,
              count(DISTINCT nearest_center_id)::int AS centers FROM households`,
    );
    expect(households!.covered).toBe(city.total.covered);
    expect(households!.timed).toBeGreaterThan(400);
    expect(households!.centers).toBeGreaterThan(1);
    const [grids] = await test.db.query<{ total: number; covered: number; shares: number }>(
      'SELECT sum(households_total)::int AS total, sum(covered_15)::int AS covered, count(coverage_share_15)::int AS shares FROM grids',
    );
    expect(grids).toEqual({ total: city.total.households, covered: city.total.covered, shares: 16 });
  });

  it('recomputes when centers change and publishes where coverage changed', async () => {
    const before = (await get('/api/coverage?minutes=15')).body as CoverageBody;
    const seen: DataChange[] = [];
    const unsubscribe = app.changes.subscribe((change) => void seen.push(change));
    // Remove every center but one, as a center edit does it (version bump in the same transaction); coverage can only drop.
    const version = await test.db.transaction(async (tx) => {
      await tx.query('DELETE FROM centers WHERE id <> (SELECT min(id) FROM centers)');
      return bumpDataVersion(tx);
    });
    await app.changes.publish({ type: 'features', version, layers: ['centers'], boxes: [] });
    const after = (await get('/api/coverage?minutes=15')).body as CoverageBody;
    await app.idle();
    unsubscribe();
    expect(after.total.covered).toBeLessThan(before.total.covered);
    const published = seen.find((c) => c.type === 'features' && c.layers.includes('households'));
    expect(published).toBeDefined();
    expect(published!.type === 'features' && published!.boxes.length).toBeGreaterThan(0);
    const [row] = await test.db.query<{ centers: number }>('SELECT count(DISTINCT nearest_center_id)::int AS centers FROM households');
    expect(row!.centers).toBe(1);
  });

  it('follows an import: new graph, new coverage', async () => {
    const next = syntheticCity({ seed: 6, households: 300, centers: 4 });
    const { version } = await writeBundle(test.db, next);
    await app.changes.publish({ type: 'replaced', version });
    const health = (await get('/health')).body;
    const city = (await get('/api/coverage?level=city')).body as CoverageBody;
    expect(city.total.households).toBe(Array.from(next.households.households).reduce((a, b) => a + b, 0));
    expect((await get('/health')).body.graph.version).toBe(version);
    expect(health.data.version).toBe(version);
    await app.idle();
    const [row] = await test.db.query<{ timed: number }>('SELECT count(walk_seconds)::int AS timed FROM households');
    expect(row!.timed).toBeGreaterThan(250);
  });

  it('saves a graph snapshot and loads it on restart', async () => {
    expect(readdirSync(dataDir).filter((f) => /^graph-.*\.bin$/.test(f))).toHaveLength(1);
    const again = await createApp({ db: test.db, logger: silentLogger, dataDir });
    try {
      const { body } = await (async () => {
        await again.http.request(`/api/nearest?lon=${center.lon}&lat=${center.lat}`);
        return get('/health');
      })();
      expect(body.graph.ready).toBe(true);
      const health = (await (await again.http.request('/health')).json()) as any;
      expect(health.graph.source).toBe('snapshot');
    } finally {
      await again.close();
    }
  });
});
