/**
 * Geometry to hex EWKB (SRID 4326), the cheapest way to hand many geometries
 * to PostGIS through bound parameters: a text[] of hex strings cast to
 * geometry in SQL, identical on both backends and with no WKT parsing.
 */
import type { MultiPolygonCoords, Position } from '../../data-pipeline/import-bundle.ts';

const SRID = 4326;
const WKB_POINT = 1;
const WKB_LINESTRING = 2;
const WKB_POLYGON = 3;
const WKB_MULTIPOLYGON = 6;
const SRID_FLAG = 0x20000000;

class HexWriter {
  private buffer: Buffer;
  private offset = 0;
  constructor(size: number) {
    this.buffer = Buffer.allocUnsafe(size);
  }
  header(type: number, withSrid: boolean): void {
    this.buffer.writeUInt8(1, this.offset); // little endian
    this.buffer.writeUInt32LE(withSrid ? type | SRID_FLAG : type, this.offset + 1);
    this.offset += 5;
    if (withSrid) this.uint32(SRID);
  }
  uint32(value: number): void {
    this.buffer.writeUInt32LE(value, this.offset);
    this.offset += 4;
  }
  double(value: number): void {
    this.buffer.writeDoubleLE(value, this.offset);
    this.offset += 8;
  }
  hex(): string {
    return this.buffer.toString('hex', 0, this.offset);
  }
}

export function pointEwkb(lon: number, lat: number): string {
  const w = new HexWriter(25);
  w.header(WKB_POINT, true);
  w.double(lon);
  w.double(lat);
  return w.hex();
}

/** A LineString from a flat lon,lat array slice [from, to) in vertex units. */
export function lineEwkbFromFlat(coords: Float64Array, fromVertex: number, toVertex: number): string {
  const n = toVertex - fromVertex;
  const w = new HexWriter(13 + n * 16);
  w.header(WKB_LINESTRING, true);
  w.uint32(n);
  for (let i = fromVertex * 2; i < toVertex * 2; i++) w.double(coords[i]!);
  return w.hex();
}

export function lineEwkb(points: Position[]): string {
  const w = new HexWriter(13 + points.length * 16);
  w.header(WKB_LINESTRING, true);
  w.uint32(points.length);
  for (const [x, y] of points) {
    w.double(x);
    w.double(y);
  }
  return w.hex();
}

export function multiPolygonEwkb(polygons: MultiPolygonCoords): string {
  let size = 13;
  for (const rings of polygons) {
    size += 9;
    for (const ring of rings) size += 4 + ring.length * 16;
  }
  const w = new HexWriter(size);
  w.header(WKB_MULTIPOLYGON, true);
  w.uint32(polygons.length);
  for (const rings of polygons) {
    w.header(WKB_POLYGON, false);
    w.uint32(rings.length);
    for (const ring of rings) {
      w.uint32(ring.length);
      for (const [x, y] of ring) {
        w.double(x);
        w.double(y);
      }
    }
  }
  return w.hex();
}
