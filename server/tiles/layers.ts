/**
 * The tile layers as plain data: what each layer is, its zoom range, its
 * fields with their types, and the SQL pieces that select its features. This
 * is the one place a layer is defined: the PostGIS tile functions
 * (tile-sql.ts renders them into sql/migrations/003_tile_functions.sql and
 * installs them when they differ), the embedded TypeScript encoder, the
 * catalog and TileJSON all read it.
 *
 * To add a property (e.g. coverage columns once they exist), add one entry to
 * the layer's `fields`: `column(name, type, description)` for a column of the
 * feature row `f`, or a TileField with its own SQL expression. Then
 * `npx tsx server/tiles/tile-sql.ts > sql/migrations/003_tile_functions.sql`
 * re-renders the migration; tile-sql.test.ts fails until it matches.
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
import { kindsOfTier } from '../../kernel/life-circle-standard.ts';

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
  /**
   * The property is in tiles from this zoom only (below, it is left out):
   * what OpenMapTiles does with names at low zooms. At city zoom a tile holds
   * thousands of features, and strings nobody reads there are most of its bytes.
   */
  minzoom?: number;
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
   * Below this zoom, a line layer's features with equal properties are one
   * feature per tile: their lines collected and joined where they meet end
   * to end (ST_LineMerge), with an id from the properties. What OpenMapTiles
   * and tippecanoe do at city zooms: a map of a whole city draws thousands of
   * short street pieces, and each feature costs the client as much as many
   * vertices (tile-sql.ts renders it for both backends).
   */
  mergeBelowZoom?: number;
  /**
   * URL query parameters the layer's SQL reads from `query` (e.g. a
   * scenario id once scenarios exist); their values are part of the tile's
   * cache key. Other query parameters are ignored.
   */
  params?: readonly string[];
}

/** A field that is the feature row's column of the same name. */
function column(name: string, type: FieldType, description: string): TileField {
  return { name, type, description, sql: `f.${name}` };
}

/** A field that is in tiles from zoom `z` only, its description saying so. */
function fromZoom(z: number, field: TileField): TileField {
  return { ...field, minzoom: z, description: `${field.description} (from z${z})` };
}

/** What a layer below spells out: the rest has the defaults `layer` gives. */
type LayerSpec = Omit<TileLayer, 'maxzoom' | 'idSql' | 'dependsOn'> & Partial<Pick<TileLayer, 'maxzoom' | 'idSql' | 'dependsOn'>>;

/**
 * A layer with the defaults most share: served up to MAX_ZOOM, its feature
 * id the table's integer `f.id`, and its tiles changed by the data-change
 * layer of its own name.
 */
function layer(spec: LayerSpec): TileLayer {
  return { maxzoom: MAX_ZOOM, idSql: 'f.id', dependsOn: [spec.id], ...spec };
}

/** The query parameter that asks for a scenario's version of a layer (planning/scenario-tiles.ts makes those). */
export const SCENARIO_PARAM = 'scenario';

/** The query parameter that colours households by the living-circle tiers they meet (standard/standard-tiles.ts). */
export const STANDARD_PARAM = 'standard';
/** Its one value: the standard this service checks. */
export const STANDARD_VALUES = ['gb50180'] as const;

/** A property only a scenario's tiles carry (NULL, so absent, in the live tiles). */
function scenarioOnly(name: string, description: string): TileField {
  return { name, type: 'string', description: `With ?${SCENARIO_PARAM}=: ${description}`, sql: 'NULL' };
}

/** The walk-network classes shown from each zoom: main roads early, paths late (everything from z14). */
const STREETS_FROM_Z10 = "'trunk','primary','secondary','trunk_link','primary_link','secondary_link'";
const STREETS_FROM_Z12 = "'tertiary','tertiary_link','pedestrian'";
const STREETS_FROM_Z13 = "'residential','unclassified','living_street'";
/**
 * Kinds of the 5- and 10-minute circles (kindergartens, convenience shops,
 * primary schools, markets...) show from z13, where their 300 to 500 m
 * circles can be seen; below it they are thousands of dots that would make a
 * city-wide tile too large. Names come from our own standard file, checked
 * to be plain identifiers before they go into SQL.
 */
