/**
 * The edge of the whole app (createApp on the small city, PGlite): CORS by
 * each route's access rule (public reads open to any origin, writes only to
 * configured origins and our own page, a foreign write refused with nothing
 * changed), the client page's security headers, nosniff on API answers, and
 * no static file served from outside the client's whitelist, by app.request
 * and by raw request lines over a socket.
 */
import { connect, type AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../server/app.ts';
import { silentLogger } from '../server/logger.ts';
import { latToTileY, lonToTileX } from '../server/tiles/tile-envelope.ts';
import type { TestDatabase } from './backends.ts';
import { bearer, testToken } from './auth-fixture.ts';
import { openSmallCityApp } from './small-city-app.ts';
import { SMALL_CITY_CENTER } from './tiles-fixture.ts';

const [LON, LAT] = SMALL_CITY_CENTER;
const FOREIGN = 'https://maps.elsewhere.example';
const PLANNING = 'https://planning.example.org';
const TILE = `/tiles/grids/14/${Math.floor(lonToTileX(LON, 14))}/${Math.floor(latToTileY(LAT, 14))}.mvt`;
const NEW_CENTER = { name: 'Edge test', kind: 'governance', lon: LON + 0.003, lat: LAT + 0.003 };

const preflight = (method: string, origin = FOREIGN) => ({
  method: 'OPTIONS',
  headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'content-type, authorization' },
});

