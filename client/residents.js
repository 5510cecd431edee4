/**
 * What the map does for residents: find a place by name (the search box),
 * or by "use my location", or by a click on the map, and answer for it
 * (the answer card of GET /api/place: the nearest center of each kind, its
 * walk and route, and the life-circle tiers met and missed), draw a
 * 5/10/15-minute isochrone from it on request, and keep it all in a link
 * that can be shared (share-link.js). On phones the panel is a bottom sheet
 * (bottom-sheet.js) that opens to show the card and settles so the route
 * stays in sight.
 *
 * app.js makes the map and calls startResidents() once it is wired; map
 * clicks in explore mode come here through openPlace().
 */
import { fetchIsochrone, fetchPlace, fetchSearch } from './api.js';
import { createBottomSheet } from './bottom-sheet.js';
import { language, onLanguageChange, t } from './i18n.js';
import { locate } from './locate.js';
import { byId, clearMessages, el, kindLabel, showError } from './panel.js';
import { defaultKind, markSelected, placeSummary, renderPlaceCard, routeSummary } from './place-card.js';
import { createSearchBox } from './search-box.js';
import { createShareLink, readSharedView } from './share-link.js';
import { setOverlayData } from './geojson-overlay.js';
import { SOURCES } from './map-style.js';

/** Contours drawn by the isochrone button, in minutes. */
const ISOCHRONE_MINUTES = [5, 10, 15];
/** Zoom to show a point (a center, the person's location) at. */
const POINT_ZOOM = 16;
/** Space kept around what the map fits to, px. */
const FIT_PADDING = 40;

/**
 * @typedef {import('maplibre-gl').Map} MapLibreMap
 * @typedef {import('./api.js').Place} Place
 * @typedef {import('./api.js').SearchResult} SearchResult
 * @typedef {import('./share-link.js').SharedView} SharedView
 * @typedef {[number, number]} LonLat
 * @typedef {[number, number, number, number]} Bbox
 */

/**
 * A place's label: words from the string files, drawn again in a new
 * language (a name from the data goes in as a parameter; a search result's
 * place line is made again from `result`).
 * @typedef {{ key: string, params?: Record<string, string>, result?: SearchResult }} Label
 */

/** The view a link asks for (app.js starts the map there). */
export function sharedViewFromAddress() {
  return readSharedView(location.search);
}

/** @param {Label} label */
const labelText = (label) => t(label.key, label.result ? { ...label.params, context: resultContext(label.result) } : label.params);

/** @type {import('geojson').FeatureCollection} */
const EMPTY = { type: 'FeatureCollection', features: [] };

/**
 * The bounding box of some points.
 * @param {LonLat[]} points
 * @returns {Bbox}
 */
function boundsOf(points) {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of points) {
    w = Math.min(w, lon);
    s = Math.min(s, lat);
    e = Math.max(e, lon);
    n = Math.max(n, lat);
  }
  return [w, s, e, n];
}

/**
 * Where a search result lies, in the reader's language: the server's line
 * names a center's kind in Chinese, so a center's line is made here from its
 * kind and the names of the units it lies in (names are the data's own).
 * @param {SearchResult} result
 */
function resultContext(result) {
  if (result.type !== 'center' || !result.kind) return result.context;
  return [kindLabel(result.kind), result.parents.map((p) => p.name).join(' ')].filter(Boolean).join(' · ');
}

/**
 * A search result's option: its name, what it is, and where.
 * @param {SearchResult} result
 * @returns {(Node | string)[]}
 */
function searchOption(result) {
  return [
    el('span', { class: 'result-name' }, [result.name]),
    el('span', { class: 'result-type' }, [t(`search.type.${result.type}`)]),
    el('span', { class: 'result-context' }, [resultContext(result)]),
  ];
}

/**
 * Wires search, location, the answer card, the isochrone, the link and the sheet.
 * @param {{ map: MapLibreMap, view: SharedView, mode: () => 'explore' | 'plan' }} options
 *   `view`: what the page was opened with (sharedViewFromAddress()), `mode`: app.js's click mode
 */
