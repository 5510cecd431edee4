/**
 * Planner tools (#planner in index.html): the sign-in, then scenarios. A
 * signed-in planner makes and names scenarios, lists and opens them, and
 * inside one adds candidate centers by clicking the map (kind and name
 * chosen first) or at the map's center, drags them or moves them by the
 * keyboard (scenario-keyboard.js), removes or moves live centers by
 * clicking them, and renames it (scenario-rename.js); every edit is saved
 * at once (PATCH, the revision goes up) and the map, the summary and the
 * table per level follow. Applying a scenario writes it to the live
 * centers after a dialog that says what will change.
 *
 * Anonymous residents see only the sign-in button, at the bottom of the
 * panel; a scenario in the address (?scenario=ID, scenario-url.js) opens
 * read-only for them (scenarios by id are public).
 *
 * app.js mounts this once and asks plannerTakesClick() first on every map
 * click; the overlay's tile URLs go through scenario-map.js's overlayTemplates().
 */
import { createScenario, deleteScenario, fetchScenario, fetchScenarios, updateScenario } from './api.js';
import { onLanguageChange, t } from './i18n.js';
import { byId, showError } from './panel.js';
import { createPlannerSession } from './planner-session.js';
import { createScenarioMap, isMarkerClick } from './scenario-map.js';
import {
  confirmDialog,
  renderChanges,
  renderLevels,
  renderScenarioHead,
  renderScenarioLegend,
  renderScenarioList,
  renderSummary,
} from './scenario-panel.js';
import { scenarioActions } from './scenario-actions.js';
import { mountScenarioKeyboard } from './scenario-keyboard.js';
import { changesBounds, learnCenters } from './scenario-places.js';
import { mountRename } from './scenario-rename.js';
import { scenarioInAddress, setScenarioInAddress } from './scenario-url.js';
import { onScenarioOpened } from './open-scenario.js';

/**
 * @typedef {import('./api.js').Scenario} Scenario
 * @typedef {import('./api.js').ScenarioChange} ScenarioChange
 * @typedef {import('./api.js').ScenarioCoverage} ScenarioCoverage
 * @typedef {import('./api.js').ScenarioListed} ScenarioListed
 * @typedef {import('maplibre-gl').MapMouseEvent} MapMouseEvent
 */


/** @type {((event: MapMouseEvent) => boolean) | null} */
let clickHandler = null;

/**
 * Whether the planner tools used this map click (placing a candidate,
 * opening a center's scenario actions, ending a marker's drag); app.js
 * does its own with the click otherwise.
 * @param {MapMouseEvent} event
 */
export function plannerTakesClick(event) {
  return clickHandler ? clickHandler(event) : false;
}

/**
 * @param {{
 *   map: import('maplibre-gl').Map,
 *   tiles: { catalog: import('./map-style.js').Catalog, basemap: import('./api.js').TileJson | null, overlay: import('./api.js').TileJson | null },
 *   refreshOverlay: (version: string | number) => void,
 *   liveChanged: () => void,
 *   events: EventSource | null,
 * }} app what the planner tools need of the app: the map, its tiles, a reload of the
 *   overlay, what to do after the live centers changed, and the change stream
 */
