/**
 * The layer catalog and TileJSON 3.0.0 documents. Bounds and center come from
 * the stored data's extent; attribution credits OpenStreetMap when the data
 * came from an OSM import (then every layer is drawn from it: the streets,
 * buildings and water directly, households, grids and centers derived).
 */
import type { Queryable } from '../../kernel/db/database.ts';
import type { BBox } from '../../kernel/data-change.ts';
import { FIELD_TILEJSON_TYPE, type TileLayer } from './layers.ts';
import { MAX_LATITUDE } from './tile-envelope.ts';

export const OSM_ATTRIBUTION = '<a href="https://www.openstreetmap.org/copyright" target="_blank">© OpenStreetMap contributors</a>';

export interface DataExtent {
  /** [west, south, east, north] of everything stored; null when the database is empty. */
  bounds: BBox | null;
  /** data_state.source, e.g. "osm:monaco.osm.pbf" or "demo:putian". */
  source: string | null;
  city: string | null;
  version: string;
}

/** Reads the extent of the stored city (grids, centers, households, streets, boundaries) and its source. */
export async function readDataExtent(db: Queryable): Promise<DataExtent> {
  const [row] = await db.query<{ xmin: number | null; ymin: number | null; xmax: number | null; ymax: number | null; source: string | null; city: string | null; version: string }>(
    `SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax, s.source, s.city, s.version
     FROM data_state s,
       LATERAL (SELECT ST_Extent(g) AS e FROM (
         SELECT ST_Extent(geom)::geometry AS g FROM grids
         UNION ALL SELECT ST_Extent(geom)::geometry FROM centers
         UNION ALL SELECT ST_Extent(geom)::geometry FROM households
         UNION ALL SELECT ST_Extent(geom)::geometry FROM walk_edges
         UNION ALL SELECT ST_Extent(geom)::geometry FROM admin_units) parts) ext
     WHERE s.id = 1`,
  );
  if (!row) throw new Error('data_state has no row: the migrations did not run');
  const bounds: BBox | null =
    row.xmin === null || row.ymin === null || row.xmax === null || row.ymax === null
      ? null
      : [Math.max(-180, row.xmin), Math.max(-MAX_LATITUDE, row.ymin), Math.min(180, row.xmax), Math.min(MAX_LATITUDE, row.ymax)];
  return { bounds, source: row.source, city: row.city, version: row.version };
}

/** What /tiles/catalog.json lists for a layer. */
export function catalogEntry(layer: TileLayer) {
  return {
    id: layer.id,
    description: layer.description,
    geometry_type: layer.geometry,
    minzoom: layer.minzoom,
    maxzoom: layer.maxzoom,
    fields: Object.fromEntries(layer.fields.map((f) => [f.name, { type: f.type, description: f.description }])),
    ...(layer.params?.length ? { params: layer.params } : {}),
  };
}

/** The zoom at which the bounds fit in about one 512-pixel tile, within the layers' zooms. */
function fittingZoom(bounds: BBox, minzoom: number, maxzoom: number): number {
  const span = Math.max(bounds[2] - bounds[0], (bounds[3] - bounds[1]) * 1.5, 1e-6);
  return Math.max(minzoom, Math.min(maxzoom, Math.floor(Math.log2(360 / span))));
}

export interface TileJsonInput {
  layers: readonly TileLayer[];
  /** Absolute URL template, e.g. https://host/tiles/grids,centers/{z}/{x}/{y}.mvt */
  tilesUrl: string;
  extent: DataExtent;
}

/** TileJSON 3.0.0 for one layer or several served as one tile. */
export function buildTileJson({ layers, tilesUrl, extent }: TileJsonInput) {
  const minzoom = Math.min(...layers.map((l) => l.minzoom));
  const maxzoom = Math.max(...layers.map((l) => l.maxzoom));
  const bounds: BBox = extent.bounds ?? [-180, -MAX_LATITUDE, 180, MAX_LATITUDE];
  const center = extent.bounds
    ? [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, fittingZoom(bounds, minzoom, maxzoom)]
    : [0, 0, minzoom];
  const osm = (extent.source ?? '').startsWith('osm');
  const ids = layers.map((l) => l.id).join(',');
  return {
    tilejson: '3.0.0',
    name: ids,
    description: layers.map((l) => l.description).join('; '),
    version: '1.0.0',
    scheme: 'xyz',
    tiles: [tilesUrl],
    minzoom,
    maxzoom,
    bounds,
    center,
    ...(osm ? { attribution: OSM_ATTRIBUTION } : {}),
    vector_layers: layers.map((l) => ({
      id: l.id,
      description: l.description,
      minzoom: l.minzoom,
      maxzoom: l.maxzoom,
      fields: Object.fromEntries(l.fields.map((f) => [f.name, FIELD_TILEJSON_TYPE[f.type]])),
    })),
  };
}
