/**
 * One entry point for OSM input: callers hand over a path and get the element
 * stream without caring whether it is PBF (Geofabrik extracts) or XML
 * (Overpass/API downloads). The extension decides; files with other names are
 * sniffed, since downloads often arrive as "map" or "interpreter".
 */

import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { OsmHandler } from './osm-elements.ts';
import type { ReadOptions, ReadStats } from './read-common.ts';

export type { ReadOptions, ReadStats } from './read-common.ts';

export async function readOsm(file: string, handler: OsmHandler, options: ReadOptions = {}): Promise<ReadStats> {
  await assertReadableFile(file);
  const format = await detectFormat(file);
  // Each reader loads on demand: the XML parser alone adds ~10 ms to the
  // importer's start, which a PBF import never needs.
  if (format === 'pbf') return (await import('./pbf-reader.ts')).readPbf(file, handler, options);
  return (await import('./xml-reader.ts')).readOsmXml(file, handler, options);
}

async function assertReadableFile(file: string): Promise<void> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error(`not a file: ${file}`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`file not found: ${file}`);
    throw err;
  }
}

export async function detectFormat(file: string): Promise<'pbf' | 'xml'> {
  const ext = extname(file).toLowerCase();
  if (ext === '.pbf') return 'pbf';
  if (ext === '.osm' || ext === '.xml') return 'xml';
  return (await startsLikeXml(file)) ? 'xml' : 'pbf';
}

/** XML may open with a UTF-8 byte order mark or whitespace before '<'; a PBF opens with a 4-byte length. */
async function startsLikeXml(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(64);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    const text = head.subarray(0, bytesRead).toString('latin1').replace(/^\xef\xbb\xbf/, '').trimStart();
    return text.startsWith('<');
  } finally {
    await fh.close();
  }
}
