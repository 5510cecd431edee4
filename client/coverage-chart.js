/**
 * The coverage curve of a site suggestion as an inline SVG drawn here (no
 * chart library): the covered share with no new site, then after the first
 * 1, 2, ... sites of the answer, with the bound on the optimum (k sites) or
 * the target share as dashed lines. Every point is a <circle> carrying its
 * `data-sites` and `data-share` (the API's numbers as they came) and a
 * <title> a pointer or a screen reader can read.
 */
import { formatNumber, formatPercent, t } from './i18n.js';
import { svg } from './planner-dom.js';

/** The drawing's size in SVG units; it scales to its box's width. */
const WIDTH = 320;
const HEIGHT = 180;
const MARGIN = { left: 44, right: 12, top: 22, bottom: 34 };
/** The axis steps, as shares: the first that gives at most 6 ticks. */
const SHARE_STEPS = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2];

/**
 * @typedef {{ sites: number, share: number, weight: number }} CurvePoint
 * @typedef {{
 *   before: { share: number, weight: number },
 *   curve: CurvePoint[],
 *   boundShare?: number | null,
 *   targetShare?: number | null,
 * }} ChartInput
 */

/**
 * The share axis: a range around every value drawn, on round steps.
 * @param {number[]} values
 * @returns {{ low: number, high: number, step: number }}
 */
function shareAxis(values) {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = Math.max(max - min, 0.002);
  const step = SHARE_STEPS.find((s) => span / s <= 5) ?? 0.25;
  const low = Math.max(0, Math.floor((min - span * 0.05) / step) * step);
  const high = Math.min(1, Math.ceil((max + span * 0.05) / step) * step);
  return { low, high: high > low ? high : low + step, step };
}

/**
 * The chart of one suggestion.
 * @param {ChartInput} input
 * @returns {SVGElement}
 */
export function coverageChart({ before, curve, boundShare = null, targetShare = null }) {
  const n = curve.length;
  const lines = [boundShare, targetShare].filter((v) => typeof v === 'number');
  const axis = shareAxis([before.share, ...curve.map((p) => p.share), ...(/** @type {number[]} */ (lines))]);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (/** @type {number} */ sites) => MARGIN.left + (n === 0 ? 0 : (sites / n) * plotW);
  const y = (/** @type {number} */ share) => MARGIN.top + (1 - (share - axis.low) / (axis.high - axis.low)) * plotH;
  const r = (/** @type {number} */ v) => Math.round(v * 10) / 10;
  const last = curve[n - 1]?.share ?? before.share;

  /** @type {SVGElement[]} */
  const parts = [];
  // Share grid and labels.
  for (let share = axis.low; share <= axis.high + 1e-9; share += axis.step) {
    parts.push(svg('line', { class: 'grid', x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: r(y(share)), y2: r(y(share)) }));
    parts.push(svg('text', { class: 'tick', x: MARGIN.left - 4, y: r(y(share)) + 3, 'text-anchor': 'end' }, [formatPercent(share, axis.step < 0.01 ? 1 : 0)]));
  }
  // Sites axis: every site up to 10, else about 10 ticks.
  const every = Math.max(1, Math.ceil(n / 10));
  for (let sites = 0; sites <= n; sites += every) {
    parts.push(svg('text', { class: 'tick', x: r(x(sites)), y: HEIGHT - MARGIN.bottom + 13, 'text-anchor': 'middle' }, [String(sites)]));
  }
  parts.push(svg('line', { class: 'axis', x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: HEIGHT - MARGIN.bottom, y2: HEIGHT - MARGIN.bottom }));
  parts.push(svg('line', { class: 'axis', x1: MARGIN.left, x2: MARGIN.left, y1: MARGIN.top, y2: HEIGHT - MARGIN.bottom }));
  parts.push(svg('text', { class: 'label', x: MARGIN.left + plotW / 2, y: HEIGHT - 4, 'text-anchor': 'middle' }, [t('suggest.chart.sites')]));
  // Above the share axis, level: rotated Chinese reads badly at this size.
  parts.push(svg('text', { class: 'label', x: 4, y: 10, 'text-anchor': 'start' }, [t('suggest.chart.share')]));

  // Dashed references: what no k sites can beat, or the share asked for.
  /** @type {[number | null, string, string][]} */
  const references = [
    [boundShare, 'bound', t('suggest.chart.bound', { share: formatPercent(boundShare ?? 0, 2) })],
    [targetShare, 'target', t('suggest.chart.target', { share: formatPercent(targetShare ?? 0, 1) })],
  ];
  for (const [share, kind, label] of references) {
    if (typeof share !== 'number') continue;
    const yy = r(y(share));
    parts.push(svg('line', { class: `reference ${kind}`, x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: yy, y2: yy }));
    // At the left, where the curve starts low, above the line unless that leaves the plot.
    parts.push(svg('text', { class: `reference-label ${kind}`, x: MARGIN.left + 4, y: yy - 3 < MARGIN.top ? yy + 10 : yy - 3, 'text-anchor': 'start' }, [label]));
  }

  const points = [{ sites: 0, share: before.share, weight: before.weight }, ...curve];
  parts.push(svg('polyline', { class: 'curve', points: points.map((p) => `${r(x(p.sites))},${r(y(p.share))}`).join(' ') }));
  points.forEach((p, i) => {
    const gained = i === 0 ? 0 : p.weight - points[i - 1].weight;
    const title = i === 0
      ? t('suggest.chart.before', { share: formatPercent(p.share, 2) })
      : t('suggest.chart.point', { n: p.sites, share: formatPercent(p.share, 2), gained: formatNumber(gained) });
    parts.push(svg('circle', {
      class: i === 0 ? 'baseline' : 'point',
      cx: r(x(p.sites)),
      cy: r(y(p.share)),
      r: 3.5,
      'data-sites': p.sites,
      'data-share': p.share,
    }, [svg('title', {}, [title])]));
  });

  const summary = t('suggest.chart.summary', { n, before: formatPercent(before.share, 1), after: formatPercent(last, 1) });
  return svg('svg', { class: 'coverage-chart', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': summary }, [svg('title', {}, [summary]), ...parts]);
}
