/**
 * The embeddable map's settings (GET /embed?...): its URL parameters read,
 * checked and defaulted in one place, and the main map's style cut down to
 * what they ask for. Pure functions of their input (no DOM), so the rules
 * are tested without a browser.
 *
 * A value that does not fit is dropped, its default applies, and it is
 * listed in `ignored`, which the page shows as a small note on the map: a
 * typo in someone's iframe shows where they look, instead of silently
 * doing nothing or filling a console they never open. Parameters we do not
 * know are left alone (the embedding site may add its own).
 */
import { BASEMAP_LAYERS, COLORS, OVERLAY_LAYERS, SOURCES } from './map-style.js';

/** What the map shows: coverage (walk times and grid shares), the GB 50180 standard's tiers, or isochrones from a point. */
export const EMBED_MODES = /** @type {const} */ (['coverage', 'standard', 'isochrone']);
/** Tile layers a `layers` list may name, bottom to top. */
export const EMBED_LAYERS = [...BASEMAP_LAYERS, ...OVERLAY_LAYERS];
/** Zooms MapLibre can show. */
const ZOOM_RANGE = [0, 22];
/** Web Mercator's latitude limit. */
const MAX_LATITUDE = 85.0511;
/** The households tiles' parameter that adds the GB 50180 tiers (server/tiles/layers.ts). */
export const STANDARD_QUERY = { name: 'standard', value: 'gb50180' };
/** Style layers an embed never draws: the main page's route to the nearest center. */
const UNUSED_LAYERS = new Set(['route-casing', 'route']);

/**
 * @typedef {(typeof EMBED_MODES)[number]} EmbedMode
 * @typedef {{
 *   mode: EmbedMode,
 *   center: [number, number] | null,
 *   zoom: number | null,
 *   layers: string[],
 *   lang: string | null,
 *   scenario: string | null,
 *   panel: boolean,
 *   ignored: { name: string, value: string }[],
 * }} EmbedParams
 */

/** `panel` values that ask for the legend, and ones that say no. */
const PANEL_ON = new Set(['1', 'true', 'yes', 'legend']);
const PANEL_OFF = new Set(['0', 'false', 'no', 'none']);

/**
 * Reads /embed's parameters.
 * @param {string | URLSearchParams} search e.g. `?center=119.0,25.45&zoom=14&lang=en`
 * @returns {EmbedParams}
 */
export function readEmbedParams(search) {
  const query = typeof search === 'string' ? new URLSearchParams(search) : search;
  /** @type {EmbedParams} */
  const params = { mode: 'coverage', center: null, zoom: null, layers: [...EMBED_LAYERS], lang: null, scenario: null, panel: false, ignored: [] };
  const ignore = (/** @type {string} */ name, /** @type {string} */ value) => params.ignored.push({ name, value });

  const mode = query.get('mode');
  if (mode !== null) {
    const known = EMBED_MODES.find((m) => m === mode.trim().toLowerCase());
    if (known) params.mode = known;
    else ignore('mode', mode);
  }

  const center = query.get('center');
  if (center !== null) {
    const parts = center.split(',').map((part) => (part.trim() === '' ? NaN : Number(part)));
    const [lon, lat] = parts;
    if (parts.length === 2 && lon !== undefined && lat !== undefined && Math.abs(lon) <= 180 && Math.abs(lat) <= MAX_LATITUDE) params.center = [lon, lat];
    else ignore('center', center);
  }

  const zoom = query.get('zoom');
  if (zoom !== null) {
    const value = zoom.trim() === '' ? NaN : Number(zoom);
    if (value >= ZOOM_RANGE[0] && value <= ZOOM_RANGE[1]) params.zoom = value;
    else ignore('zoom', zoom);
  }

  const layers = query.get('layers');
  if (layers !== null) {
    const asked = layers.split(',').map((id) => id.trim()).filter(Boolean);
    for (const id of asked) if (!EMBED_LAYERS.includes(id)) ignore('layers', id);
    const known = EMBED_LAYERS.filter((id) => asked.includes(id));
    // Nothing known left: the whole map rather than an empty one.
    if (known.length > 0) params.layers = known;
  }

  const lang = query.get('lang');
  if (lang !== null) {
    const lower = lang.trim().toLowerCase();
    if (lower === 'zh' || lower.startsWith('zh-')) params.lang = 'zh-CN';
    else if (lower === 'en' || lower.startsWith('en-')) params.lang = 'en';
    else ignore('lang', lang);
  }

  const scenario = query.get('scenario');
  if (scenario !== null) {
    if (/^[1-9]\d{0,9}$/.test(scenario.trim())) params.scenario = scenario.trim();
    else ignore('scenario', scenario);
  }

  const panel = query.get('panel');
  if (panel !== null) {
    const lower = panel.trim().toLowerCase();
    if (PANEL_ON.has(lower)) params.panel = true;
    else if (!PANEL_OFF.has(lower)) ignore('panel', panel);
  }
  return params;
}

