/**
 * Household units from a table (CSV, sheet or GeoJSON points and building
 * footprints; table-file.ts): a position inside the city, a whole household
 * count >= 0 and optionally persons, every bad row recorded with its row and
 * column. Units come out as typed arrays (one entry per unit), as every
 * per-household structure here.
 */
import type { ToWgs84 } from './chinese-crs.ts';
import type { RowCounts, RowPlace, RowProblem } from './row-problems.ts';
import { refusedRows } from './row-problems.ts';
import { flaggedRows, RowReader, type CityBounds } from './row-values.ts';
import { lacksRequired, type Table } from './table-file.ts';

export interface HouseholdPoints {
  count: number;
  lon: Float64Array;
  lat: Float64Array;
  households: Int32Array;
  /** -1 where the file does not say. */
  persons: Int32Array;
  /** The unit's code in the file, or where it is ("line 12", "feature 3"). */
  sourceIds: string[];
}

export interface CheckedHouseholds {
  points: HouseholdPoints;
  /** Where unit i's row is, for problems found later (a unit outside every grid). */
  placeOf(i: number): RowPlace;
  problems: RowProblem[];
  counts: RowCounts;
}

export function checkHouseholdRows(table: Table, options: { toWgs84: ToWgs84; bounds?: CityBounds }): CheckedHouseholds {
  const problems: RowProblem[] = [...table.problems];
  const flagged = flaggedRows(table.problems);
  const n = table.rows.length;
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  const households = new Int32Array(n);
  const persons = new Int32Array(n);
  const sourceIds: string[] = [];
  // Per unit, the index of its row in the table (typed, like every per-household array).
  const rowIndex = new Int32Array(n);
  let k = 0;
  // A missing column is one problem, not one per row.
  const rows = lacksRequired(table, 'households') ? [] : table.rows;
  rows.forEach((row, index) => {
    if (flagged.has(row.where)) return;
    const r = new RowReader(row, problems);
    const position = r.position(options.toWgs84, options.bounds);
    const h = r.count('households', true);
    const p = r.count('persons', false);
    if (!r.ok || !position) return;
    rowIndex[k] = index;
    lon[k] = position[0];
    lat[k] = position[1];
    households[k] = h;
    persons[k] = p;
    sourceIds.push(r.text('code') ?? row.where);
    k++;
  });
  const points: HouseholdPoints = {
    count: k,
    lon: lon.slice(0, k),
    lat: lat.slice(0, k),
    households: households.slice(0, k),
    persons: persons.slice(0, k),
    sourceIds,
  };
  const placeOf = (i: number): RowPlace => {
    const { sheet, row, where } = table.rows[rowIndex[i]!]!;
    return { ...(sheet === undefined ? {} : { sheet }), row, where };
  };
  return { points, placeOf, problems, counts: { read: n, accepted: k, refused: refusedRows(problems) } };
}
