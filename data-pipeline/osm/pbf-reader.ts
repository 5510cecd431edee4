/**
 * Streaming OSM PBF reader that feeds an OsmHandler: reads the file blob by
 * blob (pbf-blobs.ts), inflating a few blobs ahead on other cores, checks
 * the header block's required features and hands each data block to the
 * PrimitiveBlock decoder (pbf-block-decoder.ts), in file order.
 */

import { open } from 'node:fs/promises';
import Pbf from 'pbf';
import { OsmFormatError, type OsmHandler } from './osm-elements.ts';
import { BlockDecoder } from './pbf-block-decoder.ts';
import { guard, readFramedBlob, unpackBlob, where, type FramedBlob } from './pbf-blobs.ts';
import type { ReadOptions, ReadStats } from './read-common.ts';

const SUPPORTED_FEATURES = new Set(['OsmSchema-V0.6', 'DenseNodes']);

/**
 * Blobs read and inflating ahead of the one being decoded. zlib's async
 * inflate runs on libuv's thread pool, so decompression moves to the other
 * cores while this thread decodes (about a tenth of the read on a big file).
 * Memory stays bounded: at most this many blobs (each <= 32 MiB) in flight.
 */
const READ_AHEAD = 4;

/** Reads an OSM PBF file, calling the handler for every element in file order. */
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

/** Checks the header blob, decodes a data blob, skips the rest. */
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
