/**
 * The client for residents and for everyone, in a real browser (the shared
 * fixture: demo city on PGlite, chromium): the search box finds a community
 * by its Chinese name and is driven by the keyboard; "use my location" with
 * the permission granted opens the answer card, and refused says so, in
 * Chinese and in English; the answer card lists the kinds with walk times
 * and tiers met or missed consistently with them, shows one route at a
 * time and draws isochrones; a shared link restores position, place and
 * language; on a phone the panel is a bottom sheet with 44 px targets and
 * the map answers a finger. No console errors, failed or outside requests.
 * Leaves /tmp/shots/residents-desktop.png and /tmp/shots/residents-phone.png.
 */
import { mkdirSync } from 'node:fs';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeInBrowser,
  mapReady,
  openPage,
  panelErrors,
  PHONE,
  settle,
  startBrowserFixture,
  stopBrowserFixture,
  type BrowserFixture,
} from './browser-fixture.ts';

const SHOTS = '/tmp/shots';
const HAN = /\p{Script=Han}/u;

interface CardRow {
  kind: string;
  minutes: number;
  met: boolean;
  walkSeconds: number | null;
  text: string;
}

interface CardTier {
  minutes: number;
  met: boolean;
  text: string;
}

/** The answer card as the page shows it. */
async function readCard(page: Page): Promise<{ label: string; rows: CardRow[]; tiers: CardTier[] }> {
  return page.evaluate(() => {
    const body = document.getElementById('nearest-body')!;
    const rows = Array.from(body.querySelectorAll<HTMLElement>('.kind-row[data-kind]')).map((row) => ({
      kind: row.dataset.kind!,
      minutes: Number(row.dataset.minutes),
      met: row.dataset.met === 'true',
      walkSeconds: row.dataset.walkSeconds === undefined ? null : Number(row.dataset.walkSeconds),
      text: row.innerText,
    }));
    const tiers = Array.from(body.querySelectorAll<HTMLElement>('li.tier')).map((tier) => ({
      minutes: Number(tier.dataset.minutes),
      met: tier.dataset.met === 'true',
      text: tier.innerText,
    }));
    return { label: body.querySelector('.place-label')?.textContent ?? '', rows, tiers };
  });
}

/** Waits for the answer card to be drawn (or an error in the panel). */
async function cardShown(page: Page): Promise<void> {
  await page.waitForFunction(
    () => document.querySelector('#nearest:not([hidden]) .kind-row[data-kind]') || document.querySelector('#messages .error'),
    undefined,
    { timeout: 60_000 },
  );
  expect(await panelErrors(page)).toEqual([]);
}

/** Waits until the map draws the route to the nearest center of a kind. */
const routeDrawn = (page: Page, kind: string) =>
  page.waitForFunction((k) => window.__map.queryRenderedFeatures({ layers: ['route'] }).some((f) => f.properties.kind === k), kind, { timeout: 30_000 });

