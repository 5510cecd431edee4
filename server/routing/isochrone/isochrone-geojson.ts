/**
 * GeoJSON for isochrones (RFC 7946): rings come from build-isochrones as
 * integers of 1e-7 degrees (about 1 cm), counter-clockwise outer rings and
 * clockwise holes. `isochroneGeoJsonText` writes the answer's bytes directly
 * from those integers: digits of an integer with the decimal point put in
 * place, about 3x faster than JSON.stringify's shortest-double conversion on
 * nested arrays, which was a third of a whole Monaco request. `e7Text` is the
 * same formatting as a string, for tests and small uses. The object
 * form (`isochroneFeatureCollection`, `geometryOf`) is for tests and other
 * callers that want objects; both give the same JSON.
 */

export type Position = [number, number];
export type IsochroneGeometry = { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] };

/** A ring in integers of 1e-7 degrees: lon,lat pairs, not repeated at the end. */
export type E7Ring = Int32Array;

/** What lies within a contour's time by network time (coverage/search-reach.ts counts it). */
export interface ContourReach {
  householdUnits: number;
  households: number;
  /** Persons where the data knows them. */
  persons: number;
  /** Centers reached, per kind. */
  centers: Record<string, number>;
}

/** What the writers need of a contour and of the call (build-isochrones' result has these). */
export interface ContourLike {
  minutes: number;
  polygons: E7Ring[][];
  geometry: IsochroneGeometry;
  reachableM: number;
  areaM2: number;
  /** What the contour reaches, when the caller counted it. */
  reach?: ContourReach;
}
export interface ResultLike {
  contours: ContourLike[];
  method: { bufferM: number; generalizeM: number; cellSizeM: number };
}

const E7 = 1e7;

/** Polygon when there is one piece, else MultiPolygon (empty when there is none); rings closed. */
export function geometryOf(polygons: E7Ring[][]): IsochroneGeometry {
  const coordinates = polygons.map((rings) =>
    rings.map((ring) => {
      const n = ring.length / 2;
      const out: Position[] = new Array(n + 1);
      for (let i = 0; i < n; i++) out[i] = [ring[2 * i]! / E7, ring[2 * i + 1]! / E7];
      out[n] = out[0]!;
      return out;
    }),
  );
  return coordinates.length === 1 ? { type: 'Polygon', coordinates: coordinates[0]! } : { type: 'MultiPolygon', coordinates };
}

function featureProperties(c: ContourLike) {
  const base = { minutes: c.minutes, reachable_m: Math.round(c.reachableM), area_m2: Math.round(c.areaM2) };
  if (!c.reach) return base;
  const { householdUnits, households, persons, centers } = c.reach;
  let total = 0;
  for (const n of Object.values(centers)) total += n;
  return { ...base, household_units: householdUnits, households, persons, centers: total, centers_by_kind: centers };
}

function collectionProperties(result: ResultLike, extra: Record<string, unknown>) {
  return {
    ...extra,
    buffer_m: result.method.bufferM,
    generalize_m: result.method.generalizeM,
    cell_size_m: Math.round(result.method.cellSizeM * 100) / 100,
  };
}

/** The answer as objects: one Feature per contour, largest first so smaller ones draw on top. */
export function isochroneFeatureCollection(result: ResultLike, extra: Record<string, unknown> = {}) {
  return {
    type: 'FeatureCollection' as const,
    features: [...result.contours].reverse().map((c) => ({ type: 'Feature' as const, properties: featureProperties(c), geometry: c.geometry })),
    properties: collectionProperties(result, extra),
  };
}

/** The same answer as JSON text, written straight from the integer rings into bytes. */
export function isochroneGeoJsonText(result: ResultLike, extra: Record<string, unknown> = {}): string {
  const contours = [...result.contours].reverse();
  let vertices = 0;
  let rings = 0;
  for (const c of contours) {
    for (const p of c.polygons) {
      for (const r of p) {
        vertices += r.length / 2 + 1;
        rings++;
      }
    }
  }
  const out = new ByteWriter(256 + VERTEX_BYTES * vertices + 4 * rings + 256 * contours.length);
  out.ascii('{"type":"FeatureCollection","features":[');
  contours.forEach((c, k) => {
    if (k > 0) out.byte(COMMA);
    out.ascii('{"type":"Feature","properties":');
    out.text(JSON.stringify(featureProperties(c)));
    const many = c.polygons.length !== 1;
    out.ascii(many ? ',"geometry":{"type":"MultiPolygon","coordinates":[' : ',"geometry":{"type":"Polygon","coordinates":');
    c.polygons.forEach((polygon, p) => {
      if (p > 0) out.byte(COMMA);
      out.byte(OPEN);
      polygon.forEach((ring, r) => {
        if (r > 0) out.byte(COMMA);
        out.ring(ring);
      });
      out.byte(CLOSE);
    });
    out.ascii(many ? ']}}' : '}}');
  });
  out.ascii('],"properties":');
  out.text(JSON.stringify(collectionProperties(result, extra)));
  out.byte(0x7d);
  return out.toString();
}

