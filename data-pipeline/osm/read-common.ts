/**
 * Pieces shared by the PBF and XML readers: the options and result types they
 * both expose, the reusable way-refs buffer and safe tag assignment. Kept
 * apart from read-osm.ts so the readers do not import their own dispatcher.
 */

import { GrowableArray } from '../../kernel/growable-array.ts';
import type { ReadProgress } from './osm-elements.ts';

export interface ReadOptions {
  onProgress?: (p: ReadProgress) => void;
  signal?: AbortSignal;
}

/** What a reader saw; `bytes` is the file size, `ms` wall time of the read. */
export interface ReadStats {
  nodes: number;
  ways: number;
  relations: number;
  bytes: number;
  ms: number;
}

/**
 * The buffer a reader keeps one way's node refs in at a time. Ways are read
 * by the million, so handing out a view of one buffer (instead of a fresh
 * array per way) keeps the garbage collector out of the hot loop; the handler
 * contract in osm-elements.ts says refs are only valid during the callback.
 * Float64 because node ids exceed 2^31.
 */
export function wayRefsBuffer(): GrowableArray<Float64Array> {
  return new GrowableArray(new Float64Array(2048));
}

/**
 * Assigns a tag without letting a key like "__proto__" reach the prototype
 * setter; plain objects (not Object.create(null)) stay in V8's fast mode.
 */
export function setTag(tags: Record<string, string>, key: string, value: string): void {
  if (key === '__proto__') {
    Object.defineProperty(tags, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    tags[key] = value;
  }
}
