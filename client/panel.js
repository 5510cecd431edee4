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

/** What to do when a change is refused for want of a token, in the user's words. @type {Record<string, string>} */
const ACCESS_HINTS = {
  unauthorized: '修改数据需要规划员令牌：请用服务器首次启动时打印的链接打开本页，或请管理员运行 npm run token -- create --role planner --name "…" 生成令牌，再以 #token=… 结尾的链接打开。',
  forbidden: '此令牌的角色无权进行这项修改（需要规划员或管理员令牌）。',
};

/**
 * Shows an error in the panel (with the API's code when there is one) until dismissed.
 * @param {string} context what the client was doing
 * @param {unknown} error
 */
export function showError(context, error) {
  const code = /** @type {any} */ (error)?.code;
  const message = ACCESS_HINTS[code] ?? (error instanceof Error ? error.message : String(error));
  const close = el('button', { type: 'button', class: 'close', 'aria-label': '关闭' }, ['×']);
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
 * @returns {string} e.g. "12 分 30 秒"
 */
export function formatWalk(seconds) {
  const total = Math.round(seconds);
  const minutes = Math.floor(total / 60);
  const rest = total % 60;
  return minutes > 0 ? `${minutes} 分 ${String(rest).padStart(2, '0')} 秒` : `${rest} 秒`;
}

const integer = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });

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
      el('td', { title: u.code ?? '' }, [u.name || u.code || '（未命名）']),
      el('td', { class: 'num' }, [integer.format(u.households)]),
      el('td', { class: 'num' }, [integer.format(u.covered)]),
      shareCell(u.share),
    ]));
  const total = el('tr', { class: 'total' }, [
    el('td', {}, ['合计']),
    el('td', { class: 'num' }, [integer.format(coverage.total.households)]),
    el('td', { class: 'num' }, [integer.format(coverage.total.covered)]),
    shareCell(coverage.total.share),
  ]);
  const head = el('tr', {}, ['单元', '户数', '已覆盖', '覆盖率'].map((h) => el('th', {}, [h])));
  byId('coverage-body').replaceChildren(el('table', { class: 'coverage' }, [el('thead', {}, [head]), el('tbody', {}, rows), el('tfoot', {}, [total])]));
}

/** Readable names of the center kinds the demo and the design define; OSM kinds show as they are. */
const KIND_LABELS = {
  neighborhood: '党群服务中心（党建+）',
  governance: '综治中心（综治+）',
};

/**
 * @param {string} kind
 * @returns {string}
 */
export function kindLabel(kind) {
  return /** @type {Record<string, string>} */ (KIND_LABELS)[kind] ?? kind;
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
      ` 步行，${integer.format(nearest.distance_m)} 米 — ${within ? '在' : '不在'}15分钟生活圈内`,
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
      legendRow(COLORS.walk[0], '步行 ≤ 5 分钟'),
      legendRow(COLORS.walk[1], '5–10 分钟'),
      legendRow(COLORS.walk[2], '10–15 分钟'),
      legendRow(COLORS.uncovered, '> 15 分钟：未覆盖'),
      legendRow(COLORS.unreachable, '无可达服务中心'),
    ],
    covered: [legendRow(COLORS.walk[1], '15 分钟内（已覆盖）'), legendRow(COLORS.uncovered, '超过 15 分钟（未覆盖）')],
    plain: [legendRow(COLORS.household, '住户单元（瓦片中无步行时间）')],
  }[info.householdMode];
  const grids = info.gridShare
    ? [legendRow(COLORS.share[0], '网格：覆盖 0 %', 'box'), legendRow(COLORS.share[2], '网格：75 %', 'box'), legendRow(COLORS.share[4], '网格：100 %', 'box')]
    : [legendRow('transparent', '网格边界（瓦片中无覆盖率）', 'box')];
  byId('legend-body').replaceChildren(
    el('h3', {}, [`住户（缩放级别 ${info.householdMinzoom} 起）`]),
    el('ul', {}, households),
    el('h3', {}, ['服务中心']),
    el('ul', {}, [
      legendRow(COLORS.centers.neighborhood, '党群服务中心（党建+）'),
      legendRow(COLORS.centers.governance, '综治中心（综治+）'),
      legendRow(COLORS.centers.other, '其他设施（幼儿园、学校、市场等）'),
      legendRow(COLORS.candidate, '在此添加的候选点'),
    ]),
    el('h3', {}, ['网格']),
    el('ul', {}, grids),
    el('h3', {}, ['点击位置的步行等时圈']),
    el('ul', {}, [
      legendRow(COLORS.isochrone[5], '5 分钟', 'box'),
      legendRow(COLORS.isochrone[10], '10 分钟', 'box'),
      legendRow(COLORS.isochrone[15], '15 分钟', 'box'),
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
      const remove = el('button', { type: 'button', class: 'remove' }, ['删除']);
      remove.addEventListener('click', () => onRemove(c.id));
      return el('li', {}, [`${c.name} (${c.kind}) `, remove]);
    }),
  );
}
