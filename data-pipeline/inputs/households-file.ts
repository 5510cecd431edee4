/**
 * Household units from a GeoJSON (Point, or building Polygon → its centroid)
 * or CSV (lon,lat,households[,persons,id]) file, replacing the estimate from
 * OSM buildings. Positions are converted to WGS84 by `toWgs84` (the file's
 * --crs). Grid assignment happens later, as for any households.
 */
import type { ToWgs84 } from './chinese-crs.ts';
import { readCsvFile } from './csv.ts';
import { featurePoint, readFeatureCollection, checkPosition } from './geojson.ts';
import { InputError } from './input-error.ts';

export interface HouseholdPoints {
  count: number;
  lon: Float64Array;
  lat: Float64Array;
  households: Int32Array;
  persons: Int32Array;
  sourceIds: string[];
}

function count(value: unknown, file: string, where: string, field: string, required: boolean): number {
  if ((value === undefined || value === null || value === '') && !required) return -1;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new InputError(file, where, `"${field}" must be a whole number >= 0, got ${JSON.stringify(value)}`);
  }
  return n;
}

export function readHouseholdsFile(file: string, toWgs84?: ToWgs84): HouseholdPoints {
  const rows: { lon: number; lat: number; households: number; persons: number; id: string }[] = [];
  if (/\.csv$/i.test(file)) {
    for (const { line, values } of readCsvFile(file)) {
      const where = `line ${line}`;
      const [lon, lat] = checkPosition([Number(values.lon), Number(values.lat)], file, where, toWgs84);
      rows.push({
        lon,
        lat,
        households: count(values.households, file, where, 'households', true),
        persons: count(values.persons, file, where, 'persons', false),
        id: values.id || `line ${line}`,
      });
    }
  } else {
    readFeatureCollection(file).forEach((feature, i) => {
      const [lon, lat] = featurePoint(feature, file, toWgs84);
      const p = feature.properties;
      rows.push({
        lon,
        lat,
        households: count(p.households, file, feature.where, 'households', true),
        persons: count(p.persons, file, feature.where, 'persons', false),
        id: p.id !== undefined ? String(p.id) : `feature ${i}`,
      });
    });
  }
  const n = rows.length;
  const out: HouseholdPoints = {
    count: n,
    lon: new Float64Array(n),
    lat: new Float64Array(n),
    households: new Int32Array(n),
    persons: new Int32Array(n),
    sourceIds: rows.map((r) => r.id),
  };
  rows.forEach((r, i) => {
    out.lon[i] = r.lon;
    out.lat[i] = r.lat;
    out.households[i] = r.households;
    out.persons[i] = r.persons;
  });
  return out;
}
