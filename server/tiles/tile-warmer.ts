/**
 * Makes the tiles of the client's first view before anyone asks for them.
 * On the embedded database a low-zoom tile takes 0.3-1.5 s to make (PGlite
 * runs PostGIS in WebAssembly, one query at a time), and the first view of a
 * city asks for a dozen at once: about 3 s before the map is complete. The
 * warmer makes them in the background through the ordinary cache, so they
 * are exactly the tiles a request would get, and makes them again after a
 * change dropped them. It works one tile at a time and lets the event loop
 * run between tiles, so a visitor's own request waits behind at most one.
 *
 * Which tiles: those of the client's two sources (basemap and overlay, as
 * client/map-style.js asks for them) around the data's center, at the zoom
 * the client opens at (fitting the data's bounds, but not below the zoom
 * where grids appear: client/app.js) and the next one, nearest first.
 */
import type { DataChanges } from '../events/data-changes.ts';
import type { Logger } from '../logger.ts';
import { latToTileY, lonToTileX, MAX_LATITUDE } from './tile-envelope.ts';
import { parseTileRequest } from './tile-request.ts';
import type { TileService } from './tile-service.ts';

/** The client's tile sources, as their URLs list the layers (client/map-style.js; a test keeps them equal). */
export const FIRST_VIEW_LAYER_SETS = ['water,buildings,streets,admin', 'grids,households,centers'] as const;

export interface TileWarmerOptions {
  /** The viewport the first view is guessed for, CSS pixels (tiles are 512 px: zoom z shows z's tiles). */
  viewport: { width: number; height: number };
  /** Tiles made per pass at most, over both zooms and all layer sets. */
  maxTiles: number;
  /** Quiet time after a change before warming again, ms (changes come in bursts). */
  settleMs: number;
}

export const defaultTileWarmerOptions: TileWarmerOptions = {
  // A common laptop screen; a larger one asks for the next zoom, also warmed.
  viewport: { width: 1440, height: 900 },
  maxTiles: 64,
  settleMs: 1000,
};

const TILE_PIXELS = 512;
/** client/app.js fits the bounds with this padding, in pixels. */
const FIT_PADDING = 20;

const mercatorY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, lat)) * Math.PI) / 360));

/** The zoom at which `bounds` fills the viewport, as MapLibre's fitBounds computes it (world = 512 px at z0). */
export function fitZoom(bounds: readonly [number, number, number, number], viewport: { width: number; height: number }): number {
  const [west, south, east, north] = bounds;
  const spanX = Math.max((east - west) / 360, 1e-9);
  const spanY = Math.max((mercatorY(north) - mercatorY(south)) / (2 * Math.PI), 1e-9);
  const zx = Math.log2((viewport.width - 2 * FIT_PADDING) / TILE_PIXELS / spanX);
  const zy = Math.log2((viewport.height - 2 * FIT_PADDING) / TILE_PIXELS / spanY);
  return Math.min(zx, zy);
}

/** The tiles of the first view and of the next zoom, nearest to the center first: [z, x, y]. */
export function firstViewTiles(
  bounds: readonly [number, number, number, number],
  minZoom: number,
  maxZoom: number,
  viewport: { width: number; height: number },
): [number, number, number][] {
  const zoom = Math.min(maxZoom, Math.max(minZoom, fitZoom(bounds, viewport)));
  const centerLon = (bounds[0] + bounds[2]) / 2;
  const centerLat = (Math.atan(Math.sinh((mercatorY(bounds[1]) + mercatorY(bounds[3])) / 2)) * 180) / Math.PI;
  const out: { tile: [number, number, number]; distance: number; z: number }[] = [];
  for (const z of [Math.floor(zoom), Math.min(maxZoom, Math.floor(zoom) + 1)]) {
    if (out.some((t) => t.z === z)) continue;
    // The viewport at zoom `zoom`, in tiles of zoom z.
    const scale = 2 ** (z - zoom);
    const halfW = ((viewport.width / TILE_PIXELS) * scale) / 2;
    const halfH = ((viewport.height / TILE_PIXELS) * scale) / 2;
    const cx = lonToTileX(centerLon, z);
    const cy = latToTileY(centerLat, z);
    const last = 2 ** z - 1;
    for (let x = Math.max(0, Math.floor(cx - halfW)); x <= Math.min(last, Math.floor(cx + halfW)); x++) {
      for (let y = Math.max(0, Math.floor(cy - halfH)); y <= Math.min(last, Math.floor(cy + halfH)); y++) {
        out.push({ tile: [z, x, y], z, distance: Math.hypot(x + 0.5 - cx, y + 0.5 - cy) });
      }
    }
  }
  // The opening zoom first, then the next; within a zoom, from the center out.
  return out.sort((a, b) => a.z - b.z || a.distance - b.distance).map((t) => t.tile);
}

