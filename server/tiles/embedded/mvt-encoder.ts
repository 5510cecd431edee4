/**
 * Mapbox Vector Tile 2.1 encoder for the embedded database, which cannot run
 * ST_AsMVT. Writes what ST_AsMVT writes for the same rows: one layer message
 * per layer (version 2, extent 4096), feature ids, keys and deduplicated
 * values typed as ST_AsMVT types them (text: string, real: float, double:
 * double, integer: uint or sint by sign, bool), and geometry as command
 * integers (MoveTo/LineTo/ClosePath, zigzag deltas with one cursor across a
 * feature's parts). Polygon rings are oriented as the spec wants: exterior
 * rings with positive surveyor's area in tile coordinates (clockwise on
 * screen, y down), holes negative; rings under one square tile unit are dropped, as
 * wagyu drops them on the server.
 *
 * A layer without features is left out of the tile, and a tile without
 * layers is zero bytes, both as ST_AsMVT does, so an empty tile is empty on
 * both backends.
 */
import Pbf from 'pbf';
import type { FieldType } from '../layers.ts';

/** MVT geometry types. */
export const GEOM_POINT = 1;
export const GEOM_LINESTRING = 2;
export const GEOM_POLYGON = 3;

/**
 * One feature's geometry in tile units, flat: the points of every part in one
 * array. Parts are the points of a (multi)point, the lines of a
 * (multi)linestring, or the rings of a (multi)polygon.
 */
export interface TileGeometry {
  type: typeof GEOM_POINT | typeof GEOM_LINESTRING | typeof GEOM_POLYGON;
  /** x0, y0, x1, y1, ... */
  coords: Int32Array;
  /** Exclusive end of each part, in points. */
  partEnds: Uint32Array;
  /** Polygons: how many rings each polygon has (its exterior first, then holes). */
  ringsPerPolygon?: Uint32Array;
}

const CMD_MOVE_TO = 1;
const CMD_LINE_TO = 2;
const CMD_CLOSE_PATH = 7;

const command = (id: number, count: number) => (id & 0x7) | (count << 3);
const zigzag = (n: number) => ((n << 1) ^ (n >> 31)) >>> 0;

/** Writes one feature's geometry commands; tracks the cursor across parts. */
class GeometryWriter {
  out: number[] = [];
  private x = 0;
  private y = 0;

  points(coords: Int32Array, from: number, to: number): void {
    if (to <= from) return;
    this.out.push(command(CMD_MOVE_TO, to - from));
    for (let i = from; i < to; i++) this.delta(coords[2 * i]!, coords[2 * i + 1]!);
  }

  /** A path of n >= 2 points given by index list; closes it when `ring`. */
  path(coords: Int32Array, indices: Int32Array, n: number, ring: boolean): void {
    this.out.push(command(CMD_MOVE_TO, 1));
    this.delta(coords[2 * indices[0]!]!, coords[2 * indices[0]! + 1]!);
    this.out.push(command(CMD_LINE_TO, n - 1));
    for (let k = 1; k < n; k++) this.delta(coords[2 * indices[k]!]!, coords[2 * indices[k]! + 1]!);
    if (ring) this.out.push(command(CMD_CLOSE_PATH, 1));
  }

  private delta(x: number, y: number): void {
    this.out.push(zigzag(x - this.x), zigzag(y - this.y));
    this.x = x;
    this.y = y;
  }
}

/**
 * Indices of a part's points without consecutive repeats (and, for rings,
 * without the closing point); returns how many.
 */
function distinctPoints(coords: Int32Array, from: number, to: number, ring: boolean, out: Int32Array): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    if (n > 0) {
      const last = out[n - 1]!;
      if (coords[2 * i] === coords[2 * last] && coords[2 * i + 1] === coords[2 * last + 1]) continue;
    }
    out[n++] = i;
  }
  if (ring && n > 1) {
    const first = out[0]!;
    const last = out[n - 1]!;
    if (coords[2 * first] === coords[2 * last] && coords[2 * first + 1] === coords[2 * last + 1]) n--;
  }
  return n;
}

/** Twice the surveyor's area of a ring in tile coordinates (positive: clockwise on screen). */
function ringArea2(coords: Int32Array, indices: Int32Array, n: number): number {
  let sum = 0;
  for (let k = 0, j = n - 1; k < n; j = k++) {
    const a = indices[j]!;
    const b = indices[k]!;
    sum += coords[2 * a]! * coords[2 * b + 1]! - coords[2 * b]! * coords[2 * a + 1]!;
  }
  return sum;
}

function reverse(indices: Int32Array, n: number): void {
  for (let i = 0, j = n - 1; i < j; i++, j--) {
    const t = indices[i]!;
    indices[i] = indices[j]!;
    indices[j] = t;
  }
}

