/**
 * Decodes OSM PBF PrimitiveBlocks (https://wiki.openstreetmap.org/wiki/PBF_Format)
 * into OsmHandler calls, without any OSM library. Protobuf is decoded with
 * `pbf` and hand-written field callbacks instead of generated code because
 * the hot loops (DenseNodes, way refs) must not build intermediate arrays or
 * objects: packed fields are remembered as byte ranges and walked with
 * cursors, untagged nodes get no tags object, and way refs go through one
 * reused buffer.
 */

import Pbf from 'pbf';
import { OsmFormatError, type OsmHandler, type OsmMember, type Tags } from './osm-elements.ts';
import { setTag, wayRefsBuffer } from './read-common.ts';

const MEMBER_TYPES: readonly OsmMember['type'][] = ['node', 'way', 'relation'];

const WIRE_BYTES = 2;

/** Byte range of a packed field inside the current block buffer. */
interface Range {
  start: number;
  end: number;
}

interface DenseFields {
  ids: Range;
  lats: Range;
  lons: Range;
  keysVals: Range;
}

interface ElementFields {
  id: number;
  keys: Range;
  vals: Range;
  /** refs for ways, memids for relations. */
  refs: Range;
  roles: Range;
  types: Range;
  lat: number;
  lon: number;
}

function emptyRange(): Range {
  return { start: 0, end: 0 };
}

function resetElement(e: ElementFields): ElementFields {
  e.id = 0;
  e.lat = 0;
  e.lon = 0;
  e.keys.start = e.keys.end = 0;
  e.vals.start = e.vals.end = 0;
  e.refs.start = e.refs.end = 0;
  e.roles.start = e.roles.end = 0;
  e.types.start = e.types.end = 0;
  return e;
}

/** Records a packed field's byte range; the field is walked later by cursor. */
function readRange(pbf: Pbf, range: Range): void {
  if (pbf.type !== WIRE_BYTES) throw new Error(`expected a packed field, got wire type ${pbf.type}`);
  const length = pbf.readVarint();
  range.start = pbf.pos;
  range.end = pbf.pos + length;
  if (range.end > pbf.length) throw new Error('packed field runs past the end of the block');
  pbf.pos = range.end;
}

/**
 * Decodes PrimitiveBlocks into handler calls. One instance per read holds the
 * per-block context (string table, coordinate transform) and the scratch
 * objects the field callbacks fill, so decoding allocates almost nothing.
 */
export class BlockDecoder {
  nodes = 0;
  ways = 0;
  relations = 0;

  private strings: string[] = [];
  private granularity = 100;
  private latOffset = 0;
  private lonOffset = 0;
  private groups: Range[] = [];
  private readonly dense: DenseFields = { ids: emptyRange(), lats: emptyRange(), lons: emptyRange(), keysVals: emptyRange() };
  private readonly element: ElementFields = resetElement({
    id: 0, keys: emptyRange(), vals: emptyRange(), refs: emptyRange(), roles: emptyRange(), types: emptyRange(), lat: 0, lon: 0,
  });
  private readonly refs = wayRefsBuffer();
  private readonly wantRelations: boolean;
  /** Set while a handler callback runs, so its exceptions are not reported as corrupt data. */
  private inHandler = false;

  constructor(
    readonly file: string,
    private readonly handler: OsmHandler,
    private readonly signal?: AbortSignal,
  ) {
    this.wantRelations = typeof handler.relation === 'function';
  }

  decode(raw: Uint8Array, at: string): void {
    const pbf = new Pbf(raw);
    try {
      this.readBlockHeader(pbf);
      for (const group of this.groups) {
        pbf.pos = group.start;
        pbf.readFields(readGroupField, this, group.end);
      }
    } catch (err) {
      if (this.inHandler || err instanceof OsmFormatError || this.signal?.aborted) throw err;
      throw new OsmFormatError(this.file, at, `corrupt PrimitiveBlock near block byte ${pbf.pos}: ${(err as Error).message}`);
    } finally {
      this.inHandler = false;
    }
  }

  /**
   * granularity and offsets are serialized after the groups (higher field
   * numbers), so the block is scanned once for them before any group is decoded.
   */
  private readBlockHeader(pbf: Pbf): void {
    this.strings = [];
    this.granularity = 100;
    this.latOffset = 0;
    this.lonOffset = 0;
    this.groups = [];
    pbf.readFields(readBlockField, this);
  }

