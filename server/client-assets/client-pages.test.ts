/**
 * The client's pages as the asset routes serve them: /embed may be framed by
 * any site and the main page and /developers by none but ours; every page's
 * module script goes out as one bundle of the modules it imports, with a
 * source map of the plain files, or as the plain module when the bundle
 * cannot be built; the developers' example names the server by the
 * address it was reached at and its CSP lets exactly its own inline script
 * and style run.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { handleNotFound } from '../http/error-mapping.ts';
import { clientAssetRoutes } from './client-asset-routes.ts';
import { developerExample } from './developer-example.ts';

const CLIENT = new URL('../../client/', import.meta.url);

function app(): Hono {
  const http = new Hono();
  http.notFound(handleNotFound);
  http.route('/', clientAssetRoutes());
  return http;
}

/** A static import or re-export of a sibling module, as the plain modules write them. */
const SIBLING_IMPORT = /^\s*(?:import|export)\b[^'";]*?(?:\bfrom\s*)?['"]\.\/[\w.-]+\.js['"]/m;

describe('client pages', () => {
  const http = app();

  it('serves /embed framable by any site (frame-ancestors *, no X-Frame-Options), otherwise the same policy', async () => {
    const embed = await http.request('/embed');
    expect(embed.status).toBe(200);
    expect(embed.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = embed.headers.get('content-security-policy') ?? '';
    expect(csp).toContain('frame-ancestors *');
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    expect(embed.headers.get('x-frame-options')).toBeNull();
    expect(await embed.text()).toContain('/client/embed.js');
  });

  it('keeps the main page and /developers to our own frames', async () => {
    for (const path of ['/', '/developers']) {
      const res = await http.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'self'");
      expect(res.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
    }
  });

  it('serves each page\'s module script as one bundle of what it imports, with a source map of the plain files', async () => {
    for (const [page, entry, imports] of [
      ['/', 'app.js', ['map-view.js', 'map-style.js', 'api.js', 'i18n.js', 'locale-zh-CN.js', 'locale-en.js', 'session.js']],
      ['/embed', 'embed.js', ['map-view.js', 'map-style.js', 'i18n.js']],
      ['/developers', 'developers.js', ['i18n.js']],
    ] as const) {
      const html = await (await http.request(page)).text();
      expect(html, page).toContain(`<script type="module" src="/client/${entry}"></script>`);
      const res = await http.request(`/client/${entry}`);
      expect(res.status, entry).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
      const script = await res.text();
      expect(script, entry).not.toMatch(SIBLING_IMPORT);
      expect(script.trimEnd().endsWith(`//# sourceMappingURL=${entry}.map`), entry).toBe(true);
      const map = (await (await http.request(`/client/${entry}.map`)).json()) as { sources: string[]; sourcesContent: string[] };
      expect(map.sources, entry).toEqual(expect.arrayContaining([entry, ...imports]));
      // Made from the files as they are, and each of them still served by name.
      map.sources.forEach((source, i) => expect(map.sourcesContent[i], source).toBe(readFileSync(new URL(source, CLIENT), 'utf8')));
      for (const source of map.sources) expect((await http.request(`/client/${source}`)).status, source).toBe(200);
    }
    // A map of a module that is not an entry is not made up.
    expect((await http.request('/client/api.js.map')).status).toBe(404);
  });

  it('serves the plain module, and says why, when its bundle cannot be built', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lc-client-'));
    const entry = "import { gone } from './missing.js';\nconsole.log(gone);\n";
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="/client/app.js"></script>');
    writeFileSync(path.join(dir, 'app.js'), entry);
    const warnings: unknown[] = [];
    const broken = new Hono();
    broken.route('/', clientAssetRoutes({ clientDir: dir, logger: { warn: (message, fields) => warnings.push({ message, ...fields }) } }));
    expect((await broken.request('/')).status).toBe(200);
    const res = await broken.request('/client/app.js');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(entry);
    expect(warnings).toEqual([expect.objectContaining({ entry: 'app.js', error: expect.stringContaining('missing.js') })]);
    expect((await broken.request('/client/app.js.map')).status).toBe(404);
    // Bundled at start when asked (main.ts does): the same failure is reported before any request.
    const early: unknown[] = [];
    clientAssetRoutes({ clientDir: dir, bundleAtStart: true, logger: { warn: (message, fields) => early.push({ message, ...fields }) } });
    await expect.poll(() => early.length, { timeout: 10_000 }).toBe(1);
    expect(early).toEqual([expect.objectContaining({ entry: 'app.js' })]);
  });

  it('serves the developers example for the address it was reached at, with hashes for its inline code', async () => {
    const res = await http.request('http://map.example.org:8443/developers/example.html', { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('const SERVER = "https://map.example.org:8443"');
    expect(html).toMatch(/<script src="https:\/\/map\.example\.org:8443\/vendor\/maplibre-gl\.js\?v=\d+\.\d+\.\d+"><\/script>/);
    const script = /<script type="module">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`script-src 'self' ${hash(script)}`);
    expect(csp).toContain(`style-src 'self' ${hash(style)}`);
    expect(csp).toContain("frame-ancestors 'self'");
    expect(html).toContain('lang="zh-CN"');
    expect(await (await http.request('/developers/example.html?lang=en')).text()).toContain('households within a 15-minute walk');
  });

  it('never writes an implausible origin into the example', () => {
    const { html } = developerExample({ origin: 'http://evil"><script>alert(1)</script>', maplibreVersion: '5.0.0' });
    expect(html).not.toContain('evil');
    expect(html).toContain('const SERVER = "http://localhost:8080"');
  });
});
