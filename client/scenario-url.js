/**
 * The open scenario in the page's address: `?scenario=ID`, so a reload or a
 * shared link opens the same scenario. Only the `scenario` parameter is
 * read or written here; every other parameter (language, view, ...) is left
 * as it is, and the address is replaced, not pushed (no history entry per
 * scenario opened). A new id is announced as open-scenario.js's event, so
 * the other planner tools (downloads, suggestions on top of it) follow the
 * scenario the editor opens or closes.
 */
import { OPEN_SCENARIO_EVENT } from './open-scenario.js';

const PARAM = 'scenario';

/**
 * The scenario id in an address's query, or null.
 * @param {string} [search] a query string, `location.search` by default
 * @returns {number | null}
 */
export function scenarioInAddress(search = location.search) {
  const value = new URLSearchParams(search).get(PARAM);
  return value && /^[1-9]\d{0,8}$/.test(value) ? Number(value) : null;
}

/**
 * Puts the scenario id into the page's address, or takes it out (null).
 * @param {number | null} id
 */
export function setScenarioInAddress(id) {
  const before = scenarioInAddress();
  const url = new URL(location.href);
  if (id === null) url.searchParams.delete(PARAM);
  else url.searchParams.set(PARAM, String(id));
  if (url.href !== location.href) history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  if (before !== id) window.dispatchEvent(new CustomEvent(OPEN_SCENARIO_EVENT, { detail: { id } }));
}
