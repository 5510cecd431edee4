/**
 * Renaming the open scenario (#scenario-rename and its form in index.html):
 * the heading's "rename" button opens a one-field form in its place, Enter
 * saves (PATCH /api/scenarios/{id} with the name alone: the changes and the
 * summary stay, the revision goes up), Escape or cancel closes it. An empty
 * name is refused here with a message, as the server would refuse it. The
 * rename joins the queue of edits being saved, so revisions follow one another.
 */
import { updateScenario } from './api.js';
import { t } from './i18n.js';
import { byId, showError, showNote } from './panel.js';

/** The server's longest scenario name, in UTF-16 units as its schema counts them. */
const MAX_NAME = 200;

/**
 * @param {{
 *   state: { open: import('./api.js').Scenario | null, list: import('./api.js').ScenarioListed[] | null, editable: boolean },
 *   queued: (work: () => Promise<void>) => Promise<unknown>,
 *   renamed: () => void,
 * }} ctx planner.js's state, its queue of saves, and a redraw after a rename
 */
export function mountRename({ state, queued, renamed }) {
  const button = /** @type {HTMLButtonElement} */ (byId('scenario-rename'));
  const form = /** @type {HTMLFormElement} */ (byId('scenario-rename-form'));
  const input = /** @type {HTMLInputElement} */ (byId('scenario-rename-input'));
  const submit = /** @type {HTMLButtonElement} */ (form.querySelector('button[type="submit"]'));
  const problem = byId('scenario-rename-error');
  let editing = false;
  let busy = false;

  /** @param {string} text an error under the field, or '' for none */
  const say = (text) => {
    problem.textContent = text;
    problem.hidden = text === '';
    if (text) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };

  function render() {
    const can = state.editable && state.open !== null;
    if (!can) editing = false;
    button.hidden = !can || editing;
    form.hidden = !editing;
    byId('scenario-name').hidden = editing;
    submit.disabled = busy;
    if (!editing) say('');
  }

  function open() {
    if (!state.open) return;
    editing = true;
    input.value = state.open.name;
    render();
    input.focus();
    input.select();
  }

  /** @param {boolean} focusButton */
  function close(focusButton) {
    editing = false;
    render();
    if (focusButton) button.focus();
  }

  async function save() {
    const scenario = state.open;
    if (!scenario || busy) return;
    const name = input.value.trim();
    if (name === '') {
      say(t('scenario.renameEmpty'));
      input.focus();
      return;
    }
    if (name.length > MAX_NAME) {
      say(t('scenario.renameTooLong', { max: MAX_NAME }));
      input.focus();
      return;
    }
    if (name === scenario.name) {
      close(true);
      return;
    }
    busy = true;
    render();
    await queued(async () => {
      try {
        const answer = await updateScenario(scenario.id, { name });
        if (state.open?.id === scenario.id) {
          // Only the name is new: the changes (and the tables evaluated for them) stay as they are.
          state.open = { ...state.open, name: answer.name, revision: answer.revision, updated_at: answer.updated_at };
        }
        state.list = state.list?.map((s) => (s.id === scenario.id ? { ...s, name: answer.name, revision: answer.revision, updated_at: answer.updated_at } : s)) ?? null;
        busy = false;
        close(true);
        renamed();
        showNote(t('scenario.renamed', { name: answer.name }));
      } catch (error) {
        busy = false;
        render();
        showError(t('scenario.error.rename'), error);
        input.focus();
      }
    });
  }

  button.addEventListener('click', open);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    save();
  });
  byId('scenario-rename-cancel').addEventListener('click', () => close(true));
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      // The planner's other Escape (the add tool) must not see it.
      event.stopPropagation();
      close(true);
    }
  });
  input.addEventListener('input', () => say(''));

  return {
    render,
    /** Closes the form without saving (the scenario was closed or another opened). */
    reset() {
      editing = false;
      render();
    },
  };
}
