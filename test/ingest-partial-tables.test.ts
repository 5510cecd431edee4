/**
 * Partial updates from spreadsheets on the Monaco extract, on both backends:
 * - Excel: a workbook with Chinese headers (a title row, Chinese kind names,
 *   on a named sheet) and one with English headers give the same rows: the
 *   second, applied after the first, changes nothing; a workbook with three
 *   bad rows reports those three by sheet, row and column and writes nothing;
 * - households from a workbook replace the units (each in its stored grid),
 *   leave the other tables byte for byte, and the running app's coverage
 *   becomes what the dry run said;
 * - grid attributes from a CSV change the named grids and their units'
 *   chain (persons without a household total refused); grid
 *   polygons from GeoJSON replace the grids and move the units with them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends, openTestDatabase, type TestDatabase } from './backends.ts';
import { describeWithData, sharedData } from './shared-data.ts';
import { cityCoverage, followed, revision, tableDigests, writeCsv, writeXlsx } from './partial-fixture.ts';
import { ingest } from '../data-pipeline/ingest.ts';
import { partialUpdate, type PartialOptions, type PartialReport } from '../data-pipeline/partial/partial-update.ts';
import { RowsRefused } from '../data-pipeline/inputs/row-problems.ts';
import { createApp, type App } from '../server/app.ts';
import { silentLogger } from '../server/logger.ts';
import { cityCoverageChange } from '../server/coverage/city-coverage.ts';

const monaco = sharedData('osm/monaco.osm.pbf');
const work = mkdtempSync(path.join(tmpdir(), 'lc-partial-tables-'));
const HOUR = 3_600_000;

/** The digests of every table but `except`. */
const others = (d: Record<string, string>, ...except: string[]) => Object.fromEntries(Object.entries(d).filter(([t]) => !except.includes(t)));
const planOf = (r: PartialReport) => ({ centers: r.centers, grids: r.grids, households: r.households, rows: r.rows, unchanged: r.unchanged });
const stripWhere = (r: PartialReport) => JSON.parse(JSON.stringify(planOf(r), (k, v) => (k === 'where' ? undefined : v)));

