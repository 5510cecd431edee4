var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// data-pipeline/osm/osm-elements.ts
var OsmFormatError;
var init_osm_elements = __esm({
  "data-pipeline/osm/osm-elements.ts"() {
    "use strict";
    OsmFormatError = class extends Error {
      constructor(file, where2, message) {
        super(`${file}: ${where2}: ${message}`);
        this.file = file;
        this.where = where2;
        this.name = "OsmFormatError";
      }
      file;
      where;
    };
  }
});

// data-pipeline/osm/read-common.ts
function setTag(tags, key, value) {
  if (key === "__proto__") {
    Object.defineProperty(tags, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    tags[key] = value;
  }
}
var RefBuffer;
var init_read_common = __esm({
  "data-pipeline/osm/read-common.ts"() {
    "use strict";
    RefBuffer = class {
      data = new Float64Array(2048);
      length = 0;
      push(ref) {
        if (this.length === this.data.length) this.grow();
        this.data[this.length++] = ref;
      }
      view() {
        return this.data.subarray(0, this.length);
      }
      grow() {
        const bigger = new Float64Array(this.data.length * 2);
        bigger.set(this.data);
        this.data = bigger;
      }
    };
  }
});

// data-pipeline/osm/pbf-reader.ts
var pbf_reader_exports = {};
__export(pbf_reader_exports, {
  readPbf: () => readPbf
});
import { open } from "node:fs/promises";
import { inflateSync } from "node:zlib";
import Pbf from "pbf";
async function readPbf(file, handler, options = {}) {
  const started = performance.now();
  const fh = await open(file, "r");
  try {
    const totalBytes = (await fh.stat()).size;
    const decoder = new BlockDecoder(file, handler, options.signal);
    let offset = 0;
    for (let index = 0; ; index++) {
      options.signal?.throwIfAborted();
      const framed = await readFramedBlob(fh, file, offset, index, totalBytes);
      if (framed === null) break;
      processBlob(decoder, framed);
      offset = framed.end;
      options.onProgress?.({ bytesRead: offset, totalBytes });
    }
    const { nodes, ways, relations } = decoder;
    return { nodes, ways, relations, bytes: totalBytes, ms: performance.now() - started };
  } finally {
    await fh.close();
  }
}
function where(index, offset) {
  return `blob #${index} at byte ${offset}`;
}
async function readFramedBlob(fh, file, offset, index, totalBytes) {
  if (offset === totalBytes) return null;
  const at = where(index, offset);
  const lengthBytes = await readExact(fh, file, at, offset, 4, "BlobHeader length");
  const headerLength = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 4).getUint32(0, false);
  if (headerLength === 0 || headerLength > MAX_BLOB_HEADER_BYTES) {
    throw new OsmFormatError(file, at, `BlobHeader length ${headerLength} is not in 1..${MAX_BLOB_HEADER_BYTES}; not an OSM PBF file or corrupt`);
  }
  const headerBytes = await readExact(fh, file, at, offset + 4, headerLength, "BlobHeader");
  const header = guard(file, at, "BlobHeader", () => decodeBlobHeader(headerBytes));
  if (header.datasize < 0 || header.datasize > MAX_BLOB_BYTES) {
    throw new OsmFormatError(file, at, `Blob size ${header.datasize} is not in 0..${MAX_BLOB_BYTES}`);
  }
  const blobStart = offset + 4 + headerLength;
  const blob = await readExact(fh, file, at, blobStart, header.datasize, `${header.type || "unnamed"} Blob`);
  return { index, offset, end: blobStart + header.datasize, type: header.type, blob };
}
async function readExact(fh, file, at, position, length, what) {
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
function guard(file, at, what, decode) {
  try {
    return decode();
  } catch (err) {
    if (err instanceof OsmFormatError) throw err;
    throw new OsmFormatError(file, at, `corrupt ${what}: ${err.message}`);
  }
}
function decodeBlobHeader(bytes2) {
  const header = new Pbf(bytes2).readFields(readBlobHeaderField, { type: "", datasize: -1 });
  if (header.datasize === -1) throw new Error("BlobHeader has no datasize");
  return header;
}
function readBlobHeaderField(tag, header, pbf) {
  if (tag === 1) header.type = pbf.readString();
  else if (tag === 3) header.datasize = pbf.readVarint(true);
}
function readBlobField(tag, blob, pbf) {
  if (tag === 2) {
    blob.rawSize = pbf.readVarint(true);
    return;
  }
  const compression = COMPRESSION_BY_FIELD[tag];
  if (compression !== void 0) {
    blob.compression = compression;
    blob.data = pbf.readBytes();
  }
}
function unpackBlob(file, framed) {
  const at = where(framed.index, framed.offset);
  const fields = guard(
    file,
    at,
    "Blob",
    () => new Pbf(framed.blob).readFields(readBlobField, { data: null, rawSize: -1, compression: "" })
  );
  if (fields.data === null) throw new OsmFormatError(file, at, "Blob has no data");
  let raw;
  if (fields.compression === "raw") {
    raw = fields.data;
  } else if (fields.compression === "zlib") {
    const data = fields.data;
    raw = guard(file, at, "zlib data", () => inflateSync(data));
  } else {
    throw new OsmFormatError(file, at, `unsupported Blob compression "${fields.compression}" (only zlib and raw are supported)`);
  }
  if (fields.rawSize !== -1 && raw.length !== fields.rawSize) {
    throw new OsmFormatError(file, at, `Blob inflates to ${raw.length} bytes but declares raw_size ${fields.rawSize}`);
  }
  return raw;
}
function processBlob(decoder, framed) {
  const { file } = decoder;
  const at = where(framed.index, framed.offset);
  if (framed.index === 0 && framed.type !== "OSMHeader") {
    throw new OsmFormatError(file, at, `first blob is "${framed.type}", expected "OSMHeader"; not an OSM PBF file`);
  }
  if (framed.type !== "OSMHeader" && framed.type !== "OSMData") return;
  const raw = unpackBlob(file, framed);
  if (framed.type === "OSMHeader") checkHeader(file, at, raw);
  else decoder.decode(raw, at);
}
function readHeaderField(tag, features, pbf) {
  if (tag === 4) features.push(pbf.readString());
}
function checkHeader(file, at, raw) {
  const required = guard(file, at, "HeaderBlock", () => new Pbf(raw).readFields(readHeaderField, []));
  for (const feature of required) {
    if (feature === "HistoricalInformation") {
      throw new OsmFormatError(file, at, 'history files (required feature "HistoricalInformation") are not supported');
    }
    if (!SUPPORTED_FEATURES.has(feature)) {
      throw new OsmFormatError(file, at, `unsupported required feature "${feature}" (supported: ${[...SUPPORTED_FEATURES].join(", ")})`);
    }
  }
}
function emptyRange() {
  return { start: 0, end: 0 };
}
function resetElement(e) {
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
function readRange(pbf, range) {
  if (pbf.type !== WIRE_BYTES) throw new Error(`expected a packed field, got wire type ${pbf.type}`);
  const length = pbf.readVarint();
  range.start = pbf.pos;
  range.end = pbf.pos + length;
  if (range.end > pbf.length) throw new Error("packed field runs past the end of the block");
  pbf.pos = range.end;
}
function readBlockField(tag, decoder, pbf) {
  decoder.readBlockField(tag, pbf);
}
function readGroupField(tag, decoder, pbf) {
  decoder.readGroupField(tag, pbf);
}
function readStringTableField(tag, strings, pbf) {
  if (tag === 1) strings.push(pbf.readString());
}
function readDenseField(tag, d, pbf) {
  if (tag === 1) readRange(pbf, d.ids);
  else if (tag === 8) readRange(pbf, d.lats);
  else if (tag === 9) readRange(pbf, d.lons);
  else if (tag === 10) readRange(pbf, d.keysVals);
}
function readNodeField(tag, e, pbf) {
  if (tag === 1) e.id = pbf.readSVarint();
  else if (tag === 2) readRange(pbf, e.keys);
  else if (tag === 3) readRange(pbf, e.vals);
  else if (tag === 8) e.lat = pbf.readSVarint();
  else if (tag === 9) e.lon = pbf.readSVarint();
}
function readWayField(tag, e, pbf) {
  if (tag === 1) e.id = pbf.readVarint(true);
  else if (tag === 2) readRange(pbf, e.keys);
  else if (tag === 3) readRange(pbf, e.vals);
  else if (tag === 8) readRange(pbf, e.refs);
}
function readRelationField(tag, e, pbf) {
  if (tag === 1) e.id = pbf.readVarint(true);
  else if (tag === 2) readRange(pbf, e.keys);
  else if (tag === 3) readRange(pbf, e.vals);
  else if (tag === 8) readRange(pbf, e.roles);
  else if (tag === 9) readRange(pbf, e.refs);
  else if (tag === 10) readRange(pbf, e.types);
}
var MAX_BLOB_HEADER_BYTES, MAX_BLOB_BYTES, SUPPORTED_FEATURES, MEMBER_TYPES, WIRE_BYTES, COMPRESSION_BY_FIELD, BlockDecoder;
var init_pbf_reader = __esm({
  "data-pipeline/osm/pbf-reader.ts"() {
    "use strict";
    init_osm_elements();
    init_read_common();
    MAX_BLOB_HEADER_BYTES = 64 * 1024;
    MAX_BLOB_BYTES = 32 * 1024 * 1024;
    SUPPORTED_FEATURES = /* @__PURE__ */ new Set(["OsmSchema-V0.6", "DenseNodes"]);
    MEMBER_TYPES = ["node", "way", "relation"];
    WIRE_BYTES = 2;
    COMPRESSION_BY_FIELD = {
      1: "raw",
      3: "zlib",
      4: "lzma",
      5: "bzip2",
      6: "lz4",
      7: "zstd"
    };
    BlockDecoder = class {
      constructor(file, handler, signal) {
        this.file = file;
        this.handler = handler;
        this.signal = signal;
        this.wantRelations = typeof handler.relation === "function";
      }
      file;
      handler;
      signal;
      nodes = 0;
      ways = 0;
      relations = 0;
      strings = [];
      granularity = 100;
      latOffset = 0;
      lonOffset = 0;
      groups = [];
      dense = { ids: emptyRange(), lats: emptyRange(), lons: emptyRange(), keysVals: emptyRange() };
      element = resetElement({
        id: 0,
        keys: emptyRange(),
        vals: emptyRange(),
        refs: emptyRange(),
        roles: emptyRange(),
        types: emptyRange(),
        lat: 0,
        lon: 0
      });
      refs = new RefBuffer();
      wantRelations;
      /** Set while a handler callback runs, so its exceptions are not reported as corrupt data. */
      inHandler = false;
      decode(raw, at) {
        const pbf = new Pbf(raw);
        try {
          this.readBlockHeader(pbf);
          for (const group of this.groups) {
            pbf.pos = group.start;
            pbf.readFields(readGroupField, this, group.end);
          }
        } catch (err) {
          if (this.inHandler || err instanceof OsmFormatError || this.signal?.aborted) throw err;
          throw new OsmFormatError(this.file, at, `corrupt PrimitiveBlock near block byte ${pbf.pos}: ${err.message}`);
        } finally {
          this.inHandler = false;
        }
      }
      /**
       * granularity and offsets are serialized after the groups (higher field
       * numbers), so the block is scanned once for them before any group is decoded.
       */
      readBlockHeader(pbf) {
        this.strings = [];
        this.granularity = 100;
        this.latOffset = 0;
        this.lonOffset = 0;
        this.groups = [];
        pbf.readFields(readBlockField, this);
      }
      readBlockField(tag, pbf) {
        if (tag === 1) pbf.readMessage(readStringTableField, this.strings);
        else if (tag === 2) this.groups.push(this.subRange(pbf));
        else if (tag === 17) this.granularity = pbf.readVarint(true);
        else if (tag === 19) this.latOffset = pbf.readVarint(true);
        else if (tag === 20) this.lonOffset = pbf.readVarint(true);
      }
      subRange(pbf) {
        const range = emptyRange();
        readRange(pbf, range);
        return range;
      }
      /**
       * Some writers (osmconvert) put every node in one blob, so waiting for the
       * next blob boundary could mean the whole file; poll every 1024 elements.
       */
      checkAbort(count) {
        if ((count & 1023) === 0) this.signal?.throwIfAborted();
      }
      readGroupField(tag, pbf) {
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
          if (!this.wantRelations) return;
          pbf.readMessage(readRelationField, resetElement(this.element));
          this.emitRelation(pbf);
        }
      }
      readDense(pbf) {
        const d = this.dense;
        d.ids.start = d.ids.end = d.lats.start = d.lats.end = 0;
        d.lons.start = d.lons.end = d.keysVals.start = d.keysVals.end = 0;
        pbf.readMessage(readDenseField, d);
        const end = pbf.pos;
        this.emitDense(pbf);
        pbf.pos = end;
      }
      /** Walks the id/lat/lon/keys_vals columns in lockstep, undoing the delta coding. */
      emitDense(pbf) {
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
          if (latPos > lats.end || lonPos > lons.end) throw new Error("DenseNodes lat/lon columns are shorter than ids");
          let tags = null;
          if (hasTags) {
            pbf.pos = kvPos;
            tags = this.readDenseTags(pbf, keysVals.end);
            kvPos = pbf.pos;
          }
          this.checkAbort(++this.nodes);
          this.inHandler = true;
          handler.node(id, (lonOffset + granularity * lon) / 1e9, (latOffset + granularity * lat) / 1e9, tags);
          this.inHandler = false;
        }
      }
      /** One node's run of key/value string ids, terminated by 0. */
      readDenseTags(pbf, end) {
        if (pbf.pos >= end) throw new Error("DenseNodes keys_vals is shorter than ids");
        let key = pbf.readVarint();
        if (key === 0) return null;
        const tags = {};
        while (key !== 0) {
          if (pbf.pos >= end) throw new Error("DenseNodes keys_vals ends inside a node");
          setTag(tags, this.string(key), this.string(pbf.readVarint()));
          if (pbf.pos >= end) throw new Error("DenseNodes keys_vals ends inside a node");
          key = pbf.readVarint();
        }
        return tags;
      }
      string(index) {
        const s = this.strings[index];
        if (s === void 0) throw new Error(`string index ${index} outside string table of ${this.strings.length}`);
        return s;
      }
      emitNode(pbf) {
        const e = this.element;
        const end = pbf.pos;
        const tags = e.keys.end > e.keys.start ? this.readTags(pbf, e) : null;
        pbf.pos = end;
        this.checkAbort(++this.nodes);
        this.inHandler = true;
        this.handler.node(e.id, (this.lonOffset + this.granularity * e.lon) / 1e9, (this.latOffset + this.granularity * e.lat) / 1e9, tags);
        this.inHandler = false;
      }
      emitWay(pbf) {
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
      emitRelation(pbf) {
        const e = this.element;
        const end = pbf.pos;
        const tags = this.readTags(pbf, e);
        const members = [];
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
          if (type === void 0) throw new Error(`relation ${e.id} has an unknown member type`);
          if (rolePos > e.roles.end || typePos > e.types.end) throw new Error(`relation ${e.id} has fewer roles/types than members`);
          members.push({ type, ref, role });
        }
        pbf.pos = end;
        this.inHandler = true;
        this.handler.relation(e.id, members, tags);
        this.inHandler = false;
      }
      /** Parallel keys/vals columns of a Node, Way or Relation into a tags object. */
      readTags(pbf, e) {
        const tags = {};
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
    };
  }
});

// data-pipeline/osm/xml-reader.ts
var xml_reader_exports = {};
__export(xml_reader_exports, {
  readOsmXml: () => readOsmXml
});
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { SaxesParser } from "saxes";
async function readOsmXml(file, handler, options = {}) {
  const started = performance.now();
  const totalBytes = (await stat(file)).size;
  const parser = new SaxesParser({ xmlns: false, position: true });
  const builder = new ElementBuilder(file, handler, () => `line ${parser.line}:${parser.column}`);
  parser.on("error", (err) => {
    throw new OsmFormatError(file, builder.where(), `malformed XML: ${err.message.replace(/^\d+:\d+: /, "")}`);
  });
  parser.on("opentag", (tag) => builder.open(tag));
  parser.on("closetag", (tag) => builder.close(tag.name));
  const stream = createReadStream(file, { encoding: "utf8", highWaterMark: CHUNK_BYTES });
  for await (const chunk of stream) {
    options.signal?.throwIfAborted();
    parser.write(chunk);
    options.onProgress?.({ bytesRead: stream.bytesRead, totalBytes });
  }
  parser.close();
  builder.finish();
  const { nodes, ways, relations } = builder;
  return { nodes, ways, relations, bytes: totalBytes, ms: performance.now() - started };
}
var CHUNK_BYTES, INTEGER, DECIMAL, ElementBuilder;
var init_xml_reader = __esm({
  "data-pipeline/osm/xml-reader.ts"() {
    "use strict";
    init_osm_elements();
    init_read_common();
    CHUNK_BYTES = 256 * 1024;
    INTEGER = /^-?\d+$/;
    DECIMAL = /^-?\d+(\.\d+)?$/;
    ElementBuilder = class {
      constructor(file, handler, where2) {
        this.file = file;
        this.handler = handler;
        this.where = where2;
        this.wantRelations = typeof handler.relation === "function";
      }
      file;
      handler;
      where;
      nodes = 0;
      ways = 0;
      relations = 0;
      sawRoot = false;
      current = null;
      id = 0;
      lon = 0;
      lat = 0;
      tags = null;
      members = [];
      refs = new RefBuffer();
      wantRelations;
      open(tag) {
        const name = tag.name;
        const attrs = tag.attributes;
        if (!this.sawRoot) {
          this.sawRoot = true;
          if (name !== "osm") this.fail(`root element is <${name}>, expected <osm>`);
          return;
        }
        if (this.current === null) {
          if (name === "node" || name === "way" || name === "relation") this.start(name, attrs);
        } else if (name === "tag") {
          this.addTag(attrs);
        } else if (name === "nd" && this.current === "way") {
          this.refs.push(this.integer(attrs, "ref", "nd"));
        } else if (name === "member" && this.current === "relation" && this.wantRelations) {
          this.addMember(attrs);
        }
      }
      close(name) {
        if (name !== this.current) return;
        if (name === "node") this.emitNode();
        else if (name === "way") this.emitWay();
        else this.emitRelation();
        this.current = null;
      }
      finish() {
        if (!this.sawRoot) this.fail("no <osm> element; empty or not an OSM XML file");
      }
      start(kind, attrs) {
        this.current = kind;
        this.id = this.integer(attrs, "id", kind);
        this.tags = null;
        if (kind === "node") {
          this.lat = this.decimal(attrs, "lat", "node");
          this.lon = this.decimal(attrs, "lon", "node");
        } else if (kind === "way") {
          this.refs.length = 0;
        } else {
          this.members = [];
        }
      }
      addTag(attrs) {
        const k = attrs.k;
        const v = attrs.v;
        if (k === void 0 || v === void 0) this.fail(`<tag> in ${this.current} ${this.id} needs both k and v`);
        this.tags ??= {};
        setTag(this.tags, k, v);
      }
      addMember(attrs) {
        const type = attrs.type;
        if (type !== "node" && type !== "way" && type !== "relation") {
          this.fail(`<member> of relation ${this.id} has type="${type ?? ""}", expected node, way or relation`);
        }
        this.members.push({ type, ref: this.integer(attrs, "ref", "member"), role: attrs.role ?? "" });
      }
      emitNode() {
        this.nodes++;
        this.handler.node(this.id, this.lon, this.lat, this.tags);
      }
      emitWay() {
        this.ways++;
        this.handler.way(this.id, this.refs.view(), this.tags ?? {});
      }
      emitRelation() {
        this.relations++;
        if (this.wantRelations) this.handler.relation(this.id, this.members, this.tags ?? {});
      }
      integer(attrs, attr, element) {
        const value = attrs[attr];
        if (value === void 0 || !INTEGER.test(value)) this.badNumber(element, attr, value);
        return Number(value);
      }
      decimal(attrs, attr, element) {
        const value = attrs[attr];
        if (value === void 0 || !DECIMAL.test(value)) this.badNumber(element, attr, value);
        return Number(value);
      }
      badNumber(element, attr, value) {
        const child = element === "nd" || element === "member";
        const label = child ? `<${element}> in ${this.current} ${this.id}` : attr === "id" ? `<${element}>` : `<${element} id="${this.id}">`;
        const what = value === void 0 ? "is missing" : `"${value}" is not a number`;
        this.fail(`${label}: ${attr} ${what}`);
      }
      fail(message) {
        throw new OsmFormatError(this.file, this.where(), message);
      }
    };
  }
});

// server/routing/walk-speed.ts
var DEFAULT_SPEED_KMH = 4;
var STEPS_FACTOR = 2;
function metresPerSecond(speedKmh) {
  return speedKmh / 3.6;
}
function edgeSeconds(lengthM, highway, speedKmh = DEFAULT_SPEED_KMH) {
  const seconds = lengthM / metresPerSecond(speedKmh);
  return highway === "steps" ? seconds * STEPS_FACTOR : seconds;
}

// data-pipeline/osm/node-store.ts
var FIXED = 1e7;
function ensureCapacity(array, need) {
  if (need <= array.length) return array;
  let size = Math.max(16, array.length);
  while (size < need) size *= 2;
  const Ctor = array.constructor;
  const next = new Ctor(size);
  next.set(array);
  return next;
}
var NodeStore = class {
  ids = new Float64Array(1 << 16);
  lons = new Int32Array(1 << 16);
  lats = new Int32Array(1 << 16);
  n = 0;
  sorted = true;
  sealed = false;
  get count() {
    return this.n;
  }
  add(id, lon, lat) {
    const i = this.n;
    if (i === this.ids.length) {
      this.ids = ensureCapacity(this.ids, i + 1);
      this.lons = ensureCapacity(this.lons, i + 1);
      this.lats = ensureCapacity(this.lats, i + 1);
    }
    if (i > 0 && id <= this.ids[i - 1]) this.sorted = false;
    this.ids[i] = id;
    this.lons[i] = Math.round(lon * FIXED);
    this.lats[i] = Math.round(lat * FIXED);
    this.n = i + 1;
    this.sealed = false;
  }
  /**
   * Ends the node phase: trims the arrays to size (growth by doubling leaves
   * up to half of them empty, and the store lives through the whole import)
   * and sorts by id if the file was not sorted. Lookups call it too.
   */
  seal() {
    if (this.sealed) return;
    this.sealed = true;
    if (this.ids.length > this.n + (this.n >>> 4) + 1024) {
      this.ids = this.ids.slice(0, this.n);
      this.lons = this.lons.slice(0, this.n);
      this.lats = this.lats.slice(0, this.n);
    }
    if (this.sorted) return;
    const n = this.n;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const ids = this.ids;
    order.sort((a, b) => ids[a] - ids[b] || a - b);
    const nextIds = new Float64Array(n);
    const nextLons = new Int32Array(n);
    const nextLats = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const i = order[k];
      nextIds[k] = ids[i];
      nextLons[k] = this.lons[i];
      nextLats[k] = this.lats[i];
    }
    this.ids = nextIds;
    this.lons = nextLons;
    this.lats = nextLats;
    this.sorted = true;
  }
  /**
   * The store index of a node id, or -1 when the file does not have it.
   * `hint`: the index of the previous ref of the same way. Nodes drawn
   * together get consecutive ids, so the next ref is very often at hint + 1;
   * checking it first skips most binary searches.
   */
  indexOf(id, hint = -1) {
    if (!this.sealed) this.seal();
    const ids = this.ids;
    if (hint >= 0 && hint + 1 < this.n && ids[hint + 1] === id) return hint + 1;
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = lo + hi >>> 1;
      const v = ids[mid];
      if (v < id) lo = mid + 1;
      else if (v > id) hi = mid - 1;
      else return mid;
    }
    return -1;
  }
  /** Node id at a store index. */
  id(index) {
    return this.ids[index];
  }
  lon(index) {
    return this.lons[index] / FIXED;
  }
  lat(index) {
    return this.lats[index] / FIXED;
  }
  /** Bytes held, for the report and the memory test. */
  get bytes() {
    return this.ids.byteLength + this.lons.byteLength + this.lats.byteLength;
  }
};
var WayRefs = class {
  refBuf = new Float64Array(1 << 12);
  offsetBuf = new Int32Array(1 << 8);
  idBuf = new Float64Array(1 << 8);
  n = 0;
  refCount = 0;
  get count() {
    return this.n;
  }
  /** Appends a way (copies its refs: readers reuse their buffers); returns its index. */
  add(id, refs) {
    const k = this.n;
    const len = refs.length;
    if (this.refCount + len > this.refBuf.length) this.refBuf = ensureCapacity(this.refBuf, this.refCount + len);
    if (k + 2 > this.offsetBuf.length) {
      this.offsetBuf = ensureCapacity(this.offsetBuf, k + 2);
      this.idBuf = ensureCapacity(this.idBuf, k + 2);
    }
    const buf = this.refBuf;
    let at = this.refCount;
    for (let i = 0; i < len; i++) buf[at++] = refs[i];
    this.offsetBuf[k] = this.refCount;
    this.offsetBuf[k + 1] = at;
    this.idBuf[k] = id;
    this.refCount = at;
    this.n = k + 1;
    return k;
  }
  /** OSM id of way k. */
  id(k) {
    return this.idBuf[k];
  }
  /** Start of way k's refs in `refs`. */
  start(k) {
    return this.offsetBuf[k];
  }
  /** End (exclusive) of way k's refs in `refs`. */
  end(k) {
    return this.offsetBuf[k + 1];
  }
  /** All refs (valid up to end(count - 1)). */
  get refs() {
    return this.refBuf;
  }
  get totalRefs() {
    return this.refCount;
  }
};

