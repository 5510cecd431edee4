/**
 * Grids with household totals on Monaco, shared by the full-import and the
 * partial-update tests of the spreading (data-pipeline/grid-totals.ts): five
 * boxes, one for each case the spreading has, written as GeoJSON, and the
 * stored units of a grid read back.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestDatabase } from './backends.ts';

export interface Grid {
  code: string;
  box: [number, number, number, number];
  households?: number;
  persons?: number;
}

export const GRIDS: Grid[] = [
  // Monte Carlo: ~100 residential buildings.
  { code: 'B', box: [7.422, 43.741, 7.424, 43.743], households: 5000, persons: 12_000 },
  // Moneghetti: ~250 m of highway=residential, no building centred in it.
  { code: 'S', box: [7.411, 43.739, 7.412, 43.74], households: 37 },
  // The sea south-east of Monaco: no building, no way.
  { code: 'SEA', box: [7.435, 43.725, 7.445, 43.732], households: 50 },
  // Buildings, a total of 0.
  { code: 'Z', box: [7.418, 43.733, 7.419, 43.734], households: 0 },
  // Buildings, no total: keeps the estimate.
  { code: 'K', box: [7.4, 43.745, 7.402, 43.746] },
];

/** The grids as a GeoJSON file in `dir`, with their totals or without; grid S gives its total under the Chinese header. */
export function gridsFile(dir: string, name: string, withTotals: boolean): string {
  const features = GRIDS.map(({ code, box: [x0, y0, x1, y1], households, persons }) => ({
    type: 'Feature',
    // One grid in Chinese headers, as grid offices write them.
    properties: { code, ...(withTotals && households !== undefined ? (code === 'S' ? { 户数: households } : { households, persons }) : {}) },
    geometry: { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] },
  }));
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features }));
  return file;
}

export interface StoredUnit {
  id: number;
  source_id: string;
  households: number;
  persons: number;
  lon: number;
  lat: number;
}

/** The stored household units of grid `code`, by id. */
export function unitsIn(t: TestDatabase, code: string): Promise<StoredUnit[]> {
  return t.db.query<StoredUnit>(
    `SELECT h.id, h.source_id, h.households, h.persons, ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat
     FROM households h JOIN grids g ON g.id = h.grid_id WHERE g.code = $1 ORDER BY h.id`,
    [code],
  );
}
