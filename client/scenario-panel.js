/**
 * The scenario parts of the side panel: the list of scenarios, the open
 * scenario's changes, its summary (the 5-, 10- and 15-minute circles before
 * and after, gained and lost), its table per level, the map legend of a
 * scenario, and the confirmation dialog. The skeleton (inputs, buttons,
 * headings) is static in index.html under #planner; these functions take
 * data and write the parts that change. They keep no state of their own.
 */
import { formatDateTime, formatNumber, formatPercent, t } from './i18n.js';
import { COLORS } from './map-style.js';
import { byId, kindLabel } from './panel.js';

/** Units listed per level at most: the ones whose coverage changes most. */
const MAX_UNIT_ROWS = 30;

/**
 * @typedef {import('./api.js').ScenarioChange} ScenarioChange
 * @typedef {import('./api.js').Scenario} Scenario
 * @typedef {import('./api.js').ScenarioListed} ScenarioListed
 * @typedef {import('./api.js').ScenarioCoverage} ScenarioCoverage
 */

/**
 * A new element with attributes and children.
 * @param {string} tag
 * @param {Record<string, string>} [attributes]
 * @param {(Node | string)[]} [children]
 * @returns {HTMLElement}
 */
export function el(tag, attributes = {}, children = []) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  element.append(...children);
  return element;
}

/**
 * @param {string} label
 * @param {() => void} onClick
 * @param {string} [className]
 */
function button(label, onClick, className = 'secondary') {
  const b = el('button', { type: 'button', class: className }, [label]);
  b.addEventListener('click', onClick);
  return b;
}

/**
 * A signed count: "+1,234", "−56", "0".
 * @param {number} n
 */
export function formatSigned(n) {
  return n > 0 ? `+${formatNumber(n)}` : n < 0 ? `−${formatNumber(-n)}` : formatNumber(0);
}

/**
 * The stored scenarios, newest first, each to open or delete.
 * @param {ScenarioListed[] | null} list null while loading
 * @param {{ open: (id: number) => void, remove: (scenario: ScenarioListed) => void }} on
 */
export function renderScenarioList(list, on) {
  const ul = byId('scenario-list');
  if (list === null) {
    ul.replaceChildren(el('li', { class: 'muted' }, [t('scenario.loading')]));
    return;
  }
  if (list.length === 0) {
    ul.replaceChildren(el('li', { class: 'muted' }, [t('scenario.none')]));
    return;
  }
  ul.replaceChildren(
    ...[...list].sort((a, b) => b.id - a.id).map((s) =>
      el('li', { 'data-scenario-id': String(s.id) }, [
        el('div', { class: 'scenario-item' }, [
          el('strong', {}, [s.name]),
          el('span', { class: 'muted' }, [`${t('scenario.changesCount', { n: s.changes.length })} · ${t('scenario.updated', { when: formatDateTime(s.updated_at) })}`]),
        ]),
        button(t('scenario.open'), () => on.open(s.id), 'open'),
        button(t('scenario.delete'), () => on.remove(s), 'remove'),
      ]),
    ),
  );
}

/**
 * A change in the user's words.
 * @param {ScenarioChange} change
 * @param {Map<number, { name: string, kind: string }>} centers
 */
export function changeText(change, centers) {
  if (change.op === 'add') return t('scenario.change.add', { name: change.name, kind: kindLabel(change.kind) });
  const name = centers.get(change.center_id)?.name ?? t('scenario.center', { id: change.center_id });
  return t(change.op === 'move' ? 'scenario.change.move' : 'scenario.change.remove', { name });
}

/**
 * The open scenario's changes, each with an undo button when it can be
 * edited, and a candidate or moved center with a "move" button that selects
 * it for the keyboard (scenario-keyboard.js).
 * @param {ScenarioChange[]} changes
 * @param {Map<number, { name: string, kind: string }>} centers
 * @param {{ editable: boolean, undo: (index: number) => void, select: (index: number) => void, selected: number | null }} on
 */