// data-pipeline/osm/network-builder.ts
var EARTH_RADIUS_M = 63710088e-1;
var RAD = Math.PI / 180;
function haversineM(lon1, lat1, lon2, lat2) {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const s1 = Math.sin(dLat / 2);
  const s2 = Math.sin(dLon / 2);
  const a = s1 * s1 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * s2 * s2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}
var EXAMPLES = 5;
var FORWARD = 1;
var BACKWARD = 2;
var NetworkBuilder = class {
  ways = new WayRefs();
  wayClass = new Uint8Array(256);
  wayDirs = new Uint8Array(256);
  classNames = [];
  classIds = /* @__PURE__ */ new Map();
  get wayCount() {
    return this.ways.count;
  }
  /** Collects a walkable way; refs are copied. */
  addWay(id, refs, access) {
    let cls = this.classIds.get(access.class);
    if (cls === void 0) {
      cls = this.classNames.length;
      if (cls > 255) throw new Error("more than 256 walkable classes");
      this.classNames.push(access.class);
      this.classIds.set(access.class, cls);
    }
    const k = this.ways.add(id, refs);
    if (k >= this.wayClass.length) {
      this.wayClass = ensureCapacity(this.wayClass, k + 1);
      this.wayDirs = ensureCapacity(this.wayDirs, k + 1);
    }
    this.wayClass[k] = cls;
    this.wayDirs[k] = (access.forward ? FORWARD : 0) | (access.backward ? BACKWARD : 0);
  }
  /** Builds the network; call after the node phase is complete. */
  build(store) {
    const ways = this.ways;
    const wayCount = ways.count;
    const totalRefs = ways.totalRefs;
    const refs = ways.refs;
    const resolved = new Int32Array(totalRefs);
    let missingNodeRefs = 0;
    const missingRefWays = [];
    const missingRefCounts = [];
    for (let k = 0; k < wayCount; k++) {
      let missingHere = 0;
      let hint = -1;
      for (let r = ways.start(k), end = ways.end(k); r < end; r++) {
        const idx = store.indexOf(refs[r], hint);
        resolved[r] = idx;
        if (idx < 0) missingHere++;
        else hint = idx;
      }
      if (missingHere > 0) {
        missingNodeRefs += missingHere;
        missingRefWays.push(ways.id(k));
        missingRefCounts.push(missingHere);
      }
    }
    const usage = new Uint8Array(store.count);
    for (let r = 0; r < totalRefs; r++) {
      const idx = resolved[r];
      if (idx >= 0 && usage[idx] < 2) usage[idx]++;
    }
    let shortWays = 0;
    const shortWayExamples = [];
    for (let k = 0; k < wayCount; k++) {
      const end = ways.end(k);
      let edgeful = false;
      let r = ways.start(k);
      while (r < end) {
        if (resolved[r] < 0) {
          r++;
          continue;
        }
        const first = r;
        while (r < end && resolved[r] >= 0) r++;
        if (r - first >= 2) {
          usage[resolved[first]] = 2;
          usage[resolved[r - 1]] = 2;
          edgeful = true;
        }
      }
      if (!edgeful) {
        shortWays++;
        if (shortWayExamples.length < EXAMPLES) shortWayExamples.push(ways.id(k));
      }
    }
    const netIndex = new Int32Array(store.count).fill(-1);
    let nodeCount = 0;
    let nodeLon = new Float64Array(wayCount * 2 + 16);
    let nodeLat = new Float64Array(wayCount * 2 + 16);
    let nodeOsmId = new Float64Array(wayCount * 2 + 16);
    const networkNode = (s) => {
      let v = netIndex[s];
      if (v < 0) {
        v = nodeCount++;
        netIndex[s] = v;
        if (v >= nodeLon.length) {
          nodeLon = ensureCapacity(nodeLon, v + 1);
          nodeLat = ensureCapacity(nodeLat, v + 1);
          nodeOsmId = ensureCapacity(nodeOsmId, v + 1);
        }
        nodeLon[v] = store.lon(s);
        nodeLat[v] = store.lat(s);
        nodeOsmId[v] = store.id(s);
      }
      return v;
    };
    const edgeCap = wayCount * 3 + 16;
    let edgeCount = 0;
    let source = new Int32Array(edgeCap);
    let target = new Int32Array(edgeCap);
    let lengthM = new Float64Array(edgeCap);
    let cost = new Float64Array(edgeCap);
    let reverseCost = new Float64Array(edgeCap);
    let classIndex = new Uint8Array(edgeCap);
    let edgeOsmId = new Float64Array(edgeCap);
    let geomOffset = new Int32Array(edgeCap + 1);
    let coords = new Float64Array((totalRefs + edgeCap) * 2);
    let vertexCount = 0;
    let zeroLengthDropped = 0;
    let stepsEdges = 0;
    const stepsClass = this.classIds.get("steps") ?? -1;
    const pushVertex = (s) => {
      if (2 * vertexCount + 2 > coords.length) coords = ensureCapacity(coords, 2 * vertexCount + 2);
      coords[2 * vertexCount] = store.lon(s);
      coords[2 * vertexCount + 1] = store.lat(s);
      vertexCount++;
    };
    for (let k = 0; k < wayCount; k++) {
      const end = ways.end(k);
      const cls = this.wayClass[k];
      const className = this.classNames[cls];
      const dirs = this.wayDirs[k];
      const osmId = ways.id(k);
      let r = ways.start(k);
      while (r < end) {
        if (resolved[r] < 0) {
          r++;
          continue;
        }
        const first = r;
        let partEnd = r;
        while (partEnd < end && resolved[partEnd] >= 0) partEnd++;
        r = partEnd;
        if (partEnd - first < 2) continue;
        let from = resolved[first];
        let edgeStartVertex = vertexCount;
        pushVertex(from);
        let length = 0;
        let prevLon = store.lon(from);
        let prevLat = store.lat(from);
        for (let q = first + 1; q < partEnd; q++) {
          const s = resolved[q];
          const lon = store.lon(s);
          const lat = store.lat(s);
          length += haversineM(prevLon, prevLat, lon, lat);
          prevLon = lon;
          prevLat = lat;
          pushVertex(s);
          if (usage[s] < 2) continue;
          if (length === 0 && s === from) {
            zeroLengthDropped++;
            vertexCount = edgeStartVertex;
          } else {
            if (edgeCount + 1 >= source.length) {
              const need = edgeCount + 2;
              source = ensureCapacity(source, need);
              target = ensureCapacity(target, need);
              lengthM = ensureCapacity(lengthM, need);
              cost = ensureCapacity(cost, need);
              reverseCost = ensureCapacity(reverseCost, need);
              classIndex = ensureCapacity(classIndex, need);
              edgeOsmId = ensureCapacity(edgeOsmId, need);
              geomOffset = ensureCapacity(geomOffset, need + 1);
            }
            const e = edgeCount++;
            source[e] = networkNode(from);
            target[e] = networkNode(s);
            lengthM[e] = length;
            const seconds = edgeSeconds(length, className);
            cost[e] = dirs & FORWARD ? seconds : -1;
            reverseCost[e] = dirs & BACKWARD ? seconds : -1;
            classIndex[e] = cls;
            edgeOsmId[e] = osmId;
            geomOffset[e] = edgeStartVertex;
            geomOffset[e + 1] = vertexCount;
            if (cls === stepsClass) stepsEdges++;
          }
          from = s;
          length = 0;
          edgeStartVertex = vertexCount;
          if (q + 1 < partEnd) pushVertex(s);
        }
      }
    }
    geomOffset[edgeCount] = vertexCount;
    const network = {
      nodeCount,
      nodeLon: nodeLon.slice(0, nodeCount),
      nodeLat: nodeLat.slice(0, nodeCount),
      nodeOsmId: nodeOsmId.slice(0, nodeCount),
      edgeCount,
      source: source.slice(0, edgeCount),
      target: target.slice(0, edgeCount),
      lengthM: lengthM.slice(0, edgeCount),
      cost: cost.slice(0, edgeCount),
      reverseCost: reverseCost.slice(0, edgeCount),
      classIndex: classIndex.slice(0, edgeCount),
      classNames: this.classNames.slice(),
      edgeOsmId: edgeOsmId.slice(0, edgeCount),
      geomOffset: geomOffset.slice(0, edgeCount + 1),
      coords: coords.slice(0, 2 * vertexCount)
    };
    return {
      network,
      ways: wayCount,
      missingNodeRefs,
      missingRefWays,
      missingRefCounts,
      shortWays,
      shortWayExamples,
      zeroLengthDropped,
      stepsEdges
    };
  }
};