describeWithData('partial updates from spreadsheets', monaco, () => {
  describeBackends('on Monaco', (kind) => {
    let t: TestDatabase;
    let app: App;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      await ingest(t.db, { osm: monaco.path, city: 'Monaco' });
      app = await createApp({ db: t.db, logger: silentLogger, dataDir: undefined, pollIntervalMs: HOUR });
      await app.idle();
    });
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
    });
    const update = (table: PartialOptions['table'], file: string, more: Partial<PartialOptions> = {}) => partialUpdate(t.db, { table, file, ...more });
    /** The real run, then the app following it (by NOTIFY on PostGIS, by publishing in-process on the embedded database). */
    const apply = async (table: PartialOptions['table'], file: string, more: Partial<PartialOptions> = {}) => {
      const report = await update(table, file, more);
      if (!report.unchanged) await followed(app, report.version!, kind === 'pglite' ? report.change : undefined);
      return report;
    };

    it('a workbook with Chinese headers and one with English headers give the same rows', async () => {
      const nodes = await t.db.query<{ lon: number; lat: number }>('SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM walk_nodes WHERE id IN (300, 1200, 2500) ORDER BY id');
      const existing = await t.db.query<{ source_id: string; name: string; kind: string; lon: number; lat: number }>(
        'SELECT source_id, name, kind, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM centers ORDER BY id',
      );
      const zhKind: Record<string, string> = { neighborhood: '党群服务中心', governance: '综治中心', police: '派出所', post: '邮政营业场所' };
      const rows = [
        ...existing.map((c) => [c.source_id, c.name, c.kind, c.lon, c.lat]),
        ['Z-1', '党群服务中心一', 'neighborhood', nodes[0]!.lon, nodes[0]!.lat],
        ['Z-2', '综治中心二', 'governance', nodes[1]!.lon, nodes[1]!.lat],
        ['Z-3', '派出所三', 'police', nodes[2]!.lon, nodes[2]!.lat],
      ] as [string, string, string, number, number][];
      const zh = await writeXlsx(work, `centers-zh-${kind}.xlsx`, {
        说明: [['本表为中心名录，第二页为数据']],
        中心: [['摩纳哥服务中心名录'], ['编码', '名称', '类型', '经度(WGS84)', '纬度(WGS84)', '备注'], ...rows.map(([c, n, k, x, y]) => [c, n, zhKind[k] ?? k, x, y, '核实'])],
      });
      const en = await writeXlsx(work, `centers-en-${kind}.xlsx`, { Centers: [['code', 'name', 'kind', 'lon', 'lat'], ...rows] });
      const dryZh = await update('centers', zh, { sheet: '中心', dryRun: true });
      const dryEn = await update('centers', en, { dryRun: true });
      expect(dryZh.sheet).toBe('中心');
      // A title row, then the header (row 2): the new centers follow the stored ones.
      const row = existing.length + 3;
      expect(dryZh.centers!.added.map((a) => [a.code, a.kind, a.where])).toEqual([
        ['Z-1', 'neighborhood', `sheet "中心" row ${row}`],
        ['Z-2', 'governance', `sheet "中心" row ${row + 1}`],
        ['Z-3', 'police', `sheet "中心" row ${row + 2}`],
      ]);
      expect(stripWhere(dryZh)).toEqual(stripWhere(dryEn));
      const rev = await revision(t.db);
      const zhRun = await apply('centers', zh, { sheet: '中心' });
      expect(zhRun.centers!.added).toHaveLength(3);
      expect(await revision(t.db)).toBe(rev + 1);
      const enRun = await update('centers', en);
      expect(enRun.unchanged).toBe(true);
      expect(enRun.centers!.unchanged).toBe(rows.length);
      expect(await revision(t.db)).toBe(rev + 1);
    });

    it('a workbook with three bad rows reports those three rows by number and writes nothing', async () => {
      const [c] = await t.db.query<{ lon: number; lat: number }>('SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM walk_nodes WHERE id = 500');
      const file = await writeXlsx(work, `bad-${kind}.xlsx`, {
        中心: [
          ['编码', '名称', '类型', '经度', '纬度'],
          ['B-1', '甲', '党群服务中心', c!.lon, c!.lat],
          ['B-2', '乙', '超市', c!.lon, c!.lat],
          ['B-3', '丙', '综治中心', c!.lon, c!.lat],
          ['B-4', '丁', '综治中心', '东经7度', c!.lat],
          ['B-5', '戊', '派出所', c!.lon, c!.lat],
          ['B-3', '己', '派出所', c!.lon, c!.lat],
        ],
      });
      const digests = await tableDigests(t.db);
      const rev = await revision(t.db);
      const error = (await update('centers', file).catch((e: unknown) => e)) as RowsRefused;
      expect(error).toBeInstanceOf(RowsRefused);
      expect(error.problems.map((p) => [p.sheet, p.row, p.columnLetter, p.column])).toEqual([
        ['中心', 3, 'C', '类型'],
        ['中心', 5, 'D', '经度'],
        ['中心', 7, 'A', '编码'],
      ]);
      expect(error.message.split('\n')).toEqual([
        expect.stringMatching(/bad-\w+\.xlsx: sheet "中心" row 3, column C: "类型" "超市" is not a known center kind; known: kindergarten/),
        expect.stringMatching(/bad-\w+\.xlsx: sheet "中心" row 5, column D: "经度" is not a number: "东经7度"$/),
        expect.stringMatching(/bad-\w+\.xlsx: sheet "中心" row 7, column A: "编码" "B-3" is a duplicate: already on sheet "中心" row 4$/),
        '6 rows read, 3 accepted, 3 refused; nothing was written',
      ]);
      // The dry run refuses them the same way.
      await expect(update('centers', file, { dryRun: true })).rejects.toThrow(/3 refused; nothing was written/);
      expect(await tableDigests(t.db)).toEqual(digests);
      expect(await revision(t.db)).toBe(rev);
    });

    it('households from a workbook replace the units; the rest stays; the app covers the new households', async () => {
      const stored = await t.db.query<{ id: number; lon: number; lat: number; households: number; persons: number | null; source_id: string | null; grid_id: number }>(
        'SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat, households, persons, source_id, grid_id FROM households ORDER BY id',
      );
      // Every tenth unit gone, every seventh with twice the households.
      const kept = stored.filter((_, i) => i % 10 !== 0);
      const rows = kept.map((h, i) => [h.source_id, h.lon, h.lat, i % 7 === 0 ? 2 * h.households : h.households, h.persons]);
      const file = await writeXlsx(work, `households-${kind}.xlsx`, { 户籍: [['编码', '经度', '纬度', '户数（户）', '人口'], ...rows] });
      const total = rows.reduce((a, r) => a + (r[3] as number), 0);
      const digests = await tableDigests(t.db);
      const rev = await revision(t.db);

      const dry = await update('households', file, { dryRun: true, coverage: cityCoverageChange });
      expect(dry.households.before.units).toBe(stored.length);
      expect(dry.households.after).toMatchObject({ units: kept.length, households: total });
      expect(dry.coverage!.before).toMatchObject({ households: (await cityCoverage(app)).total.households });
      expect(dry.coverage!.after.households).toBe(total);
      expect(await tableDigests(t.db)).toEqual(digests);

      const real = await apply('households', file);
      expect(planOf(real)).toEqual(planOf(dry));
      expect(real.change).toEqual({ type: 'replaced', version: real.version });
      expect(await revision(t.db)).toBe(rev + 1);
      expect(others(await tableDigests(t.db), 'households')).toEqual(others(digests, 'households'));
      const now = await t.db.query<{ source_id: string; households: number; grid_id: number; lon: number }>(
        'SELECT source_id, households, grid_id, ST_X(geom) AS lon FROM households ORDER BY id',
      );
      expect(now.map((h) => [h.source_id, h.households, h.lon])).toEqual(rows.map((r) => [r[0], r[3], r[1]]));
      // Each unit is in the grid it was in.
      expect(now.map((h) => h.grid_id)).toEqual(kept.map((h) => h.grid_id));
      const live = await cityCoverage(app);
      expect({ minutes: 15, households: live.total.households, covered: live.total.covered, share: live.total.share }).toEqual(dry.coverage!.after);
    });

    it('grid attributes from a CSV change the named grids and their units; persons without a household total are refused', async () => {
      const grids = await t.db.query<{ id: number; code: string; officers: number; community_code: string }>('SELECT id, code, officers, community_code FROM grids ORDER BY id');
      const busy = await t.db.query<{ grid_id: number; n: number }>('SELECT grid_id, count(*)::int AS n FROM households GROUP BY grid_id ORDER BY n DESC LIMIT 2');
      const [g1, g2] = busy.map((b) => grids.find((g) => g.id === b.grid_id)!);
      const file = writeCsv(work, `grids-${kind}.csv`, [
        ['网格编码', '网格名称', '网格员', '社区代码'],
        [g1!.code, '第一网格', g1!.officers + 3, null],
        [g2!.code, null, null, 'NEW-COMMUNITY'],
      ]);
      const digests = await tableDigests(t.db);
      const dry = await update('grids', file, { dryRun: true });
      expect(dry.grids!.changed).toEqual([{ code: g1!.code, fields: ['name', 'officers'] }, { code: g2!.code, fields: ['community_code'] }]);
      expect(dry.grids!.unitsChanged).toBe(busy[1]!.n);
      const real = await apply('grids', file);
      expect(planOf(real)).toEqual(planOf(dry));
      expect(others(await tableDigests(t.db), 'households', 'grids', 'admin_units')).toEqual(others(digests, 'households', 'grids', 'admin_units'));
      const [a, b] = await t.db.query<{ name: string; officers: number; community_code: string }>('SELECT name, officers, community_code FROM grids WHERE id = ANY($1) ORDER BY array_position($1, id)', [[g1!.id, g2!.id]]);
      expect([a!.name, a!.officers, a!.community_code]).toEqual(['第一网格', g1!.officers + 3, g1!.community_code]);
      expect(b!.community_code).toBe('NEW-COMMUNITY');
      const [moved] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM households WHERE community_code = 'NEW-COMMUNITY' AND grid_id = $1", [g2!.id]);
      expect(moved!.n).toBe(busy[1]!.n);
      // The running app rolls the new community up.
      const res = await app.http.request('/api/coverage?level=community');
      const community = (await res.json()).units.find((u: { code: string }) => u.code === 'NEW-COMMUNITY');
      const [sum] = await t.db.query<{ h: number }>('SELECT sum(households)::int AS h FROM households WHERE grid_id = $1', [g2!.id]);
      expect(community?.households).toBe(sum!.h);

      // Totals per grid are spread (test/ingest-partial-grid-totals.test.ts); persons without households are refused, by row and column.
      const totals = writeCsv(work, `grid-totals-${kind}.csv`, [['code', 'households', 'persons'], [g1!.code, null, 300]]);
      const rev = await revision(t.db);
      await expect(update('grids', totals)).rejects.toThrow(/line 2: "persons" is given without households \(户数\)/);
      expect(await revision(t.db)).toBe(rev);
    });

    it('grid polygons from GeoJSON replace the grids and move the units with them; a file that leaves units out is refused', async () => {
      const grids = await t.db.query<{ code: string; name: string; officers: number; community_code: string | null; geom: string }>(
        'SELECT code, name, officers, community_code, ST_AsGeoJSON(geom, 15) AS geom FROM grids ORDER BY id',
      );
      const [busiest] = await t.db.query<{ code: string; n: number }>('SELECT g.code, count(*)::int AS n FROM households h JOIN grids g ON g.id = h.grid_id GROUP BY g.code ORDER BY n DESC LIMIT 1');
      const feature = (g: (typeof grids)[number], code = g.code) => ({ type: 'Feature', properties: { code, name: g.name, officers: g.officers, community_code: g.community_code }, geometry: JSON.parse(g.geom) });
      const file = path.join(work, `grids-${kind}.geojson`);
      writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: grids.map((g) => feature(g, g.code === busiest!.code ? 'RENAMED' : g.code)) }));
      const digests = await tableDigests(t.db);
      const dry = await update('grids', file, { dryRun: true });
      expect(dry.grids).toMatchObject({ mode: 'shapes', added: ['RENAMED'], removed: [busiest!.code], changed: [], unchanged: grids.length - 1, unitsChanged: busiest!.n });
      const real = await apply('grids', file);
      expect(planOf(real)).toEqual(planOf(dry));
      expect(others(await tableDigests(t.db), 'households', 'grids')).toEqual(others(digests, 'households', 'grids'));
      const [n] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM households h JOIN grids g ON g.id = h.grid_id WHERE g.code = 'RENAMED'");
      expect(n!.n).toBe(busiest!.n);

      const without = path.join(work, `grids-without-${kind}.geojson`);
      writeFileSync(without, JSON.stringify({ type: 'FeatureCollection', features: grids.filter((g) => g.code !== busiest!.code).map((g) => feature(g)) }));
      const rev = await revision(t.db);
      await expect(update('grids', without)).rejects.toThrow(/stored household unit .* is in no grid of the file; every unit must stay in a grid/);
      expect(await revision(t.db)).toBe(rev);
    });
  });
});
