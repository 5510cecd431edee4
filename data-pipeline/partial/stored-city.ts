/**
 * What a partial update reads of the city already stored: its extent (where
 * new points may be), the center kinds it has, its centers, grids and
 * household units. Bound parameters only; the tables are the import's own.
 */
import type { Queryable } from '../../kernel/db/database.ts';
import { METRES_PER_DEGREE, RAD } from '../../kernel/geo.ts';
import type { GridRow, MultiPolygonCoords } from '../../kernel/import-bundle.ts';
import type { CityBounds } from '../inputs/row-values.ts';

/**
 * How far around the walk network a point may be: the server's snap
 * distance (server/routing/search/snap.ts MAX_SNAP_DISTANCE_M), so a point
 * accepted here is one the server's "outside the data's bounds" rule accepts.
 */
export const CITY_MARGIN_M = 500;

export interface StoredCity {
  version: string;
  cityCode: string;
  bounds: CityBounds;
  /** The kinds the stored centers have. */
  kinds: string[];
}

export interface StoredCenter {
  id: number;
  name: string;
  kind: string;
  services: string[];
  source: string;
  sourceId: string | null;
  lon: number;
  lat: number;
}

export interface StoredGrid extends GridRow {
  id: number;
}

/** The household units' totals, as the summary compares them. */
export interface HouseholdTotals {
  units: number;
  households: number;
  /** Persons where the data knows them. */
  persons: number;
}

/** Thrown when there is no city to update. */
export class NoStoredCity extends Error {
  constructor() {
    super('the database has no city yet (no walk network): import one first with npm run ingest -- --osm FILE');
    this.name = 'NoStoredCity';
  }
}

export async function readStoredCity(q: Queryable): Promise<StoredCity> {
  const [extent] = await q.query<{ x0: number | null; y0: number; x1: number; y1: number }>(
    'SELECT min(ST_X(geom)) AS x0, min(ST_Y(geom)) AS y0, max(ST_X(geom)) AS x1, max(ST_Y(geom)) AS y1 FROM walk_nodes',
  );
  if (!extent || extent.x0 === null) throw new NoStoredCity();
  const [state] = await q.query<{ version: string }>('SELECT version FROM data_state WHERE id = 1');
  const [city] = await q.query<{ code: string }>("SELECT code FROM admin_units WHERE level = 'city' ORDER BY code LIMIT 1");
  const kinds = await q.query<{ kind: string }>('SELECT DISTINCT kind FROM centers ORDER BY kind');
  const marginLat = CITY_MARGIN_M / METRES_PER_DEGREE;
  const marginLon = marginLat / Math.max(0.01, Math.cos(((extent.y0 + extent.y1) / 2) * RAD));
  return {
    version: state?.version ?? 'empty',
    cityCode: city?.code ?? 'city',
    bounds: {
      box: [Number(extent.x0) - marginLon, Number(extent.y0) - marginLat, Number(extent.x1) + marginLon, Number(extent.y1) + marginLat],
      what: `its walk network, with ${CITY_MARGIN_M} m around,`,
    },
    kinds: kinds.map((k) => k.kind),
  };
}

type CenterDbRow = { id: number; name: string; kind: string; services: string[] | string; source: string; source_id: string | null; lon: number; lat: number };

export async function loadStoredCenters(q: Queryable): Promise<StoredCenter[]> {
  const rows = await q.query<CenterDbRow>(
    'SELECT id, name, kind, to_json(services) AS services, source, source_id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM centers ORDER BY id',
  );
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    kind: r.kind,
    services: typeof r.services === 'string' ? JSON.parse(r.services) : r.services,
    source: r.source,
    sourceId: r.source_id,
    lon: Number(r.lon),
    lat: Number(r.lat),
  }));
}

type GridDbRow = { id: number; code: string; name: string; district_code: string | null; street_code: string | null; community_code: string | null; officers: number; geom: string };

export async function loadStoredGrids(q: Queryable): Promise<StoredGrid[]> {
  const rows = await q.query<GridDbRow>(
    'SELECT id, code, name, district_code, street_code, community_code, officers, ST_AsGeoJSON(geom) AS geom FROM grids ORDER BY id',
  );
  return rows.map((r) => ({
    id: Number(r.id),
    code: r.code,
    name: r.name,
    districtCode: r.district_code,
    streetCode: r.street_code,
    communityCode: r.community_code,
    officers: Number(r.officers),
    geom: (JSON.parse(r.geom) as { coordinates: MultiPolygonCoords }).coordinates,
  }));
}

export async function householdTotals(q: Queryable): Promise<HouseholdTotals> {
  const [row] = await q.query<{ units: number; households: number | null; persons: number | null }>(
    'SELECT count(*)::int AS units, sum(households)::float8 AS households, sum(persons)::float8 AS persons FROM households',
  );
  return { units: Number(row?.units ?? 0), households: Number(row?.households ?? 0), persons: Number(row?.persons ?? 0) };
}

export interface HouseholdPositions {
  id: Int32Array;
  gridId: Int32Array;
  lon: Float64Array;
  lat: Float64Array;
  sourceId: string[];
}

/** The stored units' ids, grids and positions (for putting them into new grids). */
export async function loadHouseholdPositions(q: Queryable): Promise<HouseholdPositions> {
  const rows = await q.query<{ id: number; grid_id: number; source_id: string | null; lon: number; lat: number }>(
    'SELECT id, grid_id, source_id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM households ORDER BY id',
  );
  const n = rows.length;
  const out: HouseholdPositions = { id: new Int32Array(n), gridId: new Int32Array(n), lon: new Float64Array(n), lat: new Float64Array(n), sourceId: new Array<string>(n) };
  rows.forEach((r, i) => {
    out.id[i] = Number(r.id);
    out.gridId[i] = Number(r.grid_id);
    out.lon[i] = Number(r.lon);
    out.lat[i] = Number(r.lat);
    out.sourceId[i] = r.source_id ?? `unit ${r.id}`;
  });
  return out;
}

/** Household units per stored grid id. */
export async function unitsPerGrid(q: Queryable): Promise<Map<number, number>> {
  const rows = await q.query<{ grid_id: number; n: number }>('SELECT grid_id, count(*)::int AS n FROM households GROUP BY grid_id');
  return new Map(rows.map((r) => [Number(r.grid_id), Number(r.n)]));
}
