/**
 * The planner's tools in a real browser (test/browser-fixture.ts: the demo
 * city on PGlite, chromium): a greedy suggestion of 3 sites drawn numbered
 * on the map with a chart whose points are the API's curve; a long exact
 * suggestion cancelled (the page is idle again with no error, and the
 * server stopped working on it); the suggestion stored as a scenario and
 * opened (and one made on top of that scenario stored with its changes);
 * every download checked against the API (the server's coverage CSV, byte
 * for byte, with its byte order mark; the GB 50180 check and a scenario's
 * comparison as Excel workbooks; the uncovered households and a scenario's
 * centers as GeoJSON); the print view under print media, and its PDF on A4
 * pages; the CSV header, the report's title and the sign-in hint in English
 * too. No console errors, failed requests or requests elsewhere.
 *
 * Leaves /tmp/shots/suggest-desktop.png, suggest-phone.png,
 * exports-desktop.png, report-print.png and report.pdf.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer } from './auth-fixture.ts';
import { parseCsv, readXlsx } from './table-export-fixture.ts';
import {
  describeInBrowser,
  DESKTOP,
  forgetExpected4xx,
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
/** The ISO 216 A4 sheet in PDF points (72 a inch): 210 x 297 mm. */
const A4_POINTS = { width: (210 / 25.4) * 72, height: (297 / 25.4) * 72 };
/** A4's width at CSS's 96 pixels an inch, for the picture of the printed page. */
const A4_CSS_WIDTH = Math.round((210 / 25.4) * 96);
/** An exact suggestion the demo city takes most of a minute to solve (measured: about 49 s on an idle machine). */
const LONG_EXACT = { k: '50', minutes: '5', method: 'exact' };
/** A greedy suggestion takes about a second on an idle machine; behind an abandoned exact one it would wait most of a minute. */
const AFTER_CANCEL_LIMIT_MS = 20_000;

type Site = { rank: number; lon: number; lat: number; gained: { households: number } };
type Suggestion = {
  sites: Site[];
  curve: { sites: number; share: number; weight: number }[];
  totals: { before: { share: number } };
  bound: { gap: number | null; share: number | null };
};
type CoverageUnit = Record<string, number | string | null>;
type Coverage = { units: CoverageUnit[]; total: CoverageUnit };
type Collection = { type: string; features: { type: string; geometry: { type: string; coordinates: number[] } | null; properties: Record<string, any> }[]; properties?: Record<string, any> };

/** The levels' words in the server's Chinese file names. */
const LEVEL_ZH: Record<string, string> = { city: '全市', district: '区县', street: '街道乡镇', community: '社区', grid: '网格' };

/** Clicks a button that downloads, and resolves to the file's bytes and suggested name. */
async function downloadFrom(page: Page, selector: string): Promise<{ bytes: Buffer; name: string }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click(selector)]);
  const path = await (download as Download).path();
  return { bytes: readFileSync(path), name: download.suggestedFilename() };
}

