/**
 * The client's entry: builds the map from the tile catalog and TileJSONs,
 * then wires the interactions. Explore mode: a click finds the nearest
 * center (route and walk time), and a button draws the 5/10/15-minute
 * isochrone from that point. Plan mode: a click adds a candidate center
 * through the API, then the overlay tiles and the coverage table reload.
 * Every API failure is shown in the panel.
 *
 * For tests and debugging the map is `window.__map`, and `<html data-ready>`
 * turns "true" once the style has loaded and the first frame is drawn
 * ("error" when the map could not start).
 */
import { takeTokenFromAddress } from './session.js';
import { chooseLanguage, language, onLanguageChange, setLanguage, startIn, storedLanguage, t } from './i18n.js';
import { createCenter, deleteCenter, fetchCoverage, fetchIsochrone, fetchNearest } from './api.js';
import { SOURCES, buildStyle, gridShareExpression, householdColor, tileUrl } from './map-style.js';
import { addMapControls, initialView, loadTileInfo, maplibregl, mapOptions, markReadyWhenDrawn, zoomToDetail } from './map-view.js';
import {
  byId,
  clearMessages,
  hideNearest,
  renderCandidates,
  renderCoverage,
  renderLegend,
  renderNearest,
  showError,
  showNote,
} from './panel.js';

/** Contours drawn by the isochrone button, in minutes. */
const ISOCHRONE_MINUTES = [5, 10, 15];
/**
 * Overlay reloads after a center edit when the change stream is not
 * connected, ms: the coverage write-back runs behind the API's answer.
 */
const FOLLOW_UP_RELOADS_MS = [1500, 5000];
/** Changes come in bursts (a center, then the coverage written after it): one reload per burst. */
const CHANGE_SETTLE_MS = 150;

/**
 * @typedef {import('maplibre-gl').Map} MapLibreMap
 * @typedef {import('maplibre-gl').VectorTileSource} VectorTileSource
 * @typedef {import('./api.js').TileJson} TileJson
 * @typedef {import('geojson').GeoJSON} GeoJSON
 */

/**
 * @typedef {{
 *   map: MapLibreMap,
 *   overlay: TileJson | null,
 *   basemap: TileJson | null,
 *   events: EventSource | null,
 *   mode: 'explore' | 'plan',
 *   origin: [number, number] | null,
 *   nearest: import('./api.js').Nearest | null,
 *   candidates: { id: string | number, name: string, kind: string }[],
 *   level: string,
 * }} AppState
 */

/**
 * @param {MapLibreMap} map
 * @param {string} id
 * @param {GeoJSON} data
 */
function setGeoJson(map, id, data) {
  /** @type {import('maplibre-gl').GeoJSONSource | undefined} */ (map.getSource(id))?.setData(data);
}

/** @type {import('geojson').FeatureCollection} */
const EMPTY = { type: 'FeatureCollection', features: [] };

/**
 * Reloads the overlay tiles (after the centers changed): new tile URLs with a
 * cache-busting version make MapLibre drop and refetch them.
 * @param {AppState} state
 * @param {string | number} version
 */
function refreshOverlay(state, version) {
  const source = /** @type {VectorTileSource | undefined} */ (state.map.getSource(SOURCES.overlay));
  if (!source || !state.overlay) return;
  source.setTiles(state.overlay.tiles.map((t) => tileUrl(t, location.origin, version)));
}

/** @param {AppState} state */
async function loadCoverage(state) {
  try {
    renderCoverage(await fetchCoverage(state.level));
  } catch (error) {
    byId('coverage-body').textContent = t('coverage.none');
    showError(t('error.context.coverage'), error);
  }
}

/**
 * Explore: the nearest center from the clicked point, its route and walk time.
 * @param {AppState} state
 * @param {[number, number]} point
 */