// data-pipeline/osm/grid-generator.ts
var GRID_CELL_M = 500;
var HOUSEHOLDS_PER_OFFICER = 300;
var RAD2 = Math.PI / 180;
function pad(n) {
  return String(n).padStart(4, "0");
}
function assignGrids(lon, lat, households, cellM = GRID_CELL_M) {
  const n = lon.length;
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLat = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = lon[i];
    const y = lat[i];
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`household unit ${i} has no valid coordinates`);
    if (x < minLon) minLon = x;
    if (y < minLat) minLat = y;
    if (y > maxLat) maxLat = y;
  }
  const gridIndex = new Int32Array(n);
  if (n === 0) {
    return { grids: [], gridIndex, centerLon: new Float64Array(0), centerLat: new Float64Array(0), households: new Int32Array(0) };
  }
  const cellLat = cellM / (EARTH_RADIUS_M * RAD2);
  const cellLon = cellM / (EARTH_RADIUS_M * RAD2 * Math.cos((minLat + maxLat) / 2 * RAD2));
  const cellKey = new Float64Array(n);
  const keys = /* @__PURE__ */ new Map();
  for (let i = 0; i < n; i++) {
    const col = Math.floor((lon[i] - minLon) / cellLon);
    const row = Math.floor((lat[i] - minLat) / cellLat);
    const key = row * 1048576 + col;
    cellKey[i] = key;
    keys.set(key, 0);
  }
  const sorted = [...keys.keys()].sort((a, b) => a - b);
  sorted.forEach((key, index) => keys.set(key, index));
  const g = sorted.length;
  const perGrid = new Int32Array(g);
  for (let i = 0; i < n; i++) {
    const index = keys.get(cellKey[i]);
    gridIndex[i] = index;
    perGrid[index] += households ? households[i] : 1;
  }
  const grids2 = [];
  const centerLon = new Float64Array(g);
  const centerLat = new Float64Array(g);
  for (let index = 0; index < g; index++) {
    const key = sorted[index];
    const row = Math.floor(key / 1048576);
    const col = key - row * 1048576;
    const w = minLon + col * cellLon;
    const e = minLon + (col + 1) * cellLon;
    const s = minLat + row * cellLat;
    const nn = minLat + (row + 1) * cellLat;
    const geom = [[[[w, s], [e, s], [e, nn], [w, nn], [w, s]]]];
    centerLon[index] = (w + e) / 2;
    centerLat[index] = (s + nn) / 2;
    grids2.push({
      code: `G-${pad(row)}-${pad(col)}`,
      name: `Grid ${pad(row)}-${pad(col)}`,
      districtCode: null,
      streetCode: null,
      communityCode: null,
      officers: Math.max(1, Math.round(perGrid[index] / HOUSEHOLDS_PER_OFFICER)),
      geom
    });
  }
  return { grids: grids2, gridIndex, centerLon, centerLat, households: perGrid };
}

