/**
 * The shareable link: what a person sees lives in the address's query
 * string, so copying the address shares it and opening it restores it.
 *
 *   ?lang=zh-CN&center=119.01234,25.43210&zoom=15.25&place=119.012345,25.432101&mode=plan&scenario=3
 *
 * - `lang`: the page's language (i18n.chooseLanguage reads it first).
 * - `center` (lon,lat) and `zoom`: the map's position.
 * - `place` (lon,lat): the point whose answer card is open.
 * - `mode`: `plan` while a scenario is open in the planner's tools (explore is the default, left out).
 * - `scenario`: the scenario being looked at: read here, written by the planner's tools (scenario-url.js).
 *
 * Coordinates are lon,lat as everywhere in the API. Other parameters are
 * kept as they are, and the hash is left alone (#token= is session.js's).
 * The address is rewritten with history.replaceState (no new history entry
 * per map move), at most every UPDATE_MS.
 */

/** Least time between two rewrites of the address, ms (browsers throttle replaceState). */
const UPDATE_MS = 250;

/** Parameters this module owns, in the order they are written. */
const KEYS = ['lang', 'center', 'zoom', 'place', 'mode', 'scenario'];

/**
 * What a link can say; every field is optional.
 * @typedef {{
 *   lang?: string,
 *   center?: [number, number],
 *   zoom?: number,
 *   place?: [number, number] | null,
 *   mode?: 'explore' | 'plan',
 *   scenario?: string | null,
 * }} SharedView
 */

/**
 * `lon,lat` as two finite numbers in range, or undefined.
 * @param {string | null} text
 * @returns {[number, number] | undefined}
 */
export function parseLonLat(text) {
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text ?? '');
  if (!match) return undefined;
  const lon = Number(match[1]);
  const lat = Number(match[2]);
  if (!(Math.abs(lon) <= 180 && Math.abs(lat) <= 85.06)) return undefined;
  return [lon, lat];
}

/**
 * Reads a link's view from a query string; values that make no sense are left out.
 * @param {string} search `location.search`
 * @returns {SharedView}
 */
export function readSharedView(search) {
  const params = new URLSearchParams(search);
  /** @type {SharedView} */
  const view = {};
  const lang = params.get('lang');
  if (lang) view.lang = lang;
  const center = parseLonLat(params.get('center'));
  const zoom = Number(params.get('zoom') ?? NaN);
  if (center) view.center = center;
  if (params.has('zoom') && Number.isFinite(zoom) && zoom >= 0 && zoom <= 24) view.zoom = zoom;
  const place = parseLonLat(params.get('place'));
  if (place) view.place = place;
  const mode = params.get('mode');
  if (mode === 'plan' || mode === 'explore') view.mode = mode;
  const scenario = params.get('scenario');
  if (scenario && /^\d{1,15}$/.test(scenario)) view.scenario = scenario;
  return view;
}

/**
 * A number with at most `digits` decimals, without trailing zeros.
 * @param {number} value
 * @param {number} digits
 */
const fixed = (value, digits) => String(Number(value.toFixed(digits)));

/**
 * The query string for a view, keeping the parameters this module does not own.
 * @param {string} search the current `location.search`
 * @param {SharedView} view
 * @returns {string} with its leading `?`, or '' when empty
 */
export function sharedViewSearch(search, view) {
  const params = new URLSearchParams(search);
  // `scenario` is read here but written by the planner's tools (scenario-url.js), which open and close
  // scenarios: it is kept as the address has it, so the two never undo each other's writes.
  for (const key of KEYS) if (key !== 'scenario') params.delete(key);
  /** @type {[string, string][]} */
  const owned = [];
  if (view.lang) owned.push(['lang', view.lang]);
  if (view.center) owned.push(['center', `${fixed(view.center[0], 5)},${fixed(view.center[1], 5)}`]);
  if (view.zoom !== undefined) owned.push(['zoom', fixed(view.zoom, 2)]);
  if (view.place) owned.push(['place', `${fixed(view.place[0], 6)},${fixed(view.place[1], 6)}`]);
  if (view.mode === 'plan') owned.push(['mode', 'plan']);
  // Ours first, in a fixed order, so the address reads the same way every time; commas stay readable.
  const rest = params.toString();
  const text = [...owned.map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%2C/g, ',')}`), ...(rest ? [rest] : [])].join('&');
  return text ? `?${text}` : '';
}

/**
 * Keeps the address in step with the view: `update()` merges what changed
 * and rewrites the address (trailing, at most every UPDATE_MS).
 * @param {SharedView} initial what the page starts with
 */
export function createShareLink(initial) {
  /** @type {SharedView} */
  const view = { ...initial };
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let pending;
  let last = 0;
  const write = () => {
    pending = undefined;
    last = Date.now();
    const search = sharedViewSearch(location.search, view);
    if (search !== location.search) history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`);
  };
  return {
    /** The view as last updated. */
    get view() {
      return /** @type {Readonly<SharedView>} */ (view);
    },
    /**
     * Merges part of the view (null removes `place` or `scenario`) and schedules the rewrite.
     * @param {SharedView} part
     */
    update(part) {
      Object.assign(view, part);
      if (pending !== undefined) return;
      pending = setTimeout(write, Math.max(0, UPDATE_MS - (Date.now() - last)));
    },
    /** Writes a pending change now (tests, and before the page is left). */
    flush() {
      if (pending === undefined) return;
      clearTimeout(pending);
      write();
    },
  };
}