export interface TileWarmer {
  /** Resolves when the current pass is over (for tests). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Warms once `ready` resolves (the app's graph and coverage: the coverage
 * write-back would drop overlay tiles made before it), and again after every
 * data change.
 */
export function startTileWarmer(
  tiles: TileService,
  changes: DataChanges,
  ready: () => Promise<void>,
  logger: Logger,
  options: Partial<TileWarmerOptions> = {},
): TileWarmer {
  const settings = { ...defaultTileWarmerOptions, ...options };
  let stopped = false;
  // Resolves on stop(): a pass still waiting for `ready` (a coverage write-back
  // can take seconds) must not hold up a shutdown.
  let onStop = () => {};
  const stopping = new Promise<void>((resolve) => (onStop = resolve));
  let generation = 0;
  let timer: NodeJS.Timeout | undefined;
  let pass = Promise.resolve();

  async function warm(mine: number): Promise<void> {
    await Promise.race([ready(), stopping]);
    if (stopped) return;
    const { bounds } = await tiles.extent();
    if (!bounds || stopped || mine !== generation) return;
    const sets = FIRST_VIEW_LAYER_SETS.map((text) => text.split(',').filter((id) => tiles.index.has(id)).join(',')).filter(Boolean);
    if (sets.length === 0) return;
    const layers = sets.flatMap((text) => text.split(',').map((id) => tiles.index.get(id)!));
    // Grids' minzoom is where client/app.js opens when the whole city would be smaller.
    const opening = tiles.index.get('grids')?.minzoom ?? Math.min(...layers.map((l) => l.minzoom));
    const positions = firstViewTiles(bounds, opening, Math.max(...layers.map((l) => l.maxzoom)), settings.viewport);
    const started = performance.now();
    let made = 0;
    for (const [z, x, y] of positions) {
      for (const text of sets) {
        if (stopped || mine !== generation || made >= settings.maxTiles) return;
        made++;
        const tile = await tiles.tile(parseTileRequest(text, String(z), String(x), String(y), tiles.index));
        // The encoding browsers ask for, made ahead too (brotli is what every current browser accepts).
        await tiles.variant(tile, 'br');
        // PGlite answers within promise callbacks, without I/O: without this
        // the whole pass would run before Node looks at a request or a signal.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    logger.debug('tiles warmed', { tiles: made, ms: Math.round(performance.now() - started) });
  }

  /** True from a change until its pass starts. */
  let pending = false;
  function schedule(delayMs: number): void {
    const mine = ++generation;
    pending = true;
    clearTimeout(timer);
    timer = setTimeout(() => {
      pending = false;
      pass = pass
        .then(() => warm(mine))
        .catch((error: Error) => logger.warn('tile warming failed', { error: error.message }));
    }, delayMs);
    timer.unref();
  }

  const unsubscribe = changes.subscribe(() => schedule(settings.settleMs));
  schedule(0);
  return {
    async settled() {
      for (;;) {
        if (pending && !stopped) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          continue;
        }
        const current = pass;
        await current;
        if (!pending && pass === current) return;
      }
    },
    async stop() {
      stopped = true;
      onStop();
      pending = false;
      clearTimeout(timer);
      unsubscribe();
      await pass;
    },
  };
}
