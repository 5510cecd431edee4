/**
 * The outer layer of an OSM PBF file: a sequence of length-prefixed
 * BlobHeader + Blob frames. Reads one frame at a time with positioned reads
 * (memory stays at one blob, <= 32 MiB, however large the extract) and
 * inflates its data off the main thread. Knows nothing of what the blocks
 * hold: pbf-block-decoder.ts decodes them.
 */

import type { FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { inflate } from 'node:zlib';
import Pbf from 'pbf';
import { OsmFormatError } from './osm-elements.ts';

/** Limits from the format spec; anything bigger means we are not reading a PBF. */
const MAX_BLOB_HEADER_BYTES = 64 * 1024;
const MAX_BLOB_BYTES = 32 * 1024 * 1024;

const inflateAsync = promisify(inflate);

// ---------------------------------------------------------------- framing

/** One frame of the file, read but not yet inflated. */
export interface FramedBlob {
  index: number;
  offset: number;
  /** Byte offset just past this blob. */
  end: number;
  type: string;
  /** The serialized Blob message (still compressed). */
  blob: Uint8Array;
}

/** Where a blob is, for error messages. */
export function where(index: number, offset: number): string {
  return `blob #${index} at byte ${offset}`;
}

/** Reads length + BlobHeader + Blob starting at `offset`; null at a clean end of file. */
export async function readFramedBlob(
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
export function guard<T>(file: string, at: string, what: string, decode: () => T): T {
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
export async function unpackBlob(file: string, framed: FramedBlob): Promise<Uint8Array | null> {
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
