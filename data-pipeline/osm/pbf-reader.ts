/**
 * Streaming OSM PBF decoder (https://wiki.openstreetmap.org/wiki/PBF_Format)
 * that feeds an OsmHandler without any OSM library. The file is read blob by
 * blob with positioned reads, so memory stays at one blob (<= 32 MiB) however
 * large the extract is. Protobuf is decoded with `pbf` and hand-written field
 * callbacks instead of generated code because the hot loops (DenseNodes, way
 * refs) must not build intermediate arrays or objects: packed fields are
 * remembered as byte ranges and walked with cursors, untagged nodes get no
 * tags object, and way refs go through one reused buffer.
 */

import { open, type FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { inflate } from 'node:zlib';
import Pbf from 'pbf';
import { OsmFormatError, type OsmHandler, type OsmMember, type Tags } from './osm-elements.ts';
import { RefBuffer, setTag, type ReadOptions, type ReadStats } from './read-common.ts';

/** Limits from the format spec; anything bigger means we are not reading a PBF. */
const MAX_BLOB_HEADER_BYTES = 64 * 1024;
const MAX_BLOB_BYTES = 32 * 1024 * 1024;

const SUPPORTED_FEATURES = new Set(['OsmSchema-V0.6', 'DenseNodes']);

const inflateAsync = promisify(inflate);

const MEMBER_TYPES: readonly OsmMember['type'][] = ['node', 'way', 'relation'];

const WIRE_BYTES = 2;

/**
 * Blobs read and inflating ahead of the one being decoded. zlib's async
 * inflate runs on libuv's thread pool, so decompression moves to the other
 * cores while this thread decodes (about a tenth of the read on a big file).
 * Memory stays bounded: at most this many blobs (each <= 32 MiB) in flight.
 */
const READ_AHEAD = 4;

export async function readPbf(file: string, handler: OsmHandler, options: ReadOptions = {}): Promise<ReadStats> {
  const started = performance.now();
  const fh = await open(file, 'r');
  // Each entry is a blob on its way, or the error that ended the reading
  // ahead: it is thrown in its turn, after the blobs before it are decoded.
  const queue: ({ framed: FramedBlob; raw: Promise<Uint8Array | null> } | { error: unknown })[] = [];
  try {
    const totalBytes = (await fh.stat()).size;
    const decoder = new BlockDecoder(file, handler, options.signal);
    let offset = 0;
    let index = 0;
    let atEnd = false;
    for (;;) {
      options.signal?.throwIfAborted();
      while (!atEnd && queue.length < READ_AHEAD) {
        let framed: FramedBlob | null;
        try {
          framed = await readFramedBlob(fh, file, offset, index++, totalBytes);
        } catch (error) {
          queue.push({ error });
          atEnd = true;
          break;
        }
        if (framed === null) {
          atEnd = true;
          break;
        }
        offset = framed.end;
        const raw = unpackBlob(file, framed);
        raw.catch(() => {}); // a failure surfaces when its turn comes, not as an unhandled rejection
        queue.push({ framed, raw });
      }
      const next = queue.shift();
      if (next === undefined) break;
      if ('error' in next) throw next.error;
      processBlob(decoder, next.framed, await next.raw);
      options.onProgress?.({ bytesRead: next.framed.end, totalBytes });
    }
    const { nodes, ways, relations } = decoder;
    return { nodes, ways, relations, bytes: totalBytes, ms: performance.now() - started };
  } finally {
    await fh.close();
  }
}

// ---------------------------------------------------------------- framing

interface FramedBlob {
  index: number;
  offset: number;
  /** Byte offset just past this blob. */
  end: number;
  type: string;
  /** The serialized Blob message (still compressed). */
  blob: Uint8Array;
}

function where(index: number, offset: number): string {
  return `blob #${index} at byte ${offset}`;
}

/** Reads length + BlobHeader + Blob starting at `offset`; null at a clean end of file. */
async function readFramedBlob(
  fh: FileHandle,
  file: string,
  offset: number,
  index: number,
  totalBytes: number,
): Promise<FramedBlob | null> {
  if (offset === totalBytes) return null;
  const at = where(index, offset);
  const lengthBytes = await readExact(fh, file, at, offset, 4, 'BlobHeader length');
  const headerLength = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 4).getUint32(0, false);
  if (headerLength === 0 || headerLength > MAX_BLOB_HEADER_BYTES) {
    throw new OsmFormatError(file, at, `BlobHeader length ${headerLength} is not in 1..${MAX_BLOB_HEADER_BYTES}; not an OSM PBF file or corrupt`);
  }
  const headerBytes = await readExact(fh, file, at, offset + 4, headerLength, 'BlobHeader');
  const header = guard(file, at, 'BlobHeader', () => decodeBlobHeader(headerBytes));
  if (header.datasize < 0 || header.datasize > MAX_BLOB_BYTES) {
    throw new OsmFormatError(file, at, `Blob size ${header.datasize} is not in 0..${MAX_BLOB_BYTES}`);
  }
  const blobStart = offset + 4 + headerLength;
  const blob = await readExact(fh, file, at, blobStart, header.datasize, `${header.type || 'unnamed'} Blob`);
  return { index, offset, end: blobStart + header.datasize, type: header.type, blob };
}

