/**
 * The client in English, end to end in chromium (test/browser-fixture.ts:
 * the demo city on PGlite): the flows the other browser tests walk in
 * Chinese, here with `?lang=en` and an English browser. Search finds a
 * community and a center, with the result types and a center's kind in
 * English (the server's line names the kind in Chinese); the answer card
 * says each kind's nearest center with its walk and distance formatted for
 * English and equal to GET /api/place, and the tiers met and missed with
 * the kinds missing; a planner makes a scenario (a candidate placed by a
 * click and dragged, a live center removed), reads the gains and losses in
 * words, tables and on the map, places a candidate and moves a live center
 * with the keyboard, renames the scenario, is asked before applying; the
 * GeoJSON downloads are valid and non-empty, equal to the API's answers.
 *
 * Every view is scanned for Chinese text that is not a name from the data
 * (a string left untranslated). No console errors, failed requests or
 * requests to other sites.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer } from './auth-fixture.ts';
import {
  describeInBrowser,
  DESKTOP,
  frameAndSettle,
  mapReady,
  openPage,
  panelErrors,
  settle,
  startBrowserFixture,
  stopBrowserFixture,
  tabTo,
  type BrowserFixture,
} from './browser-fixture.ts';
import { chooseLiveMove, chooseRemoval, dragMarkerTo, offsetMetres } from './scenario-browser.ts';

const SHOTS = '/tmp/shots';
const HAN = /\p{Script=Han}+/gu;
/** English number, percent and list formats, as the page's Intl gives them for `en`. */
const n = (x: number) => new Intl.NumberFormat('en', { maximumFractionDigits: 0 }).format(x);
const pct = (x: number) => new Intl.NumberFormat('en', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x);
const list = (items: string[]) => new Intl.ListFormat('en', { style: 'long', type: 'conjunction' }).format(items);
/** A walk as the card writes it in English: "12 min 05 s", "45 s". */
const walk = (seconds: number) => {
  const total = Math.round(seconds);
  return total >= 60 ? `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, '0')} s` : `${total} s`;
};
/** A distance as the card writes it in English: "850 m", "1.2 km". */
const distance = (metres: number) =>
  metres >= 1000 ? `${new Intl.NumberFormat('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(metres / 1000)} km` : `${n(metres)} m`;

type Change = { op: 'add'; name: string; kind: string; lon: number; lat: number } | { op: 'move'; center_id: number; lon: number; lat: number } | { op: 'remove'; center_id: number };
type Circle = { minutes: number; households_before: number; households_after: number; gained: number; lost: number; share_before: number; share_after: number };
type Scenario = { id: number; name: string; revision: number; changes: Change[]; summary: { circles: Circle[] } };
type PlaceKind = { kind: string; name: string; minutes: number; center: { name: string } | null; centers: number; walk_seconds: number | null; distance_m: number | null; met: boolean };
type Place = { kinds: PlaceKind[]; tiers: { minutes: number; distance_m: number; kinds: string[]; met: boolean }[] };
type Collection = { type: string; features: { type: string; geometry: { type: string; coordinates: number[] } | null; properties: Record<string, unknown> }[] };

/** Clicks a button that downloads, and resolves to the file's text and suggested name. */
async function downloadFrom(page: Page, selector: string): Promise<{ text: string; name: string }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click(selector)]);
  return { text: readFileSync(await (download as Download).path()).toString('utf8'), name: download.suggestedFilename() };
}