export function startResidents({ map, view, mode }) {
  const share = createShareLink({ ...view, lang: language(), mode: mode() });
  const body = byId('nearest-body');
  const card = byId('nearest');
  const status = byId('place-status');
  const isochroneButton = /** @type {HTMLButtonElement} */ (byId('isochrone-button'));
  const locateButton = /** @type {HTMLButtonElement} */ (byId('locate-button'));
  const panel = byId('panel');
  const peek = byId('search');

  /**
   * The open place: where, what it is called, the card once answered, the route shown.
   * @type {{ lonLat: LonLat, label: Label, place: Place | null, selected: string | null } | null}
   */
  let current = null;
  /** @type {AbortController | undefined} */
  let loading;

  const sheet = createBottomSheet({
    panel,
    handle: /** @type {HTMLButtonElement} */ (byId('sheet-handle')),
    peek,
    // Everything in the panel below the search box: added sections too.
    hidden: () => [...panel.children].filter((child) => peek.compareDocumentPosition(child) & Node.DOCUMENT_POSITION_FOLLOWING),
  });

  /** The map's height the sheet covers (on a phone), px. */
  const covered = () => sheet.covering(map.getContainer());
  /** Padding that keeps what the map fits to out from under the sheet. */
  const padding = () => ({ top: FIT_PADDING, left: FIT_PADDING, right: FIT_PADDING, bottom: FIT_PADDING + covered() });
  /**
   * Flies to a point, shown in the middle of what the sheet leaves visible
   * (an offset, not padding: flyTo keeps padding, which would move the map's center for good).
   * @param {LonLat} center
   */
  const flyToPoint = (center) =>
    map.flyTo({ center, zoom: Math.max(map.getZoom(), POINT_ZOOM), offset: [0, -covered() / 2], duration: 800 });

  /**
   * Moves the map just enough to show a box (when it is not in view already).
   * @param {Bbox} box
   */
  const showBox = (box) => {
    const ensure = () => {
      const view = map.getBounds();
      const [w, s, e, n] = box;
      const inView = view.contains([w, s]) && view.contains([e, n]);
      // On a phone the sheet covers the map's bottom: a box under it is not in view.
      const bottom = map.unproject([0, map.getContainer().clientHeight - covered()]).lat;
      if (inView && s >= bottom) return;
      map.fitBounds([[w, s], [e, n]], { padding: padding(), maxZoom: Math.max(map.getZoom(), POINT_ZOOM - 1), duration: 600 });
    };
    if (map.isMoving()) map.once('moveend', ensure);
    else ensure();
  };

  /** @param {string | null} kind */
  const showRoute = (kind) => {
    const found = current?.place?.kinds.find((k) => k.kind === kind);
    if (!current || !found?.route) {
      setOverlayData(map, SOURCES.route, EMPTY);
      return;
    }
    current.selected = found.kind;
    markSelected(body, found.kind);
    setOverlayData(map, SOURCES.route, { type: 'Feature', properties: { kind: found.kind }, geometry: found.route });
  };

  /** @param {string} kind chosen on the card */
  const chooseKind = (kind) => {
    showRoute(kind);
    const found = current?.place?.kinds.find((k) => k.kind === kind);
    if (!current || !found?.route) return;
    status.textContent = routeSummary(found);
    if (sheet.active && sheet.state === 'full') sheet.set('half');
    showBox(boundsOf([current.lonLat, .../** @type {LonLat[]} */ (found.route.coordinates)]));
  };

  const draw = () => {
    if (!current?.place) return;
    renderPlaceCard(body, current.place, { label: labelText(current.label), selected: current.selected, onSelect: chooseKind });
  };

  const clearIsochrone = () => {
    setOverlayData(map, SOURCES.isochrone, EMPTY);
    isochroneButton.setAttribute('aria-pressed', 'false');
  };

  /** Closes the card: no place, route, origin or isochrone. */
  const closePlace = () => {
    loading?.abort();
    current = null;
    card.hidden = true;
    body.replaceChildren();
    status.textContent = '';
    setOverlayData(map, SOURCES.origin, EMPTY);
    setOverlayData(map, SOURCES.route, EMPTY);
    clearIsochrone();
    share.update({ place: null });
  };

  /**
   * Opens the answer card for a point.
   * @param {LonLat} lonLat
   * @param {{ label?: Label, fit?: boolean, onOffNetwork?: () => void }} [options]
   *   `fit`: move the map so the route shows (not when a link restores its own view);
   *   `onOffNetwork`: what to do instead of the panel's error when the point is off the walk network
   * @returns {Promise<boolean>} whether the card opened
   */
  const openPlace = async (lonLat, { label = { key: 'place.selected' }, fit = true, onOffNetwork } = {}) => {
    loading?.abort();
    const controller = new AbortController();
    loading = controller;
    current = { lonLat, label, place: null, selected: null };
    clearIsochrone();
    setOverlayData(map, SOURCES.origin, { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: lonLat } });
    setOverlayData(map, SOURCES.route, EMPTY);
    card.hidden = false;
    card.setAttribute('aria-busy', 'true');
    body.replaceChildren(el('p', { class: 'place-label' }, [labelText(label)]), el('p', { class: 'loading' }, [t('place.loading')]));
    if (sheet.active && sheet.state === 'collapsed') sheet.set('half');
    try {
      const place = await fetchPlace(lonLat[0], lonLat[1], { signal: controller.signal });
      if (controller.signal.aborted || !current) return false;
      current.place = place;
      current.selected = defaultKind(place);
      draw();
      showRoute(current.selected);
      status.textContent = placeSummary(place, labelText(label));
      share.update({ place: lonLat });
      const route = place.kinds.find((k) => k.kind === current?.selected)?.route;
      if (fit && route) showBox(boundsOf([lonLat, .../** @type {LonLat[]} */ (route.coordinates)]));
      return true;
    } catch (error) {
      if (controller.signal.aborted) return false;
      closePlace();
      if (onOffNetwork && /** @type {any} */ (error)?.code === 'off_network') onOffNetwork();
      else showError(t('error.context.nearest'), error);
      return false;
    } finally {
      card.removeAttribute('aria-busy');
      if (loading === controller) loading = undefined;
    }
  };

  // The search box: a result flies the map to it; a community, a grid or a center opens its card.
  const search = createSearchBox({
    input: /** @type {HTMLInputElement} */ (byId('search-input')),
    list: byId('search-results'),
    status: byId('search-status'),
    search: async (q, signal) => (await fetchSearch(q, { limit: 8, signal })).results,
    renderOption: searchOption,
    label: (result) => result.name,
    onError: (error) => showError(t('error.context.search'), error),
    onChoose: (result) => {
      clearMessages();
      if (sheet.active) {
        // The keyboard goes away and the sheet makes room for the map.
        /** @type {HTMLElement} */ (document.activeElement)?.blur();
        sheet.set('half');
      }
      const box = result.bbox;
      if (box && result.type !== 'center') map.fitBounds([[box[0], box[1]], [box[2], box[3]]], { padding: padding(), maxZoom: POINT_ZOOM, duration: 800 });
      else if (result.lon !== null && result.lat !== null) flyToPoint([result.lon, result.lat]);
      if (result.lon === null || result.lat === null || result.type === 'district' || result.type === 'street') return;
      /** @type {Label} */
      const label = result.context ? { key: 'place.found', params: { name: result.name }, result } : { key: 'place.name', params: { name: result.name } };
      openPlace([result.lon, result.lat], { label });
    },
  });
  byId('search-input').addEventListener('focus', () => {
    // Room for the results above a phone's keyboard.
    if (sheet.active && sheet.state !== 'full') sheet.set('full');
  });

  // "Use my location": the card for where the person is; a refusal or a failure said in words.
  locateButton.addEventListener('click', async () => {
    clearMessages();
    locateButton.disabled = true;
    locateButton.setAttribute('aria-busy', 'true');
    search.say(['locate.finding', {}]);
    try {
      const found = await locate();
      if (!found.ok) {
        search.say([`locate.${found.reason}`, {}]);
        return;
      }
      const opened = await openPlace(found.lonLat, {
        label: { key: 'place.myLocation' },
        fit: false,
        onOffNetwork: () => search.say(['locate.outside', {}]),
      });
      if (!opened) return;
      search.say(null);
      flyToPoint(found.lonLat);
    } finally {
      locateButton.disabled = false;
      locateButton.removeAttribute('aria-busy');
    }
  });

  isochroneButton.addEventListener('click', async () => {
    if (!current) return;
    if (isochroneButton.getAttribute('aria-pressed') === 'true') {
      clearIsochrone();
      return;
    }
    const { lonLat } = current;
    isochroneButton.disabled = true;
    try {
      const collection = await fetchIsochrone(lonLat[0], lonLat[1], ISOCHRONE_MINUTES);
      if (current?.lonLat !== lonLat) return;
      // Largest first, so the 10- and 5-minute contours draw over the 15-minute one.
      const features = [...(collection.features ?? [])].sort((a, b) => (b.properties?.minutes ?? 0) - (a.properties?.minutes ?? 0));
      setOverlayData(map, SOURCES.isochrone, { type: 'FeatureCollection', features });
      isochroneButton.setAttribute('aria-pressed', 'true');
      status.textContent = t('place.isochroneShown');
    } catch (error) {
      showError(t('error.context.isochrone'), error);
    } finally {
      isochroneButton.disabled = false;
    }
  });
  byId('place-close').addEventListener('click', () => {
    closePlace();
    /** @type {HTMLElement} */ (byId('search-input')).focus({ preventScroll: true });
  });

  // The link follows the map, the mode and the language.
  map.on('moveend', () => share.update({ center: /** @type {LonLat} */ (map.getCenter().toArray()), zoom: map.getZoom() }));
  for (const input of document.querySelectorAll('input[name="mode"]')) {
    input.addEventListener('change', () => share.update({ mode: mode() }));
  }
  onLanguageChange((next) => {
    share.update({ lang: next });
    search.rerender();
    draw();
    if (current?.place) status.textContent = placeSummary(current.place, labelText(current.label));
  });
  addEventListener('pagehide', () => share.flush());

  // What the link asked for: the planner's mode, and the place's card (the map is where the link put it).
  if (view.mode === 'plan' && mode() !== 'plan') {
    const plan = /** @type {HTMLInputElement | null} */ (document.querySelector('input[name="mode"][value="plan"]'));
    if (plan) {
      plan.checked = true;
      plan.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }
  const restore = view.place;
  if (restore) {
    const open = () => openPlace(restore, { fit: !view.center });
    if (map.isStyleLoaded()) open();
    else map.once('load', open);
  }
  share.update({ lang: language() });

  return { openPlace, closePlace, share };
}
