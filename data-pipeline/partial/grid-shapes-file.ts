/**
 * A grids GeoJSON for a partial update: the full import's reader
 * (inputs/grids-file.ts) with its problems as named rows instead of a throw,
 * and the household totals hook: a file whose features carry 户数/households
 * or 人口/persons is refused until spreading grid totals is wired into
 * partial updates (inputs/grid-attribute-rows.ts gridTotalsNotYet).
 */
import { readFileSync } from 'node:fs';
import type { GridRow } from '../../kernel/import-bundle.ts';
import type { ToWgs84 } from '../inputs/chinese-crs.ts';
import { fieldLabel, fieldOfHeader } from '../inputs/column-names.ts';
import { gridTotalsNotYet } from '../inputs/grid-attribute-rows.ts';
import { readGridsFile } from '../inputs/grids-file.ts';
import { InputError } from '../inputs/input-error.ts';
import { fileProblem, type RowCounts, type RowProblem } from '../inputs/row-problems.ts';

export function readGridShapes(file: string, toWgs84: ToWgs84): { grids: GridRow[]; problems: RowProblem[]; counts: RowCounts } {
  let grids: GridRow[] = [];
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
  if (problems.length === 0) {
    const totals = new Set<string>();
    for (const f of features) {
      for (const key of Object.keys(f.properties ?? {})) {
        const field = fieldOfHeader(key);
        if (field === 'households' || field === 'persons') totals.add(fieldLabel(field));
      }
    }
    if (totals.size > 0) problems.push(fileProblem(gridTotalsNotYet([...totals].join(', '))));
  }
  // The reader stops at the first bad feature: at most one row is named.
  const refused = problems.some((p) => p.row > 0) ? 1 : 0;
  const read = Array.isArray(features) ? features.length : 0;
  return { grids, problems, counts: { read, accepted: read - refused, refused } };
}
