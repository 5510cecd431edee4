/**
 * The client's pages as the asset routes serve them: /embed may be framed by
 * any site and the main page and /developers by none but ours; every page
 * preloads every module its script imports (no waterfall, and no list to
 * keep in step by hand); the developers' example names the server by the
 * address it was reached at and its CSP lets exactly its own inline script
 * and style run.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { handleNotFound } from '../http/error-mapping.ts';
import { clientAssetRoutes, moduleImports } from './client-asset-routes.ts';
import { developerExample } from './developer-example.ts';

const CLIENT = new URL('../../client/', import.meta.url);

function app(): Hono {
  const http = new Hono();
  http.notFound(handleNotFound);
  http.route('/', clientAssetRoutes());
  return http;
}

const clientModules = () =>
  new Map(readdirSync(CLIENT).filter((name) => name.endsWith('.js')).map((name) => [name, readFileSync(new URL(name, CLIENT), 'utf8')]));

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

  it('preloads every module a page imports, directly or not', async () => {
    const modules = clientModules();
    for (const [path, entry] of [['/', 'app.js'], ['/embed', 'embed.js'], ['/developers', 'developers.js']] as const) {
      const html = await (await http.request(path)).text();
      const preloaded = [...html.matchAll(/<link rel="modulepreload" href="\/client\/([\w.-]+\.js)" \/>/g)].map((m) => m[1]);
      const imported = moduleImports(entry, modules);
      expect(new Set(preloaded), path).toEqual(new Set(imported));
      // Each of them is served.
      for (const name of imported) expect((await http.request(`/client/${name}`)).status, name).toBe(200);
    }
    // The main page's map needs these at least (a check of the import finder itself).
    expect(moduleImports('app.js', modules)).toEqual(expect.arrayContaining(['map-view.js', 'map-style.js', 'api.js', 'i18n.js', 'locale-zh-CN.js', 'locale-en.js', 'session.js']));
  });

  it('finds static imports and re-exports, not dynamic ones, and survives cycles', () => {
    const sources = new Map([
      ['a.js', "import { b } from './b.js';\nimport './c.js';\nexport { d } from \"./d.js\";\nconst later = () => import('./e.js');"],
      ['b.js', "import {\n  a,\n} from './a.js';"],
      ['c.js', ''],
      ['d.js', "import { x } from './missing.js';"],
      ['e.js', ''],
    ]);
    expect(moduleImports('a.js', sources)).toEqual(['b.js', 'c.js', 'd.js']);
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
