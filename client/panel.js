/**
 * The side panel's rendering: messages (errors are always shown, never
 * swallowed), the coverage table, the nearest-center card, the legend and
 * the list of candidate centers. Functions take data and write DOM; they
 * keep no state of their own.
 */
import { COLORS, WALK_BANDS } from './map-style.js';

/**
 * @param {string} id
 * @returns {HTMLElement}
 */
export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`index.html has no #${id}`);
  return element;
}

/**
 * A new element with text and attributes.
 * @param {string} tag
 * @param {Record<string, string>} [attributes]
 * @param {(Node | string)[]} [children]
 */
function el(tag, attributes = {}, children = []) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  element.append(...children);
  return element;
}

/**
 * Shows an error in the panel (with the API's code when there is one) until dismissed.
 * @param {string} context what the client was doing
 * @param {unknown} error
 */
export function showError(context, error) {
  const message = error instanceof Error ? error.message : String(error);
  const code = /** @type {any} */ (error)?.code;
  const close = el('button', { type: 'button', class: 'close', 'aria-label': 'Dismiss' }, ['×']);
  const box = el('div', { class: 'message error' }, [
    el('strong', {}, [context]),
    ' ',
    code ? el('code', {}, [code]) : '',
    el('div', {}, [message]),
    close,
  ]);
  close.addEventListener('click', () => box.remove());
  byId('messages').append(box);
}

/**
 * A short note (e.g. "candidate added"), replaced by the next one.
 * @param {string} text
 */
export function showNote(text) {
  const messages = byId('messages');
  messages.querySelector('.note')?.remove();
  messages.append(el('div', { class: 'message note' }, [text]));
}

/** Removes every message: called when the user starts something new. */
export function clearMessages() {
  byId('messages').replaceChildren();
}

/**
 * @param {number} seconds
 * @returns {string} e.g. "12 min 30 s"
 */
export function formatWalk(seconds) {
  const total = Math.round(seconds);
  const minutes = Math.floor(total / 60);
  const rest = total % 60;
  return minutes > 0 ? `${minutes} min ${String(rest).padStart(2, '0')} s` : `${rest} s`;
}

const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

/**
 * @param {number | null | undefined} share 0..1
 * @returns {string}
 */
function percent(share) {
  return share === null || share === undefined ? '–' : `${(share * 100).toFixed(1)} %`;
}

/**
 * A bar cell: the share as text over a proportional bar.
 * @param {number | null | undefined} share
 */
function shareCell(share) {
  const bar = el('span', { class: 'bar', style: `width:${Math.round((share ?? 0) * 100)}%` });
  return el('td', { class: 'share' }, [bar, el('span', { class: 'value' }, [percent(share)])]);
}

/**
 * The coverage table of one level, lowest share first (where action is needed).
 * @param {{ level: string, units: { code: string | null, name: string, households: number, covered: number, share: number | null }[], total: { households: number, covered: number, share: number | null } }} coverage
 */
export function renderCoverage(coverage) {
  const rows = [...coverage.units]
    .sort((a, b) => (a.share ?? 2) - (b.share ?? 2))
    .map((u) => el('tr', {}, [
      el('td', { title: u.code ?? '' }, [u.name || u.code || '(unnamed)']),
      el('td', { class: 'num' }, [integer.format(u.households)]),
      el('td', { class: 'num' }, [integer.format(u.covered)]),
      shareCell(u.share),
    ]));
  const total = el('tr', { class: 'total' }, [
    el('td', {}, ['Total']),
    el('td', { class: 'num' }, [integer.format(coverage.total.households)]),
    el('td', { class: 'num' }, [integer.format(coverage.total.covered)]),
    shareCell(coverage.total.share),
  ]);
  const head = el('tr', {}, ['Unit', 'Households', 'Covered', 'Share'].map((h) => el('th', {}, [h])));
  byId('coverage-body').replaceChildren(el('table', { class: 'coverage' }, [el('thead', {}, [head]), el('tbody', {}, rows), el('tfoot', {}, [total])]));
}

/** Readable names of the center kinds the demo and the design define; OSM kinds show as they are. */
const KIND_LABELS = {
  neighborhood: 'Neighbourhood center (Party Building +)',
  governance: 'Governance center (Comprehensive Management +)',
};

