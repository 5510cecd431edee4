/**
 * The embeddable map (GET /embed): the main page's map alone, for other
 * sites' iframes, set by URL parameters (embed-params.js reads them; the
 * developers page, /developers, documents them): mode, center, zoom,
 * layers, lang, scenario and panel. No panel unless `panel=legend` asks for
 * a compact legend; values that do not fit are named in a small note on
 * the map. Nothing here writes data, which is why any site may frame it
 * (server/http/security-headers.ts).
 *
 * As on the main page, the map is `window.__map` and `<html data-ready>`
 * turns "true" once the first view is drawn ("error" when it could not start).
 */
import { fetchIsochrone, requestJson } from './api.js';
import { chooseLanguage, formatNumber, formatPercent, startIn, t } from './i18n.js';
import { COLORS, SOURCES, buildStyle, gridShareExpression, householdColor } from './map-style.js';
import { addMapControls, initialView, loadTileInfo, maplibregl, mapOptions, markReadyWhenDrawn, zoomToDetail } from './map-view.js';
import { readEmbedParams, embedStyle } from './embed-params.js';
import { setOverlayData } from './geojson-overlay.js';

/** Contours of the isochrone mode, in minutes. */
const ISOCHRONE_MINUTES = [5, 10, 15];
/** The zoom a `center` without a `zoom` opens at: streets and households. */
const CENTER_ZOOM = 14;
/** The zoom the isochrone mode opens at without `center` or `zoom`: a 15-minute walk fills a good part of the frame. */
const ISOCHRONE_ZOOM = 13;
/** The legend's title by mode (literal keys: test/client-i18n.test.ts finds them). */
const MODE_TITLES = { coverage: 'embed.mode.coverage', standard: 'embed.mode.standard', isochrone: 'embed.mode.isochrone' };
/** Households by how many GB 50180 tiers they meet, all three first. */
const TIER_ROWS = [
  { color: COLORS.walk[0], key: 'embed.tiers3' },
  { color: COLORS.walk[1], key: 'embed.tiers2' },
  { color: COLORS.walk[2], key: 'embed.tiers1' },
  { color: COLORS.uncovered, key: 'embed.tiers0' },
];

/**
 * @typedef {import('maplibre-gl').Map} MapLibreMap
 * @typedef {import('./embed-params.js').EmbedParams} EmbedParams
 */

/**
 * @param {string} id
 * @returns {HTMLElement}
 */
function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`embed.html has no #${id}`);
  return element;
}

/**
 * A new element with a class and children.
 * @param {string} tag
 * @param {string} className
 * @param {(Node | string)[]} [children]
 */
function el(tag, className, children = []) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  element.append(...children);
  return element;
}

/**
 * A short note on the map (an ignored parameter, an isochrone off the
 * streets), once per text.
 * @param {string} text
 */
function note(text) {
  const notes = byId('embed-notes');
  if ([...notes.children].some((child) => child.textContent === text)) return;
  notes.append(el('p', '', [text]));
  notes.hidden = false;
}

/**
 * A legend row: a swatch and its label.
 * @param {string} color
 * @param {string} label
 * @param {'dot' | 'box'} [shape]
 */
function legendRow(color, label, shape = 'dot') {
  const swatch = el('span', `swatch ${shape}`);
  swatch.style.background = color;
  return el('li', '', [swatch, label]);
}

/**
 * The compact legend (panel=legend): what the chosen layers and mode draw.
 * @param {EmbedParams} params
 * @param {import('./map-style.js').Catalog} catalog
 * @param {string | null} scenarioName
 */
function renderLegend(params, catalog, scenarioName) {
  const shows = (/** @type {string} */ id) => params.layers.includes(id) && catalog.has(id);
  /** @type {HTMLElement[]} */
  const parts = [el('h1', '', [t(MODE_TITLES[params.mode])])];
  if (scenarioName) parts.push(el('p', 'scenario', [t('embed.scenario', { name: scenarioName })]));
  if (params.mode === 'isochrone') {
    parts.push(el('ul', '', ISOCHRONE_MINUTES.map((m) => legendRow(COLORS.isochrone[/** @type {5 | 10 | 15} */ (m)], t('legend.minutes', { m }), 'box'))));
    parts.push(el('p', 'reach', [t('embed.isochroneHint')]));
  }
  if (shows('grids') && params.mode !== 'isochrone' && gridShareExpression(catalog.get('grids')?.fields ?? new Set())) {
    parts.push(el('h2', '', [t('legend.grids')]));
    parts.push(el('ul', '', [0, 0.75, 1].map((share, i) => legendRow(COLORS.share[i * 2], t('legend.gridShare', { share: formatPercent(share, 0) }), 'box'))));
  }
  if (shows('households')) {
    parts.push(el('h2', '', [t('legend.households', { zoom: catalog.get('households')?.minzoom ?? 14 })]));
    const walk = householdColor(catalog.get('households')?.fields ?? new Set()).mode === 'walk';
    const rows =
      params.mode === 'standard'
        ? TIER_ROWS.map((row) => legendRow(row.color, t(row.key)))
        : walk
          ? [legendRow(COLORS.walk[0], t('legend.walk5')), legendRow(COLORS.walk[1], t('legend.walk10')), legendRow(COLORS.walk[2], t('legend.walk15')), legendRow(COLORS.uncovered, t('legend.uncovered'))]
          : [legendRow(COLORS.household, t('legend.plain'))];
    parts.push(el('ul', '', rows));
  }
  if (shows('centers')) {
    parts.push(el('h2', '', [t('legend.centers')]));
    parts.push(el('ul', '', [legendRow(COLORS.centers.neighborhood, t('kind.neighborhood')), legendRow(COLORS.centers.governance, t('kind.governance'))]));
  }
  const panel = byId('embed-panel');
  panel.replaceChildren(...parts);
  panel.hidden = false;
}