describe('the edge of the whole app', () => {
  let t: TestDatabase;
  let app: App;
  /** A second app on the same database, with PLANNING configured as a write origin. */
  let planning: App;
  let token: string;
  const centerCount = async () => ((await (await app.http.request('/api/centers')).json()) as { centers: unknown[] }).centers.length;
  const postCenter = (target: App, origin: string | undefined, name = NEW_CENTER.name) =>
    target.http.request('/api/centers', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token), ...(origin ? { origin } : {}) },
      body: JSON.stringify({ ...NEW_CENTER, name }),
    });

  beforeAll(async () => {
    ({ t, app } = await openSmallCityApp('pglite'));
    planning = await createApp({ db: t.db, logger: silentLogger, dataDir: undefined, cors: { writeOrigins: [PLANNING] } });
    token = await testToken(t.db, 'planner');
  });
  afterAll(async () => {
    await planning?.close();
    await app?.close();
    await t?.dispose();
  });

  describe('CORS', () => {
    it('answers the preflight of POST /api/isochrone from any origin with 204 and the allow headers', async () => {
      const res = await app.http.request('/api/isochrone', preflight('POST'));
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-methods')).toMatch(/GET.*POST|POST.*GET/);
      expect(res.headers.get('access-control-allow-headers')).toMatch(/Content-Type/);
      expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
      expect(res.headers.get('access-control-allow-headers')).toMatch(/If-None-Match/);
      expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    });

    it('answers the preflight of POST /api/plan/suggest (a read) from any origin', async () => {
      const res = await app.http.request('/api/plan/suggest', preflight('POST'));
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
    });

    it('gives ACAO * to GET /api/nearest, /api/coverage, POST /api/isochrone, tiles, TileJSON, docs and health', async () => {
      const headers = { origin: FOREIGN };
      const answers = {
        nearest: await app.http.request(`/api/nearest?lon=${LON}&lat=${LAT}`, { headers }),
        coverage: await app.http.request('/api/coverage', { headers }),
        isochrone: await app.http.request('/api/isochrone', {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ origins: [[LON, LAT]], minutes: [5] }),
        }),
        tile: await app.http.request(TILE, { headers }),
        tilejson: await app.http.request('/tiles/grids.json', { headers }),
        catalog: await app.http.request('/tiles/catalog.json', { headers }),
        openapi: await app.http.request('/api/openapi.json', { headers }),
        docs: await app.http.request('/docs', { headers }),
        health: await app.http.request('/health', { headers }),
      };
      for (const [name, res] of Object.entries(answers)) {
        expect([200, 204], name).toContain(res.status);
        expect(res.headers.get('access-control-allow-origin'), name).toBe('*');
        expect(res.headers.get('access-control-expose-headers'), name).toMatch(/ETag/);
        await res.body?.cancel();
      }
    });

    it('opens the event stream to any origin', async () => {
      const res = await app.http.request('/api/events', { headers: { origin: FOREIGN } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      await res.body?.cancel();
    });

    it('gives a foreign origin no allow headers in the preflight of DELETE /api/centers/1', async () => {
      const res = await app.http.request('/api/centers/1', preflight('DELETE'));
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-methods')).toBeNull();
    });

    it('gives a configured origin its own origin in the preflight of DELETE /api/centers/1', async () => {
      const res = await planning.http.request('/api/centers/1', preflight('DELETE', PLANNING));
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(PLANNING);
      expect(res.headers.get('access-control-allow-methods')).toContain('DELETE');
      expect(res.headers.get('vary')).toMatch(/Origin/);
      // ...and still nothing to a foreign origin.
      expect((await planning.http.request('/api/centers/1', preflight('DELETE'))).headers.get('access-control-allow-origin')).toBeNull();
    });

    it('refuses a write with a foreign Origin, even with a planner token: 403 origin_not_allowed, nothing changed', async () => {
      const before = await centerCount();
      for (const target of [app, planning]) {
        const res = await postCenter(target, FOREIGN);
        expect(res.status).toBe(403);
        expect((await res.json()).error.code).toBe('origin_not_allowed');
      }
      const del = await app.http.request('/api/centers/1', { method: 'DELETE', headers: { ...bearer(token), origin: FOREIGN } });
      expect(del.status).toBe(403);
      expect(await centerCount()).toBe(before);
      expect((await app.http.request('/api/centers/1')).status).toBe(200);
    });

    it('lets a configured origin write (201, its origin echoed), and our own page, and a client without Origin', async () => {
      const before = await centerCount();
      const configured = await postCenter(planning, PLANNING, 'From the planning site');
      expect(configured.status).toBe(201);
      expect(configured.headers.get('access-control-allow-origin')).toBe(PLANNING);
      expect(configured.headers.get('vary')).toMatch(/Origin/);
      expect(configured.headers.get('access-control-expose-headers')).toMatch(/Location/);
      // Our own page: app.request's URL is http://localhost/...
      const own = await postCenter(app, 'http://localhost', 'From our own page');
      expect(own.status).toBe(201);
      expect(own.headers.get('access-control-allow-origin')).toBeNull();
      const curl = await postCenter(app, undefined, 'From curl');
      expect(curl.status).toBe(201);
      expect(await centerCount()).toBe(before + 3);
      for (const res of [configured, own, curl]) {
        const { id } = (await res.json()) as { id: number };
        expect((await app.http.request(`/api/centers/${id}`, { method: 'DELETE', headers: bearer(token) })).status).toBe(200);
      }
    });

    it('answers the preflight of an unknown path with the JSON 404', async () => {
      for (const path of ['/api/nope', '/tiles/a/b/c/d/e', '/client/app.js', '/api/centers/1/2']) {
        const res = await app.http.request(path, preflight('GET'));
        expect(res.status, path).toBe(404);
        expect((await res.json()).error.code).toBe('not_found');
        expect(res.headers.get('access-control-allow-origin')).toBeNull();
      }
    });
  });

  describe('security headers', () => {
    it('sends the client page with a same-origin CSP, nosniff, a referrer policy, framing and opener rules', async () => {
      for (const path of ['/', '/index.html']) {
        const res = await app.http.request(path);
        expect(res.status).toBe(200);
        const csp = res.headers.get('content-security-policy') ?? '';
        for (const directive of [
          "default-src 'self'",
          "script-src 'self'",
          "style-src 'self'",
          "img-src 'self' data: blob:",
          "worker-src 'self' blob:",
          "connect-src 'self'",
          "object-src 'none'",
          "base-uri 'self'",
          "frame-ancestors 'self'",
        ]) {
          expect(csp, directive).toContain(directive);
        }
        expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|\*/);
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('referrer-policy')).toBe('same-origin');
        expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      }
    });

    it('sends nosniff with API answers, errors and 404s too', async () => {
      for (const path of ['/api/coverage', '/api/nearest?lon=x', '/api/nope', TILE, '/health']) {
        const res = await app.http.request(path);
        expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
        await res.body?.cancel();
      }
    });
  });

  describe('static files stay in their folder', () => {
    const FILE_CONTENTS = [/"name": "living-circle"/, /"dependencies"/, /loadConfig/, /root:/, /CORS_WRITE_ORIGINS/];
    const expectNoFile = (text: string, url: string) => {
      for (const pattern of FILE_CONTENTS) expect(text, url).not.toMatch(pattern);
    };

    it.each([
      '/client/..%2F..%2Fpackage.json',
      '/client/..%2fpackage.json',
      '/client/%2e%2e%2fpackage.json',
      '/client/%2E%2E%2F%2E%2E%2Fserver%2Fconfig.ts',
      '/client/%252e%252e%252fpackage.json',
      '/client/..%5c..%5cpackage.json',
      '/client/app.js%00',
      '/client/%00',
      '/client/app.js%00.html',
      '/client/..%00/package.json',
      '/vendor/..%2F..%2F..%2Fpackage.json',
      '/vendor/%2e%2e/%2e%2e/server/config.ts',
      '/vendor/maplibre-gl.js%2F..%2F..%2F..%2Fpackage.json',
      '/vendor/..%2fmaplibre-gl%2fpackage.json',
      '/vendor/maplibre-gl.css%00.js',
      '/client/%c0%ae%c0%ae%2fpackage.json',
      '/client/..%u2215package.json',
    ])('404 JSON for %s (app.request)', async (url) => {
      const res = await app.http.request(url);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const text = await res.text();
      expect(JSON.parse(text).error.code).toBe('not_found');
      expectNoFile(text, url);
    });

    describe('over a socket, request lines as written', () => {
      let server: ServerType;
      let port: number;
      beforeAll(async () => {
        server = await new Promise<ServerType>((resolve) => {
          const s = serve({ fetch: app.http.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
        });
        port = (server.address() as AddressInfo).port;
      });
      afterAll(async () => {
        await new Promise((resolve) => server?.close(resolve));
      });

      /** The status, content type and body of one request line sent byte for byte. */
      const rawGet = (target: string) =>
        new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
          const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`, 'latin1'));
          let data = '';
          socket.setEncoding('latin1');
          socket.on('data', (chunk) => (data += chunk));
          socket.on('end', () => {
            const head = data.slice(0, data.indexOf('\r\n\r\n'));
            resolve({ status: Number(data.slice(9, 12)), type: /content-type: ([^\r]*)/i.exec(head)?.[1] ?? '', body: data.slice(head.length + 4) });
          });
          socket.on('error', reject);
        });

      it.each([
        '/vendor/../server/config.ts',
        '/vendor/../../package.json',
        '/client/../package.json',
        '/client/../../../../etc/passwd',
        '/client/./../server/config.ts',
        '/client/..%2F..%2Fpackage.json',
        '/client/%2e%2e/%2e%2e/package.json',
        '/vendor/%2e%2e%2fserver%2fconfig.ts',
        '/client/app.js%00',
        '/client//etc/passwd',
        '//server/config.ts',
      ])('404 JSON for %s', async (target) => {
        const { status, type, body } = await rawGet(target);
        expect(status).toBe(404);
        expect(type).toMatch(/^application\/json/);
        expect(JSON.parse(body).error.code).toBe('not_found');
        expectNoFile(body, target);
      });

      it.each(['/client/app.js\0', '/client/..\\..\\package.json', '/vendor/..\\server\\config.ts'])('a 4xx, never the file, for %j', async (target) => {
        const { status, body } = await rawGet(target);
        expect(status).toBeGreaterThanOrEqual(400);
        expect(status).toBeLessThan(500);
        expectNoFile(body, target);
      });
    });
  });
});