const COMMA = 0x2c;
const OPEN = 0x5b;
const CLOSE = 0x5d;

/** At most this many bytes per written vertex: "[-180.1234567,-90.1234567]," is 27. */
const VERTEX_BYTES = 28;

/** Bytes of JSON text, grown when the estimate was short. */
class ByteWriter {
  private buf: Buffer;
  /** The same bytes, for writing two or four at once. */
  private view: DataView;
  private pos = 0;
  /** Whether every byte so far is ASCII: then the text decodes as latin1, a plain copy. */
  private allAscii = true;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  private room(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }

  ascii(text: string): void {
    this.room(text.length);
    this.pos += this.buf.write(text, this.pos, 'latin1');
  }

  text(text: string): void {
    const bytes = Buffer.byteLength(text);
    if (bytes !== text.length) this.allAscii = false;
    this.room(bytes);
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  /** A closed ring: [[lon,lat],...,[lon0,lat0]]. */
  ring(ring: E7Ring): void {
    const n = ring.length / 2;
    // writeE7 may write up to 6 bytes past a number's end (overwritten next), never past its widest form.
    this.room(VERTEX_BYTES * (n + 1) + 8);
    const buf = this.buf;
    const view = this.view;
    let pos = this.pos;
    buf[pos++] = OPEN;
    for (let i = 0; i <= n; i++) {
      const k = i === n ? 0 : i;
      if (i > 0) buf[pos++] = COMMA;
      buf[pos++] = OPEN;
      pos = writeE7(buf, view, pos, ring[2 * k]!);
      buf[pos++] = COMMA;
      pos = writeE7(buf, view, pos, ring[2 * k + 1]!);
      buf[pos++] = CLOSE;
    }
    buf[pos++] = CLOSE;
    this.pos = pos;
  }

  toString(): string {
    return this.buf.toString(this.allAscii ? 'latin1' : 'utf8', 0, this.pos);
  }
}

/** ASCII digits of 0..99, the first in the low byte (little-endian stores put it first). */
const DIGIT_PAIRS = Uint16Array.from({ length: 100 }, (_, i) => (48 + Math.floor(i / 10)) | ((48 + (i % 10)) << 8));
/** ".ddd" for 0..999 and "dddd" for 0..9999, as little-endian 32-bit words (44 kB of constants). */
const DOT_DIGITS3 = Uint32Array.from({ length: 1000 }, (_, i) => 0x2e | (DIGIT_PAIRS[Math.floor(i / 10)]! << 8) | ((48 + (i % 10)) << 24));
const DIGITS4 = Uint32Array.from({ length: 10000 }, (_, i) => DIGIT_PAIRS[Math.floor(i / 100)]! | (DIGIT_PAIRS[i % 100]! << 16));

/**
 * Writes n / 1e7 (|n| < 2^31) as a decimal without trailing zeros (at most
 * 12 bytes; the bytes after its end up to 12 may be written too, to be
 * overwritten). The fraction's seven digits go out as two four-byte stores
 * from tables (".ddd" and "dddd": one division, no digit loop), then the
 * trailing zeros are taken back: 0.4 of the time of a store per digit.
 */
function writeE7(buf: Buffer, view: DataView, pos: number, n: number): number {
  if (n < 0) {
    buf[pos++] = 0x2d;
    n = -n;
  }
  const whole = (n / 10000000) | 0;
  const frac = n - whole * 10000000;
  if (whole >= 100) {
    const h = (whole / 100) | 0;
    buf[pos++] = 48 + h;
    view.setUint16(pos, DIGIT_PAIRS[whole - h * 100]!, true);
    pos += 2;
  } else if (whole >= 10) {
    view.setUint16(pos, DIGIT_PAIRS[whole]!, true);
    pos += 2;
  } else {
    buf[pos++] = 48 + whole;
  }
  if (frac === 0) return pos;
  const high = (frac / 10000) | 0;
  const low = DIGITS4[frac - high * 10000]!;
  view.setUint32(pos, DOT_DIGITS3[high]!, true);
  view.setUint32(pos + 4, low, true);
  if (low >>> 24 !== 48) return pos + 8;
  pos += 7;
  while (buf[pos - 1] === 48) pos--;
  return pos;
}

const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000'];

/** n / 1e7 as the shortest decimal that parses back to it (the same text JSON gives, up to form). */
export function e7Text(n: number): string {
  if (n < 0) return '-' + e7Text(-n);
  const whole = Math.floor(n / E7);
  let frac = n - whole * E7;
  if (frac === 0) return String(whole);
  let digits = 7;
  while (frac % 10 === 0) {
    frac /= 10;
    digits--;
  }
  const text = String(frac);
  return `${whole}.${ZEROS[digits - text.length]}${text}`;
}