function suite(): void {
  let f: (BrowserFixture & { page: Page }) | undefined;
  /** Names from the data (Chinese by nature): the only Chinese an English page may show. */
  let names: string[] = [];
  let scenarioId = 0;
  /** The /api/place answer the card of the chosen community was drawn from. */
  let chosenPlace: Place | undefined;
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
  const stored = () => api<Scenario>(`/api/scenarios/${scenarioId}`);
  /** Waits until no edit is being saved and no table is loading. */
  const saved = (page: Page) => page.waitForSelector('#scenarios[data-busy="false"]', { state: 'attached', timeout: 60_000 });
  /** Numbers of a table row's cells with data-value (before, after, gained, lost). */
  const rowValues = (page: Page, selector: string) =>
    page.locator(`${selector} td[data-value]`).evaluateAll((cells) => cells.map((c) => Number((c as HTMLElement).dataset.value)));
  /** Pixel of a place on the map canvas, in page coordinates. */
  const pixel = async (page: Page, lon: number, lat: number) => {
    const box = (await page.locator('#map canvas.maplibregl-canvas').boundingBox())!;
    const p = await page.evaluate(([lon, lat]) => window.__map.project([lon, lat]), [lon, lat] as const);
    return { x: box.x + p.x, y: box.y + p.y };
  };
  /** Chinese in the element's text once the data's names are taken out: strings left untranslated. */
  const untranslated = async (page: Page, selector: string) => {
    let text = (await page.locator(selector).innerText()).replace(/中文/g, '');
    for (const name of names) text = text.split(name).join(' ');
    return text.match(HAN) ?? [];
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const started = await startBrowserFixture();
    const { bundle } = started;
    // Longest first, so a name is taken out before a shorter one inside it.
    names = [...new Set([...bundle.admin.map((a) => a.name), ...bundle.grids.map((g) => g.name), ...bundle.centers.map((c) => c.name)])].sort((a, b) => b.length - a.length);
    f = { ...started, page: await openPage(started, { viewport: DESKTOP, locale: 'en-GB' }) };
    await f.page.goto(`${f.base}/?lang=en`);
    await mapReady(f.page);
  }, 300_000);
  afterAll(() => stopBrowserFixture(f), 60_000);

  it('finds a community with the UI in English: English result types, the status in words, and the card for it', async () => {
    const { page, bundle, downtown } = fixture();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    const counts = new Map<string, number>();
    for (const a of [...bundle.admin, ...bundle.grids]) counts.set(a.name, (counts.get(a.name) ?? 0) + 1);
    const community = bundle.admin
      .filter((u) => u.level === 'community' && u.name.endsWith('社区') && counts.get(u.name) === 1 && u.geom)
      .map((u) => ({ name: u.name, lon: u.geom![0]![0]![0]![0], lat: u.geom![0]![0]![0]![1] }))
      .sort((a, b) => offsetMetres(downtown, a).distance - offsetMetres(downtown, b).distance)[0]!;
    const input = page.locator('#search-input');
    expect(await input.getAttribute('placeholder')).toBe('Search a place');

    await input.fill('社'.repeat(65));
    await page.waitForFunction(() => /^Too long/.test(document.getElementById('search-status')!.textContent ?? ''));
    expect(await page.locator('#search-status').innerText()).toBe('Too long: at most 64 characters, this is 65.');
    await input.fill('qqqzzz');
    await page.waitForFunction(() => /^Nothing found/.test(document.getElementById('search-status')!.textContent ?? ''), undefined, { timeout: 30_000 });
    expect(await page.locator('#search-status').innerText()).toBe('Nothing found for “qqqzzz”. Try the name of a community, street or center.');

    await input.fill(community.name);
    await page.waitForSelector('#search-results:not([hidden]) [role="option"]', { timeout: 30_000 });
    const options = await page.locator('#search-results [role="option"]').evaluateAll((os) =>
      os.map((o) => ({ name: o.querySelector('.result-name')!.textContent!, type: o.querySelector('.result-type')!.textContent!, context: o.querySelector('.result-context')!.textContent! })),
    );
    expect(options[0]).toMatchObject({ name: community.name, type: 'Community / village' });
    for (const option of options) {
      expect(['District', 'Street / town', 'Community / village', 'Grid', 'Facility']).toContain(option.type);
    }
    expect(await page.locator('#search-status').innerText()).toBe(`Results: ${options.length}. Choose with the arrow keys and Enter.`);
    expect(await untranslated(page, '#search-results')).toEqual([]);

    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/place?'), { timeout: 60_000 }),
      (async () => {
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Enter');
      })(),
    ]);
    chosenPlace = (await response.json()) as Place;
    await page.waitForSelector('#nearest:not([hidden]) .kind-row[data-kind]', { timeout: 60_000 });
    expect(await page.locator('#nearest-body .place-label').innerText()).toBe(`${community.name} (${options[0]!.context})`);
    expect(await panelErrors(page)).toEqual([]);
  });

  it("answers in English: each kind's nearest center with its walk and distance as the API has them, and the tiers met and missed", async () => {
    const { page } = fixture();
    const place = chosenPlace!;
    expect(await page.locator('#nearest h2').innerText()).toBe('The living circle here');
    const rows = await page.locator('#nearest-body .kind-row[data-kind]').evaluateAll((rs) =>
      rs.map((r) => ({
        kind: (r as HTMLElement).dataset.kind!,
        name: r.querySelector('.kind-name')!.textContent!,
        center: r.querySelector('.kind-center')!.textContent!,
        walk: r.querySelector('.walk')?.textContent ?? null,
        verdict: r.querySelector('.verdict')!.textContent!.trim(),
      })),
    );
    expect(rows.map((r) => r.kind).sort()).toEqual(place.kinds.map((k) => k.kind).sort());
    for (const kind of place.kinds) {
      const row = rows.find((r) => r.kind === kind.kind)!;
      expect(row.name, kind.kind).toBe(kind.name);
      if (kind.center && kind.walk_seconds !== null) {
        expect(row.center).toBe(kind.center.name);
        expect(row.walk, kind.kind).toBe(`${walk(kind.walk_seconds)} · ${distance(kind.distance_m!)}`);
        expect(row.verdict, kind.kind).toBe(kind.met ? `✓ within ${kind.minutes} min` : `✗ over ${kind.minutes} min`);
      } else {
        expect(row.verdict, kind.kind).toBe(`✗ ${kind.centers > 0 ? 'none within walking reach' : 'none of this kind in the data'}`);
      }
    }
    const tiers = await page.locator('#nearest-body li.tier').evaluateAll((ts) => ts.map((t) => (t as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
    expect(tiers).toEqual(
      place.tiers.map((tier) => {
        if (tier.met) return `✓ ${tier.minutes}-minute circle: met`;
        const missing = place.kinds.filter((k) => tier.kinds.includes(k.kind) && !k.met).map((k) => k.name);
        return `✗ ${tier.minutes}-minute circle: not met (not met: ${list(missing)})`;
      }),
    );
    const headings = await page.locator('#nearest-body .tier-group h3').allInnerTexts();
    expect(headings).toEqual(place.tiers.filter((t) => place.kinds.some((k) => k.minutes === t.minutes)).map((t) => `${t.minutes}-minute circle (about ${distance(t.distance_m)} on foot)`));
    const met = place.tiers.filter((t) => t.met).map((t) => String(t.minutes));
    const missed = place.tiers.filter((t) => !t.met).map((t) => String(t.minutes));
    const summary = await page.locator('#place-status').innerText();
    if (met.length > 0) expect(summary).toContain(`Meets the ${list(met)}-minute circles.`);
    if (missed.length > 0) expect(summary).toContain(`Misses the ${list(missed)}-minute circles.`);

    await page.click('#isochrone-button');
    await page.waitForFunction(() => window.__map.queryRenderedFeatures({ layers: ['isochrone-fill'] }).length > 0, undefined, { timeout: 60_000 });
    expect(await page.locator('#place-status').innerText()).toBe('5, 10 and 15-minute walking isochrones shown on the map.');
    expect(await untranslated(page, '#nearest')).toEqual([]);
    expect(await panelErrors(page)).toEqual([]);
  });

  it("finds a center by name: its kind in English in the result and on the card, and in Chinese after the switch", async () => {
    const { page, bundle, downtown } = fixture();
    const counts = new Map<string, number>();
    for (const c of bundle.centers) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
    const kindergarten = bundle.centers
      .filter((c) => c.kind === 'kindergarten' && counts.get(c.name) === 1 && !bundle.admin.some((a) => a.name === c.name))
      .sort((a, b) => offsetMetres(downtown, a).distance - offsetMetres(downtown, b).distance)[0]!;
    await page.fill('#search-input', kindergarten.name);
    // Focusing the box shows the last results again at once: wait for the new ones.
    await page.waitForFunction(
      (name) => document.querySelector('#search-results:not([hidden]) [role="option"] .result-name')?.textContent === name,
      kindergarten.name,
      { timeout: 30_000 },
    );
    const first = page.locator('#search-results [role="option"]').first();
    expect(await first.locator('.result-name').innerText()).toBe(kindergarten.name);
    expect(await first.locator('.result-type').innerText()).toBe('Facility');
    const context = await first.locator('.result-context').innerText();
    expect(context).toMatch(/^Kindergarten or nursery · /);
    expect(await untranslated(page, '#search-results')).toEqual([]);
    await first.click();
    await page.waitForSelector('#nearest:not([hidden]) .kind-row[data-kind]', { timeout: 60_000 });
    expect(await page.locator('#nearest-body .place-label').innerText()).toBe(`${kindergarten.name} (${context})`);
    // The card's label is said again in the other language, the kind included.
    await page.click('#language-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    expect(await page.locator('#nearest-body .place-label').innerText()).toBe(`${kindergarten.name}（${context.replace('Kindergarten or nursery', '幼儿园（托儿所）')}）`);
    await page.click('#language-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await page.locator('#nearest-body .place-label').innerText()).toBe(`${kindergarten.name} (${context})`);
    await page.click('#place-close');
    expect(await panelErrors(page)).toEqual([]);
  });

  it('makes a scenario in English: a candidate placed by a click and dragged, a live center removed, gains and losses in words, tables and on the map', async () => {
    const { page, base, token } = fixture();
    const site = (await api<{ sites: { lon: number; lat: number }[] }>('/api/plan/suggest', { method: 'POST', body: JSON.stringify({ k: 1 }) })).sites[0]!;
    const removed = await chooseRemoval(base, token, site);
    await page.goto(`${base}/?lang=en#token=${token}`);
    await mapReady(page);
    await page.waitForSelector('#planner-who');
    expect(await page.locator('#planner-who').innerText()).toBe('Signed in: test planner (planner)');
    await page.fill('#scenario-new-name', 'North bank trial');
    await page.click('#scenario-create button[type=submit]');
    await page.waitForSelector('#scenario-editor:not([hidden])');
    scenarioId = Number(new URL(page.url()).searchParams.get('scenario'));
    await saved(page);
    expect(await page.locator('#scenario-name').innerText()).toBe('Scenario: North bank trial');
    expect(await page.locator('#scenario-status').innerText()).toBe('revision 1 · saved');
    expect(await page.locator('#scenario-changes').innerText()).toBe('No changes yet.');

    await frameAndSettle(page, site, removed);
    await page.fill('#scenario-candidate-name', 'North bank candidate');
    await page.click('#scenario-candidate-add');
    expect(await page.locator('#scenario-candidate-add').innerText()).toBe('Click the map to place candidates (press again to stop)');
    const at = await pixel(page, site.lon, site.lat);
    await page.mouse.click(at.x, at.y);
    await page.waitForSelector('#scenario-changes li.change.add');
    await saved(page);
    await page.click('#scenario-candidate-add');
    expect(await page.locator('#scenario-candidate-add').innerText()).toBe('Add candidates on the map');
    expect(await page.locator('#scenario-changes li.change.add').innerText()).toContain('Add “North bank candidate” · Party Building + neighbourhood center');

    // Dragged a little: saved at the new place.
    const before = (await stored()).changes[0] as Extract<Change, { op: 'add' }>;
    const revision = (await stored()).revision;
    const box = (await page.locator('.scenario-marker.added').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 25, box.y + box.height / 2 - 15, { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction((r) => Number(document.querySelector('#scenario-status')?.textContent?.match(/\d+/)?.[0]) > r, revision, { timeout: 60_000 });
    await saved(page);
    const dragged = (await stored()).changes[0] as Extract<Change, { op: 'add' }>;
    expect(offsetMetres(before, dragged).distance).toBeGreaterThan(20);

    // A live center removed from its popup, in English.
    await settle(page);
    const centerAt = await pixel(page, removed.lon, removed.lat);
    await page.mouse.click(centerAt.x, centerAt.y);
    await page.waitForSelector('.scenario-popup');
    expect(await page.locator('.scenario-popup strong').innerText()).toBe(removed.name);
    expect(await page.locator('.scenario-popup div').first().innerText()).toBe('Party Building + neighbourhood center');
    expect(await page.locator('.scenario-popup button').allInnerTexts()).toEqual(['Remove in this scenario', 'Move in this scenario']);
    await page.click('.scenario-popup button:text-is("Remove in this scenario")');
    await page.waitForSelector('#scenario-changes li.change.remove');
    await saved(page);
    expect(await page.locator('#scenario-changes li.change.remove').innerText()).toContain(`Remove “${removed.name}”`);

    const scenario = await stored();
    expect(scenario.changes.map((c) => c.op)).toEqual(['add', 'remove']);
    const fifteen = scenario.summary.circles.find((c) => c.minutes === 15)!;
    expect(fifteen.gained).toBeGreaterThan(0);
    expect(fifteen.lost).toBeGreaterThan(0);
    for (const layer of ['scenario-gained', 'scenario-lost', 'scenario-removed']) {
      await page.waitForFunction((l) => window.__map.queryRenderedFeatures({ layers: [l] }).length > 0, layer, { timeout: 60_000 });
    }
    expect(await page.locator('#scenario-legend').innerText()).toMatch(
      /Households brought within 15 minutes\s+Households no longer within 15 minutes\s+Candidate center\s+Moved center\s+Center removed in this scenario/,
    );
    // The summary: English heads, "5 min" rows, English number formats, the share change in words.
    expect(await page.locator('#scenario-summary thead').innerText()).toMatch(/Circle\s+Before\s+After\s+Gained\s+Lost/);
    for (const circle of scenario.summary.circles) {
      const row = page.locator(`#scenario-summary tr:has(td[data-minutes="${circle.minutes}"])`);
      expect(await rowValues(page, `#scenario-summary tr:has(td[data-minutes="${circle.minutes}"])`)).toEqual([circle.households_before, circle.households_after, circle.gained, circle.lost]);
      const cells = await row.locator('td').allInnerTexts();
      const signed = (x: number) => (x > 0 ? `+${n(x)}` : x < 0 ? `−${n(-x)}` : '0');
      expect(cells).toEqual([`${circle.minutes} min`, n(circle.households_before), n(circle.households_after), signed(circle.gained), signed(-circle.lost)]);
    }
    expect(await page.locator('#scenario-summary .share-change').innerText()).toBe(`Within 15 minutes: ${pct(fifteen.share_before)} → ${pct(fifteen.share_after)}`);
    await page.waitForSelector('#scenario-levels tfoot');
    expect(await page.locator('#scenario-levels p.muted').innerText()).toMatch(/^The units that change most: \d+ shown; units that change: \d+, of \d+\.$|^No unit of this level changes\.$/);
    expect(await untranslated(page, '#scenarios')).toEqual([]);
    await settle(page);
    await page.screenshot({ path: `${SHOTS}/english-scenario-desktop.png` });
    expect(await panelErrors(page)).toEqual([]);
  });

  it('places a candidate with the keyboard in English and renames the scenario, refusing an empty name in words', async () => {
    const { page } = fixture();
    const count = (await stored()).changes.length;
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo(page, '#scenario-candidate-center');
    expect(await page.locator('#scenario-candidate-center').innerText()).toBe('Add a candidate at the map center');
    const center = await page.evaluate(() => window.__map.getCenter().toArray());
    await page.keyboard.press('Enter');
    await saved(page);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Move 10 m north');
    expect(await page.locator('#scenario-nudge legend').innerText()).toBe('Moving “Candidate 2”');
    expect(await page.locator('#scenario-nudge-hint').innerText()).toBe('Arrow keys move it 10 m a press, 100 m with Shift; or type coordinates. Escape ends.');
    const placed = (await stored()).changes[count] as Extract<Change, { op: 'add' }>;
    expect(placed).toMatchObject({ op: 'add', name: 'Candidate 2' });
    expect(offsetMetres({ lon: center[0]!, lat: center[1]! }, placed).distance).toBeLessThan(0.1);
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowLeft']) await page.keyboard.press(key);
    await saved(page);
    const stepped = (await stored()).changes[count] as Extract<Change, { op: 'add' }>;
    const moved = offsetMetres(placed, stepped);
    expect(moved.east).toBeCloseTo(-10, 0);
    expect(moved.north).toBeCloseTo(-20, 0);
    expect(await page.locator('#scenario-nudge-status').innerText()).toBe(`“Candidate 2” is now at ${stepped.lon.toFixed(5)}, ${stepped.lat.toFixed(5)}`);
    // A latitude out of range is refused in words; nothing is saved.
    const revision = (await stored()).revision;
    await tabTo(page, '#scenario-nudge-lat');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('95');
    await page.keyboard.press('Enter');
    expect(await page.locator('#scenario-nudge-error').innerText()).toBe('The latitude must be a number from -90 to 90.');
    expect((await stored()).revision).toBe(revision);
    await page.keyboard.press('Escape');
    expect(await page.locator('#scenario-nudge').isHidden()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Move “Candidate 2” with the keyboard');
    expect(await untranslated(page, '#scenarios')).toEqual([]);

    await tabTo(page, '#scenario-rename', { back: true });
    expect(await page.locator('#scenario-rename').innerText()).toBe('Rename');
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('#scenario-rename-input', 'aria-label')).toBe('New name of the scenario');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Enter');
    expect(await page.locator('#scenario-rename-error').innerText()).toBe('The name cannot be empty.');
    await page.keyboard.type('North bank trial, revised');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#scenario-rename-form', { state: 'hidden' });
    await saved(page);
    expect(await page.locator('#scenario-name').innerText()).toBe('Scenario: North bank trial, revised');
    expect(await page.locator('#messages .note').innerText()).toBe('The scenario is now called “North bank trial, revised”.');
    expect((await stored()).name).toBe('North bank trial, revised');
    expect(await panelErrors(page)).toEqual([]);
  });

  it('asks in English before applying, with the numbers of the scenario, and cancel changes nothing', async () => {
    const { page } = fixture();
    const centers = await api('/api/centers');
    const scenario = await stored();
    const fifteen = scenario.summary.circles.find((c) => c.minutes === 15)!;
    await page.click('#scenario-apply');
    await page.waitForSelector('#scenario-confirm[open]');
    expect(await page.locator('#scenario-confirm-title').innerText()).toBe('Apply “North bank trial, revised” to the live data?');
    const net = fifteen.gained - fifteen.lost;
    expect(await page.locator('#scenario-confirm-body p').allInnerTexts()).toEqual([
      'Centers to be added: 2; moved: 0; removed: 1.',
      `Households within a 15-minute walk of a center: ${n(fifteen.gained)} gained, ${n(fifteen.lost)} lost (net ${net > 0 ? '+' : net < 0 ? '−' : ''}${n(Math.abs(net))}).`,
      'This changes the live data: every map and the coverage follow, and the audit trail records it.',
    ]);
    expect(await page.locator('#scenario-confirm .dialog-buttons').innerText()).toMatch(/Cancel\s+Apply/);
    await page.click('#scenario-confirm-cancel');
    expect(await api('/api/centers')).toEqual(centers);
  });

  it("moves a live center with the keyboard's pad in English: households lost and gained drawn, the summary as the API has it", async () => {
    const { page, base, token, downtown } = fixture();
    const move = await chooseLiveMove(base, token, downtown);
    await page.click('#scenario-close');
    await page.fill('#scenario-new-name', 'Moving a center');
    await page.click('#scenario-create button[type=submit]');
    await page.waitForSelector('#scenario-editor:not([hidden])');
    scenarioId = Number(new URL(page.url()).searchParams.get('scenario'));
    await saved(page);
    await frameAndSettle(page, move.center, move.to);
    const at = await pixel(page, move.center.lon, move.center.lat);
    await page.mouse.click(at.x, at.y);
    await page.waitForSelector('.scenario-popup');
    expect(await page.locator('.scenario-popup strong').innerText()).toBe(move.center.name);
    // text-is: "Remove in this scenario" holds "move in this scenario" too, and has-text ignores case.
    await page.click('.scenario-popup button:text-is("Move in this scenario")');
    await saved(page);
    expect(await panelErrors(page)).toEqual([]);
    expect(await page.locator('#scenario-changes').innerText()).toContain(`Move “${move.center.name}”`);
    expect(await page.locator('#scenario-nudge').isVisible()).toBe(true);
    // The pad opened for the moved center, with the keyboard on it: 100 m a press with Shift.
    expect(await page.locator('#scenario-nudge legend').innerText()).toBe(`Moving “${move.center.name}”`);
    expect(await page.evaluate(() => document.activeElement?.closest('#scenario-nudge-pad') !== null)).toBe(true);
    const way = offsetMetres(move.center, move.to);
    const key = Math.abs(way.east) > Math.abs(way.north) ? (way.east > 0 ? 'ArrowRight' : 'ArrowLeft') : way.north > 0 ? 'ArrowUp' : 'ArrowDown';
    const presses = Math.round(way.distance / 100);
    for (let i = 0; i < presses; i++) await page.keyboard.press(`Shift+${key}`);
    await saved(page);
    const scenario = await stored();
    const change = scenario.changes[0] as Extract<Change, { op: 'move' }>;
    expect(change).toMatchObject({ op: 'move', center_id: move.center.id });
    expect(offsetMetres(move.to, change).distance).toBeLessThan(1);
    expect(await page.locator('#scenario-changes').innerText()).toContain(`Move “${move.center.name}”`);
    const fifteen = scenario.summary.circles.find((c) => c.minutes === 15)!;
    expect(fifteen.lost).toBeGreaterThan(0);
    expect(fifteen.gained).toBeGreaterThan(0);
    for (const layer of ['scenario-lost', 'scenario-gained']) {
      await page.waitForFunction((l) => window.__map.queryRenderedFeatures({ layers: [l] }).length > 0, layer, { timeout: 60_000 });
    }
    for (const circle of scenario.summary.circles) {
      expect(await rowValues(page, `#scenario-summary tr:has(td[data-minutes="${circle.minutes}"])`)).toEqual([circle.households_before, circle.households_after, circle.gained, circle.lost]);
    }
    const total = (await api<{ total: { covered_before: number; covered: number; gained: number; lost: number } }>(`/api/coverage?level=district&scenario=${scenarioId}`)).total;
    expect(await rowValues(page, '#scenario-levels tfoot tr')).toEqual([total.covered_before, total.covered, total.gained, total.lost]);
    // The marker stands where the scenario has the center.
    const marker = await page.evaluate(() => {
      const canvas = window.__map.getCanvas().getBoundingClientRect();
      const box = document.querySelector('.scenario-marker.moved')!.getBoundingClientRect();
      return window.__map.unproject([box.x + box.width / 2 - canvas.x, box.y + box.height / 2 - canvas.y]).toArray();
    });
    expect(offsetMetres(change, { lon: marker[0]!, lat: marker[1]! }).distance).toBeLessThan(20);
    await page.keyboard.press('Escape');
    expect(await untranslated(page, '#scenarios')).toEqual([]);
    expect(await panelErrors(page)).toEqual([]);
  });

  it("downloads GeoJSON in English: the uncovered households and the scenario's centers, valid, non-empty and as the API has them", async () => {
    const { page } = fixture();
    await page.click('#exports summary');
    expect(await page.locator('#exports summary').innerText()).toBe('Downloads and report');
    expect(await page.inputValue('#export-scenario')).toBe(String(scenarioId));
    await page.selectOption('#export-minutes', '15');
    const uncovered = await downloadFrom(page, '#export-uncovered');
    expect(uncovered.name).toMatch(new RegExp(`^uncovered-households-15min-scenario-${scenarioId}-\\d{4}-\\d\\d-\\d\\d\\.geojson$`));
    const households = JSON.parse(uncovered.text) as Collection;
    expect(households.type).toBe('FeatureCollection');
    expect(households.features.length).toBeGreaterThan(100);
    for (const feature of households.features) {
      expect(feature.type).toBe('Feature');
      expect(feature.geometry?.type).toBe('Point');
      expect(feature.geometry!.coordinates.every(Number.isFinite)).toBe(true);
      expect(Object.keys(feature.properties).sort()).toEqual(['community', 'district', 'grid', 'households', 'id', 'persons', 'street', 'walk_s']);
    }
    const answer = await api<Collection>(`/api/households/uncovered?minutes=15&scenario=${scenarioId}`);
    expect(households.features).toEqual(answer.features);
    expect(await page.locator('#messages .note').innerText()).toBe(`Uncovered households downloaded (household units: ${answer.features.length}).`);

    const centers = await downloadFrom(page, '#export-scenario-centers');
    expect(centers.name).toMatch(new RegExp(`^scenario-${scenarioId}-centers-\\d{4}-\\d\\d-\\d\\d\\.geojson$`));
    const collection = JSON.parse(centers.text) as Collection;
    const scenario = await stored();
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features).toHaveLength(scenario.changes.length);
    const change = scenario.changes[0] as Extract<Change, { op: 'move' }>;
    const live = await api<{ name: string; kind: string; lon: number; lat: number }>(`/api/centers/${change.center_id}`);
    expect(collection.features[0]).toEqual({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [change.lon, change.lat] },
      properties: { op: 'move', center_id: change.center_id, name: live.name, kind: live.kind, from: [live.lon, live.lat] },
    });
    expect(await page.locator('#messages .note').innerText()).toBe(`Centers of scenario #${scenarioId} downloaded (changes: ${scenario.changes.length}).`);
    expect(await untranslated(page, '#exports')).toEqual([]);
    expect(await panelErrors(page)).toEqual([]);
  });

  it('logged no errors, failed requests or requests to other sites', () => {
    const { problems, external } = fixture();
    expect(problems).toEqual([]);
    expect(external).toEqual([]);
  });
}

describeInBrowser('the client in English in chromium (demo city)', suite);
