/**
 * The client's entry: builds the map from the tile catalog and TileJSONs,
 * then wires the interactions. Explore mode: a click opens the answer card
 * of that point (residents.js: nearest center of each kind, walk, route,
 * life-circle tiers, isochrone), as the search box and "use my location"
 * do. Planner tools (planner.js) take the clicks they need first:
 * scenarios of candidate, moved and removed centers, applied to the live
 * centers only after a confirmation. Every API failure is shown in the
 * panel. The map's position, the mode, the open place, the language and the
 * open scenario live in the address (share-link.js, scenario-url.js).
 *
 * For tests and debugging the map is `window.__map`, and `<html data-ready>`
 * turns "true" once the style has loaded and the first frame is drawn
 * ("error" when the map could not start).
 */
import { takeTokenFromAddress } from './session.js';
import { chooseLanguage, language, onLanguageChange, setLanguage, startIn, storedLanguage, t } from './i18n.js';
import { fetchCoverage } from './api.js';
import { mountPlanner, plannerTakesClick } from './planner.js';
import { overlayTemplates } from './scenario-map.js';
import { withScenarioLayers } from './scenario-style.js';
import { scenarioInAddress } from './scenario-url.js';
import { sharedViewFromAddress, startResidents } from './residents.js';
import { SOURCES, buildStyle, gridShareExpression, householdColor, tileUrl } from './map-style.js';
import { addMapControls, initialView, loadTileInfo, maplibregl, mapOptions, markReadyWhenDrawn, zoomToDetail } from './map-view.js';
import {
  byId,
  clearMessages,
  renderCoverage,
  renderLegend,
  showError,
} from './panel.js';
import { mountPlannerTools } from './planner-tools.js';


/**
 * Overlay reloads after the centers changed (a scenario applied) when the
 * change stream is not connected, ms: the coverage write-back runs behind
 * the API's answer.
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
 *   residents: ReturnType<typeof startResidents> | null,
 *   level: string,
 * }} AppState
 */

/**
 * Reloads the overlay tiles (after the centers changed): new tile URLs with a
 * cache-busting version make MapLibre drop and refetch them.
 * @param {AppState} state
 * @param {string | number} version
 */
function refreshOverlay(state, version) {
  const source = /** @type {VectorTileSource | undefined} */ (state.map.getSource(SOURCES.overlay));
  if (!source || !state.overlay) return;
  source.setTiles(overlayTemplates(state.overlay.tiles).map((t) => tileUrl(t, location.origin, version)));
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
 * After the live centers changed here (a scenario applied): reload the
 * coverage table, then the overlay tiles (the new centers show at once).
 * The households' walk times and the grids' shares,
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
  /** @type {string | number} */
  let latest = Date.now();
  events.addEventListener('change', (/** @type {MessageEvent} */ event) => {
    const change = JSON.parse(event.data);
    replaced ||= change.type === 'replaced';
    // The change's data version names the new tiles, as TileJSON's URLs do:
    // a shared cache (docs/scale-out.md) keeps tiles at that URL for good,
    // where a time-stamp would miss it on every reload.
    latest = typeof change.version === 'string' && change.version ? change.version : Date.now();
    clearTimeout(pending);
    pending = setTimeout(() => {
      const version = latest;
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
  byId('coverage-level').addEventListener('change', (event) => {
    state.level = /** @type {HTMLSelectElement} */ (event.target).value;
    loadCoverage(state);
  });
  state.map.on('click', (event) => {
    const point = /** @type {[number, number]} */ ([event.lngLat.lng, event.lngLat.lat]);
    clearMessages();
    if (plannerTakesClick(event)) return;
    state.residents?.openPlace(point);
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
    // The planner's scenario layers are in the first style: added later, they would make MapLibre parse the overlay again.
    const style = withScenarioLayers(buildStyle({ catalog, basemap, overlay, origin: location.origin }));
    const link = sharedViewFromAddress();
    const map = new maplibregl.Map({
      container: 'map',
      style,
      ...initialView(overlay ?? basemap, link),
      // The map fills the screen and the page never scrolls, so one finger moves the map (cooperative
      // gestures, which ask for two, are for maps inside a scrolling page: the /embed page).
      cooperativeGestures: false,
      ...mapOptions(),
    });
    if (!link.center) zoomToDetail(map, catalog);
    let controls = addMapControls(map);
    window.__map = map;
    reportMapErrors(map);

    /** @type {AppState} */
    const state = { map, overlay, basemap, events: null, residents: null, level: 'district' };
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
      loadCoverage(state);
    });
    wireControls(state);
    // The link's mode: planning while a scenario is open in the planner's tools.
    state.residents = startResidents({ map, view: link, mode: () => (scenarioInAddress() === null ? 'explore' : 'plan') });
    // Site suggestions, downloads and the printable report (planner-tools.js).
    mountPlannerTools({ map, level: () => state.level });
    followChanges(state);
    mountPlanner({ map, tiles: { catalog, basemap, overlay }, refreshOverlay: (v) => refreshOverlay(state, v), liveChanged: () => centersChanged(state), events: state.events });
    markReadyWhenDrawn(map);
    // The table after the map's first view: its request would compete with the tiles'.
    map.once('idle', () => loadCoverage(state));
  } catch (error) {
    ready.ready = 'error';
    showError(t('error.context.start'), error);
  }
}

start();
