/**
 * Grid attributes from a table (CSV or sheet): per grid code, its name,
 * officers and parent chain (community, street, district codes). Cells left
 * empty keep what is stored. Every row is checked: a code used once and
 * known to the stored grids, officers a whole number >= 0.
 *
 * Household totals per grid ("户数/households", "人口/persons") are for
 * spreading over the grid's buildings (issue 14 item 6), which a partial
 * update does not do yet: a table with them is refused with that reason
 * (the hook is `gridTotalsNotYet`), rather than their being ignored.
 */
import { fieldLabel } from './column-names.ts';
import type { RowCounts, RowProblem } from './row-problems.ts';
import { fileProblem, refusedRows } from './row-problems.ts';
import { flaggedRows, RowReader } from './row-values.ts';
import { lacksRequired, type Table } from './table-file.ts';

/** The attributes a row sets; absent ones stay as stored. */
export interface GridAttributes {
  where: string;
  code: string;
  name?: string;
  officers?: number;
  communityCode?: string;
  streetCode?: string;
  districtCode?: string;
}

export interface CheckedGridAttributes {
  grids: GridAttributes[];
  problems: RowProblem[];
  counts: RowCounts;
}

/**
 * HOOK (issue 14 item 6): a grids file with household totals. Spreading
 * them over the grid's residential buildings (data-pipeline/grid-totals.ts,
 * built separately) is not wired into partial updates yet; until it is, the
 * update says so and writes nothing.
 */
export function gridTotalsNotYet(columns: string): string {
  return `carries household totals per grid (${columns}): spreading them over each grid's buildings is not available in a partial --grids update yet; ` +
    'remove those columns to update the other attributes, or import the city again with --osm and this grids file';
}

export function checkGridAttributeRows(table: Table, storedCodes: ReadonlySet<string>): CheckedGridAttributes {
  const problems: RowProblem[] = [...table.problems];
  const flagged = flaggedRows(table.problems);
  const totals = (['households', 'persons'] as const).filter((f) => table.fields.has(f));
  if (totals.length > 0) problems.push(fileProblem(gridTotalsNotYet(totals.map(fieldLabel).join(', '))));
  const grids: GridAttributes[] = [];
  const firstOf = new Map<string, string>();
  // A missing column is one problem, not one per row.
  if (lacksRequired(table, 'grids')) return { grids, problems, counts: { read: table.rows.length, accepted: 0, refused: 0 } };
  for (const row of table.rows) {
    if (flagged.has(row.where)) continue;
    const r = new RowReader(row, problems);
    const code = r.requiredText('code');
    if (code !== undefined) {
      const first = firstOf.get(code);
      if (first !== undefined) r.fail('code', `${r.label('code')} "${code}" is a duplicate: already on ${first}`);
      else if (!storedCodes.has(code)) r.fail('code', `${r.label('code')} "${code}": no stored grid has this code (a grid attributes table updates existing grids; new grid shapes come as GeoJSON polygons)`);
      else firstOf.set(code, row.where);
    }
    const officers = r.count('officers', false);
    if (!r.ok || code === undefined) continue;
    const g: GridAttributes = { where: row.where, code };
    const name = r.text('name');
    if (name !== undefined) g.name = name;
    if (officers >= 0) g.officers = officers;
    const community = r.text('community_code');
    if (community !== undefined) g.communityCode = community;
    const street = r.text('street_code');
    if (street !== undefined) g.streetCode = street;
    const district = r.text('district_code');
    if (district !== undefined) g.districtCode = district;
    grids.push(g);
  }
  return { grids, problems, counts: { read: table.rows.length, accepted: grids.length, refused: refusedRows(problems) } };
}