// data-pipeline/osm/household-estimate.ts
var M2_PER_HOUSEHOLD = 90;
var USABLE_SHARE = 0.75;
var PERSONS_PER_HOUSEHOLD = 2.6;
var TERRACE_HOUSE_M2 = 60;
var YES_MIN_M2 = 40;
var YES_MAX_M2 = 2e3;
var YES_RESIDENTIAL_SHARE = 0.5;
var DEFAULT_LEVELS = {
  apartments: 5,
  residential: 3,
  dormitory: 4,
  yes: 3,
  house: 2,
  detached: 2,
  semidetached_house: 2,
  terrace: 2,
  bungalow: 1
};
var SINGLE_FAMILY = /* @__PURE__ */ new Set(["house", "detached", "bungalow", "semidetached_house"]);
var MULTI_DWELLING = /* @__PURE__ */ new Set(["apartments", "residential", "dormitory"]);
var NON_RESIDENTIAL_KEYS = /* @__PURE__ */ new Set(["shop", "amenity", "office", "tourism", "craft", "industrial", "healthcare", "leisure", "man_made", "public_transport", "religion"]);
function positiveNumber(value, max) {
  if (value === void 0) return null;
  const n = Number.parseFloat(value);
  return Number.isFinite(n) && n > 0 && n <= max ? n : null;
}
function countFlats(value) {
  let total = 0;
  for (const part of value.split(/[;,]/)) {
    const p = part.trim();
    if (p === "") continue;
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(p);
    if (range) {
      const a = Number(range[1]);
      const b = Number(range[2]);
      total += b >= a && b - a < 1e3 ? b - a + 1 : 1;
    } else {
      total += 1;
    }
  }
  return total;
}
function buildingInfo(tags) {
  const kind = tags.building ?? "yes";
  const levels = positiveNumber(tags["building:levels"], 200);
  let flats = null;
  const bf = positiveNumber(tags["building:flats"], 1e5);
  if (bf !== null) flats = Math.round(bf);
  else if (tags["addr:flats"] !== void 0) flats = countFlats(tags["addr:flats"]) || null;
  let nonResidential = false;
  for (const key in tags) {
    if (NON_RESIDENTIAL_KEYS.has(key)) {
      nonResidential = true;
      break;
    }
  }
  return { kind, levels, flats, nonResidential };
}
function householdsInBuilding(info, footprintM2) {
  if (info.flats !== null) return info.flats;
  const kind = info.kind;
  if (SINGLE_FAMILY.has(kind)) return 1;
  if (kind === "terrace") return Math.max(1, Math.round(footprintM2 / TERRACE_HOUSE_M2));
  const levels = Math.max(1, info.levels ?? DEFAULT_LEVELS[kind] ?? 1);
  const dwellingsByArea = footprintM2 * levels * USABLE_SHARE / M2_PER_HOUSEHOLD;
  if (MULTI_DWELLING.has(kind)) return Math.max(1, Math.round(dwellingsByArea));
  if (kind === "yes") {
    if (info.nonResidential || footprintM2 < YES_MIN_M2 || footprintM2 > YES_MAX_M2) return 0;
    return Math.max(1, Math.round(dwellingsByArea * YES_RESIDENTIAL_SHARE));
  }
  return 0;
}
var RAD3 = Math.PI / 180;
function ringAreaCentroid(coords, start, end) {
  let n = end - start;
  if (n > 1 && coords[2 * start] === coords[2 * end - 2] && coords[2 * start + 1] === coords[2 * end - 1]) n--;
  if (n === 0) return { areaM2: 0, lon: NaN, lat: NaN };
  const lon0 = coords[2 * start];
  const lat0 = coords[2 * start + 1];
  const kx = EARTH_RADIUS_M * RAD3 * Math.cos(lat0 * RAD3);
  const ky = EARTH_RADIUS_M * RAD3;
  let a2 = 0;
  let cx = 0;
  let cy = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    const x1 = (coords[2 * (start + i)] - lon0) * kx;
    const y1 = (coords[2 * (start + i) + 1] - lat0) * ky;
    const x2 = (coords[2 * (start + j)] - lon0) * kx;
    const y2 = (coords[2 * (start + j) + 1] - lat0) * ky;
    const cross = x1 * y2 - x2 * y1;
    a2 += cross;
    cx += (x1 + x2) * cross;
    cy += (y1 + y2) * cross;
    sx += x1;
    sy += y1;
  }
  if (Math.abs(a2) < 1e-9) return { areaM2: 0, lon: lon0 + sx / n / kx, lat: lat0 + sy / n / ky };
  return { areaM2: Math.abs(a2) / 2, lon: lon0 + cx / (3 * a2) / kx, lat: lat0 + cy / (3 * a2) / ky };
}
function estimateHouseholds(buildings, source = "osm-estimate") {
  const n = buildings.count;
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  const households = new Int32Array(n);
  const persons = new Int32Array(n);
  const sourceIds = [];
  let count = 0;
  let householdsTotal = 0;
  let personsTotal = 0;
  for (let k = 0; k < n; k++) {
    const h2 = householdsInBuilding(buildings.info[k], buildings.areaM2[k]);
    const x = buildings.lon[k];
    const y = buildings.lat[k];
    if (h2 <= 0 || !Number.isFinite(x) || !Number.isFinite(y)) continue;
    const p = Math.round(h2 * PERSONS_PER_HOUSEHOLD);
    lon[count] = x;
    lat[count] = y;
    households[count] = h2;
    persons[count] = p;
    sourceIds.push(`way/${buildings.osmId[k]}`);
    householdsTotal += h2;
    personsTotal += p;
    count++;
  }
  return {
    households: {
      count,
      lon: lon.slice(0, count),
      lat: lat.slice(0, count),
      households: households.slice(0, count),
      persons: persons.slice(0, count),
      gridIndex: new Int32Array(count).fill(-1),
      source,
      sourceIds
    },
    residentialBuildings: count,
    householdsTotal,
    personsTotal
  };
}

