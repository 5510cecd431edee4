/**
 * Errors that name the row: every bad row of an input table is reported
 * with where it is (the sheet and row of a workbook, the line of a CSV, the
 * feature of a GeoJSON), the column as its header reads, and what is wrong,
 * all of them at once rather than the first only, so a planner fixes the
 * file in one go. With any problem nothing is written (RowsRefused).
 */

/** Where a row is in its file. */
export interface RowPlace {
  /** The workbook sheet (xlsx only). */
  sheet?: string;
  /** The row number as the file shows it: a sheet's row, a CSV's line (the header is 1); a GeoJSON feature's index + 1. 0: the file itself. */
  row: number;
  /** "sheet 中心 row 5", "line 5", "feature 3 (id c3)": for messages. */
  where: string;
}

export interface RowProblem extends RowPlace {
  /** The column as the file names it (its header), where one column is at fault. */
  column?: string;
  /** The column's letter in a workbook (A, B, ... AA). */
  columnLetter?: string;
  /** What is wrong; it names the column by its header in quotes where one is at fault ("\"户数\" must be ..."). */
  problem: string;
}

/** What a table reader made of its rows. */
export interface RowCounts {
  /** Data rows read (blank rows of a sheet not counted). */
  read: number;
  accepted: number;
  /** Rows with at least one problem. */
  refused: number;
}

/** One problem as a line: `file: sheet "中心" row 5, column C: "经度" is not a number: "abc"`. */
export function formatProblem(file: string, p: RowProblem): string {
  return `${file}: ${p.where}${p.columnLetter ? `, column ${p.columnLetter}` : ''}: ${p.problem}`;
}

/** A problem that is not the file's rows' (a file that cannot be read, a missing column). */
export function fileProblem(problem: string): RowProblem {
  return { row: 0, where: 'file', problem };
}

/** The rows of `problems` that are refused: distinct by sheet and row. */
export function refusedRows(problems: readonly RowProblem[]): number {
  return new Set(problems.filter((p) => p.row > 0).map((p) => `${p.sheet ?? ''}\u0000${p.row}`)).size;
}

/** Thrown when an input has bad rows: the message lists every problem and the summary; nothing has been written. */
export class RowsRefused extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly RowProblem[],
    readonly counts: RowCounts,
  ) {
    const lines = problems.map((p) => formatProblem(file, p));
    lines.push(`${counts.read} rows read, ${counts.accepted} accepted, ${counts.refused} refused; nothing was written`);
    super(lines.join('\n'));
    this.name = 'RowsRefused';
  }
}
