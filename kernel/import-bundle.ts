/**
 * What every importer produces and the store writer consumes: a whole city in
 * memory, with per-node, per-edge and per-household data in flat typed arrays
 * (mourner style: one array per field, index = row). Both the OSM pipeline and
 * the demo-city generator build one of these; `writeBundle` stores it in one
 * transaction.
 */

/** [lon, lat] in WGS84. */
export type Position = [number, number];
/** GeoJSON-style polygon rings: outer first, then holes; each ring closed. */
export type PolygonCoords = Position[][];
/** A list of polygons. */
export type MultiPolygonCoords = PolygonCoords[];

export type AdminLevel = 'city' | 'district' | 'street' | 'community';

export interface AdminUnit {
  code: string;
  level: AdminLevel;
  name: string;
  parentCode: string | null;
  geom: MultiPolygonCoords | null;
}

export interface GridRow {
  code: string;
  name: string;
  /** Parent chain; null where the data does not say. */
  districtCode: string | null;
  streetCode: string | null;
  communityCode: string | null;
  officers: number;
  geom: MultiPolygonCoords;
}

export interface CenterRow {
  name: string;
  kind: string;
  services: string[];
  source: string;
  sourceId: string | null;
  lon: number;
  lat: number;
}

/** Household units, one entry per unit; index i is the same unit in every array. */
export interface HouseholdColumns {
  count: number;
  lon: Float64Array;
  lat: Float64Array;
  households: Int32Array;
  /** -1 where unknown. */
  persons: Int32Array;
  /** Index into ImportBundle.grids. */
  gridIndex: Int32Array;
  source: string;
  /** Source feature id per unit (e.g. "way/123"); may be empty strings. */
  sourceIds: string[];
}

/** The walk network. Node i is at (lon[i], lat[i]); edge j runs source[j] -> target[j]. */
export interface WalkNetwork {
  nodeCount: number;
  nodeLon: Float64Array;
  nodeLat: Float64Array;
  /** OSM node id, or -1 for generated nodes. */
  nodeOsmId: Float64Array;
  edgeCount: number;
  source: Int32Array;
  target: Int32Array;
  /** Length along the geometry, metres. */
  lengthM: Float64Array;
  /** Seconds source -> target at the default speed. */
  cost: Float64Array;
  /** Seconds target -> source; negative when walkers may not go that way. */
  reverseCost: Float64Array;
  /** Index into classNames (highway value, e.g. "footway", "steps"). */
  classIndex: Uint8Array;
  classNames: string[];
  /** OSM way id, or -1 for generated edges. */
  edgeOsmId: Float64Array;
  /** Edge j's vertices are coords[2*geomOffset[j] .. 2*geomOffset[j+1]) as lon,lat pairs. */
  geomOffset: Int32Array;
  coords: Float64Array;
}

export interface BuildingRow {
  kind: string;
  levels: number | null;
  geom: MultiPolygonCoords;
  /**
   * The same footprint as one outer ring in flat lon,lat coordinates, vertices
   * [from, to), when the importer has it that way (OSM ways): the writer
   * encodes it without building `geom`'s arrays.
   */
  readonly ring?: FlatRing;
}

/** A ring's vertices [from, to) in a flat lon,lat array; closed by the reader if its ends differ. */
export interface FlatRing {
  coords: Float64Array;
  from: number;
  to: number;
}

export interface WaterRow {
  kind: string;
  name: string | null;
  /** Polygon areas or line waterways. */
  geom: { type: 'MultiPolygon'; coordinates: MultiPolygonCoords } | { type: 'LineString'; coordinates: Position[] };
}

export interface ImportBundle {
  /** The city (top level): its code and name. */
  city: { code: string; name: string };
  /** What this came from, for data_state and the summary ("osm:monaco.osm.pbf", "demo:putian"). */
  source: string;
  /** District, street and community units (the city is added from `city`). */
  admin: AdminUnit[];
  grids: GridRow[];
  centers: CenterRow[];
  households: HouseholdColumns;
  network: WalkNetwork;
  buildings: BuildingRow[];
  water: WaterRow[];
}