// data-pipeline/osm/osm-centers.ts
var AMENITY_KINDS = {
  community_centre: "community_centre",
  social_facility: "social_facility",
  nursing_home: "elderly_care",
  townhall: "townhall",
  clinic: "health",
  doctors: "health",
  hospital: "health",
  pharmacy: "health",
  kindergarten: "education",
  childcare: "education",
  school: "education",
  library: "culture",
  arts_centre: "culture",
  post_office: "post",
  police: "police",
  marketplace: "market"
};
var HEALTHCARE_KINDS = /* @__PURE__ */ new Set(["clinic", "doctor", "centre", "hospital", "pharmacy"]);
function centerKind(tags) {
  const amenity = tags.amenity;
  if (amenity !== void 0) {
    const kind = AMENITY_KINDS[amenity];
    if (kind === "social_facility") {
      const sf = tags.social_facility;
      if (tags["social_facility:for"] === "senior" || sf === "nursing_home" || sf === "assisted_living") return "elderly_care";
    }
    if (kind !== void 0) return kind;
  }
  const healthcare = tags.healthcare;
  if (healthcare !== void 0 && HEALTHCARE_KINDS.has(healthcare)) return "health";
  if (tags.shop === "supermarket") return "market";
  return null;
}
function centerRow(kind, tags, type, id, lon, lat) {
  const sourceId = `${type}/${id}`;
  return {
    name: tags.name ?? `${kind} ${sourceId}`,
    kind,
    services: [kind],
    source: "osm",
    sourceId,
    lon,
    lat
  };
}

