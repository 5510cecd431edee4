/**
 * A grids GeoJSON for a partial update: the full import's reader
 * (inputs/grids-file.ts) with its problems as named rows instead of a throw,
 * each grid with its household totals (户数/households, 人口/persons) where
 * the file gives them, which the update spreads (grid-totals-update.ts).
 */
import { readFileSync } from 'node:fs';
import type { ToWgs84 } from '../inputs/chinese-crs.ts';
import { readGridsFile, type GridFileRow } from '../inputs/grids-file.ts';
import { InputError } from '../inputs/input-error.ts';
import type { RowCounts, RowProblem } from '../inputs/row-problems.ts';

export function readGridShapes(file: string, toWgs84: ToWgs84): { grids: GridFileRow[]; problems: RowProblem[]; counts: RowCounts } {
  let grids: GridFileRow[] = [];
  const problems: RowProblem[] = [];
  try {
    grids = readGridsFile(file, toWgs84);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const row = /^feature (\d+)/.exec(error.where);
    problems.push({ row: row ? Number(row[1]) + 1 : 0, where: error.where, problem: error.problem });
  }
  let features: { properties?: Record<string, unknown> | null }[] = [];
  try {
    features = (JSON.parse(readFileSync(file, 'utf8')) as { features: typeof features }).features ?? [];
  } catch {
    // Reported above by the reader.
  }
  // The reader stops at the first bad feature: at most one row is named.
  const refused = problems.some((p) => p.row > 0) ? 1 : 0;
  const read = Array.isArray(features) ? features.length : 0;
  return { grids, problems, counts: { read, accepted: read - refused, refused } };
}