function suite(): void {
  let f: (BrowserFixture & { page: Page }) | undefined;
  const fixture = () => {
    if (!f) throw new Error('the fixture did not start');
    return f;
  };
  /** An API answer's bytes (a CSV or xlsx export). */
  const apiBytes = async (path: string) => {
    const res = await fetch(`${fixture().base}${path}`);
    expect(res.status, `${path}: ${res.status}`).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };
  const api = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${fixture().base}${path}`, init);
    expect(res.status, `${path}: ${res.status}`).toBeLessThan(300);
    return res.json();
  };
  /** The answer of the last suggestion, and the scenario it was stored as. */
  let greedy: Suggestion | undefined;
  let scenarioId = 0;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const started = await startBrowserFixture();
    f = { ...started, page: await openPage(started, { viewport: DESKTOP }) };
  }, 300_000);
  afterAll(() => stopBrowserFixture(f), 60_000);

  it('suggests 3 sites greedily: numbered on the map where the API put them, with the curve charted point for point', async () => {
    const { page, base, token } = fixture();
    await page.goto(`${base}/#token=${token}`);
    await mapReady(page);
    await page.click('#suggest summary');
    await page.fill('#suggest-k', '3');
    await page.selectOption('#suggest-method', 'greedy');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/plan/suggest') && r.request().method() === 'POST', { timeout: 120_000 }),
      page.click('#suggest-run'),
    ]);
    expect(JSON.parse(response.request().postData() ?? '{}')).toEqual({ k: 3, minutes: 15, method: 'greedy' });
    const answer = (await response.json()) as Suggestion;
    greedy = answer;
    expect(answer.sites).toHaveLength(3);
    await page.waitForSelector('#suggest-result .suggest-sites li', { timeout: 30_000 });
    expect(await panelErrors(page)).toEqual([]);
    await settle(page);

    // Markers: one per site, numbered in order, at the site (its projection on the map's canvas, within 2 px).
    const markers = await page.evaluate(() => {
      const map = window.__map;
      const canvas = map.getCanvas().getBoundingClientRect();
      return Array.from(document.querySelectorAll<HTMLElement>('.suggest-marker'), (m) => {
        const box = m.getBoundingClientRect();
        const lon = Number(m.dataset.lon);
        const lat = Number(m.dataset.lat);
        const at = map.project([lon, lat]);
        return { text: m.textContent, lon, lat, dx: box.x + box.width / 2 - (canvas.x + at.x), dy: box.y + box.height / 2 - (canvas.y + at.y) };
      });
    });
    expect(markers.map((m) => [m.text, m.lon, m.lat])).toEqual(answer.sites.map((s) => [String(s.rank), s.lon, s.lat]));
    for (const m of markers) expect(Math.hypot(m.dx, m.dy)).toBeLessThan(2);

    // The list: what each site adds, in the order of the answer.
    const gains = await page.locator('#suggest-result .suggest-sites .gain').allInnerTexts();
    expect(gains.map((g) => Number(g.replace(/\D/g, '')))).toEqual(answer.sites.map((s) => s.gained.households));

    // The chart: the baseline, then one point per curve entry with the API's numbers.
    const points = await page.$$eval('svg.coverage-chart circle', (circles) =>
      circles.map((c) => ({ cls: c.getAttribute('class'), sites: Number(c.dataset.sites), share: Number(c.dataset.share), cy: Number(c.getAttribute('cy')) })),
    );
    expect(points[0]).toMatchObject({ cls: 'baseline', sites: 0, share: answer.totals.before.share });
    expect(points.slice(1).map((p) => [p.cls, p.sites, p.share])).toEqual(answer.curve.map((c) => ['point', c.sites, c.share]));
    // Higher shares are drawn higher (SVG y grows downwards).
    for (let i = 1; i < points.length; i++) expect(points[i]!.cy).toBeLessThanOrEqual(points[i - 1]!.cy);

    // The bound and gap as the API reported them.
    const gap = new Intl.NumberFormat('zh-CN', { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(answer.bound.gap!);
    expect(await page.locator('#suggest-result dd.bound').innerText()).toContain(gap);
    await page.locator('#suggest').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/suggest-desktop.png` });
  });

  it('cancels a long exact suggestion: idle again with no error, and the server stops working on it', async () => {
    const { page, base } = fixture();
    await page.selectOption('#suggest-method', LONG_EXACT.method);
    await page.selectOption('#suggest-minutes', LONG_EXACT.minutes);
    await page.fill('#suggest-k', LONG_EXACT.k);
    await page.click('#suggest-run');
    await page.waitForSelector('#suggest-progress:not([hidden])');
    expect(await page.isDisabled('#suggest-run')).toBe(true);
    expect(await page.isVisible('#suggest-cancel')).toBe(true);
    // The elapsed time counts up while the answer is awaited.
    await page.waitForFunction(() => /已用 [1-9]\d* 秒/.test(document.getElementById('suggest-elapsed')?.textContent ?? ''), undefined, { timeout: 30_000 });
    expect(await page.locator('#suggest-elapsed').innerText()).toContain('最长约 60 秒');
    await page.click('#suggest-cancel');
    await page.waitForSelector('#suggest-progress', { state: 'hidden' });
    expect(await page.isDisabled('#suggest-run')).toBe(false);
    expect(await page.isVisible('#suggest-cancel')).toBe(false);
    expect(await panelErrors(page)).toEqual([]);
    expect(await page.locator('#messages .note').innerText()).toContain('已取消');
    // Suggestions run one at a time: a quick one is answered at once only if the server dropped the cancelled one.
    const started = Date.now();
    const quick = await fetch(`${base}/api/plan/suggest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ k: 1 }) });
    expect(quick.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(AFTER_CANCEL_LIMIT_MS);
    // Back to the form's defaults for what follows.
    await page.selectOption('#suggest-method', 'greedy');
    await page.selectOption('#suggest-minutes', '15');
    await page.fill('#suggest-k', '3');
  });

  it('stores the suggestion as a scenario with those sites, and opens it (address and event)', async () => {
    const { page } = fixture();
    const answer = greedy!;
    await page.evaluate(() => {
      const opened: number[] = ((window as Window & { __opened?: number[] }).__opened = []);
      window.addEventListener('living-circle:open-scenario', (event) => opened.push((event as CustomEvent).detail.id));
    });
    await page.click('#suggest-save');
    await page.waitForSelector('#messages .note:has-text("#")', { timeout: 60_000 });
    expect(await panelErrors(page)).toEqual([]);
    scenarioId = Number(new URL(page.url()).searchParams.get('scenario'));
    expect(scenarioId).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as Window & { __opened?: number[] }).__opened)).toEqual([scenarioId]);
    const scenario = await api(`/api/scenarios/${scenarioId}`);
    expect(scenario.changes).toEqual(
      answer.sites.map((s) => ({ op: 'add', name: `建议站点 ${s.rank}`, kind: 'neighborhood', lon: s.lon, lat: s.lat, services: [] })),
    );
    expect(scenario.summary.circles.find((c: { minutes: number }) => c.minutes === 15).gained).toBe(answer.sites.reduce((sum, s) => sum + s.gained.households, 0));
    // The downloads now default to the open scenario.
    expect(await page.inputValue('#export-scenario')).toBe(String(scenarioId));
  });

  it("downloads the coverage table as the server's CSV: byte order mark, Chinese header, equal to the API at that level", async () => {
    const { page } = fixture();
    await page.click('#exports summary');
    await page.selectOption('#export-format', 'csv');
    const check = async (level: string, scenario: number | null) => {
      await page.fill('#export-scenario', scenario === null ? '' : String(scenario));
      await page.selectOption('#export-level', level);
      const { bytes, name } = await downloadFrom(page, '#export-coverage');
      // The server's file name, in Chinese (Content-Disposition's filename*).
      expect(name).toMatch(new RegExp(`^覆盖率-${LEVEL_ZH[level]}-15分钟${scenario ? `-方案${scenario}` : ''}-\\d{4}-\\d\\d-\\d\\d\\.csv$`));
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      // Byte for byte the API's CSV: the browser builds none of its own.
      expect(bytes.equals(await apiBytes(`/api/coverage?level=${level}&minutes=15${scenario ? `&scenario=${scenario}` : ''}&format=csv&lang=zh`))).toBe(true);
      const rows = parseCsv(bytes.subarray(3).toString('utf8'));
      const coverage = (await api(`/api/coverage?level=${level}&minutes=15${scenario ? `&scenario=${scenario}` : ''}`)) as Coverage;
      const fields = ['code', 'name', 'households', 'covered', 'share', 'p90_walk_s', 'max_walk_s', 'beyond_15', 'unreachable', ...(scenario ? ['covered_before', 'gained', 'lost'] : [])];
      expect(rows[0]).toEqual([
        '代码', '名称', '户数', '15 分钟内已覆盖户数', '15 分钟覆盖率（0–1）', '90% 住户的步行时间（秒）', '最长步行时间（秒）', '超过 15 分钟的户数', '无可达服务中心的户数',
        ...(scenario ? ['现状已覆盖户数', '方案新增覆盖户数', '方案失去覆盖户数'] : []),
      ]);
      const body = rows.slice(1);
      expect(body).toHaveLength(coverage.units.length + 1);
      const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
      coverage.units.forEach((unit, i) => expect(body[i]).toEqual(fields.map((name) => cell(unit[name]))));
      expect(body.at(-1)).toEqual(fields.map((name) => (name === 'code' ? '' : name === 'name' ? '合计' : cell(coverage.total[name]))));
      return coverage.units.length;
    };
    expect(await check('grid', null)).toBeGreaterThan(2000);
    expect(await check('district', scenarioId)).toBeGreaterThan(2);
    expect(await panelErrors(page)).toEqual([]);
  });

  it("downloads the GB 50180 check and the scenario's comparison as Excel workbooks holding the API's figures", async () => {
    const { page } = fixture();
    await page.selectOption('#export-format', 'xlsx');
    await page.fill('#export-scenario', String(scenarioId));
    await page.selectOption('#export-level', 'district');
    const standard = await downloadFrom(page, '#export-standard');
    expect(standard.name).toMatch(/^生活圈达标-区县-\d{4}-\d\d-\d\d\.xlsx$/);
    const check = (await api('/api/standard?level=district')) as { units: { code: string; name: string; households: number; all_tiers: { met: number; share: number } }[] };
    const sheet = await readXlsx(standard.bytes);
    expect(sheet.names).toEqual(['生活圈达标']);
    expect(sheet.rows[0]!.slice(0, 3)).toEqual(['代码', '名称', '户数']);
    expect(sheet.rows[0]!.at(-2)).toBe('各级生活圈均达标户数');
    expect(sheet.rows.slice(1, -1).map((r) => [r[0], r[1], r[2], r.at(-2), r.at(-1)])).toEqual(check.units.map((u) => [u.code, u.name, u.households, u.all_tiers.met, u.all_tiers.share]));
    expect(sheet.rows.at(-1)![1]).toBe('合计');

    const comparison = await downloadFrom(page, '#export-comparison');
    expect(comparison.name).toMatch(new RegExp(`^方案${scenarioId}对比-\\d{4}-\\d\\d-\\d\\d\\.xlsx$`));
    const scenario = (await api(`/api/scenarios/${scenarioId}`)) as { summary: { circles: Record<string, number>[] } };
    const circles = await readXlsx(comparison.bytes);
    expect(circles.rows.slice(1)).toEqual(
      scenario.summary.circles.map((c) => ['minutes', 'households_before', 'households_after', 'gained', 'lost', 'share_before', 'share_after', 'persons_before', 'persons_after'].map((f) => c[f])),
    );
    expect(circles.formats[5]).toBe('0.0%');

    // Without a scenario there is nothing to compare: the panel says so, and nothing downloads.
    await page.fill('#export-scenario', '');
    await page.click('#export-comparison');
    await page.waitForSelector('#messages .message.error', { timeout: 30_000 });
    expect((await panelErrors(page)).join(' ')).toContain('请先填写方案编号');
    await page.fill('#export-scenario', String(scenarioId));
    expect((await downloadFrom(page, '#export-comparison')).name).toBe(comparison.name);
    expect(await panelErrors(page)).toEqual([]);
    await page.locator('#exports').screenshot({ path: `${SHOTS}/exports-desktop.png` });
  });

  it('downloads the uncovered households as GeoJSON: points the API counts as not covered, all of them, or those in view', async () => {
    const { page } = fixture();
    await page.fill('#export-scenario', '');
    await page.selectOption('#export-minutes', '15');
    const { bytes, name } = await downloadFrom(page, '#export-uncovered');
    expect(name).toMatch(/^uncovered-households-15min-\d{4}-\d\d-\d\d\.geojson$/);
    const all = JSON.parse(bytes.toString('utf8')) as Collection;
    expect(all.type).toBe('FeatureCollection');
    expect(all.features.length).toBeGreaterThan(100);
    for (const feature of all.features) {
      expect(feature.type).toBe('Feature');
      expect(feature.geometry?.type).toBe('Point');
      expect(feature.geometry?.coordinates.every(Number.isFinite)).toBe(true);
      // Beyond 15 minutes at 4 km/h, or reaching no center.
      expect(feature.properties.walk_s === null || feature.properties.walk_s > 900).toBe(true);
    }
    const coverage = (await api('/api/coverage?level=city&minutes=15')) as Coverage;
    const households = all.features.reduce((sum, f) => sum + f.properties.households, 0);
    expect(households).toBe(Number(coverage.total.households) - Number(coverage.total.covered));

    // Only the units in the map's view.
    await page.check('#export-in-view');
    const inView = JSON.parse((await downloadFrom(page, '#export-uncovered')).bytes.toString('utf8')) as Collection;
    await page.uncheck('#export-in-view');
    const bounds = await page.evaluate(() => window.__map.getBounds().toArray().flat());
    expect(inView.features.length).toBeGreaterThan(0);
    expect(inView.features.length).toBeLessThan(all.features.length);
    for (const feature of inView.features) {
      const [lon, lat] = feature.geometry!.coordinates as [number, number];
      expect(lon >= bounds[0]! - 1e-6 && lat >= bounds[1]! - 1e-6 && lon <= bounds[2]! + 1e-6 && lat <= bounds[3]! + 1e-6).toBe(true);
    }
    const ids = new Set(all.features.map((f) => f.properties.id));
    expect(inView.features.every((f) => ids.has(f.properties.id))).toBe(true);
    expect(await panelErrors(page)).toEqual([]);
  });

  it("downloads a scenario's centers as GeoJSON: added, moved and removed where they are", async () => {
    const { page, token } = fixture();
    await page.fill('#export-scenario', String(scenarioId));
    const added = JSON.parse((await downloadFrom(page, '#export-scenario-centers')).bytes.toString('utf8')) as Collection;
    expect(added.type).toBe('FeatureCollection');
    expect(added.properties?.scenario).toMatchObject({ id: scenarioId });
    expect(added.features.map((f) => [f.properties.op, ...f.geometry!.coordinates])).toEqual(greedy!.sites.map((s) => ['add', s.lon, s.lat]));

    // A scenario that moves one live center and removes another.
    const [moved, removed] = await Promise.all([1, 2].map((id) => api(`/api/centers/${id}`)));
    const to = { lon: moved.lon + 0.002, lat: moved.lat + 0.001 };
    const other = await api('/api/scenarios', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: JSON.stringify({ name: '迁移与撤销', changes: [{ op: 'move', center_id: moved.id, ...to }, { op: 'remove', center_id: removed.id }] }),
    });
    await page.fill('#export-scenario', String(other.id));
    const { bytes, name } = await downloadFrom(page, '#export-scenario-centers');
    expect(name).toMatch(new RegExp(`^scenario-${other.id}-centers-\\d{4}-\\d\\d-\\d\\d\\.geojson$`));
    const changed = JSON.parse(bytes.toString('utf8')) as Collection;
    const stored = other.changes[0] as { lon: number; lat: number };
    expect(changed.features).toEqual([
      { type: 'Feature', geometry: { type: 'Point', coordinates: [stored.lon, stored.lat] }, properties: { op: 'move', center_id: moved.id, name: moved.name, kind: moved.kind, from: [moved.lon, moved.lat] } },
      { type: 'Feature', geometry: { type: 'Point', coordinates: [removed.lon, removed.lat] }, properties: { op: 'remove', center_id: removed.id, name: removed.name, kind: removed.kind } },
    ]);
    await page.fill('#export-scenario', String(scenarioId));
    expect(await panelErrors(page)).toEqual([]);
  });

  it('opens the print view: printed, the report alone with its tables and the map image, on A4 pages', async () => {
    const { page } = fixture();
    await page.click('#report-open');
    await page.waitForSelector('#report[data-state="ready"]', { timeout: 120_000 });
    expect(await panelErrors(page)).toEqual([]);
    expect(await page.locator('#report-title').innerText()).toBe('15分钟生活圈覆盖情况报告');
    const districts = (await api('/api/coverage?level=district&minutes=15')) as Coverage;
    expect(await page.locator('.report-districts tbody tr').count()).toBe(districts.units.length);
    expect(await page.locator('.report-scenario h2').innerText()).toContain(`#${scenarioId}`);
    expect(await page.locator('.report-suggestion tbody tr').count()).toBe(greedy!.sites.length);
    expect(await page.locator('.report-method').innerText()).toMatch(/GB 50180-2018[\s\S]*数据版本/);
    // The map image holds a drawn map, not an empty canvas: many colours.
    const colours = await page.evaluate(async () => {
      const img = document.getElementById('report-map-image') as HTMLImageElement;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const context = canvas.getContext('2d')!;
      context.drawImage(img, 0, 0);
      const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4 * 97) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      return { src: img.src.slice(0, 22), width: img.naturalWidth, colours: seen.size };
    });
    expect(colours.src).toBe('data:image/png;base64,');
    expect(colours.width).toBeGreaterThan(300);
    expect(colours.colours).toBeGreaterThan(50);

    await page.emulateMedia({ media: 'print' });
    for (const hidden of ['#panel', '#map', '.report-toolbar', '#suggest-run', '#report-open']) expect(await page.locator(hidden).first().isVisible(), hidden).toBe(false);
    for (const shown of ['#report-map-image', '.report-legend', '.report-tiers table', '.report-districts table', '.report-scenario table', '.report-suggestion table', '.report-method']) {
      expect(await page.locator(shown).first().isVisible(), shown).toBe(true);
    }
    // The printed page at A4's width.
    await page.setViewportSize({ width: A4_CSS_WIDTH, height: Math.round(A4_CSS_WIDTH * Math.SQRT2) });
    await page.screenshot({ path: `${SHOTS}/report-print.png`, fullPage: true });
    const pdf = await page.pdf({ path: `${SHOTS}/report.pdf`, preferCSSPageSize: true, printBackground: true });
    const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
    const pages = Number(/\/Type \/Pages[^>]*\/Count (\d+)/.exec(pdf.toString('latin1'))?.[1]);
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(boxes).toHaveLength(pages);
    for (const [width, height] of boxes) {
      expect(Math.abs(width! - A4_POINTS.width)).toBeLessThan(2);
      expect(Math.abs(height! - A4_POINTS.height)).toBeLessThan(2);
    }
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize(DESKTOP);
    await page.click('#report-close');
    expect(await page.isVisible('#report')).toBe(false);
  });

  it('suggests on top of the open scenario and stores both: its changes, then the new sites', async () => {
    const { page } = fixture();
    const base = await api(`/api/scenarios/${scenarioId}`);
    await page.check('#suggest-on-scenario');
    await page.fill('#suggest-k', '2');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/plan/suggest') && r.request().method() === 'POST', { timeout: 120_000 }),
      page.click('#suggest-run'),
    ]);
    expect(JSON.parse(response.request().postData() ?? '{}')).toEqual({ k: 2, minutes: 15, method: 'greedy', scenario: scenarioId });
    const answer = (await response.json()) as Suggestion & { scenario: { id: number }; totals: { gained: { households: number } } };
    expect(answer.scenario.id).toBe(scenarioId);
    await page.waitForSelector(`#suggest-result dd.base:has-text("#${scenarioId}")`, { timeout: 30_000 });
    await page.click('#suggest-save');
    await page.waitForFunction((id) => new URL(location.href).searchParams.get('scenario') !== String(id), scenarioId, { timeout: 60_000 });
    expect(await panelErrors(page)).toEqual([]);
    const stored = await api(`/api/scenarios/${new URL(page.url()).searchParams.get('scenario')}`);
    expect(stored.changes).toEqual([
      ...base.changes,
      ...answer.sites.map((s) => ({ op: 'add', name: `建议站点 ${s.rank}`, kind: 'neighborhood', lon: s.lon, lat: s.lat, services: [] })),
    ]);
    // Adding only brings households in: the new scenario gains what its base gained plus what the suggestion said.
    const gained = (scenario: { summary: { circles: { minutes: number; gained: number }[] } }) => scenario.summary.circles.find((c) => c.minutes === 15)!.gained;
    expect(gained(stored)).toBe(gained(base) + answer.totals.gained.households);
    expect(stored.description).toContain(`#${scenarioId}`);
  });

  it('speaks English when asked: the CSV header, the report title, and the hint to sign in for storing a scenario', async () => {
    const { base } = fixture();
    const page = await openPage(fixture(), { viewport: DESKTOP, locale: 'en-US' });
    try {
      await page.goto(`${base}/?lang=en`);
      await mapReady(page);
      await page.click('#exports summary');
      await page.selectOption('#export-level', 'district');
      await page.selectOption('#export-format', 'csv');
      const { bytes, name } = await downloadFrom(page, '#export-coverage');
      expect(name).toMatch(/^coverage-district-15min-\d{4}-\d\d-\d\d\.csv$/);
      expect(parseCsv(bytes.subarray(3).toString('utf8'))[0]).toEqual([
        'Code', 'Name', 'Households', 'Covered within 15 min', 'Share within 15 min (0–1)', 'P90 walk (s)', 'Longest walk (s)', 'Households beyond 15 min', 'Households reaching no center',
      ]);
      await page.click('#report-open');
      await page.waitForSelector('#report[data-state="ready"]', { timeout: 120_000 });
      expect(await page.locator('#report-title').innerText()).toBe('15-minute living circle coverage report');
      await page.click('#report-close');

      // Not signed in: the suggestion is open to all, storing it needs a planner token.
      await page.click('#suggest summary');
      await page.fill('#suggest-k', '1');
      await page.click('#suggest-run');
      await page.waitForSelector('#suggest-save', { timeout: 120_000 });
      expect(await page.locator('#suggest-result h3').first().innerText()).toBe('Suggested sites: 1 (15-minute walk)');
      await page.click('#suggest-save');
      await page.waitForSelector('#messages .message.error', { timeout: 30_000 });
      const errors = await panelErrors(page);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain('unauthorized');
      expect(errors[0]).toContain('needs a planner token');
      forgetExpected4xx(fixture().problems);
    } finally {
      await page.context().close();
    }
  });

  it('fits a phone: the form and the answer in the panel, nothing wider than the screen', async () => {
    const { base } = fixture();
    const page = await openPage(fixture(), { viewport: PHONE, locale: 'zh-CN', isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    try {
      await page.goto(`${base}/?scenario=${scenarioId}`);
      await mapReady(page);
      // On a phone the panel is a bottom sheet, collapsed to the search box: open it all the way first.
      await page.locator('#sheet-handle').focus();
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowUp');
      await page.waitForFunction(() => document.getElementById('panel')!.dataset.sheet === 'full');
      await page.waitForFunction(() => document.getElementById('panel')!.getAnimations().length === 0);
      await page.click('#suggest summary');
      expect(await page.isVisible('#suggest-on-scenario-row')).toBe(true);
      expect(await page.locator('#suggest-on-scenario-label').innerText()).toContain(`#${scenarioId}`);
      await page.fill('#suggest-k', '3');
      await page.click('#suggest-run');
      await page.waitForSelector('#suggest-result .suggest-sites li', { timeout: 120_000 });
      expect(await panelErrors(page)).toEqual([]);
      await settle(page);
      expect(await page.locator('.suggest-marker').count()).toBe(3);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      // The page brought the answer into view near the top of the sheet, under its fixed head (handle and search box), not behind it.
      const seen = await page.evaluate(() => {
        const result = document.getElementById('suggest-result')!.getBoundingClientRect();
        const panel = document.getElementById('panel')!.getBoundingClientRect();
        const hit = document.elementFromPoint(result.left + 10, result.top + 6);
        return { top: result.top - panel.top, panelHeight: panel.height, onTop: !!hit?.closest('#suggest-result') };
      });
      expect(seen.onTop).toBe(true);
      expect(seen.top).toBeLessThan(seen.panelHeight / 3);
      await page.screenshot({ path: `${SHOTS}/suggest-phone.png` });
    } finally {
      await page.context().close();
    }
  });

  it('logged no errors, failed requests or requests to other sites', () => {
    const { problems, external } = fixture();
    expect(problems).toEqual([]);
    expect(external).toEqual([]);
  });
}

describeInBrowser('planner tools in the browser', suite);