// data-pipeline/osm/read-osm.ts
import { open as open2, stat as stat2 } from "node:fs/promises";
import { extname } from "node:path";
async function readOsm(file, handler, options = {}) {
  await assertReadableFile(file);
  const format = await detectFormat(file);
  if (format === "pbf") return (await Promise.resolve().then(() => (init_pbf_reader(), pbf_reader_exports))).readPbf(file, handler, options);
  return (await Promise.resolve().then(() => (init_xml_reader(), xml_reader_exports))).readOsmXml(file, handler, options);
}
async function assertReadableFile(file) {
  try {
    const info = await stat2(file);
    if (!info.isFile()) throw new Error(`not a file: ${file}`);
  } catch (err) {
    if (err.code === "ENOENT") throw new Error(`file not found: ${file}`);
    throw err;
  }
}
async function detectFormat(file) {
  const ext = extname(file).toLowerCase();
  if (ext === ".pbf") return "pbf";
  if (ext === ".osm" || ext === ".xml") return "xml";
  return await startsLikeXml(file) ? "xml" : "pbf";
}
async function startsLikeXml(file) {
  const fh = await open2(file, "r");
  try {
    const head = Buffer.alloc(64);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    const text = head.subarray(0, bytesRead).toString("latin1").replace(/^\xef\xbb\xbf/, "").trimStart();
    return text.startsWith("<");
  } finally {
    await fh.close();
  }
}

// data-pipeline/osm/walk-model.ts
var WALKABLE = /* @__PURE__ */ new Set([
  "footway",
  "pedestrian",
  "path",
  "steps",
  "living_street",
  "residential",
  "service",
  "unclassified",
  "tertiary",
  "tertiary_link",
  "secondary",
  "secondary_link",
  "primary",
  "primary_link",
  "track",
  "crossing"
]);
var WALKABLE_WITH_FOOT_PERMISSION = /* @__PURE__ */ new Set([
  "motorway",
  "motorway_link",
  "trunk",
  "trunk_link",
  "cycleway",
  "bridleway"
]);
var FOOT_PERMITS = /* @__PURE__ */ new Set(["yes", "designated", "permissive"]);
var FOOT_FORBIDS = /* @__PURE__ */ new Set(["no"]);
var ACCESS_FORBIDS = /* @__PURE__ */ new Set(["no", "private"]);
var ONEWAY_FORWARD = /* @__PURE__ */ new Set(["yes", "1", "true"]);
var ONEWAY_BACKWARD = /* @__PURE__ */ new Set(["-1", "reverse"]);
function walkAccess(tags) {
  const highway = tags.highway;
  if (highway === void 0) return null;
  const foot = tags.foot;
  if (foot !== void 0 && FOOT_FORBIDS.has(foot)) return null;
  const footPermit = foot !== void 0 && FOOT_PERMITS.has(foot);
  if (WALKABLE.has(highway)) {
  } else if (WALKABLE_WITH_FOOT_PERMISSION.has(highway)) {
    if (!footPermit) return null;
  } else {
    return null;
  }
  const access = tags.access;
  if (access !== void 0 && ACCESS_FORBIDS.has(access) && !footPermit) return null;
  const onewayFoot = tags["oneway:foot"];
  let forward = true;
  let backward = true;
  if (onewayFoot !== void 0) {
    if (ONEWAY_FORWARD.has(onewayFoot)) backward = false;
    else if (ONEWAY_BACKWARD.has(onewayFoot)) forward = false;
  }
  return { class: highway, forward, backward };
}

