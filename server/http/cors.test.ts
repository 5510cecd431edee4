/**
 * The CORS middleware on a small app of routes mounted with defineRoute
 * (so their rules come from x-access in a real OpenAPI document): reads
 * open to every origin, writes only to configured ones and to our own page,
 * preflights answered without reaching a route, and a foreign write refused
 * before its handler runs.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { createOpenApiDocument } from '../openapi/openapi-document.ts';
import { corsByAccess, type CorsOptions } from './cors.ts';
import { defineRoute } from './define-route.ts';
import { handleError, handleNotFound } from './error-mapping.ts';
import { accessTable, installAccessGate, type AccessGate } from './route-access.ts';
import { silentLogger } from '../logger.ts';

const FOREIGN = 'https://maps.elsewhere.example';
const PLANNING = 'https://planning.example.org';

/** An app with a public GET and POST, a write, and a counter of handler runs (what a write would change). */
function testApp(options?: Partial<CorsOptions>) {
  const http = new OpenAPIHono();
  http.onError(handleError(silentLogger));
  http.notFound(handleNotFound);
  const ran: string[] = [];
  // Lets every token through: these tests are about origins, not tokens.
  const gate: AccessGate = { authorize: async () => undefined };
  http.use('*', installAccessGate(gate));
  let document: Record<string, unknown> | undefined;
  http.use('*', corsByAccess(() => accessTable((document ??= createOpenApiDocument(http))), options));
  const ok = { 200: { description: 'ok' } };
  const body = z.object({ x: z.number().optional() });
  defineRoute(http, { method: 'get', path: '/api/things', operationId: 'list', tags: [], summary: 's', responses: ok }, (c) => {
    ran.push('list');
    return c.json({ things: [] }, 200, { ETag: '"1"' });
  });
  defineRoute(http, { method: 'post', path: '/api/search', access: 'read', operationId: 'search', tags: [], summary: 's', body, responses: ok }, (c) => {
    ran.push('search');
    return c.json({ found: 0 });
  });
  defineRoute(http, { method: 'post', path: '/api/things', operationId: 'add', tags: [], summary: 's', body, responses: ok }, (c) => {
    ran.push('add');
    return c.json({ id: 1 }, 201, { Location: '/api/things/1' });
  });
  defineRoute(http, { method: 'delete', path: '/api/things/{id}', access: 'admin', operationId: 'remove', tags: [], summary: 's', params: z.object({ id: z.string() }), responses: ok }, (c) => {
    ran.push('remove');
    return c.json({});
  });
  // A route outside defineRoute: not in the document.
  http.post('/undocumented', (c) => {
    ran.push('undocumented');
    return c.json({});
  });
  return { http, ran };
}

const preflight = (method: string, origin = FOREIGN, headers = 'content-type, authorization') => ({
  method: 'OPTIONS',
  headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
});
const post = (origin: string | undefined, extra: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}), ...extra },
  body: '{}',
});

