/**
 * The tile layers as plain data: what each layer is, its zoom range, its
 * fields with their types, and the SQL pieces that select its features. This
 * is the one place a layer is defined: the PostGIS tile functions
 * (tile-sql.ts renders them into sql/migrations/003_tile_functions.sql and
 * installs them when they differ), the embedded TypeScript encoder, the
 * catalog and TileJSON all read it.
 *
 * To add a property (e.g. coverage columns once they exist), add one entry to
 * the layer's `fields`: name, type, description and the SQL expression over
 * the feature row `f`. Then `npm run tiles:sql` (or the command in
 * tile-sql.ts) re-renders the migration; a test fails until it matches.
 *
 * Every identifier and SQL piece here is a constant: requests only ever pick
 * layers by id from this list, nothing from a request reaches the SQL text.
 *
 * Size budget: no tile may exceed TILE_SIZE_BUDGET_BYTES (500 KB) on the demo
 * city or Monaco. The budget is held by the zoom ranges (households and
 * buildings only from z14, minor streets only from z13/z14) and by the
 * per-layer simplification below; test/tiles-size.test.ts checks it at every
 * layer's lowest zooms, where tiles are largest.
 */

/** No tile larger than this (uncompressed), on the demo city or Monaco. */
export const TILE_SIZE_BUDGET_BYTES = 500 * 1024;

/** Tile coordinate space (MVT extent), as ST_AsMVT's default. */
export const TILE_EXTENT = 4096;
/** Features this far (tile units) outside the tile are kept, so lines and labels join across tile edges. */
export const TILE_BUFFER = 64;
/** No layer is served beyond this zoom; clients overzoom. */
export const MAX_ZOOM = 16;

/**
 * A property's MVT value type, matching what ST_AsMVT writes for the SQL type
 * in brackets: integer (int4/int8: uint or sint), number (float8: double),
 * float (real: float), string (text), boolean (bool).
 */
export type FieldType = 'integer' | 'number' | 'float' | 'string' | 'boolean';

/** The SQL type each field's expression is cast to, so both backends encode the same MVT value type. */
export const FIELD_SQL_TYPE: Record<FieldType, string> = {
  integer: 'integer',
  number: 'double precision',
  float: 'real',
  string: 'text',
  boolean: 'boolean',
};

/** TileJSON `fields` values, as Martin writes them. */
export const FIELD_TILEJSON_TYPE: Record<FieldType, string> = {
  integer: 'Number',
  number: 'Number',
  float: 'Number',
  string: 'String',
  boolean: 'Boolean',
};

export interface TileField {
  /** Property key in the tile (a plain lower-case identifier). */
  name: string;
  type: FieldType;
  description: string;
  /** SQL expression over the feature row `f` (and the layer's joins); null leaves the property out of that feature. */
  sql: string;
}

/** What the layer draws; 'mixed' for tables with areas and lines (water). */
export type GeometryKind = 'point' | 'line' | 'polygon' | 'mixed';

export interface TileLayer {
  /** Layer id: URL segment, MVT layer name and SQL function name (tiles.<id>). */
  id: string;
  description: string;
  geometry: GeometryKind;
  minzoom: number;
  maxzoom: number;
  /** FROM clause; the feature table must have the alias `f` and a 4326 `f.geom`. */
  from: string;
  /** Feature id: a non-negative integer expression, stable across tiles and backends. */
  idSql: string;
  fields: TileField[];
  /** Extra WHERE condition; may use `z` (the zoom) to thin the layer at low zooms. */
  where?: string;
  /**
   * Simplification tolerance in tile units (1/4096 of a tile) before
   * clipping: constant on screen, so in metres it doubles with every zoom
   * level lower. 0 leaves only ST_AsMVTGeom's own snapping to the unit grid.
   */
  simplify: number;
  /**
   * Data-change layers that alter this layer's tiles: a change to any of
   * these (see DataChange.layers) drops this layer's cached tiles where it
   * happened. Grids carry household totals, so households changes touch them.
   */
  dependsOn: string[];
  /**
   * URL query parameters the layer's SQL reads from `query` (e.g. a
   * scenario id once scenarios exist); their values are part of the tile's
   * cache key. Other query parameters are ignored.
   */
  params?: readonly string[];
}