// data-pipeline/osm/osm-to-bundle.ts
var EXAMPLES2 = 5;
var CITY_CODE = "city";
var COMMUNITY_PLACES = /* @__PURE__ */ new Set(["suburb", "quarter", "neighbourhood", "village", "town"]);
function waterAreaKind(tags) {
  if (tags.natural === "water") return "water";
  if (tags.waterway === "riverbank") return "riverbank";
  if (tags.landuse === "reservoir") return "reservoir";
  return null;
}
var WATER_LINES = /* @__PURE__ */ new Set(["river", "stream", "canal"]);
var Skips = class {
  entries = /* @__PURE__ */ new Map();
  add(reason, example, count = 1) {
    let e = this.entries.get(reason);
    if (!e) {
      e = { reason, count: 0, examples: [] };
      this.entries.set(reason, e);
    }
    e.count += count;
    if (e.examples.length < EXAMPLES2 && !e.examples.includes(example)) e.examples.push(example);
  }
  list() {
    return [...this.entries.values()];
  }
};
var MISSING_REFS = "way-node refs to nodes missing from the file (ways cut there)";
function isClosed(refs) {
  return refs.length >= 4 && refs[0] === refs[refs.length - 1];
}
function ring(coords, from, to) {
  const out = [];
  for (let v = from; v < to; v++) out.push([coords[2 * v], coords[2 * v + 1]]);
  const first = out[0];
  const last = out[out.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) out.push([first[0], first[1]]);
  return out;
}
function distinctVertices(coords, from, to) {
  const n = to - from;
  return n > 1 && coords[2 * from] === coords[2 * to - 2] && coords[2 * from + 1] === coords[2 * to - 1] ? n - 1 : n;
}
var FlatPolygonRow = class {
  constructor(kind, levels, coords, from, to) {
    this.kind = kind;
    this.levels = levels;
    this.ring = { coords, from, to };
  }
  kind;
  levels;
  ring;
  get geom() {
    return [[ring(this.ring.coords, this.ring.from, this.ring.to)]];
  }
  toJSON() {
    return { kind: this.kind, levels: this.levels, geom: this.geom };
  }
};
function createOsmCollector() {
  const store = new NodeStore();
  const network = new NetworkBuilder();
  const skips = new Skips();
  let wayCount = 0;
  let relationCount = 0;
  const buildingRefs = new WayRefs();
  const buildingInfos = [];
  const waterRefs = new WayRefs();
  const waterMeta = [];
  const nodeCenters = [];
  const centerWayRefs = new WayRefs();
  const centerWayMeta = [];
  const places = [];
  const handler = {
    node(id, lon, lat, tags) {
      store.add(id, lon, lat);
      if (tags === null) return;
      const kind = centerKind(tags);
      if (kind !== null) nodeCenters.push(centerRow(kind, tags, "node", id, lon, lat));
      const place = tags.place;
      if (place !== void 0 && COMMUNITY_PLACES.has(place)) {
        places.push({ name: tags.name ?? `${place} node/${id}`, place, osmId: id, lon, lat });
      }
    },
    way(id, refs, tags) {
      wayCount++;
      const access = walkAccess(tags);
      if (access !== null) network.addWay(id, refs, access);
      const closed = isClosed(refs);
      const building = tags.building;
      if (building !== void 0 && building !== "no") {
        if (closed) {
          buildingRefs.add(id, refs);
          buildingInfos.push(buildingInfo(tags));
        } else {
          skips.add("building ways that are not closed rings", `way/${id}`);
        }
      }
      const waterArea = closed ? waterAreaKind(tags) : null;
      if (waterArea !== null) {
        waterRefs.add(id, refs);
        waterMeta.push({ kind: waterArea, name: tags.name ?? null, line: false });
      }
      const waterway = tags.waterway;
      if (waterway !== void 0 && WATER_LINES.has(waterway)) {
        waterRefs.add(id, refs);
        waterMeta.push({ kind: waterway, name: tags.name ?? null, line: true });
      }
      const kind = centerKind(tags);
      if (kind !== null) {
        centerWayRefs.add(id, refs);
        centerWayMeta.push({ kind, tags });
      }
    },
    relation(id, _members, tags) {
      relationCount++;
      if (tags.type !== "multipolygon") return;
      let what = null;
      if (tags.building !== void 0) what = "building";
      else if (waterAreaKind(tags) !== null) what = "water";
      else if (centerKind(tags) !== null) what = "center";
      if (what !== null) skips.add("multipolygon relations not handled (buildings, water, centers)", `relation/${id} (${what})`);
    }
  };
  const missingByWay = /* @__PURE__ */ new Map();
  function resolveWays(ways) {
    const offset = new Int32Array(ways.count + 1);
    const coords = new Float64Array(ways.totalRefs * 2);
    let v = 0;
    const refs = ways.refs;
    for (let k = 0; k < ways.count; k++) {
      offset[k] = v;
      let missing = 0;
      let prev = -1;
      for (let r = ways.start(k), end = ways.end(k); r < end; r++) {
        const idx = store.indexOf(refs[r], prev);
        if (idx < 0) {
          missing++;
          continue;
        }
        if (idx === prev) continue;
        prev = idx;
        coords[2 * v] = store.lon(idx);
        coords[2 * v + 1] = store.lat(idx);
        v++;
      }
      if (missing > 0) missingByWay.set(ways.id(k), missing);
    }
    offset[ways.count] = v;
    return { offset, coords };
  }
  function validRing(coords, from, to) {
    return distinctVertices(coords, from, to) >= 3 && ringAreaCentroid(coords, from, to).areaM2 > 0;
  }
  function collect() {
    store.seal();
    const built = network.build(store);
    const b = resolveWays(buildingRefs);
    const buildings = [];
    const n = buildingRefs.count;
    const areaM2 = new Float64Array(n);
    const cLon = new Float64Array(n);
    const cLat = new Float64Array(n);
    const keptId = new Float64Array(n);
    const keptInfo = [];
    let kept = 0;
    for (let k = 0; k < n; k++) {
      const from = b.offset[k];
      const to = b.offset[k + 1];
      const m = ringAreaCentroid(b.coords, from, to);
      if (!(m.areaM2 > 0) || distinctVertices(b.coords, from, to) < 3) {
        skips.add("degenerate building polygons (< 3 distinct resolvable vertices or no area)", `way/${buildingRefs.id(k)}`);
        continue;
      }
      const info = buildingInfos[k];
      buildings.push(new FlatPolygonRow(info.kind, info.levels, b.coords, from, to));
      areaM2[kept] = m.areaM2;
      cLon[kept] = m.lon;
      cLat[kept] = m.lat;
      keptId[kept] = buildingRefs.id(k);
      keptInfo.push(info);
      kept++;
    }
    const footprints = {
      count: kept,
      info: keptInfo,
      areaM2: areaM2.subarray(0, kept),
      lon: cLon.subarray(0, kept),
      lat: cLat.subarray(0, kept),
      osmId: keptId.subarray(0, kept)
    };
    const w = resolveWays(waterRefs);
    const water = [];
    for (let k = 0; k < waterRefs.count; k++) {
      const from = w.offset[k];
      const to = w.offset[k + 1];
      const meta = waterMeta[k];
      if (meta.line) {
        if (to - from < 2) {
          skips.add("water ways with < 2 resolvable nodes", `way/${waterRefs.id(k)}`);
          continue;
        }
        const line = [];
        for (let i = from; i < to; i++) line.push([w.coords[2 * i], w.coords[2 * i + 1]]);
        water.push({ kind: meta.kind, name: meta.name, geom: { type: "LineString", coordinates: line } });
      } else {
        if (!validRing(w.coords, from, to)) {
          skips.add("degenerate water polygons", `way/${waterRefs.id(k)}`);
          continue;
        }
        water.push({ kind: meta.kind, name: meta.name, geom: { type: "MultiPolygon", coordinates: [[ring(w.coords, from, to)]] } });
      }
    }
    const centers = nodeCenters.slice();
    const c2 = resolveWays(centerWayRefs);
    for (let k = 0; k < centerWayRefs.count; k++) {
      const from = c2.offset[k];
      const to = c2.offset[k + 1];
      const meta = centerWayMeta[k];
      const id = centerWayRefs.id(k);
      if (to - from === 0) {
        skips.add("center ways with no resolvable nodes", `way/${id}`);
        continue;
      }
      let lon = 0;
      let lat = 0;
      const closed = to - from >= 4 && c2.coords[2 * from] === c2.coords[2 * to - 2] && c2.coords[2 * from + 1] === c2.coords[2 * to - 1];
      const m = closed ? ringAreaCentroid(c2.coords, from, to) : null;
      if (m && m.areaM2 > 0) {
        lon = m.lon;
        lat = m.lat;
      } else {
        for (let i = from; i < to; i++) {
          lon += c2.coords[2 * i];
          lat += c2.coords[2 * i + 1];
        }
        lon /= to - from;
        lat /= to - from;
      }
      centers.push(centerRow(meta.kind, meta.tags, "way", id, lon, lat));
    }
    built.missingRefWays.forEach((id, i) => missingByWay.set(id, built.missingRefCounts[i]));
    if (missingByWay.size > 0) {
      let total = 0;
      for (const n2 of missingByWay.values()) total += n2;
      const examples = [...missingByWay.keys()].slice(0, EXAMPLES2).map((id) => `way/${id}`);
      skips.add(MISSING_REFS, examples[0], total);
      for (const e of examples) skips.add(MISSING_REFS, e, 0);
    }
    const skipped = skips.list();
    if (built.shortWays > 0) {
      skipped.push({ reason: "walkable ways with < 2 resolvable nodes", count: built.shortWays, examples: built.shortWayExamples.map((id) => `way/${id}`) });
    }
    if (built.zeroLengthDropped > 0) {
      skipped.push({ reason: "zero-length walk edges (repeated node refs), dropped", count: built.zeroLengthDropped, examples: [] });
    }
    return {
      nodes: store.count,
      ways: wayCount,
      relations: relationCount,
      network: built,
      footprints,
      buildings,
      water,
      centers,
      places,
      skipped
    };
  }
  return {
    handler,
    collect,
    finish(options = {}) {
      const t0 = performance.now();
      const collected = collect();
      const result = assemble(collected, typeof options === "string" ? { city: options } : options);
      result.report.ms.build = performance.now() - t0;
      result.report.ms.total = result.report.ms.build;
      return result;
    }
  };
}
function adminChain(city, places, grids2, gridCenterLon, gridCenterLat) {
  if (places.length === 0 || grids2.length === 0) return [];
  const codes = places.map((p) => `community-${p.osmId}`);
  const used = new Uint8Array(places.length);
  const RAD4 = Math.PI / 180;
  for (let g = 0; g < grids2.length; g++) {
    const lon = gridCenterLon[g];
    const lat = gridCenterLat[g];
    const kx = Math.cos(lat * RAD4);
    let best = -1;
    let bestD = Infinity;
    for (let p = 0; p < places.length; p++) {
      const dx = (places[p].lon - lon) * kx;
      const dy = places[p].lat - lat;
      const d = dx * dx + dy * dy;
      if (d < bestD) {
        bestD = d;
        best = p;
      }
    }
    grids2[g].communityCode = codes[best];
    used[best] = 1;
  }
  const admin = [];
  for (let p = 0; p < places.length; p++) {
    if (used[p]) admin.push({ code: codes[p], level: "community", name: places[p].name, parentCode: city.code, geom: null });
  }
  return admin;
}
function assemble(collected, options = {}) {
  const source = options.source ?? "osm";
  const city = { code: CITY_CODE, name: options.city ?? "City" };
  let households;
  let residentialBuildings = 0;
  if (options.households) {
    households = options.households;
  } else {
    const estimate = estimateHouseholds(collected.footprints);
    households = estimate.households;
    residentialBuildings = estimate.residentialBuildings;
  }
  const g = assignGrids(households.lon, households.lat, households.households);
  households.gridIndex = g.gridIndex;
  const admin = adminChain(city, collected.places, g.grids, g.centerLon, g.centerLat);
  const centers = options.centers ?? collected.centers;
  let householdsTotal = 0;
  let personsTotal = 0;
  for (let i = 0; i < households.count; i++) {
    householdsTotal += households.households[i];
    if (households.persons[i] > 0) personsTotal += households.persons[i];
  }
  const centersByKind = {};
  for (const c2 of centers) centersByKind[c2.kind] = (centersByKind[c2.kind] ?? 0) + 1;
  const net = collected.network;
  const bundle2 = {
    city,
    source,
    admin,
    grids: g.grids,
    centers,
    households,
    network: net.network,
    buildings: collected.buildings,
    water: collected.water
  };
  const report = {
    source,
    counts: {
      nodes: collected.nodes,
      ways: collected.ways,
      relations: collected.relations,
      walkableWays: net.ways,
      networkNodes: net.network.nodeCount,
      networkEdges: net.network.edgeCount,
      stepsEdges: net.stepsEdges,
      buildings: collected.buildings.length,
      residentialBuildings,
      householdUnits: households.count,
      householdsTotal,
      personsTotal,
      centers: centers.length,
      centersByKind,
      grids: g.grids.length,
      officers: g.grids.reduce((a, x) => a + x.officers, 0),
      communities: admin.length,
      water: collected.water.length
    },
    skipped: collected.skipped,
    ms: { read: 0, build: 0, total: 0 }
  };
  return { bundle: bundle2, report };
}

