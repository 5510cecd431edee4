/**
 * The panel as a bottom sheet on phones (narrower than PHONE_QUERY): over
 * the map's lower part, in three heights. Collapsed, it shows its handle,
 * the title row and the search box (the map gets the rest of the screen);
 * half, the answer card beside a map still half visible; full, everything.
 *
 * The handle is a button (aria-expanded, aria-controls): a tap or Enter
 * toggles collapsed and half, ArrowUp and ArrowDown step through the
 * heights, and dragging it (a finger or a mouse) resizes the sheet, which
 * settles at the nearest height. What the collapsed sheet hides is `inert`,
 * so keyboard focus never lands on something out of sight.
 *
 * On wider screens the panel is the side panel and none of this applies.
 * The heights and the media query live here; style.css draws them
 * (`#panel[data-sheet]` under the same query).
 */

/** Where the phone layout starts: narrower than 600 CSS pixels. */
export const PHONE_QUERY = '(max-width: 599.98px)';
/** A press that moves less than this is a tap, px. */
const TAP_SLOP_PX = 6;
/** The half-open sheet's share of the screen's height. */
const HALF_SHARE = 0.5;
/** Map left visible above the full sheet, px. */
const FULL_GAP_PX = 56;

/** @typedef {'collapsed' | 'half' | 'full'} SheetState */
const STATES = /** @type {SheetState[]} */ (['collapsed', 'half', 'full']);

/**
 * @param {{
 *   panel: HTMLElement,
 *   handle: HTMLButtonElement,
 *   peek: HTMLElement,
 *   hidden: () => Element[],
 *   onChange?: (state: SheetState) => void,
 * }} options `peek`: the last element the collapsed sheet shows; `hidden`: what it hides (asked each time)
 */
export function createBottomSheet({ panel, handle, peek, hidden, onChange }) {
  const phone = matchMedia(PHONE_QUERY);
  /** @type {SheetState} */
  let state = 'collapsed';
  let peekPx = 0;

  /** The sheet's height in each state, px. */
  const heights = () => {
    const screen = window.innerHeight;
    return { collapsed: peekPx, half: Math.max(peekPx, Math.round(screen * HALF_SHARE)), full: Math.max(peekPx, screen - FULL_GAP_PX) };
  };

  /** How tall the collapsed sheet is: down to the bottom of `peek`, measured with the sheet at full height. */
  const measure = () => {
    if (!phone.matches) return;
    const top = panel.getBoundingClientRect().top - panel.scrollTop;
    const next = Math.ceil(peek.getBoundingClientRect().bottom - top + 8);
    if (next === peekPx || next <= 0) return;
    peekPx = next;
    document.documentElement.style.setProperty('--sheet-peek', `${peekPx}px`);
    if (state === 'collapsed') panel.style.height = `${peekPx}px`;
  };

  const apply = () => {
    if (!phone.matches) {
      delete panel.dataset.sheet;
      panel.style.height = '';
      handle.removeAttribute('aria-expanded');
      for (const element of hidden()) /** @type {HTMLElement} */ (element).inert = false;
      document.documentElement.style.removeProperty('--sheet-peek');
      return;
    }
    measure();
    panel.dataset.sheet = state;
    panel.style.height = `${heights()[state]}px`;
    handle.setAttribute('aria-expanded', String(state !== 'collapsed'));
    const collapsed = state === 'collapsed';
    const below = hidden();
    if (collapsed && below.some((element) => element.contains(document.activeElement))) handle.focus();
    for (const element of below) /** @type {HTMLElement} */ (element).inert = collapsed;
    if (collapsed) panel.scrollTop = 0;
  };

  /** @param {SheetState} next */
  const set = (next) => {
    const changed = next !== state;
    state = next;
    apply();
    if (changed && phone.matches) onChange?.(state);
  };

  handle.addEventListener('click', () => {
    // The click a mouse sends at the end of a drag is not a tap.
    if (performance.now() < ignoreClicksUntil) return;
    set(state === 'collapsed' ? 'half' : 'collapsed');
  });
  handle.addEventListener('keydown', (event) => {
    const step = { ArrowUp: 1, ArrowDown: -1 }[event.key];
    if (step === undefined || !phone.matches) return;
    event.preventDefault();
    const index = Math.min(STATES.length - 1, Math.max(0, STATES.indexOf(state) + step));
    set(STATES[index] ?? state);
  });

  // Dragging the handle: the sheet follows the pointer, then settles at the nearest height.
  let dragged = false;
  let ignoreClicksUntil = 0;
  /** @type {{ id: number, y: number, height: number } | null} */
  let drag = null;
  handle.addEventListener('pointerdown', (event) => {
    if (!phone.matches || event.button !== 0) return;
    drag = { id: event.pointerId, y: event.clientY, height: panel.getBoundingClientRect().height };
    dragged = false;
    handle.setPointerCapture(event.pointerId);
  });
  handle.addEventListener('pointermove', (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    const dy = drag.y - event.clientY;
    if (!dragged && Math.abs(dy) < TAP_SLOP_PX) return;
    dragged = true;
    panel.classList.add('dragging');
    const { collapsed, full } = heights();
    panel.style.height = `${Math.min(full, Math.max(collapsed, drag.height + dy))}px`;
  });
  const endDrag = (/** @type {PointerEvent} */ event) => {
    if (!drag || event.pointerId !== drag.id) return;
    drag = null;
    panel.classList.remove('dragging');
    if (!dragged) return;
    ignoreClicksUntil = performance.now() + 300;
    const height = panel.getBoundingClientRect().height;
    const all = heights();
    const nearest = STATES.reduce((a, b) => (Math.abs(all[b] - height) < Math.abs(all[a] - height) ? b : a));
    // set() applies the height even when the sheet settles where it started.
    set(nearest);
  };
  handle.addEventListener('pointerup', endDrag);
  handle.addEventListener('pointercancel', endDrag);

  phone.addEventListener('change', apply);
  window.addEventListener('resize', () => apply());
  // The peek grows when a message shows under the search box.
  new ResizeObserver(() => {
    if (phone.matches && state === 'collapsed') apply();
    else measure();
  }).observe(peek);
  apply();

  return {
    /** Whether the panel is a bottom sheet now (a phone-sized screen). */
    get active() {
      return phone.matches;
    },
    get state() {
      return state;
    },
    set,
    /**
     * How much of an element's bottom the sheet covers once settled, px (0 on wide screens).
     * @param {Element} element e.g. the map
     */
    covering(element) {
      if (!phone.matches) return 0;
      const top = window.innerHeight - heights()[state];
      return Math.max(0, Math.round(element.getBoundingClientRect().bottom - top));
    },
  };
}
