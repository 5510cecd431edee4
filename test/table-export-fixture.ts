/**
 * Reading exports back the way a spreadsheet would, written apart from the
 * writers so that it can catch them out: an RFC 4180 CSV parser, an xlsx
 * reader (exceljs) that returns the cells with their types, the header's
 * font, the frozen pane and each column's number format, and the cell a
 * JSON value should become in CSV.
 */
import ExcelJS from 'exceljs';

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF record ends) into records of fields; throws on a bare LF or a stray quote. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') {
      if (field !== '' || wasQuoted) throw new Error(`a quote inside an unquoted field at ${i}`);
      quoted = wasQuoted = true;
    } else if (c === ',') row.push(field), (field = ''), (wasQuoted = false);
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), (wasQuoted = false), i++;
    else if (c === '\n' || c === '\r') throw new Error(`a line break that is not CRLF at ${i}`);
    else field += c;
  }
  if (quoted) throw new Error('an unclosed quote');
  if (field !== '' || row.length > 0) throw new Error('the last record has no CRLF');
  return rows;
}

/** The text a JSON value should be in the CSV: numbers as JavaScript prints them, null empty, text a spreadsheet would run as a formula behind an apostrophe (OWASP). */
export function csvCellOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export interface ReadSheet {
  names: string[];
  /** The first sheet's cells, by row, with null for an empty cell. */
  rows: (string | number | null)[][];
  headerBold: boolean;
  frozenRows: number | undefined;
  /** The number format of each column's cells in the second row. */
  formats: (string | undefined)[];
  widths: (number | undefined)[];
  autoFilter: unknown;
  title: string;
  description: string;
}

/** An xlsx file's first sheet as cells (numbers as numbers, text as text). */
export async function readXlsx(bytes: Uint8Array): Promise<ReadSheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as never);
  const sheet = workbook.worksheets[0]!;
  const width = sheet.columnCount;
  const rows: (string | number | null)[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const cells: (string | number | null)[] = [];
    for (let c = 1; c <= width; c++) {
      const value = row.getCell(c).value;
      if (value !== null && value !== undefined && typeof value !== 'string' && typeof value !== 'number') throw new Error(`cell ${row.number}:${c} is ${JSON.stringify(value)}, not text or a number`);
      cells.push(value ?? null);
    }
    rows.push(cells);
  });
  const view = sheet.views[0] as { state?: string; ySplit?: number } | undefined;
  return {
    names: workbook.worksheets.map((s) => s.name),
    rows,
    headerBold: Array.from({ length: width }, (_, i) => sheet.getRow(1).getCell(i + 1).font?.bold === true).every(Boolean),
    frozenRows: view?.state === 'frozen' ? view.ySplit : undefined,
    formats: Array.from({ length: width }, (_, i) => sheet.getRow(2).getCell(i + 1).numFmt || undefined),
    widths: Array.from({ length: width }, (_, i) => sheet.getColumn(i + 1).width),
    autoFilter: sheet.autoFilter,
    title: workbook.title,
    description: workbook.description,
  };
}

/** The file name a Content-Disposition gives: its ASCII `filename` and its decoded `filename*`. */
export function fileNamesOf(disposition: string | null): { attachment: boolean; ascii: string | undefined; utf8: string | undefined } {
  const text = disposition ?? '';
  const ascii = /(?:^|;)\s*filename="([^"]*)"/.exec(text)?.[1];
  const ext = /(?:^|;)\s*filename\*=UTF-8''([^;\s]+)/.exec(text)?.[1];
  return { attachment: /^attachment(;|$)/.test(text), ascii, utf8: ext === undefined ? undefined : decodeURIComponent(ext) };
}
