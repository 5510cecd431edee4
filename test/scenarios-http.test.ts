/**
 * Scenarios through the HTTP API, on both backends: stored and listed, read
 * with a summary that agrees with /api/coverage?scenario= and with the
 * scenario's tiles, edited (revision up, only its tiles change), kept over a
 * restart, answered 409 once the live data drops a center a change names,
 * refused to apply after the live data moved on, and applied to give the
 * live data exactly the scenario's numbers. The live data is never touched
 * before apply.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp, type App } from '../server/app.ts';
import { silentLogger } from '../server/logger.ts';
import { latToTileY, lonToTileX } from '../server/tiles/tile-envelope.ts';
import { describeBackends, type TestDatabase } from './backends.ts';
import { openSmallCityApp, sendJson } from './small-city-app.ts';
import { decodeTile, SMALL_CITY_CENTER } from './tiles-fixture.ts';
import { bearer, testToken } from './auth-fixture.ts';

const [LON, LAT] = SMALL_CITY_CENTER;
/** A new center in the city's south-west, where coverage is thin. */
const ADD = { op: 'add', name: 'New center', kind: 'neighborhood', lon: LON - 0.012, lat: LAT - 0.012 };

describeBackends('scenarios', (kind) => {
  let t: TestDatabase;
  let app: App;
  const send = async (method: string, path: string, body?: unknown) => sendJson(app, method, path, body, await testToken(t.db));
  const liveTotals = async () => (await send('GET', '/api/coverage')).body.total;

  beforeAll(async () => {
    ({ t, app } = await openSmallCityApp(kind));
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  /** Every households feature of the city at z14, summed by its `change`, for a tile query. */
  async function householdsByChange(query: string): Promise<Record<string, number>> {
    const z = 14;
    const sums: Record<string, number> = {};
    const [x0, x1] = [Math.floor(lonToTileX(LON - 0.02, z)), Math.floor(lonToTileX(LON + 0.02, z))];
    const [y0, y1] = [Math.floor(latToTileY(LAT + 0.02, z)), Math.floor(latToTileY(LAT - 0.02, z))];
    const seen = new Set<number>();
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const res = await app.http.request(`/tiles/households/${z}/${x}/${y}.mvt${query}`);
        if (res.status === 204) continue;
        for (const f of decodeTile(new Uint8Array(await res.arrayBuffer())).households?.features ?? []) {
          // Features in a tile's buffer show again in the next tile: count each unit once.
          if (seen.has(f.id as number)) continue;
          seen.add(f.id as number);
          const change = String(f.properties.change ?? 'none');
          sums[change] = (sums[change] ?? 0) + Number(f.properties.households);
        }
      }
    }
    return sums;
  }

  it('stores a scenario without touching the live data, and its summary agrees with coverage and tiles', async () => {
    const before = await liveTotals();
    const centersBefore = (await send('GET', '/api/centers')).body.centers.length;
    const created = await send('POST', '/api/scenarios', { name: 'South-west center', changes: [ADD, { op: 'remove', center_id: 1 }] });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/scenarios/${created.body.id}`);
    expect(created.body).toMatchObject({ name: 'South-west center', revision: 1, changes: [expect.objectContaining({ op: 'add' }), { op: 'remove', center_id: 1 }] });
    expect(await liveTotals()).toEqual(before);
    expect((await send('GET', '/api/centers')).body.centers.length).toBe(centersBefore);

    const fifteen = created.body.summary.circles.find((c: { minutes: number }) => c.minutes === 15);
    expect(fifteen.households_before).toBe(before.covered);
    expect(fifteen.gained).toBeGreaterThan(0);
    expect(fifteen.households_after).toBe(fifteen.households_before + fifteen.gained - fifteen.lost);
    const scenario = (await send('GET', `/api/coverage?scenario=${created.body.id}`)).body;
    expect(scenario.total).toMatchObject({ covered: fifteen.households_after, covered_before: before.covered, gained: fifteen.gained, lost: fifteen.lost });
    for (const level of ['district', 'grid']) {
      const units = (await send('GET', `/api/coverage?level=${level}&scenario=${created.body.id}`)).body.units as { gained: number; lost: number }[];
      expect(units.reduce((a, u) => a + u.gained, 0)).toBe(fifteen.gained);
      expect(units.reduce((a, u) => a + u.lost, 0)).toBe(fifteen.lost);
    }
    // The households layer says the same, household by household.
    const byChange = await householdsByChange(`?scenario=${created.body.id}`);
    expect(byChange.gained ?? 0).toBe(fifteen.gained);
    expect(byChange.lost ?? 0).toBe(fifteen.lost);
    expect(Object.keys(await householdsByChange(''))).toEqual(['none']);
  });

  it('re-tiles only the edited scenario, raises its revision, and keeps scenarios over a restart', async () => {
    const a = (await send('POST', '/api/scenarios', { name: 'A', changes: [ADD] })).body;
    const b = (await send('POST', '/api/scenarios', { name: 'B', changes: [{ ...ADD, lon: LON + 0.012 }] })).body;
    const z = 14;
    const tile = `/tiles/households,centers/${z}/${Math.floor(lonToTileX(ADD.lon, z))}/${Math.floor(latToTileY(ADD.lat, z))}.mvt`;
    const etag = async (query: string) => (await app.http.request(`${tile}${query}`)).headers.get('etag');
    const [live, ofA, ofB] = [await etag(''), await etag(`?scenario=${a.id}`), await etag(`?scenario=${b.id}`)];
    expect(new Set([live, ofA, ofB]).size).toBe(3);
    const edited = await send('PATCH', `/api/scenarios/${a.id}`, { changes: [{ ...ADD, lon: ADD.lon + 0.002 }] });
    expect(edited.body.revision).toBe(2);
    expect(await etag(`?scenario=${a.id}`)).not.toBe(ofA);
    expect(await etag('')).toBe(live);
    expect(await etag(`?scenario=${b.id}`)).toBe(ofB);
    // A 304 for the live tile still holds.
    expect((await app.http.request(tile, { headers: { 'if-none-match': live! } })).status).toBe(304);

    const again = await createApp({ db: t.db, logger: silentLogger, dataDir: undefined });
    try {
      const listed = (await (await again.http.request('/api/scenarios', { headers: bearer(await testToken(t.db)) })).json()) as { scenarios: { id: number; revision: number }[] };
      expect(listed.scenarios.find((s) => s.id === a.id)?.revision).toBe(2);
      expect((await again.http.request(`/api/scenarios/${b.id}`)).status).toBe(200);
    } finally {
      await again.close();
    }
  });

  it('renames with the name alone: changes and summary kept, the revision up; an empty or long name is refused naming the field, and only a planner may', async () => {
    const created = (await send('POST', '/api/scenarios', { name: 'Before', changes: [ADD] })).body;
    const renamed = await send('PATCH', `/api/scenarios/${created.id}`, { name: '  河畔新站  ' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: created.id, name: '河畔新站', revision: created.revision + 1, changes: created.changes, summary: created.summary });
    const listed = (await send('GET', '/api/scenarios')).body.scenarios as { id: number; name: string }[];
    expect(listed.find((s) => s.id === created.id)?.name).toBe('河畔新站');
    for (const name of ['', '   ', 'x'.repeat(201), 7]) {
      const res = await send('PATCH', `/api/scenarios/${created.id}`, { name });
      expect([res.status, res.body.error.code, res.body.error.field], JSON.stringify(name)).toEqual([400, 'bad_request', 'name']);
      expect(res.body.error.message).toMatch(/name must be a non-empty string of at most 200 characters/);
    }
    expect((await sendJson(app, 'PATCH', `/api/scenarios/${created.id}`, { name: 'anonymous' })).status).toBe(401);
    expect((await sendJson(app, 'PATCH', `/api/scenarios/${created.id}`, { name: 'reader' }, await testToken(t.db, 'reader'))).status).toBe(403);
    expect((await send('GET', `/api/scenarios/${created.id}`)).body).toMatchObject({ name: '河畔新站', revision: created.revision + 1, changes: created.changes });
  });

  it('answers bad input with 400, 404 and 422 naming what is wrong, and stores nothing then', async () => {
    const count = (await send('GET', '/api/scenarios')).body.scenarios.length;
    const cases: [string, string, unknown, number, string, RegExp][] = [
      ['POST', '/api/scenarios', { name: 'x', changes: [{ op: 'remove', center_id: 999 }] }, 400, 'bad_request', /changes\[0\]\.center_id.*999/],
      ['POST', '/api/scenarios', { name: 'x', changes: [{ op: 'jump' }] }, 400, 'bad_request', /changes\[0\]\.op must be add, move or remove/],
      ['POST', '/api/scenarios', { changes: [] }, 400, 'bad_request', /name is required/],
      ['POST', '/api/scenarios', { name: 'x', changes: [{ ...ADD, lng: 1 }] }, 400, 'bad_request', /unknown field "lng"/],
      ['POST', '/api/scenarios', { name: 'x', changes: [{ op: 'remove', center_id: 2 }, { op: 'move', center_id: 2, lon: LON, lat: LAT }] }, 400, 'bad_request', /changes\[1\]\.center_id/],
      ['POST', '/api/scenarios', { name: 'x', changes: [{ ...ADD, lon: LON + 0.5 }] }, 422, 'outside_data_bounds', /changes\[0\] \(add\)/],
      ['PATCH', '/api/scenarios/1', {}, 400, 'bad_request', /nothing to change/],
      ['GET', '/api/scenarios/9999', undefined, 404, 'unknown_scenario', /no scenario with id 9999/],
      ['GET', '/api/coverage?scenario=9999', undefined, 404, 'unknown_scenario', /9999/],
      ['GET', '/api/scenarios/abc', undefined, 400, 'bad_request', /id must be a positive whole number/],
      ['GET', '/tiles/households/14/0/0.mvt?scenario=x', undefined, 400, 'bad_request', /scenario must be a scenario id/],
    ];
    for (const [method, path, body, status, code, message] of cases) {
      const res = await send(method, path, body);
      expect([method, path, res.status, res.body.error.code]).toEqual([method, path, status, code]);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await send('GET', '/api/scenarios')).body.scenarios.length).toBe(count);
  });

  it('answers 409 for a change naming a center the live data dropped, refuses a stale apply, and applies to the scenario\'s numbers', async () => {
    // A live center that a scenario moves, then removed from the live data: the scenario answers 409 until edited.
    const extra = (await send('POST', '/api/centers', { name: 'Temporary', kind: 'governance', lon: LON + 0.003, lat: LAT + 0.003 })).body;
    const moving = (await send('POST', '/api/scenarios', { name: 'Moves it', changes: [{ op: 'move', center_id: extra.id, lon: LON - 0.003, lat: LAT }] })).body;
    await send('DELETE', `/api/centers/${extra.id}`);
    await app.idle();
    const conflict = await send('GET', `/api/scenarios/${moving.id}`);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toMatchObject({ code: 'scenario_conflict' });
    expect(conflict.body.error.message).toContain(`center ${extra.id}`);
    expect((await send('GET', `/api/coverage?scenario=${moving.id}`)).status).toBe(409);
    expect((await send('PATCH', `/api/scenarios/${moving.id}`, { changes: [] })).status).toBe(200);

    // Evaluated, then the live data moves on: apply refuses and writes nothing.
    const plan = (await send('POST', '/api/scenarios', { name: 'Plan', changes: [ADD, { op: 'remove', center_id: 2 }] })).body;
    await send('POST', '/api/centers', { name: 'Meanwhile', kind: 'governance', lon: LON + 0.004, lat: LAT - 0.004 });
    await app.idle();
    const centers = (await send('GET', '/api/centers')).body.centers.length;
    const stale = await send('POST', `/api/scenarios/${plan.id}/apply`);
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale_scenario');
    expect((await send('GET', '/api/centers')).body.centers.length).toBe(centers);

    // Read again (evaluated on the live data now), then applied: the live numbers are the scenario's.
    const fresh = (await send('GET', `/api/scenarios/${plan.id}`)).body;
    const applied = await send('POST', `/api/scenarios/${plan.id}/apply`);
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ scenario: plan.id, added: [expect.any(Number)], moved: [], removed: [2] });
    await app.idle();
    for (const circle of fresh.summary.circles) {
      const live = (await send('GET', `/api/coverage?minutes=${circle.minutes}`)).body.total;
      expect([circle.minutes, live.covered]).toEqual([circle.minutes, circle.households_after]);
    }
    expect((await send('GET', '/api/centers/2')).status).toBe(404);
  });
});
