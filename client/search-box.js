/**
 * The search box: an ARIA 1.2 combobox (an input that controls a listbox of
 * results). It searches as the person types, after a short pause, and
 * aborts a request the next keystroke made stale; it never sends what the
 * server would refuse (nothing, or more than MAX_QUERY_CHARS characters:
 * a hint says so instead). While a Chinese input method is composing
 * (pinyin letters not yet turned into characters) it waits for the
 * characters, and Enter confirms the composition, not a result.
 *
 * Keys: ArrowDown/ArrowUp move through the results (the active one is the
 * input's aria-activedescendant, so focus stays in the input), Enter
 * chooses the active result (or the first), Escape closes the list (and
 * clears the text when it is closed already, as a search input does).
 */
import { t } from './i18n.js';

/** Longest query the server takes, in characters (code points): GET /api/search answers 400 beyond. */
export const MAX_QUERY_CHARS = 64;
/** Pause after the last keystroke before searching, ms. */
const DEBOUNCE_MS = 200;
/** Results asked for. */
const LIMIT = 8;

/**
 * The text to send: trimmed, or why nothing is sent.
 * @param {string} raw what the input holds
 * @returns {{ q: string } | { skip: 'empty' | 'long', length: number }}
 */
export function searchText(raw) {
  const q = raw.trim();
  const length = [...q].length;
  if (length === 0) return { skip: 'empty', length };
  if (length > MAX_QUERY_CHARS) return { skip: 'long', length };
  return { q };
}

/**
 * @template R
 * @typedef {{
 *   input: HTMLInputElement,
 *   list: HTMLElement,
 *   status: HTMLElement,
 *   search: (q: string, signal: AbortSignal) => Promise<R[]>,
 *   renderOption: (result: R) => (Node | string)[],
 *   label: (result: R) => string,
 *   onChoose: (result: R) => void,
 *   onError: (error: unknown) => void,
 * }} SearchBoxOptions
 */

/**
 * Wires the combobox. Returns `rerender()` for a language change.
 * @template R
 * @param {SearchBoxOptions<R>} options
 */
export function createSearchBox({ input, list, status, search, renderOption, label, onChoose, onError }) {
  /** @type {R[]} */
  let results = [];
  let active = -1;
  /** @type {AbortController | undefined} */
  let inFlight;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** The status line as a key and its parameters, so a language change can say it again. @type {[string, Record<string, string | number>] | null} */
  let said = null;

  /** @param {[string, Record<string, string | number>] | null} message */
  const say = (message) => {
    said = message;
    status.textContent = message ? t(message[0], message[1]) : '';
  };

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };

  /** @param {number} index */
  const activate = (index) => {
    const options = list.querySelectorAll('[role="option"]');
    active = index;
    options.forEach((option, i) => option.setAttribute('aria-selected', String(i === index)));
    const current = options[index];
    if (current) {
      input.setAttribute('aria-activedescendant', current.id);
      current.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  };

  const render = () => {
    list.replaceChildren(
      ...results.map((result, i) => {
        const option = document.createElement('li');
        option.id = `${list.id}-${i}`;
        option.setAttribute('role', 'option');
        option.setAttribute('aria-selected', String(i === active));
        option.append(...renderOption(result));
        // Keep focus in the input: the choice is made on click.
        option.addEventListener('mousedown', (event) => event.preventDefault());
        option.addEventListener('click', () => choose(i));
        return option;
      }),
    );
    const open = results.length > 0;
    list.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    if (active >= 0) activate(active);
  };

  /** @param {number} index */
  const choose = (index) => {
    const result = results[index];
    if (result === undefined) return;
    input.value = label(result);
    close();
    say(null);
    onChoose(result);
  };

  const run = async () => {
    timer = undefined;
    inFlight?.abort();
    inFlight = undefined;
    const text = searchText(input.value);
    if ('skip' in text) {
      results = [];
      close();
      say(text.skip === 'long' ? ['search.tooLong', { max: MAX_QUERY_CHARS, length: text.length }] : null);
      return;
    }
    const controller = new AbortController();
    inFlight = controller;
    try {
      const found = await search(text.q, controller.signal);
      if (controller.signal.aborted) return;
      results = found;
      active = -1;
      render();
      say(found.length > 0 ? ['search.count', { n: found.length }] : ['search.none', { q: text.q }]);
    } catch (error) {
      if (controller.signal.aborted) return;
      results = [];
      close();
      say(null);
      onError(error);
    } finally {
      if (inFlight === controller) inFlight = undefined;
    }
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  };

  input.addEventListener('input', (event) => {
    // Pinyin being composed: wait for the characters (compositionend).
    if (/** @type {InputEvent} */ (event).isComposing) return;
    schedule();
  });
  input.addEventListener('compositionend', schedule);
  input.addEventListener('keydown', (event) => {
    if (event.isComposing) return;
    const count = results.length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (count === 0) return;
      event.preventDefault();
      if (list.hidden) render();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      activate(active < 0 ? (step > 0 ? 0 : count - 1) : (active + step + count) % count);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (timer !== undefined) {
        // Typed and pressed Enter at once: search now; Enter again chooses.
        clearTimeout(timer);
        run();
        return;
      }
      if (!list.hidden && count > 0) choose(active >= 0 ? active : 0);
    } else if (event.key === 'Escape') {
      if (!list.hidden) {
        event.preventDefault();
        close();
      }
    }
  });
  input.addEventListener('blur', () => close());
  input.addEventListener('focus', () => {
    if (results.length > 0 && 'q' in searchText(input.value)) render();
  });

  return {
    /** Draws the options and the status line again in the current language. */
    rerender() {
      if (!list.hidden) render();
      say(said);
    },
    /**
     * A message in the status line under the box (e.g. from "use my location"), or null to clear it.
     * @param {[string, Record<string, string | number>] | null} message
     */
    say,
  };
}
