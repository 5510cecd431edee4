/**
 * What the place-name index (search-index.ts) reads from the database, in
 * two parts that change apart: the areas (admin units and grids, changed
 * only by an import) and the centers (changed by every center edit). Each
 * part is read in one REPEATABLE READ transaction with the data version it
 * belongs to. Areas get a representative point that lies on them
 * (ST_PointOnSurface, unlike a centroid, which can fall outside a bent
 * shape) and their extent; an admin unit stored without a boundary takes
 * both from the grids under it. A center's parents are those of the grid it
 * lies in.
 */
import type { Database, Queryable } from '../../kernel/db/database.ts';
import type { AreaLevel, AreaRow, CenterRow, Extent, GridRow } from './search-index.ts';

/** The data version a part was read at, and its revision (which orders versions). */
export interface ReadAt {
  version: string;
  revision: number;
}

export interface AreaPart extends ReadAt {
  areas: AreaRow[];
  grids: GridRow[];
}

export interface CenterPart extends ReadAt {
  centers: CenterRow[];
}

/** Columns of a shape `g` (NULL for none): a point on it and its extent. */
const POINT_AND_EXTENT = `ST_X(p) AS lon, ST_Y(p) AS lat, ST_XMin(g) AS west, ST_YMin(g) AS south, ST_XMax(g) AS east, ST_YMax(g) AS north`;

// Admin units with their shape: their own boundary, else the grids that name them at their level.
const AREAS_SQL = `
WITH fallback AS (
  SELECT a.code, ST_Collect(g.geom) AS geom
  FROM admin_units a
  JOIN grids g ON (a.level = 'district' AND g.district_code = a.code)
               OR (a.level = 'street' AND g.street_code = a.code)
               OR (a.level = 'community' AND g.community_code = a.code)
  WHERE a.geom IS NULL
  GROUP BY a.code
)
SELECT a.code, a.level, a.name, a.parent_code, ${POINT_AND_EXTENT}
FROM admin_units a
LEFT JOIN fallback f ON f.code = a.code
CROSS JOIN LATERAL (SELECT CASE WHEN a.level = 'city' THEN NULL ELSE COALESCE(a.geom, f.geom) END AS g) shape
CROSS JOIN LATERAL (SELECT ST_PointOnSurface(shape.g) AS p) point
ORDER BY a.code`;

// Grids, their lowest named parent, a point on them and their extent.
const GRIDS_SQL = `
SELECT code, name, COALESCE(community_code, street_code, district_code) AS parent_code, ${POINT_AND_EXTENT}
FROM grids
CROSS JOIN LATERAL (SELECT geom AS g) shape
CROSS JOIN LATERAL (SELECT ST_PointOnSurface(geom) AS p) point
ORDER BY code`;

// Centers and the lowest named parent of the grid each lies in (the first by code where grids touch).
const CENTERS_SQL = `
SELECT c.id, c.name, c.kind, ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat, grid.parent_code
FROM centers c
LEFT JOIN LATERAL (
  SELECT COALESCE(g.community_code, g.street_code, g.district_code) AS parent_code
  FROM grids g WHERE ST_Intersects(g.geom, c.geom) ORDER BY g.code LIMIT 1
) grid ON true
ORDER BY c.id`;

interface ShapeColumns {
  lon: number | null;
  lat: number | null;
  west: number | null;
  south: number | null;
  east: number | null;
  north: number | null;
}

/** Degrees to 7 decimals (about 1 cm), as every answer gives coordinates. */
const round7 = (v: number | string) => Math.round(Number(v) * 1e7) / 1e7;

const extentOf = (r: ShapeColumns): Extent | null =>
  r.west === null || r.south === null || r.east === null || r.north === null ? null : [round7(r.west), round7(r.south), round7(r.east), round7(r.north)];

const numberOrNull = (v: number | null) => (v === null ? null : round7(v));

/** Runs `read` in one REPEATABLE READ transaction with the data version it sees. */
async function atOneVersion<T>(db: Database, read: (tx: Queryable) => Promise<T>): Promise<T & ReadAt> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const [state] = await tx.query<{ version: string; revision: number }>('SELECT version, revision FROM data_state WHERE id = 1');
    return { ...(await read(tx)), version: state?.version ?? 'empty', revision: Number(state?.revision ?? 0) };
  });
}

/** The admin units (the city too, for names) and the grids. */
export function loadAreaPart(db: Database): Promise<AreaPart> {
  return atOneVersion(db, async (tx) => {
    const areaRows = await tx.query<ShapeColumns & { code: string; level: AreaLevel; name: string; parent_code: string | null }>(AREAS_SQL);
    const gridRows = await tx.query<ShapeColumns & { code: string; name: string; parent_code: string | null }>(GRIDS_SQL);
    return {
      areas: areaRows.map((r) => ({ code: r.code, level: r.level, name: r.name, parentCode: r.parent_code, lon: numberOrNull(r.lon), lat: numberOrNull(r.lat), bbox: extentOf(r) })),
      grids: gridRows.map((r) => ({ code: r.code, name: r.name, parentCode: r.parent_code, lon: round7(r.lon!), lat: round7(r.lat!), bbox: extentOf(r)! })),
    };
  });
}

/** The centers with the unit they lie in. */
export function loadCenterPart(db: Database): Promise<CenterPart> {
  return atOneVersion(db, async (tx) => {
    const rows = await tx.query<{ id: number; name: string; kind: string; lon: number; lat: number; parent_code: string | null }>(CENTERS_SQL);
    return { centers: rows.map((r) => ({ id: Number(r.id), name: r.name, kind: r.kind, lon: round7(r.lon), lat: round7(r.lat), parentCode: r.parent_code })) };
  });
}