/**
 * The scenario's name, or null (with a note) when there is no such scenario:
 * its tiles would all fail.
 * @param {string} id
 * @returns {Promise<string | null>}
 */
async function scenarioName(id) {
  try {
    const scenario = await requestJson(`/api/scenarios/${encodeURIComponent(id)}`);
    return String(scenario?.name ?? id);
  } catch {
    note(t('embed.note.scenario', { id }));
    return null;
  }
}

/**
 * The isochrone mode: the 5/10/15-minute walk from a point (the `center`,
 * then wherever the reader clicks), with the households it reaches.
 * @param {MapLibreMap} map
 * @param {[number, number]} point
 */
async function showIsochrone(map, point) {
  setOverlayData(map, SOURCES.origin, { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: point } });
  try {
    const collection = await fetchIsochrone(point[0], point[1], ISOCHRONE_MINUTES);
    const features = [...(collection.features ?? [])].sort((a, b) => (b.properties?.minutes ?? 0) - (a.properties?.minutes ?? 0));
    setOverlayData(map, SOURCES.isochrone, { type: 'FeatureCollection', features });
    const fifteen = features.find((f) => f.properties?.minutes === 15);
    const reach = document.querySelector('#embed-panel .reach');
    if (reach && fifteen) reach.textContent = t('embed.isochroneReach', { households: formatNumber(fifteen.properties?.households) });
  } catch (error) {
    setOverlayData(map, SOURCES.isochrone, { type: 'FeatureCollection', features: [] });
    note(`${t('error.context.isochrone')}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The first view: `center` (at `zoom`, else street zoom), else the data's
 * center at `zoom`, else the main page's view (the city, from the grids' zoom).
 * @param {EmbedParams} params
 * @param {import('./api.js').TileJson | null} tileJson
 * @returns {Pick<import('maplibre-gl').MapOptions, 'bounds' | 'fitBoundsOptions' | 'center' | 'zoom'>}
 */
function embedView(params, tileJson) {
  if (params.center) return { center: params.center, zoom: params.zoom ?? CENTER_ZOOM };
  // A walk of 15 minutes is a few pixels on the whole city: the isochrone mode opens closer.
  const zoom = params.zoom ?? (params.mode === 'isochrone' ? ISOCHRONE_ZOOM : null);
  if (zoom === null) return initialView(tileJson);
  const center = tileJson?.center;
  return { center: Array.isArray(center) ? [center[0], center[1]] : [0, 0], zoom };
}

/**
 * Map errors (a tile that failed) as one note each, never a console line.
 * @param {MapLibreMap} map
 */
function reportMapErrors(map) {
  map.on('error', (event) => note(`${t('error.context.map')}: ${event?.error?.message ?? t('error.unknownMap')}`));
}

async function start() {
  const params = readEmbedParams(location.search);
  // The embedding site's choice, else the reader's browser; no stored choice (the embed has no switch).
  startIn(chooseLanguage({ address: params.lang, browser: navigator.languages }));
  for (const { name, value } of params.ignored) note(t('embed.note.ignored', { name, value }));
  try {
    if (!maplibregl) throw new Error(t('error.noMapLibrary'));
    const [{ catalog, basemap, overlay }, name] = await Promise.all([loadTileInfo(), params.scenario ? scenarioName(params.scenario) : null]);
    const scenario = name === null ? null : params.scenario;
    const style = embedStyle(buildStyle({ catalog, basemap, overlay, origin: location.origin }), { ...params, scenario });
    const map = new maplibregl.Map({
      container: 'map',
      style,
      ...embedView(params, overlay ?? basemap),
      ...mapOptions(),
      // Credit and a way to the full map; compact (a button) when the frame is narrow.
      attributionControl: { customAttribution: `<a href="${location.origin}/" target="_blank" rel="noopener">${t('app.title')}</a>` },
    });
    if (!params.center && params.zoom === null && params.mode !== 'isochrone') zoomToDetail(map, catalog);
    addMapControls(map);
    window.__map = map;
    reportMapErrors(map);
    markReadyWhenDrawn(map);
    if (params.panel) renderLegend(params, catalog, name);
    if (params.mode === 'isochrone') {
      map.once('load', () => showIsochrone(map, params.center ?? map.getCenter().toArray()));
      map.on('click', (event) => showIsochrone(map, event.lngLat.toArray()));
    }
  } catch (error) {
    document.documentElement.dataset.ready = 'error';
    note(`${t('error.context.start')}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

start();
