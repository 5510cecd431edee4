/**
 * Binary snapshots of the walk graph, so a restart with unchanged data loads
 * the graph with one readFile instead of rebuilding it from the tables.
 *
 * File `<dataDir>/graph-<version>.bin`, little-endian:
 *   0  magic "LCWG"            4  format version (u32)
 *   8  header bytes (u32)     12  nodeCount, edgeCount, arcCount, vertexCount (u32 each)
 *  28  version string bytes (u32)
 *  32  bounds (4 x f64)       64  version string (UTF-8), padded to 8
 *  then every array of GRAPH_ARRAYS in order, each padded to 8 bytes.
 * Written to a temporary name and renamed, so a reader sees a whole file or
 * none; older snapshots are removed after a new one is in place. Arrays are
 * views into the one read buffer: loading copies nothing.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GRAPH_ARRAYS, type GraphArrayName, type WalkGraph } from './walk-graph.ts';

const MAGIC = 0x4757434c; // "LCWG" read as little-endian u32
/** 2: edgeSteps added (walking profiles). Older snapshots are rebuilt from the tables. */
const FORMAT = 2;
const FIXED_HEADER = 64;

type ArrayCtor = Uint8ArrayConstructor | Int32ArrayConstructor | Uint32ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor;

/** Element type and length (from the counts) of each array. */
const LAYOUT: Record<GraphArrayName, { ctor: ArrayCtor; length: (n: number, m: number, a: number, v: number) => number }> = {
  nodeId: { ctor: Int32Array, length: (n) => n },
  nodeLon: { ctor: Float64Array, length: (n) => n },
  nodeLat: { ctor: Float64Array, length: (n) => n },
  arcOffset: { ctor: Uint32Array, length: (n) => n + 1 },
  arcTarget: { ctor: Uint32Array, length: (_n, _m, a) => a },
  arcCost: { ctor: Float32Array, length: (_n, _m, a) => a },
  arcReverseCost: { ctor: Float32Array, length: (_n, _m, a) => a },
  arcEdge: { ctor: Uint32Array, length: (_n, _m, a) => a },
  edgeId: { ctor: Int32Array, length: (_n, m) => m },
  edgeSource: { ctor: Uint32Array, length: (_n, m) => m },
  edgeTarget: { ctor: Uint32Array, length: (_n, m) => m },
  edgeLengthM: { ctor: Float32Array, length: (_n, m) => m },
  edgeCost: { ctor: Float32Array, length: (_n, m) => m },
  edgeReverseCost: { ctor: Float32Array, length: (_n, m) => m },
  edgeSteps: { ctor: Uint8Array, length: (_n, m) => m },
  geomOffset: { ctor: Uint32Array, length: (_n, m) => m + 1 },
  coords: { ctor: Float64Array, length: (_n, _m, _a, v) => 2 * v },
};

const pad8 = (n: number) => (n + 7) & ~7;

/** The snapshot file for a data version (version text made safe for file names). */
export function snapshotPath(dataDir: string, version: string): string {
  return path.join(dataDir, `graph-${version.replace(/[^A-Za-z0-9._-]/g, '_')}.bin`);
}

/** The graph as one snapshot buffer. */
export function encodeSnapshot(graph: WalkGraph): Buffer {
  const versionBytes = Buffer.from(graph.version, 'utf8');
  const header = FIXED_HEADER + pad8(versionBytes.length);
  let size = header;
  for (const name of GRAPH_ARRAYS) size += pad8(graph[name].byteLength);
  const buffer = Buffer.alloc(size);
  buffer.writeUInt32LE(MAGIC, 0);
  buffer.writeUInt32LE(FORMAT, 4);
  buffer.writeUInt32LE(header, 8);
  buffer.writeUInt32LE(graph.nodeCount, 12);
  buffer.writeUInt32LE(graph.edgeCount, 16);
  buffer.writeUInt32LE(graph.arcTarget.length, 20);
  buffer.writeUInt32LE(graph.coords.length / 2, 24);
  buffer.writeUInt32LE(versionBytes.length, 28);
  for (let i = 0; i < 4; i++) buffer.writeDoubleLE(graph.bounds[i]!, 32 + 8 * i);
  versionBytes.copy(buffer, FIXED_HEADER);
  let offset = header;
  for (const name of GRAPH_ARRAYS) {
    const array = graph[name];
    buffer.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offset);
    offset += pad8(array.byteLength);
  }
  return buffer;
}

