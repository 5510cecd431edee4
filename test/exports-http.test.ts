/**
 * The table exports through the HTTP API (format=csv|xlsx, lang=zh|en) on
 * the demo city (Chinese names) and on Monaco (OpenStreetMap), each on both
 * backends: for the coverage (live and with a scenario), the GB 50180 check
 * and a scenario's comparison, the CSV starts with the byte-order mark and
 * its records are the JSON answer's, the xlsx reads back (exceljs) with the
 * same cells, numbers as numbers and shares in a percent format, `lang=en`
 * switches the headers and the file name, the JSON answer is unchanged,
 * and a bad format or lang is a 400 naming the parameter.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ingest } from '../data-pipeline/ingest.ts';
import { writeBundle } from '../data-pipeline/write-bundle.ts';
import type { BackendKind, Database } from '../kernel/db/database.ts';
import { createApp, type App } from '../server/app.ts';
import { silentLogger } from '../server/logger.ts';
import { bearer, testToken } from './auth-fixture.ts';
import { describeBackends, openTestDatabase, type TestDatabase } from './backends.ts';
import { generateDemoCity } from './demo-city-fixture.ts';
import { describeWithData, sharedData } from './shared-data.ts';
import { csvCellOf, fileNamesOf, parseCsv, readXlsx } from './table-export-fixture.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DAY = String.raw`\d{4}-\d\d-\d\d`;

type Figures = Record<string, number | string | null>;
type Coverage = { level: string; minutes: number; data_version: string; scenario: { id: number } | null; units: Figures[]; total: Figures };
type StandardFigures = { households: number; tiers: { minutes: number; met: number; share: number | null; kinds: { kind: string; met: number; share: number | null }[] }[]; all_tiers: { met: number; share: number | null } };
type Standard = {
  data_version: string;
  tiers: { minutes: number; kinds: { kind: string; name: string; name_zh: string }[] }[];
  units: ({ code: string | null; name: string } & StandardFigures)[];
  total: StandardFigures;
};
type Scenario = { id: number; data_version: string; summary: { circles: Figures[] } };

const COVERAGE_FIELDS = ['code', 'name', 'households', 'covered', 'share', 'p90_walk_s', 'max_walk_s', 'beyond_15', 'unreachable'];
const SCENARIO_FIELDS = ['covered_before', 'gained', 'lost'];
const CIRCLE_FIELDS = ['minutes', 'households_before', 'households_after', 'gained', 'lost', 'share_before', 'share_after', 'persons_before', 'persons_after'];

/** The headers each export promises, by language; `csv` adds 0-1 to a share's. */
const coverageHeaders = (lang: 'zh' | 'en', minutes: number, scenario: boolean, csv: boolean) => {
  const unit = csv ? (lang === 'zh' ? '（0–1）' : ' (0–1)') : '';
  const zh = ['代码', '名称', '户数', `${minutes} 分钟内已覆盖户数`, `${minutes} 分钟覆盖率${unit}`, '90% 住户的步行时间（秒）', '最长步行时间（秒）', '超过 15 分钟的户数', '无可达服务中心的户数'];
  const en = ['Code', 'Name', 'Households', `Covered within ${minutes} min`, `Share within ${minutes} min${unit}`, 'P90 walk (s)', 'Longest walk (s)', 'Households beyond 15 min', 'Households reaching no center'];
  const extra = lang === 'zh' ? ['现状已覆盖户数', '方案新增覆盖户数', '方案失去覆盖户数'] : ['Covered today', 'Gained by the scenario', 'Lost by the scenario'];
  return [...(lang === 'zh' ? zh : en), ...(scenario ? extra : [])];
};