const LOWER_TIER_KINDS = [...kindsOfTier(5), ...kindsOfTier(10)]
  .map((kind) => {
    if (!/^[a-z_]+$/.test(kind)) throw new Error(`life-circle kind "${kind}" is not a plain identifier`);
    return `'${kind}'`;
  })
  .join(',');
const LOWER_TIERS_FROM_Z = 13;
/** Grids carry their names, codes and officers from this zoom; below, only households and coverage. */
const GRID_DETAIL_FROM_Z = 12;

export const TILE_LAYERS: readonly TileLayer[] = [
  layer({
    id: 'admin',
    description: 'Administrative boundaries: city, district, street/town and community, by level',
    geometry: 'polygon',
    minzoom: 6,
    from: 'admin_units f',
    // Admin codes are text: a stable integer id from their hash (52 bits, safe in JS).
    idSql: "('x' || substr(md5(f.code), 1, 13))::bit(52)::bigint",
    fields: [
      column('code', 'string', 'Division code'),
      column('name', 'string', 'Name'),
      column('level', 'string', 'city, district, street or community'),
      column('parent_code', 'string', 'Code of the unit one level up'),
    ],
    // Finer levels appear as the map zooms in; units without a boundary are not drawn.
    where: "f.geom IS NOT NULL AND (f.level IN ('city', 'district') OR (f.level = 'street' AND z >= 10) OR (f.level = 'community' AND z >= 12))",
    simplify: 2,
  }),
  layer({
    id: 'grids',
    description: 'Unit grids with their officers, parent community, households and 15-minute coverage',
    geometry: 'polygon',
    minzoom: 10,
    from: 'grids f LEFT JOIN admin_units community ON community.code = f.community_code',
    fields: [
      // At city zoom (z10-11) a tile holds ~2,000 grids and the map draws only their coverage: the strings come from z12.
      ...[
        column('code', 'string', 'Grid code'),
        column('name', 'string', 'Grid name'),
        { name: 'community', type: 'string', description: 'Parent community name', sql: 'community.name' } satisfies TileField,
        column('community_code', 'string', 'Parent community code'),
        column('officers', 'integer', 'Grid officers'),
      ].map((field) => fromZoom(GRID_DETAIL_FROM_Z, field)),
      // households_total is written by the coverage service; until then the sum is taken here (only then: COALESCE is lazy).
      {
        name: 'households',
        type: 'integer',
        description: 'Households in the grid',
        sql: 'COALESCE(f.households_total, (SELECT sum(h.households) FROM households h WHERE h.grid_id = f.id), 0)',
      },
      column('covered_15', 'integer', 'Households within a 15-minute walk of a center (absent until computed)'),
      { name: 'coverage_share', type: 'float', description: 'Share of households within a 15-minute walk, 0-1 (absent for a grid without households)', sql: 'f.coverage_share_15' },
    ],
    simplify: 2,
    dependsOn: ['grids', 'households'],
    // With a scenario, covered_15 and coverage_share are the scenario's.
    params: [SCENARIO_PARAM],
  }),
  layer({
    id: 'centers',
    description: 'Community service centers: neighbourhood (Party Building +), governance (Comprehensive Management +) and other services',
    geometry: 'point',
    minzoom: 8,
    from: 'centers f',
    where: `(z >= ${LOWER_TIERS_FROM_Z} OR f.kind NOT IN (${LOWER_TIER_KINDS}))`,
    fields: [
      column('name', 'string', 'Center name'),
      column('kind', 'string', 'neighborhood, governance or another kind of kernel/life-circle-standard.json (the 5- and 10-minute kinds from z13)'),
      { name: 'services', type: 'string', description: 'Services offered, comma-separated', sql: "array_to_string(f.services, ',')" },
      column('source', 'string', 'Where the center came from (osm, demo, api, ...)'),
      scenarioOnly('change', 'added, moved, removed (drawn where it was) or same'),
    ],
    simplify: 0,
    params: [SCENARIO_PARAM],
  }),
  layer({
    id: 'households',
    description: 'Household units (a building or address each) with their households, walk time to the nearest center and 15-minute coverage',
    geometry: 'point',
    minzoom: 14,
    from: 'households f',
    fields: [
      column('households', 'integer', 'Households in the unit'),
      column('persons', 'integer', 'Persons, where known'),
      column('grid_id', 'integer', 'The unit grid it belongs to'),
      column('walk_seconds', 'float', 'Walk to the nearest center at 4 km/h, seconds (absent when none is reachable or not yet computed)'),
      column('nearest_center_id', 'integer', 'Id of the nearest center by walking time'),
      // 900 s is 15 minutes at the default 4 km/h; no reachable center is not covered.
      { name: 'covered', type: 'boolean', description: 'Within a 15-minute walk of a center', sql: 'COALESCE(f.walk_seconds <= 900, false)' },
      scenarioOnly('change', 'gained (within 15 minutes with the scenario only), lost, or same'),
      { name: 'tiers', type: 'string', description: `With ?${STANDARD_PARAM}=gb50180: the living-circle tiers the unit meets (GET /api/standard), e.g. "5,10,15"; "" for none`, sql: 'NULL' },
      { name: 'tiers_met', type: 'integer', description: `With ?${STANDARD_PARAM}=gb50180: how many of the three tiers it meets, 0 to 3`, sql: 'NULL' },
    ],
    simplify: 0,
    // With a scenario, walk_seconds, nearest_center_id (negative: an added center) and covered are the scenario's;
    // with the standard, tiers and tiers_met are filled (a scenario's tiles do not carry them).
    params: [SCENARIO_PARAM, STANDARD_PARAM],
  }),
  layer({
    id: 'streets',
    description: 'The walk network by class: primary and secondary roads from z10, tertiary and pedestrian from z12, residential from z13, the rest (service, footway, path, steps, ...) from z14; one feature per edge from z13, below it one per class and direction in each tile (its lines joined end to end)',
    geometry: 'line',
    minzoom: 10,
    from: 'walk_edges f',
    fields: [
      column('class', 'string', 'Way class (OSM highway value: primary, residential, footway, steps, ...)'),
      { name: 'oneway', type: 'boolean', description: 'Walkable in the drawn direction only', sql: 'f.reverse_cost < 0' },
    ],
    where: `(z >= 14 OR f.class IN (${STREETS_FROM_Z10}) OR (z >= 12 AND f.class IN (${STREETS_FROM_Z12})) OR (z >= 13 AND f.class IN (${STREETS_FROM_Z13})))`,
    simplify: 1,
    // Per edge from z13, where a street can be picked out; below, one feature per class and direction.
    mergeBelowZoom: 13,
  }),
  layer({
    id: 'buildings',
    description: 'Building footprints',
    geometry: 'polygon',
    minzoom: 14,
    from: 'buildings f',
    fields: [column('kind', 'string', 'Building kind (OSM building value)'), column('levels', 'float', 'Storeys, where known')],
    simplify: 1,
  }),
  layer({
    id: 'water',
    description: 'Water areas and waterways',
    geometry: 'mixed',
    minzoom: 8,
    from: 'water f',
    fields: [column('kind', 'string', 'water, riverbank, reservoir, river, stream, canal'), column('name', 'string', 'Name, where known')],
    simplify: 2,
  }),
];

/** Layers by id. */
export function layerIndex(layers: readonly TileLayer[] = TILE_LAYERS): ReadonlyMap<string, TileLayer> {
  return new Map(layers.map((layer) => [layer.id, layer]));
}
