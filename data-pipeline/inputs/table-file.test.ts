// Input tables without a database: the header dictionary in every format
// (Chinese and English headers, a title row, notes in brackets, GB18030
// CSV, formulas and rich text in a workbook), the file's own problems (a
// missing column, two columns for one field, an unknown sheet, an .xls),
// the row checks, and the README's list of accepted headers.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { COLUMN_NAMES, fieldOfHeader } from './column-names.ts';
import { kindResolver } from './center-kinds.ts';
import { checkCenterRows } from './center-rows.ts';
import { checkHouseholdRows } from './household-rows.ts';
import { formatProblem } from './row-problems.ts';
import { readTable } from './table-file.ts';
import { columnLetter, plainValue } from './xlsx-sheet.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'lc-table-'));
const asIs = (lon: number, lat: number): [number, number] => [lon, lat];

async function workbook(name: string, sheets: Record<string, unknown[][]>): Promise<string> {
  const wb = new ExcelJS.Workbook();
  for (const [sheet, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(sheet);
    for (const r of rows) ws.addRow(r);
  }
  const file = path.join(dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}

const centersOf = async (file: string, sheet?: string) => {
  const table = await readTable(file, 'centers', { sheet });
  return checkCenterRows(table, { toWgs84: asIs, kinds: kindResolver([]) });
};
const plain = (c: Awaited<ReturnType<typeof centersOf>>) => c.centers.map(({ where: _, ...rest }) => rest);

describe('the header dictionary', () => {
  it('maps Chinese and English headers, with notes in brackets, case and full width ignored', () => {
    expect(fieldOfHeader('经度(GCJ-02)')).toBe('lon');
    expect(fieldOfHeader('户数（户）')).toBe('households');
    expect(fieldOfHeader(' Community Code ')).toBe('community_code');
    expect(fieldOfHeader('ＬＡＴ')).toBe('lat');
    expect(fieldOfHeader('备注')).toBeUndefined();
  });

  it('gives every alias one field only', () => {
    const seen = new Map<string, string>();
    for (const [field, names] of Object.entries(COLUMN_NAMES)) {
      for (const name of [...names.zh, ...names.en]) {
        expect(seen.get(name), name).toBeUndefined();
        seen.set(name, field);
        expect(fieldOfHeader(name)).toBe(field);
      }
    }
  });

  it('is listed whole in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const [field, names] of Object.entries(COLUMN_NAMES)) {
      const row = readme.split('\n').find((l) => l.startsWith(`| ${field} |`));
      expect(row, `README has a row for ${field}`).toBeDefined();
      for (const name of [...names.zh, ...names.en]) expect(row!.split('|').slice(2, 4).join(',').split(/[,\s]+/), `${field}: ${name}`).toContain(name);
    }
  });
});

describe('tables in every format', () => {
  const zh = [['编码', '名称', '类型', '经度(WGS84)', '纬度', '服务'], ['C1', '城厢党群服务中心', '党群服务中心', 119.01, 25.43, '议事、调解'], ['C2', '综治中心乙', '综治中心', '119.02', '25.44', null]];
  const en = [['code', 'name', 'kind', 'lon', 'lat', 'services'], ['C1', '城厢党群服务中心', 'neighborhood', 119.01, 25.43, '议事|调解'], ['C2', '综治中心乙', 'governance', 119.02, 25.44, '']];

  it('a workbook with Chinese headers and one with English headers give the same rows', async () => {
    const a = await centersOf(await workbook('zh.xlsx', { 说明: [['本表为党群服务中心名录']], 中心: [['莆田市党群服务中心名录'], ...zh] }), '中心');
    const b = await centersOf(await workbook('en.xlsx', { Centers: en }));
    expect(a.problems).toEqual([]);
    expect(b.problems).toEqual([]);
    expect(plain(a)).toEqual(plain(b));
    expect(plain(a)).toEqual([
      { code: 'C1', name: '城厢党群服务中心', kind: 'neighborhood', services: ['议事', '调解'], lon: 119.01, lat: 25.43 },
      { code: 'C2', name: '综治中心乙', kind: 'governance', services: [], lon: 119.02, lat: 25.44 },
    ]);
    expect(a.centers.map((c) => c.where)).toEqual(['sheet "中心" row 3', 'sheet "中心" row 4']);
  });

  it('a CSV in GB18030 (what Chinese Excel saves) reads as the same UTF-8 CSV', async () => {
    const text = zh.map((r) => r.map((v) => v ?? '').join(',')).join('\r\n');
    const utf8 = path.join(dir, 'utf8.csv');
    writeFileSync(utf8, '\uFEFF' + text);
    // GB18030 bytes of the same text, made by round-tripping through a decoder table.
    const gb = path.join(dir, 'gb.csv');
    writeFileSync(gb, encodeGb18030(text));
    expect(readFileSync(gb).equals(Buffer.from(text, 'utf8'))).toBe(false);
    expect(plain(await centersOf(gb))).toEqual(plain(await centersOf(utf8)));
    expect(plain(await centersOf(utf8))[0]!.name).toBe('城厢党群服务中心');
  });

  it('a GeoJSON: properties through the same dictionary, every bad feature named', async () => {
    const file = path.join(dir, 'centers.geojson');
    writeFileSync(file, JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { 名称: '甲', 类型: '综治中心', 编码: 'G1' }, geometry: { type: 'Point', coordinates: [119.01, 25.43] } },
        { type: 'Feature', id: 'c2', properties: { name: '乙', kind: 'police', code: 'G2' }, geometry: { type: 'Point', coordinates: ['x', 25.43] } },
        { type: 'Thing' },
        { type: 'Feature', properties: { name: '丙', kind: 'police', code: 'G1' }, geometry: { type: 'Polygon', coordinates: [[[119, 25.4], [119.002, 25.4], [119.002, 25.402], [119, 25.402], [119, 25.4]]] } },
      ],
    }));
    const checked = await centersOf(file);
    expect(checked.problems.map((p) => formatProblem('c.geojson', p))).toEqual([
      'c.geojson: feature 1 (id c2): invalid coordinate ["x",25.43]: expected [lon, lat] in degrees',
      'c.geojson: feature 2: is not a GeoJSON Feature',
      'c.geojson: feature 3: "code" "G1" is a duplicate: already on feature 0',
    ]);
    expect(checked.counts).toEqual({ read: 4, accepted: 1, refused: 3 });
    expect(plain(checked)).toEqual([{ code: 'G1', name: '甲', kind: 'governance', services: undefined, lon: 119.01, lat: 25.43 }]);
  });

  it('reads formulas by their result and rich text by its text', () => {
    expect(plainValue({ formula: 'A1*2', result: 84 })).toBe(84);
    expect(plainValue({ richText: [{ text: '党群' }, { text: '中心' }] })).toBe('党群中心');
    expect(plainValue({ text: '链接', hyperlink: 'https://example.org' })).toBe('链接');
    expect(plainValue({ error: '#N/A' })).toBe('#N/A');
    expect([0, 25, 26, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'ZZ', 'AAA']);
  });
});

