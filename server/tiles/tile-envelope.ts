/**
 * Web Mercator tile math in TypeScript, matching ST_TileEnvelope: which
 * tiles a lon/lat box touches at a zoom (with the tile buffer, so a change
 * drops every tile whose query would have seen it), and the lon/lat bounds
 * of a tile. Used by cache invalidation and TileJSON; the tile queries
 * themselves use ST_TileEnvelope in SQL.
 */
import type { BBox } from '../../kernel/data-change.ts';

/** Latitude limit of Web Mercator tiles. */
export const MAX_LATITUDE = 85.0511287798066;

/** Fractional tile x of a longitude at zoom z (0 at -180, 2^z at 180). */
export function lonToTileX(lon: number, z: number): number {
  return ((lon + 180) / 360) * 2 ** z;
}

/** Fractional tile y of a latitude at zoom z (0 at the north edge). */
export function latToTileY(lat: number, z: number): number {
  const clamped = Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, lat));
  const s = Math.sin((clamped * Math.PI) / 180);
  return (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * 2 ** z;
}

export function tileXToLon(x: number, z: number): number {
  return (x / 2 ** z) * 360 - 180;
}

export function tileYToLat(y: number, z: number): number {
  const n = Math.PI - (2 * Math.PI * y) / 2 ** z;
  return (180 / Math.PI) * Math.atan(Math.sinh(n));
}

/** Inclusive range of tile columns and rows. */
export interface TileRange {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/**
 * The tiles at zoom z whose buffered envelope (margin: fraction of a tile on
 * each side) meets the box. Rounds outwards by a hair so floating-point noise
 * never leaves out a tile the database query would have matched.
 */
export function tileRangeForBox(box: BBox, z: number, margin: number): TileRange {
  const n = 2 ** z;
  const slack = margin + 1e-9;
  const fx0 = lonToTileX(box[0], z);
  const fx1 = lonToTileX(box[2], z);
  const fy0 = latToTileY(box[3], z);
  const fy1 = latToTileY(box[1], z);
  // Tile x's buffered span is [x - margin, x + 1 + margin]; it meets [fx0, fx1] when x <= fx1 + margin and x + 1 >= fx0 - margin.
  return {
    minX: Math.max(0, Math.ceil(fx0 - slack - 1)),
    maxX: Math.min(n - 1, Math.floor(fx1 + slack)),
    minY: Math.max(0, Math.ceil(fy0 - slack - 1)),
    maxY: Math.min(n - 1, Math.floor(fy1 + slack)),
  };
}

/** [west, south, east, north] of a tile. */
export function tileBounds(z: number, x: number, y: number): BBox {
  return [tileXToLon(x, z), tileYToLat(y + 1, z), tileXToLon(x + 1, z), tileYToLat(y, z)];
}
