/**
 * Grids from a GeoJSON file of Polygon/MultiPolygon features with `code`
 * (required, unique), `name`, `officers`, and the parent chain
 * `community_code`, `street_code`, `district_code` where known. Every vertex
 * is converted to WGS84 by `toWgs84` (the file's --crs).
 */
import type { ToWgs84 } from './chinese-crs.ts';
import type { GridRow } from '../../kernel/import-bundle.ts';
import { featureMultiPolygon, readFeatureCollection } from './geojson.ts';
import { InputError } from './input-error.ts';

function optionalCode(value: unknown): string | null {
  return value === undefined || value === null || value === '' ? null : String(value);
}

export function readGridsFile(file: string, toWgs84?: ToWgs84): GridRow[] {
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
    };
  });
}
