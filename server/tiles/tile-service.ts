/**
 * Tiles as the HTTP layer needs them: the backend's source behind the cache,
 * the cache subscribed to data changes, compressed variants made once per
 * tile and kept with it, and the data extent for TileJSON kept until the
 * next change. Built once per app in app.ts; no module-level state.
 *
 * It also knows when a tile is final for a data version (versioned tile
 * URLs, tile-versions.ts): the cache has applied that version's changes, the
 * tile shows no scenario or check of the moment, and, for the layers the
 * coverage write-back changes (households, grids), that version's coverage
 * is in the tables.
 */
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import type { Database } from '../../kernel/db/database.ts';
import type { DataChanges } from '../events/data-changes.ts';
import { layerIndex, SCENARIO_PARAM, STANDARD_PARAM, TILE_LAYERS, type TileLayer } from './layers.ts';
import { createEmbeddedTileSource } from './embedded/embedded-tile-source.ts';
import { createSqlTileSource, installTileFunctions } from './sql-tile-source.ts';
import { dependenciesOf, makeCachedTile, TileCache, type CachedTile, type TileCacheStats, type TileEncoding } from './tile-cache.ts';
import type { TileRequest } from './tile-request.ts';
import { layersAtZoom, type ScenarioTileSource, type StandardTileSource, type TileSource } from './tile-source.ts';
import { encodeTile } from './embedded/mvt-encoder.ts';
import { readDataExtent, type DataExtent } from './tilejson.ts';
import { readDataState } from '../../kernel/db/data-state.ts';
import { AppliedVersion } from './tile-versions.ts';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

export interface TileServiceOptions {
  /** Byte budget of the tile cache (tiles plus compressed variants); 0 turns caching off. */
  cacheBytes: number;
  /** Seconds an HTTP cache may reuse a tile without asking again; 0: revalidate every time (never stale). */
  maxAgeSeconds: number;
  /** Tile source; by default the backend's own (SQL functions on PostGIS, the TypeScript encoder on PGlite). */
  source?: TileSource;
  /** Scenario versions of the layers with a `scenario` parameter; without it that parameter is ignored. */
  scenarios?: ScenarioTileSource;
  /** Households with the tiers they meet, for `standard`; without it that parameter is ignored. */
  standard?: StandardTileSource;
  /** Where tiles and the extent are read (a read replica's reader); the database given when absent. */
  readDb?: Database;
  /**
   * The data version whose coverage the tables hold (coverage-service.ts):
   * tiles of layers the write-back changes are final only at it. Absent: no
   * write-back to wait for.
   */
  coverageWritten?: () => string | undefined;
  /** Longest wait for a data version asked for in a tile URL that this instance has not applied yet (ms). */
  versionWaitMs: number;
}

export const defaultTileServiceOptions: TileServiceOptions = {
  // 128 MB holds tens of thousands of typical tiles; the LRU keeps the hot ones.
  cacheBytes: 128 * 1024 * 1024,
  // Revalidation with the ETag is a cheap 304 from memory, and never serves a stale tile.
  maxAgeSeconds: 0,
  // Past the data-version poller's 2 s: a lost notification is caught up by then.
  versionWaitMs: 3_000,
};

/** Layers whose stored columns the coverage write-back changes after a center edit. */
const WRITTEN_BACK = new Set(['households', 'grids']);

/** Compressed output smaller than this fraction of the input is worth sending. */
const WORTH_COMPRESSING = 0.95;
/** Tiles smaller than this go out as they are: compression would not pay for its header. */
const MIN_COMPRESS_BYTES = 200;

export interface TileService {
  readonly layers: readonly TileLayer[];
  readonly index: ReadonlyMap<string, TileLayer>;
  readonly sourceId: string;
  readonly maxAgeSeconds: number;
  /** The tile, from the cache or loaded once for all concurrent callers. */
  tile(request: TileRequest): Promise<CachedTile>;
  /** The tile's bytes in an encoding, made once and cached with it; null when not worth it. */
  variant(tile: CachedTile, encoding: TileEncoding): Promise<Uint8Array | null>;
  /** The data's extent and source for TileJSON, read once per data version. */
  extent(): Promise<DataExtent>;
  /** The data version whose changes the cache has applied: TileJSON's tile URLs name it. */
  version(): string;
  /** Waits (at most versionWaitMs) until the cache has applied `version` when it is newer than version(). */
  reach(version: string): Promise<void>;
  /** Whether the tile of `request` at data `version` can never change: a shared cache may keep it for good. */
  isFinal(request: TileRequest, version: string): boolean;
  stats(): TileCacheStats;
  /** Drops the cached tiles of scenario `id` (after an edit). */
  dropScenario(id: number): void;
  close(): void;
}

/** Cache-key marker of scenario tiles: `#s<id>r<revision>v<data version>` after the request key. */
const scenarioTag = (id: number) => `#s${id}r`;