export function renderChanges(changes, centers, on) {
  const ul = byId('scenario-changes');
  if (changes.length === 0) {
    ul.replaceChildren(el('li', { class: 'muted' }, [t('scenario.noChanges')]));
    return;
  }
  const moveButton = (/** @type {ScenarioChange} */ change, /** @type {number} */ index) => {
    const name = change.op === 'add' ? change.name : (centers.get(change.center_id)?.name ?? t('scenario.center', { id: change.center_id }));
    const b = button(t('scenario.select'), () => on.select(index), 'select');
    b.setAttribute('aria-label', t('scenario.selectLabel', { name }));
    b.setAttribute('aria-pressed', String(on.selected === index));
    b.dataset.selectIndex = String(index);
    return b;
  };
  ul.replaceChildren(
    ...changes.map((change, index) =>
      el('li', { class: `change ${change.op}` }, [
        el('span', { class: 'change-dot' }),
        el('span', {}, [changeText(change, centers)]),
        ...(on.editable && change.op !== 'remove' ? [moveButton(change, index)] : []),
        ...(on.editable ? [button(t('scenario.undo'), () => on.undo(index), 'remove')] : []),
      ]),
    ),
  );
}

/**
 * The open scenario's heading and save state.
 * @param {Scenario} scenario
 * @param {string} status
 */
export function renderScenarioHead(scenario, status) {
  byId('scenario-name').textContent = t('scenario.heading', { name: scenario.name });
  byId('scenario-status').textContent = [t('scenario.revision', { n: scenario.revision }), status].filter(Boolean).join(' · ');
}

/**
 * @param {string} color
 * @param {string} label
 * @param {string} shape CSS class of the swatch
 */
function legendRow(color, label, shape) {
  return el('li', {}, [el('span', { class: `swatch ${shape}`, style: `--swatch:${color}` }), label]);
}

/** What the map draws for a scenario. */
export function renderScenarioLegend() {
  byId('scenario-legend').replaceChildren(
    el('ul', { class: 'scenario-legend' }, [
      legendRow(COLORS.gained, t('scenario.legend.gained'), 'dot fill'),
      legendRow(COLORS.lost, t('scenario.legend.lost'), 'dot fill'),
      legendRow(COLORS.centers.neighborhood, t('scenario.legend.added'), 'dot candidate'),
      legendRow(COLORS.centers.neighborhood, t('scenario.legend.moved'), 'dot moved'),
      legendRow(COLORS.lost, t('scenario.legend.removed'), 'dot ring'),
    ]),
  );
}

/**
 * A table with a header row, body rows and an optional total row.
 * @param {string[]} head
 * @param {(string | HTMLElement)[][]} rows
 * @param {(string | HTMLElement)[] | null} total
 * @param {string} className
 */
function table(head, rows, total, className) {
  /** @param {(string | HTMLElement)[]} cells @param {string} tag */
  const row = (cells, tag) =>
    el('tr', {}, cells.map((cell, i) => (cell instanceof HTMLElement && cell.tagName === tag.toUpperCase() ? cell : el(tag, i === 0 ? {} : { class: 'num' }, [cell]))));
  return el('table', { class: `coverage ${className}` }, [
    el('thead', {}, [row(head, 'th')]),
    el('tbody', {}, rows.map((r) => row(r, 'td'))),
    ...(total ? [el('tfoot', {}, [row(total, 'td')])] : []),
  ]);
}

/**
 * A cell with a number and the field it shows, for tests and copy-paste.
 * @param {number} value
 * @param {string} field
 * @param {(n: number) => string} [format]
 */
function numberCell(value, field, format = formatNumber) {
  return el('td', { class: `num ${field}`, 'data-value': String(value) }, [format(value)]);
}

/**
 * The life circles before and after: households covered, gained and lost.
 * @param {Scenario} scenario
 */
