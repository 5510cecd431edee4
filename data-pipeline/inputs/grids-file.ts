/**
 * Grids from a GeoJSON file of Polygon/MultiPolygon features with `code`
 * (required, unique), `name`, `officers`, and the parent chain
 * `community_code`, `street_code`, `district_code` where known, and
 * optionally the grid's totals `households` and `persons` (or 户数 and 人口),
 * which the import spreads over the grid (grid-totals.ts). Every vertex is
 * converted to WGS84 by `toWgs84` (the file's --crs).
 */
import type { ToWgs84 } from './chinese-crs.ts';
import type { GridRow } from '../../kernel/import-bundle.ts';
import { featureMultiPolygon, readFeatureCollection } from './geojson.ts';
import { InputError } from './input-error.ts';

/** A grid from the file: the stored row and the totals the import spreads (null where the file gives none). */
export interface GridFileRow extends GridRow {
  households: number | null;
  persons: number | null;
}

/** The names a grid total may have, as a property or a column: English first, then Chinese. */
export const GRID_TOTAL_NAMES = {
  households: ['households', '户数'],
  persons: ['persons', '人口'],
} as const;

/** A whole number >= 0 under any of `names` (null when absent or empty); two names that disagree are an error. */
export function gridTotal(values: Record<string, unknown>, names: readonly string[], file: string, where: string): number | null {
  let found: { name: string; value: number } | null = null;
  for (const name of names) {
    const raw = values[name];
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) continue;
    const value = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new InputError(file, where, `"${name}" must be a whole number >= 0, got ${JSON.stringify(raw)}`);
    }
    if (found && found.value !== value) throw new InputError(file, where, `"${found.name}" (${found.value}) and "${name}" (${value}) disagree`);
    found = { name, value };
  }
  return found && found.value;
}

/** The grid's totals; persons only with households, since it is the household total that is spread. */
export function gridTotals(values: Record<string, unknown>, file: string, where: string): { households: number | null; persons: number | null } {
  const households = gridTotal(values, GRID_TOTAL_NAMES.households, file, where);
  const persons = gridTotal(values, GRID_TOTAL_NAMES.persons, file, where);
  if (persons !== null && households === null) throw new InputError(file, where, '"persons" is given without "households" (户数): the household total is what is spread over the grid');
  if (persons !== null && persons > 0 && households === 0) throw new InputError(file, where, `"persons" is ${persons} but "households" is 0`);
  return { households, persons };
}

function optionalCode(value: unknown): string | null {
  return value === undefined || value === null || value === '' ? null : String(value);
}

export function readGridsFile(file: string, toWgs84?: ToWgs84): GridFileRow[] {
  const seen = new Set<string>();
  return readFeatureCollection(file).map((feature) => {
    const p = feature.properties;
    const code = optionalCode(p.code);
    if (!code) throw new InputError(file, feature.where, '"code" is missing');
    if (seen.has(code)) throw new InputError(file, feature.where, `duplicate grid code "${code}"`);
    seen.add(code);
    const officers = p.officers === undefined ? 0 : Number(p.officers);
    if (!Number.isInteger(officers) || officers < 0) {
      throw new InputError(file, feature.where, `"officers" must be a whole number >= 0, got ${JSON.stringify(p.officers)}`);
    }
    return {
      code,
      name: typeof p.name === 'string' && p.name ? p.name : code,
      districtCode: optionalCode(p.district_code),
      streetCode: optionalCode(p.street_code),
      communityCode: optionalCode(p.community_code),
      officers,
      geom: featureMultiPolygon(feature, file, toWgs84),
      ...gridTotals(p, file, feature.where),
    };
  });
}