  readBlockField(tag: number, pbf: Pbf): void {
    if (tag === 1) pbf.readMessage(readStringTableField, this.strings);
    else if (tag === 2) this.groups.push(this.subRange(pbf));
    else if (tag === 17) this.granularity = pbf.readVarint(true);
    else if (tag === 19) this.latOffset = pbf.readVarint(true);
    else if (tag === 20) this.lonOffset = pbf.readVarint(true);
  }

  private subRange(pbf: Pbf): Range {
    const range = emptyRange();
    readRange(pbf, range);
    return range;
  }

  /**
   * Some writers (osmconvert) put every node in one blob, so waiting for the
   * next blob boundary could mean the whole file; poll every 1024 elements.
   */
  private checkAbort(count: number): void {
    if ((count & 1023) === 0) this.signal?.throwIfAborted();
  }

  readGroupField(tag: number, pbf: Pbf): void {
    if (tag === 2) {
      this.readDense(pbf);
    } else if (tag === 3) {
      pbf.readMessage(readWayField, resetElement(this.element));
      this.emitWay(pbf);
    } else if (tag === 1) {
      pbf.readMessage(readNodeField, resetElement(this.element));
      this.emitNode(pbf);
    } else if (tag === 4) {
      this.checkAbort(++this.relations);
      if (!this.wantRelations) return; // left unread; readFields skips it
      pbf.readMessage(readRelationField, resetElement(this.element));
      this.emitRelation(pbf);
    }
  }

  private readDense(pbf: Pbf): void {
    const d = this.dense;
    d.ids.start = d.ids.end = d.lats.start = d.lats.end = 0;
    d.lons.start = d.lons.end = d.keysVals.start = d.keysVals.end = 0;
    pbf.readMessage(readDenseField, d);
    const end = pbf.pos;
    this.emitDense(pbf);
    pbf.pos = end;
  }

  /** Walks the id/lat/lon/keys_vals columns in lockstep, undoing the delta coding. */
  private emitDense(pbf: Pbf): void {
    const { ids, lats, lons, keysVals } = this.dense;
    const { handler, granularity, latOffset, lonOffset } = this;
    const hasTags = keysVals.end > keysVals.start;
    let idPos = ids.start;
    let latPos = lats.start;
    let lonPos = lons.start;
    let kvPos = keysVals.start;
    let id = 0;
    let lat = 0;
    let lon = 0;
    while (idPos < ids.end) {
      pbf.pos = idPos;
      id += pbf.readSVarint();
      idPos = pbf.pos;
      pbf.pos = latPos;
      lat += pbf.readSVarint();
      latPos = pbf.pos;
      pbf.pos = lonPos;
      lon += pbf.readSVarint();
      lonPos = pbf.pos;
      if (latPos > lats.end || lonPos > lons.end) throw new Error('DenseNodes lat/lon columns are shorter than ids');
      let tags: Tags | null = null;
      if (hasTags) {
        pbf.pos = kvPos;
        tags = this.readDenseTags(pbf, keysVals.end);
        kvPos = pbf.pos;
      }
      this.checkAbort(++this.nodes);
      this.inHandler = true;
      // Division (not * 1e-9) gives the double nearest the decimal value, matching XML.
      handler.node(id, (lonOffset + granularity * lon) / 1e9, (latOffset + granularity * lat) / 1e9, tags);
      this.inHandler = false;
    }
  }

  /** One node's run of key/value string ids, terminated by 0. */
  private readDenseTags(pbf: Pbf, end: number): Tags | null {
    if (pbf.pos >= end) throw new Error('DenseNodes keys_vals is shorter than ids');
    let key = pbf.readVarint();
    if (key === 0) return null;
    const tags: Tags = {};
    while (key !== 0) {
      if (pbf.pos >= end) throw new Error('DenseNodes keys_vals ends inside a node');
      setTag(tags, this.string(key), this.string(pbf.readVarint()));
      if (pbf.pos >= end) throw new Error('DenseNodes keys_vals ends inside a node');
      key = pbf.readVarint();
    }
    return tags;
  }

  private string(index: number): string {
    const s = this.strings[index];
    if (s === undefined) throw new Error(`string index ${index} outside string table of ${this.strings.length}`);
    return s;
  }

  private emitNode(pbf: Pbf): void {
    const e = this.element;
    const end = pbf.pos;
    const tags = e.keys.end > e.keys.start ? this.readTags(pbf, e) : null;
    pbf.pos = end;
    this.checkAbort(++this.nodes);
    this.inHandler = true;
    this.handler.node(e.id, (this.lonOffset + this.granularity * e.lon) / 1e9, (this.latOffset + this.granularity * e.lat) / 1e9, tags);
    this.inHandler = false;
  }

