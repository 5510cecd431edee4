/**
 * Other apps' ways in, in a real browser (test/browser-fixture.ts): the
 * embeddable map (GET /embed) with its URL parameters, inside an iframe on a
 * page of another origin, and the developers page (GET /developers) whose
 * two code samples run on the page itself: the MapLibre example draws our
 * tiles and an isochrone, and the code shown is the code that ran. No
 * console errors, failed requests or requests to anything but our server.
 * Leaves /tmp/shots/embed.png, developers-desktop.png and developers-phone.png.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Frame, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer } from './auth-fixture.ts';
import {
  DESKTOP,
  describeInBrowser,
  forgetExpected4xx,
  mapReady,
  openPage,
  PHONE,
  READY_TIMEOUT_MS,
  renderedCount,
  startBrowserFixture,
  stopBrowserFixture,
  type BrowserFixture,
} from './browser-fixture.ts';

const SHOTS = '/tmp/shots';

/** A page of another origin (another loopback port) that frames `src`. */
async function hostPage(src: string): Promise<{ server: Server; url: string }> {
  const html = `<!doctype html><html><head><title>Another site</title></head><body><h1>Another site</h1><iframe id="map-frame" src="${src}" width="800" height="500" title="map"></iframe></body></html>`;
  const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/** The frame whose address starts with `prefix`, once it is attached. */
async function frameAt(page: Page, prefix: string): Promise<Frame> {
  for (let waited = 0; waited < READY_TIMEOUT_MS; waited += 100) {
    const frame = page.frames().find((f) => f.url().startsWith(prefix));
    if (frame) return frame;
    await page.waitForTimeout(100);
  }
  throw new Error(`no frame at ${prefix}`);
}

/** Waits for an /embed (page or frame) to say its map is drawn, and fails on "error". */
async function embedReady(target: Page | Frame): Promise<void> {
  await target.waitForFunction(() => document.documentElement.dataset.ready, undefined, { timeout: READY_TIMEOUT_MS });
  expect(await target.evaluate(() => document.documentElement.dataset.ready), await target.evaluate(() => document.getElementById('embed-notes')?.textContent)).toBe('true');
}

/** The notes an /embed shows on its map. */
const notes = (target: Page | Frame) => target.evaluate(() => Array.from(document.querySelectorAll('#embed-notes p'), (p) => p.textContent ?? ''));

function suite(): void {
  let f: BrowserFixture | undefined;
  const fixture = () => {
    if (!f) throw new Error('the fixture did not start');
    return f;
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    f = await startBrowserFixture();
  }, 300_000);
  afterAll(() => stopBrowserFixture(f), 60_000);

  it('/embed: the map alone, no panel, the city at the opening zoom, framable from anywhere', async () => {
    const { base } = fixture();
    const res = await fetch(`${base}/embed`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors \*/);
    expect(res.headers.get('x-frame-options')).toBeNull();
    // The main page still refuses other sites' frames.
    expect((await fetch(`${base}/`)).headers.get('content-security-policy')).toMatch(/frame-ancestors 'self'/);

    const page = await openPage(fixture(), { viewport: DESKTOP });
    await page.goto(`${base}/embed`);
    await embedReady(page);
    expect(await page.isHidden('#embed-panel')).toBe(true);
    expect(await page.isHidden('#embed-notes')).toBe(true);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.evaluate(() => window.__map.getZoom())).toBeGreaterThanOrEqual(10);
    expect(await renderedCount(page, 'centers')).toBeGreaterThan(0);
    expect(await renderedCount(page, 'grids-share')).toBeGreaterThan(0);
    expect(await page.getAttribute('.maplibregl-ctrl-zoom-in', 'aria-label')).toBe('放大');
    await page.context().close();
  });

  it('/embed?center&zoom&lang=en&layers&panel: that view, those layers, in English, with the legend', async () => {
    const { base, downtown } = fixture();
    const page = await openPage(fixture(), { viewport: DESKTOP });
    await page.goto(`${base}/embed?center=${downtown.lon},${downtown.lat}&zoom=15&lang=en&layers=households,centers,streets&panel=legend`);
    await embedReady(page);
    const view = await page.evaluate(() => ({ center: window.__map.getCenter().toArray(), zoom: window.__map.getZoom() }));
    expect(view.zoom).toBe(15);
    expect(view.center[0]).toBeCloseTo(downtown.lon, 5);
    expect(view.center[1]).toBeCloseTo(downtown.lat, 5);
    const styleLayers = await page.evaluate(() => window.__map.getStyle().layers.map((l) => l.id));
    expect(styleLayers).toEqual(expect.arrayContaining(['households', 'centers', 'streets']));
    for (const hidden of ['grids-share', 'grids-outline', 'water-fill', 'buildings', 'admin']) expect(styleLayers).not.toContain(hidden);
    expect(await renderedCount(page, 'households')).toBeGreaterThan(10);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.isVisible('#embed-panel')).toBe(true);
    const legend = await page.innerText('#embed-panel');
    expect(legend).toContain('15-minute coverage');
    expect(legend).toContain('Households');
    expect(legend).not.toContain('Grid');
    expect(await page.getAttribute('.maplibregl-ctrl-zoom-in', 'aria-label')).toBe('Zoom in');
    expect(await notes(page)).toEqual([]);
    await page.context().close();
  });

  it('/embed?scenario=ID: the overlay tiles carry ?scenario= and show its added center', async () => {
    const { base, token, downtown } = fixture();
    const made = await fetch(`${base}/api/scenarios`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: JSON.stringify({ name: '嵌入测试方案', changes: [{ op: 'add', name: 'Embed candidate', kind: 'neighborhood', lon: downtown.lon + 0.002, lat: downtown.lat + 0.001 }] }),
    });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: number };
    const page = await openPage(fixture(), { viewport: DESKTOP });
    const tiles: string[] = [];
    page.on('request', (r: Request) => {
      if (r.url().includes('.mvt')) tiles.push(r.url());
    });
    await page.goto(`${base}/embed?scenario=${id}&center=${downtown.lon},${downtown.lat}&zoom=15&panel=legend`);
    await embedReady(page);
    const overlay = tiles.filter((u) => u.includes('/tiles/grids,households,centers/'));
    const basemap = tiles.filter((u) => u.includes('/tiles/water,buildings,streets,admin/'));
    expect(overlay.length).toBeGreaterThan(0);
    for (const url of overlay) expect(new URL(url).searchParams.get('scenario'), url).toBe(String(id));
    for (const url of basemap) expect(new URL(url).searchParams.has('scenario'), url).toBe(false);
    const added = await page.evaluate(() => window.__map.queryRenderedFeatures({ layers: ['centers'] }).filter((f) => f.properties.change === 'added').map((f) => f.properties.name));
    expect(added).toContain('Embed candidate');
    expect(await page.innerText('#embed-panel')).toContain('嵌入测试方案');
    await page.context().close();
  });

  it('/embed with values it does not understand: the defaults, and a small note naming them', async () => {
    const { base } = fixture();
    const page = await openPage(fixture(), { viewport: { width: 800, height: 500 } });
    await page.goto(`${base}/embed?mode=heatmap&zoom=abc&layers=grids,roads&center=999,1&scenario=x1&panel=maybe`);
    await embedReady(page);
    const shown = (await notes(page)).join('\n');
    for (const value of ['mode=heatmap', 'zoom=abc', 'layers=roads', 'center=999,1', 'scenario=x1', 'panel=maybe']) expect(shown).toContain(value);
    expect(await page.isHidden('#embed-panel')).toBe(true);
    expect(await page.evaluate(() => window.__map.getStyle().layers.map((l) => l.id))).toContain('grids-share');
    expect(await page.evaluate(() => window.__map.getStyle().layers.map((l) => l.id))).not.toContain('centers');
    // A scenario that does not exist: the live map and a note (the browser itself logs the API's 404).
    await page.goto(`${base}/embed?scenario=987654&mode=standard&panel=legend`);
    await embedReady(page);
    expect((await notes(page)).join('\n')).toContain('987654');
    forgetExpected4xx(fixture().problems);
    await page.context().close();
  });

  it('/embed?mode=isochrone: draws the walk from the center and counts the households', async () => {
    const { base, downtown } = fixture();
    const page = await openPage(fixture(), { viewport: { width: 800, height: 500 } });
    await page.goto(`${base}/embed?mode=isochrone&center=${downtown.lon},${downtown.lat}&zoom=14&panel=1`);
    await embedReady(page);
    await page.waitForFunction(() => window.__map.queryRenderedFeatures({ layers: ['isochrone-fill'] }).length > 0, undefined, { timeout: 60_000 });
    await page.waitForFunction(() => /\d/.test(document.querySelector('#embed-panel .reach')?.textContent ?? ''), undefined, { timeout: 60_000 });
    expect(await page.innerText('#embed-panel .reach')).toMatch(/步行 15 分钟可达 [\d,]+ 户/);
    await page.context().close();
  });

  it('loads inside an iframe on a page of another origin', async () => {
    const { base } = fixture();
    const host = await hostPage(`${base}/embed?panel=legend&lang=zh-CN`);
    const page = await openPage(fixture(), { viewport: DESKTOP });
    try {
      await page.goto(host.url);
      const frame = await frameAt(page, `${base}/embed`);
      await embedReady(frame);
      expect(await frame.evaluate(() => window.__map.queryRenderedFeatures({ layers: ['centers'] }).length)).toBeGreaterThan(0);
      expect(await frame.isVisible('#embed-panel')).toBe(true);
      expect(new URL(page.url()).origin).not.toBe(new URL(base).origin);
      await frame.locator('html').screenshot({ path: `${SHOTS}/embed-in-frame.png` });
    } finally {
      await page.context().close();
      await new Promise((resolve) => host.server.close(resolve));
      // The host page itself is the other origin, not an outside request of ours.
      const kept = fixture().external.filter((url) => !url.startsWith(host.url));
      fixture().external.splice(0, fixture().external.length, ...kept);
    }
  });

  it('leaves a screenshot of the embed with its legend', async () => {
    const { base } = fixture();
    const page = await openPage(fixture(), { viewport: DESKTOP });
    await page.goto(`${base}/embed?panel=legend`);
    await embedReady(page);
    await page.screenshot({ path: `${SHOTS}/embed.png` });
    await page.context().close();
  });

  it('/developers: the MapLibre example runs as shown, tiles and an isochrone; the iframe snippet is the running frame', async () => {
    const { base } = fixture();
    const page = await openPage(fixture(), { viewport: DESKTOP, permissions: ['clipboard-read', 'clipboard-write'] });
    const isochrones: number[] = [];
    const exampleTiles: string[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/api/isochrone')) isochrones.push(r.status());
      if (r.url().includes('/tiles/water,streets,grids,centers/')) exampleTiles.push(r.url());
    });
    await page.goto(`${base}/developers`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.innerText('h1')).toContain('开发者');
    await page.waitForSelector('#example-preview iframe', { timeout: READY_TIMEOUT_MS });

    // The code shown is the text of the very address the preview runs.
    const src = await page.getAttribute('#example-preview iframe', 'src');
    expect(src).toBe('/developers/example.html?lang=zh-CN');
    const served = await (await fetch(`${base}${src}`)).text();
    expect(await page.textContent('#example-code')).toBe(served);
    expect(served).toContain(`const SERVER = "${base}"`);
    expect(served).toContain('/tiles/water,streets,grids,centers.json');
    expect(served).toContain('/api/isochrone?');

    await page.locator('#example-preview iframe').scrollIntoViewIfNeeded();
    const example = await frameAt(page, `${base}/developers/example.html`);
    await example.waitForFunction(() => {
      const map = (window as unknown as { map?: { loaded(): boolean; areTilesLoaded(): boolean } }).map;
      return map?.loaded() && map.areTilesLoaded();
    }, undefined, { timeout: READY_TIMEOUT_MS });
    await example.waitForFunction(() => /\d/.test(document.getElementById('info')?.textContent ?? ''), undefined, { timeout: 60_000 });
    expect(await example.textContent('#info')).toMatch(/步行 15 分钟可达 [\d,]+ 户/);
    const drawn = await example.evaluate(() => {
      const map = (window as unknown as { map: import('maplibre-gl').Map }).map;
      return { isochrone: map.queryRenderedFeatures({ layers: ['isochrone'] }).length, centers: map.queryRenderedFeatures({ layers: ['centers'] }).length };
    });
    expect(drawn.isochrone).toBeGreaterThan(0);
    expect(drawn.centers).toBeGreaterThan(0);
    expect(isochrones).toContain(200);
    expect(exampleTiles.length).toBeGreaterThan(0);

    // The iframe snippet is the preview's own markup, and the preview's map draws.
    expect(await page.textContent('#embed-code')).toBe(await page.innerHTML('#embed-preview'));
    expect(await page.textContent('#embed-code')).toContain(`src="${base}/embed?panel=legend&amp;lang=zh-CN"`);
    await page.locator('#embed-preview iframe').scrollIntoViewIfNeeded();
    await embedReady(await frameAt(page, `${base}/embed`));

    // Copy buttons put the code on the clipboard.
    await page.click('button[data-copy="example-code"]');
    await page.waitForFunction(() => document.querySelector('button[data-copy="example-code"]')?.textContent === '已复制', undefined, { timeout: 10_000 });
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(served);

    // The form changes the snippet and the preview together.
    await page.selectOption('#embed-mode', 'isochrone');
    expect(await page.textContent('#embed-code')).toContain('mode=isochrone');
    expect(await page.textContent('#embed-code')).toBe(await page.innerHTML('#embed-preview'));

    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/developers-desktop.png`, fullPage: true });
    await page.context().close();
  });

  it('/developers in English: the page, the snippet and the example follow the switch', async () => {
    const { base } = fixture();
    const page = await openPage(fixture(), { viewport: DESKTOP });
    await page.goto(`${base}/developers`);
    await page.click('#language-switch');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.innerText('h1')).toContain('Developers');
    expect(await page.innerText('#embed')).toContain('Parameters');
    expect(await page.textContent('#embed-code')).toContain('lang=en');
    await page.waitForFunction(() => document.querySelector('#example-preview iframe')?.getAttribute('src')?.endsWith('lang=en'), undefined, { timeout: 30_000 });
    const served = await (await fetch(`${base}/developers/example.html?lang=en`)).text();
    await page.waitForFunction((text) => document.getElementById('example-code')?.textContent === text, served, { timeout: 30_000 });
    expect(served).toContain('households within a 15-minute walk');
    expect(await page.title()).toContain('Developers');
    // ?lang=en opens it in English directly.
    const direct = await openPage(fixture(), { viewport: DESKTOP });
    await direct.goto(`${base}/developers?lang=en`);
    expect(await direct.innerText('h1')).toContain('Developers');
    await direct.context().close();
    await page.context().close();
  });

  it('/developers on a phone, and linked from the map and from /docs', async () => {
    const { base } = fixture();
    const page = await openPage(fixture(), { viewport: PHONE, isMobile: true, hasTouch: true });
    await page.goto(`${base}/developers`);
    await page.waitForSelector('#example-preview iframe', { timeout: READY_TIMEOUT_MS });
    // Nothing wider than the screen but the code blocks, which scroll on their own.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: `${SHOTS}/developers-phone.png`, fullPage: true });
    await page.goto(`${base}/`);
    await mapReady(page);
    expect(await page.getAttribute('a[href="/developers"]', 'href')).toBe('/developers');
    await page.context().close();
    expect(await (await fetch(`${base}/docs`)).text()).toContain('href="/developers"');
  });

  it('logged no errors and fetched nothing from outside', () => {
    const { problems, external } = fixture();
    expect(problems).toEqual([]);
    expect(external).toEqual([]);
  });
}

describeInBrowser('embed and developers pages in chromium (demo city)', suite);
