/**
 * GET /api/search on both backends, on the small test city (tiles-fixture.ts)
 * renamed the way a Chinese city is named: 城厢区, its streets 龙桥街道 and
 * 东岩街道, the communities 上光社区, 东岩社区, 新东岩社区 and 东岩山社区 (the
 * last stored without a boundary), their grids 东岩社区第1网格 and so on
 * (three of them named with %, _ and \), and centers named after their
 * community. Ranking, codes, centers, literal matching, the 400s, the limit,
 * a shape from the grids, and following center edits.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ImportBundle } from '../kernel/import-bundle.ts';
import { writeBundle } from '../data-pipeline/write-bundle.ts';
import { createApp, type App } from '../server/app.ts';
import { silentLogger } from '../server/logger.ts';
import { readDataState } from '../kernel/db/data-state.ts';
import { describeBackends, openTestDatabase, type TestDatabase } from './backends.ts';
import { testToken } from './auth-fixture.ts';
import { sendJson } from './small-city-app.ts';
import { smallCityBundle, SMALL_CITY_CENTER } from './tiles-fixture.ts';

const COMMUNITY_NAMES = ['上光社区', '东岩社区', '新东岩社区', '东岩山社区'];
/** Grids renamed to names with LIKE's wildcard and escape characters. */
const ODD_GRIDS: Record<string, string> = { G00: '100%_满意网格', G01: '100x满意网格', G02: 'a\\b网格' };

/** The small city, named as a Chinese city; grid codes extend their community's code. */
function namedCity(): ImportBundle {
  const bundle = smallCityBundle();
  const names: Record<string, string> = { '350302': '城厢区', '350302001': '龙桥街道', '350302002': '东岩街道' };
  const communities = bundle.admin.filter((a) => a.level === 'community');
  communities.forEach((c, i) => (names[c.code] = COMMUNITY_NAMES[i]!));
  const admin = bundle.admin.map((a) => ({ ...a, name: names[a.code]!, geom: names[a.code] === '东岩山社区' ? null : a.geom }));
  const seen = new Map<string, number>();
  const grids = bundle.grids.map((g) => {
    const k = (seen.get(g.communityCode!) ?? 0) + 1;
    seen.set(g.communityCode!, k);
    return { ...g, code: `${g.communityCode}${String(k).padStart(3, '0')}`, name: ODD_GRIDS[g.code] ?? `${names[g.communityCode!]}第${k}网格` };
  });
  const centers = bundle.centers.map((c, i) => ({
    ...c,
    name: i === 11 ? 'Riverside Clinic' : `${COMMUNITY_NAMES[i % 4]}${c.kind === 'governance' ? '综治中心' : '党群服务中心'}${i >= 4 ? `（${i}）` : ''}`,
  }));
  return { ...bundle, city: { code: '350300', name: '莆田市' }, admin, grids, centers };
}

interface Result {
  type: string;
  code: string;
  name: string;
  context: string;
  parents: { type: string; code: string; name: string }[];
  kind: string | null;
  lon: number | null;
  lat: number | null;
  bbox: [number, number, number, number] | null;
  match: 'exact' | 'prefix' | 'substring';
}
interface Answer {
  q: string;
  limit: number;
  total: number;
  data_version: string;
  results: Result[];
}

