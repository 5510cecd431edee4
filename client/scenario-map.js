/**
 * A scenario on the map. The overlay tiles (grids, households, centers) are
 * asked for with `?scenario=ID`, so they carry the scenario's walk times and
 * a `change` field; households it brings into the 15-minute circle are drawn
 * in COLORS.gained, ones it drops out of it in COLORS.lost, on top of the
 * other households (dimmed), and centers it removes as hollow rings where
 * they were (the layers of scenario-style.js, in the first style: app.js).
 * Added and moved centers are DOM markers, draggable while the
 * scenario can be edited. A swipe compares the scenario with today: a second
 * map with the live tiles over the left part of the main one, kept on the
 * same view, with a handle to move the edge.
 *
 * For tests, the comparison's map is `window.__compareMap` while it is open.
 */
import { authHeaders } from './session.js';
import { t } from './i18n.js';
import { COLORS, SOURCES, buildStyle, tileUrl } from './map-style.js';
import { SCENARIO_LAYERS } from './scenario-style.js';

/** @type {typeof import('maplibre-gl')} MapLibre's UMD global (index.html loads it; app.js stops before the planner mounts without it). */
const maplibregl = /** @type {any} */ (globalThis).maplibregl;

/** Opacity of the households the scenario does not change, while it is shown. */
const DIMMED = 0.35;
/** Pixels around a click that still hit a center. */
const HIT_PX = 7;

/**
 * @typedef {import('maplibre-gl').Map} MapLibreMap
 * @typedef {import('./api.js').ScenarioChange} ScenarioChange
 * @typedef {import('./api.js').TileJson} TileJson
 * @typedef {{ id: number, name: string, kind: string, lngLat: [number, number], removed: boolean }} CenterHit
 */

/** The scenario the overlay tiles are asked for, or null for the live data. @type {number | null} */
let shownScenario = null;

/**
 * The overlay's tile templates for what the map shows: with `?scenario=ID`
 * while a scenario is open (app.js reloads the overlay through this).
 * @param {string[]} templates
 * @returns {string[]}
 */
export function overlayTemplates(templates) {
  if (shownScenario === null) return templates;
  return templates.map((template) => `${template}${template.includes('?') ? '&' : '?'}scenario=${shownScenario}`);
}

/**
 * A marker's element: a dot in the kind's colour, ringed as a candidate
 * (added) or dashed as a moved live center.
 * @param {'added' | 'moved'} change
 * @param {string} kind
 * @param {string} name
 */
function markerElement(change, kind, name) {
  const element = document.createElement('div');
  element.className = `scenario-marker ${change}`;
  element.style.setProperty('--kind-color', COLORS.centers[/** @type {'neighborhood' | 'governance'} */ (kind)] ?? COLORS.centers.other);
  element.title = name;
  element.setAttribute('aria-label', name);
  element.setAttribute('role', 'img');
  return element;
}

/**
 * The swipe: the live map over the left part of the main map.
 * @param {MapLibreMap} map
 * @param {{ catalog: import('./map-style.js').Catalog, basemap: TileJson | null, overlay: TileJson | null }} tiles
 */
function openSwipe(map, tiles) {
  const root = document.createElement('div');
  root.className = 'compare';
  const baselineBox = document.createElement('div');
  baselineBox.className = 'compare-map';
  const handle = document.createElement('div');
  handle.className = 'compare-handle';
  handle.tabIndex = 0;
  handle.setAttribute('role', 'slider');
  handle.setAttribute('aria-valuemin', '0');
  handle.setAttribute('aria-valuemax', '100');
  const left = document.createElement('span');
  left.className = 'compare-label left';
  const right = document.createElement('span');
  right.className = 'compare-label right';
  root.append(baselineBox, handle, left, right);
  map.getContainer().append(root);

  const baseline = new maplibregl.Map({
    container: baselineBox,
    style: buildStyle({ ...tiles, origin: location.origin }),
    center: map.getCenter(),
    zoom: map.getZoom(),
    bearing: map.getBearing(),
    pitch: map.getPitch(),
    interactive: false,
    attributionControl: false,
    transformRequest: (url) => ({ url, headers: authHeaders(url) }),
  });
  window.__compareMap = baseline;
  const sync = () => baseline.jumpTo({ center: map.getCenter(), zoom: map.getZoom(), bearing: map.getBearing(), pitch: map.getPitch() });
  map.on('move', sync);

  let share = 0.5;
  const place = () => {
    const percent = Math.round(share * 1000) / 10;
    baselineBox.style.clipPath = `inset(0 ${100 - percent}% 0 0)`;
    handle.style.left = `${percent}%`;
    handle.setAttribute('aria-valuenow', String(Math.round(percent)));
  };
  const label = () => {
    left.textContent = t('scenario.compareBaseline');
    right.textContent = t('scenario.compareScenario');
    handle.setAttribute('aria-label', t('scenario.compareHandle'));
  };
  /** @param {PointerEvent} event */
  const follow = (event) => {
    const box = root.getBoundingClientRect();
    share = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
    place();
  };
  handle.addEventListener('pointerdown', (event) => {
    event.preventDefault();
    handle.setPointerCapture(event.pointerId);
    handle.addEventListener('pointermove', follow);
  });
  const stop = () => handle.removeEventListener('pointermove', follow);
  handle.addEventListener('pointerup', stop);
  handle.addEventListener('pointercancel', stop);
  handle.addEventListener('keydown', (event) => {
    const step = { ArrowLeft: -0.05, ArrowRight: 0.05 }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    share = Math.min(1, Math.max(0, share + step));
    place();
  });
  place();
  label();

  return {
    label,
    /** @param {string | number} version reloads the live overlay (the live data changed) */
    refresh(version) {
      const source = /** @type {import('maplibre-gl').VectorTileSource | undefined} */ (baseline.getSource(SOURCES.overlay));
      const templates = tiles.overlay?.tiles;
      if (source && templates) source.setTiles(templates.map((u) => tileUrl(u, location.origin, version)));
    },
    close() {
      map.off('move', sync);
      baseline.remove();
      root.remove();
      if (window.__compareMap === baseline) delete window.__compareMap;
    },
  };
}