  private emitWay(pbf: Pbf): void {
    const e = this.element;
    const end = pbf.pos;
    const tags = this.readTags(pbf, e);
    const refs = this.refs;
    refs.clear();
    pbf.pos = e.refs.start;
    let ref = 0;
    while (pbf.pos < e.refs.end) {
      ref += pbf.readSVarint();
      refs.push(ref);
    }
    pbf.pos = end;
    this.checkAbort(++this.ways);
    this.inHandler = true;
    this.handler.way(e.id, refs.view(), tags);
    this.inHandler = false;
  }

  private emitRelation(pbf: Pbf): void {
    const e = this.element;
    const end = pbf.pos;
    const tags = this.readTags(pbf, e);
    const members: OsmMember[] = [];
    let rolePos = e.roles.start;
    let typePos = e.types.start;
    let memberPos = e.refs.start;
    let ref = 0;
    while (memberPos < e.refs.end) {
      pbf.pos = memberPos;
      ref += pbf.readSVarint();
      memberPos = pbf.pos;
      pbf.pos = rolePos;
      const role = this.string(pbf.readVarint());
      rolePos = pbf.pos;
      pbf.pos = typePos;
      const type = MEMBER_TYPES[pbf.readVarint()];
      typePos = pbf.pos;
      if (type === undefined) throw new Error(`relation ${e.id} has an unknown member type`);
      if (rolePos > e.roles.end || typePos > e.types.end) throw new Error(`relation ${e.id} has fewer roles/types than members`);
      members.push({ type, ref, role });
    }
    pbf.pos = end;
    this.inHandler = true;
    this.handler.relation!(e.id, members, tags);
    this.inHandler = false;
  }

  /** Parallel keys/vals columns of a Node, Way or Relation into a tags object. */
  private readTags(pbf: Pbf, e: ElementFields): Tags {
    const tags: Tags = {};
    let keyPos = e.keys.start;
    let valPos = e.vals.start;
    while (keyPos < e.keys.end) {
      if (valPos >= e.vals.end) throw new Error(`element ${e.id} has more keys than values`);
      pbf.pos = keyPos;
      const key = this.string(pbf.readVarint());
      keyPos = pbf.pos;
      pbf.pos = valPos;
      const value = this.string(pbf.readVarint());
      valPos = pbf.pos;
      setTag(tags, key, value);
    }
    return tags;
  }
}

// Field callbacks are module-level functions taking the state as `result`,
// so pbf.readFields gets the same function every time (no closures per element).

function readBlockField(tag: number, decoder: BlockDecoder, pbf: Pbf): void {
  decoder.readBlockField(tag, pbf);
}

function readGroupField(tag: number, decoder: BlockDecoder, pbf: Pbf): void {
  decoder.readGroupField(tag, pbf);
}

function readStringTableField(tag: number, strings: string[], pbf: Pbf): void {
  if (tag === 1) strings.push(pbf.readString());
}

function readDenseField(tag: number, d: DenseFields, pbf: Pbf): void {
  if (tag === 1) readRange(pbf, d.ids);
  else if (tag === 8) readRange(pbf, d.lats);
  else if (tag === 9) readRange(pbf, d.lons);
  else if (tag === 10) readRange(pbf, d.keysVals);
}

function readNodeField(tag: number, e: ElementFields, pbf: Pbf): void {
  if (tag === 1) e.id = pbf.readSVarint();
  else if (tag === 2) readRange(pbf, e.keys);
  else if (tag === 3) readRange(pbf, e.vals);
  else if (tag === 8) e.lat = pbf.readSVarint();
  else if (tag === 9) e.lon = pbf.readSVarint();
}

/** Way: refs are field 8; fields 9/10 (LocationsOnWays coordinates) are ignored. */
function readWayField(tag: number, e: ElementFields, pbf: Pbf): void {
  if (tag === 1) e.id = pbf.readVarint(true);
  else if (tag === 2) readRange(pbf, e.keys);
  else if (tag === 3) readRange(pbf, e.vals);
  else if (tag === 8) readRange(pbf, e.refs);
}

/** Relation: roles_sid 8, memids 9 (kept in `refs`), types 10. */
function readRelationField(tag: number, e: ElementFields, pbf: Pbf): void {
  if (tag === 1) e.id = pbf.readVarint(true);
  else if (tag === 2) readRange(pbf, e.keys);
  else if (tag === 3) readRange(pbf, e.vals);
  else if (tag === 8) readRange(pbf, e.roles);
  else if (tag === 9) readRange(pbf, e.refs);
  else if (tag === 10) readRange(pbf, e.types);
}
