/**
 * The side panel's rendering: messages (errors are always shown, never
 * swallowed), the coverage table and the legend (the answer card is
 * place-card.js's, the planner's parts are in scenario-panel.js). Functions take data and write DOM; they
 * keep no state of their own.
 */
import { formatNumber, formatPercent, has, t } from './i18n.js';
import { COLORS } from './map-style.js';

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
export function el(tag, attributes = {}, children = []) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  element.append(...children);
  return element;
}

/** API codes answered with a hint in the user's words instead of the server's message (string keys). @type {Record<string, string>} */
const HINTS = {
  unauthorized: 'error.unauthorized',
  forbidden: 'error.forbidden',
  network: 'error.network',
  off_network: 'error.offNetwork',
  outside_data_bounds: 'error.outsideData',
};

/**
 * Shows an error in the panel (with the API's code when there is one) until dismissed.
 * @param {string} context what the client was doing, in the user's words
 * @param {unknown} error
 */
export function showError(context, error) {
  const code = /** @type {any} */ (error)?.code;
  const hint = HINTS[code];
  const message = hint ? t(hint) : error instanceof Error ? error.message : String(error);
  const close = el('button', { type: 'button', class: 'close', 'aria-label': t('message.close') }, ['×']);
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
 * A bar cell: the share as text over a proportional bar.
 * @param {number | null | undefined} share
 */
function shareCell(share) {
  const bar = el('span', { class: 'bar', style: `width:${Math.round((share ?? 0) * 100)}%` });
  return el('td', { class: 'share' }, [bar, el('span', { class: 'value' }, [formatPercent(share)])]);
}

/**
 * The coverage table of one level, lowest share first (where action is needed).
 * @param {{ level: string, units: { code: string | null, name: string, households: number, covered: number, share: number | null }[], total: { households: number, covered: number, share: number | null } }} coverage
 */
export function renderCoverage(coverage) {
  const rows = [...coverage.units]
    .sort((a, b) => (a.share ?? 2) - (b.share ?? 2))
    .map((u) => el('tr', {}, [
      el('td', { title: u.code ?? '' }, [u.name || u.code || t('coverage.unnamed')]),
      el('td', { class: 'num' }, [formatNumber(u.households)]),
      el('td', { class: 'num' }, [formatNumber(u.covered)]),
      shareCell(u.share),
    ]));
  const total = el('tr', { class: 'total' }, [
    el('td', {}, [t('coverage.total')]),
    el('td', { class: 'num' }, [formatNumber(coverage.total.households)]),
    el('td', { class: 'num' }, [formatNumber(coverage.total.covered)]),
    shareCell(coverage.total.share),
  ]);
  const head = el('tr', {}, ['coverage.unit', 'coverage.households', 'coverage.covered', 'coverage.share'].map((h) => el('th', {}, [t(h)])));
  byId('coverage-body').replaceChildren(el('table', { class: 'coverage' }, [el('thead', {}, [head]), el('tbody', {}, rows), el('tfoot', {}, [total])]));
}

/**
 * A center kind's name in the user's language (`kind.<kind>` in the string
 * files); a kind they do not name shows as it is.
 * @param {string} kind
 * @returns {string}
 */
export function kindLabel(kind) {
  return has(`kind.${kind}`) ? t(`kind.${kind}`) : kind;
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
      legendRow(COLORS.walk[0], t('legend.walk5')),
      legendRow(COLORS.walk[1], t('legend.walk10')),
      legendRow(COLORS.walk[2], t('legend.walk15')),
      legendRow(COLORS.uncovered, t('legend.uncovered')),
      legendRow(COLORS.unreachable, t('legend.unreachable')),
    ],
    covered: [legendRow(COLORS.walk[1], t('legend.covered')), legendRow(COLORS.uncovered, t('legend.notCovered'))],
    plain: [legendRow(COLORS.household, t('legend.plain'))],
  }[info.householdMode];
  const grids = info.gridShare
    ? [0, 0.75, 1].map((share, i) => legendRow(COLORS.share[i * 2], t('legend.gridShare', { share: formatPercent(share, 0) }), 'box'))
    : [legendRow('transparent', t('legend.gridPlain'), 'box')];
  byId('legend-body').replaceChildren(
    el('h3', {}, [t('legend.households', { zoom: info.householdMinzoom })]),
    el('ul', {}, households),
    el('h3', {}, [t('legend.centers')]),
    el('ul', {}, [
      legendRow(COLORS.centers.neighborhood, t('kind.neighborhood')),
      legendRow(COLORS.centers.governance, t('kind.governance')),
      legendRow(COLORS.centers.other, t('legend.otherCenters')),
      legendRow(COLORS.candidate, t('legend.candidate')),
    ]),
    el('h3', {}, [t('legend.grids')]),
    el('ul', {}, grids),
    el('h3', {}, [t('legend.isochrone')]),
    el('ul', {}, [5, 10, 15].map((m) => legendRow(COLORS.isochrone[/** @type {5 | 10 | 15} */ (m)], t('legend.minutes', { m }), 'box'))),
  );
}

