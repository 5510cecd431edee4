/**
 * Many geometries as EWKB (SRID 4326) in ONE bytea parameter with offsets:
 * the cheapest way to hand a city's geometries to PostGIS through bound
 * parameters. A text[] of hex strings is twice the bytes and parsed element
 * by element; one bytea is decoded once and sliced with substring() in SQL
 * (see `EWKB_SLICE`), about 2.5x faster for Monaco's buildings.
 */
import type { MultiPolygonCoords, Position } from '../../data-pipeline/import-bundle.ts';

const SRID = 4326;
const WKB_POINT = 1;
const WKB_LINESTRING = 2;
const WKB_POLYGON = 3;
const WKB_MULTIPOLYGON = 6;
const SRID_FLAG = 0x20000000;

/** SQL for geometry i of a batch: bind bytes, offsets and lengths as $B, $O[], $L[] and unnest O and L as (o, l). */
export const EWKB_SLICE = (bytes: string, o = 'o', l = 'l') =>
  `CASE WHEN ${l} > 0 THEN ST_GeomFromEWKB(substring(${bytes}::bytea FROM ${o} FOR ${l})) END`;

export interface EwkbSlices {
  bytes: Buffer;
  /** 1-based offsets, as SQL substring() counts. */
  offsets: number[];
  lengths: number[];
}

/** Appends geometries to one growing buffer; `take(from, to)` gives a batch's slice. */
export class EwkbBatch {
  private buffer = Buffer.allocUnsafe(1 << 16);
  private offset = 0;
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  private reserve(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.offset + bytes));
    this.buffer.copy(next, 0, 0, this.offset);
    this.buffer = next;
  }
  private header(type: number, withSrid: boolean): void {
    this.buffer.writeUInt8(1, this.offset); // little endian
    this.buffer.writeUInt32LE(withSrid ? type | SRID_FLAG : type, this.offset + 1);
    this.offset += 5;
    if (withSrid) this.uint32(SRID);
  }
  private uint32(value: number): void {
    this.buffer.writeUInt32LE(value, this.offset);
    this.offset += 4;
  }
  private double(value: number): void {
    this.buffer.writeDoubleLE(value, this.offset);
    this.offset += 8;
  }
  private begin(bytes: number): void {
    this.reserve(bytes);
    this.starts.push(this.offset);
  }
  private end(): void {
    this.ends.push(this.offset);
  }

  /** A missing geometry (SQL NULL). */
  none(): void {
    this.starts.push(this.offset);
    this.ends.push(this.offset);
  }

  point(lon: number, lat: number): void {
    this.begin(25);
    this.header(WKB_POINT, true);
    this.double(lon);
    this.double(lat);
    this.end();
  }

  /** A LineString from a flat lon,lat array, vertices [fromVertex, toVertex). */
  lineFromFlat(coords: Float64Array, fromVertex: number, toVertex: number): void {
    const n = toVertex - fromVertex;
    this.begin(13 + n * 16);
    this.header(WKB_LINESTRING, true);
    this.uint32(n);
    for (let i = fromVertex * 2; i < toVertex * 2; i++) this.double(coords[i]!);
    this.end();
  }

  line(points: Position[]): void {
    this.begin(13 + points.length * 16);
    this.header(WKB_LINESTRING, true);
    this.uint32(points.length);
    for (const [x, y] of points) {
      this.double(x);
      this.double(y);
    }
    this.end();
  }

  multiPolygon(polygons: MultiPolygonCoords): void {
    let size = 13;
    for (const rings of polygons) {
      size += 9;
      for (const ring of rings) size += 4 + ring.length * 16;
    }
    this.begin(size);
    this.header(WKB_MULTIPOLYGON, true);
    this.uint32(polygons.length);
    for (const rings of polygons) {
      this.header(WKB_POLYGON, false);
      this.uint32(rings.length);
      for (const ring of rings) {
        this.uint32(ring.length);
        for (const [x, y] of ring) {
          this.double(x);
          this.double(y);
        }
      }
    }
    this.end();
  }

  /** Geometries [from, to) as one buffer with 1-based offsets for SQL. */
  take(from: number, to: number): EwkbSlices {
    const base = this.starts[from] ?? this.offset;
    const stop = to > from ? this.ends[to - 1]! : base;
    const offsets = new Array<number>(to - from);
    const lengths = new Array<number>(to - from);
    for (let i = from; i < to; i++) {
      offsets[i - from] = this.starts[i]! - base + 1;
      lengths[i - from] = this.ends[i]! - this.starts[i]!;
    }
    return { bytes: this.buffer.subarray(base, stop), offsets, lengths };
  }
}