// server/db/binary-copy.ts
var SIGNATURE = Buffer.from("PGCOPY\n\xFF\r\n\0", "latin1");
var TEXT_OID = 25;
var SRID = 4326;
var WKB_POINT = 1;
var WKB_LINESTRING = 2;
var WKB_POLYGON = 3;
var WKB_MULTIPOLYGON = 6;
var SRID_FLAG = 536870912;
var CHUNK_BYTES2 = 256 * 1024;
function viewOf(buffer) {
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
var LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 63;
function utf8(value) {
  return value === null ? null : Buffer.from(value, "utf8");
}
var BinaryCopyWriter = class {
  buffer = Buffer.allocUnsafe(CHUNK_BYTES2 + 64 * 1024);
  // Numbers go through a DataView: its setters are engine builtins, fast even
  // before the JIT has compiled the caller (a one-shot import runs cold).
  view = viewOf(this.buffer);
  offset = 0;
  done = [];
  fieldsLeft = 0;
  bytesOf = null;
  valueBytes = Buffer.alloc(0);
  lengthAt = -1;
  constructor() {
    SIGNATURE.copy(this.buffer, 0);
    this.view.setInt32(11, 0);
    this.view.setInt32(15, 0);
    this.offset = 19;
  }
  /** Starts a row of `fields` fields; finishes the previous one. */
  row(fields) {
    this.checkRowComplete();
    if (this.offset >= CHUNK_BYTES2) this.cut();
    this.reserve(2);
    this.view.setInt16(this.offset, fields);
    this.offset += 2;
    this.fieldsLeft = fields;
    return this;
  }
  /** Chunks completed so far (the caller takes ownership). */
  takeChunks() {
    return this.done.splice(0, this.done.length);
  }
  /** Writes the trailer and returns the last chunks. */
  end() {
    this.checkRowComplete();
    this.reserve(2);
    this.view.setInt16(this.offset, -1);
    this.offset += 2;
    this.cut();
    return this.takeChunks();
  }
  null() {
    this.field(-1);
    return this;
  }
  int4(value) {
    this.field(4);
    this.view.setInt32(this.offset, value);
    this.offset += 4;
    return this;
  }
  /** A bigint column from a JS number (OSM ids fit in 53 bits). */
  int8(value) {
    this.field(8);
    this.view.setBigInt64(this.offset, BigInt(value));
    this.offset += 8;
    return this;
  }
  float4(value) {
    this.field(4);
    this.view.setFloat32(this.offset, value);
    this.offset += 4;
    return this;
  }
  float8(value) {
    this.field(8);
    this.view.setFloat64(this.offset, value);
    this.offset += 8;
    return this;
  }
  text(value) {
    if (value === null) return this.null();
    this.reserve(4 + value.length * 3);
    const at = this.offset;
    this.field(0);
    const bytes2 = this.buffer.write(value, this.offset, "utf8");
    this.view.setInt32(at, bytes2);
    this.offset += bytes2;
    return this;
  }
  /** A text value already encoded with `utf8`: one copy instead of an encode per row. */
  encodedText(bytes2) {
    if (bytes2 === null) return this.null();
    this.field(bytes2.length);
    this.buffer.set(bytes2, this.offset);
    this.offset += bytes2.length;
    return this;
  }
  /** A one-dimensional text[] (no NULL elements). */
  textArray(values) {
    const start = this.beginVariable();
    this.reserve(20);
    this.view.setInt32(this.offset, values.length > 0 ? 1 : 0);
    this.view.setInt32(this.offset + 4, 0);
    this.view.setInt32(this.offset + 8, TEXT_OID);
    this.offset += 12;
    if (values.length > 0) {
      this.view.setInt32(this.offset, values.length);
      this.view.setInt32(this.offset + 4, 1);
      this.offset += 8;
    }
    for (const value of values) {
      this.reserve(4 + value.length * 3);
      const bytes2 = this.buffer.write(value, this.offset + 4, "utf8");
      this.view.setInt32(this.offset, bytes2);
      this.offset += 4 + bytes2;
    }
    this.endVariable(start);
    return this;
  }
  point(lon, lat) {
    this.field(25);
    this.ewkbHeader(WKB_POINT, true);
    this.double(lon);
    this.double(lat);
    return this;
  }
  /** A LineString from a flat lon,lat array, vertices [fromVertex, toVertex). */
  lineFromFlat(coords, fromVertex, toVertex) {
    const n = toVertex - fromVertex;
    this.field(13 + n * 16);
    this.ewkbHeader(WKB_LINESTRING, true);
    this.uint32(n);
    this.doubles(coords, fromVertex * 2, toVertex * 2);
    return this;
  }
  line(points) {
    this.field(13 + points.length * 16);
    this.ewkbHeader(WKB_LINESTRING, true);
    this.uint32(points.length);
    for (const [x, y] of points) {
      this.double(x);
      this.double(y);
    }
    return this;
  }
  multiPolygon(polygons) {
    if (polygons === null) return this.null();
    let size = 13;
    for (const rings of polygons) {
      size += 9;
      for (const ring2 of rings) size += 4 + ring2.length * 16;
    }
    this.field(size);
    this.ewkbHeader(WKB_MULTIPOLYGON, true);
    this.uint32(polygons.length);
    for (const rings of polygons) {
      this.ewkbHeader(WKB_POLYGON, false);
      this.uint32(rings.length);
      for (const ring2 of rings) {
        this.uint32(ring2.length);
        for (const [x, y] of ring2) {
          this.double(x);
          this.double(y);
        }
      }
    }
    return this;
  }
  /** A MultiPolygon of one polygon with one outer ring from flat coordinates, closed if its ends differ. */
  ringPolygon({ coords, from, to }) {
    const open3 = coords[2 * from] !== coords[2 * to - 2] || coords[2 * from + 1] !== coords[2 * to - 1];
    const n = to - from + (open3 ? 1 : 0);
    this.field(13 + 9 + 4 + n * 16);
    this.ewkbHeader(WKB_MULTIPOLYGON, true);
    this.uint32(1);
    this.ewkbHeader(WKB_POLYGON, false);
    this.uint32(1);
    this.uint32(n);
    this.doubles(coords, 2 * from, 2 * to);
    if (open3) {
      this.double(coords[2 * from]);
      this.double(coords[2 * from + 1]);
    }
    return this;
  }
  /** Writes a field's length and makes room for its bytes. */
  field(bytes2) {
    if (this.fieldsLeft-- <= 0) throw new Error("binary COPY: more fields than the row declared");
    this.reserve(4 + Math.max(bytes2, 0));
    this.view.setInt32(this.offset, bytes2);
    this.offset += 4;
  }
  /** For fields whose length is known only after writing: returns where the length goes. */
  beginVariable() {
    this.field(0);
    this.lengthAt = this.offset - 4;
    return this.offset;
  }
  endVariable(start) {
    this.view.setInt32(this.lengthAt, this.offset - start);
    this.lengthAt = -1;
  }
  checkRowComplete() {
    if (this.fieldsLeft !== 0) throw new Error(`binary COPY: a row is missing ${this.fieldsLeft} field(s)`);
  }
  ewkbHeader(type, withSrid) {
    this.view.setUint8(this.offset, 1);
    this.view.setUint32(this.offset + 1, withSrid ? type | SRID_FLAG : type, true);
    this.offset += 5;
    if (withSrid) this.uint32(SRID);
  }
  uint32(value) {
    this.view.setUint32(this.offset, value, true);
    this.offset += 4;
  }
  double(value) {
    this.view.setFloat64(this.offset, value, true);
    this.offset += 8;
  }
  /** values[from, to) as little-endian doubles: one memory copy where the machine is little-endian. */
  doubles(values, from, to) {
    if (LITTLE_ENDIAN) {
      if (this.bytesOf !== values) {
        this.bytesOf = values;
        this.valueBytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
      }
      this.valueBytes.copy(this.buffer, this.offset, from * 8, to * 8);
      this.offset += (to - from) * 8;
    } else {
      for (let i = from; i < to; i++) this.double(values[i]);
    }
  }
  /** Grows the current chunk (copying the part written so far) when `bytes` do not fit. */
  reserve(bytes2) {
    if (this.offset + bytes2 <= this.buffer.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.offset + bytes2));
    this.buffer.copy(next, 0, 0, this.offset);
    this.buffer = next;
    this.view = viewOf(next);
  }
  /** Hands on the current chunk and starts a new one. */
  cut() {
    if (this.offset > 0) this.done.push(this.buffer.subarray(0, this.offset));
    this.buffer = Buffer.allocUnsafe(CHUNK_BYTES2 + 64 * 1024);
    this.view = viewOf(this.buffer);
    this.offset = 0;
  }
};

// data-pipeline/write-bundle.ts
function* encodeRows(table, total, fields, encode, progress) {
  const writer = new BinaryCopyWriter();
  for (let i = 0; i < total; i++) {
    encode(writer.row(fields), i);
    const ready = writer.takeChunks();
    if (ready.length > 0) {
      progress?.(table, i, total);
      yield* ready;
    }
  }
  yield* writer.end();
  progress?.(table, total, total);
}

// bench/_enc.mts
var c = createOsmCollector();
await readOsm("/work/shared/data/osm/monaco.osm.pbf", c.handler);
var { bundle } = c.finish({ city: "Monaco", source: "x" });
var h = bundle.households;
var grids = bundle.grids;
var mode = process.argv[2] ?? "all";
var chains = grids.map((g) => [utf8(g.districtCode), utf8(g.streetCode), utf8(g.communityCode)]);
var cityText = utf8("MC");
var sourceText = utf8(h.source);
var t = performance.now();
var bytes = 0;
if (mode === "all" || mode === "h") for (const ch of encodeRows("households", h.count, 11, (row, i) => {
  const grid = h.gridIndex[i];
  const [district, street, community] = chains[grid];
  const persons = h.persons[i];
  row.int4(i + 1).int4(h.households[i]);
  if (persons === -1) row.null();
  else row.int4(persons);
  row.int4(grid + 1).encodedText(cityText).encodedText(district).encodedText(street).encodedText(community);
  row.encodedText(sourceText).text(h.sourceIds[i] || null).point(h.lon[i], h.lat[i]);
})) bytes += ch.length;
var th = performance.now() - t;
t = performance.now();
var b2 = 0;
var bs = bundle.buildings;
if (mode === "all" || mode === "b") for (const ch of encodeRows("buildings", bs.length, 4, (row, i) => {
  const b = bs[i];
  row.int4(i + 1).text(b.kind);
  if (b.levels === null) row.null();
  else row.float4(b.levels);
  if (b.ring) row.ringPolygon(b.ring);
  else row.multiPolygon(b.geom);
})) b2 += ch.length;
console.log("households", th.toFixed(1), "ms", bytes, "B; buildings", (performance.now() - t).toFixed(1), "ms", b2, "B");
