/**
 * The planner tools in a real browser (test/browser-fixture.ts): signing in
 * with a pasted token (a wrong one and a reader's refused in the user's
 * language) and out; a scenario made, a candidate added by a click where
 * households are outside the 15-minute circle and dragged, a live center
 * removed; the households gained and lost drawn on the map; the summary and
 * the table per level equal to the API's, in Chinese and in English; the
 * swipe against today's map; the scenario in the address; applying it only
 * after the confirmation (cancel: nothing changes). Then, on the live data
 * as applied: a scenario made and a candidate placed and moved with the
 * keyboard alone (Tab, arrow keys, typed coordinates), the scenario renamed
 * from the keyboard, a live center moved by a drag with the households it
 * loses and gains drawn and the tables equal to the API's (and the moving
 * pad on a phone), a site suggestion stored as a scenario opening in the
 * editor. No console errors, failed requests or outside requests. Leaves
 * screenshots at /tmp/shots/: planner-desktop.png and planner-phone.png (a
 * scenario with gained and lost households and its summary),
 * planner-read-only.png, planner-rename.png, planner-move-desktop.png and
 * planner-keyboard-phone.png (the moving pad).
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer, testToken } from './auth-fixture.ts';
import {
  describeInBrowser,
  forgetExpected4xx,
  frameAndSettle,
  mapReady,
  openPage,
  panelErrors,
  PHONE,
  renderedCount,
  settle,
  startBrowserFixture,
  stopBrowserFixture,
  tabTo,
  type BrowserFixture,
} from './browser-fixture.ts';
import { chooseLiveMove, dragMarkerTo, offsetMetres } from './scenario-browser.ts';

declare global {
  interface Window {
    __compareMap?: MapLibreMap;
  }
}

const SHOTS = '/tmp/shots';
const CANDIDATE = '木兰溪北岸候选站';
/** Neighbourhood centers tried for the removal: the nearest ones to the candidate. */
const REMOVAL_TRIES = 6;

type Change = { op: 'add'; name: string; lon: number; lat: number } | { op: 'move' | 'remove'; center_id: number };
type Circle = { minutes: number; households_before: number; households_after: number; gained: number; lost: number };
type Scenario = { id: number; name: string; revision: number; changes: Change[]; summary: { circles: Circle[] } };
type Totals = { covered: number; covered_before: number; gained: number; lost: number };
type Coverage = { units: (Totals & { name: string })[]; total: Totals };

interface Places {
  /** Where one new center brings the most households into the circle (the API's first suggestion). */
  site: { lon: number; lat: number };
  /** A live neighbourhood center near it whose removal drops households out of the circle. */
  removed: { id: number; name: string; lon: number; lat: number };
}