async function findNearest(state, point) {
  state.origin = point;
  setGeoJson(state.map, SOURCES.origin, { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: point } });
  setGeoJson(state.map, SOURCES.isochrone, EMPTY);
  setGeoJson(state.map, SOURCES.route, EMPTY);
  try {
    const nearest = await fetchNearest(point[0], point[1]);
    setGeoJson(state.map, SOURCES.route, nearest.route);
    state.nearest = nearest;
    renderNearest(nearest);
  } catch (error) {
    state.nearest = null;
    hideNearest();
    showError(t('error.context.nearest'), error);
  }
}

/**
 * Draws the 5/10/15-minute isochrone from the last clicked point, largest first.
 * @param {AppState} state
 */
async function showIsochrone(state) {
  if (!state.origin) return;
  const button = /** @type {HTMLButtonElement} */ (byId('isochrone-button'));
  button.disabled = true;
  try {
    const collection = await fetchIsochrone(state.origin[0], state.origin[1], ISOCHRONE_MINUTES);
    const features = [...(collection.features ?? [])].sort((a, b) => (b.properties?.minutes ?? 0) - (a.properties?.minutes ?? 0));
    setGeoJson(state.map, SOURCES.isochrone, { type: 'FeatureCollection', features });
  } catch (error) {
    showError(t('error.context.isochrone'), error);
  } finally {
    button.disabled = false;
  }
}

/**
 * Plan: stores a candidate center at the clicked point, then reloads tiles and coverage.
 * @param {AppState} state
 * @param {[number, number]} point
 */
async function addCandidate(state, point) {
  const kind = /** @type {HTMLSelectElement} */ (byId('candidate-kind')).value;
  const typed = /** @type {HTMLInputElement} */ (byId('candidate-name')).value.trim();
  const name = typed || t('plan.defaultName', { n: state.candidates.length + 1 });
  try {
    const center = await createCenter({ name, kind, lon: point[0], lat: point[1] });
    state.candidates.push({ id: center.id, name, kind });
    renderCandidates(state.candidates, (id) => removeCandidate(state, id));
    await centersChanged(state);
    showNote(t('plan.added', { name }));
  } catch (error) {
    showError(t('error.context.addCandidate'), error);
  }
}

/**
 * @param {AppState} state
 * @param {string | number} id
 */
async function removeCandidate(state, id) {
  try {
    await deleteCenter(id);
    state.candidates = state.candidates.filter((c) => c.id !== id);
    renderCandidates(state.candidates, (other) => removeCandidate(state, other));
    await centersChanged(state);
  } catch (error) {
    showError(t('error.context.removeCandidate'), error);
  }
}

/**
 * After an edit: reload the coverage table, then the overlay tiles (the new
 * center shows at once). The households' walk times and the grids' shares,
 * which the server writes behind its answer, arrive as a change event
 * (followChanges); without the event stream, the tiles are reloaded again a
 * little later instead.
 * @param {AppState} state
 */
async function centersChanged(state) {
  await loadCoverage(state);
  refreshOverlay(state, Date.now());
  if (state.events?.readyState === EventSource.OPEN) return;
  for (const delay of FOLLOW_UP_RELOADS_MS) setTimeout(() => refreshOverlay(state, Date.now()), delay);
}

/**
 * Follows the data's changes (GET /api/events), whoever makes them: this
 * planner, another one, another server instance, an import. Centers and
 * coverage reload the overlay tiles and the coverage table; an import
 * reloads the basemap too.
 * @param {AppState} state
 */
function followChanges(state) {
  if (typeof EventSource !== 'function') return;
  const events = new EventSource('/api/events');
  state.events = events;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let pending;
  let replaced = false;
  events.addEventListener('change', (/** @type {MessageEvent} */ event) => {
    const change = JSON.parse(event.data);
    replaced ||= change.type === 'replaced';
    clearTimeout(pending);
    pending = setTimeout(() => {
      const version = Date.now();
      if (replaced && state.basemap) {
        const basemap = /** @type {VectorTileSource | undefined} */ (state.map.getSource(SOURCES.basemap));
        basemap?.setTiles(state.basemap.tiles.map((t) => tileUrl(t, location.origin, version)));
      }
      replaced = false;
      refreshOverlay(state, version);
      loadCoverage(state);
    }, CHANGE_SETTLE_MS);
  });
}

