/**
 * Who may change what, on both backends: every token-protected operation of
 * the OpenAPI document refused without a token, with a wrong, expired or
 * revoked one, and with a token of too low a role, with nothing changed (data
 * version, centers, scenarios, tokens and audit trail as they were); done and
 * audited exactly once, with the row before and after, with the right token.
 * Every public read answers without a token, and none does when the
 * deployment makes reads need one. A write that fails leaves no audit row, and
 * the trail cannot be edited.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp, type App } from '../server/app.ts';
import { silentLogger } from '../server/logger.ts';
import { createOpenApiDocument } from '../server/openapi/openapi-document.ts';
import { accessTable, type Role } from '../server/http/route-access.ts';
import { readDataState } from '../kernel/db/data-state.ts';
import { createTokenStore } from '../server/auth/token-store.ts';
import { CLI_ACTOR } from '../server/auth/audit-log.ts';
import { describeBackends, type TestDatabase } from './backends.ts';
import { bearer, testToken } from './auth-fixture.ts';
import { openSmallCityApp, sendJson } from './small-city-app.ts';
import { SMALL_CITY_CENTER } from './tiles-fixture.ts';
import { latToTileY, lonToTileX } from '../server/tiles/tile-envelope.ts';

const [LON, LAT] = SMALL_CITY_CENTER;
const tile = (z: number) => `/tiles/grids,households,centers/${z}/${Math.floor(lonToTileX(LON, z))}/${Math.floor(latToTileY(LAT, z))}.mvt`;

/** One valid request per token-protected operation (ids filled in by the test). */
function protectedRequests(ids: { center: number; scenario: number; token: number }) {
  return [
    { method: 'POST', path: '/api/centers', body: { name: '新中心', kind: 'neighborhood', lon: LON + 0.001, lat: LAT + 0.001 } },
    { method: 'PATCH', path: `/api/centers/${ids.center}`, body: { name: '改名' } },
    { method: 'DELETE', path: `/api/centers/${ids.center}` },
    { method: 'GET', path: '/api/scenarios' },
    { method: 'GET', path: '/api/session' },
    { method: 'POST', path: '/api/scenarios', body: { name: '方案', changes: [] } },
    { method: 'PATCH', path: `/api/scenarios/${ids.scenario}`, body: { name: '方案二' } },
    { method: 'POST', path: `/api/scenarios/${ids.scenario}/apply` },
    { method: 'DELETE', path: `/api/scenarios/${ids.scenario}` },
    { method: 'GET', path: '/api/audit' },
    { method: 'GET', path: `/api/centers/${ids.center}/history` },
    { method: 'GET', path: '/api/tokens' },
    { method: 'POST', path: '/api/tokens', body: { role: 'reader', name: 'x' } },
    { method: 'DELETE', path: `/api/tokens/${ids.token}` },
  ];
}

/** The public reads, one request each. */
const READS = [
  '/health',
  `/api/nearest?lon=${LON}&lat=${LAT}`,
  `/api/isochrone?lon=${LON}&lat=${LAT}&minutes=5`,
  '/api/coverage',
  '/api/standard',
  '/api/search?q=Community',
  `/api/place?lon=${LON}&lat=${LAT}`,
  '/api/centers',
  '/api/centers/1',
  '/tiles/catalog.json',
  '/tiles/grids.json',
  tile(14),
  '/api/openapi.json',
  '/docs',
];

