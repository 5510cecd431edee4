/**
 * A table as CSV that Excel opens cleanly: UTF-8 with a byte-order mark
 * (without it Excel reads UTF-8 as the system's code page, and Chinese
 * names come out garbled), RFC 4180 quoting (a field with a comma, a quote
 * or a line break in quotes, quotes doubled), CRLF after every record, the
 * header first. Numbers are written as JavaScript prints them, with no
 * grouping or rounding, so they read back exactly; null is an empty field.
 */
import type { Cell, Table } from './table.ts';

/** U+FEFF as UTF-8. */
export const UTF8_BOM = Uint8Array.of(0xef, 0xbb, 0xbf);

/**
 * Text a spreadsheet would run as a formula (a first character of = + - @,
 * or a tab or carriage return before one) gets a leading apostrophe, as
 * OWASP's CSV-injection advice says: a center named "=HYPERLINK(...)" by
 * whoever may write names must not become a live link in a planner's Excel.
 * Only text cells: numbers are numbers, and a negative one is no formula.
 */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One field: numbers as they are, text guarded and quoted when it must be. */
export function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = guardFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The table as CSV bytes: BOM, header, one record per row, CRLF after each. */
export function csvBytes(table: Table): Uint8Array {
  const lines = [table.columns.map((c) => csvField(c.header)).join(',')];
  for (const row of table.rows) lines.push(row.map(csvField).join(','));
  const body = new TextEncoder().encode(`${lines.join('\r\n')}\r\n`);
  const out = new Uint8Array(UTF8_BOM.length + body.length);
  out.set(UTF8_BOM);
  out.set(body, UTF8_BOM.length);
  return out;
}
