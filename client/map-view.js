/**
 * The map every page of ours draws (the main page, client/app.js; the
 * embeddable map, client/embed.js): the tile catalog and TileJSONs, the
 * first view, MapLibre's options and controls. Pages add their own layers'
 * behaviour on top.
 *
 * Made for a fast first view (bench/first-view.ts): MapLibre's worker is
 * started the moment this module runs, while the catalog and TileJSONs are
 * still on their way (the pages preload those two documents with
 * `<link rel="preload">`, so they were asked for together with the
 * scripts); tiles are drawn without MapLibre's fade-in (we have no labels to
 * fade, but every placement would keep the map repainting for 300 ms, and a
 * frame costs hundreds of ms in a browser without a GPU).
 */
import { fetchCatalog, fetchTileJson } from './api.js';
import { mapLibreLocale } from './i18n.js';
import { BASEMAP_LAYERS, OVERLAY_LAYERS, normalizeCatalog } from './map-style.js';
import { authHeaders } from './session.js';

/**
 * @typedef {import('maplibre-gl').Map} MapLibreMap
 * @typedef {import('./api.js').TileJson} TileJson
 * @typedef {import('./map-style.js').Catalog} Catalog
 */

/** @type {typeof import('maplibre-gl') | undefined} MapLibre's UMD global, loaded by the page from /vendor/. */
export const maplibregl = /** @type {any} */ (globalThis).maplibregl;

// The worker parses MapLibre's worker code (hundreds of kB) before it can
// decode a tile: start it now, in parallel with the catalog and TileJSONs.
maplibregl?.prewarm();

/**
 * The catalog plus the TileJSONs of the layers it lists (null for a group
 * with none): the basemap's and the overlay's, one request each.
 * @returns {Promise<{ catalog: Catalog, basemap: TileJson | null, overlay: TileJson | null }>}
 */
export async function loadTileInfo() {
  const catalogJson = await fetchCatalog();
  const listed = new Set(normalizeCatalog(catalogJson).keys());
  const basemapIds = BASEMAP_LAYERS.filter((id) => listed.has(id));
  const overlayIds = OVERLAY_LAYERS.filter((id) => listed.has(id));
  const [basemap, overlay] = await Promise.all([
    basemapIds.length > 0 ? fetchTileJson(basemapIds) : null,
    overlayIds.length > 0 ? fetchTileJson(overlayIds) : null,
  ]);
  const catalog = normalizeCatalog(catalogJson, [basemap, overlay].filter(Boolean));
  return { catalog, basemap, overlay };
}

/**
 * The first view: where a shared link says, else the data's bounds when a
 * TileJSON has them, else its center.
 * @param {TileJson | null} tileJson
 * @param {{ center?: [number, number], zoom?: number }} [link] the view a shared link asks for
 * @returns {Pick<import('maplibre-gl').MapOptions, 'bounds' | 'fitBoundsOptions' | 'center' | 'zoom'>}
 */
export function initialView(tileJson, link = {}) {
  if (link.center && link.zoom !== undefined) return { center: link.center, zoom: link.zoom };
  const bounds = tileJson?.bounds;
  if (Array.isArray(bounds) && bounds.length === 4 && bounds[2] - bounds[0] < 180) {
    return { bounds: [[bounds[0], bounds[1]], [bounds[2], bounds[3]]], fitBoundsOptions: { padding: 20 } };
  }
  const center = tileJson?.center;
  if (Array.isArray(center) && center.length >= 2) return { center: [center[0], center[1]], zoom: center[2] ?? 12 };
  return { center: [0, 0], zoom: 1 };
}

/**
 * Zooms in to where the grids appear when fitting the whole city left the
 * map below that zoom: a slightly cropped city with its grids and streets
 * tells more than the whole city with points only.
 * @param {MapLibreMap} map
 * @param {Catalog} catalog
 */
export function zoomToDetail(map, catalog) {
  const detail = catalog.get('grids')?.minzoom;
  if (detail !== undefined && map.getZoom() < detail) map.setZoom(detail);
}

/**
 * MapLibre's options shared by our maps (the page adds container, style and view).
 * @returns {Partial<import('maplibre-gl').MapOptions>}
 */
export function mapOptions() {
  return {
    attributionControl: { compact: false },
    locale: mapLibreLocale(),
    // No labels to fade in; a fade would keep repainting for 300 ms after every tile.
    fadeDuration: 0,
    // Private deployments need the token for tiles too (only same-origin URLs get it).
    transformRequest: (url) => ({ url, headers: authHeaders(url) }),
  };
}

/**
 * MapLibre's controls in the current language: MapLibre reads its texts
 * when a control is added, so a language switch updates the map's table
 * (kept in its private `_locale`, which MapLibre offers no setter for) and
 * adds the controls again.
 * @param {MapLibreMap} map
 * @param {import('maplibre-gl').IControl[]} [previous] the controls to replace
 * @returns {import('maplibre-gl').IControl[]}
 */
export function addMapControls(map, previous = []) {
  if (!maplibregl) return [];
  for (const control of previous) map.removeControl(control);
  const internals = /** @type {{ _locale?: Record<string, string> }} */ (/** @type {unknown} */ (map));
  internals._locale = { ...internals._locale, ...mapLibreLocale() };
  const controls = [new maplibregl.NavigationControl({ showCompass: false }), new maplibregl.ScaleControl({ unit: 'metric' })];
  map.addControl(controls[0], 'top-left');
  map.addControl(controls[1], 'bottom-left');
  return controls;
}

/**
 * Sets `<html data-ready>` to "true" once the style has loaded and the first
 * view is fully drawn (what tests and the first-view bench wait for).
 * @param {MapLibreMap} map
 */
export function markReadyWhenDrawn(map) {
  map.once('load', () => map.once('idle', () => (document.documentElement.dataset.ready = 'true')));
}