describeBackends('access and audit', (kind) => {
  let t: TestDatabase;
  let app: App;
  let doc: Record<string, unknown>;
  const tokens: Partial<Record<Role | 'expired' | 'revoked', string>> = {};

  beforeAll(async () => {
    ({ t, app } = await openSmallCityApp(kind));
    doc = createOpenApiDocument(app.http);
    for (const role of ['reader', 'planner', 'admin'] as const) tokens[role] = await testToken(t.db, role);
    const store = createTokenStore(t.db);
    const expired = await store.create({ role: 'admin', name: 'expired admin', expiresAt: new Date(Date.now() + 60_000) }, CLI_ACTOR);
    await t.db.query(`UPDATE api_tokens SET expires_at = now() - interval '1 minute' WHERE id = $1`, [expired.record.id]);
    tokens.expired = expired.token;
    const revoked = await store.create({ role: 'admin', name: 'revoked admin' }, CLI_ACTOR);
    await store.revoke(revoked.record.id, CLI_ACTOR);
    tokens.revoked = revoked.token;
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  /** Everything a write could change. */
  async function snapshot() {
    const count = async (table: string) => Number((await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);
    const revoked = Number((await t.db.query<{ n: string }>('SELECT count(*) AS n FROM api_tokens WHERE revoked_at IS NOT NULL'))[0]!.n);
    const names = (await t.db.query<{ s: string }>("SELECT string_agg(name || ST_AsText(geom), ',' ORDER BY id) AS s FROM centers"))[0]!.s;
    return { version: (await readDataState(t.db)).version, centers: names, scenarios: await count('scenarios'), tokens: await count('api_tokens'), revoked, audit: await count('audit_log') };
  }

  async function ids() {
    const center = Number((await t.db.query<{ id: number }>('SELECT max(id) AS id FROM centers'))[0]!.id);
    const scenario = (await sendJson(app, 'POST', '/api/scenarios', { name: 'target', changes: [] }, tokens.planner)).body.id as number;
    const token = (await createTokenStore(t.db).create({ role: 'reader', name: 'target' }, CLI_ACTOR)).record.id;
    return { center, scenario, token };
  }

  it('the document marks exactly the writes, the scenario list, the audit and the tokens as needing a token', () => {
    const needs = accessTable(doc).filter((e) => e.access !== 'read').map((e) => `${e.method} ${e.path} ${e.access}`).sort();
    expect(needs).toEqual([
      'DELETE /api/centers/{id} planner',
      'DELETE /api/scenarios/{id} planner',
      'DELETE /api/tokens/{id} admin',
      'GET /api/audit planner',
      'GET /api/centers/{id}/history planner',
      'GET /api/scenarios planner',
      'GET /api/session planner',
      'GET /api/tokens admin',
      'PATCH /api/centers/{id} planner',
      'PATCH /api/scenarios/{id} planner',
      'POST /api/centers planner',
      'POST /api/scenarios planner',
      'POST /api/scenarios/{id}/apply planner',
      'POST /api/tokens admin',
    ]);
    expect(protectedRequests({ center: 1, scenario: 1, token: 1 })).toHaveLength(needs.length);
  });

  it('refuses every protected operation without a good token of a high enough role, and changes nothing', async () => {
    const target = await ids();
    const table = accessTable(doc);
    const before = await snapshot();
    let refused = 0;
    for (const request of protectedRequests(target)) {
      const access = table.find((e) => e.method === request.method && e.pattern.test(request.path))!.access;
      const callers: [string, Record<string, string>, number, string][] = [
        ['no token', {}, 401, 'unauthorized'],
        ['not a bearer token', { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` }, 401, 'unauthorized'],
        ['a wrong token', bearer(tokens.planner!.slice(0, -4) + 'AAAA'), 401, 'unauthorized'],
        ['an unknown id', bearer(tokens.planner!.replace(/^lc_\d+_/, 'lc_99999_')), 401, 'unauthorized'],
        ['an expired admin token', bearer(tokens.expired!), 401, 'unauthorized'],
        ['a revoked admin token', bearer(tokens.revoked!), 401, 'unauthorized'],
        ['a reader token', bearer(tokens.reader!), 403, 'forbidden'],
        ...(access === 'admin' ? [['a planner token', bearer(tokens.planner!), 403, 'forbidden'] as [string, Record<string, string>, number, string]] : []),
      ];
      for (const [who, headers, status, code] of callers) {
        const res = await app.http.request(request.path, {
          method: request.method,
          headers: { 'content-type': 'application/json', ...headers },
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
        });
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect([request.method, request.path, who, res.status, body.error.code]).toEqual([request.method, request.path, who, status, code]);
        if (status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="living-circle"/);
        // The answer never tells a wrong token from an unknown, expired or revoked one.
        if (status === 401 && who !== 'no token' && who !== 'not a bearer token') expect(body.error.message).toBe('the token is not valid: check it, or ask for a new one');
        refused++;
      }
    }
    expect(refused).toBeGreaterThanOrEqual(13 * 7);
    expect(await snapshot()).toEqual(before);
  });

  it('does each write with the right token, and audits it once with the row before and after', async () => {
    const target = await ids();
    const auditBefore = Number((await t.db.query<{ n: string }>('SELECT max(id) AS n FROM audit_log'))[0]!.n ?? 0);
    const expected: [string, string, string][] = [];
    for (const request of protectedRequests(target)) {
      const admin = request.path.startsWith('/api/tokens');
      const res = await sendJson(app, request.method, request.path, request.body, admin ? tokens.admin : tokens.planner);
      expect([request.method, request.path, res.status]).toEqual([request.method, request.path, request.method === 'POST' && !request.path.endsWith('/apply') ? 201 : 200]);
      const entity = request.path.split('/')[2]!.replace(/s$/, '');
      if (request.method === 'GET') continue;
      if (request.path.endsWith('/apply')) {
        expected.push(['scenario.apply', 'test planner', 'scenario']);
        continue;
      }
      const action = { POST: 'create', PATCH: 'update', DELETE: entity === 'token' ? 'revoke' : 'remove' }[request.method]!;
      expected.push([`${entity}.${entity === 'center' && action === 'create' ? 'add' : action}`, admin ? 'test admin' : 'test planner', entity]);
    }
    const rows = await t.db.query<{ action: string; actor: string; entity: string; before: unknown; after: unknown }>('SELECT action, actor, entity, before, after FROM audit_log WHERE id > $1 ORDER BY id', [auditBefore]);
    expect(rows.map((r) => [r.action, r.actor, r.entity])).toEqual(expected);
    for (const row of rows) {
      const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
      const [before, after] = [parse(row.before), parse(row.after)];
      if (/\.(add|create)$/.test(row.action)) expect([before, after]).toEqual([null, expect.objectContaining({ id: expect.any(Number) })]);
      else if (/\.remove$/.test(row.action)) expect([before, after]).toEqual([expect.objectContaining({ id: expect.any(Number) }), null]);
      else if (row.action === 'scenario.apply') expect([before, after]).toEqual([expect.objectContaining({ id: expect.any(Number) }), { revision: expect.any(Number), added: [], moved: [], removed: [] }]);
      else expect([before, after]).toEqual([expect.objectContaining({ id: expect.any(Number) }), expect.objectContaining({ id: expect.any(Number) })]);
      // Never a token or its hash in the trail.
      expect(JSON.stringify(row)).not.toMatch(/lc_\d+_|secret/);
    }
  });

  it('audits an apply as the scenario plus each center it changed, in the same transaction', async () => {
    const center = Number((await t.db.query<{ id: number }>('SELECT max(id) AS id FROM centers'))[0]!.id);
    const scenario = (await sendJson(app, 'POST', '/api/scenarios', { name: 'apply me', changes: [{ op: 'remove', center_id: center }, { op: 'add', name: '新址', kind: 'neighborhood', lon: LON - 0.002, lat: LAT }] }, tokens.planner)).body;
    const from = Number((await t.db.query<{ n: string }>('SELECT max(id) AS n FROM audit_log'))[0]!.n);
    const applied = await sendJson(app, 'POST', `/api/scenarios/${scenario.id}/apply`, undefined, tokens.planner);
    expect(applied.status).toBe(200);
    const rows = await t.db.query<{ action: string; entity_id: string }>('SELECT action, entity_id FROM audit_log WHERE id > $1 ORDER BY id', [from]);
    expect(rows.map((r) => r.action)).toEqual(['center.remove', 'center.add', 'scenario.apply']);
    expect(rows[0]!.entity_id).toBe(String(center));
  });

  it('leaves no audit row when a write fails, and the trail cannot be edited', async () => {
    const before = await snapshot();
    expect((await sendJson(app, 'PATCH', '/api/centers/999999', { name: 'x' }, tokens.planner)).status).toBe(404);
    expect((await sendJson(app, 'POST', '/api/centers', { name: 'x', kind: 'neighborhood', lon: 0, lat: 0 }, tokens.planner)).status).toBe(422);
    expect((await sendJson(app, 'POST', '/api/scenarios', { name: 'x', changes: [{ op: 'remove', center_id: 999999 }] }, tokens.planner)).status).toBe(400);
    // A stale apply fails inside its transaction, after the first edits were written: all of it rolls back, the audit rows too.
    const center = Number((await t.db.query<{ id: number }>('SELECT max(id) AS id FROM centers'))[0]!.id);
    const plan = (await sendJson(app, 'POST', '/api/scenarios', { name: 'stale', changes: [{ op: 'remove', center_id: center }] }, tokens.planner)).body;
    await sendJson(app, 'PATCH', `/api/centers/${center}`, { name: '同时改动' }, tokens.planner);
    const mid = await snapshot();
    expect((await sendJson(app, 'POST', `/api/scenarios/${plan.id}/apply`, undefined, tokens.planner)).status).toBe(409);
    expect(await snapshot()).toEqual(mid);
    expect(mid.audit).toBe(before.audit + 2);
    await expect(t.db.query('UPDATE audit_log SET actor = $1', ['someone else'])).rejects.toThrow(/append-only/);
    await expect(t.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(t.db.exec('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
  });

  it('restores a removed center by hand from its history', async () => {
    const added = (await sendJson(app, 'POST', '/api/centers', { name: '社区卫生服务站', kind: 'neighborhood', services: ['health'], lon: LON + 0.002, lat: LAT - 0.001 }, tokens.planner)).body;
    expect((await sendJson(app, 'DELETE', `/api/centers/${added.id}`, undefined, tokens.planner)).status).toBe(200);
    const history = (await sendJson(app, 'GET', `/api/centers/${added.id}/history`, undefined, tokens.planner)).body.records;
    const removal = history.at(-1);
    expect(removal).toMatchObject({ action: 'center.remove', actor: 'test planner', after: null });
    // The documented procedure: POST the removed row's fields again.
    const { name, kind, services, lon, lat } = removal.before;
    const restored = await sendJson(app, 'POST', '/api/centers', { name, kind, services, lon, lat }, tokens.planner);
    expect(restored.status).toBe(201);
    expect(restored.body).toMatchObject({ name, kind, services, lon, lat });
    expect(restored.body.id).not.toBe(added.id);
  });

  it('answers every public read without a token, with any token, and ignores a bad one', async () => {
    for (const path of READS) {
      for (const headers of [{}, bearer(tokens.reader!), bearer('lc_1_not-a-token')]) {
        const res = await app.http.request(path, { headers });
        expect([path, res.status]).toEqual([path, expect.any(Number)]);
        expect([path, res.status < 300]).toEqual([path, true]);
        await res.arrayBuffer();
      }
    }
    const post = await app.http.request('/api/isochrone', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ origins: [[LON, LAT]], minutes: [5] }) });
    expect(post.status).toBe(200);
  });

  it('refuses every read without a token when reads need one, and takes any valid token', async () => {
    const privateApp = await createApp({ db: t.db, logger: silentLogger, dataDir: undefined, access: { readsNeedToken: true } });
    try {
      await privateApp.idle();
      for (const path of READS) {
        const anonymous = await privateApp.http.request(path);
        expect([path, anonymous.status, anonymous.headers.get('www-authenticate')]).toEqual([path, 401, 'Bearer realm="living-circle"']);
        const wrong = await privateApp.http.request(path, { headers: bearer('lc_1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA') });
        expect([path, wrong.status]).toEqual([path, 401]);
        const reader = await privateApp.http.request(path, { headers: bearer(tokens.reader!) });
        expect([path, reader.status < 300]).toEqual([path, true]);
        await reader.arrayBuffer();
      }
      const post = await privateApp.http.request('/api/isochrone', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ origins: [[LON, LAT]], minutes: [5] }) });
      expect(post.status).toBe(401);
    } finally {
      await privateApp.close();
    }
  });
});