function suite(): void {
  let f: (BrowserFixture & { page: Page; places: Places }) | undefined;
  let scenarioId = 0;
  const fixture = () => {
    if (!f) throw new Error('the fixture did not start');
    return f;
  };
  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const { base, token } = fixture();
    const res = await fetch(`${base}${path}`, { ...init, headers: { 'content-type': 'application/json', ...bearer(token), ...(init.headers as Record<string, string>) } });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };

  /** The candidate's site, and a center to remove that loses households (tried through the API, then forgotten). */
  async function choosePlaces(): Promise<Places> {
    const suggestion = await api<{ sites: { lon: number; lat: number }[] }>('/api/plan/suggest', { method: 'POST', body: JSON.stringify({ k: 1 }) });
    const site = suggestion.sites[0]!;
    const { centers } = await api<{ centers: { id: number; name: string; kind: string; lon: number; lat: number }[] }>('/api/centers');
    const metres = (c: { lon: number; lat: number }) => Math.hypot((c.lon - site.lon) * 100_500, (c.lat - site.lat) * 110_800);
    const near = centers.filter((c) => c.kind === 'neighborhood' && metres(c) > 500).sort((a, b) => metres(a) - metres(b)).slice(0, REMOVAL_TRIES);
    let best: { center: (typeof near)[number]; lost: number } | undefined;
    for (const center of near) {
      const tried = await api<Scenario>('/api/scenarios', { method: 'POST', body: JSON.stringify({ name: 'try', changes: [{ op: 'remove', center_id: center.id }] }) });
      const lost = tried.summary.circles.find((c) => c.minutes === 15)!.lost;
      await api(`/api/scenarios/${tried.id}`, { method: 'DELETE' });
      if (!best || lost > best.lost) best = { center, lost };
    }
    if (!best || best.lost === 0) throw new Error('no center near the suggested site loses households when removed');
    return { site, removed: best.center };
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const started = await startBrowserFixture();
    f = { ...started, page: undefined as unknown as Page, places: undefined as unknown as Places };
    f.places = await choosePlaces();
    f.page = await openPage(started);
  }, 300_000);
  afterAll(() => stopBrowserFixture(f), 60_000);

  /** Waits until no edit is being saved and no table is loading. */
  const saved = (page: Page) => page.waitForSelector('#scenarios[data-busy="false"]', { state: 'attached', timeout: 60_000 });
  /** The open scenario as the API has it. */
  const stored = () => api<Scenario>(`/api/scenarios/${scenarioId}`);
  /** Pixel of a place on the map canvas, in page coordinates. */
  const pixel = async (page: Page, lon: number, lat: number) => {
    const box = (await page.locator('#map canvas.maplibregl-canvas').boundingBox())!;
    const p = await page.evaluate(([lon, lat]) => window.__map.project([lon, lat]), [lon, lat] as const);
    return { x: box.x + p.x, y: box.y + p.y };
  };
  /**
   * Frames the candidate's site and the removed center, with room for the
   * households around them, at a zoom where households are drawn (14).
   */
  const frame = (page: Page) => {
    const { site, removed } = fixture().places;
    return frameAndSettle(page, site, removed, { padding: 40, maxZoom: 14.3 });
  };
  /** Numbers of a table row's cells with data-value (before, after, gained, lost). */
  const rowValues = (page: Page, selector: string) =>
    page.locator(`${selector} td[data-value]`).evaluateAll((cells) => cells.map((c) => Number((c as HTMLElement).dataset.value)));

  it('signs in with a pasted token, refuses a wrong one and a reader token in Chinese, and signs out', async () => {
    const { page, base, token, database } = fixture();
    await page.goto(`${base}/`);
    await mapReady(page);
    // Anonymous: only the sign-in button, no planner tools.
    await page.waitForSelector('#planner-sign-in');
    expect(await page.locator('#planner').getAttribute('class')).toContain('signed-out');
    expect(await page.locator('#scenarios').isHidden()).toBe(true);
    expect(await page.locator('#planner-sign-in').innerText()).toBe('规划员登录');

    await page.click('#planner-sign-in');
    await page.fill('#planner-token', token.slice(0, -4) + 'AAAA');
    await page.click('#planner-sign-in-form button[type=submit]');
    await page.waitForSelector('.planner-error');
    expect(await page.locator('.planner-error').innerText()).toMatch(/令牌无效/);
    await page.fill('#planner-token', await testToken(database.db, 'reader'));
    await page.click('#planner-sign-in-form button[type=submit]');
    await page.waitForSelector('.planner-error:has-text("不是规划员令牌")');
    expect(await page.evaluate(() => sessionStorage.getItem('living-circle.token'))).toBeNull();
    forgetExpected4xx(fixture().problems);

    await page.fill('#planner-token', token);
    await page.click('#planner-sign-in-form button[type=submit]');
    await page.waitForSelector('#planner-who');
    expect(await page.locator('#planner-who').innerText()).toBe('已登录：test planner（规划员）');
    expect(await page.locator('#scenario-list-view').isVisible()).toBe(true);
    expect(await page.evaluate(() => [sessionStorage.getItem('living-circle.token'), localStorage.getItem('living-circle.token')])).toEqual([token, null]);

    await page.click('#planner-sign-out');
    await page.waitForSelector('#planner-sign-in');
    expect(await page.locator('#scenarios').isHidden()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('living-circle.token'))).toBeNull();
    expect(await page.locator('#messages .note').innerText()).toMatch(/已退出登录/);

    await page.click('#planner-sign-in');
    await page.fill('#planner-token', token);
    await page.press('#planner-token', 'Enter');
    await page.waitForSelector('#planner-who');
    expect(await panelErrors(page)).toEqual([]);
  });

  it('signs in in English too, with the refusal in English', async () => {
    const { base, token } = fixture();
    const page = await openPage(fixture(), { locale: 'en-GB' });
    try {
      await page.goto(`${base}/?lang=en`);
      await mapReady(page);
      await page.click('#planner-sign-in');
      expect(await page.locator('label[for="planner-token"]').innerText()).toBe('Planner token');
      await page.fill('#planner-token', 'lc_1_not-a-token');
      await page.click('#planner-sign-in-form button[type=submit]');
      await page.waitForSelector('.planner-error');
      expect(await page.locator('.planner-error').innerText()).toMatch(/^The token is not valid/);
      forgetExpected4xx(fixture().problems);
      await page.fill('#planner-token', token);
      await page.click('#planner-sign-in-form button[type=submit]');
      await page.waitForSelector('#planner-who');
      expect(await page.locator('#planner-who').innerText()).toBe('Signed in: test planner (planner)');
      expect(await page.locator('#scenario-create button').innerText()).toBe('New scenario');
    } finally {
      await page.context().close();
    }
  });

  it('makes a scenario, puts it in the address, and adds a candidate by a click where households are uncovered', async () => {
    const { page, base, places } = fixture();
    await page.fill('#scenario-new-name', '木兰溪北岸试点');
    await page.click('#scenario-create button[type=submit]');
    await page.waitForSelector('#scenario-editor:not([hidden])');
    scenarioId = Number(new URL(page.url()).searchParams.get('scenario'));
    expect(scenarioId).toBeGreaterThan(0);
    expect(new URL(page.url()).searchParams.get('scenario')).toBe(String(scenarioId));
    expect(await page.locator('#scenario-name').innerText()).toBe('方案：木兰溪北岸试点');

    await frame(page);
    await page.selectOption('#scenario-candidate-kind', 'neighborhood');
    await page.fill('#scenario-candidate-name', CANDIDATE);
    await page.click('#scenario-candidate-add');
    expect(await page.getAttribute('#scenario-candidate-add', 'aria-pressed')).toBe('true');
    const at = await pixel(page, places.site.lon, places.site.lat);
    await page.mouse.click(at.x, at.y);
    await page.waitForSelector('#scenario-changes li.change.add');
    await saved(page);
    // The tool stays on until pressed again.
    await page.click('#scenario-candidate-add');

    const scenario = await stored();
    expect(scenario.changes).toHaveLength(1);
    const add = scenario.changes[0]! as Extract<Change, { op: 'add' }>;
    expect(add).toMatchObject({ op: 'add', name: CANDIDATE, kind: 'neighborhood' });
    expect(Math.abs(add.lon - places.site.lon)).toBeLessThan(0.0002);
    expect(Math.abs(add.lat - places.site.lat)).toBeLessThan(0.0002);
    expect(await page.locator('#scenario-changes').innerText()).toContain(`新增“${CANDIDATE}”`);
    // The map shows the scenario's tiles: households it brings within 15 minutes, around the candidate.
    await page.waitForFunction(() => window.__map.queryRenderedFeatures({ layers: ['scenario-gained'] }).length > 0, undefined, { timeout: 60_000 });
    const near = await page.evaluate(([lon, lat]) => {
      const p = window.__map.project([lon, lat]);
      return window.__map.queryRenderedFeatures([[p.x - 150, p.y - 150], [p.x + 150, p.y + 150]], { layers: ['scenario-gained'] }).length;
    }, [places.site.lon, places.site.lat] as const);
    expect(near).toBeGreaterThan(0);
    expect(await page.locator('.scenario-marker.added').count()).toBe(1);
    expect(await panelErrors(page)).toEqual([]);
  });

  it('moves the candidate by dragging its marker', async () => {
    const { page } = fixture();
    const before = (await stored()).changes[0] as Extract<Change, { op: 'add' }>;
    const revision = (await stored()).revision;
    const box = (await page.locator('.scenario-marker.added').boundingBox())!;
    const from = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 30, from.y + 20, { steps: 10 });
    await page.mouse.up();
    await page.waitForFunction((r) => Number(document.querySelector('#scenario-status')?.textContent?.match(/\d+/)?.[0]) > r, revision, { timeout: 60_000 });
    await saved(page);
    const after = (await stored()).changes[0] as Extract<Change, { op: 'add' }>;
    expect(after.name).toBe(CANDIDATE);
    expect(Math.hypot(after.lon - before.lon, after.lat - before.lat)).toBeGreaterThan(0.0002);
    // Where the marker now stands is where the scenario has it.
    const marker = await page.evaluate(() => {
      const canvas = document.querySelector('#map canvas.maplibregl-canvas')!.getBoundingClientRect();
      const box = document.querySelector('.scenario-marker.added')!.getBoundingClientRect();
      return window.__map.unproject([box.x + box.width / 2 - canvas.x, box.y + box.height / 2 - canvas.y]).toArray();
    });
    expect(Math.abs(marker[0]! - after.lon)).toBeLessThan(0.0001);
    expect(Math.abs(marker[1]! - after.lat)).toBeLessThan(0.0001);
    // The drag did not also look up the nearest center.
    expect(await page.locator('#nearest').isHidden()).toBe(true);
    await page.waitForFunction(() => window.__map.queryRenderedFeatures({ layers: ['scenario-gained'] }).length > 0, undefined, { timeout: 60_000 });
  });

  it('removes a live center in the scenario from its popup, and draws the households lost', async () => {
    const { page, places } = fixture();
    await settle(page);
    const at = await pixel(page, places.removed.lon, places.removed.lat);
    await page.mouse.click(at.x, at.y);
    await page.waitForSelector('.scenario-popup');
    expect(await page.locator('.scenario-popup strong').innerText()).toBe(places.removed.name);
    await page.click('.scenario-popup button:has-text("在此方案中移除")');
    await page.waitForSelector('#scenario-changes li.change.remove');
    await saved(page);
    const scenario = await stored();
    expect(scenario.changes.map((c) => c.op)).toEqual(['add', 'remove']);
    expect(scenario.changes[1]).toEqual({ op: 'remove', center_id: places.removed.id });
    expect(await page.locator('#scenario-changes').innerText()).toContain(`移除“${places.removed.name}”`);
    await page.waitForFunction(() => window.__map.queryRenderedFeatures({ layers: ['scenario-lost'] }).length > 0, undefined, { timeout: 60_000 });
    await page.waitForFunction(() => window.__map.queryRenderedFeatures({ layers: ['scenario-removed'] }).length > 0, undefined, { timeout: 60_000 });
    expect(await renderedCount(page, 'scenario-gained')).toBeGreaterThan(0);
    expect(await panelErrors(page)).toEqual([]);
  });

  it("shows the summary and the table per level with the API's numbers", async () => {
    const { page } = fixture();
    await saved(page);
    const scenario = await stored();
    for (const circle of scenario.summary.circles) {
      expect(await rowValues(page, `#scenario-summary tr:has(td[data-minutes="${circle.minutes}"])`)).toEqual([circle.households_before, circle.households_after, circle.gained, circle.lost]);
    }
    const fifteen = scenario.summary.circles.find((c) => c.minutes === 15)!;
    expect(fifteen.gained).toBeGreaterThan(0);
    expect(fifteen.lost).toBeGreaterThan(0);
    for (const level of ['district', 'street', 'city', 'grid']) {
      await page.selectOption('#scenario-level', level);
      await page.waitForSelector('#scenario-levels tfoot');
      await saved(page);
      const coverage = await api<Coverage>(`/api/coverage?level=${level}&scenario=${scenarioId}`);
      const total = coverage.total;
      expect(await rowValues(page, '#scenario-levels tfoot tr'), level).toEqual([total.covered_before, total.covered, total.gained, total.lost]);
      // The day's totals agree with the summary's 15-minute circle.
      expect([total.covered_before, total.covered, total.gained, total.lost]).toEqual([fifteen.households_before, fifteen.households_after, fifteen.gained, fifteen.lost]);
      const rows = await page.locator('#scenario-levels tbody tr').evaluateAll((trs) =>
        trs.map((tr) => [tr.querySelector('td')!.textContent, ...Array.from(tr.querySelectorAll('td[data-value]')).map((td) => Number((td as HTMLElement).dataset.value))]),
      );
      expect(rows.length, level).toBeGreaterThan(0);
      for (const [name, ...values] of rows) {
        const unit = coverage.units.find((u) => u.name === name)!;
        expect(values, `${level} ${name}`).toEqual([unit.covered_before, unit.covered, unit.gained, unit.lost]);
      }
    }
    await page.selectOption('#scenario-level', 'district');
    await saved(page);
  });

  it('reads the sign-in and the summary in English after the switch, with the same numbers', async () => {
    const { page } = fixture();
    const numbers = await rowValues(page, '#scenario-summary tbody');
    await page.click('#language-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await page.locator('#planner-who').innerText()).toBe('Signed in: test planner (planner)');
    expect(await page.locator('#scenario-summary thead').innerText()).toMatch(/Circle\s+Before\s+After\s+Gained\s+Lost/);
    expect(await page.locator('#scenario-levels thead').innerText()).toMatch(/Unit\s+Before\s+After\s+Gained\s+Lost/);
    expect(await page.locator('#scenario-summary td[data-minutes="15"]').innerText()).toBe('15 min');
    expect(await rowValues(page, '#scenario-summary tbody')).toEqual(numbers);
    expect(await page.locator('#scenario-apply').innerText()).toBe('Apply to the live data…');
    await page.click('#language-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    expect(await page.locator('#scenario-summary thead').innerText()).toMatch(/生活圈\s+现状\s+方案\s+新增\s+减少/);
  });

  it('compares the scenario with today by a swipe over the live map', async () => {
    const { page } = fixture();
    await page.check('#scenario-compare');
    await page.waitForFunction(() => window.__compareMap?.loaded(), undefined, { timeout: 60_000 });
    const seen = await page.evaluate(() => {
      const compare = window.__compareMap!;
      const tiles = (map: MapLibreMap) => (map.getSource('overlay') as unknown as { tiles: string[] }).tiles;
      return {
        live: tiles(compare),
        scenario: tiles(window.__map),
        sameView: compare.getCenter().distanceTo(window.__map.getCenter()) < 1 && Math.abs(compare.getZoom() - window.__map.getZoom()) < 1e-6,
        households: compare.queryRenderedFeatures({ layers: ['households'] }).length,
        changed: compare.queryRenderedFeatures({ layers: ['households'] }).filter((h) => h.properties.change !== undefined).length,
      };
    });
    expect(seen.scenario.every((u) => u.includes(`scenario=${scenarioId}`))).toBe(true);
    expect(seen.live.some((u) => u.includes('scenario='))).toBe(false);
    expect(seen).toMatchObject({ sameView: true, changed: 0 });
    expect(seen.households).toBeGreaterThan(0);
    // Today's map follows the scenario's view.
    await page.evaluate(() => window.__map.panBy([60, 0], { duration: 0 }));
    expect(await page.evaluate(() => window.__compareMap!.getCenter().distanceTo(window.__map.getCenter()))).toBeLessThan(1);
    // The handle moves the edge.
    const handle = (await page.locator('.compare-handle').boundingBox())!;
    const map = (await page.locator('#map').boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(map.x + map.width * 0.3, handle.y + handle.height / 2, { steps: 5 });
    await page.mouse.up();
    const clip = await page.locator('.compare-map').evaluate((e) => (e as HTMLElement).style.clipPath);
    expect(Number(/inset\(0(?:px)? ([\d.]+)%/.exec(clip)?.[1])).toBeGreaterThan(65);
    expect(await page.locator('.compare-label.left').innerText()).toBe('现状');
    await page.uncheck('#scenario-compare');
    expect(await page.evaluate(() => window.__compareMap === undefined)).toBe(true);
    await page.evaluate(() => window.__map.panBy([-60, 0], { duration: 0 }));
    expect(await panelErrors(page)).toEqual([]);
  });

  it('leaves screenshots of the scenario on desktop and phone', async () => {
    const { page, base, token } = fixture();
    await frame(page);
    await settle(page);
    await page.locator('#scenario-summary').evaluate((e) => e.previousElementSibling!.scrollIntoView({ block: 'nearest' }));
    await page.screenshot({ path: `${SHOTS}/planner-desktop.png` });

    const phone = await openPage(fixture(), { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    try {
      // The address opens the scenario; the link signs the planner in.
      await phone.goto(`${base}/?scenario=${scenarioId}#token=${token}`);
      await mapReady(phone);
      await phone.waitForSelector('#scenario-editor:not([hidden]) #scenario-summary table');
      // The scenario stays in the address (beside the shared view), the token leaves it.
      expect(new URL(phone.url()).searchParams.get('scenario')).toBe(String(scenarioId));
      expect(new URL(phone.url()).hash).toBe('');
      await frame(phone);
      await phone.waitForFunction(() => window.__map.queryRenderedFeatures({ layers: ['scenario-gained'] }).length > 0, undefined, { timeout: 60_000 });
      await settle(phone);
      // The panel (below the map on a phone) scrolled to the summary's heading.
      await phone.locator('#scenario-summary').evaluate((e) => e.previousElementSibling!.scrollIntoView({ block: 'start' }));
      await phone.screenshot({ path: `${SHOTS}/planner-phone.png` });
      expect(await panelErrors(phone)).toEqual([]);
    } finally {
      await phone.context().close();
    }
  });

  it('opens the scenario from its address read-only for a resident who is not signed in', async () => {
    const { base } = fixture();
    const page = await openPage(fixture());
    try {
      await page.goto(`${base}/?scenario=${scenarioId}`);
      await mapReady(page);
      await page.waitForSelector('#scenario-editor:not([hidden]) #scenario-summary table');
      expect(await page.locator('#planner-sign-in').isVisible()).toBe(true);
      for (const hidden of ['#scenario-tools', '#scenario-apply', '#scenario-list-view']) expect(await page.locator(hidden).isHidden(), hidden).toBe(true);
      expect(await page.locator('#scenario-changes button').count()).toBe(0);
      expect(await page.locator('#scenario-status').innerText()).toContain('只读');
      const scenario = await stored();
      expect(await rowValues(page, '#scenario-summary tr:has(td[data-minutes="15"])')).toEqual(
        (({ households_before, households_after, gained, lost }) => [households_before, households_after, gained, lost])(scenario.summary.circles.find((c) => c.minutes === 15)!),
      );
      await frame(page);
      await page.waitForFunction(() => window.__map.queryRenderedFeatures({ layers: ['scenario-gained'] }).length > 0, undefined, { timeout: 60_000 });
      await page.screenshot({ path: `${SHOTS}/planner-read-only.png` });
      expect(await panelErrors(page)).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('applies the scenario only after the confirmation: cancel changes nothing, confirm writes the live centers', async () => {
    const { page, base, places } = fixture();
    const before = await api<{ centers: { id: number; name: string; lon: number; lat: number; source: string }[] }>('/api/centers');
    const scenario = await stored();
    const fifteen = scenario.summary.circles.find((c) => c.minutes === 15)!;
    await page.click('#scenario-apply');
    await page.waitForSelector('#scenario-confirm[open]');
    const text = await page.locator('#scenario-confirm').innerText();
    expect(text).toContain('将方案“木兰溪北岸试点”应用到实时数据？');
    expect(text).toContain('将新增 1 个、移动 0 个、移除 1 个服务中心。');
    const n = (x: number) => x.toLocaleString('zh-CN');
    expect(text).toContain(`新增 ${n(fifteen.gained)} 户，减少 ${n(fifteen.lost)} 户（净变化 ${fifteen.gained >= fifteen.lost ? '+' : '−'}${n(Math.abs(fifteen.gained - fifteen.lost))} 户）`);
    await page.click('#scenario-confirm-cancel');
    expect(await page.locator('#scenario-confirm').getAttribute('open')).toBeNull();
    expect(await api('/api/centers')).toEqual(before);
    expect(new URL(page.url()).searchParams.get('scenario')).toBe(String(scenarioId));

    await page.click('#scenario-apply');
    await page.waitForSelector('#scenario-confirm[open]');
    await page.click('#scenario-confirm-ok');
    await page.waitForSelector('#messages .note:has-text("已应用方案")', { timeout: 60_000 });
    const after = await api<typeof before>('/api/centers');
    const add = scenario.changes[0] as Extract<Change, { op: 'add' }>;
    expect(after.centers.filter((c) => c.name === CANDIDATE)).toMatchObject([{ source: 'api', lon: add.lon, lat: add.lat }]);
    expect(after.centers.some((c) => c.id === places.removed.id)).toBe(false);
    expect(after.centers).toHaveLength(before.centers.length);
    // Back on the live map: no scenario in the address, the new center drawn from the live tiles, the coverage table updated.
    expect(new URL(page.url()).searchParams.get('scenario')).toBeNull();
    expect(await page.locator('#scenario-editor').isHidden()).toBe(true);
    await page.waitForFunction((name) => window.__map.queryRenderedFeatures({ layers: ['centers'] }).some((c) => c.properties.name === name), CANDIDATE, { timeout: 60_000 });
    // The live coverage is the scenario's "after".
    await expect.poll(async () => (await api<Coverage>('/api/coverage?level=city')).total.covered, { timeout: 30_000 }).toBe(fifteen.households_after);
    await page.selectOption('#coverage-level', 'city');
    await page.waitForFunction((covered) => document.querySelector('#coverage-body tfoot')?.textContent?.includes(covered), n(fifteen.households_after), { timeout: 60_000 });
    expect(await panelErrors(page)).toEqual([]);
  });

  it('makes a scenario and places a candidate with the keyboard only: at the map center, moved by the arrow keys and by typed coordinates', async () => {
    const { page } = fixture();
    // Where one more center helps most now that the first scenario is live.
    const site = (await api<{ sites: { lon: number; lat: number }[] }>('/api/plan/suggest', { method: 'POST', body: JSON.stringify({ k: 1 }) })).sites[0]!;
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo(page, '#scenario-new-name');
    await page.keyboard.type('键盘试点');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#scenario-editor:not([hidden])');
    scenarioId = Number(new URL(page.url()).searchParams.get('scenario'));
    expect(await page.locator('#scenario-name').innerText()).toBe('方案：键盘试点');
    await saved(page);

    // The map pans by the arrow keys once it has the focus; a cross marks its center meanwhile.
    await tabTo(page, '#map canvas.maplibregl-canvas', { back: true });
    const start = await page.evaluate(() => window.__map.getCenter().toArray());
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await settle(page);
    const center = await page.evaluate(() => window.__map.getCenter().toArray());
    expect(center[0]).toBeLessThan(start[0]!);
    expect(await page.locator('#map').getAttribute('class')).toContain('aiming');

    await tabTo(page, '#scenario-candidate-center');
    expect(await page.locator('#scenario-candidate-center').innerText()).toBe('在地图中心添加候选点');
    await page.keyboard.press('Enter');
    await saved(page);
    // The candidate is selected for moving: the keyboard is on the pad.
    expect(await page.evaluate(() => document.activeElement?.matches('#scenario-nudge-pad button.north'))).toBe(true);
    expect(await page.locator('#scenario-nudge legend').innerText()).toBe('移动“候选点 1”');
    expect(await page.locator('#scenario-nudge-pad button.north').getAttribute('aria-label')).toBe('向北移动 10 米');
    const placed = (await stored()).changes[0] as Extract<Change, { op: 'add' }>;
    expect(placed).toMatchObject({ op: 'add', name: '候选点 1', kind: 'neighborhood' });
    expect(Math.abs(placed.lon - center[0]!)).toBeLessThan(1e-6);
    expect(Math.abs(placed.lat - center[1]!)).toBeLessThan(1e-6);

    // 3 presses east and 2 north by 10 m, one north by 100 m (Shift).
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowUp', 'ArrowUp', 'Shift+ArrowUp']) await page.keyboard.press(key);
    await saved(page);
    const stepped = (await stored()).changes[0] as Extract<Change, { op: 'add' }>;
    const moved = offsetMetres(placed, stepped);
    expect(moved.east).toBeCloseTo(30, 0);
    expect(moved.north).toBeCloseTo(120, 0);
    expect(await page.locator('#scenario-nudge-status').innerText()).toBe(`“候选点 1”已移到 ${stepped.lon.toFixed(5)}, ${stepped.lat.toFixed(5)}`);
    const marker = await page.evaluate(() => {
      const canvas = window.__map.getCanvas().getBoundingClientRect();
      const box = document.querySelector('.scenario-marker.added.selected')!.getBoundingClientRect();
      return window.__map.unproject([box.x + box.width / 2 - canvas.x, box.y + box.height / 2 - canvas.y]).toArray();
    });
    expect(offsetMetres(stepped, { lon: marker[0]!, lat: marker[1]! }).distance).toBeLessThan(15);

    // Typed coordinates: a wrong one is refused in words and nothing is saved; then the suggested site.
    const revision = (await stored()).revision;
    await tabTo(page, '#scenario-nudge-lon');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('东经119度');
    await page.keyboard.press('Enter');
    expect(await page.locator('#scenario-nudge-error').innerText()).toBe('经度须为 -180 到 180 之间的数字。');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('scenario-nudge-lon');
    expect((await stored()).revision).toBe(revision);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(site.lon.toFixed(5));
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(site.lat.toFixed(5));
    await page.keyboard.press('Enter');
    await saved(page);
    expect(await page.locator('#scenario-nudge-error').isHidden()).toBe(true);
    const typed = (await stored()).changes[0] as Extract<Change, { op: 'add' }>;
    expect([typed.lon, typed.lat]).toEqual([Number(site.lon.toFixed(5)), Number(site.lat.toFixed(5))]);
    expect((await stored()).summary.circles.find((c) => c.minutes === 15)!.gained).toBeGreaterThan(0);
    // The map followed the candidate, and draws the households it brings within 15 minutes.
    await page.waitForFunction(
      ([lon, lat]) => {
        const map = window.__map;
        const p = map.project([lon, lat]);
        return map.queryRenderedFeatures([[p.x - 150, p.y - 150], [p.x + 150, p.y + 150]], { layers: ['scenario-gained'] }).length > 0;
      },
      [typed.lon, typed.lat] as const,
      { timeout: 60_000 },
    );

    // Escape ends the moving; the keyboard is back on the candidate's own "move" button, which starts it again.
    await page.keyboard.press('Escape');
    expect(await page.locator('#scenario-nudge').isHidden()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('用键盘移动“候选点 1”');
    await page.keyboard.press('Enter');
    expect(await page.locator('#scenario-nudge').isVisible()).toBe(true);
    expect(await page.locator('#scenario-changes button.select').getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Escape');
    expect(await panelErrors(page)).toEqual([]);
  });

  it('renames the open scenario from the keyboard: refuses an empty name in words, then the heading, the list and the API follow', async () => {
    const { page } = fixture();
    const before = await stored();
    await tabTo(page, '#scenario-rename', { back: true });
    expect(await page.locator('#scenario-rename').innerText()).toBe('重命名');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('scenario-rename-input');
    expect(await page.inputValue('#scenario-rename-input')).toBe('键盘试点');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Enter');
    expect(await page.locator('#scenario-rename-error').innerText()).toBe('方案名称不能为空。');
    expect(await page.getAttribute('#scenario-rename-input', 'aria-invalid')).toBe('true');
    expect((await stored()).name).toBe('键盘试点');
    await page.keyboard.type('键盘试点（东区）');
    await page.locator('#scenario-editor').screenshot({ path: `${SHOTS}/planner-rename.png` });
    await page.keyboard.press('Enter');
    await page.waitForSelector('#scenario-rename-form', { state: 'hidden' });
    await saved(page);
    expect(await page.locator('#scenario-name').innerText()).toBe('方案：键盘试点（东区）');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('scenario-rename');
    expect(await page.locator('#messages .note').innerText()).toBe('方案已改名为“键盘试点（东区）”。');
    const after = await stored();
    expect(after).toMatchObject({ name: '键盘试点（东区）', revision: before.revision + 1, changes: before.changes });
    expect(await page.locator('#scenario-status').innerText()).toContain(`第 ${after.revision} 版`);
    // The tables stay (a rename changes no number).
    expect(await rowValues(page, '#scenario-levels tfoot tr')).toHaveLength(4);
    // Escape leaves the form without a change.
    await page.keyboard.press('Enter');
    await page.keyboard.type('不要');
    await page.keyboard.press('Escape');
    expect(await page.locator('#scenario-name').innerText()).toBe('方案：键盘试点（东区）');
    expect((await stored()).revision).toBe(after.revision);
    // The list has the new name.
    await page.click('#scenario-close');
    expect(await page.locator(`#scenario-list li[data-scenario-id="${scenarioId}"] strong`).innerText()).toBe('键盘试点（东区）');
    await page.click(`#scenario-list li[data-scenario-id="${scenarioId}"] button.open`);
    await page.waitForSelector('#scenario-editor:not([hidden])');
    await saved(page);
    expect(await panelErrors(page)).toEqual([]);
  });

  it('moves a live center in a new scenario by dragging it: households lost and gained drawn, the summary and tables as the API has them', async () => {
    const { page, base, token, downtown } = fixture();
    const move = await chooseLiveMove(base, token, downtown);
    await page.click('#scenario-close');
    await page.fill('#scenario-new-name', '党群服务中心迁址');
    await page.click('#scenario-create button[type=submit]');
    await page.waitForSelector('#scenario-editor:not([hidden])');
    scenarioId = Number(new URL(page.url()).searchParams.get('scenario'));
    await saved(page);
    await frameAndSettle(page, move.center, move.to);
    const at = await pixel(page, move.center.lon, move.center.lat);
    await page.mouse.click(at.x, at.y);
    await page.waitForSelector('.scenario-popup');
    expect(await page.locator('.scenario-popup strong').innerText()).toBe(move.center.name);
    await page.click('.scenario-popup button:has-text("在此方案中移动")');
    await page.waitForSelector('.scenario-marker.moved');
    await saved(page);
    // The moving pad opened for it too.
    expect(await page.locator('#scenario-nudge legend').innerText()).toBe(`移动“${move.center.name}”`);
    const revision = (await stored()).revision;
    await dragMarkerTo(page, '.scenario-marker.moved', move.to);
    await page.waitForFunction((r) => Number(document.querySelector('#scenario-status')?.textContent?.match(/\d+/)?.[0]) > r, revision, { timeout: 60_000 });
    await saved(page);
    const scenario = await stored();
    expect(scenario.changes).toHaveLength(1);
    const change = scenario.changes[0] as { op: string; center_id: number; lon: number; lat: number };
    expect(change).toMatchObject({ op: 'move', center_id: move.center.id });
    // Where it was dropped, within a few pixels at this zoom.
    expect(offsetMetres(move.to, change).distance).toBeLessThan(60);
    expect(await page.locator('#scenario-changes').innerText()).toContain(`移动“${move.center.name}”`);
    const fifteen = scenario.summary.circles.find((c) => c.minutes === 15)!;
    expect(fifteen.lost).toBeGreaterThan(0);
    expect(fifteen.gained).toBeGreaterThan(0);
    for (const layer of ['scenario-lost', 'scenario-gained']) {
      await page.waitForFunction((l) => window.__map.queryRenderedFeatures({ layers: [l] }).length > 0, layer, { timeout: 60_000 });
    }
    for (const circle of scenario.summary.circles) {
      expect(await rowValues(page, `#scenario-summary tr:has(td[data-minutes="${circle.minutes}"])`)).toEqual([circle.households_before, circle.households_after, circle.gained, circle.lost]);
    }
    const total = (await api<Coverage>(`/api/coverage?level=district&scenario=${scenarioId}`)).total;
    expect(await rowValues(page, '#scenario-levels tfoot tr')).toEqual([total.covered_before, total.covered, total.gained, total.lost]);
    expect([total.gained, total.lost]).toEqual([fifteen.gained, fifteen.lost]);
    await settle(page);
    await page.screenshot({ path: `${SHOTS}/planner-move-desktop.png` });
    expect(await panelErrors(page)).toEqual([]);

    // On a phone: the moving pad in the bottom sheet, its targets 44 px.
    const phone = await openPage(fixture(), { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    try {
      await phone.goto(`${base}/?scenario=${scenarioId}#token=${token}`);
      await mapReady(phone);
      await phone.waitForSelector('#scenario-editor:not([hidden]) #scenario-changes button.select');
      await phone.locator('#sheet-handle').focus();
      await phone.keyboard.press('ArrowUp');
      await phone.keyboard.press('ArrowUp');
      await phone.waitForFunction(() => document.getElementById('panel')!.dataset.sheet === 'full');
      await phone.waitForFunction(() => document.getElementById('panel')!.getAnimations().length === 0);
      await phone.locator('#scenario-changes button.select').tap();
      await phone.waitForSelector('#scenario-nudge:not([hidden])');
      for (const selector of ['#scenario-nudge-pad button.north', '#scenario-nudge-pad button.east', '#scenario-nudge-lon', '#scenario-nudge-done', '#scenario-candidate-center', '#scenario-rename']) {
        const box = (await phone.locator(selector).boundingBox())!;
        expect(box.height, selector).toBeGreaterThanOrEqual(44);
        expect(box.width, selector).toBeGreaterThanOrEqual(44);
      }
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await phone.locator('#scenario-nudge').evaluate((e) => e.scrollIntoView({ block: 'center' }));
      await phone.screenshot({ path: `${SHOTS}/planner-keyboard-phone.png` });
      expect(await panelErrors(phone)).toEqual([]);
    } finally {
      await phone.context().close();
    }
  });

  it('opens a site suggestion stored as a scenario in the editor, and the downloads follow the scenario the editor opens', async () => {
    const { page } = fixture();
    expect(await page.inputValue('#export-scenario')).toBe(String(scenarioId));
    await page.click('#suggest summary');
    await page.fill('#suggest-k', '1');
    await page.click('#suggest-run');
    await page.waitForSelector('#suggest-save', { timeout: 120_000 });
    await page.click('#suggest-save');
    await page.waitForFunction((id) => new URL(location.href).searchParams.get('scenario') !== String(id), scenarioId, { timeout: 60_000 });
    const opened = Number(new URL(page.url()).searchParams.get('scenario'));
    await page.waitForFunction((name) => document.getElementById('scenario-name')?.textContent?.startsWith(name), '方案：选址建议：1 个站点', { timeout: 60_000 });
    await saved(page);
    scenarioId = opened;
    const scenario = await stored();
    expect(scenario.changes).toMatchObject([{ op: 'add', name: '建议站点 1' }]);
    expect(await page.locator('#scenario-changes').innerText()).toContain('新增“建议站点 1”');
    expect(await page.locator('.scenario-marker.added').count()).toBe(1);
    expect(await page.inputValue('#export-scenario')).toBe(String(opened));
    // Closed in the editor: the downloads are of today's data again.
    await page.click('#scenario-close');
    expect(await page.inputValue('#export-scenario')).toBe('');
    await page.click('#suggest summary');
    expect(await panelErrors(page)).toEqual([]);
  });

  it('logged no errors and fetched nothing from outside', () => {
    const { problems, external } = fixture();
    expect(problems).toEqual([]);
    expect(external).toEqual([]);
  });
}

describeInBrowser('planner tools in chromium (demo city)', suite);
