/**
 * The tile cache (tiles/tile-cache.ts) as metrics: hits, misses, loads that
 * joined another request's, tiles dropped by changes, and the bytes it
 * holds against its budget. Read from the cache's own counters at scrape
 * time, the same numbers /health shows under `tiles.cache`.
 */
import type { Registry } from 'prom-client';
import type { TileCacheStats } from '../tiles/tile-cache.ts';
import { scrapedCounter, scrapedGauge } from './scraped-metrics.ts';

export function registerTileCacheMetrics(registry: Registry, stats: () => TileCacheStats): void {
  const one = (value: number) => [{ value }];
  scrapedCounter({ registry, name: 'living_circle_tile_cache_hits_total', help: 'Tile requests answered from the tile cache.', read: () => one(stats().hits) });
  scrapedCounter({ registry, name: 'living_circle_tile_cache_misses_total', help: 'Tile requests that made the tile (not in the cache, nor being made).', read: () => one(stats().misses) });
  scrapedCounter({
    registry,
    name: 'living_circle_tile_cache_coalesced_total',
    help: 'Tile requests that joined a concurrent request making the same tile.',
    read: () => one(stats().coalesced),
  });
  scrapedCounter({ registry, name: 'living_circle_tile_cache_invalidated_total', help: 'Cached tiles dropped because a data change touched them.', read: () => one(stats().invalidated) });
  scrapedGauge({ registry, name: 'living_circle_tile_cache_bytes', help: 'Bytes the tile cache holds (tiles and their compressed variants).', read: () => one(stats().bytes) });
  scrapedGauge({ registry, name: 'living_circle_tile_cache_max_bytes', help: "The tile cache's byte budget.", read: () => one(stats().maxBytes) });
  scrapedGauge({ registry, name: 'living_circle_tile_cache_entries', help: 'Tiles in the tile cache.', read: () => one(stats().entries) });
}
