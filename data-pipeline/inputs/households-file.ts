/**
 * Household units for a full import, from a CSV, an .xlsx sheet or a
 * GeoJSON (Points, or building Polygons by their vertex mean), replacing the
 * estimate from OSM buildings. Columns by the header dictionary
 * (column-names.ts: 经度/lon, 纬度/lat, 户数/households, 人口/persons,
 * 编码/code). Positions are converted to WGS84 by `toWgs84` (the file's
 * --crs). Every bad row is reported at once (RowsRefused). Grid assignment
 * happens later, as for any households.
 */
import type { ToWgs84 } from './chinese-crs.ts';
import { checkHouseholdRows, type HouseholdPoints } from './household-rows.ts';
import { RowsRefused } from './row-problems.ts';
import { readTable } from './table-file.ts';

export type { HouseholdPoints } from './household-rows.ts';

const asIs: ToWgs84 = (lon, lat) => [lon, lat];

export async function readHouseholdsFile(file: string, toWgs84: ToWgs84 = asIs, sheet?: string): Promise<HouseholdPoints> {
  const table = await readTable(file, 'households', { sheet, toWgs84 });
  const checked = checkHouseholdRows(table, { toWgs84 });
  if (checked.problems.length > 0) throw new RowsRefused(file, checked.problems, checked.counts);
  return checked.points;
}
