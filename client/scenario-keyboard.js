/**
 * Placing and moving a scenario's centers without a mouse. "Add a candidate
 * at the map center" places one where the map is centred (the map pans with
 * the arrow keys once it has focus; a cross marks its center meanwhile),
 * and selects it. A selected candidate or moved center (from its "move"
 * button in the list of changes, or a live center's "move" in its popup)
 * gets the moving pad (#scenario-nudge): the arrow keys or the pad's buttons
 * move it by STEP_M metres (Shift: BIG_STEP_M), or typed coordinates put it
 * anywhere; Escape or "done" ends. Every move is an edit of the scenario,
 * saved at once like a drag, and a polite live region says where it is.
 *
 * Selection is by the change's index in the scenario's changes; an undo
 * that shortens the list ends it (the index could name another change).
 */
import { t } from './i18n.js';
import { byId } from './panel.js';

/** One arrow key press, metres; with Shift, BIG_STEP_M. */
const STEP_M = 10;
const BIG_STEP_M = 100;
/** Metres per degree of latitude (and of longitude at the equator), on the mean earth radius. */
const METRES_PER_DEGREE = 111_195;
/** Decimals the coordinates are shown and typed with (1e-5 degrees: about 1 m). */
const SHOWN_DECIMALS = 5;

/** Arrow keys and buttons: east and north steps. @type {Record<string, [number, number]>} */
const DIRECTIONS = { ArrowUp: [0, 1], ArrowDown: [0, -1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };

/**
 * The place `east` and `north` metres from a point (a local plane: steps are metres to hundreds of metres).
 * @param {[number, number]} lonLat
 * @param {number} east
 * @param {number} north
 * @returns {[number, number]}
 */
export function offsetLonLat([lon, lat], east, north) {
  return [lon + east / (METRES_PER_DEGREE * Math.cos((lat * Math.PI) / 180)), lat + north / METRES_PER_DEGREE];
}

/**
 * @param {{
 *   map: import('maplibre-gl').Map,
 *   state: { changes: import('./api.js').ScenarioChange[], centers: Map<number, { name: string }>, editable: boolean, open: { id: number } | null },
 *   addCandidate: (lngLat: [number, number]) => void,
 *   moveTo: (index: number, lngLat: [number, number]) => void,
 *   render: () => void,
 * }} ctx the map, planner.js's state, adding a candidate, moving a change, and the panel's redraw
 */
export function mountScenarioKeyboard({ map, state, addCandidate, moveTo, render: redraw }) {
  const box = byId('scenario-nudge');
  const pad = byId('scenario-nudge-pad');
  const title = byId('scenario-nudge-title');
  const status = byId('scenario-nudge-status');
  const form = /** @type {HTMLFormElement} */ (byId('scenario-nudge-form'));
  const lonInput = /** @type {HTMLInputElement} */ (byId('scenario-nudge-lon'));
  const latInput = /** @type {HTMLInputElement} */ (byId('scenario-nudge-lat'));
  const problem = byId('scenario-nudge-error');
  const addHere = /** @type {HTMLButtonElement} */ (byId('scenario-candidate-center'));
  const cross = document.createElement('div');
  cross.className = 'map-center-cross';
  cross.setAttribute('aria-hidden', 'true');
  map.getContainer().append(cross);

  /** @type {number | null} the selected change's index */
  let selected = null;
  /** The changes' length when selected: fewer later means an undo, and the index may name another change. */
  let length = 0;
  /** The scenario the selection belongs to. @type {number | null} */
  let scenario = null;

  /** The selected change, while it is one that has a place of its own. */
  const change = () => {
    const c = selected === null ? undefined : state.changes[selected];
    return c && c.op !== 'remove' && state.editable && state.open?.id === scenario ? c : null;
  };
  /** @param {import('./api.js').ScenarioChange} c */
  const nameOf = (c) => (c.op === 'add' ? c.name : (state.centers.get(c.center_id)?.name ?? t('scenario.center', { id: c.center_id })));
  /** @param {number} x */
  const shown = (x) => x.toFixed(SHOWN_DECIMALS);

  /** @param {string} text */
  const say = (text) => {
    problem.textContent = text;
    problem.hidden = text === '';
  };

  /** Draws the pad for the selection (or hides it), and marks the selected marker. */
  function render() {
    if (state.changes.length < length || state.open?.id !== scenario) selected = null;
    length = state.changes.length;
    const c = change();
    if (!c) selected = null;
    box.hidden = !c;
    for (const marker of document.querySelectorAll('.scenario-marker')) {
      marker.classList.toggle('selected', c !== null && /** @type {HTMLElement} */ (marker).dataset.index === String(selected));
    }
    if (!c) return;
    title.textContent = t('scenario.nudge.title', { name: nameOf(c) });
    // Typed coordinates are kept while the planner types them.
    if (!form.contains(document.activeElement)) {
      lonInput.value = shown(c.lon);
      latInput.value = shown(c.lat);
    }
    for (const button of pad.querySelectorAll('button[data-direction]')) {
      const direction = /** @type {HTMLElement} */ (button).dataset.direction ?? '';
      button.setAttribute('aria-label', t(`scenario.nudge.${direction}`, { m: STEP_M }));
    }
  }

  /**
   * Selects a change for moving (null: none), and puts the keyboard on the pad.
   * @param {number | null} index
   * @param {{ focus?: boolean }} [options]
   */
  function select(index, { focus = true } = {}) {
    selected = index;
    length = state.changes.length;
    scenario = state.open?.id ?? null;
    say('');
    status.textContent = '';
    redraw();
    if (focus && change()) /** @type {HTMLElement} */ (pad.querySelector('button'))?.focus();
  }

  /**
   * Moves the selected change to a place.
   * @param {[number, number]} lngLat
   */
  function place(lngLat) {
    const c = change();
    if (!c || selected === null) return;
    moveTo(selected, lngLat);
    // Typed coordinates may be anywhere: the map follows the center it moved.
    if (!map.getBounds().contains(lngLat)) map.easeTo({ center: lngLat, duration: 300 });
    const now = change();
    if (now) status.textContent = t('scenario.nudge.moved', { name: nameOf(now), lon: shown(now.lon), lat: shown(now.lat) });
  }

  /**
   * @param {string} key an arrow key's name
   * @param {boolean} big Shift held
   */
  function step(key, big) {
    const c = change();
    const direction = DIRECTIONS[key];
    if (!c || !direction) return;
    const metres = big ? BIG_STEP_M : STEP_M;
    place(offsetLonLat([c.lon, c.lat], direction[0] * metres, direction[1] * metres));
  }

  function done() {
    const index = selected;
    select(null, { focus: false });
    // Back to the change's own "move" button, where the keyboard was before.
    /** @type {HTMLElement | null} */ (document.querySelector(`#scenario-changes [data-select-index="${index}"]`))?.focus();
  }

  pad.addEventListener('keydown', (event) => {
    if (event.key in DIRECTIONS) {
      event.preventDefault();
      step(event.key, event.shiftKey);
    }
  });
  pad.addEventListener('click', (event) => {
    const button = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (event.target).closest('button[data-direction]'));
    const key = { north: 'ArrowUp', south: 'ArrowDown', west: 'ArrowLeft', east: 'ArrowRight' }[button?.dataset.direction ?? ''];
    if (key) step(key, event.shiftKey);
  });
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      done();
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const lon = Number(lonInput.value);
    const lat = Number(latInput.value);
    if (lonInput.value.trim() === '' || !Number.isFinite(lon) || lon < -180 || lon > 180) {
      say(t('scenario.nudge.badLon'));
      lonInput.focus();
      return;
    }
    if (latInput.value.trim() === '' || !Number.isFinite(lat) || lat < -90 || lat > 90) {
      say(t('scenario.nudge.badLat'));
      latInput.focus();
      return;
    }
    say('');
    place([lon, lat]);
    lonInput.value = shown(lon);
    latInput.value = shown(lat);
  });
  byId('scenario-nudge-done').addEventListener('click', done);

  // The cross at the map's center shows where "add at the map center" puts a candidate.
  const aim = (/** @type {boolean} */ on) => map.getContainer().classList.toggle('aiming', on && state.editable && state.open !== null);
  for (const target of [addHere, map.getCanvas()]) {
    target.addEventListener('focus', () => aim(true));
    target.addEventListener('blur', () => aim(false));
  }
  addHere.addEventListener('mouseenter', () => aim(true));
  addHere.addEventListener('mouseleave', () => aim(document.activeElement === addHere));
  addHere.addEventListener('click', () => {
    if (!state.open || !state.editable) return;
    const center = map.getCenter();
    addCandidate([center.lng, center.lat]);
    select(state.changes.length - 1);
  });

  return {
    render,
    select,
    /** The selected change's index, or null. */
    selected: () => selected,
  };
}
