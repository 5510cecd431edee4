/**
 * Many rows in one value: the server packs each row's numbers into a fixed
 * binary record (int4send / float8send, big-endian) and concatenates them with
 * string_agg(... , ''::bytea ORDER BY ...). The client then reads typed values
 * with a DataView instead of building one object per row: for 100k rows about
 * 4x faster on pg and PGlite alike. Use it for large numeric tables loaded
 * whole (graph, household units); keep row objects for small or text tables.
 */

/** A bytea from either backend (pg: Buffer, PGlite: Uint8Array) as a Uint8Array; null is empty. */
export function byteaBytes(value: unknown): Uint8Array {
  if (value === null || value === undefined) return new Uint8Array(0);
  if (value instanceof Uint8Array) return value;
  throw new Error(`expected a bytea value, got ${typeof value}`);
}

/** Sequential big-endian reader over packed records. */
export class PackedReader {
  private readonly view: DataView;
  offset = 0;

  constructor(bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.offset >= this.view.byteLength;
  }

  int32(): number {
    const v = this.view.getInt32(this.offset, false);
    this.offset += 4;
    return v;
  }

  float32(): number {
    const v = this.view.getFloat32(this.offset, false);
    this.offset += 4;
    return v;
  }

  float64(): number {
    const v = this.view.getFloat64(this.offset, false);
    this.offset += 8;
    return v;
  }

  /** The underlying view, for formats with their own byte order (WKB). */
  get dataView(): DataView {
    return this.view;
  }
}