/**
 * A tile URL template with one more query parameter (string work, as
 * map-style.js's tileUrl: `new URL` would escape the `{z}` braces).
 * @param {string} template
 * @param {string} name
 * @param {string} value
 */
export function withQuery(template, name, value) {
  return `${template}${template.includes('?') ? '&' : '?'}${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
}

/**
 * Households coloured by how many of GB 50180's three life-circle tiers
 * (5, 10 and 15 minutes) their unit meets: all three dark blue down to
 * none orange, as the walk-time colours run.
 * @type {import('maplibre-gl').ExpressionSpecification}
 */
export const TIERS_COLOR = ['match', ['to-number', ['get', 'tiers_met'], -1],
  3, COLORS.walk[0],
  2, COLORS.walk[1],
  1, COLORS.walk[2],
  0, COLORS.uncovered,
  COLORS.household];

/**
 * The main map's style (map-style.js's buildStyle) as the embed asks:
 * only the chosen tile layers (a source none of them uses is dropped, so
 * its tiles are never fetched), the scenario's and the standard's tile
 * parameters on the overlay, households by tier in the standard mode.
 * The tile URLs stay those of the main page otherwise, so both share the
 * server's and the browser's caches.
 * @param {import('maplibre-gl').StyleSpecification} style
 * @param {Pick<EmbedParams, 'mode' | 'layers' | 'scenario'>} params
 * @returns {import('maplibre-gl').StyleSpecification}
 */
export function embedStyle(style, params) {
  const layers = style.layers.filter((layer) => {
    if (UNUSED_LAYERS.has(layer.id)) return false;
    const sourceLayer = 'source-layer' in layer ? layer['source-layer'] : undefined;
    return sourceLayer === undefined || params.layers.includes(sourceLayer);
  });
  const used = new Set(layers.map((layer) => ('source' in layer ? layer.source : undefined)));
  /** @type {import('maplibre-gl').StyleSpecification['sources']} */
  const sources = {};
  for (const [id, source] of Object.entries(style.sources)) {
    if (!used.has(id)) continue;
    if (id === SOURCES.overlay && source.type === 'vector' && source.tiles) {
      let tiles = source.tiles;
      if (params.scenario) tiles = tiles.map((t) => withQuery(t, 'scenario', /** @type {string} */ (params.scenario)));
      if (params.mode === 'standard') tiles = tiles.map((t) => withQuery(t, STANDARD_QUERY.name, STANDARD_QUERY.value));
      sources[id] = { ...source, tiles };
    } else {
      sources[id] = source;
    }
  }
  const withTiers = layers.map((layer) =>
    params.mode === 'standard' && layer.id === 'households' && layer.type === 'circle' ? { ...layer, paint: { ...layer.paint, 'circle-color': TIERS_COLOR } } : layer,
  );
  return { ...style, sources, layers: withTiers };
}
