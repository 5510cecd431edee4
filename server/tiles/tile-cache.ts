/**
 * The server's tile cache: encoded tiles (and their compressed variants) in
 * LRU order under a byte budget, with exact invalidation. A data change
 * names the layers it touched and where (lon/lat boxes); every cached tile
 * whose layers depend on one of those layers and whose buffered envelope
 * meets one of the boxes is dropped at once, at every zoom, and nothing else.
 * Tiles are keyed by content hash for their ETag, so a dropped tile that
 * comes back the same keeps its ETag and one that changed gets a new one.
 *
 * Concurrent requests for the same uncached tile share one load (request
 * coalescing). A load that a change overtakes is handed to the requests that
 * were already waiting but never cached, and later requests start a fresh
 * load, so no tile from before a change is served after it.
 */
import * as crypto from 'node:crypto';
import type { BBox, DataChange } from '../../kernel/data-change.ts';
import { TILE_BUFFER, TILE_EXTENT, type TileLayer } from './layers.ts';
import { tileRangeForBox, type TileRange } from './tile-envelope.ts';
import { perLayerList } from './tile-source.ts';

/** Content encodings the cache keeps variants of. */
export type TileEncoding = 'gzip' | 'br';

/** A tile in the cache, or just loaded. */
export interface CachedTile {
  readonly key: string;
  readonly z: number;
  readonly x: number;
  readonly y: number;
  /** Data-change layers this tile depends on (its layers' dependsOn). */
  readonly dependsOn: readonly string[];
  /** The MVT bytes; empty for a tile without features. */
  readonly data: Uint8Array;
  /** Content hash (base64url of sha256, 128 bits): the ETag's opaque part. */
  readonly hash: string;
  /** Compressed variants made so far; null means compression did not pay. */
  readonly variants: Partial<Record<TileEncoding, Uint8Array | null>>;
}

/** Bytes a cache entry costs besides its data: the key, the record, the map slot. */
const ENTRY_OVERHEAD = 256;

function entrySize(tile: CachedTile): number {
  let size = ENTRY_OVERHEAD + tile.key.length * 2 + tile.data.byteLength;
  for (const v of Object.values(tile.variants)) if (v) size += v.byteLength;
  return size;
}

/**
 * base64url of the bytes' sha256: crypto.hash (Node 20.12+) in one call,
 * createHash's stream object otherwise (more code per tile, run before the
 * JIT knows it).
 */
const sha256 = crypto.hash
  ? (data: Uint8Array) => crypto.hash('sha256', data, 'base64url')
  : (data: Uint8Array) => crypto.createHash('sha256').update(data).digest('base64url');

/** The data-change layers a tile of `layers` depends on, each once (shared: not to be changed). */
export const dependenciesOf: (layers: readonly TileLayer[]) => readonly string[] = perLayerList((layers) => Object.freeze([...new Set(layers.flatMap((l) => l.dependsOn))]));

/** Builds a cache record for freshly loaded bytes (`dependsOn`: dependenciesOf(layers), when the caller has it). */
export function makeCachedTile(
  key: string,
  z: number,
  x: number,
  y: number,
  layers: readonly TileLayer[],
  data: Uint8Array,
  dependsOn: readonly string[] = dependenciesOf(layers),
): CachedTile {
  return { key, z, x, y, dependsOn, data, hash: sha256(data).slice(0, 22), variants: {} };
}

/** Where a tile is and what it depends on: enough to decide whether a change touches it. */
export interface TilePlace {
  z: number;
  x: number;
  y: number;
  dependsOn: readonly string[];
}

/** The tile ranges a change's boxes cover, per zoom, computed once per change. */
class ChangeFootprint {
  private readonly ranges = new Map<number, TileRange[]>();
  constructor(
    readonly layers: ReadonlySet<string>,
    private readonly boxes: readonly BBox[],
  ) {}

  touches(tile: TilePlace): boolean {
    if (!tile.dependsOn.some((l) => this.layers.has(l))) return false;
    let ranges = this.ranges.get(tile.z);
    if (!ranges) {
      ranges = this.boxes.map((box) => tileRangeForBox(box, tile.z, TILE_BUFFER / TILE_EXTENT));
      this.ranges.set(tile.z, ranges);
    }
    return ranges.some((r) => tile.x >= r.minX && tile.x <= r.maxX && tile.y >= r.minY && tile.y <= r.maxY);
  }
}

interface InFlight extends TilePlace {
  promise: Promise<CachedTile>;
  /** A change touched this tile while it loaded: hand it out, never cache it. */
  overtaken: boolean;
}

