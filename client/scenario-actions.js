/**
 * What the planner does to an open scenario beyond editing its changes
 * (planner.js keeps those): the table per level, a live center's actions
 * (remove it, move it, or undo either, from a popup), candidates placed
 * and dragged, and applying the
 * scenario to the live centers after a dialog that says exactly what will
 * change. They share planner.js's state, passed in with its callbacks.
 */
import { applyScenario, fetchScenario, fetchScenarioCoverage } from './api.js';
import { formatNumber, t } from './i18n.js';
import { kindLabel, showError, showNote } from './panel.js';
import { changeText, confirmDialog, formatSigned, renderLevels } from './scenario-panel.js';

/** Coordinates are stored to 7 decimals (about 1 cm), as the API's answers give them. */
const round7 = (/** @type {number} */ x) => Math.round(x * 1e7) / 1e7;

/**
 * planner.js's state, as these actions read and write it.
 * @typedef {{
 *   open: import('./api.js').Scenario | null,
 *   changes: ScenarioChange[],
 *   centers: Map<number, { name: string, kind: string, lon?: number, lat?: number }>,
 *   saving: number,
 *   loadingLevel: boolean,
 *   level: string,
 *   coverage: import('./api.js').ScenarioCoverage | null,
 * }} PlannerState
 * @typedef {import('./api.js').ScenarioChange} ScenarioChange
 */

/**
 * @param {{
 *   state: PlannerState,
 *   scenarioMap: ReturnType<typeof import('./scenario-map.js').createScenarioMap>,
 *   markBusy: () => void,
 *   edit: (changes: ScenarioChange[]) => void,
 *   inputs: { name: HTMLInputElement, kind: HTMLSelectElement },
 *   closeScenario: () => void,
 *   openScenario: (id: number) => Promise<void>,
 *   loadList: () => Promise<void>,
 *   liveChanged: () => void,
 *   saved: () => Promise<unknown>,
 *   renderOpen: () => void,
 *   select: (index: number) => void,
 * }} ctx planner.js's state and what it does (select: a change for the keyboard's moving pad)
 */