describe("the file's own problems", () => {
  it('a missing column names the accepted headers; two columns for one field are refused', async () => {
    const file = await workbook('missing.xlsx', { S: [['名称', 'name', '类型', '经度'], ['a', 'b', 'police', 7.4]] });
    const { problems } = await centersOf(file);
    expect(problems.map((p) => formatProblem('f.xlsx', p))).toEqual([
      'f.xlsx: sheet "S" row 1 (the header): columns "名称" and "name" both name 名称/name',
      'f.xlsx: file: has no column for 纬度/lat (headers read: "名称", "name", "类型", "经度"; accepted for it: "纬度", "lat", "latitude", "y")',
    ]);
  });

  it('an unknown sheet lists the sheets; an .xls asks for .xlsx; --sheet on a CSV says it needs a workbook', async () => {
    const file = await workbook('sheets.xlsx', { 中心: [['name']], 网格: [['code']] });
    expect((await readTable(file, 'centers', { sheet: '户籍' })).problems[0]!.problem).toBe('has no sheet "户籍" (--sheet); its sheets: "中心", "网格"');
    const xls = path.join(dir, 'old.xls');
    writeFileSync(xls, 'not a workbook');
    expect((await readTable(xls, 'centers')).problems[0]!.problem).toMatch(/old Excel \.xls workbook: save it as \.xlsx/);
    const csv = path.join(dir, 'plain.csv');
    writeFileSync(csv, 'name\nx\n');
    expect((await readTable(csv, 'centers', { sheet: 'x' })).problems[0]!.problem).toMatch(/--sheet names a sheet of an \.xlsx workbook/);
  });

  it('every bad row is named with its sheet, row and column, and counted', async () => {
    const file = await workbook('bad.xlsx', {
      户籍: [
        ['经度', '纬度', '户数', '人口'],
        [119.01, 25.43, 12, 30],
        [119.01, null, 5, null],
        ['东经119', 25.43, 5, null],
        [119.01, 25.43, -3, null],
        [119.01, 25.43, 2.5, 1],
        [119.02, 25.44, '1,234', null],
      ],
    });
    const checked = checkHouseholdRows(await readTable(file, 'households'), { toWgs84: asIs });
    expect(checked.problems.map((p) => [p.sheet, p.row, p.columnLetter, p.column])).toEqual([
      ['户籍', 3, 'B', '纬度'],
      ['户籍', 4, 'A', '经度'],
      ['户籍', 5, 'C', '户数'],
      ['户籍', 6, 'C', '户数'],
    ]);
    expect(formatProblem('h.xlsx', checked.problems[1]!)).toBe('h.xlsx: sheet "户籍" row 4, column A: "经度" is not a number: "东经119"');
    expect(formatProblem('h.xlsx', checked.problems[2]!)).toBe('h.xlsx: sheet "户籍" row 5, column C: "户数" must be a whole number >= 0, got -3');
    expect(checked.counts).toEqual({ read: 6, accepted: 2, refused: 4 });
    expect([...checked.points.households]).toEqual([12, 1234]);
    expect([...checked.points.persons]).toEqual([30, -1]);
  });
});

/** GB18030 bytes of `text`: every character of it looked up by decoding the two-byte GBK range once. */
function encodeGb18030(text: string): Buffer {
  const table = new Map<string, number[]>();
  const decoder = new TextDecoder('gb18030');
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const ch = decoder.decode(Uint8Array.of(hi, lo));
      if (ch.length === 1 && !table.has(ch)) table.set(ch, [hi, lo]);
    }
  }
  const bytes: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) bytes.push(ch.charCodeAt(0));
    else {
      const code = table.get(ch);
      if (!code) throw new Error(`no GBK code for ${ch}`);
      bytes.push(...code);
    }
  }
  return Buffer.from(bytes);
}
