/**
 * Reads a GeoJSON FeatureCollection and checks each feature's shape before
 * anyone uses it, so a broken feature is reported by its index (and id) and
 * not as a crash somewhere downstream. Positions are checked as degrees in
 * the file's system, then converted to WGS84 (`toWgs84`, the identity unless
 * the import says --crs gcj02 or bd09).
 */
import { readFileSync } from 'node:fs';
import type { ToWgs84 } from './chinese-crs.ts';
import type { MultiPolygonCoords, Position } from '../../kernel/import-bundle.ts';
import { InputError } from './input-error.ts';

export interface CheckedFeature {
  /** "feature 12" or "feature 12 (id abc)", for messages. */
  where: string;
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown };
}

export function readFeatureCollection(file: string): CheckedFeature[] {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(file, 'file', 'not found');
    throw new InputError(file, 'JSON', (error as Error).message);
  }
  const fc = doc as { type?: unknown; features?: unknown };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new InputError(file, 'top level', 'expected a GeoJSON FeatureCollection with a "features" array');
  }
  return fc.features.map((f: unknown, i: number) => {
    const feature = f as { type?: unknown; id?: unknown; properties?: unknown; geometry?: unknown };
    const where = feature && feature.id !== undefined ? `feature ${i} (id ${String(feature.id)})` : `feature ${i}`;
    if (!feature || feature.type !== 'Feature') throw new InputError(file, where, 'is not a GeoJSON Feature');
    const geometry = feature.geometry as { type?: unknown; coordinates?: unknown } | null;
    if (!geometry || typeof geometry.type !== 'string' || !Array.isArray(geometry.coordinates)) {
      throw new InputError(file, where, 'has no geometry with coordinates');
    }
    const properties = (feature.properties && typeof feature.properties === 'object' ? feature.properties : {}) as Record<string, unknown>;
    return { where, properties, geometry: geometry as CheckedFeature['geometry'] };
  });
}

function isPosition(p: unknown): p is Position {
  return (
    Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]) &&
    Math.abs(p[0] as number) <= 180 && Math.abs(p[1] as number) <= 90
  );
}

const asIs: ToWgs84 = (lon, lat) => [lon, lat];

/** A checked [lon, lat] in degrees, converted to WGS84. */
export function checkPosition(p: unknown, file: string, where: string, toWgs84: ToWgs84 = asIs): Position {
  if (!isPosition(p)) throw new InputError(file, where, `invalid coordinate ${JSON.stringify(p)}: expected [lon, lat] in degrees`);
  return toWgs84(p[0], p[1]);
}

function checkRing(ring: unknown, file: string, where: string, toWgs84: ToWgs84): Position[] {
  if (!Array.isArray(ring) || ring.length < 4) throw new InputError(file, where, 'a polygon ring needs at least 4 positions');
  // Converting is deterministic, so a closed ring stays closed.
  const out = ring.map((p) => checkPosition(p, file, where, toWgs84));
  const [a, b] = [out[0]!, out[out.length - 1]!];
  if (a[0] !== b[0] || a[1] !== b[1]) throw new InputError(file, where, 'a polygon ring must be closed (first position = last)');
  return out;
}

/** A Polygon or MultiPolygon feature's coordinates as a MultiPolygon in WGS84. */
export function featureMultiPolygon(feature: CheckedFeature, file: string, toWgs84: ToWgs84 = asIs): MultiPolygonCoords {
  const { type, coordinates } = feature.geometry;
  const polygon = (rings: unknown) => {
    if (!Array.isArray(rings) || rings.length === 0) throw new InputError(file, feature.where, 'a polygon needs at least one ring');
    return rings.map((r) => checkRing(r, file, feature.where, toWgs84));
  };
  if (type === 'Polygon') return [polygon(coordinates)];
  if (type === 'MultiPolygon') return (coordinates as unknown[]).map(polygon);
  throw new InputError(file, feature.where, `geometry is ${type}; expected Polygon or MultiPolygon`);
}

/** A Point feature's position, or the vertex mean of a polygon's outer ring (a building footprint), in WGS84. */
export function featurePoint(feature: CheckedFeature, file: string, toWgs84: ToWgs84 = asIs): Position {
  const { type, coordinates } = feature.geometry;
  if (type === 'Point') return checkPosition(coordinates, file, feature.where, toWgs84);
  if (type === 'Polygon' || type === 'MultiPolygon') {
    const outer = featureMultiPolygon(feature, file, toWgs84)[0]![0]!;
    let x = 0;
    let y = 0;
    for (let i = 0; i < outer.length - 1; i++) {
      x += outer[i]![0];
      y += outer[i]![1];
    }
    return [x / (outer.length - 1), y / (outer.length - 1)];
  }
  throw new InputError(file, feature.where, `geometry is ${type}; expected Point (or a Polygon footprint)`);
}
