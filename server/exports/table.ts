/**
 * A table ready to be written out: a sheet name, typed columns with their
 * headers already in the reader's language, and rows of plain cells. The
 * CSV and xlsx writers take nothing else, so a new export is a mapping from
 * its JSON answer to this shape (export-tables.ts) and nothing more.
 */

/**
 * What a column holds, which decides how it is written: text stays text
 * (CSV guards it against formula injection), numbers are written as they
 * are; xlsx gives each type its number format (counts with thousands
 * separators, shares as percentages of the same 0-1 value, seconds to 0.1).
 */
export type ColumnType = 'text' | 'count' | 'seconds' | 'share' | 'minutes';

export interface TableColumn {
  header: string;
  type: ColumnType;
}

/** A cell: text, a number, or null for "no value" (an empty cell). */
export type Cell = string | number | null;

export interface Table {
  /** The worksheet's name (at most 31 characters, none of : \ / ? * [ ]). */
  sheet: string;
  columns: TableColumn[];
  /** Each row has one cell per column. */
  rows: Cell[][];
}

/** The export formats besides the JSON answer. */
export type TableFormat = 'csv' | 'xlsx';