/** The command integers of a geometry, or null when nothing drawable is left. */
export function encodeGeometry(geometry: TileGeometry): number[] | null {
  const { coords, partEnds } = geometry;
  const writer = new GeometryWriter();
  if (geometry.type === GEOM_POINT) {
    writer.points(coords, 0, partEnds.length ? partEnds[partEnds.length - 1]! : 0);
    return writer.out.length ? writer.out : null;
  }
  const scratch = new Int32Array(coords.length / 2);
  if (geometry.type === GEOM_LINESTRING) {
    let from = 0;
    for (const end of partEnds) {
      const n = distinctPoints(coords, from, end, false, scratch);
      if (n >= 2) writer.path(coords, scratch, n, false);
      from = end;
    }
    return writer.out.length ? writer.out : null;
  }
  const rings = geometry.ringsPerPolygon ?? Uint32Array.of(partEnds.length);
  let part = 0;
  let from = 0;
  for (const ringCount of rings) {
    let exteriorKept = false;
    for (let r = 0; r < ringCount; r++, part++) {
      const end = partEnds[part]!;
      const n = distinctPoints(coords, from, end, true, scratch);
      from = end;
      const exterior = r === 0;
      if (!exterior && !exteriorKept) continue;
      if (n < 3) continue;
      const area = ringArea2(coords, scratch, n);
      // Rings under one square unit go, as wagyu drops them on the server.
      if (Math.abs(area) < 2) continue;
      if (exterior ? area < 0 : area > 0) reverse(scratch, n);
      writer.path(coords, scratch, n, true);
      if (exterior) exteriorKept = true;
    }
  }
  return writer.out.length ? writer.out : null;
}

/** Value tables of one layer: each distinct value once, by type, as ST_AsMVT keeps them. */
class ValueTable {
  readonly values: { type: FieldType; value: string | number | boolean }[] = [];
  private readonly byType: Record<FieldType, Map<string | number | boolean, number>> = {
    string: new Map(),
    integer: new Map(),
    number: new Map(),
    float: new Map(),
    boolean: new Map(),
  };

  index(type: FieldType, value: string | number | boolean): number {
    const key = type === 'float' ? Math.fround(value as number) : value;
    const map = this.byType[type];
    let i = map.get(key);
    if (i === undefined) {
      i = this.values.length;
      map.set(key, i);
      this.values.push({ type, value: key });
    }
    return i;
  }
}

interface EncodedFeature {
  id: number | null;
  type: number;
  tags: number[];
  geometry: number[];
}

/** One MVT layer being built: add features, then encodeTile(). */
export class MvtLayerWriter {
  private readonly features: EncodedFeature[] = [];
  private readonly values = new ValueTable();

  /**
   * @param name layer name
   * @param fields property names and types, in the order addFeature's values
   *   come; every name is a key, in this order, as ST_AsMVT lists its columns
   * @param extent tile units per tile side
   */
  constructor(
    readonly name: string,
    private readonly fields: readonly { name: string; type: FieldType }[],
    readonly extent = 4096,
  ) {}

  get length(): number {
    return this.features.length;
  }

  /**
   * Adds a feature; values[i] belongs to fields[i] (null/undefined: left out).
   * A negative or null id is left out, as ST_AsMVT does. Returns false when
   * the geometry has nothing drawable and the feature was skipped.
   */
  addFeature(id: number | null, values: readonly unknown[], geometry: TileGeometry): boolean {
    const commands = encodeGeometry(geometry);
    if (!commands) return false;
    const tags: number[] = [];
    for (let i = 0; i < this.fields.length; i++) {
      const value = values[i];
      if (value === null || value === undefined) continue;
      tags.push(i, this.values.index(this.fields[i]!.type, value as string | number | boolean));
    }
    this.features.push({ id: id !== null && id >= 0 ? id : null, type: geometry.type, tags, geometry: commands });
    return true;
  }

  /** Writes the layer message's fields, in field-number order as protobuf-c (ST_AsMVT) does. */
  write(pbf: Pbf): void {
    pbf.writeStringField(1, this.name);
    for (const feature of this.features) pbf.writeMessage(2, writeFeature, feature);
    for (const field of this.fields) pbf.writeStringField(3, field.name);
    for (const value of this.values.values) pbf.writeMessage(4, writeValue, value);
    pbf.writeVarintField(5, this.extent);
    pbf.writeVarintField(15, 2);
  }
}

function writeFeature(feature: EncodedFeature, pbf: Pbf): void {
  if (feature.id !== null) pbf.writeVarintField(1, feature.id);
  if (feature.tags.length) pbf.writePackedVarint(2, feature.tags);
  pbf.writeVarintField(3, feature.type);
  pbf.writePackedVarint(4, feature.geometry);
}

function writeValue(entry: { type: FieldType; value: string | number | boolean }, pbf: Pbf): void {
  switch (entry.type) {
    case 'string':
      pbf.writeStringField(1, String(entry.value));
      break;
    case 'float':
      pbf.writeFloatField(2, entry.value as number);
      break;
    case 'number':
      pbf.writeDoubleField(3, entry.value as number);
      break;
    case 'integer': {
      const v = entry.value as number;
      if (v >= 0) pbf.writeVarintField(5, v);
      else pbf.writeSVarintField(6, v);
      break;
    }
    case 'boolean':
      pbf.writeBooleanField(7, Boolean(entry.value));
      break;
  }
}

/** The tile: every layer with features, in order. Zero bytes when none has any. */
export function encodeTile(layers: readonly MvtLayerWriter[]): Uint8Array {
  const pbf = new Pbf();
  for (const layer of layers) {
    if (layer.length > 0) pbf.writeMessage(3, (l: MvtLayerWriter, p: Pbf) => l.write(p), layer);
  }
  return pbf.finish();
}
