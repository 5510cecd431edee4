/**
 * Walking profiles (kernel/walk-speed.ts):
 *   - on a seeded network with steps, a route's elderly (and child) time is
 *     the default time scaled by the speed ratio when the default route has
 *     no steps, and more than that when it has;
 *   - over HTTP (both backends): nearest, isochrone and coverage take
 *     `profile`, answer at the profile's speed unless speed_kmh says
 *     otherwise, and a scenario's coverage refuses another profile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WALK_PROFILES, type WalkProfileName } from '../kernel/walk-speed.ts';
import { buildEdgeIndex } from '../server/routing/graph/edge-index.ts';
import { buildWalkGraph } from '../server/routing/graph/graph-builder.ts';
import { profileGraph } from '../server/routing/graph/profile-graph.ts';
import { ARC_EDGE_MASK } from '../server/routing/graph/walk-graph.ts';
import { routeBetween } from '../server/routing/search/route.ts';
import { snapAtNode } from '../server/routing/search/snap.ts';
import { describeBackends, type TestDatabase } from './backends.ts';
import { openSmallCityApp, sendJson } from './small-city-app.ts';
import { seededRandom, syntheticNetwork } from './synthetic-graph.ts';
import type { App } from '../server/app.ts';
import { bearer, testToken } from './auth-fixture.ts';
import { jsonOf } from './answer-types.ts';

describe('walking profiles on a network with steps', () => {
  const graph = buildWalkGraph(syntheticNetwork({ cols: 30, rows: 30, seed: 21, stepsShare: 0.12, oneWayShare: 0 }));

  /** A random node none of whose edges are steps. */
  function plainNode(random: () => number): number {
    for (;;) {
      const n = Math.floor(random() * graph.nodeCount);
      let plain = graph.arcOffset[n + 1]! > graph.arcOffset[n]!;
      for (let a = graph.arcOffset[n]!; a < graph.arcOffset[n + 1]!; a++) if (graph.edgeSteps[graph.arcEdge[a]! & ARC_EDGE_MASK]) plain = false;
      if (plain) return n;
    }
  }

  for (const profile of ['elderly', 'child'] as WalkProfileName[]) {
    it(`${profile}: the default time scaled by the speed ratio without steps, more with them`, () => {
      const slower = profileGraph(graph, profile);
      const ratio = WALK_PROFILES.default.speedKmh / WALK_PROFILES[profile].speedKmh;
      const random = seededRandom(4);
      let withSteps = 0;
      let without = 0;
      for (let k = 0; k < 300; k++) {
        // Ends at nodes without steps around them, so every steps edge walked is on the route's arcs.
        const a = snapAtNode(graph, plainNode(random));
        const b = snapAtNode(graph, plainNode(random));
        if (!a || !b) continue;
        const base = routeBetween(graph, a, b);
        const theirs = routeBetween(slower, a, b);
        if (!base || !theirs) continue;
        // Graph costs are at the default speed; the profile walks them at its own.
        const defaultSeconds = base.cost;
        const profileSeconds = theirs.cost * ratio;
        const stepsOnRoute = base.arcs.some((arc) => graph.edgeSteps[graph.arcEdge[arc]! & ARC_EDGE_MASK] === 1);
        if (stepsOnRoute) {
          withSteps++;
          expect(profileSeconds).toBeGreaterThan(defaultSeconds * ratio * (1 + 1e-6));
        } else {
          without++;
          expect(Math.abs(profileSeconds - defaultSeconds * ratio)).toBeLessThan(1e-3 * Math.max(1, defaultSeconds));
        }
      }
      expect(withSteps).toBeGreaterThan(30);
      expect(without).toBeGreaterThan(10);
    });
  }

  it('leaves the default graph as it is and shares its geometry', () => {
    expect(profileGraph(graph, 'default')).toBe(graph);
    const elderly = profileGraph(graph, 'elderly');
    expect(elderly.coords).toBe(graph.coords);
    expect(elderly.arcCost).not.toBe(graph.arcCost);
    expect(buildEdgeIndex(elderly).segEdge).toEqual(buildEdgeIndex(graph).segEdge);
  });
});

describeBackends('walking profiles over HTTP', (kind) => {
  let t: TestDatabase;
  let app: App;
  beforeAll(async () => {
    ({ t, app } = await openSmallCityApp(kind));
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const get = (url: string) => sendJson(app, 'GET', url);

  it('answers nearest, isochrones and coverage at the profile\'s speed', async () => {
    const city = await get('/api/coverage?level=city');
    // A household unit far from the first center, so the walk is long enough to compare.
    const [unit] = await t.db.query<{ x: number; y: number }>(
      'SELECT ST_X(h.geom) AS x, ST_Y(h.geom) AS y FROM households h ORDER BY ST_Distance(h.geom, (SELECT geom FROM centers ORDER BY id LIMIT 1)) DESC, h.id LIMIT 1',
    );
    const point = `lon=${unit!.x}&lat=${unit!.y}`;
    const base = await get(`/api/nearest?${point}`);
    expect(base.status).toBe(200);
    expect(base.body).toMatchObject({ profile: 'default', speed_kmh: 4 });
    const elderly = await get(`/api/nearest?${point}&profile=elderly`);
    expect(elderly.body).toMatchObject({ profile: 'elderly', speed_kmh: WALK_PROFILES.elderly.speedKmh });
    // The small city has steps: the elderly walk is at least the default one at 3.3 km/h.
    const ratio = 4 / WALK_PROFILES.elderly.speedKmh;
    expect(elderly.body.walk_seconds).toBeGreaterThanOrEqual(base.body.walk_seconds * ratio - 0.1);
    // speed_kmh wins over the profile's speed, not over its steps.
    const fast = await get(`/api/nearest?${point}&profile=elderly&speed_kmh=4`);
    expect(fast.body.speed_kmh).toBe(4);
    expect(fast.body.walk_seconds).toBeGreaterThanOrEqual(base.body.walk_seconds - 0.1);
    expect(fast.body.walk_seconds * ratio).toBeCloseTo(elderly.body.walk_seconds, 0);

    const iso = await get(`/api/isochrone?${point}&minutes=10&profile=child`);
    expect(iso.body.properties).toMatchObject({ profile: 'child', speed_kmh: WALK_PROFILES.child.speedKmh });
    const isoBase = await get(`/api/isochrone?${point}&minutes=10`);
    expect(iso.body.features[0].properties.reachable_m).toBeLessThan(isoBase.body.features[0].properties.reachable_m);

    const covElderly = await get('/api/coverage?level=city&profile=elderly');
    expect(covElderly.body).toMatchObject({ profile: 'elderly', speed_kmh: WALK_PROFILES.elderly.speedKmh });
    expect(covElderly.body.total.covered).toBeLessThan(city.body.total.covered);
    expect(covElderly.body.total.covered).toBeLessThanOrEqual((await get('/api/coverage?level=city&speed_kmh=3.3')).body.total.covered);
  });

  it('names a bad profile, and refuses another profile on a scenario', async () => {
    const bad = await get('/api/coverage?level=city&profile=runner');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/profile.*default, elderly, child/);
    const created = await app.http.request('/api/scenarios', { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(await testToken(t.db)) }, body: JSON.stringify({ name: 'p', changes: [] }) });
    expect(created.status).toBe(201);
    const { id } = await jsonOf<{ id: number }>(created);
    const refused = await get(`/api/coverage?level=city&scenario=${id}&profile=elderly`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.field ?? refused.body.error.message).toMatch(/profile/);
  });
});