async function compress(data: Uint8Array, encoding: TileEncoding): Promise<Uint8Array> {
  if (encoding === 'gzip') return gzipAsync(data, { level: 6 });
  return brotliAsync(data, {
    params: {
      // Quality 5: most of brotli's gain at a fraction of quality 11's time, for tiles made on demand.
      [zlibConstants.BROTLI_PARAM_QUALITY]: 5,
      [zlibConstants.BROTLI_PARAM_SIZE_HINT]: data.byteLength,
    },
  });
}

/** Creates the tile service and, on the PostGIS server, makes sure the tile functions match layers.ts. */
export async function createTileService(
  db: Database,
  changes: DataChanges,
  options: Partial<TileServiceOptions> = {},
  layers: readonly TileLayer[] = TILE_LAYERS,
): Promise<TileService> {
  const settings = { ...defaultTileServiceOptions, ...options };
  const readDb = settings.readDb ?? db;
  let source = settings.source;
  if (!source) {
    if (db.hasMvt) {
      // Installed on the primary; the replicas replay it (app.ts raises the read fence after).
      await installTileFunctions(db, layers);
      source = createSqlTileSource(readDb);
    } else {
      source = createEmbeddedTileSource(readDb, layers);
    }
  }
  const applied = new AppliedVersion((await readDataState(db)).version);
  const tileSource = source;
  const cache = new TileCache({ maxBytes: settings.cacheBytes });
  const pendingVariants = new WeakMap<CachedTile, Partial<Record<TileEncoding, Promise<Uint8Array | null>>>>();
  let extent: Promise<DataExtent> | undefined;

  const unsubscribe = changes.subscribe((change) => {
    cache.invalidate(change);
    // Scenario and standard tiles are keyed by the data version they were evaluated at: after any change none is current.
    cache.dropWhere((key) => key.includes('#s') || key.includes('#g'));
    extent = undefined;
    // Last: a tile asked for at this version from now on is made after the drop.
    applied.apply(change.version);
  });

  return {
    layers,
    index: layerIndex(layers),
    sourceId: tileSource.id,
    maxAgeSeconds: settings.maxAgeSeconds,
    async tile(request) {
      const dependsOn = dependenciesOf(request.layers);
      const place = { z: request.z, x: request.x, y: request.y, dependsOn };
      // An overlay: a scenario's layers (it wins over the standard), or the households with their tiers.
      const scenarioId = request.query[SCENARIO_PARAM];
      const standard = request.query[STANDARD_PARAM];
      const overlay =
        scenarioId !== undefined && settings.scenarios
          ? { param: SCENARIO_PARAM, prepared: await settings.scenarios.prepare(Number(scenarioId)) }
          : standard !== undefined && settings.standard
            ? { param: STANDARD_PARAM, prepared: await settings.standard.prepare(standard) }
            : undefined;
      if (overlay) {
        const key = `${request.key}#${overlay.prepared.tag}`;
        return cache.get(key, place, async () => {
          // An MVT tile is its layers' messages one after another: overlay layers from the evaluation, the rest as usual.
          const parts: Uint8Array[] = [];
          for (const layer of layersAtZoom(request.layers, request.z)) {
            parts.push(layer.params?.includes(overlay.param) ? encodeTile([await overlay.prepared.writeLayer(layer, request)]) : await tileSource.getTile({ ...request, layers: [layer] }, {}));
          }
          return makeCachedTile(key, request.z, request.x, request.y, request.layers, Buffer.concat(parts));
        });
      }
      return cache.get(request.key, place, async () => {
        const data = await tileSource.getTile(request, request.query);
        return makeCachedTile(request.key, request.z, request.x, request.y, request.layers, data, dependsOn);
      });
    },
    async variant(tile, encoding) {
      const made = tile.variants[encoding];
      if (made !== undefined) return made;
      if (tile.data.byteLength < MIN_COMPRESS_BYTES) {
        cache.addVariant(tile, encoding, null);
        return null;
      }
      let pending = pendingVariants.get(tile);
      if (!pending) pendingVariants.set(tile, (pending = {}));
      let promise = pending[encoding];
      if (!promise) {
        promise = compress(tile.data, encoding).then((bytes) => {
          const kept = bytes.byteLength < tile.data.byteLength * WORTH_COMPRESSING ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null;
          cache.addVariant(tile, encoding, kept);
          return kept;
        });
        pending[encoding] = promise;
      }
      return promise;
    },
    extent() {
      if (!extent) {
        const reading = readDataExtent(readDb);
        extent = reading;
        // A failed read is not kept: the next request tries again.
        reading.catch(() => {
          if (extent === reading) extent = undefined;
        });
      }
      return extent;
    },
    version: () => applied.current,
    reach: (version) => applied.reach(version, settings.versionWaitMs),
    isFinal(request, version) {
      if (version !== applied.current || Object.keys(request.query).length > 0) return false;
      if (!settings.coverageWritten || !request.layers.some((l) => l.dependsOn.some((d) => WRITTEN_BACK.has(d)))) return true;
      return settings.coverageWritten() === version;
    },
    stats: () => cache.stats(),
    dropScenario: (id) => void cache.dropWhere((key) => key.includes(scenarioTag(id))),
    close: unsubscribe,
  };
}
