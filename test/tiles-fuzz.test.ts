/**
 * Fuzzes the tile and TileJSON routes with seeded random input: garbage and
 * unicode layer names, SQL fragments, percent-encoding, huge, negative,
 * fractional and hex numbers, odd extensions, odd headers. Nothing a caller
 * sends may produce a 5xx; every error is the API's JSON error shape.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeBundle } from '../data-pipeline/write-bundle.ts';
import { describeBackends, openTestDatabase, type TestDatabase } from './backends.ts';
import { seededRandom, smallCityBundle, tileTestApp } from './tiles-fixture.ts';

const LAYERS = ['admin', 'grids', 'centers', 'households', 'streets', 'buildings', 'water'];
const NASTY = [
  "grids'; DROP TABLE grids; --",
  'grids) UNION SELECT 1 --',
  '../../etc/passwd',
  '%00',
  '%',
  '%E0%A4%A',
  '中文图层',
  '🗺️',
  'ＧＲＩＤＳ',
  'grids\u0000',
  '$1',
  'tiles.grids',
  'pg_sleep(10)',
  'x'.repeat(5000),
  ',',
  ',,',
  ' grids',
  'GRIDS',
  'grids;centers',
  'grids%2Ccenters',
  '__proto__',
  'constructor',
  'toString',
];
const NUMBERS = ['0', '1', '7', '13', '16', '17', '30', '31', '64', '-1', '-0', '1.5', '1e3', '0x10', '1_000', 'NaN', 'Infinity', '', ' ', '٣', '１２', '9'.repeat(400), '18446744073709551616', '2147483648', '4294967296', '00000000000012'];

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

function randomString(random: () => number): string {
  const length = Math.floor(random() * 20);
  let s = '';
  for (let i = 0; i < length; i++) {
    const r = random();
    s += r < 0.6 ? String.fromCharCode(32 + Math.floor(random() * 95)) : r < 0.8 ? String.fromCodePoint(0x80 + Math.floor(random() * 0x2000)) : pick(random, ['%', '/', ',', '.', '?', '#', '&', '=', '..']);
  }
  return s;
}

function layerPart(random: () => number): string {
  const r = random();
  if (r < 0.35) return Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(random, LAYERS)).join(',');
  if (r < 0.6) return encodeURIComponent(pick(random, NASTY));
  if (r < 0.7) return pick(random, NASTY).replaceAll('/', '');
  return encodeURIComponent(randomString(random));
}

function numberPart(random: () => number): string {
  const r = random();
  if (r < 0.5) return String(Math.floor(random() * 2 ** Math.floor(random() * 17)));
  if (r < 0.8) return encodeURIComponent(pick(random, NUMBERS));
  return encodeURIComponent(randomString(random));
}

function fuzzPath(random: () => number): string {
  const r = random();
  if (r < 0.15) return `/tiles/${layerPart(random)}.json`;
  if (r < 0.2) return `/tiles/${layerPart(random)}/${numberPart(random)}/${numberPart(random)}`;
  if (r < 0.25) return `/tiles/${randomString(random).replaceAll('%', '%25').replaceAll('#', '%23').replaceAll('?', '%3F')}`;
  const ext = random() < 0.85 ? '.mvt' : pick(random, ['.pbf', '', '.MVT', '.mvt.gz', '.mvt/extra', '.json']);
  const query = random() < 0.2 ? `?${encodeURIComponent(randomString(random))}=${encodeURIComponent(randomString(random))}` : '';
  return `/tiles/${layerPart(random)}/${numberPart(random)}/${numberPart(random)}/${numberPart(random)}${ext}${query}`;
}

describeBackends('tile route fuzz', (kind) => {
  let t: TestDatabase;
  let app: Awaited<ReturnType<typeof tileTestApp>>;

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    await writeBundle(t.db, smallCityBundle());
    app = await tileTestApp(t.db);
  });
  afterAll(async () => {
    app?.service.close();
    await t?.dispose();
  });

  it('never answers 5xx to 1,500 seeded random requests', async () => {
    const random = seededRandom(20_240_601);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1500; i++) {
      const path = fuzzPath(random);
      const headers: Record<string, string> = {};
      if (random() < 0.3) headers['accept-encoding'] = pick(random, ['gzip', 'br', 'br;q=abc', '*;q=0', 'gzip;q=0.5, br;q=0.9', randomString(random).replace(/[^\x20-\x7e]/g, '')]);
      if (random() < 0.2) headers['if-none-match'] = pick(random, ['*', 'W/"x"', '"', '""', randomString(random).replace(/[^\x20-\x7e]/g, '')]);
      let res: Response;
      try {
        res = await app.http.request(path, { headers });
      } catch (error) {
        throw new Error(`request ${path} threw: ${(error as Error).message}`);
      }
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status, path).toBeLessThan(500);
      if (res.status >= 400) {
        const body = await res.json();
        expect(typeof body.error?.code, path).toBe('string');
        expect(typeof body.error?.message, path).toBe('string');
      } else {
        await res.arrayBuffer();
      }
    }
    // The fuzzer reached every kind of answer: tiles, empty tiles, TileJSON, 400s and 404s.
    for (const status of [200, 204, 400, 404]) expect(statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);
  });
});