describeBackends('GET /api/search', (kind) => {
  let t: TestDatabase;
  let app: App;
  const bundle = namedCity();

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    await writeBundle(t.db, bundle);
    app = await createApp({ db: t.db, logger: silentLogger, dataDir: undefined });
    await app.idle();
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const search = async (query: Record<string, string>) => {
    const res = await app.http.request(`/api/search?${new URLSearchParams(query)}`);
    return { status: res.status, body: (await res.json()) as Answer & { error: { code: string; message: string; field?: string } } };
  };
  const names = async (q: string, more: Record<string, string> = {}) => (await search({ q, limit: '50', ...more })).body.results.map((r) => r.name);

  it('finds a community by its Chinese name: the exact one first, with where it lies and a point on it', async () => {
    const { status, body } = await search({ q: '东岩社区' });
    expect(status).toBe(200);
    const community = bundle.admin.find((a) => a.name === '东岩社区')!;
    expect(body.results[0]).toMatchObject({ type: 'community', code: community.code, name: '东岩社区', match: 'exact', kind: null, context: '城厢区 东岩街道' });
    expect(body.results[0]!.parents).toEqual([
      { type: 'district', code: '350302', name: '城厢区' },
      { type: 'street', code: '350302002', name: '东岩街道' },
    ]);
    const [west, south, east, north] = body.results[0]!.bbox!;
    expect(body.results[0]!.lon).toBeGreaterThan(west);
    expect(body.results[0]!.lon).toBeLessThan(east);
    expect(body.results[0]!.lat).toBeGreaterThan(south);
    expect(body.results[0]!.lat).toBeLessThan(north);
    expect(body.data_version).toBe((await readDataState(t.db)).version);
  });

  it('ranks exact before prefix before substring, and within each shorter names and higher levels first', async () => {
    const { body } = await search({ q: '东岩社区', limit: '50' });
    const classes = body.results.map((r) => ['exact', 'prefix', 'substring'].indexOf(r.match));
    expect(classes).toEqual([...classes].sort((a, b) => a - b));
    expect(body.results.find((r) => r.match === 'substring')).toMatchObject({ name: '新东岩社区', type: 'community' });
    expect(body.results[1]).toMatchObject({ name: '东岩社区第1网格', match: 'prefix' });
    // 东岩街道 and 东岩社区 are both four characters: the street, the higher level, first.
    expect((await names('东岩')).slice(0, 3)).toEqual(['东岩街道', '东岩社区', '东岩山社区']);
  });

  it('finds a community by its code, then the grids whose codes extend it', async () => {
    const community = bundle.admin.find((a) => a.name === '东岩社区')!;
    const { body } = await search({ q: community.code, limit: '50' });
    expect(body.results[0]).toMatchObject({ type: 'community', name: '东岩社区', match: 'exact' });
    const rest = body.results.slice(1);
    expect(rest.length).toBe(bundle.grids.filter((g) => g.communityCode === community.code).length);
    expect(rest.every((r) => r.type === 'grid' && r.match === 'prefix' && r.code.startsWith(community.code))).toBe(true);
    expect(rest.map((r) => r.code)).toEqual(rest.map((r) => r.code).sort());
    expect(rest[0]!.context).toBe('城厢区 东岩街道 东岩社区');
  });

  it('finds a center by its name, with its id as the code and its kind', async () => {
    const { body } = await search({ q: '东岩社区党群服务中心' });
    const first = body.results[0]!;
    expect(first).toMatchObject({ type: 'center', name: '东岩社区党群服务中心', kind: 'neighborhood', match: 'exact', bbox: null });
    expect(first.context).toMatch(/^党群服务中心 · 城厢区 /);
    const stored = await sendJson(app, 'GET', `/api/centers/${first.code}`);
    expect(stored.body.name).toBe('东岩社区党群服务中心');
    expect(stored.body.lon).toBeCloseTo(first.lon!, 7);
    expect(stored.body.lat).toBeCloseTo(first.lat!, 7);
    // Latin names in any case.
    expect(await names('riverside CLINIC')).toEqual(['Riverside Clinic']);
  });

  it('matches %, _ and \\ in the query literally, not as wildcards', async () => {
    expect(await names('%')).toEqual(['100%_满意网格']);
    expect(await names('_')).toEqual(['100%_满意网格']);
    expect(await names('%_满意')).toEqual(['100%_满意网格']);
    expect(await names('100_满意')).toEqual([]);
    expect(await names('\\')).toEqual(['a\\b网格']);
    expect(await names('a\\b')).toEqual(['a\\b网格']);
    expect(await names("'; DROP TABLE grids; --")).toEqual([]);
  });

  it('answers 400 naming q for a missing, empty, blank or too long q', async () => {
    for (const query of [{} as Record<string, string>, { q: '' }, { q: '   ' }, { q: 'x'.repeat(65) }, { q: '东'.repeat(65) }, { q: `${' '.repeat(60)}东岩社区x` }]) {
      const { status, body } = await search(query);
      expect([query, status, body.error?.code, body.error?.field]).toEqual([query, 400, 'bad_request', 'q']);
      expect(body.error.message).toMatch(/^q /);
    }
    expect((await search({ q: '东'.repeat(64) })).status).toBe(200);
    expect((await search({ q: '𠀀'.repeat(64) })).status).toBe(200);
    // Surrounding spaces are ignored.
    const spaced = (await search({ q: ' 东岩社区 ' })).body;
    expect([spaced.q, spaced.results[0]!.name]).toEqual(['东岩社区', '东岩社区']);
  });

  it('keeps to the limit (10 by default, at most 50) and the types asked for', async () => {
    const three = await search({ q: '网格', limit: '3' });
    expect(three.body.results).toHaveLength(3);
    expect(three.body.total).toBe(bundle.grids.length);
    expect((await search({ q: '网格' })).body.results).toHaveLength(10);
    expect((await search({ q: '网格', limit: '50' })).body.results).toHaveLength(bundle.grids.length);
    for (const limit of ['0', '51', '2.5', 'ten']) expect((await search({ q: '网格', limit })).body.error.field).toBe('limit');
    expect(await names('东岩', { types: 'community' })).toEqual(['东岩社区', '东岩山社区', '新东岩社区']);
    expect((await search({ q: '东岩', types: 'street,center' })).body.results.every((r) => r.type === 'street' || r.type === 'center')).toBe(true);
    expect((await search({ q: '东岩', types: 'village' })).body.error.field).toBe('types');
  });

  it('gives a community without a boundary a point and an extent from its grids', async () => {
    const community = bundle.admin.find((a) => a.name === '东岩山社区')!;
    const { body } = await search({ q: '东岩山社区' });
    const found = body.results[0]!;
    const corners = bundle.grids.filter((g) => g.communityCode === community.code).flatMap((g) => g.geom.flat(2));
    const extent = [Math.min(...corners.map((p) => p[0]!)), Math.min(...corners.map((p) => p[1]!)), Math.max(...corners.map((p) => p[0]!)), Math.max(...corners.map((p) => p[1]!))];
    found.bbox!.forEach((v, i) => expect(v).toBeCloseTo(extent[i]!, 6));
    expect(found.lon).toBeGreaterThan(extent[0]!);
    expect(found.lon).toBeLessThan(extent[2]!);
  });

  it('follows center edits: a new center is found, a removed one is not', async () => {
    const token = await testToken(t.db);
    const [lon, lat] = SMALL_CITY_CENTER;
    expect(await names('测试驿站')).toEqual([]);
    const added = await sendJson(app, 'POST', '/api/centers', { name: '测试驿站党群服务中心', kind: 'neighborhood', lon, lat }, token);
    expect(added.status).toBe(201);
    const found = await search({ q: '测试驿站' });
    expect(found.body.results.map((r) => [r.code, r.name])).toEqual([[String(added.body.id), '测试驿站党群服务中心']]);
    expect(found.body.data_version).toBe((await readDataState(t.db)).version);
    await sendJson(app, 'DELETE', `/api/centers/${added.body.id}`, undefined, token);
    expect(await names('测试驿站')).toEqual([]);
  });
});