/** The GB 50180 check's columns from its JSON answer: headers and how to read each from a unit's figures. */
function standardColumns(answer: Standard, lang: 'zh' | 'en', csv: boolean): { header: string; type: 'text' | 'count' | 'share'; of(code: string | null, name: string, f: StandardFigures): unknown }[] {
  const unit = csv ? (lang === 'zh' ? '（0–1）' : ' (0–1)') : '';
  const zh = lang === 'zh';
  const columns: ReturnType<typeof standardColumns> = [
    { header: zh ? '代码' : 'Code', type: 'text', of: (code) => code },
    { header: zh ? '名称' : 'Name', type: 'text', of: (_, name) => name },
    { header: zh ? '户数' : 'Households', type: 'count', of: (_, __, f) => f.households },
  ];
  for (const tier of answer.tiers) {
    const m = tier.minutes;
    const own = (f: StandardFigures) => f.tiers.find((t) => t.minutes === m)!;
    columns.push(
      { header: zh ? `${m} 分钟生活圈达标户数` : `${m}-min circle: households meeting it`, type: 'count', of: (_, __, f) => own(f).met },
      { header: (zh ? `${m} 分钟生活圈达标率` : `${m}-min circle: share meeting it`) + unit, type: 'share', of: (_, __, f) => own(f).share },
    );
    for (const kind of tier.kinds) {
      const k = (f: StandardFigures) => own(f).kinds.find((x) => x.kind === kind.kind)!;
      columns.push(
        { header: zh ? `${m} 分钟内可达${kind.name_zh}的户数` : `${kind.name} within ${m} min: households`, type: 'count', of: (_, __, f) => k(f).met },
        { header: (zh ? `${m} 分钟内可达${kind.name_zh}的比例` : `${kind.name} within ${m} min: share`) + unit, type: 'share', of: (_, __, f) => k(f).share },
      );
    }
  }
  columns.push(
    { header: zh ? '各级生活圈均达标户数' : 'Households meeting every tier', type: 'count', of: (_, __, f) => f.all_tiers.met },
    { header: (zh ? '各级生活圈均达标率' : 'Share meeting every tier') + unit, type: 'share', of: (_, __, f) => f.all_tiers.share },
  );
  return columns;
}

const circleHeaders = (lang: 'zh' | 'en', csv: boolean) => {
  const unit = csv ? (lang === 'zh' ? '（0–1）' : ' (0–1)') : '';
  return lang === 'zh'
    ? ['生活圈（分钟）', '现状覆盖户数', '方案覆盖户数', '新增覆盖户数', '失去覆盖户数', `现状覆盖率${unit}`, `方案覆盖率${unit}`, '现状覆盖人口', '方案覆盖人口']
    : ['Life circle (min)', 'Households covered today', 'Households covered with the scenario', 'Households gained', 'Households lost', `Share today${unit}`, `Share with the scenario${unit}`, 'Persons covered today', 'Persons covered with the scenario'];
};

