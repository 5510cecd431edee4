/**
 * Reads one sheet of an Excel workbook (.xlsx) as rows of plain values, with
 * the row numbers Excel shows, so errors can name them.
 *
 * Why exceljs: .xlsx is a zip of XML parts (shared strings, styles, cells
 * referenced by address, formulas with cached results, rich text), and
 * planners' workbooks use all of it; writing our own reader means a zip
 * inflater and the SpreadsheetML rules. exceljs is maintained, MIT-licensed,
 * pure JavaScript (nothing to compile), reads and writes xlsx, and is the
 * same library the exports use. It takes ~0.5 s to load, so it is imported
 * only when a workbook is read: `npm run ingest` with CSV or GeoJSON does not
 * pay for it.
 */
import { fileProblem, type RowProblem } from './row-problems.ts';

/** A cell as the table readers see it: text, a number, or nothing. */
export type CellValue = string | number | null;

export interface SheetRow {
  /** Excel's row number (1-based). */
  row: number;
  /** Values by column, 0-based (column A is 0). */
  values: CellValue[];
}

export interface Sheet {
  name: string;
  rows: SheetRow[];
}

/** Column letters as Excel shows them: 0 -> A, 25 -> Z, 26 -> AA. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** A cell's value as text or number: formulas by their cached result, rich text and links by their text, dates as ISO text. */
export function plainValue(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const v = value as { result?: unknown; formula?: unknown; sharedFormula?: unknown; richText?: { text: string }[]; text?: unknown; error?: unknown };
    if ('formula' in v || 'sharedFormula' in v) return plainValue(v.result);
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if (v.text !== undefined) return plainValue(v.text);
    if (typeof v.error === 'string') return v.error; // #N/A, #VALUE!: reported as the text they show
  }
  return String(value);
}

/**
 * The named sheet, or the first one, of `file`; a workbook that cannot be
 * read or has no such sheet is a problem (named, with the sheets there are),
 * not an exception.
 */
export async function readSheet(file: string, sheetName?: string): Promise<{ sheet?: Sheet; problems: RowProblem[] }> {
  if (/\.xls$/i.test(file)) {
    return { problems: [fileProblem('is an old Excel .xls workbook: save it as .xlsx (Excel: 另存为 → Excel 工作簿 (*.xlsx))')] };
  }
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'not found' : `is not a readable .xlsx workbook (${(error as Error).message})`;
    return { problems: [fileProblem(problem)] };
  }
  const names = workbook.worksheets.map((w) => w.name);
  const worksheet = sheetName === undefined ? workbook.worksheets[0] : workbook.worksheets.find((w) => w.name === sheetName);
  if (!worksheet) {
    const problem = sheetName === undefined
      ? 'the workbook has no sheet'
      : `has no sheet "${sheetName}" (--sheet); its sheets: ${names.map((n) => `"${n}"`).join(', ')}`;
    return { problems: [fileProblem(problem)] };
  }
  const rows: SheetRow[] = [];
  worksheet.eachRow({ includeEmpty: false }, (row, number) => {
    const values: CellValue[] = [];
    // row.values is 1-based (index 0 unused), sparse where cells are empty.
    const raw = row.values as unknown[];
    for (let c = 1; c < raw.length; c++) {
      const v = plainValue(raw[c]);
      values[c - 1] = typeof v === 'string' && v.trim() === '' ? null : v;
    }
    for (let c = 0; c < values.length; c++) if (values[c] === undefined) values[c] = null;
    if (values.some((v) => v !== null)) rows.push({ row: number, values });
  });
  return { sheet: { name: worksheet.name, rows }, problems: [] };
}