/** @param {AppState} state */
function wireControls(state) {
  for (const input of document.querySelectorAll('input[name="mode"]')) {
    input.addEventListener('change', (event) => {
      state.mode = /** @type {HTMLInputElement} */ (event.target).value === 'plan' ? 'plan' : 'explore';
      byId('plan-options').hidden = state.mode !== 'plan';
      state.map.getCanvas().style.cursor = state.mode === 'plan' ? 'crosshair' : '';
    });
  }
  byId('isochrone-button').addEventListener('click', () => showIsochrone(state));
  byId('coverage-level').addEventListener('change', (event) => {
    state.level = /** @type {HTMLSelectElement} */ (event.target).value;
    loadCoverage(state);
  });
  state.map.on('click', (event) => {
    const point = /** @type {[number, number]} */ ([event.lngLat.lng, event.lngLat.lat]);
    clearMessages();
    if (state.mode === 'plan') addCandidate(state, point);
    else findNearest(state, point);
  });
}

/**
 * Shows map errors (a tile that failed, a bad style) once per message.
 * @param {MapLibreMap} map
 */
function reportMapErrors(map) {
  const seen = new Set();
  map.on('error', (event) => {
    const message = event?.error?.message ?? String(event?.error ?? t('error.unknownMap'));
    if (seen.has(message)) return;
    seen.add(message);
    showError(t('error.context.map'), event?.error ?? message);
  });
}

/**
 * The language switch: one button naming the other language, in that
 * language (Chinese readers see "English", English readers "中文").
 */
function wireLanguageSwitch() {
  byId('language-switch').addEventListener('click', () => setLanguage(language() === 'zh-CN' ? 'en' : 'zh-CN'));
}

async function start() {
  takeTokenFromAddress();
  startIn(chooseLanguage({ address: new URLSearchParams(location.search).get('lang'), stored: storedLanguage(), browser: navigator.languages }));
  wireLanguageSwitch();
  const ready = document.documentElement.dataset;
  try {
    if (!maplibregl) throw new Error(t('error.noMapLibrary'));
    const { catalog, basemap, overlay } = await loadTileInfo();
    const style = buildStyle({ catalog, basemap, overlay, origin: location.origin });
    const map = new maplibregl.Map({
      container: 'map',
      style,
      ...initialView(overlay ?? basemap),
      ...mapOptions(),
    });
    zoomToDetail(map, catalog);
    let controls = addMapControls(map);
    window.__map = map;
    reportMapErrors(map);

    /** @type {AppState} */
    const state = { map, overlay, basemap, events: null, mode: 'explore', origin: null, nearest: null, candidates: [], level: 'district' };
    const householdFields = catalog.get('households')?.fields ?? new Set();
    const legend = {
      householdMode: householdColor(householdFields).mode,
      gridShare: gridShareExpression(catalog.get('grids')?.fields ?? new Set()) !== null,
      householdMinzoom: catalog.get('households')?.minzoom ?? 14,
    };
    renderLegend(legend);
    // Text the code drew is drawn again in the new language; static text follows data-i18n.
    onLanguageChange(() => {
      controls = addMapControls(map, controls);
      renderLegend(legend);
      renderCandidates(state.candidates, (id) => removeCandidate(state, id));
      if (state.nearest) renderNearest(state.nearest);
      loadCoverage(state);
    });
    wireControls(state);
    followChanges(state);
    markReadyWhenDrawn(map);
    // The table after the map's first view: its request would compete with the tiles'.
    map.once('idle', () => loadCoverage(state));
  } catch (error) {
    ready.ready = 'error';
    showError(t('error.context.start'), error);
  }
}

start();
