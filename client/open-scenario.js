/**
 * Which scenario the page shows, shared by the modules that read or open
 * one without importing each other: `?scenario=ID` in the address, and the
 * `living-circle:open-scenario` event on window (`detail: { id }`, id null
 * when the scenario is closed). Whoever opens a scenario (the scenario
 * editor, a suggestion stored as a scenario) sends the event; whoever shows
 * one listens.
 */

/** The event that opens (or, with id null, closes) a scenario on the page. */
export const OPEN_SCENARIO_EVENT = 'living-circle:open-scenario';

/**
 * A scenario id from text or a number, or null.
 * @param {unknown} value
 * @returns {number | null}
 */
export function scenarioId(value) {
  if (value === null || value === undefined || value === '') return null;
  const id = Number(value);
  return Number.isInteger(id) && id > 0 ? id : null;
}

/** The scenario in the address, or null. */
export function scenarioInAddress() {
  return scenarioId(new URLSearchParams(location.search).get('scenario'));
}

/**
 * Opens a scenario on the page: puts it in the address (a reload or a
 * shared link shows it) with history.replaceState, and sends the event.
 * @param {number} id
 */
export function openScenario(id) {
  const url = new URL(location.href);
  url.searchParams.set('scenario', String(id));
  history.replaceState(history.state, '', url);
  window.dispatchEvent(new CustomEvent(OPEN_SCENARIO_EVENT, { detail: { id } }));
}

/**
 * Calls `listener` with the id of each scenario opened (null when closed).
 * @param {(id: number | null) => void} listener
 */
export function onScenarioOpened(listener) {
  window.addEventListener(OPEN_SCENARIO_EVENT, (event) => listener(scenarioId(/** @type {CustomEvent<{ id?: unknown } | null>} */ (event).detail?.id)));
}
