/**
 * What every browser test of the client shares: the app with the demo city
 * on PGlite on a loopback port, a planner token, Debian's chromium driven by
 * playwright-core, pages that record console errors, failed requests and
 * requests to anything but our own server, and helpers to wait for the map.
 *
 * Without chromium (CHROMIUM_PATH, default /usr/bin/chromium) a suite skips
 * with the reason; with CI set it fails instead, so a CI machine that lacks
 * the browser cannot pass by skipping (describeInBrowser).
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { describe, it } from 'vitest';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { generateDemoCity } from '../data-pipeline/demo-city/generate-demo-city.ts';
import type { ImportBundle } from '../kernel/import-bundle.ts';
import { writeBundle } from '../data-pipeline/write-bundle.ts';
import { createApp, type App } from '../server/app.ts';
import { createLogger } from '../server/logger.ts';
import { openTestDatabase, type TestDatabase } from './backends.ts';
import { testToken } from './auth-fixture.ts';

// The client exposes its map for tests (client/app.js sets window.__map).
declare global {
  interface Window {
    __map: MapLibreMap;
  }
}

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
/** Loading the demo city and the first frames take a while on 2 shared cores. */
export const READY_TIMEOUT_MS = 120_000;
/** Cell size for finding the densest part of the city, degrees (about 1 km). */
const CELL_DEG = 0.01;

/** The desktop and phone viewports the client is checked (and photographed) at. */
export const DESKTOP = { width: 1366, height: 860 };
export const PHONE = { width: 390, height: 844 };

export interface BrowserFixture {
  database: TestDatabase;
  app: App;
  server: ServerType;
  browser: Browser;
  base: string;
  /** The demo city as written (to pick places and check answers). */
  bundle: ImportBundle;
  /** A planner token: pages are opened with it where a test signs in, the test's own writes send it. */
  token: string;
  /** Console errors, page errors and failed requests seen by the pages. */
  problems: string[];
  /** Requests to anything but our own server. */
  external: string[];
  /** Where to look at street zoom: the center in the densest part of the city. */
  downtown: { lon: number; lat: number };
}

/** A page that records its problems and outside requests into the fixture's lists. */
export async function openPage(f: BrowserFixture, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await f.browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', ...options });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') f.problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => f.problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // A request the page itself gave up on (a search superseded by the next keystroke) is not a failure.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    f.problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(f.base) && !url.startsWith('blob:') && !url.startsWith('data:')) f.external.push(url);
  });
  return page;
}

async function listen(app: App): Promise<{ server: ServerType; base: string }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.http.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      resolve({ server, base: `http://127.0.0.1:${info.port}` });
    });
  });
}

/** The center nearest to the ~1 km cell with the most household units. */
function densestCenter(bundle: ImportBundle): { lon: number; lat: number } {
  const { count, lon, lat } = bundle.households;
  const cells = new Map<string, number>();
  let best = '';
  for (let i = 0; i < count; i++) {
    const key = `${Math.floor(lon[i]! / CELL_DEG)},${Math.floor(lat[i]! / CELL_DEG)}`;
    const n = (cells.get(key) ?? 0) + 1;
    cells.set(key, n);
    if (n > (cells.get(best) ?? 0)) best = key;
  }
  const [cx, cy] = best.split(',').map((v) => (Number(v) + 0.5) * CELL_DEG);
  const distance = (c: { lon: number; lat: number }) => (c.lon - cx!) ** 2 + (c.lat - cy!) ** 2;
  const center = bundle.centers.reduce((a, b) => (distance(b) < distance(a) ? b : a));
  return { lon: center.lon, lat: center.lat };
}

/** The demo city on PGlite, the app on a loopback port, a planner token and chromium. */
export async function startBrowserFixture(): Promise<BrowserFixture> {
  const database = await openTestDatabase('pglite');
  const bundle = generateDemoCity();
  await writeBundle(database.db, bundle);
  const app = await createApp({ db: database.db, logger: createLogger('warn'), dataDir: undefined });
  const token = await testToken(database.db);
  const { server, base } = await listen(app);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  return { database, app, server, browser, base, bundle, token, problems: [], external: [], downtown: densestCenter(bundle) };
}

export async function stopBrowserFixture(f: BrowserFixture | undefined): Promise<void> {
  if (!f) return;
  await f.browser.close();
  await new Promise<void>((resolve) => f.server.close(() => resolve()));
  await f.app.close();
  await f.database.dispose();
}

/** Waits until the page says its map is drawn (`<html data-ready="true">`). */
export async function mapReady(page: Page): Promise<void> {
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', undefined, { timeout: READY_TIMEOUT_MS });
}

/** Longest wait for the map to be idle; past it the wait fails and says what the map is still doing. */
export const IDLE_TIMEOUT_MS = 45_000;

