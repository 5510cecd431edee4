/**
 * The GB 50180 living-circle check (GET /api/standard) on a hand-built city
 * whose answers are known by hand, on both backends: one straight 3 km
 * street, nodes every 50 m, household units on it and centers at its west
 * end (and one middle school at its east end). At 4 km/h, 5, 10 and 15
 * minutes are 333, 667 and 1,000 m; the elderly walk 3.3 km/h, so their 5
 * minutes are 275 m.
 *
 *   unit  x (m)  households  kindergarten  elderly day care  primary  middle  neighbourhood
 *   A     250    10          yes           yes (275)         yes      yes     yes
 *   B     300    20          yes           no                yes      yes     yes
 *   C     600    30          no            no                yes      yes     yes
 *   D     900    40          no            no                no       yes     yes
 *   E     1200   50          no            no                no       no      no
 *   F     2950   60          no            no                no       yes     no   (a middle school 50 m away)
 *
 * F shows that an upper-tier center does not satisfy a lower tier: a middle
 * school beside it meets neither the kindergarten nor the primary school.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AdminUnit, CenterRow, GridRow, ImportBundle } from '../kernel/import-bundle.ts';
import { haversineM } from '../kernel/geo.ts';
import { writeBundle } from '../data-pipeline/write-bundle.ts';
import { createApp, type App } from '../server/app.ts';
import { silentLogger } from '../server/logger.ts';
import { latToTileY, lonToTileX } from '../server/tiles/tile-envelope.ts';
import { describeBackends, openTestDatabase, type TestDatabase } from './backends.ts';
import { sendJson } from './small-city-app.ts';
import { decodeTile } from './tiles-fixture.ts';

const LAT = 25.45;
const LON0 = 119.0;
const M_PER_DEG_LON = 111195 * Math.cos((LAT * Math.PI) / 180);
const lonAt = (x: number) => LON0 + x / M_PER_DEG_LON;

const UNITS = [
  { name: 'A', x: 250, households: 10 },
  { name: 'B', x: 300, households: 20 },
  { name: 'C', x: 600, households: 30 },
  { name: 'D', x: 900, households: 40 },
  { name: 'E', x: 1200, households: 50 },
  { name: 'F', x: 2950, households: 60 },
];

function lineCity(): ImportBundle {
  const nodes = 61; // 0 .. 3000 m every 50 m
  const nodeLon = Float64Array.from({ length: nodes }, (_, i) => lonAt(50 * i));
  const nodeLat = new Float64Array(nodes).fill(LAT);
  const edges = nodes - 1;
  const source = Int32Array.from({ length: edges }, (_, i) => i);
  const target = Int32Array.from({ length: edges }, (_, i) => i + 1);
  const lengthM = Float64Array.from({ length: edges }, (_, i) => haversineM(nodeLon[i]!, LAT, nodeLon[i + 1]!, LAT));
  const cost = lengthM.map((m) => m / (4 / 3.6));
  const coords = new Float64Array(4 * edges);
  for (let i = 0; i < edges; i++) coords.set([nodeLon[i]!, LAT, nodeLon[i + 1]!, LAT], 4 * i);
  const admin: AdminUnit[] = [
    { code: 'D1', level: 'district', name: '西区', parentCode: 'C', geom: null },
    { code: 'D2', level: 'district', name: '东区', parentCode: 'C', geom: null },
    { code: 'S1', level: 'street', name: '西街道', parentCode: 'D1', geom: null },
    { code: 'S2', level: 'street', name: '东街道', parentCode: 'D2', geom: null },
    { code: 'M1', level: 'community', name: '西社区', parentCode: 'S1', geom: null },
    { code: 'M2', level: 'community', name: '东社区', parentCode: 'S2', geom: null },
  ];
  const box = (x0: number, x1: number) => [[[[lonAt(x0), LAT - 0.01], [lonAt(x1), LAT - 0.01], [lonAt(x1), LAT + 0.01], [lonAt(x0), LAT + 0.01], [lonAt(x0), LAT - 0.01]]]] as GridRow['geom'];
  const grids: GridRow[] = [
    { code: 'G1', name: '西网格', districtCode: 'D1', streetCode: 'S1', communityCode: 'M1', officers: 1, geom: box(-100, 1500) },
    { code: 'G2', name: '东网格', districtCode: 'D2', streetCode: 'S2', communityCode: 'M2', officers: 1, geom: box(1500, 3100) },
  ];
  const center = (name: string, kind: string, x: number): CenterRow => ({ name, kind, services: [], source: 'test', sourceId: null, lon: lonAt(x), lat: LAT });
  const centers = [
    center('西幼儿园', 'kindergarten', 0),
    center('西日间照料中心', 'elderly_day_care', 0),
    center('西小学', 'primary_school', 0),
    center('西中学', 'middle_school', 0),
    center('西党群服务中心', 'neighborhood', 0),
    center('东中学', 'middle_school', 3000),
  ];
  const count = UNITS.length;
  return {
    city: { code: 'C', name: '直街市' },
    source: 'test:line-city',
    admin,
    grids,
    centers,
    households: {
      count,
      lon: Float64Array.from(UNITS, (u) => lonAt(u.x)),
      lat: new Float64Array(count).fill(LAT),
      households: Int32Array.from(UNITS, (u) => u.households),
      persons: new Int32Array(count).fill(-1),
      gridIndex: Int32Array.from(UNITS, (u) => (u.x < 1500 ? 0 : 1)),
      source: 'test',
      sourceIds: UNITS.map((u) => u.name),
    },
    network: {
      nodeCount: nodes,
      nodeLon,
      nodeLat,
      nodeOsmId: new Float64Array(nodes).fill(-1),
      edgeCount: edges,
      source,
      target,
      lengthM,
      cost,
      reverseCost: Float64Array.from(cost),
      classIndex: new Uint8Array(edges),
      classNames: ['footway'],
      edgeOsmId: new Float64Array(edges).fill(-1),
      geomOffset: Int32Array.from({ length: edges + 1 }, (_, i) => 2 * i),
      coords,
    },
    buildings: [],
    water: [],
  };
}

/** Households of the named units. */
const households = (names: string) => UNITS.filter((u) => names.includes(u.name)).reduce((a, u) => a + u.households, 0);