export function mountPlanner(app) {
  const state = {
    /** @type {ScenarioListed[] | null} */
    list: null,
    /** @type {Scenario | null} the open scenario as last saved (or read) */
    open: null,
    /** @type {ScenarioChange[]} its changes as edited here (ahead of `open` while a save runs) */
    changes: [],
    editable: false,
    saving: 0,
    loadingLevel: false,
    adding: false,
    level: 'district',
    /** @type {ScenarioCoverage | null} */
    coverage: null,
    /** @type {Map<number, { name: string, kind: string, lon?: number, lat?: number }>} live centers the changes name */
    centers: new Map(),
  };
  /** @type {Promise<unknown>} edits are saved one after another, in order */
  let saves = Promise.resolve();
  /** @type {ScenarioChange[]} the changes as last stored (the very array, so a queued save finds nothing new) */
  let stored = [];

  const scenarioMap = createScenarioMap({ map: app.map, tiles: app.tiles, refreshOverlay: app.refreshOverlay, onDrag: (index, lngLat) => dragged(index, lngLat) });
  const session = createPlannerSession(signedInOrOut);
  const section = byId('planner');
  const kindSelect = /** @type {HTMLSelectElement} */ (byId('scenario-candidate-kind'));
  const nameInput = /** @type {HTMLInputElement} */ (byId('scenario-candidate-name'));
  const addButton = byId('scenario-candidate-add');
  const compare = /** @type {HTMLInputElement} */ (byId('scenario-compare'));
  const levelSelect = /** @type {HTMLSelectElement} */ (byId('scenario-level'));
  // The table per level, a live center's scenario actions, and apply (scenario-actions.js).
  const { loadLevel, centerActions, apply, refreshOpen, addCandidate, dragged, undo } = scenarioActions({
    state,
    scenarioMap,
    markBusy: () => markBusy(),
    edit: (changes) => edit(changes),
    inputs: { name: nameInput, kind: kindSelect },
    closeScenario: () => closeScenario(),
    openScenario: (id) => openScenario(id),
    loadList: () => loadList(),
    liveChanged: () => app.liveChanged(),
    saved: () => saves,
    renderOpen: () => renderOpen(),
    select: (index) => keyboard.select(index),
  });
  // Without a mouse: a candidate at the map's center, a selected change moved by keys or coordinates.
  const keyboard = mountScenarioKeyboard({ map: app.map, state, addCandidate, moveTo: dragged, render: () => render() });
  const rename = mountRename({ state, queued, renamed: () => render() });

  // ----- what the panel shows -----

  /** Busy while an edit is saved or a table loads: tests and screen readers wait for "false". */
  function markBusy() {
    byId('scenarios').dataset.busy = String(state.saving > 0 || state.loadingLevel);
  }

  /**
   * Signed in or a scenario open: the section sits under the messages; else
   * only the sign-in button shows, at the end of the panel.
   */
  function placeSection() {
    const active = session.current() !== null || state.open !== null;
    section.classList.toggle('signed-out', !active);
    const panel = byId('panel');
    const messages = byId('messages');
    if (active && messages.nextElementSibling !== section) messages.after(section);
    else if (!active && panel.lastElementChild !== section) panel.append(section);
    byId('scenarios').hidden = !active;
    byId('scenario-list-view').hidden = !state.editable || state.open !== null;
    byId('scenario-editor').hidden = state.open === null;
    for (const id of ['scenario-tools', 'scenario-apply']) byId(id).hidden = !state.editable;
  }

  function renderOpen() {
    if (!state.open) return;
    const status = state.saving > 0 ? t('scenario.saving') : state.editable ? t('scenario.saved') : t('scenario.readOnly');
    renderScenarioHead(state.open, status);
    keyboard.render();
    renderChanges(state.changes, state.centers, { editable: state.editable, undo, select: (i) => keyboard.select(i), selected: keyboard.selected() });
    renderSummary(state.open);
    renderLevels(state.coverage);
    renderScenarioLegend();
    addButton.setAttribute('aria-pressed', String(state.adding));
    addButton.textContent = t(state.adding ? 'scenario.addToolActive' : 'scenario.addTool');
    app.map.getCanvas().style.cursor = state.adding ? 'crosshair' : '';
  }

  function render() {
    placeSection();
    renderScenarioList(state.list, { open: (id) => openScenario(id, { frame: true }), remove: removeScenario });
    renderOpen();
    rename.render();
    markBusy();
  }

  // ----- signing in and out -----

  /** @param {import('./api.js').Session | null} who */
  function signedInOrOut(who) {
    state.editable = who !== null;
    if (who) {
      loadList();
      const wanted = scenarioInAddress();
      if (wanted !== null && state.open?.id !== wanted) openScenario(wanted);
      else if (state.open) showOpen();
    } else if (state.open) {
      closeScenario();
    }
    render();
  }

  async function loadList() {
    try {
      state.list = (await fetchScenarios()).scenarios;
    } catch (error) {
      state.list = [];
      showError(t('scenario.error.list'), error);
    }
    renderScenarioList(state.list, { open: (id) => openScenario(id, { frame: true }), remove: removeScenario });
  }

  // ----- opening, closing, making and deleting scenarios -----

  /** Shows the open scenario on the map and in the panel. */
  function showOpen() {
    if (!state.open) return;
    scenarioMap.showTiles(state.open);
    scenarioMap.setMarkers(state.changes, state.centers, state.editable);
    render();
  }

  /**
   * @param {number} id
   * @param {{ frame?: boolean }} [options] frame: show the changes on the map
   */
  async function openScenario(id, options = {}) {
    try {
      const scenario = await fetchScenario(id);
      state.open = scenario;
      state.changes = stored = scenario.changes;
      state.coverage = null;
      setScenarioInAddress(id);
      await learnCenters(state.changes, state.centers);
      const bounds = options.frame ? changesBounds(state.changes, state.centers) : null;
      if (bounds) app.map.fitBounds(bounds, { padding: 80, maxZoom: 15, duration: 0 });
      showOpen();
      loadLevel();
    } catch (error) {
      showError(t('scenario.error.open'), error);
      if (state.open?.id !== id) setScenarioInAddress(state.open?.id ?? null);
    }
  }

  function closeScenario() {
    state.open = null;
    state.changes = [];
    state.coverage = null;
    state.adding = false;
    compare.checked = false;
    scenarioMap.clear();
    app.map.getCanvas().style.cursor = '';
    setScenarioInAddress(null);
    render();
  }

  /** @param {string} typed */
  async function newScenario(typed) {
    const name = typed || t('scenario.defaultName', { n: (state.list?.length ?? 0) + 1 });
    try {
      const scenario = await createScenario({ name, changes: [] });
      state.list = [...(state.list ?? []), scenario];
      /** @type {HTMLInputElement} */ (byId('scenario-new-name')).value = '';
      state.open = scenario;
      state.changes = stored = scenario.changes;
      state.coverage = null;
      setScenarioInAddress(scenario.id);
      showOpen();
      loadLevel();
    } catch (error) {
      showError(t('scenario.error.create'), error);
    }
  }

  /** @param {ScenarioListed} scenario */
  async function removeScenario(scenario) {
    const ok = await confirmDialog({ title: t('scenario.deleteTitle', { name: scenario.name }), lines: [t('scenario.deleteText')], confirm: t('scenario.deleteConfirm') });
    if (!ok) return;
    try {
      await deleteScenario(scenario.id);
      state.list = (state.list ?? []).filter((s) => s.id !== scenario.id);
      render();
    } catch (error) {
      showError(t('scenario.error.delete'), error);
    }
  }

  // ----- editing: every edit saved at once -----

  /**
   * The changes as edited now: drawn at once, saved behind.
   * @param {ScenarioChange[]} changes
   */
  function edit(changes) {
    if (!state.open) return;
    state.changes = changes;
    scenarioMap.setMarkers(state.changes, state.centers, state.editable);
    const id = state.open.id;
    queued(() => save(id));
  }

  /**
   * Runs a save after the ones before it (it must not throw: each says its
   * own failure), the panel saying "saving" meanwhile.
   * @param {() => Promise<void>} work
   */
  function queued(work) {
    state.saving++;
    render();
    saves = saves.then(work).finally(() => {
      state.saving--;
      if (state.open) renderOpen();
      markBusy();
    });
    return saves;
  }

  /**
   * Saves the changes as they are when its turn comes (later edits in the
   * queue then find nothing new to send).
   * @param {number} id
   */
  async function save(id) {
    if (state.open?.id !== id) return;
    const sent = state.changes;
    if (sent === stored) return;
    try {
      const scenario = await updateScenario(id, { changes: sent });
      if (state.open?.id !== id) return;
      state.open = scenario;
      stored = sent;
      if (state.changes === sent) {
        scenarioMap.showTiles(scenario);
        await loadLevel();
      }
    } catch (error) {
      showError(t('scenario.error.save'), error);
      if (state.open?.id === id) {
        // Back to what is stored: the map and the list show what the scenario holds.
        state.changes = stored = state.open.changes;
        scenarioMap.setMarkers(state.changes, state.centers, state.editable);
      }
    }
  }

  clickHandler = (event) => {
    if (!state.open || !state.editable) return false;
    if (isMarkerClick(event)) return true;
    if (state.adding) {
      addCandidate([event.lngLat.lng, event.lngLat.lat]);
      return true;
    }
    const center = scenarioMap.centerAt(event.point);
    if (!center) return false;
    centerActions(center);
    return true;
  };

  // ----- controls -----

  byId('scenario-create').addEventListener('submit', (event) => {
    event.preventDefault();
    newScenario(/** @type {HTMLInputElement} */ (byId('scenario-new-name')).value.trim());
  });
  byId('scenario-close').addEventListener('click', closeScenario);
  addButton.addEventListener('click', () => {
    state.adding = !state.adding;
    renderOpen();
  });
  compare.addEventListener('change', () => scenarioMap.setSwipe(compare.checked));
  levelSelect.addEventListener('change', () => {
    state.level = levelSelect.value;
    state.coverage = null;
    renderLevels(null);
    loadLevel();
  });
  byId('scenario-apply').addEventListener('click', apply);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && state.adding) {
      state.adding = false;
      renderOpen();
    }
  });
  onLanguageChange(() => {
    session.render();
    render();
    scenarioMap.relabel();
  });
  // The live data changed (here or elsewhere): the open scenario is evaluated again on it.
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let pending;
  app.events?.addEventListener('change', (/** @type {MessageEvent} */ event) => {
    // The change's data version names the live tiles (as TileJSON does), so shared caches keep them.
    const version = JSON.parse(event.data)?.version;
    clearTimeout(pending);
    pending = setTimeout(() => {
      scenarioMap.liveChanged(typeof version === 'string' && version ? version : Date.now());
      if (state.open && state.saving === 0) refreshOpen(state.open.id);
    }, 300);
  });

  // A scenario opened elsewhere on the page (a suggestion stored as one) opens here too.
  onScenarioOpened((id) => {
    if (id !== null && id !== state.open?.id) openScenario(id, { frame: true });
  });

  render();
  session.resume().then(() => {
    // Read-only for anyone who is not signed in: a scenario is public by its id.
    const wanted = scenarioInAddress();
    if (!session.current() && wanted !== null) openScenario(wanted);
  });
}
