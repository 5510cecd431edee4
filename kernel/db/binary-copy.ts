/**
 * PostgreSQL's binary COPY format, written straight from typed arrays, with
 * geometries as EWKB (SRID 4326) fields. This is how a city goes into the
 * store: the server reads each field with the type's binary receive function
 * (PostGIS's geometry_recv takes EWKB as is), so nothing is printed as text
 * and parsed back, which is what unnest() over bound arrays cost (about 10 µs
 * a row). Both backends take the same bytes: `pg` as COPY FROM STDIN, PGlite
 * as COPY FROM '/dev/blob' (see `copyStatement`).
 *
 * Format: https://www.postgresql.org/docs/current/sql-copy.html (binary):
 * an 11-byte signature, flags and extension length; per row an int16 field
 * count, then per field an int32 byte length (-1 = NULL) and the bytes, all
 * integers big-endian; an int16 -1 at the end. EWKB inside a field is little
 * endian, as its first byte says.
 */
import type { FlatRing, MultiPolygonCoords, Position } from '../import-bundle.ts';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const TEXT_OID = 25;
/** WKB geometry type codes (OGC simple features), of the types written here. */
const WKB = { point: 1, lineString: 2, polygon: 3, multiPolygon: 6 } as const;
/** EWKB: this flag in the type code says an SRID follows; ours is always 4326. */
const SRID_FLAG = 0x20000000;
const SRID = 4326;
/** Finished chunks are handed on at about this size, so the server works while we encode. */
const CHUNK_BYTES = 256 * 1024;