/**
 * The scenario's side of the main map.
 * @param {{
 *   map: MapLibreMap,
 *   tiles: { catalog: import('./map-style.js').Catalog, basemap: TileJson | null, overlay: TileJson | null },
 *   refreshOverlay: (version: string | number) => void,
 *   onDrag: (index: number, lngLat: [number, number]) => void,
 * }} options
 */
export function createScenarioMap({ map, tiles, refreshOverlay, onDrag }) {
  /** @type {Map<string, { marker: import('maplibre-gl').Marker, element: HTMLElement }>} */
  const markers = new Map();
  /** @type {ReturnType<typeof openSwipe> | null} */
  let swipe = null;
  /** @type {{ own: import('maplibre-gl').FilterSpecification | null } | null} the centers layer's own filter, while the scenario's replaces it */
  let centersFilter = null;
  /** @type {import('maplibre-gl').Popup | null} */
  let popup = null;
  /** @type {(() => void)[] | null} what waits for the style's first load (null once it loaded) */
  let waiting = [];
  /** Runs `fn` once the style has loaded (its sources and layers exist), at once after that. */
  const whenStyled = (/** @type {() => void} */ fn) => (waiting ? waiting.push(fn) : fn());
  const styled = () => {
    const queued = waiting ?? [];
    waiting = null;
    for (const fn of queued) fn();
  };
  if (map.isStyleLoaded()) styled();
  else map.once('load', styled);

  /** @param {boolean} on */
  function setScenarioLayers(on) {
    for (const id of Object.values(SCENARIO_LAYERS)) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
    if (map.getLayer('households')) map.setPaintProperty('households', 'circle-opacity', on ? DIMMED : 1);
    if (map.getLayer('centers')) {
      if (on && centersFilter === null) {
        const own = map.getFilter('centers') ?? null;
        centersFilter = { own };
        // Added and moved centers are markers; removed ones the hollow rings.
        /** @type {import('maplibre-gl').ExpressionSpecification} */
        const unchanged = ['!', ['in', ['coalesce', ['get', 'change'], 'same'], ['literal', ['added', 'moved', 'removed']]]];
        map.setFilter('centers', /** @type {import('maplibre-gl').FilterSpecification} */ (own ? ['all', own, unchanged] : unchanged));
      } else if (!on && centersFilter !== null) {
        map.setFilter('centers', centersFilter.own);
        centersFilter = null;
      }
    }
  }

  return {
    /**
     * Shows a scenario's tiles (null: the live data again).
     * @param {{ id: number, revision: number } | null} scenario
     */
    showTiles(scenario) {
      const was = shownScenario;
      shownScenario = scenario?.id ?? null;
      whenStyled(() => {
        setScenarioLayers(scenario !== null);
        if (scenario || was !== null) refreshOverlay(scenario ? `s${scenario.id}r${scenario.revision}` : Date.now());
      });
    },

    /**
     * Markers for the added and moved centers, in the changes' order.
     * @param {ScenarioChange[]} changes
     * @param {Map<number, { name: string, kind: string }>} centers live centers' names and kinds
     * @param {boolean} editable whether they can be dragged
     */
    setMarkers(changes, centers, editable) {
      const seen = new Set();
      let added = 0;
      changes.forEach((change, index) => {
        if (change.op === 'remove') return;
        const key = change.op === 'add' ? `add:${added++}` : `move:${change.center_id}`;
        seen.add(key);
        const kind = change.op === 'add' ? change.kind : (centers.get(change.center_id)?.kind ?? 'other');
        const name = change.op === 'add' ? change.name : (centers.get(change.center_id)?.name ?? t('scenario.center', { id: change.center_id }));
        let entry = markers.get(key);
        if (entry && entry.element.dataset.kind !== kind) {
          entry.marker.remove();
          entry = undefined;
        }
        if (!entry) {
          const element = markerElement(change.op === 'add' ? 'added' : 'moved', kind, name);
          element.dataset.kind = kind;
          const marker = new maplibregl.Marker({ element, draggable: editable }).setLngLat([change.lon, change.lat]).addTo(map);
          // The change it stands for is looked up at the drag's end: earlier changes may have been undone meanwhile.
          marker.on('dragend', () => {
            const at = marker.getLngLat();
            onDrag(Number(element.dataset.index), [at.lng, at.lat]);
          });
          entry = { marker, element };
          markers.set(key, entry);
        }
        const { marker, element } = entry;
        element.dataset.index = String(index);
        element.title = name;
        element.setAttribute('aria-label', name);
        marker.setDraggable(editable);
        const at = marker.getLngLat();
        if (at.lng !== change.lon || at.lat !== change.lat) marker.setLngLat([change.lon, change.lat]);
      });
      for (const [key, { marker }] of markers) {
        if (!seen.has(key)) {
          marker.remove();
          markers.delete(key);
        }
      }
    },

    /**
     * The center under a click: a live one, or one the scenario removed.
     * @param {import('maplibre-gl').PointLike} point
     * @returns {CenterHit | null}
     */
    centerAt(point) {
      const p = /** @type {{ x: number, y: number }} */ (point);
      const layers = ['centers', SCENARIO_LAYERS.removed].filter((id) => map.getLayer(id));
      const hits = map.queryRenderedFeatures([[p.x - HIT_PX, p.y - HIT_PX], [p.x + HIT_PX, p.y + HIT_PX]], { layers });
      const hit = hits.find((f) => typeof f.id === 'number' && f.id > 0);
      if (!hit) return null;
      const geometry = /** @type {import('geojson').Point} */ (hit.geometry);
      return {
        id: Number(hit.id),
        name: String(hit.properties.name ?? ''),
        kind: String(hit.properties.kind ?? ''),
        lngLat: /** @type {[number, number]} */ (geometry.coordinates),
        removed: hit.properties.change === 'removed',
      };
    },

    /**
     * A popup with a title and buttons at a place (one at a time).
     * @param {[number, number]} lngLat
     * @param {string} title
     * @param {string} subtitle
     * @param {{ label: string, run: () => void }[]} actions
     */
    popup(lngLat, title, subtitle, actions) {
      popup?.remove();
      const box = document.createElement('div');
      box.className = 'scenario-popup';
      const heading = document.createElement('strong');
      heading.textContent = title;
      const sub = document.createElement('div');
      sub.textContent = subtitle;
      box.append(heading, sub);
      for (const action of actions) {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = action.label;
        button.addEventListener('click', () => {
          popup?.remove();
          action.run();
        });
        box.append(button);
      }
      popup = new maplibregl.Popup({ closeButton: true, maxWidth: '260px' }).setLngLat(lngLat).setDOMContent(box).addTo(map);
    },

    /** @param {boolean} on */
    setSwipe(on) {
      if (on && !swipe) swipe = openSwipe(map, tiles);
      else if (!on && swipe) {
        swipe.close();
        swipe = null;
      }
    },

    /** @param {string | number} version the live data changed: the swipe's live tiles reload */
    liveChanged(version) {
      swipe?.refresh(version);
    },

    /** Texts drawn on the map, in the current language. */
    relabel() {
      swipe?.label();
    },

    /** Back to the live map: no scenario tiles, markers, popup or swipe. */
    clear() {
      popup?.remove();
      this.setMarkers([], new Map(), false);
      this.setSwipe(false);
      this.showTiles(null);
    },
  };
}

/**
 * Whether a map click landed on a scenario marker (a drag's end, or a click
 * on a candidate): the map does nothing else with it.
 * @param {import('maplibre-gl').MapMouseEvent} event
 */
export function isMarkerClick(event) {
  const target = /** @type {Element | null} */ (event.originalEvent?.target ?? null);
  return Boolean(target?.closest?.('.scenario-marker'));
}