export interface TileCacheOptions {
  /** Byte budget for tiles and their compressed variants; 0 disables caching (loads are still shared). */
  maxBytes: number;
}

export interface TileCacheStats {
  entries: number;
  bytes: number;
  maxBytes: number;
  hits: number;
  misses: number;
  /** Loads that a concurrent request for the same tile joined. */
  coalesced: number;
  invalidated: number;
}

export class TileCache {
  private readonly entries = new Map<string, CachedTile>();
  private readonly sizes = new Map<string, number>();
  private readonly inFlight = new Map<string, InFlight>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private coalesced = 0;
  private invalidated = 0;
  readonly maxBytes: number;

  constructor(options: TileCacheOptions) {
    this.maxBytes = options.maxBytes;
  }

  /**
   * The cached tile, or the result of `load` (one load per key at a time;
   * concurrent callers share it). `load` returns the tile's record.
   */
  async get(key: string, address: TilePlace, load: () => Promise<CachedTile>): Promise<CachedTile> {
    const cached = this.entries.get(key);
    if (cached) {
      this.hits++;
      // Map order is the LRU order: move to the young end.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    const pending = this.inFlight.get(key);
    if (pending) {
      this.coalesced++;
      return pending.promise;
    }
    this.misses++;
    const flight: InFlight = { promise: undefined as never, ...address, overtaken: false };
    flight.promise = (async () => {
      try {
        const tile = await load();
        if (!flight.overtaken) this.store(tile);
        return tile;
      } finally {
        if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
      }
    })();
    this.inFlight.set(key, flight);
    return flight.promise;
  }

  /** Adds a compressed variant to a cached tile (when it is still the cached one) and re-accounts its size. */
  addVariant(tile: CachedTile, encoding: TileEncoding, bytes: Uint8Array | null): void {
    (tile.variants as Record<TileEncoding, Uint8Array | null>)[encoding] = bytes;
    if (this.entries.get(tile.key) !== tile) return;
    const before = this.sizes.get(tile.key) ?? 0;
    const after = entrySize(tile);
    this.sizes.set(tile.key, after);
    this.bytes += after - before;
    this.evict();
  }

  private store(tile: CachedTile): void {
    const size = entrySize(tile);
    if (size > this.maxBytes) return;
    this.remove(tile.key);
    this.entries.set(tile.key, tile);
    this.sizes.set(tile.key, size);
    this.bytes += size;
    this.evict();
  }

  private remove(key: string): boolean {
    if (!this.entries.delete(key)) return false;
    this.bytes -= this.sizes.get(key) ?? 0;
    this.sizes.delete(key);
    return true;
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(key);
    }
  }

  /**
   * Applies a data change: `replaced` drops everything; `features` drops the
   * tiles of dependent layers whose buffered envelope meets a changed box.
   * Loads in flight that the change touches are never cached. Returns how
   * many cached tiles were dropped.
   */
  invalidate(change: DataChange): number {
    let dropped = 0;
    if (change.type === 'replaced') {
      dropped = this.entries.size;
      this.entries.clear();
      this.sizes.clear();
      this.bytes = 0;
      for (const flight of this.inFlight.values()) flight.overtaken = true;
      this.inFlight.clear();
    } else {
      const footprint = new ChangeFootprint(new Set(change.layers), change.boxes);
      for (const [key, tile] of this.entries) {
        if (footprint.touches(tile) && this.remove(key)) dropped++;
      }
      for (const [key, flight] of this.inFlight) {
        if (footprint.touches(flight)) {
          flight.overtaken = true;
          this.inFlight.delete(key);
        }
      }
    }
    this.invalidated += dropped;
    return dropped;
  }

  /** Drops the cached tiles (and loads in flight) whose key `drop` picks; returns how many cached ones went. */
  dropWhere(drop: (key: string) => boolean): number {
    let dropped = 0;
    for (const key of [...this.entries.keys()]) if (drop(key) && this.remove(key)) dropped++;
    for (const [key, flight] of this.inFlight) {
      if (!drop(key)) continue;
      flight.overtaken = true;
      this.inFlight.delete(key);
    }
    this.invalidated += dropped;
    return dropped;
  }

  /** Whether a tile is cached (for tests and stats; does not touch LRU order). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  stats(): TileCacheStats {
    return {
      entries: this.entries.size,
      bytes: this.bytes,
      maxBytes: this.maxBytes,
      hits: this.hits,
      misses: this.misses,
      coalesced: this.coalesced,
      invalidated: this.invalidated,
    };
  }
}
