/**
 * Reads the WKB that the embedded tile query returns (geometries already in
 * tile units) straight into the flat TileGeometry the MVT encoder takes: no
 * GeoJSON objects in between. Collections keep their highest-dimension
 * members, as ST_AsMVTGeom reduces them to one basic type.
 */
import { GEOM_LINESTRING, GEOM_POINT, GEOM_POLYGON, type TileGeometry } from './mvt-encoder.ts';

class WkbCursor {
  offset = 0;
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  uint8(): number {
    return this.view.getUint8(this.offset++);
  }
  uint32(le: boolean): number {
    const v = this.view.getUint32(this.offset, le);
    this.offset += 4;
    return v;
  }
  double(le: boolean): number {
    const v = this.view.getFloat64(this.offset, le);
    this.offset += 8;
    return v;
  }
}

/** Collects parts of one basic type. */
class Collector {
  coords: number[] = [];
  partEnds: number[] = [];
  ringsPerPolygon: number[] = [];
  constructor(readonly dimension: 0 | 1 | 2) {}
  get points(): number {
    return this.coords.length / 2;
  }
}

/** Dimension of a WKB geometry type: 0 points, 1 lines, 2 polygons, -1 collection. */
function dimensionOf(type: number): number {
  switch (type) {
    case 1:
    case 4:
      return 0;
    case 2:
    case 5:
      return 1;
    case 3:
    case 6:
      return 2;
    case 7:
      return -1;
    default:
      throw new Error(`WKB geometry type ${type} is not supported in tiles`);
  }
}

/** Highest dimension among the basic geometries in a WKB (reads without keeping). */
function maxDimension(cursor: WkbCursor): number {
  const le = cursor.uint8() === 1;
  const type = cursor.uint32(le) % 1000;
  const dim = dimensionOf(type);
  if (type === 1) {
    cursor.offset += 16;
    return dim;
  }
  if (type === 2) {
    skipRun(cursor, le);
    return dim;
  }
  if (type === 3) {
    const rings = cursor.uint32(le);
    for (let r = 0; r < rings; r++) skipRun(cursor, le);
    return dim;
  }
  let best = dim;
  const n = cursor.uint32(le);
  for (let i = 0; i < n; i++) best = Math.max(best, maxDimension(cursor));
  return best;
}

/** Passes over a run of points (a linestring or a ring): its count, then 16 bytes a point. */
function skipRun(cursor: WkbCursor, le: boolean): void {
  const n = cursor.uint32(le);
  cursor.offset += 16 * n;
}

/** A run of points as one part of `out`; passed over when `keep` is false (another dimension). */
function readRun(cursor: WkbCursor, le: boolean, out: Collector, keep: boolean): void {
  if (!keep) return skipRun(cursor, le);
  const n = cursor.uint32(le);
  for (let i = 0; i < n; i++) {
    // Tile coordinates are whole numbers after ST_SnapToGrid; round away float noise.
    out.coords.push(Math.round(cursor.double(le)), Math.round(cursor.double(le)));
  }
  out.partEnds.push(out.points);
}

function readInto(cursor: WkbCursor, out: Collector): void {
  const le = cursor.uint8() === 1;
  const type = cursor.uint32(le) % 1000;
  const dim = dimensionOf(type);
  const keep = dim === out.dimension;
  switch (type) {
    case 1: {
      const x = cursor.double(le);
      const y = cursor.double(le);
      // POINT EMPTY is written as NaN, NaN.
      if (keep && !Number.isNaN(x)) {
        out.coords.push(Math.round(x), Math.round(y));
        out.partEnds.push(out.points);
      }
      return;
    }
    case 2:
      readRun(cursor, le, out, keep);
      return;
    case 3: {
      const rings = cursor.uint32(le);
      for (let r = 0; r < rings; r++) readRun(cursor, le, out, keep);
      if (keep && rings > 0) out.ringsPerPolygon.push(rings);
      return;
    }
    default: {
      const n = cursor.uint32(le);
      for (let i = 0; i < n; i++) readInto(cursor, out);
    }
  }
}

const MVT_TYPE = [GEOM_POINT, GEOM_LINESTRING, GEOM_POLYGON] as const;

/** A WKB geometry in tile units as a TileGeometry; null when empty. */
export function readTileWkb(bytes: Uint8Array): TileGeometry | null {
  const dim = maxDimension(new WkbCursor(bytes));
  if (dim < 0) return null;
  const out = new Collector(dim as 0 | 1 | 2);
  readInto(new WkbCursor(bytes), out);
  if (out.partEnds.length === 0) return null;
  return {
    type: MVT_TYPE[dim]!,
    coords: Int32Array.from(out.coords),
    partEnds: Uint32Array.from(out.partEnds),
    ringsPerPolygon: dim === 2 ? Uint32Array.from(out.ringsPerPolygon) : undefined,
  };
}