export function scenarioActions(ctx) {
  const { state, scenarioMap, markBusy, edit, inputs, closeScenario, openScenario, loadList, liveChanged, saved, renderOpen, select } = ctx;

  /**
   * A live center clicked in an open scenario: remove it, move it, or undo either.
   * @param {import('./scenario-map.js').CenterHit} center
   */
  function centerActions(center) {
    state.centers.set(center.id, { name: center.name, kind: center.kind, lon: center.lngLat[0], lat: center.lngLat[1] });
    const at = state.changes.findIndex((c) => c.op !== 'add' && c.center_id === center.id);
    const title = center.name || t('scenario.center', { id: center.id });
    if (at >= 0 || center.removed) {
      const index = at >= 0 ? at : state.changes.findIndex((c) => c.op === 'remove' && c.center_id === center.id);
      scenarioMap.popup(center.lngLat, title, changeText(state.changes[index] ?? { op: 'remove', center_id: center.id }, state.centers), [
        { label: t('scenario.popup.restore'), run: () => undo(index) },
      ]);
      return;
    }
    scenarioMap.popup(center.lngLat, title, kindLabel(center.kind), [
      { label: t('scenario.popup.remove'), run: () => edit([...state.changes, { op: 'remove', center_id: center.id }]) },
      {
        label: t('scenario.popup.move'),
        run: () => {
          edit([...state.changes, { op: 'move', center_id: center.id, lon: round7(center.lngLat[0]), lat: round7(center.lngLat[1]) }]);
          // Dragged from here, or moved by the keyboard's pad that opens for it.
          select(state.changes.length - 1);
        },
      },
    ]);
  }


  /** The table per level of the open scenario, for the chosen level. */
  async function loadLevel() {
    const open = state.open;
    if (!open) return;
    state.loadingLevel = true;
    markBusy();
    try {
      const coverage = await fetchScenarioCoverage(state.level, open.id);
      // A later edit or level choice answers for itself. The stored changes (the very array) name what the
      // table was asked for: a rename raises the revision but keeps them, and the table with them.
      if (state.open?.id === open.id && state.open.changes === open.changes && coverage.level === state.level) state.coverage = coverage;
    } catch (error) {
      showError(t('scenario.error.coverage'), error);
    } finally {
      state.loadingLevel = false;
      if (state.open) renderLevels(state.coverage);
      markBusy();
    }
  }

  /** Applies the open scenario to the live centers, after the confirmation. */
  async function apply() {
    await saved();
    const scenario = state.open;
    if (!scenario || state.saving > 0) return;
    const count = (/** @type {ScenarioChange['op']} */ op) => scenario.changes.filter((c) => c.op === op).length;
    const counts = { added: count('add'), moved: count('move'), removed: count('remove') };
    if (scenario.changes.length === 0) {
      showNote(t('scenario.nothingToApply'));
      return;
    }
    const fifteen = scenario.summary.circles.find((c) => c.minutes === 15);
    const gained = fifteen?.gained ?? 0;
    const lost = fifteen?.lost ?? 0;
    const ok = await confirmDialog({
      title: t('scenario.applyTitle', { name: scenario.name }),
      lines: [
        t('scenario.applyCenters', { added: counts.added, moved: counts.moved, removed: counts.removed }),
        t('scenario.applyHouseholds', { gained: formatNumber(gained), lost: formatNumber(lost), net: formatSigned(gained - lost) }),
        t('scenario.applyWarning'),
      ],
      confirm: t('scenario.applyConfirm'),
    });
    if (!ok || state.open?.id !== scenario.id) return;
    try {
      const applied = await applyScenario(scenario.id);
      closeScenario();
      liveChanged();
      showNote(t('scenario.applied', { name: scenario.name, added: applied.added.length, moved: applied.moved.length, removed: applied.removed.length }));
      loadList();
    } catch (error) {
      showError(t('scenario.error.apply'), error);
      if (/** @type {{ code?: string }} */ (error)?.code === 'stale_scenario' && state.open?.id === scenario.id) {
        // Evaluated again on the live data as it is now: the planner checks the new figures and applies again.
        showNote(t('scenario.stale'));
        await openScenario(scenario.id);
      }
    }
  }

  /**
   * The open scenario read again (the live data changed under it).
   * @param {number} id
   */
  async function refreshOpen(id) {
    try {
      const scenario = await fetchScenario(id);
      if (state.open?.id !== id || state.saving > 0) return;
      state.open = scenario;
      renderOpen();
      loadLevel();
    } catch (error) {
      showError(t('scenario.error.open'), error);
    }
  }

  /**
   * A candidate at a clicked point, of the kind and name chosen (or numbered).
   * @param {[number, number]} lngLat
   */
  function addCandidate(lngLat) {
    const count = state.changes.filter((c) => c.op === 'add').length;
    const name = inputs.name.value.trim() || t('scenario.candidateDefault', { n: count + 1 });
    const kind = inputs.kind.value;
    edit([...state.changes, { op: 'add', name, kind, lon: round7(lngLat[0]), lat: round7(lngLat[1]) }]);
    inputs.name.value = '';
  }

  /**
   * A marker was dragged: its change takes the new place.
   * @param {number} index
   * @param {[number, number]} lngLat
   */
  function dragged(index, lngLat) {
    const change = state.changes[index];
    if (!change || change.op === 'remove') return;
    edit(state.changes.map((c, i) => (i === index ? { ...change, lon: round7(lngLat[0]), lat: round7(lngLat[1]) } : c)));
  }

  /**
   * Takes a change back out of the scenario.
   * @param {number} index
   */
  function undo(index) {
    edit(state.changes.filter((_, i) => i !== index));
  }

  return { loadLevel, centerActions, apply, refreshOpen, addCandidate, dragged, undo };
}
