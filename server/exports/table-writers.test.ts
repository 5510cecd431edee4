/**
 * The CSV and xlsx writers and the download's file name, read back as a
 * spreadsheet would (test/table-export-fixture.ts): CSV with its byte-order
 * mark, RFC 4180 quoting, CRLF record ends, numbers exactly as they are and
 * formula-like text kept as text; xlsx with the same cells (numbers as
 * numbers, codes as text), a bold frozen header with a filter, a number
 * format per column type and sensible widths, rendered alike in the worker;
 * Content-Disposition with an ASCII fallback and the UTF-8 name.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fileNamesOf, parseCsv, readXlsx } from '../../test/table-export-fixture.ts';
import { HeavyWorkFull } from '../limits/heavy-work.ts';
import { csvBytes, UTF8_BOM } from './csv-writer.ts';
import { contentDisposition } from './export-format.ts';
import type { Table } from './table.ts';
import { XlsxRunner } from './xlsx-runner.ts';
import { NUMBER_FORMATS, xlsxBytes } from './xlsx-writer.ts';

const TABLE: Table = {
  sheet: '覆盖率',
  columns: [
    { header: '代码', type: 'text' },
    { header: '名称', type: 'text' },
    { header: '户数', type: 'count' },
    { header: '15 分钟覆盖率', type: 'share' },
    { header: '最长步行时间（秒）', type: 'seconds' },
    { header: '生活圈（分钟）', type: 'minutes' },
  ],
  rows: [
    ['350302001001', '城厢区, "龙桥" 街道', 1234567, 0.1 + 0.2, 612.3, 15],
    ['0042', '=HYPERLINK("http://x")', 0, 1e-7, null, 5],
    [null, 'two\r\nlines', 3, null, 0, 10],
    ['-1', '+1 @home', 12, 1, 1800.5, 15],
    ['x', 'not_x0041_an escape', 7, 0.5, 60, 15],
  ],
};
/** The rows as a sheet holds them: a line break is Excel's LF. */
const SHEET_ROWS = TABLE.rows.map((row) => row.map((v) => (typeof v === 'string' ? v.replace(/\r\n/g, '\n') : v)));

const decode = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

describe('CSV', () => {
  const bytes = csvBytes(TABLE);
  const text = decode(bytes.subarray(3));

  it('starts with the UTF-8 byte-order mark and ends every record with CRLF', () => {
    expect([...bytes.subarray(0, 3)]).toEqual([...UTF8_BOM]);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/"[^"]*"/g, '').match(/\n/g)!.length).toBe(TABLE.rows.length + 1);
  });

  it('reads back as the same fields: quoted where needed, numbers as JavaScript prints them, formulas as text', () => {
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(TABLE.columns.map((c) => c.header));
    expect(rows.slice(1)).toEqual([
      ['350302001001', '城厢区, "龙桥" 街道', '1234567', '0.30000000000000004', '612.3', '15'],
      ['0042', `'=HYPERLINK("http://x")`, '0', '1e-7', '', '5'],
      ['', 'two\r\nlines', '3', '', '0', '10'],
      [`'-1`, `'+1 @home`, '12', '1', '1800.5', '15'],
      ['x', 'not_x0041_an escape', '7', '0.5', '60', '15'],
    ]);
    // Quotes only where RFC 4180 needs them.
    expect(text.split('\r\n')[1]).toBe('350302001001,"城厢区, ""龙桥"" 街道",1234567,0.30000000000000004,612.3,15');
  });
});

describe('xlsx', () => {
  const runner = new XlsxRunner(1);
  afterAll(() => runner.close());

  it('reads back with the same cells, a bold frozen header with a filter, a format per type and sensible widths', async () => {
    const sheet = await readXlsx(await xlsxBytes(TABLE, { title: '覆盖率-区县', description: 'GET /api/coverage?level=district' }));
    expect(sheet.names).toEqual(['覆盖率']);
    expect(sheet.rows[0]).toEqual(TABLE.columns.map((c) => c.header));
    // Text stays text (no apostrophe: a cell typed as text is never a formula), numbers are numbers to the last bit.
    expect(sheet.rows.slice(1)).toEqual(SHEET_ROWS);
    expect(sheet.headerBold).toBe(true);
    expect(sheet.frozenRows).toBe(1);
    expect(sheet.autoFilter).toBe('A1:F1');
    expect(sheet.formats).toEqual([undefined, undefined, NUMBER_FORMATS.count, NUMBER_FORMATS.share, NUMBER_FORMATS.seconds, NUMBER_FORMATS.minutes]);
    expect(NUMBER_FORMATS.share).toMatch(/%$/);
    // Wide enough for the widest entry (a Chinese character takes two units), within bounds.
    expect(sheet.widths[0]).toBeGreaterThanOrEqual('350302001001'.length);
    expect(sheet.widths[1]).toBeGreaterThanOrEqual(2 * 6 + 6);
    for (const w of sheet.widths) expect(w).toBeGreaterThanOrEqual(8), expect(w).toBeLessThanOrEqual(60);
    expect(sheet.title).toBe('覆盖率-区县');
    expect(sheet.description).toBe('GET /api/coverage?level=district');
  });

  it('renders alike in its worker thread, one table at a time, and refuses beyond its queue', async () => {
    const info = { title: 't', description: 'd' };
    const [a, b, c] = await Promise.allSettled([runner.render(TABLE, info), runner.render({ ...TABLE, sheet: 'Second' }, info), runner.render(TABLE, info)]);
    expect(a.status).toBe('fulfilled');
    expect(b.status).toBe('fulfilled');
    // One renders, one (the queue's size) waits: the third is refused at once.
    expect(c.status === 'rejected' && c.reason).toBeInstanceOf(HeavyWorkFull);
    const first = await readXlsx((a as PromiseFulfilledResult<Uint8Array>).value);
    expect(first.rows.slice(1)).toEqual(SHEET_ROWS);
    expect((await readXlsx((b as PromiseFulfilledResult<Uint8Array>).value)).names).toEqual(['Second']);
  }, 60_000);
});

describe('Content-Disposition', () => {
  it('names the file in ASCII and in UTF-8', () => {
    const header = contentDisposition({ ascii: 'coverage-district-15min-2026-12-07', utf8: '覆盖率-区县-15分钟-2026-12-07' }, 'csv');
    expect(fileNamesOf(header)).toEqual({ attachment: true, ascii: 'coverage-district-15min-2026-12-07.csv', utf8: '覆盖率-区县-15分钟-2026-12-07.csv' });
    expect(header).toMatch(/^[\x20-\x7e]+$/);
  });

  it('keeps the ASCII name plain and percent-encodes what RFC 8187 does not allow', () => {
    const header = contentDisposition({ ascii: 'a "b"\\c;d', utf8: "it's (1) *" }, 'xlsx');
    expect(fileNamesOf(header)).toEqual({ attachment: true, ascii: 'a_b_c_d.xlsx', utf8: "it's (1) *.xlsx" });
    expect(header).toContain("filename*=UTF-8''it%27s%20%281%29%20%2A.xlsx");
  });
});
