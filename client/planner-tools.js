/**
 * The planner's tools in the panel, mounted by app.js with one call: site
 * suggestions (suggest-panel.js), downloads of tables and households
 * (exports.js) and the printable report (print-report.js). They share a
 * small state: the scenario that is open (open-scenario.js: the address's
 * `?scenario=` and the `living-circle:open-scenario` event) and the last
 * suggestion.
 */
import { mountExports } from './exports.js';
import { onScenarioOpened, scenarioInAddress } from './open-scenario.js';
import { mountReport } from './print-report.js';
import { mountSuggestPanel } from './suggest-panel.js';

/**
 * @typedef {{
 *   scenario: number | null,
 *   suggestion: import('./api.js').Suggestion | null,
 *   setSuggestion(answer: import('./api.js').Suggestion | null): void,
 *   onChange(listener: (what: 'scenario' | 'suggestion') => void): void,
 * }} PlannerState
 */

/** @returns {PlannerState} */
function createPlannerState() {
  /** @type {Set<(what: 'scenario' | 'suggestion') => void>} */
  const listeners = new Set();
  /** @param {'scenario' | 'suggestion'} what */
  const changed = (what) => listeners.forEach((listener) => listener(what));
  /** @type {PlannerState} */
  const state = {
    scenario: scenarioInAddress(),
    suggestion: null,
    setSuggestion(answer) {
      state.suggestion = answer;
      changed('suggestion');
    },
    onChange(listener) {
      listeners.add(listener);
    },
  };
  onScenarioOpened((id) => {
    state.scenario = id;
    changed('scenario');
  });
  return state;
}

/**
 * Mounts the suggestions, the exports and the report on their sections of index.html.
 * @param {{ map: import('maplibre-gl').Map, level: () => string }} app the map, and the coverage table's level
 */
export function mountPlannerTools({ map, level }) {
  const state = createPlannerState();
  mountSuggestPanel(map, state);
  mountExports(map, state, level);
  mountReport(map, state);
}
