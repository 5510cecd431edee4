/**
 * GET /api/households/uncovered through the HTTP API, on both backends: the
 * units listed are exactly those the stored walk times put beyond the
 * threshold, their households add up to what GET /api/coverage counts as not
 * covered (live and with a scenario), a box keeps only the units inside it,
 * and bad input is a 400 or 404 naming what is wrong.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { App } from '../server/app.ts';
import { describeBackends, type TestDatabase } from './backends.ts';
import { openSmallCityApp, sendJson } from './small-city-app.ts';
import { testToken } from './auth-fixture.ts';

type Feature = { type: string; geometry: { type: string; coordinates: [number, number] }; properties: { id: number; households: number; walk_s: number | null } };
type Collection = { type: string; features: Feature[]; properties: { units: number; households: number; minutes: number; scenario: { id: number } | null; bbox: number[] | null } };

describeBackends('uncovered households', (kind) => {
  let t: TestDatabase;
  let app: App;
  const send = async (method: string, path: string, body?: unknown) => sendJson(app, method, path, body, await testToken(t.db));
  const uncovered = async (query: string) => {
    const res = await send('GET', `/api/households/uncovered${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as Collection;
  };
  const notCovered = async (query: string) => {
    const total = (await send('GET', `/api/coverage${query}`)).body.total;
    return total.households - total.covered;
  };
  const sum = (c: Collection) => c.features.reduce((s, f) => s + f.properties.households, 0);

  beforeAll(async () => {
    ({ t, app } = await openSmallCityApp(kind));
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('lists exactly the units the stored walk times leave beyond 15 minutes, adding up to the coverage', async () => {
    const body = await uncovered('');
    expect(body.type).toBe('FeatureCollection');
    expect(body.properties).toMatchObject({ minutes: 15, scenario: null, bbox: null, units: body.features.length });
    expect(body.features.length).toBeGreaterThan(0);
    // The write-back's walk times (default profile, service centers) are an independent record of the same evaluation.
    const rows = await t.db.query<{ id: number }>('SELECT id FROM households WHERE walk_seconds IS NULL OR walk_seconds > 900 ORDER BY id');
    expect(body.features.map((f) => f.properties.id)).toEqual(rows.map((r) => r.id));
    for (const f of body.features) {
      expect(f.geometry.type).toBe('Point');
      expect(f.properties.walk_s === null || f.properties.walk_s > 900).toBe(true);
    }
    expect(sum(body)).toBe(body.properties.households);
    expect(body.properties.households).toBe(await notCovered(''));
    // Another threshold: more units are left out of a 5-minute walk.
    const five = await uncovered('?minutes=5');
    expect(sum(five)).toBe(await notCovered('?minutes=5'));
    expect(five.features.length).toBeGreaterThan(body.features.length);
  });

  it('keeps only the units inside a box', async () => {
    const all = (await uncovered('')).features;
    const lons = all.map((f) => f.geometry.coordinates[0]).sort((a, b) => a - b);
    const lats = all.map((f) => f.geometry.coordinates[1]).sort((a, b) => a - b);
    const box = [lons[0]!, lats[0]!, lons[Math.floor(lons.length / 2)]!, lats[lats.length - 1]!];
    const inside = await uncovered(`?bbox=${box.join(',')}`);
    const expected = all.filter((f) => f.geometry.coordinates[0] <= box[2]!);
    expect(inside.features.map((f) => f.properties.id)).toEqual(expected.map((f) => f.properties.id));
    expect(inside.features.length).toBeGreaterThan(0);
    expect(inside.features.length).toBeLessThan(all.length);
    expect(inside.properties.bbox).toEqual(box);
  });

  it("lists a scenario's uncovered units: fewer after a center is added among them, adding up to its coverage", async () => {
    const live = await uncovered('');
    const target = live.features[Math.floor(live.features.length / 2)]!;
    const [lon, lat] = target.geometry.coordinates;
    const created = await send('POST', '/api/scenarios', { name: '补点', changes: [{ op: 'add', name: '新站', kind: 'neighborhood', lon, lat }] });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    const body = await uncovered(`?scenario=${id}`);
    expect(body.properties.scenario).toMatchObject({ id });
    expect(sum(body)).toBe(await notCovered(`?scenario=${id}`));
    const liveIds = new Set(live.features.map((f) => f.properties.id));
    // Adding a center only brings households in.
    expect(body.features.every((f) => liveIds.has(f.properties.id))).toBe(true);
    expect(body.features.length).toBeLessThan(live.features.length);
    expect(body.features.some((f) => f.properties.id === target.properties.id)).toBe(false);
  });

  it('answers bad input with 400 or 404 naming what is wrong', async () => {
    const cases: [string, number, string, string | undefined][] = [
      ['?bbox=119,25', 400, 'bad_request', 'bbox'],
      ['?bbox=119.1,25,119.0,26', 400, 'bad_request', 'bbox'],
      ['?bbox=a,b,c,d', 400, 'bad_request', 'bbox'],
      ['?bbox=0,95,1,96', 400, 'bad_request', 'bbox'],
      ['?minutes=0', 400, 'bad_request', 'minutes'],
      ['?kind=school', 400, 'unknown_kind', undefined],
      ['?scenario=999999', 404, 'unknown_scenario', undefined],
      ['?scenario=1&profile=elderly', 400, 'bad_request', 'profile'],
    ];
    for (const [query, status, code, field] of cases) {
      const res = await send('GET', `/api/households/uncovered${query}`);
      expect(res.status, query).toBe(status);
      expect(res.body.error.code, query).toBe(code);
      if (field) expect(res.body.error.field, query).toBe(field);
    }
  });
});
