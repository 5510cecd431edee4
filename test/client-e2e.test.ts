/**
 * The client end to end, in a real browser: the app (demo city on PGlite)
 * on a loopback port, Debian's chromium driven by playwright-core. Checks
 * that the map loads from our own tiles only, draws households and centers,
 * shows the coverage table, finds the nearest center with its route, draws
 * an isochrone, tries a candidate center in a scenario (planner tools,
 * signed in by the link), and logs no errors.
 * Leaves a screenshot at /tmp/client.png (and /tmp/client-plan.png).
 *
 * Without chromium (CHROMIUM_PATH, default /usr/bin/chromium) the suite
 * skips with the reason; with CI set it fails instead, so a CI machine that
 * lacks the browser cannot pass by skipping.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer } from './auth-fixture.ts';
import {
  describeInBrowser,
  forgetExpected4xx,
  jumpAndSettle,
  openPage,
  panelErrors,
  READY_TIMEOUT_MS,
  renderedCount,
  settle,
  startBrowserFixture,
  stopBrowserFixture,
  type BrowserFixture,
} from './browser-fixture.ts';

const SCREENSHOT = '/tmp/client.png';
const PLAN_SCREENSHOT = '/tmp/client-plan.png';

function suite(): void {
  let f: (BrowserFixture & { page: Page }) | undefined;
  const fixture = () => {
    if (!f) throw new Error('the fixture did not start');
    return f;
  };

  beforeAll(async () => {
    const started = await startBrowserFixture();
    // One page through the whole suite, at the old desktop size: each test goes on from where the last left it.
    f = { ...started, page: await openPage(started, { viewport: { width: 1280, height: 800 } }) };
  }, 300_000);
  afterAll(() => stopBrowserFixture(f), 60_000);

  it('loads the map from our own server only, with the coverage table, signed in by the link', async () => {
    const { page, base, token } = fixture();
    // Counts how often each overlay tile is parsed: a style layer added after the first view would parse them all again.
    await page.addInitScript(() => {
      const loads: Record<string, number> = ((window as unknown as { __overlayLoads: Record<string, number> }).__overlayLoads = {});
      const watch = setInterval(() => {
        const map = (window as unknown as { __map?: import('maplibre-gl').Map }).__map;
        if (!map) return;
        clearInterval(watch);
        map.on('data', (event) => {
          const e = event as unknown as { sourceId?: string; tile?: { tileID: { key: string } } };
          if (e.sourceId === 'overlay' && e.tile) loads[e.tile.tileID.key] = (loads[e.tile.tileID.key] ?? 0) + 1;
        });
      }, 1);
    });
    // The planner's sign-in link, as npm start prints it on the first start: the page keeps the token and clears the address.
    await page.goto(`${base}/#token=${token}`);
    await page.waitForSelector('html[data-ready]', { timeout: READY_TIMEOUT_MS });
    expect(await page.getAttribute('html', 'data-ready'), (await panelErrors(page)).join('\n')).toBe('true');
    const loads = await page.evaluate(() => (window as unknown as { __overlayLoads: Record<string, number> }).__overlayLoads);
    expect(Object.keys(loads).length).toBeGreaterThan(0);
    expect(Math.max(...Object.values(loads)), JSON.stringify(loads)).toBe(1);
    await page.waitForSelector('#coverage-body table tbody tr', { timeout: READY_TIMEOUT_MS });
    expect(await page.locator('#coverage-body tbody tr').count()).toBeGreaterThan(1);
    // The token left the address (the map's view is written into the query string, never the token).
    expect(page.url().startsWith(`${base}/`)).toBe(true);
    expect(page.url()).not.toContain('token');
    expect(page.url()).not.toContain('#');
    expect(await renderedCount(page, 'centers')).toBeGreaterThan(0);
    expect(await panelErrors(page)).toEqual([]);
  });

  it('draws households coloured by walk time and centers by kind at street zoom', async () => {
    const { page, downtown } = fixture();
    await jumpAndSettle(page, downtown.lon, downtown.lat, 15);
    expect(await renderedCount(page, 'households')).toBeGreaterThan(10);
    expect(await renderedCount(page, 'centers')).toBeGreaterThan(0);
    const colours = await page.evaluate(() => {
      const map = window.__map;
      return map.getPaintProperty('households', 'circle-color');
    });
    // The style colours by walk_seconds when the tiles carry it (the legend says which).
    expect(JSON.stringify(colours)).toContain('walk_seconds');
  });

  it('answers for a clicked point (nearest center of each kind, its route) and draws the isochrone', async () => {
    const { page } = fixture();
    const box = (await page.locator('#map canvas').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.45, box.y + box.height * 0.55);
    await page.waitForSelector('#nearest:not([hidden]) .walk', { timeout: 60_000 });
    expect(await page.locator('#nearest-body').innerText()).toMatch(/\d+ (分|秒)/);
    await page.click('#isochrone-button');
    // Polls every frame until the contours are drawn, or an error shows in the panel.
    await page.waitForFunction(
      () => window.__map.queryRenderedFeatures({ layers: ['isochrone-fill'] }).length > 0 || document.querySelector('#messages .error'),
      undefined,
      { timeout: 60_000 },
    );
    expect(await panelErrors(page)).toEqual([]);
    await settle(page);
    expect(await renderedCount(page, 'route')).toBeGreaterThan(0);
    const minutes = await page.evaluate(() =>
      [...new Set(window.__map.queryRenderedFeatures({ layers: ['isochrone-fill'] }).map((f) => f.properties.minutes))].sort(),
    );
    expect(minutes.length).toBeGreaterThan(0);
    await page.screenshot({ path: SCREENSHOT });
  });

  it('adds a candidate center in a scenario, shows it after the tiles reload, and removes it, leaving the live centers alone', async () => {
    const { page, base } = fixture();
    // Signed in by the link in the first test: the planner tools are there.
    await page.waitForSelector('#planner-who');
    await page.fill('#scenario-new-name', 'E2E scenario');
    await page.click('#scenario-create button[type=submit]');
    await page.waitForSelector('#scenario-editor:not([hidden])');
    await page.fill('#scenario-candidate-name', 'E2E candidate');
    await page.click('#scenario-candidate-add');
    const box = (await page.locator('#map canvas').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.4);
    await page.waitForSelector('#scenario-changes li.change.add', { timeout: 60_000 });
    await page.waitForSelector('#scenarios[data-busy="false"]', { state: 'attached', timeout: 60_000 });
    expect(await panelErrors(page)).toEqual([]);
    // The overlay now comes from the scenario's tiles, whose centers say what the scenario changed.
    await page.waitForFunction(
      () => window.__map.querySourceFeatures('overlay', { sourceLayer: 'centers' }).some((f) => f.properties.change === 'added'),
      undefined,
      { timeout: 60_000 },
    );
    expect(await page.locator('.scenario-marker.added').count()).toBe(1);
    await page.screenshot({ path: PLAN_SCREENSHOT });
    await page.click('#scenario-changes button.remove');
    await page.waitForSelector('#scenario-changes li.change', { state: 'detached', timeout: 60_000 });
    await page.waitForSelector('.scenario-marker', { state: 'detached' });
    await page.click('#scenario-close');
    await page.waitForSelector('#scenario-editor', { state: 'hidden' });
    // A scenario never touches the live centers.
    const { centers } = (await (await fetch(`${base}/api/centers`)).json()) as { centers: { name: string }[] };
    expect(centers.some((c) => c.name === 'E2E candidate')).toBe(false);
    expect(await panelErrors(page)).toEqual([]);
  });

  it("follows another planner's changes through the event stream, with no action on this page", async () => {
    const { page, base, token } = fixture();
    const [lon, lat] = await page.evaluate(() => window.__map.getCenter().toArray() as [number, number]);
    const shows = (name: string) =>
      page.evaluate((n) => window.__map.queryRenderedFeatures({ layers: ['centers'] }).some((f) => f.properties.name === n), name);
    const name = 'Added elsewhere';
    expect(await shows(name)).toBe(false);
    // Another planner (here: the test, straight through the API) adds a center where this page looks.
    const added = await fetch(`${base}/api/centers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: JSON.stringify({ name, kind: 'neighborhood', lon, lat }),
    });
    expect(added.status).toBe(201);
    const { id } = await added.json();
    await page.waitForFunction((n) => window.__map.queryRenderedFeatures({ layers: ['centers'] }).some((f) => f.properties.name === n), name, { timeout: 30_000 });
    expect((await fetch(`${base}/api/centers/${id}`, { method: 'DELETE', headers: bearer(token) })).status).toBe(200);
    await page.waitForFunction((n) => !window.__map.queryRenderedFeatures({ layers: ['centers'] }).some((f) => f.properties.name === n), name, { timeout: 30_000 });
    expect(await panelErrors(page)).toEqual([]);
  });

  it('shows API errors in the panel', async () => {
    const { page } = fixture();
    // Far out at sea: off the network, the API answers 4xx with a message.
    await page.evaluate(() => window.__map.jumpTo({ center: [120.5, 24.5], zoom: 12 }));
    const box = (await page.locator('#map canvas').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector('#messages .message.error', { timeout: 60_000 });
    expect((await panelErrors(page)).join('\n')).toMatch(/最近的服务中心/);
    forgetExpected4xx(fixture().problems);
  });

  it('logged no errors and fetched nothing from outside', () => {
    const { problems, external } = fixture();
    expect(problems).toEqual([]);
    expect(external).toEqual([]);
  });
}

describeInBrowser('client in chromium (demo city)', suite);