/**
 * @param {string} kind
 * @returns {string}
 */
export function kindLabel(kind) {
  return /** @type {Record<string, string>} */ (KIND_LABELS)[kind] ?? `${kind} center`;
}

/**
 * The nearest-center card.
 * @param {{ center: { name: string, kind: string }, walk_seconds: number, distance_m: number }} nearest
 */
export function renderNearest(nearest) {
  const within = nearest.walk_seconds <= WALK_BANDS[2];
  byId('nearest-body').replaceChildren(
    el('p', { class: 'center-name' }, [nearest.center.name]),
    el('p', {}, [kindLabel(nearest.center.kind)]),
    el('p', { class: within ? 'walk ok' : 'walk far' }, [
      el('strong', {}, [formatWalk(nearest.walk_seconds)]),
      ` walk, ${integer.format(nearest.distance_m)} m — ${within ? 'within' : 'outside'} the 15-minute circle`,
    ]),
  );
  byId('nearest').hidden = false;
}

/** Hides the nearest-center card (e.g. when the lookup failed). */
export function hideNearest() {
  byId('nearest').hidden = true;
}

/**
 * @param {string} color
 * @param {string} label
 * @param {'dot' | 'box'} [shape]
 */
function legendRow(color, label, shape = 'dot') {
  return el('li', {}, [el('span', { class: `swatch ${shape}`, style: `background:${color}` }), label]);
}

/**
 * The legend, matching what the style could draw from the tiles' fields.
 * @param {{ householdMode: 'walk' | 'covered' | 'plain', gridShare: boolean, householdMinzoom: number }} info
 */
export function renderLegend(info) {
  const households = {
    walk: [
      legendRow(COLORS.walk[0], '≤ 5 min walk'),
      legendRow(COLORS.walk[1], '5–10 min'),
      legendRow(COLORS.walk[2], '10–15 min'),
      legendRow(COLORS.uncovered, '> 15 min: not covered'),
      legendRow(COLORS.unreachable, 'no center reachable'),
    ],
    covered: [legendRow(COLORS.walk[1], 'within 15 min (covered)'), legendRow(COLORS.uncovered, 'beyond 15 min (not covered)')],
    plain: [legendRow(COLORS.household, 'household unit (walk times not in the tiles)')],
  }[info.householdMode];
  const grids = info.gridShare
    ? [legendRow(COLORS.share[0], 'grid: 0 % covered', 'box'), legendRow(COLORS.share[2], 'grid: 75 %', 'box'), legendRow(COLORS.share[4], 'grid: 100 %', 'box')]
    : [legendRow('transparent', 'grid boundary (no coverage share in the tiles)', 'box')];
  byId('legend-body').replaceChildren(
    el('h3', {}, [`Households (from zoom ${info.householdMinzoom})`]),
    el('ul', {}, households),
    el('h3', {}, ['Centers']),
    el('ul', {}, [
      legendRow(COLORS.centers.neighborhood, 'neighbourhood (Party Building +)'),
      legendRow(COLORS.centers.governance, 'governance (Comprehensive Management +)'),
      legendRow(COLORS.centers.other, 'other service'),
      legendRow(COLORS.candidate, 'candidate added here'),
    ]),
    el('h3', {}, ['Grids']),
    el('ul', {}, grids),
    el('h3', {}, ['Isochrone from the clicked point']),
    el('ul', {}, [
      legendRow(COLORS.isochrone[5], '5 min', 'box'),
      legendRow(COLORS.isochrone[10], '10 min', 'box'),
      legendRow(COLORS.isochrone[15], '15 min', 'box'),
    ]),
  );
}

/**
 * The candidates added in this session, each with a remove button.
 * @param {{ id: string | number, name: string, kind: string }[]} candidates
 * @param {(id: string | number) => void} onRemove
 */
export function renderCandidates(candidates, onRemove) {
  byId('candidates').replaceChildren(
    ...candidates.map((c) => {
      const remove = el('button', { type: 'button', class: 'remove' }, ['remove']);
      remove.addEventListener('click', () => onRemove(c.id));
      return el('li', {}, [`${c.name} (${c.kind}) `, remove]);
    }),
  );
}