function viewOf(buffer: Buffer): DataView {
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Flat coordinates can be copied byte for byte into little-endian EWKB on little-endian machines (x86, ARM). */
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/** UTF-8 bytes of a text value, for values written many times (see `encodedText`). */
export function utf8(value: string | null): Uint8Array | null {
  return value === null ? null : Buffer.from(value, 'utf8');
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * The COPY statement for a table and its columns. Names must be plain lower
 * case identifiers (callers pass constants); anything else is refused rather
 * than quoted, so no input can reach the SQL text.
 */
export function copyStatement(table: string, columns: readonly string[], source: 'STDIN' | "'/dev/blob'"): string {
  for (const name of [table, ...columns]) {
    if (!IDENTIFIER.test(name)) throw new Error(`not a plain identifier: ${JSON.stringify(name)}`);
  }
  return `COPY ${table} (${columns.join(', ')}) FROM ${source} (FORMAT binary)`;
}

/** Encodes rows into chunks of binary COPY data. Call `row(n)` then exactly n field methods per row. */
export class BinaryCopyWriter {
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES + 64 * 1024);
  // Numbers go through a DataView: its setters are engine builtins, fast even
  // before the JIT has compiled the caller (a one-shot import runs cold).
  private view = viewOf(this.buffer);
  private offset = 0;
  private readonly done: Buffer<ArrayBuffer>[] = [];
  private fieldsLeft = 0;
  private bytesOf: Float64Array | null = null;
  private valueBytes: Buffer = Buffer.alloc(0);
  private lengthAt = -1;

  constructor() {
    SIGNATURE.copy(this.buffer, 0);
    this.view.setInt32(11, 0); // flags: no OIDs
    this.view.setInt32(15, 0); // no header extension
    this.offset = 19;
  }

  /** Starts a row of `fields` fields; finishes the previous one. */
  row(fields: number): this {
    this.checkRowComplete();
    if (this.offset >= CHUNK_BYTES) this.cut();
    this.reserve(2);
    this.view.setInt16(this.offset, fields);
    this.offset += 2;
    this.fieldsLeft = fields;
    return this;
  }

  /** True when `takeChunks` has something: checked per row, it allocates nothing. */
  get hasChunks(): boolean {
    return this.done.length > 0;
  }

  /** Chunks completed so far (the caller takes ownership). */
  takeChunks(): Buffer<ArrayBuffer>[] {
    return this.done.splice(0, this.done.length);
  }

  /** Writes the trailer and returns the last chunks. */
  end(): Buffer<ArrayBuffer>[] {
    this.checkRowComplete();
    this.reserve(2);
    this.view.setInt16(this.offset, -1);
    this.offset += 2;
    this.cut();
    return this.takeChunks();
  }

  null(): this {
    this.field(-1);
    return this;
  }

  int4(value: number): this {
    this.view.setInt32(this.fixed(4), value);
    return this;
  }

  /** A bigint column from a JS number (OSM ids fit in 53 bits). */
  int8(value: number): this {
    this.view.setBigInt64(this.fixed(8), BigInt(value));
    return this;
  }

  float4(value: number): this {
    this.view.setFloat32(this.fixed(4), value);
    return this;
  }

  float8(value: number): this {
    this.view.setFloat64(this.fixed(8), value);
    return this;
  }

  text(value: string | null): this {
    if (value === null) return this.null();
    // UTF-8 takes at most 3 bytes per UTF-16 unit; the length is written after.
    this.reserve(4 + value.length * 3);
    const at = this.offset;
    this.field(0);
    const bytes = this.buffer.write(value, this.offset, 'utf8');
    this.view.setInt32(at, bytes);
    this.offset += bytes;
    return this;
  }

  /** A text value already encoded with `utf8`: one copy instead of an encode per row. */
  encodedText(bytes: Uint8Array | null): this {
    if (bytes === null) return this.null();
    this.field(bytes.length);
    this.buffer.set(bytes, this.offset);
    this.offset += bytes.length;
    return this;
  }

  /** A one-dimensional text[] (no NULL elements). */
  textArray(values: readonly string[]): this {
    const start = this.beginVariable();
    this.reserve(20);
    this.view.setInt32(this.offset, values.length > 0 ? 1 : 0); // dimensions
    this.view.setInt32(this.offset + 4, 0); // no NULL elements
    this.view.setInt32(this.offset + 8, TEXT_OID);
    this.offset += 12;
    if (values.length > 0) {
      this.view.setInt32(this.offset, values.length);
      this.view.setInt32(this.offset + 4, 1); // lower bound
      this.offset += 8;
    }
    for (const value of values) {
      this.reserve(4 + value.length * 3);
      const bytes = this.buffer.write(value, this.offset + 4, 'utf8');
      this.view.setInt32(this.offset, bytes);
      this.offset += 4 + bytes;
    }
    this.endVariable(start);
    return this;
  }

  point(lon: number, lat: number): this {
    this.field(25);
    this.ewkbHeader(WKB.point, true);
    this.double(lon);
    this.double(lat);
    return this;
  }

  /** A LineString from a flat lon,lat array, vertices [fromVertex, toVertex). */
  lineFromFlat(coords: Float64Array, fromVertex: number, toVertex: number): this {
    const n = toVertex - fromVertex;
    this.field(13 + n * 16);
    this.ewkbHeader(WKB.lineString, true);
    this.uint32(n);
    this.doubles(coords, fromVertex * 2, toVertex * 2);
    return this;
  }

  line(points: readonly Position[]): this {
    this.field(13 + points.length * 16);
    this.ewkbHeader(WKB.lineString, true);
    this.uint32(points.length);
    for (const [x, y] of points) {
      this.double(x);
      this.double(y);
    }
    return this;
  }

  multiPolygon(polygons: MultiPolygonCoords | null): this {
    if (polygons === null) return this.null();
    let size = 13;
    for (const rings of polygons) {
      size += 9;
      for (const ring of rings) size += 4 + ring.length * 16;
    }
    this.field(size);
    this.ewkbHeader(WKB.multiPolygon, true);
    this.uint32(polygons.length);
    for (const rings of polygons) {
      this.ewkbHeader(WKB.polygon, false);
      this.uint32(rings.length);
      for (const ring of rings) {
        this.uint32(ring.length);
        for (const [x, y] of ring) {
          this.double(x);
          this.double(y);
        }
      }
    }
    return this;
  }

  /** A MultiPolygon of one polygon with one outer ring from flat coordinates, closed if its ends differ. */
  ringPolygon({ coords, from, to }: FlatRing): this {
    const open = coords[2 * from] !== coords[2 * to - 2] || coords[2 * from + 1] !== coords[2 * to - 1];
    const n = to - from + (open ? 1 : 0);
    this.field(13 + 9 + 4 + n * 16);
    this.ewkbHeader(WKB.multiPolygon, true);
    this.uint32(1);
    this.ewkbHeader(WKB.polygon, false);
    this.uint32(1);
    this.uint32(n);
    this.doubles(coords, 2 * from, 2 * to);
    if (open) {
      this.double(coords[2 * from]!);
      this.double(coords[2 * from + 1]!);
    }
    return this;
  }

  /** Writes a field's length and makes room for its bytes. */
  private field(bytes: number): void {
    if (this.fieldsLeft-- <= 0) throw new Error('binary COPY: more fields than the row declared');
    this.reserve(4 + Math.max(bytes, 0));
    this.view.setInt32(this.offset, bytes);
    this.offset += 4;
  }

  /** Writes a fixed-size field's length and returns where its value goes, moving past it. */
  private fixed(bytes: number): number {
    this.field(bytes);
    const at = this.offset;
    this.offset += bytes;
    return at;
  }

  /** For fields whose length is known only after writing: returns where the length goes. */
  private beginVariable(): number {
    this.field(0);
    this.lengthAt = this.offset - 4;
    return this.offset;
  }

  private endVariable(start: number): void {
    this.view.setInt32(this.lengthAt, this.offset - start);
    this.lengthAt = -1;
  }

  private checkRowComplete(): void {
    if (this.fieldsLeft !== 0) throw new Error(`binary COPY: a row is missing ${this.fieldsLeft} field(s)`);
  }

  private ewkbHeader(type: number, withSrid: boolean): void {
    this.view.setUint8(this.offset, 1); // little endian
    this.view.setUint32(this.offset + 1, withSrid ? type | SRID_FLAG : type, true);
    this.offset += 5;
    if (withSrid) this.uint32(SRID);
  }

  private uint32(value: number): void {
    this.view.setUint32(this.offset, value, true);
    this.offset += 4;
  }

  private double(value: number): void {
    this.view.setFloat64(this.offset, value, true);
    this.offset += 8;
  }

  /** values[from, to) as little-endian doubles: one memory copy where the machine is little-endian. */
  private doubles(values: Float64Array, from: number, to: number): void {
    if (LITTLE_ENDIAN) {
      // Importers keep all coordinates in one big array: its byte view is made once.
      if (this.bytesOf !== values) {
        this.bytesOf = values;
        this.valueBytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
      }
      this.valueBytes.copy(this.buffer, this.offset, from * 8, to * 8);
      this.offset += (to - from) * 8;
    } else {
      for (let i = from; i < to; i++) this.double(values[i]!);
    }
  }

  /** Grows the current chunk (copying the part written so far) when `bytes` do not fit. */
  private reserve(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.offset + bytes));
    this.buffer.copy(next, 0, 0, this.offset);
    this.buffer = next;
    this.view = viewOf(next);
  }

  /** Hands on the current chunk and starts a new one. */
  private cut(): void {
    if (this.offset > 0) this.done.push(this.buffer.subarray(0, this.offset));
    this.buffer = Buffer.allocUnsafe(CHUNK_BYTES + 64 * 1024);
    this.view = viewOf(this.buffer);
    this.offset = 0;
  }
}