/** The suite on one stored city: `store` fills the database before the app starts. */
function exportSuite(kind: BackendKind, store: (db: Database) => Promise<void>, { chineseNames }: { chineseNames: boolean }) {
  return () => {
    let t: TestDatabase;
    let app: App;
    let token: string;
    const get = (path: string) => app.http.request(path, { headers: bearer(token) });
    const json = async <T>(path: string): Promise<T> => {
      const res = await get(path);
      expectOk(res, path, 'application/json');
      return (await res.json()) as T;
    };
    /** The download at `path`: its bytes and the file names it carries. */
    const download = async (path: string, type: string) => {
      const res = await get(path);
      expectOk(res, path, type);
      return { bytes: new Uint8Array(await res.arrayBuffer()), names: fileNamesOf(res.headers.get('content-disposition')) };
    };
    /** A CSV download's records, after checking its byte-order mark. */
    const csv = async (path: string) => {
      const { bytes, names } = await download(path, 'text/csv');
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      return { rows: parseCsv(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(3))), names };
    };
    const xlsx = async (path: string) => {
      const { bytes, names } = await download(path, XLSX);
      return { sheet: await readXlsx(bytes), names };
    };

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      await store(t.db);
      app = await createApp({ db: t.db, logger: silentLogger, dataDir: undefined });
      await app.idle();
      token = await testToken(t.db);
    }, 300_000);
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
    });

    it('exports the coverage per unit as CSV and xlsx, record for record the JSON answer, in Chinese or English', async () => {
      for (const level of ['district', 'grid']) {
        const query = `level=${level}&minutes=10`;
        const answer = await json<Coverage>(`/api/coverage?${query}`);
        expect(answer.units.length).toBeGreaterThan(0);
        // The JSON answer is the same with format=json.
        expect(await json<Coverage>(`/api/coverage?${query}&format=json&lang=en`)).toEqual(answer);
        const values = [...answer.units.map((u) => COVERAGE_FIELDS.map((f) => u[f])), COVERAGE_FIELDS.map((f) => (f === 'code' ? null : f === 'name' ? '合计' : answer.total[f]))];

        const zh = await csv(`/api/coverage?${query}&format=csv`);
        expect(zh.rows[0]).toEqual(coverageHeaders('zh', 10, false, true));
        expect(zh.rows.slice(1)).toEqual(values.map((row) => row.map(csvCellOf)));
        expect(zh.names.attachment).toBe(true);
        expect(zh.names.ascii).toMatch(new RegExp(`^coverage-${level}-10min-${DAY}\\.csv$`));
        expect(zh.names.utf8).toMatch(new RegExp(`^覆盖率-${level === 'grid' ? '网格' : '区县'}-10分钟-${DAY}\\.csv$`));
        if (chineseNames) expect(zh.rows.slice(1, -1).every((r) => /\p{Script=Han}/u.test(r[1]!))).toBe(true);

        const en = await csv(`/api/coverage?${query}&format=csv&lang=en`);
        expect(en.rows[0]).toEqual(coverageHeaders('en', 10, false, true));
        expect(en.rows.slice(1, -1)).toEqual(zh.rows.slice(1, -1));
        expect(en.rows.at(-1)![1]).toBe('Total');
        expect(en.names.utf8).toBe(en.names.ascii);

        const book = await xlsx(`/api/coverage?${query}&format=xlsx`);
        expect(book.names.utf8).toMatch(new RegExp(`^覆盖率-.*\\.xlsx$`));
        expect(book.sheet.names).toEqual(['覆盖率']);
        expect(book.sheet.rows[0]).toEqual(coverageHeaders('zh', 10, false, false));
        expect(book.sheet.rows.slice(1)).toEqual(values.map((row) => row.map((v) => v ?? null)));
        expect(book.sheet.headerBold).toBe(true);
        expect(book.sheet.frozenRows).toBe(1);
        expect(book.sheet.formats[COVERAGE_FIELDS.indexOf('share')]).toBe('0.0%');
        expect(book.sheet.formats[COVERAGE_FIELDS.indexOf('households')]).toBe('#,##0');
        expect(book.sheet.description).toBe(`GET /api/coverage?${query}&format=xlsx, data version ${answer.data_version}`);
        const english = await xlsx(`/api/coverage?${query}&format=xlsx&lang=en`);
        expect(english.sheet.names).toEqual(['Coverage']);
        expect(english.sheet.rows[0]).toEqual(coverageHeaders('en', 10, false, false));
        expect(english.sheet.rows.slice(1, -1)).toEqual(book.sheet.rows.slice(1, -1));
      }
    }, 240_000);

    it("exports a scenario's coverage per unit with what each gains and loses, and its comparison per life circle", async () => {
      // A new center where households are left out, so the scenario gains some.
      const outside = await json<{ features: { geometry: { coordinates: [number, number] } }[] }>('/api/households/uncovered');
      expect(outside.features.length).toBeGreaterThan(0);
      const [lon, lat] = outside.features[Math.floor(outside.features.length / 2)]!.geometry.coordinates;
      const created = await app.http.request('/api/scenarios', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(token) },
        body: JSON.stringify({ name: '新增党群服务中心', changes: [{ op: 'add', name: '新站, "河边"', kind: 'neighborhood', lon, lat }] }),
      });
      expect(created.status).toBe(201);
      const id = ((await created.json()) as { id: number }).id;

      const query = `level=street&scenario=${id}`;
      const coverage = await json<Coverage>(`/api/coverage?${query}`);
      const fields = [...COVERAGE_FIELDS, ...SCENARIO_FIELDS];
      const values = [...coverage.units.map((u) => fields.map((f) => u[f])), fields.map((f) => (f === 'code' ? null : f === 'name' ? '合计' : coverage.total[f]))];
      expect(Number(coverage.total.gained)).toBeGreaterThan(0);
      const table = await csv(`/api/coverage?${query}&format=csv`);
      expect(table.rows[0]).toEqual(coverageHeaders('zh', 15, true, true));
      expect(table.rows.slice(1)).toEqual(values.map((row) => row.map(csvCellOf)));
      expect(table.names.ascii).toMatch(new RegExp(`^coverage-street-15min-scenario-${id}-${DAY}\\.csv$`));
      expect(table.names.utf8).toMatch(new RegExp(`^覆盖率-街道乡镇-15分钟-方案${id}-${DAY}\\.csv$`));
      expect((await xlsx(`/api/coverage?${query}&format=xlsx`)).sheet.rows.slice(1)).toEqual(values.map((row) => row.map((v) => v ?? null)));

      const scenario = await json<Scenario>(`/api/scenarios/${id}`);
      const circles = scenario.summary.circles.map((c) => CIRCLE_FIELDS.map((f) => c[f]));
      expect(circles.map((c) => c[0])).toEqual([5, 10, 15]);
      const comparison = await csv(`/api/scenarios/${id}?format=csv`);
      expect(comparison.rows).toEqual([circleHeaders('zh', true), ...circles.map((row) => row.map(csvCellOf))]);
      expect(comparison.names.ascii).toMatch(new RegExp(`^scenario-${id}-comparison-${DAY}\\.csv$`));
      expect(comparison.names.utf8).toMatch(new RegExp(`^方案${id}对比-${DAY}\\.csv$`));
      expect((await csv(`/api/scenarios/${id}?format=csv&lang=en`)).rows).toEqual([circleHeaders('en', true), ...circles.map((row) => row.map(csvCellOf))]);
      const book = await xlsx(`/api/scenarios/${id}?format=xlsx`);
      expect(book.sheet.names).toEqual(['方案对比']);
      expect(book.sheet.rows).toEqual([circleHeaders('zh', false), ...circles]);
      expect(book.sheet.formats).toEqual(['0', '#,##0', '#,##0', '#,##0', '#,##0', '0.0%', '0.0%', '#,##0', '#,##0']);
      const english = await xlsx(`/api/scenarios/${id}?format=xlsx&lang=en`);
      expect(english.sheet.names).toEqual(['Scenario comparison']);
      expect(english.sheet.rows).toEqual([circleHeaders('en', false), ...circles]);
    }, 240_000);

    it('exports the GB 50180 check per unit with a column pair per tier and per kind', async () => {
      const answer = await json<Standard>('/api/standard?level=street');
      expect(answer.tiers.flatMap((t) => t.kinds).length).toBeGreaterThan(0);
      for (const lang of ['zh', 'en'] as const) {
        const columns = standardColumns(answer, lang, true);
        const total = lang === 'zh' ? '合计' : 'Total';
        const values = [...answer.units.map((u) => columns.map((c) => c.of(u.code, u.name, u))), columns.map((c) => c.of(null, total, answer.total))];
        const table = await csv(`/api/standard?level=street&format=csv&lang=${lang}`);
        expect(table.rows[0]).toEqual(columns.map((c) => c.header));
        expect(table.rows.slice(1)).toEqual(values.map((row) => row.map(csvCellOf)));
        expect(table.names.ascii).toMatch(new RegExp(`^standard-gb50180-street-${DAY}\\.csv$`));
        const book = await xlsx(`/api/standard?level=street&format=xlsx&lang=${lang}`);
        expect(book.sheet.names).toEqual([lang === 'zh' ? '生活圈达标' : 'GB 50180 check']);
        expect(book.sheet.rows[0]).toEqual(standardColumns(answer, lang, false).map((c) => c.header));
        expect(book.sheet.rows.slice(1)).toEqual(values.map((row) => row.map((v) => v ?? null)));
        expect(book.sheet.formats).toEqual(columns.map((c) => (c.type === 'text' ? undefined : c.type === 'share' ? '0.0%' : '#,##0')));
      }
    }, 240_000);

    it('answers a bad format or lang with a 400 naming the parameter', async () => {
      for (const path of ['/api/coverage?level=district', '/api/standard?level=district', '/api/scenarios/1']) {
        for (const [param, value] of [['format', 'pdf'], ['format', 'CSV'], ['lang', 'fr'], ['lang', 'zh-CN']]) {
          const url = `${path}&${param}=${value}`.replace('/1&', '/1?');
          const res = await get(url);
          expect(res.status, url).toBe(400);
          const body = (await res.json()) as { error: { code: string; field: string; message: string } };
          expect(body.error, url).toMatchObject({ code: 'bad_request', field: param });
          expect(body.error.message, url).toContain(param);
          expect(body.error.message, url).toContain(`"${value}"`);
        }
      }
    });
  };
}


/** An answer is a 200 of this media type. */
function expectOk(res: Response, path: string, type: string) {
  expect(res.status, path).toBe(200);
  expect((res.headers.get('content-type') ?? '').split(';')[0], path).toBe(type);
}

describeBackends('exports on the demo city', (kind) => exportSuite(kind, (db) => writeBundle(db, generateDemoCity()).then(() => undefined), { chineseNames: true })());

const monaco = sharedData('osm/monaco.osm.pbf');
describeWithData('exports on Monaco', monaco, () => {
  describeBackends('Monaco', (kind) => exportSuite(kind, (db) => ingest(db, { osm: monaco.path }).then(() => undefined), { chineseNames: false })());
});