/** Where to move the map first: a box to fit (zoomed in to minZoom at least), or a centre and zoom. */
type Camera = { fit: [[number, number], [number, number]]; padding: number; maxZoom: number; minZoom: number } | { center: [number, number]; zoom: number };

/**
 * Moves the map (or not, camera null) and resolves when the view is fully
 * drawn. A camera already where it is asked to go draws no frame, and no
 * frame means no `idle` event: a repaint is asked for, so the wait always
 * ends. After IDLE_TIMEOUT_MS it fails with the map's state and the sources
 * still loading, rather than hanging until the test's own timeout.
 */
async function untilIdle(page: Page, camera: Camera | null): Promise<void> {
  await page.evaluate(
    ([camera, timeoutMs]) =>
      new Promise<void>((resolve, reject) => {
        const map = window.__map;
        const timer = setTimeout(() => {
          const loading = Object.keys(map.getStyle().sources).filter((id) => !map.isSourceLoaded(id));
          reject(new Error(`the map was not idle after ${timeoutMs} ms: loaded ${map.loaded()}, tiles loaded ${map.areTilesLoaded()}, moving ${map.isMoving()}, sources loading: ${loading.join(', ') || 'none'}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        // A pan or zoom still easing (the arrow keys ease) has its tiles but not its last view yet: wait for idle.
        if (camera === null && !map.isMoving() && map.loaded() && map.areTilesLoaded()) return done();
        map.once('idle', done);
        if (camera && 'fit' in camera) {
          map.fitBounds(camera.fit, { padding: camera.padding, duration: 0, maxZoom: camera.maxZoom });
          if (map.getZoom() < camera.minZoom) map.setZoom(camera.minZoom);
        } else if (camera) map.jumpTo({ center: camera.center, zoom: camera.zoom });
        map.triggerRepaint();
      }),
    [camera, IDLE_TIMEOUT_MS] as const,
  );
}

/** Moves the map and resolves when the new view is fully drawn. */
export async function jumpAndSettle(page: Page, lon: number, lat: number, zoom: number): Promise<void> {
  await untilIdle(page, { center: [lon, lat], zoom });
}

/** Frames two places, at a zoom where households are drawn (14) or closer up to maxZoom, and resolves when drawn. */
export async function frameAndSettle(
  page: Page,
  a: { lon: number; lat: number },
  b: { lon: number; lat: number },
  { padding = 80, maxZoom = 15 }: { padding?: number; maxZoom?: number } = {},
): Promise<void> {
  const fit: [[number, number], [number, number]] = [
    [Math.min(a.lon, b.lon), Math.min(a.lat, b.lat)],
    [Math.max(a.lon, b.lon), Math.max(a.lat, b.lat)],
  ];
  await untilIdle(page, { fit, padding, maxZoom, minZoom: 14 });
}

/** Resolves when the map is idle again (sources loaded, nothing animating). */
export async function settle(page: Page): Promise<void> {
  await untilIdle(page, null);
}

/** Rendered features of one style layer in the current view. */
export async function renderedCount(page: Page, layer: string): Promise<number> {
  return page.evaluate((layer) => window.__map.queryRenderedFeatures({ layers: [layer] }).length, layer);
}

/**
 * Drops the browser's own "Failed to load resource: ... status of 4xx" console
 * lines, after a test that provoked a 4xx on purpose: the app showed it.
 */
export function forgetExpected4xx(problems: string[]): void {
  const kept = problems.filter((p) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(p));
  problems.splice(0, problems.length, ...kept);
}

/** Error messages shown in the panel. */
export async function panelErrors(page: Page): Promise<string[]> {
  return page.locator('#messages .message.error').allInnerTexts();
}

/**
 * A browser suite: runs when chromium is there, fails in CI when it is not,
 * and skips with the reason elsewhere.
 */
export function describeInBrowser(name: string, suite: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, suite);
  } else if (process.env.CI) {
    describe(name, () => {
      it('has a browser', () => {
        throw new Error(`no chromium at ${CHROMIUM}: CI must install it (apt-get install chromium) or set CHROMIUM_PATH`);
      });
    });
  } else {
    const reason = `no chromium at ${CHROMIUM}; apt-get install chromium, or set CHROMIUM_PATH`;
    console.warn(`${name}: skipped: ${reason}`);
    describe.skip(`${name} (skipped: ${reason})`, suite);
  }
}

/**
 * Moves the keyboard focus with Tab (Shift+Tab when `back`) until it is on
 * the element `selector` names, as a person without a mouse would; throws
 * after `limit` presses.
 */
export async function tabTo(page: Page, selector: string, { back = false, limit = 120 } = {}): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${limit} presses of ${back ? 'Shift+Tab' : 'Tab'} did not reach ${selector}`);
}