/** The walk-network classes shown from each zoom: main roads early, paths late (everything from z14). */
const STREETS_FROM_Z10 = "'trunk','primary','secondary','trunk_link','primary_link','secondary_link'";
const STREETS_FROM_Z12 = "'tertiary','tertiary_link','pedestrian'";
const STREETS_FROM_Z13 = "'residential','unclassified','living_street'";

export const TILE_LAYERS: readonly TileLayer[] = [
  {
    id: 'admin',
    description: 'Administrative boundaries: city, district, street/town and community, by level',
    geometry: 'polygon',
    minzoom: 6,
    maxzoom: MAX_ZOOM,
    from: 'admin_units f',
    // Admin codes are text: a stable integer id from their hash (52 bits, safe in JS).
    idSql: "('x' || substr(md5(f.code), 1, 13))::bit(52)::bigint",
    fields: [
      { name: 'code', type: 'string', description: 'Division code', sql: 'f.code' },
      { name: 'name', type: 'string', description: 'Name', sql: 'f.name' },
      { name: 'level', type: 'string', description: 'city, district, street or community', sql: 'f.level' },
      { name: 'parent_code', type: 'string', description: 'Code of the unit one level up', sql: 'f.parent_code' },
    ],
    // Finer levels appear as the map zooms in; units without a boundary are not drawn.
    where: "f.geom IS NOT NULL AND (f.level IN ('city', 'district') OR (f.level = 'street' AND z >= 10) OR (f.level = 'community' AND z >= 12))",
    simplify: 2,
    dependsOn: ['admin'],
  },
  {
    id: 'grids',
    description: 'Unit grids with their officers, parent community, households and 15-minute coverage',
    geometry: 'polygon',
    minzoom: 10,
    maxzoom: MAX_ZOOM,
    from: 'grids f LEFT JOIN admin_units community ON community.code = f.community_code',
    idSql: 'f.id',
    fields: [
      { name: 'code', type: 'string', description: 'Grid code', sql: 'f.code' },
      { name: 'name', type: 'string', description: 'Grid name', sql: 'f.name' },
      { name: 'community', type: 'string', description: 'Parent community name', sql: 'community.name' },
      { name: 'community_code', type: 'string', description: 'Parent community code', sql: 'f.community_code' },
      { name: 'officers', type: 'integer', description: 'Grid officers', sql: 'f.officers' },
      // households_total is written by the coverage service; until then the sum is taken here (only then: COALESCE is lazy).
      {
        name: 'households',
        type: 'integer',
        description: 'Households in the grid',
        sql: 'COALESCE(f.households_total, (SELECT sum(h.households) FROM households h WHERE h.grid_id = f.id), 0)',
      },
      { name: 'covered_15', type: 'integer', description: 'Households within a 15-minute walk of a center (absent until computed)', sql: 'f.covered_15' },
      { name: 'coverage_share', type: 'float', description: 'Share of households within a 15-minute walk, 0-1 (absent for a grid without households)', sql: 'f.coverage_share_15' },
    ],
    simplify: 2,
    dependsOn: ['grids', 'households'],
  },
  {
    id: 'centers',
    description: 'Community service centers: neighbourhood (Party Building +), governance (Comprehensive Management +) and other services',
    geometry: 'point',
    minzoom: 8,
    maxzoom: MAX_ZOOM,
    from: 'centers f',
    idSql: 'f.id',
    fields: [
      { name: 'name', type: 'string', description: 'Center name', sql: 'f.name' },
      { name: 'kind', type: 'string', description: 'neighborhood, governance or a service kind from OSM', sql: 'f.kind' },
      { name: 'services', type: 'string', description: 'Services offered, comma-separated', sql: "array_to_string(f.services, ',')" },
      { name: 'source', type: 'string', description: 'Where the center came from (osm, demo, api, ...)', sql: 'f.source' },
    ],
    simplify: 0,
    dependsOn: ['centers'],
  },
  {
    id: 'households',
    description: 'Household units (a building or address each) with their households, walk time to the nearest center and 15-minute coverage',
    geometry: 'point',
    minzoom: 14,
    maxzoom: MAX_ZOOM,
    from: 'households f',
    idSql: 'f.id',
    fields: [
      { name: 'households', type: 'integer', description: 'Households in the unit', sql: 'f.households' },
      { name: 'persons', type: 'integer', description: 'Persons, where known', sql: 'f.persons' },
      { name: 'grid_id', type: 'integer', description: 'The unit grid it belongs to', sql: 'f.grid_id' },
      { name: 'walk_seconds', type: 'float', description: 'Walk to the nearest center at 4 km/h, seconds (absent when none is reachable or not yet computed)', sql: 'f.walk_seconds' },
      { name: 'nearest_center_id', type: 'integer', description: 'Id of the nearest center by walking time', sql: 'f.nearest_center_id' },
      // 900 s is 15 minutes at the default 4 km/h; no reachable center is not covered.
      { name: 'covered', type: 'boolean', description: 'Within a 15-minute walk of a center', sql: 'COALESCE(f.walk_seconds <= 900, false)' },
    ],
    simplify: 0,
    dependsOn: ['households'],
  },
  {
    id: 'streets',
    description: 'The walk network by class: primary and secondary roads from z10, tertiary and pedestrian from z12, residential from z13, the rest (service, footway, path, steps, ...) from z14',
    geometry: 'line',
    minzoom: 10,
    maxzoom: MAX_ZOOM,
    from: 'walk_edges f',
    idSql: 'f.id',
    fields: [
      { name: 'class', type: 'string', description: 'Way class (OSM highway value: primary, residential, footway, steps, ...)', sql: 'f.class' },
      { name: 'oneway', type: 'boolean', description: 'Walkable in the drawn direction only', sql: 'f.reverse_cost < 0' },
    ],
    where: `(z >= 14 OR f.class IN (${STREETS_FROM_Z10}) OR (z >= 12 AND f.class IN (${STREETS_FROM_Z12})) OR (z >= 13 AND f.class IN (${STREETS_FROM_Z13})))`,
    simplify: 1,
    dependsOn: ['streets'],
  },
  {
    id: 'buildings',
    description: 'Building footprints',
    geometry: 'polygon',
    minzoom: 14,
    maxzoom: MAX_ZOOM,
    from: 'buildings f',
    idSql: 'f.id',
    fields: [
      { name: 'kind', type: 'string', description: 'Building kind (OSM building value)', sql: 'f.kind' },
      { name: 'levels', type: 'float', description: 'Storeys, where known', sql: 'f.levels' },
    ],
    simplify: 1,
    dependsOn: ['buildings'],
  },
  {
    id: 'water',
    description: 'Water areas and waterways',
    geometry: 'mixed',
    minzoom: 8,
    maxzoom: MAX_ZOOM,
    from: 'water f',
    idSql: 'f.id',
    fields: [
      { name: 'kind', type: 'string', description: 'water, riverbank, reservoir, river, stream, canal', sql: 'f.kind' },
      { name: 'name', type: 'string', description: 'Name, where known', sql: 'f.name' },
    ],
    simplify: 2,
    dependsOn: ['water'],
  },
];

/** Layers by id. */
export function layerIndex(layers: readonly TileLayer[] = TILE_LAYERS): ReadonlyMap<string, TileLayer> {
  return new Map(layers.map((layer) => [layer.id, layer]));
}
