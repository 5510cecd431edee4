/**
 * Grid attributes from a table (CSV or sheet): per grid code, its name,
 * officers and parent chain (community, street, district codes). Cells left
 * empty keep what is stored. Every row is checked: a code used once and
 * known to the stored grids, officers a whole number >= 0.
 *
 * Household totals per grid ("户数/households", "人口/persons") are spread
 * over the grid's stored buildings or streets by the partial update
 * (partial/grid-totals-update.ts, issue 14 item 6); a row without them keeps
 * the grid's units. Persons only with households, as in a grids GeoJSON.
 */
import type { RowCounts, RowProblem } from './row-problems.ts';
import { refusedRows } from './row-problems.ts';
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
  /** The grid's household total, spread over it; absent: its units stay. */
  households?: number;
  /** Its persons total (only with households). */
  persons?: number;
}

export interface CheckedGridAttributes {
  grids: GridAttributes[];
  problems: RowProblem[];
  counts: RowCounts;
}

export function checkGridAttributeRows(table: Table, storedCodes: ReadonlySet<string>): CheckedGridAttributes {
  const problems: RowProblem[] = [...table.problems];
  const flagged = flaggedRows(table.problems);
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
    const households = r.count('households', false);
    const persons = r.count('persons', false);
    if (persons >= 0 && r.text('households') === undefined) r.fail('persons', `${r.label('persons')} is given without households (户数): the household total is what is spread over the grid`);
    else if (persons > 0 && households === 0) r.fail('persons', `${r.label('persons')} is ${persons} but households (户数) is 0`);
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
    if (households >= 0) g.households = households;
    if (persons >= 0) g.persons = persons;
    grids.push(g);
  }
  return { grids, problems, counts: { read: table.rows.length, accepted: grids.length, refused: refusedRows(problems) } };
}
