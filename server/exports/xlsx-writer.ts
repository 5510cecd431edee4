/**
 * A table as an Excel workbook (.xlsx): one sheet with a bold header row
 * that stays in view (frozen) and carries a filter, numbers as numbers with
 * a number format per column type (a share stays its 0-1 value and shows
 * as a percentage), text as text (so a code such as 350302001001 keeps
 * every digit instead of turning into 3.50302E+11), null as an empty cell,
 * and each column as wide as its widest entry.
 *
 * Why exceljs: it is maintained, pure JavaScript (no native build), writes
 * the styles this needs (bold, frozen panes, number formats, widths) and
 * reads workbooks too, which the import of centers and households from
 * Excel uses as well; SheetJS's community build on npm is years behind its
 * own releases and leaves styles out. It is loaded on the first xlsx asked
 * for: importing it takes about a second, which no server start should pay
 * for an export nobody may ask for.
 */
import type { Cell, ColumnType, Table } from './table.ts';

/** The xlsx media type. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Excel number formats by column type; text columns are left as they are ('@' would only make typing into them awkward). */
export const NUMBER_FORMATS: Record<Exclude<ColumnType, 'text'>, string> = {
  count: '#,##0',
  seconds: '#,##0.0',
  share: '0.0%',
  minutes: '0',
};

/** Column widths in Excel's character units, at least and at most. */
const MIN_WIDTH = 8;
const MAX_WIDTH = 60;

/** The width a text takes in Excel's default font: East Asian wide characters take two units. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) || ch.codePointAt(0)! > 0xffff ? 2 : 1;
  return width;
}

/** How wide a cell shows: text as it is; numbers about as their format prints them. */
function cellWidth(value: Cell, type: ColumnType): number {
  if (value === null) return 0;
  if (typeof value === 'string') return displayWidth(value);
  if (type === 'share') return 6; // "100.0%"
  const digits = Math.abs(Math.trunc(value)).toString().length;
  return digits + Math.floor((digits - 1) / 3) + (type === 'seconds' ? 2 : 0) + (value < 0 ? 1 : 0);
}

/**
 * Text as a cell keeps it: line breaks as Excel's LF (XML would fold a CR
 * away), and a literal `_xHHHH_` escaped as `_x005F_xHHHH_`, which Excel
 * and exceljs would otherwise read as the character HHHH. (Control
 * characters XML cannot hold are dropped by exceljs.)
 */
export function sheetText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_');
}

/** A cell as the sheet gets it: text through sheetText, a number that is not finite empty. */
function sheetCell(value: Cell): Cell {
  if (typeof value === 'string') return sheetText(value);
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

/** Workbook properties Excel shows under File > Info. */
export interface WorkbookInfo {
  title: string;
  /** Where the figures come from, e.g. the request and the data version. */
  description: string;
}

type ExcelJs = typeof import('exceljs');
let excelJs: Promise<ExcelJs> | undefined;
/** exceljs, imported once on first use (see the header). */
function loadExcelJs(): Promise<ExcelJs> {
  // A failed import is not remembered: the next export tries again.
  excelJs ??= import('exceljs').then((m) => ((m as { default?: ExcelJs }).default ?? m) as ExcelJs).catch((error: unknown) => {
    excelJs = undefined;
    throw error;
  });
  return excelJs;
}

/** The table as .xlsx bytes. */
export async function xlsxBytes(table: Table, info: WorkbookInfo): Promise<Uint8Array> {
  const ExcelJS = await loadExcelJs();
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '15-minute living circle';
  workbook.created = new Date();
  workbook.title = info.title;
  workbook.description = info.description;
  const sheet = workbook.addWorksheet(table.sheet, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  sheet.columns = table.columns.map((column, i) => {
    let width = displayWidth(column.header);
    for (const row of table.rows) width = Math.max(width, cellWidth(row[i] ?? null, column.type));
    return {
      key: `c${i}`,
      width: Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width + 2)),
      ...(column.type === 'text' ? {} : { style: { numFmt: NUMBER_FORMATS[column.type] } }),
    };
  });
  const header = sheet.addRow(table.columns.map((c) => sheetText(c.header)));
  header.font = { bold: true };
  // Null stays an empty cell: exceljs leaves a null value out of the sheet.
  sheet.addRows(table.rows.map((row) => row.map(sheetCell)));
  if (table.columns.length > 0) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
