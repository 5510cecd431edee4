/**
 * Centers from a GeoJSON (Point features) or CSV (name,kind,lon,lat[,services])
 * file, replacing the centers found in OSM. Services are a JSON array or a
 * string separated by "|", ";" or ",". Positions are converted to WGS84 by
 * `toWgs84` (the file's --crs).
 */
import type { ToWgs84 } from './chinese-crs.ts';
import type { CenterRow } from '../../kernel/import-bundle.ts';
import { readCsvFile } from './csv.ts';
import { featurePoint, readFeatureCollection, checkPosition } from './geojson.ts';
import { InputError } from './input-error.ts';

function services(value: unknown, file: string, where: string): string[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  if (typeof value === 'string') return value.split(/[|;,]/).map((s) => s.trim()).filter(Boolean);
  throw new InputError(file, where, '"services" must be a list of strings or a string separated by |');
}

function text(value: unknown, file: string, where: string, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new InputError(file, where, `"${field}" is missing or empty`);
  return value.trim();
}

export function readCentersFile(file: string, toWgs84?: ToWgs84): CenterRow[] {
  if (/\.csv$/i.test(file)) {
    return readCsvFile(file).map(({ line, values }) => {
      const where = `line ${line}`;
      const [lon, lat] = checkPosition([Number(values.lon), Number(values.lat)], file, where, toWgs84);
      return {
        name: text(values.name, file, where, 'name'),
        kind: text(values.kind, file, where, 'kind'),
        services: services(values.services, file, where),
        source: 'file',
        sourceId: values.id || `line ${line}`,
        lon,
        lat,
      };
    });
  }
  return readFeatureCollection(file).map((feature, i) => {
    const [lon, lat] = featurePoint(feature, file, toWgs84);
    const p = feature.properties;
    return {
      name: text(p.name, file, feature.where, 'name'),
      kind: text(p.kind, file, feature.where, 'kind'),
      services: services(p.services, file, feature.where),
      source: 'file',
      sourceId: p.id !== undefined ? String(p.id) : `feature ${i}`,
      lon,
      lat,
    };
  });
}