describe('CORS for reads', () => {
  it('answers a preflight for a public POST from any origin: 204, *, the methods, headers and max-age', async () => {
    const { http, ran } = testApp();
    const res = await http.request('/api/search', preflight('POST'));
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('POST');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Content-Type.*Authorization.*If-None-Match/);
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(ran).toEqual([]);
  });

  it('opens a GET and a public POST to any origin, and exposes ETag and Location', async () => {
    const { http } = testApp();
    const get = await http.request('/api/things', { headers: { origin: FOREIGN } });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBe('*');
    expect(get.headers.get('access-control-expose-headers')).toMatch(/ETag.*Location.*Retry-After/);
    const search = await http.request('/api/search', post(FOREIGN));
    expect(search.status).toBe(200);
    expect(search.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('opens error answers of reads too, so a page can read the message', async () => {
    const { http } = testApp();
    const res = await http.request('/api/search', { ...post(FOREIGN), body: '[1]' });
    expect(res.status).toBe(400);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('lists only the read methods of a mixed path for a foreign origin', async () => {
    const { http } = testApp();
    const res = await http.request('/api/things', preflight('GET'));
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(FOREIGN);
    expect(res.headers.get('vary')).toMatch(/Origin/);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, HEAD');
  });
});

describe('CORS for writes', () => {
  it('gives a foreign origin no allow headers in the preflight of a write', async () => {
    const { http } = testApp();
    for (const [method, path] of [['DELETE', '/api/things/1'], ['POST', '/api/things']] as const) {
      const res = await http.request(path, preflight(method));
      expect(res.status, path).toBe(204);
      expect(res.headers.get('access-control-allow-origin'), path).toBeNull();
      expect(res.headers.get('access-control-allow-methods'), path).toBeNull();
    }
  });

  it('allows a configured origin: its origin echoed with Vary: Origin, in the preflight and the answer', async () => {
    const { http, ran } = testApp({ writeOrigins: [PLANNING] });
    const pre = await http.request('/api/things/1', preflight('DELETE', PLANNING));
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(PLANNING);
    expect(pre.headers.get('access-control-allow-methods')).toContain('DELETE');
    expect(pre.headers.get('vary')).toMatch(/Origin/);
    const res = await http.request('/api/things', post(PLANNING));
    expect(res.status).toBe(201);
    expect(res.headers.get('access-control-allow-origin')).toBe(PLANNING);
    expect(res.headers.get('vary')).toMatch(/Origin/);
    expect(res.headers.get('access-control-expose-headers')).toContain('Location');
    expect(ran).toEqual(['add']);
  });

  it('normalizes configured origins as browsers send them', async () => {
    const { http } = testApp({ writeOrigins: ['HTTPS://Planning.Example.org:443/'] });
    expect((await http.request('/api/things', post(PLANNING))).status).toBe(201);
  });

  it('refuses a write with a foreign Origin, 403 origin_not_allowed, before its handler runs', async () => {
    const { http, ran } = testApp({ writeOrigins: [PLANNING] });
    for (const origin of [FOREIGN, 'null', 'http://localhost.evil.example', 'https://planning.example.org.evil.example']) {
      const res = await http.request('/api/things', post(origin));
      expect(res.status, origin).toBe(403);
      expect((await res.json()).error.code).toBe('origin_not_allowed');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
    const del = await http.request('/api/things/1', { method: 'DELETE', headers: { origin: FOREIGN } });
    expect(del.status).toBe(403);
    expect(ran).toEqual([]);
  });

  it('lets our own page write (Origin of the host the request was sent to, or the proxy forwarded)', async () => {
    const { http, ran } = testApp();
    expect((await http.request('http://living.example:8080/api/things', post('http://living.example:8080'))).status).toBe(201);
    // Behind a TLS proxy: the page is https, the hop to us is http.
    expect((await http.request('http://10.0.0.5:8080/api/things', post('https://living.example', { 'x-forwarded-host': 'living.example' }))).status).toBe(201);
    expect((await http.request('http://living.example:8080/api/things', post('http://living.example:9090'))).status).toBe(403);
    expect(ran).toEqual(['add', 'add']);
  });

  it('leaves requests without Origin (curl, servers) to the token check', async () => {
    const { http } = testApp();
    expect((await http.request('/api/things', post(undefined))).status).toBe(201);
  });

  it('treats a path the document does not list as a write for unsafe methods (fail closed)', async () => {
    const { http, ran } = testApp();
    expect((await http.request('/undocumented', post(FOREIGN))).status).toBe(403);
    expect((await http.request('/undocumented', post(undefined))).status).toBe(200);
    expect(ran).toEqual(['undocumented']);
  });
});

describe('CORS preflights of unknown paths', () => {
  it('answers the JSON 404, never a 5xx or allow headers', async () => {
    const { http } = testApp();
    for (const path of ['/api/nothing', '/api/things/1/2', '/%2e%2e/x', '/']) {
      const res = await http.request(path, preflight('POST'));
      expect(res.status, path).toBe(404);
      expect((await res.json()).error.code).toBe('not_found');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('leaves a plain OPTIONS (not a preflight) to the app: a JSON 404', async () => {
    const { http } = testApp();
    const res = await http.request('/api/things', { method: 'OPTIONS' });
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });
});