export function renderSummary(scenario) {
  const head = [t('scenario.circleHead'), t('scenario.before'), t('scenario.after'), t('scenario.gained'), t('scenario.lost')];
  const rows = scenario.summary.circles.map((c) => [
    el('td', { 'data-minutes': String(c.minutes) }, [t('scenario.circle', { m: c.minutes })]),
    numberCell(c.households_before, 'before'),
    numberCell(c.households_after, 'after'),
    numberCell(c.gained, 'gained', formatSigned),
    numberCell(c.lost, 'lost', (n) => formatSigned(-n)),
  ]);
  const fifteen = scenario.summary.circles.find((c) => c.minutes === 15);
  byId('scenario-summary').replaceChildren(
    table(head, rows, null, 'scenario-circles'),
    ...(fifteen
      ? [el('p', { class: 'share-change' }, [t('scenario.shareChange', { before: formatPercent(fifteen.share_before), after: formatPercent(fifteen.share_after) })])]
      : []),
  );
}

/**
 * The units of a level before and after the scenario (15 minutes): the
 * total, and the units whose coverage changes, most changed first.
 * @param {ScenarioCoverage | null} coverage null while loading
 */
export function renderLevels(coverage) {
  const box = byId('scenario-levels');
  if (!coverage) {
    box.replaceChildren(el('p', { class: 'muted' }, [t('scenario.loading')]));
    return;
  }
  const before = (/** @type {{ covered: number, covered_before?: number }} */ u) => u.covered_before ?? u.covered;
  const changed = coverage.units
    .filter((u) => (u.gained ?? 0) > 0 || (u.lost ?? 0) > 0)
    .sort((a, b) => Math.abs((b.gained ?? 0) - (b.lost ?? 0)) - Math.abs((a.gained ?? 0) - (a.lost ?? 0)) || (b.gained ?? 0) - (a.gained ?? 0));
  const shown = changed.slice(0, MAX_UNIT_ROWS);
  const cells = (/** @type {import('./api.js').ScenarioCoverage['total']} */ u) => [
    numberCell(before(u), 'before'),
    numberCell(u.covered, 'after'),
    numberCell(u.gained ?? 0, 'gained', formatSigned),
    numberCell(u.lost ?? 0, 'lost', (n) => formatSigned(-n)),
  ];
  const rows = shown.map((u) => [el('td', { title: u.code ?? '' }, [u.name || u.code || t('coverage.unnamed')]), ...cells(u)]);
  const head = [t('scenario.unit'), t('scenario.before'), t('scenario.after'), t('scenario.gained'), t('scenario.lost')];
  const note =
    changed.length === 0
      ? t('scenario.noneChanged')
      : t('scenario.changedOnly', { shown: formatNumber(shown.length), changed: formatNumber(changed.length), all: formatNumber(coverage.units.length) });
  box.replaceChildren(
    table(head, rows, [el('td', {}, [t('scenario.total')]), ...cells(coverage.total)], 'scenario-levels'),
    el('p', { class: 'muted' }, [note]),
  );
}

/**
 * Asks before something that cannot be taken back: a modal dialog with the
 * consequences spelled out; resolves true on the confirm button only.
 * @param {{ title: string, lines: string[], confirm: string }} text
 * @returns {Promise<boolean>}
 */
export function confirmDialog(text) {
  const dialog = /** @type {HTMLDialogElement} */ (byId('scenario-confirm'));
  byId('scenario-confirm-title').textContent = text.title;
  byId('scenario-confirm-body').replaceChildren(...text.lines.map((line) => el('p', {}, [line])));
  const ok = byId('scenario-confirm-ok');
  const cancel = byId('scenario-confirm-cancel');
  ok.textContent = text.confirm;
  return new Promise((resolve) => {
    /** @param {boolean} answer */
    const done = (answer) => {
      ok.removeEventListener('click', yes);
      cancel.removeEventListener('click', no);
      dialog.removeEventListener('close', no);
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    const yes = () => done(true);
    const no = () => done(false);
    ok.addEventListener('click', yes);
    cancel.addEventListener('click', no);
    // Escape closes the dialog: the same as cancel.
    dialog.addEventListener('close', no);
    dialog.showModal();
    cancel.focus();
  });
}
