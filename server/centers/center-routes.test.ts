import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends, openTestDatabase, type TestDatabase } from '../../test/backends.ts';
import { tileTestApp, storeSmallCity } from '../../test/tiles-fixture.ts';
import { readDataState } from '../../kernel/db/data-state.ts';
import type { DataChange } from '../../kernel/data-change.ts';
import { bearer } from '../../test/auth-fixture.ts';

describeBackends('centers API', (kind) => {
  let t: TestDatabase;
  let app: Awaited<ReturnType<typeof tileTestApp>>;
  const changes: DataChange[] = [];
  const send = (method: string, path: string, body?: unknown) =>
    app.http.request(path, {
      method,
      headers: { 'content-type': 'application/json', ...bearer(app.token) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    await storeSmallCity(t.db);
    app = await tileTestApp(t.db);
    app.changes.subscribe((c) => {
      changes.push(c);
    });
  });
  afterAll(async () => {
    app?.service.close();
    await t?.dispose();
  });

  it('lists centers, all or of one kind', async () => {
    const all = (await (await send('GET', '/api/centers')).json()).centers;
    expect(all).toHaveLength(12);
    expect(all[0]).toEqual({ id: 1, name: 'Center 0', kind: 'governance', services: ['elderly', 'party'], source: 'test', lon: expect.any(Number), lat: expect.any(Number) });
    const governance = (await (await send('GET', '/api/centers?kind=governance')).json()).centers;
    expect(governance.length).toBe(4);
    expect(governance.every((c: { kind: string }) => c.kind === 'governance')).toBe(true);
    expect((await (await send('GET', '/api/centers?kind=market')).json()).centers).toEqual([]);
    expect((await send('GET', "/api/centers?kind=x'%20OR%201=1")).status).toBe(400);
  });

  it('adds a center in one transaction with a version bump, then publishes where it is', async () => {
    const before = await readDataState(t.db);
    changes.length = 0;
    const res = await send('POST', '/api/centers', { name: ' New center ', kind: 'neighborhood', services: ['elderly'], lon: 119.001, lat: 25.451 });
    expect(res.status).toBe(201);
    const center = await res.json();
    expect(center).toEqual({ id: 13, name: 'New center', kind: 'neighborhood', services: ['elderly'], source: 'api', lon: 119.001, lat: 25.451 });
    expect(res.headers.get('location')).toBe('/api/centers/13');
    const after = await readDataState(t.db);
    expect(after.revision).toBe(before.revision + 1);
    expect(changes).toEqual([{ type: 'features', version: after.version, layers: ['centers'], boxes: [[119.001, 25.451, 119.001, 25.451]] }]);
    expect(await (await send('GET', '/api/centers/13')).json()).toEqual(center);
  });

  it('moves and renames a center, publishing the old and new positions', async () => {
    changes.length = 0;
    const res = await send('PATCH', '/api/centers/13', { lon: 119.002, name: 'Moved' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: 13, name: 'Moved', kind: 'neighborhood', lon: 119.002, lat: 25.451 });
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ type: 'features', layers: ['centers'], boxes: [[119.001, 25.451, 119.001, 25.451], [119.002, 25.451, 119.002, 25.451]] });
  });

  it('removes a center and answers it', async () => {
    changes.length = 0;
    const res = await send('DELETE', '/api/centers/13');
    expect(res.status).toBe(200);
    expect((await res.json()).name).toBe('Moved');
    expect(changes[0]).toMatchObject({ layers: ['centers'], boxes: [[119.002, 25.451, 119.002, 25.451]] });
    expect((await send('GET', '/api/centers/13')).status).toBe(404);
  });

  it('answers 404 for unknown ids without changing anything', async () => {
    const before = await readDataState(t.db);
    changes.length = 0;
    for (const [method, body] of [['GET', undefined], ['PATCH', { name: 'x' }], ['DELETE', undefined]] as const) {
      const res = await send(method, '/api/centers/999', body);
      expect(res.status, method).toBe(404);
      expect((await res.json()).error.message).toBe('no center with id 999');
    }
    expect((await readDataState(t.db)).revision).toBe(before.revision);
    expect(changes).toEqual([]);
  });

  it('answers 400 naming the field for bad input', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/centers', { kind: 'governance', lon: 119, lat: 25 }, 'name is required'],
      ['POST', '/api/centers', { name: 'a', kind: 'governance', lat: 25 }, 'lon is required'],
      ['POST', '/api/centers', { name: '', kind: 'governance', lon: 119, lat: 25 }, 'name must be'],
      ['POST', '/api/centers', { name: 'a', kind: 'Gov ernance', lon: 119, lat: 25 }, 'kind must be'],
      ['POST', '/api/centers', { name: 'a', kind: 'governance', lon: 200, lat: 25 }, 'lon must be between -180 and 180'],
      ['POST', '/api/centers', { name: 'a', kind: 'governance', lon: 119, lat: 89 }, 'lat must be'],
      ['POST', '/api/centers', { name: 'a', kind: 'governance', lon: '119', lat: 25 }, 'lon must be'],
      ['POST', '/api/centers', { name: 'a', kind: 'governance', lon: 119, lat: 25, services: 'x' }, 'services must be'],
      ['POST', '/api/centers', { name: 'a', kind: 'governance', lng: 119, lat: 25 }, 'unknown field "lng"'],
      ['POST', '/api/centers', '{not json', 'the body must be a JSON object'],
      ['POST', '/api/centers', [1, 2], 'the body must be a JSON object'],
      ['PATCH', '/api/centers/1', {}, 'nothing to change'],
      ['PATCH', '/api/centers/1', { lat: null }, 'lat must be'],
      ['PATCH', '/api/centers/abc', { name: 'x' }, 'id must be a positive whole number'],
      ['DELETE', '/api/centers/0', undefined, 'id must be a positive whole number'],
    ];
    for (const [method, path, body, message] of cases) {
      const res = await send(method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect((await res.json()).error.message).toContain(message);
    }
  });
});