/** A graph from a snapshot buffer; throws when the buffer is not a whole snapshot. */
export function decodeSnapshot(input: Uint8Array): WalkGraph {
  // Typed-array views need aligned offsets; a pooled Buffer may not be.
  const bytes = input.byteOffset % 8 === 0 ? input : new Uint8Array(input);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < FIXED_HEADER || view.getUint32(0, true) !== MAGIC) throw new Error('not a walk graph snapshot (bad magic)');
  if (view.getUint32(4, true) !== FORMAT) throw new Error(`unsupported snapshot format ${view.getUint32(4, true)}`);
  const header = view.getUint32(8, true);
  const n = view.getUint32(12, true);
  const m = view.getUint32(16, true);
  const a = view.getUint32(20, true);
  const v = view.getUint32(24, true);
  const versionLength = view.getUint32(28, true);
  const version = Buffer.from(bytes.buffer, bytes.byteOffset + FIXED_HEADER, versionLength).toString('utf8');
  const bounds: [number, number, number, number] = [0, 1, 2, 3].map((i) => view.getFloat64(32 + 8 * i, true)) as [number, number, number, number];

  let offset = header;
  const arrays = {} as Record<GraphArrayName, ArrayBufferView>;
  for (const name of GRAPH_ARRAYS) {
    const { ctor, length } = LAYOUT[name];
    const count = length(n, m, a, v);
    const byteLength = count * ctor.BYTES_PER_ELEMENT;
    if (offset + byteLength > bytes.byteLength) throw new Error(`snapshot truncated at ${name}`);
    arrays[name] = new ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset + offset, count);
    offset += pad8(byteLength);
  }
  if (offset !== bytes.byteLength) throw new Error(`snapshot has ${bytes.byteLength - offset} unexpected trailing bytes`);
  return { version, nodeCount: n, edgeCount: m, bounds, ...(arrays as unknown as Omit<WalkGraph, 'version' | 'nodeCount' | 'edgeCount' | 'bounds'>) };
}

/** Writes the graph's snapshot atomically and removes snapshots of other versions. */
export async function saveSnapshot(dataDir: string, graph: WalkGraph): Promise<string> {
  await mkdir(dataDir, { recursive: true });
  const file = snapshotPath(dataDir, graph.version);
  const temporary = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await writeFile(temporary, encodeSnapshot(graph));
  await rename(temporary, file);
  await removeOldSnapshots(dataDir, path.basename(file));
  return file;
}

/** Loads the snapshot for `version`; undefined when there is none or it is unreadable (then rebuild). */
export async function loadSnapshot(dataDir: string, version: string): Promise<WalkGraph | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(snapshotPath(dataDir, version));
  } catch {
    return undefined;
  }
  try {
    const graph = decodeSnapshot(bytes);
    return graph.version === version ? graph : undefined;
  } catch {
    return undefined;
  }
}

/** A temporary file this old is left over from a crash, not being written. */
const STALE_TEMPORARY_MS = 10 * 60_000;

async function removeOldSnapshots(dataDir: string, keep: string): Promise<void> {
  const files = await readdir(dataDir).catch(() => [] as string[]);
  for (const file of files) {
    const full = path.join(dataDir, file);
    if (/^graph-.*\.bin$/.test(file) && file !== keep) {
      await unlink(full).catch(() => {});
    } else if (/^graph-.*\.bin\.tmp-/.test(file)) {
      // Another process may be writing it right now: only remove old leftovers.
      const info = await stat(full).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > STALE_TEMPORARY_MS) await unlink(full).catch(() => {});
    }
  }
}