describeBackends('the living-circle check on a hand-built city', (kind) => {
  let t: TestDatabase;
  let app: App;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
    await writeBundle(t.db, lineCity());
    app = await createApp({ db: t.db, logger: silentLogger, dataDir: undefined });
    await app.idle();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const get = (url: string) => sendJson(app, 'GET', url);
  const kindMet = (figures: any, minutes: number, kind: string) => figures.tiers.find((x: any) => x.minutes === minutes).kinds.find((k: any) => k.kind === kind).met;
  const tierMet = (figures: any, minutes: number) => figures.tiers.find((x: any) => x.minutes === minutes).met;

  it('gives every share exactly, each kind against its own centers, the elderly at their speed', async () => {
    const { status, body } = await get('/api/standard?level=city');
    expect(status).toBe(200);
    const total = body.total;
    expect(total.households).toBe(210);
    expect(kindMet(total, 5, 'kindergarten')).toBe(households('AB'));
    expect(kindMet(total, 5, 'elderly_day_care')).toBe(households('A'));
    expect(kindMet(total, 10, 'primary_school')).toBe(households('ABC'));
    expect(kindMet(total, 15, 'middle_school')).toBe(households('ABCDF'));
    expect(kindMet(total, 15, 'neighborhood')).toBe(households('ABCD'));
    expect([tierMet(total, 5), tierMet(total, 10), tierMet(total, 15), total.all_tiers.met]).toEqual([households('A'), households('ABC'), households('ABCD'), households('A')]);
    expect(total.tiers[0].share).toBeCloseTo(10 / 210, 12);
    // What the tiers say about themselves.
    const tier5 = body.tiers.find((x: any) => x.minutes === 5);
    expect(tier5.kinds.map((k: any) => [k.kind, k.profile, k.centers])).toEqual([['kindergarten', 'default', 1], ['elderly_day_care', 'elderly', 1]]);
    expect(tier5.missing_kinds).toContain('convenience');
    expect(tier5.name_zh).toBe('五分钟生活圈');
  });

  it('lets the upper tier count for no lower one: F has a middle school 50 m away and meets no kindergarten or primary school', async () => {
    const { body } = await get('/api/standard?level=grid');
    const east = body.units.find((u: any) => u.code === 'G2');
    expect(east.households).toBe(60);
    expect(kindMet(east, 15, 'middle_school')).toBe(60);
    expect(kindMet(east, 5, 'kindergarten')).toBe(0);
    expect(kindMet(east, 10, 'primary_school')).toBe(0);
    expect(tierMet(east, 5)).toBe(0);
  });

  it('adds up at every level', async () => {
    const city = (await get('/api/standard?level=city')).body.total;
    for (const level of ['district', 'street', 'community', 'grid']) {
      const { body } = await get(`/api/standard?level=${level}`);
      const sum = (pick: (u: any) => number) => body.units.reduce((a: number, u: any) => a + pick(u), 0);
      expect(sum((u) => u.households), level).toBe(city.households);
      expect(sum((u) => u.all_tiers.met), level).toBe(city.all_tiers.met);
      for (const minutes of [5, 10, 15]) {
        expect(sum((u) => tierMet(u, minutes)), `${level} ${minutes}`).toBe(tierMet(city, minutes));
        for (const k of city.tiers.find((x: any) => x.minutes === minutes).kinds) expect(sum((u) => kindMet(u, minutes, k.kind)), `${level} ${k.kind}`).toBe(k.met);
      }
    }
  });

  it('colours the households tiles by the tiers each unit meets, and only with ?standard=gb50180', async () => {
    const expected: Record<string, string> = { A: '5,10,15', B: '10,15', C: '10,15', D: '15', E: '', F: '' };
    const ids = new Map((await t.db.query<{ id: number; source_id: string }>('SELECT id, source_id FROM households')).map((r) => [Number(r.id), r.source_id]));
    const seen: Record<string, string> = {};
    const tiles = new Set(UNITS.map((u) => `${Math.floor(lonToTileX(lonAt(u.x), 14))}/${Math.floor(latToTileY(LAT, 14))}`));
    for (const xy of tiles) {
      const response = await app.http.request(`/tiles/households/14/${xy}.mvt?standard=gb50180`);
      expect(response.status).toBe(200);
      for (const f of decodeTile(new Uint8Array(await response.arrayBuffer())).households!.features) {
        seen[ids.get(f.id!)!] = String(f.properties.tiers);
        expect(f.properties.tiers_met).toBe(String(f.properties.tiers) === '' ? 0 : String(f.properties.tiers).split(',').length);
      }
      const plain = decodeTile(new Uint8Array(await (await app.http.request(`/tiles/households/14/${xy}.mvt`)).arrayBuffer())).households!.features;
      for (const f of plain) expect(f.properties.tiers).toBeUndefined();
    }
    expect(seen).toEqual(expected);
    const bad = await app.http.request(`/tiles/households/14/${[...tiles][0]}.mvt?standard=iso37120`);
    expect(bad.status).toBe(400);
  });

  it('walks every kind at one profile when asked, and makes tiers with missing kinds unmet when strict', async () => {
    const walkers = (await get('/api/standard?level=city&profile=default')).body.total;
    expect(kindMet(walkers, 5, 'elderly_day_care')).toBe(households('AB'));
    const elderly = (await get('/api/standard?level=city&profile=elderly')).body.total;
    // 275 m: A only for the kindergarten too; 550 m for the primary school: A and B; 825 m: A, B, C.
    expect([kindMet(elderly, 5, 'kindergarten'), kindMet(elderly, 10, 'primary_school'), kindMet(elderly, 15, 'neighborhood')]).toEqual([households('A'), households('AB'), households('ABC')]);
    const strict = (await get('/api/standard?level=city&strict=true')).body.total;
    expect([tierMet(strict, 5), tierMet(strict, 10), tierMet(strict, 15), strict.all_tiers.met]).toEqual([0, 0, 0, 0]);
    const bad = await get('/api/standard?level=city&profile=runner');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/profile/);
  });
});