async function readExact(
  fh: FileHandle,
  file: string,
  at: string,
  position: number,
  length: number,
  what: string,
): Promise<Uint8Array> {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await fh.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) {
      throw new OsmFormatError(file, at, `truncated file: ${what} needs ${length} bytes at byte ${position}, file ends at byte ${position + filled}`);
    }
    filled += bytesRead;
  }
  return buffer;
}

/** Turns decoder exceptions from corrupt bytes into errors that say where. */
function guard<T>(file: string, at: string, what: string, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (err instanceof OsmFormatError) throw err;
    throw new OsmFormatError(file, at, `corrupt ${what}: ${(err as Error).message}`);
  }
}

interface BlobHeader {
  type: string;
  datasize: number;
}

function decodeBlobHeader(bytes: Uint8Array): BlobHeader {
  const header = new Pbf(bytes).readFields(readBlobHeaderField, { type: '', datasize: -1 });
  if (header.datasize === -1) throw new Error('BlobHeader has no datasize');
  return header;
}

function readBlobHeaderField(tag: number, header: BlobHeader, pbf: Pbf): void {
  if (tag === 1) header.type = pbf.readString();
  else if (tag === 3) header.datasize = pbf.readVarint(true);
}

// ---------------------------------------------------------------- blobs

interface BlobFields {
  data: Uint8Array | null;
  rawSize: number;
  compression: string;
}

const COMPRESSION_BY_FIELD: Record<number, string> = {
  1: 'raw',
  3: 'zlib',
  4: 'lzma',
  5: 'bzip2',
  6: 'lz4',
  7: 'zstd',
};

function readBlobField(tag: number, blob: BlobFields, pbf: Pbf): void {
  if (tag === 2) {
    blob.rawSize = pbf.readVarint(true);
    return;
  }
  const compression = COMPRESSION_BY_FIELD[tag];
  if (compression !== undefined) {
    blob.compression = compression;
    blob.data = pbf.readBytes();
  }
}

/**
 * A data blob's bytes, inflated off the main thread; null for blob types the
 * spec says to skip (they are not inflated at all).
 */
async function unpackBlob(file: string, framed: FramedBlob): Promise<Uint8Array | null> {
  if (framed.type !== 'OSMHeader' && framed.type !== 'OSMData') return null;
  const at = where(framed.index, framed.offset);
  const fields = guard(file, at, 'Blob', () =>
    new Pbf(framed.blob).readFields(readBlobField, { data: null, rawSize: -1, compression: '' }),
  );
  if (fields.data === null) throw new OsmFormatError(file, at, 'Blob has no data');
  let raw: Uint8Array;
  if (fields.compression === 'raw') {
    raw = fields.data;
  } else if (fields.compression === 'zlib') {
    try {
      // Output in one piece when the size is known: zlib's default 16 KB
      // pieces are concatenated at the end, a copy of the whole block.
      const chunkSize = fields.rawSize > 0 ? Math.min(Math.max(fields.rawSize, 64 * 1024), MAX_BLOB_BYTES) : undefined;
      raw = await inflateAsync(fields.data, { chunkSize });
    } catch (err) {
      throw new OsmFormatError(file, at, `corrupt zlib data: ${(err as Error).message}`);
    }
  } else {
    throw new OsmFormatError(file, at, `unsupported Blob compression "${fields.compression}" (only zlib and raw are supported)`);
  }
  if (fields.rawSize !== -1 && raw.length !== fields.rawSize) {
    throw new OsmFormatError(file, at, `Blob inflates to ${raw.length} bytes but declares raw_size ${fields.rawSize}`);
  }
  return raw;
}

function processBlob(decoder: BlockDecoder, framed: FramedBlob, raw: Uint8Array | null): void {
  const { file } = decoder;
  const at = where(framed.index, framed.offset);
  if (framed.index === 0 && framed.type !== 'OSMHeader') {
    throw new OsmFormatError(file, at, `first blob is "${framed.type}", expected "OSMHeader"; not an OSM PBF file`);
  }
  // Unknown blob types are skipped, as the spec asks (unpackBlob did not inflate them).
  if (raw === null) return;
  if (framed.type === 'OSMHeader') checkHeader(file, at, raw);
  else decoder.decode(raw, at);
}

// ---------------------------------------------------------------- header

function readHeaderField(tag: number, features: string[], pbf: Pbf): void {
  if (tag === 4) features.push(pbf.readString());
}

function checkHeader(file: string, at: string, raw: Uint8Array): void {
  const required = guard(file, at, 'HeaderBlock', () => new Pbf(raw).readFields(readHeaderField, [] as string[]));
  for (const feature of required) {
    if (feature === 'HistoricalInformation') {
      throw new OsmFormatError(file, at, 'history files (required feature "HistoricalInformation") are not supported');
    }
    if (!SUPPORTED_FEATURES.has(feature)) {
      throw new OsmFormatError(file, at, `unsupported required feature "${feature}" (supported: ${[...SUPPORTED_FEATURES].join(', ')})`);
    }
  }
}

// ---------------------------------------------------------------- data blocks

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
class BlockDecoder {
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
  private readonly refs = new RefBuffer();
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
    refs.length = 0;
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
