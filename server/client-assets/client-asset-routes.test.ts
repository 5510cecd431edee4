/**
 * The client routes: the right files with the right types and cache headers,
 * ETag revalidation, gzip, and no way out of the whitelist (dot segments,
 * encoded dots and slashes, absolute paths, files that exist but are not
 * whitelisted).
 */
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { handleNotFound } from '../http/error-mapping.ts';
import { clientAssetRoutes } from './client-asset-routes.ts';

/** The routes mounted like app.ts does, with the app's JSON 404. */
function app(options?: Parameters<typeof clientAssetRoutes>[0]): Hono {
  const http = new Hono();
  http.notFound(handleNotFound);
  http.route('/', clientAssetRoutes(options));
  return http;
}

describe('client routes (real client/ and node_modules/maplibre-gl)', () => {
  const http = app();

  it('serves index.html at / as text/html, never cached, with the vendor version filled in', async () => {
    const res = await http.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const html = await res.text();
    expect(html).toContain('/client/app.js');
    expect(html).toMatch(/\/vendor\/maplibre-gl\.js\?v=\d+\.\d+\.\d+/);
    expect(html).not.toContain('__MAPLIBRE_VERSION__');
    expect((await http.request('/index.html')).status).toBe(200);
  });

  it('serves the client modules with a JavaScript type and CSS as text/css', async () => {
    for (const name of ['app.js', 'map-style.js', 'api.js', 'panel.js']) {
      const res = await http.request(`/client/${name}`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
    const css = await http.request('/client/style.css');
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('serves the vendor files with a long cache', async () => {
    const js = await http.request('/vendor/maplibre-gl.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('cache-control')).toMatch(/max-age=31536000/);
    expect((await js.text()).length).toBeGreaterThan(100_000);
    const css = await http.request('/vendor/maplibre-gl.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await http.request('/client/app.js');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"/);
    const again = await http.request('/client/app.js', { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('gzips text when the client accepts it', async () => {
    const res = await http.request('/vendor/maplibre-gl.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const body = gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8');
    const plain = await (await http.request('/vendor/maplibre-gl.js')).text();
    expect(body).toBe(plain);
  });

  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/client/../package.json',
    '/client/%2e%2e/package.json',
    '/client/%2e%2e%2fpackage.json',
    '/client/..%2fpackage.json',
    '/client/..%2f..%2fpackage.json',
    '/client/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/client/..%5cpackage.json',
    '/vendor/..%2fpackage.json',
    '/vendor/%2e%2e%2f%2e%2e%2fpackage.json',
    '/vendor/..%2f..%2f..%2fpackage.json',
    '/vendor/maplibre-gl-dev.js',
    '/vendor/package.json',
    '/client/%2fetc%2fpasswd',
    '/client/.',
    '/client/',
    '/client/app.js%00.html',
    '/vendor/maplibre-gl.js%2f..%2f..%2fpackage.json',
  ])('404 for %s', async (url) => {
    const res = await http.request(url);
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(text).not.toContain('"name": "living-circle"');
    expect(text).not.toContain('"dependencies"');
    expect(text).not.toContain('root:');
  });
});

/** Sends a request line exactly as written (no URL normalisation, unlike fetch) and returns the status and body. */
function rawGet(port: number, target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => (data += chunk));
    socket.on('end', () => resolve({ status: Number(data.slice(9, 12)), body: data.slice(data.indexOf('\r\n\r\n') + 4) }));
    socket.on('error', reject);
  });
}

describe('client routes over a real socket (raw request targets)', () => {
  async function withServer<T>(run: (port: number) => Promise<T>): Promise<T> {
    const http = app();
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: http.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    try {
      return await run((server.address() as AddressInfo).port);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it('serves a whitelisted file (the raw client works)', async () => {
    const { status, body } = await withServer((port) => rawGet(port, '/client/app.js'));
    expect(status).toBe(200);
    expect(body).toContain('maplibregl');
  });

  it.each([
    '/../package.json',
    '/client/../package.json',
    '/client/../../package.json',
    '/client/./../package.json',
    '/vendor/../../../package.json',
    '/vendor/../maplibre-gl/package.json',
    '/client/..%2fpackage.json',
    '/client/%2e%2e%2f%2e%2e%2fpackage.json',
    '/client/..\\package.json',
    '//etc/passwd',
    '/client//etc/passwd',
  ])('no file outside the whitelist for %s', async (target) => {
    const { status, body } = await withServer((port) => rawGet(port, target));
    expect([400, 404]).toContain(status);
    expect(body).not.toContain('"dependencies"');
    expect(body).not.toContain('root:');
  });
});

describe('client routes (whitelist of a folder)', () => {
  it('serves only plain files with known extensions directly inside the client folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lc-client-'));
    writeFileSync(path.join(dir, 'index.html'), '<p>v=__MAPLIBRE_VERSION__</p>');
    writeFileSync(path.join(dir, 'app.js'), 'export {};');
    writeFileSync(path.join(dir, 'secret.env'), 'TOKEN=1');
    writeFileSync(path.join(dir, '.hidden.js'), 'hidden');
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(dir, 'sub', 'nested.js'), 'nested');
    const http = app({ clientDir: dir });
    expect(await (await http.request('/')).text()).toMatch(/^<p>v=\d+\.\d+\.\d+<\/p>$/);
    expect((await http.request('/client/app.js')).status).toBe(200);
    for (const url of ['/client/secret.env', '/client/.hidden.js', '/client/sub', '/client/sub/nested.js', '/client/sub%2fnested.js']) {
      expect((await http.request(url)).status, url).toBe(404);
    }
  });

  it('fails at start with what to do when maplibre-gl is missing', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'lc-vendor-'));
    mkdirSync(path.join(empty, 'dist'));
    writeFileSync(path.join(empty, 'package.json'), '{"version":"0.0.0"}');
    expect(() => clientAssetRoutes({ vendorDir: path.join(empty, 'dist') })).toThrow(/npm ci/);
  });
});