function suite(): void {
  let f: BrowserFixture | undefined;
  let desktop: Page | undefined;
  const fixture = () => {
    if (!f) throw new Error('the fixture did not start');
    return f;
  };
  const page = () => {
    if (!desktop) throw new Error('no desktop page');
    return desktop;
  };
  /** A community near downtown whose name no other division shares (so it is the exact match). */
  let community: { code: string; name: string; lon: number; lat: number };

  /** Opens a page in a context of its own and waits for the map. */
  const open = async (url: string, options: BrowserContextOptions = {}) => {
    const p = await openPage(fixture(), options);
    await p.goto(`${fixture().base}${url}`);
    await mapReady(p);
    return p;
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    f = await startBrowserFixture();
    const { bundle, downtown } = f;
    const names = new Map<string, number>();
    for (const unit of bundle.admin) names.set(unit.name, (names.get(unit.name) ?? 0) + 1);
    for (const grid of bundle.grids) names.set(grid.name, (names.get(grid.name) ?? 0) + 1);
    const candidates = bundle.admin
      .filter((u) => u.level === 'community' && u.name.endsWith('社区') && names.get(u.name) === 1 && u.geom)
      .map((u) => {
        const ring = u.geom![0]![0]!;
        const lon = ring.reduce((s, p) => s + p[0], 0) / ring.length;
        const lat = ring.reduce((s, p) => s + p[1], 0) / ring.length;
        return { code: u.code, name: u.name, lon, lat };
      })
      .sort((a, b) => (a.lon - downtown.lon) ** 2 + (a.lat - downtown.lat) ** 2 - ((b.lon - downtown.lon) ** 2 + (b.lat - downtown.lat) ** 2));
    community = candidates[0]!;
    desktop = await open('/');
  }, 300_000);
  afterAll(() => stopBrowserFixture(f), 60_000);

  it('finds a community by its Chinese name and chooses it with the keyboard', async () => {
    const p = page();
    const searches: string[] = [];
    p.on('request', (r) => {
      if (r.url().includes('/api/search')) searches.push(r.url());
    });
    const input = p.locator('#search-input');
    await expect(input.getAttribute('role')).resolves.toBe('combobox');
    // Too long: a hint, and nothing sent (the server would answer 400).
    await input.fill('社'.repeat(65));
    await p.waitForFunction(() => /最多 64 个字/.test(document.getElementById('search-status')!.textContent ?? ''));
    expect(searches).toEqual([]);
    await input.fill('   ');
    await p.waitForTimeout(400);
    expect(searches).toEqual([]);
    expect(await p.locator('#search-status').innerText()).toBe('');

    await input.fill('');
    await input.pressSequentially(community.name, { delay: 30 });
    await p.waitForSelector('#search-results:not([hidden]) [role="option"]', { timeout: 30_000 });
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    // Typed one character at a time, faster than the pause: one or two searches, not one per character.
    expect(searches.length).toBeLessThan(community.name.length);
    const options = await p.locator('#search-results [role="option"]').allInnerTexts();
    expect(options[0]).toContain(community.name);
    expect(await p.locator('#search-status').innerText()).toMatch(/找到 \d+ 个结果/);

    await p.keyboard.press('ArrowDown');
    const active = await input.getAttribute('aria-activedescendant');
    expect(active).toBeTruthy();
    expect(await p.locator(`#${active}`).getAttribute('aria-selected')).toBe('true');
    // Down and back up, then Escape closes the list and Enter with the list open chooses.
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('ArrowUp');
    expect(await input.getAttribute('aria-activedescendant')).toBe(active);
    await p.keyboard.press('Escape');
    expect(await input.getAttribute('aria-expanded')).toBe('false');
    await p.keyboard.press('ArrowDown');
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    await p.keyboard.press('Enter');
    expect(await input.inputValue()).toBe(community.name);
    expect(await input.getAttribute('aria-expanded')).toBe('false');
    await cardShown(p);
    const card = await readCard(p);
    expect(card.label).toContain(community.name);
    // The map went to the community.
    await settle(p);
    const bounds = await p.evaluate(() => window.__map.getBounds().toArray());
    expect(community.lon).toBeGreaterThan(bounds[0][0] - 0.01);
    expect(community.lon).toBeLessThan(bounds[1][0] + 0.01);
    expect(community.lat).toBeGreaterThan(bounds[0][1] - 0.01);
    expect(community.lat).toBeLessThan(bounds[1][1] + 0.01);
  });

  it('answers with the nearest center of each kind, its walk, and the tiers met and missed by those walks', async () => {
    const p = page();
    const { rows, tiers } = await readCard(p);
    const kinds = rows.map((r) => r.kind);
    expect(kinds).toContain('neighborhood');
    expect(kinds).toContain('governance');
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) {
      if (row.walkSeconds === null) {
        expect(row.met, row.kind).toBe(false);
        continue;
      }
      // Each kind: the walk in Chinese words, and met exactly when it is within the kind's tier.
      expect(row.text, row.kind).toMatch(/\d+ (分|秒)/);
      expect(row.text, row.kind).toMatch(/\d+(\.\d+)? (米|公里)/);
      expect(row.met, row.kind).toBe(row.walkSeconds <= row.minutes * 60);
      expect(row.text, row.kind).toContain(row.met ? `✓ ${row.minutes}分钟内` : `✗ 超过${row.minutes}分钟`);
    }
    expect(tiers.map((t) => t.minutes)).toEqual([5, 10, 15]);
    for (const tier of tiers) {
      const own = rows.filter((r) => r.minutes === tier.minutes);
      expect(tier.met, `${tier.minutes}`).toBe(own.every((r) => r.met));
      expect(tier.text).toContain(tier.met ? `${tier.minutes}分钟生活圈：达标` : `${tier.minutes}分钟生活圈：未达标`);
    }
    // The card is a labelled region with a heading, and its summary went to a live region.
    expect(await p.locator('#nearest h2').innerText()).toBe('这里的生活圈');
    expect(await p.locator('#place-status').getAttribute('role')).toBe('status');
    expect(await p.locator('#place-status').innerText()).toMatch(/生活圈/);

    // One route at a time: the neighbourhood center's first, another kind's when its row is chosen.
    const pressed = () => p.locator('button.kind-row[aria-pressed="true"]').evaluateAll((b) => b.map((x) => (x as HTMLElement).dataset.kind));
    expect(await pressed()).toEqual(['neighborhood']);
    const other = rows.find((r) => r.kind !== 'neighborhood' && r.walkSeconds !== null)!;
    await p.locator(`button.kind-row[data-kind="${other.kind}"]`).focus();
    await p.keyboard.press('Enter');
    expect(await pressed()).toEqual([other.kind]);
    await routeDrawn(p, other.kind);
    expect(await p.locator('#place-status').innerText()).toMatch(/步行路线/);
    await p.locator('button.kind-row[data-kind="neighborhood"]').click();
    expect(await pressed()).toEqual(['neighborhood']);
    await routeDrawn(p, 'neighborhood');

    await p.click('#isochrone-button');
    await p.waitForFunction(
      () => window.__map.queryRenderedFeatures({ layers: ['isochrone-fill'] }).length > 0 || document.querySelector('#messages .error'),
      undefined,
      { timeout: 60_000 },
    );
    expect(await panelErrors(p)).toEqual([]);
    expect(await p.getAttribute('#isochrone-button', 'aria-pressed')).toBe('true');

    // Keyboard focus shows everywhere: the card's rows, and the map's own controls (MapLibre hides the outline).
    const focusRing = () =>
      p.evaluate(() => {
        const active = document.activeElement as HTMLElement;
        const style = getComputedStyle(active);
        return { name: active.className, outline: `${style.outlineStyle} ${style.outlineWidth}` };
      });
    await p.locator('button.kind-row').first().focus();
    await p.keyboard.press('Tab');
    expect(await focusRing()).toEqual({ name: 'kind-row', outline: 'solid 3px' });
    await p.locator('#language-switch').focus();
    for (let i = 0; i < 6 && !(await focusRing()).name.includes('maplibregl-ctrl-zoom'); i++) await p.keyboard.press('Shift+Tab');
    expect(await focusRing()).toEqual({ name: expect.stringContaining('maplibregl-ctrl-zoom'), outline: 'solid 3px' });
    await p.evaluate(() => (document.activeElement as HTMLElement).blur());

    await settle(p);
    await p.evaluate(() => (document.getElementById('panel')!.scrollTop = 0));
    await p.screenshot({ path: `${SHOTS}/residents-desktop.png` });
  });

  it('keeps the view in the address, and a shared link restores position, place and language', async () => {
    const p = page();
    // The address follows the page (written at most every 250 ms).
    await p.waitForFunction(() => /[?&]place=/.test(location.search) && /[?&]center=/.test(location.search), undefined, { timeout: 5_000 });
    const url = new URL(p.url());
    expect(url.searchParams.get('lang')).toBe('zh-CN');
    const [lon, lat] = url.searchParams.get('place')!.split(',').map(Number);
    expect(Math.abs(lon! - community.lon)).toBeLessThan(0.02);
    expect(Math.abs(lat! - community.lat)).toBeLessThan(0.02);

    const { downtown } = fixture();
    const link = `/?lang=en&center=${downtown.lon.toFixed(5)},${downtown.lat.toFixed(5)}&zoom=15.5&place=${downtown.lon.toFixed(6)},${downtown.lat.toFixed(6)}`;
    await p.goto(`${fixture().base}${link}`);
    await mapReady(p);
    await cardShown(p);
    const view = await p.evaluate(() => ({ center: window.__map.getCenter().toArray(), zoom: window.__map.getZoom() }));
    expect(view.zoom).toBeCloseTo(15.5, 5);
    expect(view.center[0]).toBeCloseTo(downtown.lon, 5);
    expect(view.center[1]).toBeCloseTo(downtown.lat, 5);
    expect(await p.getAttribute('html', 'lang')).toBe('en');
    expect(await p.locator('#nearest h2').innerText()).toBe('The living circle here');
    const card = await readCard(p);
    expect(card.label).toBe('The place chosen on the map');
    expect(card.rows.find((r) => r.kind === 'neighborhood')!.text).toMatch(/\d+ (min|s)\b/);
    expect(card.tiers.map((t) => t.text).join('\n')).toMatch(/15-minute circle: (met|not met)/);
    expect(await p.locator('#search-input').getAttribute('placeholder')).toBe('Search a place');
    // The origin is where the link put it.
    const origin = await p.evaluate(() => window.__map.querySourceFeatures('origin').map((f) => (f.geometry as { coordinates: number[] }).coordinates));
    expect(origin[0]![0]).toBeCloseTo(downtown.lon, 5);
    // Back to Chinese for the tests after (the choice is kept in this browser).
    await p.click('#language-switch');
    expect(await p.locator('#nearest h2').innerText()).toBe('这里的生活圈');
    await p.waitForFunction(() => new URLSearchParams(location.search).get('lang') === 'zh-CN');
  });

  it('opens the card for my location when the browser gives it, in Chinese and in English', async () => {
    const { downtown } = fixture();
    const options: BrowserContextOptions = { geolocation: { longitude: downtown.lon, latitude: downtown.lat }, permissions: ['geolocation'] };
    const p = await open('/', options);
    await p.click('#locate-button');
    await cardShown(p);
    expect((await readCard(p)).label).toBe('我的位置');
    expect(await p.locator('#nearest-body').innerText()).toMatch(/\d+ (分|秒)/);
    await settle(p);
    const center = await p.evaluate(() => window.__map.getCenter().toArray());
    expect(Math.abs(center[0] - downtown.lon)).toBeLessThan(0.01);

    await p.goto(`${fixture().base}/?lang=en`);
    await mapReady(p);
    await p.click('#locate-button');
    await cardShown(p);
    const card = await readCard(p);
    expect(card.label).toBe('My location');
    // The card's own words are English (center names are the data's, in Chinese).
    for (const row of card.rows.filter((r) => r.walkSeconds !== null)) expect(row.text).toMatch(/\d+ (min|s)\b.*(within|over) \d+ min/s);
    expect(await p.locator('#nearest-body .tiers').innerText()).toMatch(/minute circle: (met|not met)/);
    await p.context().close();
  });

  it('says in words when the location is refused, in Chinese and in English', async () => {
    const p = await open('/');
    await p.click('#locate-button');
    await p.waitForFunction(() => /定位权限/.test(document.getElementById('search-status')!.textContent ?? ''), undefined, { timeout: 30_000 });
    expect(await p.locator('#search-status').isVisible()).toBe(true);
    expect(await p.locator('#nearest').isHidden()).toBe(true);
    expect(await panelErrors(p)).toEqual([]);

    await p.goto(`${fixture().base}/?lang=en`);
    await mapReady(p);
    await p.click('#locate-button');
    await p.waitForFunction(() => /permission/.test(document.getElementById('search-status')!.textContent ?? ''), undefined, { timeout: 30_000 });
    const text = await p.locator('#search-status').innerText();
    expect(text).toMatch(/^Location permission was not given/);
    expect(text).not.toMatch(HAN);
    await p.context().close();
  });

  it('on a phone: the panel is a bottom sheet with 44 px targets, search works, the map answers a finger', async () => {
    const p = await open('/', { viewport: PHONE, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
    const panel = (await p.locator('#panel').boundingBox())!;
    // Collapsed: at the bottom, showing the handle, the title row and the search box; the map above it.
    expect(panel.y + panel.height).toBeCloseTo(PHONE.height, 0);
    expect(panel.height).toBeLessThan(PHONE.height * 0.3);
    expect(await p.getAttribute('#sheet-handle', 'aria-expanded')).toBe('false');
    expect(await p.locator('#search-input').isVisible()).toBe(true);
    expect(await p.locator('#coverage').evaluate((e) => (e as HTMLElement).inert || !!e.closest('[inert]'))).toBe(true);
    const map = (await p.locator('#map').boundingBox())!;
    expect(map.height).toBeGreaterThan(PHONE.height * 0.7);

    const targets = ['#sheet-handle', '#language-switch', '#search-input', '#locate-button', '.maplibregl-ctrl-zoom-in', '.maplibregl-ctrl-zoom-out'];
    for (const selector of targets) {
      const box = (await p.locator(selector).boundingBox())!;
      expect(box.height, selector).toBeGreaterThanOrEqual(44);
      expect(box.width, selector).toBeGreaterThanOrEqual(44);
    }

    // One finger moves the map (no "use two fingers" overlay on a full-screen map).
    const before = await p.evaluate(() => window.__map.getCenter().toArray());
    const cdp = await p.context().newCDPSession(p);
    const x = map.x + map.width / 2;
    const y = map.y + map.height / 2;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    for (let i = 1; i <= 8; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: x + i * 12, y: y + i * 6 }] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await settle(p);
    const after = await p.evaluate(() => window.__map.getCenter().toArray());
    expect(Math.hypot(after[0] - before[0], after[1] - before[1])).toBeGreaterThan(1e-4);

    // The handle: a tap opens the sheet, arrow keys step it, and everything is reachable.
    await p.locator('#sheet-handle').tap();
    await p.waitForFunction(() => document.getElementById('sheet-handle')!.getAttribute('aria-expanded') === 'true');
    expect(await p.locator('#coverage').evaluate((e) => !!e.closest('[inert]'))).toBe(false);
    await p.locator('#sheet-handle').focus();
    await p.keyboard.press('ArrowDown');
    expect(await p.getAttribute('#sheet-handle', 'aria-expanded')).toBe('false');
    // A finger drags the handle up: the sheet follows and settles open. Measured once the sheet has
    // finished sliding down (its height is animated; on busy cores that takes a while).
    await p.waitForFunction(() => document.getElementById('panel')!.getAnimations().length === 0);
    const handle = (await p.locator('#sheet-handle').boundingBox())!;
    const hx = handle.x + handle.width / 2;
    const hy = handle.y + handle.height / 2;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: hx, y: hy }] });
    for (let i = 1; i <= 10; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: hx, y: hy - i * 45 }] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await p.waitForFunction(() => document.getElementById('panel')!.dataset.sheet !== 'collapsed');
    expect(await p.getAttribute('#sheet-handle', 'aria-expanded')).toBe('true');
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('ArrowDown');
    expect(await p.getAttribute('#panel', 'data-sheet')).toBe('collapsed');

    // Search on the phone: a tap on a result opens the card in the half-open sheet.
    await p.locator('#search-input').tap();
    await p.locator('#search-input').pressSequentially(community.name, { delay: 20 });
    const option = p.locator('#search-results [role="option"]').first();
    await option.waitFor({ timeout: 30_000 });
    expect((await option.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await option.tap();
    await cardShown(p);
    await p.waitForFunction(() => document.getElementById('panel')!.dataset.sheet === 'half');
    for (const selector of ['button.kind-row', '#isochrone-button', '#place-close']) {
      const box = (await p.locator(selector).first().boundingBox())!;
      expect(box.height, selector).toBeGreaterThanOrEqual(44);
    }
    // The route shows on the map above the sheet.
    await routeDrawn(p, 'neighborhood');
    await settle(p);
    await p.screenshot({ path: `${SHOTS}/residents-phone.png` });
    await p.context().close();
  });

  it('logged no errors and fetched nothing from outside', () => {
    const { problems, external } = fixture();
    expect(problems).toEqual([]);
    expect(external).toEqual([]);
  });
}

describeInBrowser('residents client in chromium (demo city)', suite);
