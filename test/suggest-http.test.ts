/**
 * POST /api/plan/suggest through the HTTP API, on both backends: the
 * answer's sites, stored as a scenario through its `changes`, gain exactly
 * what the suggestion said (two independent computations: the engine's
 * coverage sets against the scenario's repaired coverage); exact and greedy
 * agree with their bounds; target_share reaches its share; a scenario's
 * centers stay fixed when one is named; bad input is 400, 404 or 422 naming
 * the field or point, and nothing is written.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { App } from '../server/app.ts';
import { describeBackends, type TestDatabase } from './backends.ts';
import { openSmallCityApp, sendJson } from './small-city-app.ts';
import { SMALL_CITY_CENTER } from './tiles-fixture.ts';
import { testToken } from './auth-fixture.ts';

const [LON, LAT] = SMALL_CITY_CENTER;

describeBackends('site suggestions', (kind) => {
  let t: TestDatabase;
  let app: App;
  const send = async (method: string, path: string, body?: unknown) => sendJson(app, method, path, body, await testToken(t.db));
  const suggest = (body: unknown) => send('POST', '/api/plan/suggest', body);
  const fifteen = (summary: { circles: { minutes: number }[] }) => summary.circles.find((c) => c.minutes === 15) as Record<string, number>;

  beforeAll(async () => {
    // Many suggestions in a row from one token: more than a planner's default allowance (test/request-limits.test.ts tests the limits).
    const many = { burst: 1000, perMinute: 1000 };
    ({ t, app } = await openSmallCityApp(kind, { limits: { suggest: many, exact: many } }));
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('suggests k sites whose scenario gains exactly what the answer says, with a curve, totals and a bound', async () => {
    const live = (await send('GET', '/api/coverage')).body.total;
    const { status, body } = await suggest({ k: 3 });
    expect(status).toBe(200);
    expect(body).toMatchObject({ objective: 'max_coverage', method: 'greedy', weight: 'households', minutes: 15, k: 3, scenario: null });
    expect(body.sites).toHaveLength(3);
    expect(body.totals.before.households).toBe(live.covered);
    // Marginal gains add up along the curve, and never grow (greedy order).
    let covered = body.totals.before.weight;
    body.sites.forEach((site: { rank: number; gained: { weight: number } }, i: number) => {
      expect(site.rank).toBe(i + 1);
      covered += site.gained.weight;
      expect(body.curve[i].weight).toBe(covered);
      if (i > 0) expect(site.gained.weight).toBeLessThanOrEqual(body.sites[i - 1].gained.weight);
    });
    expect(body.totals.after.weight).toBe(covered);
    expect(body.totals.gained.households).toBe(body.totals.after.households - body.totals.before.households);
    expect(body.bound.weight).toBeGreaterThanOrEqual(body.totals.gained.weight);
    expect(body.bound.gap).toBeCloseTo((body.bound.weight - body.totals.gained.weight) / body.bound.weight, 12);
    expect(body.candidates).toMatchObject({ generated: true, spacing_m: 100 });
    expect(body.candidates.count).toBeGreaterThan(body.candidates.used - 1);

    // The answer's changes, stored as a scenario, gain what the suggestion said; the live data is untouched.
    const scenario = await send('POST', '/api/scenarios', { name: '建议方案', changes: body.changes });
    expect(scenario.status).toBe(201);
    const circle = fifteen(scenario.body.summary);
    expect(circle.gained).toBe(body.totals.gained.households);
    expect(circle.lost).toBe(0);
    expect(circle.persons_after - circle.persons_before).toBe(body.totals.gained.persons);
    expect((await send('GET', '/api/coverage')).body.total).toEqual(live);
  });

  it('solves exactly with HiGHS, never below greedy, and the greedy bound is never below the exact optimum', async () => {
    for (const k of [1, 4]) {
      const greedy = (await suggest({ k, weight: 'persons' })).body;
      const exact = await suggest({ k, weight: 'persons', method: 'exact', time_limit_s: 30 });
      expect(exact.status).toBe(200);
      expect(exact.body.status).toBe('optimal');
      expect(exact.body.bound.gap).toBe(0);
      expect(exact.body.totals.gained.weight).toBeGreaterThanOrEqual(greedy.totals.gained.weight);
      expect(greedy.bound.weight).toBeGreaterThanOrEqual(exact.body.totals.gained.weight);
      expect(exact.body.totals.gained.weight).toBe(exact.body.totals.gained.persons);
    }
  });

  it('reaches a target share with the fewest sites it finds, and says so', async () => {
    const { status, body } = await suggest({ target_share: 0.95 });
    expect(status).toBe(200);
    expect(body.objective).toBe('target_share');
    expect(body.target.reached).toBe(true);
    expect(body.totals.after.share).toBeGreaterThanOrEqual(0.95);
    // One site fewer would not do: the curve crosses the share at its last point.
    const last = body.curve.length;
    expect(last).toBe(body.sites.length);
    if (last > 1) expect(body.curve[last - 2].share).toBeLessThan(0.95);
    expect(body.bound.sites).toBeLessThanOrEqual(body.sites.length);

    // A share two candidates cannot reach: the best effort, said to fall short, with no gap.
    const short = (await suggest({ target_share: 1, candidates: [[LON, LAT], [LON - 0.012, LAT - 0.012]] })).body;
    expect(short.status).toBe('unreachable');
    expect(short.target.reached).toBe(false);
    expect(short.bound.gap).toBeNull();
    expect(short.totals.after.share).toBeLessThan(1);
  });

  it('keeps a named scenario\'s centers fixed, and only the kind asked for', async () => {
    const first = (await suggest({ k: 1 })).body;
    const scenario = (await send('POST', '/api/scenarios', { name: 'First site', changes: first.changes })).body;
    const next = (await suggest({ k: 1, scenario: scenario.id })).body;
    expect(next.scenario).toEqual({ id: scenario.id, revision: scenario.revision });
    expect(next.totals.before.households).toBe(fifteen(scenario.summary).households_after);
    // The site already built by the scenario is not suggested again.
    expect([next.sites[0].lon, next.sites[0].lat]).not.toEqual([first.sites[0].lon, first.sites[0].lat]);

    const kinds = (await send('GET', '/api/centers')).body.centers.map((c: { kind: string }) => c.kind);
    const kindAnswer = (await suggest({ k: 1, kind: kinds[0] })).body;
    expect(kindAnswer.kind).toBe(kinds[0]);
    expect(kindAnswer.changes[0].kind).toBe(kinds[0]);
    expect(kindAnswer.totals.before.households).toBe((await send('GET', `/api/coverage?kind=${kinds[0]}`)).body.total.covered);
  });

  it('plans for the elderly on their profile, and not on a scenario', async () => {
    const elderly = await suggest({ k: 2, profile: 'elderly' });
    expect(elderly.status).toBe(200);
    expect(elderly.body).toMatchObject({ profile: 'elderly', speed_kmh: 3.3 });
    expect(elderly.body.totals.before.households).toBe((await send('GET', '/api/coverage?profile=elderly')).body.total.covered);
    const scenario = (await send('POST', '/api/scenarios', { name: 'Empty', changes: [] })).body;
    const refused = await suggest({ k: 1, profile: 'child', scenario: scenario.id });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/profile/);
  });

  it('chooses among given candidates only, and snaps them like centers', async () => {
    const candidates = [
      [LON - 0.012, LAT - 0.012],
      [LON + 0.011, LAT + 0.012],
      [LON, LAT],
    ];
    const { status, body } = await suggest({ k: 2, candidates, method: 'exact' });
    expect(status).toBe(200);
    expect(body.candidates).toMatchObject({ generated: false, count: 3 });
    for (const site of body.sites) expect(candidates[site.candidate]).toEqual([site.lon, site.lat]);
  });

  it('answers bad input with 400, 404 and 422 naming what is wrong, and stores nothing', async () => {
    const before = (await send('GET', '/api/scenarios')).body.scenarios.length;
    const cases: [unknown, number, string, string | undefined, RegExp][] = [
      [{ k: 0 }, 400, 'bad_request', 'k', /1 to 50/],
      [{ k: 51 }, 400, 'bad_request', 'k', /1 to 50/],
      [{ k: 2.5 }, 400, 'bad_request', 'k', /whole/],
      [{}, 400, 'bad_request', 'k', /target_share/],
      [{ k: 3, target_share: 0.9 }, 400, 'bad_request', 'target_share', /exactly one/],
      [{ target_share: 1.2 }, 400, 'bad_request', 'target_share', /at most 1/],
      [{ k: 1, time_limit_s: 121 }, 400, 'bad_request', 'time_limit_s', /120/],
      [{ k: 1, method: 'best' }, 400, 'bad_request', 'method', /greedy/],
      [{ k: 1, weight: 'grids' }, 400, 'bad_request', 'weight', /persons/],
      [{ k: 1, candidates: Array.from({ length: 20_001 }, () => [LON, LAT]) }, 400, 'bad_request', 'candidates', /20000/],
      [{ k: 1, candidates: [[LON, 95]] }, 400, 'bad_request', 'candidates[0][1]', /lat/],
      [{ k: 1, sites: 3 }, 400, 'bad_request', 'sites', /unknown field/],
      [{ k: 1, kind: 'school' }, 400, 'unknown_kind', undefined, /school/],
      [{ k: 1, scenario: 987654 }, 404, 'unknown_scenario', undefined, /987654/],
      [{ k: 1, candidates: [[LON, LAT], [LON + 0.5, LAT]] }, 422, 'outside_data_bounds', undefined, /candidates\[1\]/],
    ];
    for (const [body, status, code, field, message] of cases) {
      const res = await suggest(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.field).toBe(field);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await send('GET', '/api/scenarios')).body.scenarios.length).toBe(before);
  });
});
