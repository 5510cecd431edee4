/**
 * The printable report: a print view on the same page (#report, styled for
 * A4 by planner-tools.css) with the map as an image (with the suggested
 * sites drawn on it), the legend, the city's 5-, 10- and 15-minute
 * coverage, the coverage per district, the open scenario's before and after,
 * the last suggestion, the method and the data version, all in the reader's
 * language and dated. "Print" calls the browser's print dialog; printing
 * shows the report alone.
 *
 * The map canvas is read in MapLibre's `render` event, right after a frame
 * is drawn, so the map needs no preserveDrawingBuffer (which would cost
 * every frame a copy).
 */
import { fetchCoverageTable, fetchScenarioById, fetchServiceHealth } from './api.js';
import { formatDateTime, formatDistance, formatNumber, formatPercent, formatWalk, language, onLanguageChange, t } from './i18n.js';
import { byId, showError } from './panel.js';
import { el } from './planner-dom.js';
import { coverageChart } from './coverage-chart.js';

/** @typedef {import('./api.js').CoverageTable} CoverageTable */
/** @typedef {import('./api.js').Suggestion} Suggestion */

/** The GB 50180-2018 life circles: minutes, and the walking distance the standard gives for each. */
const TIERS = [
  { minutes: 5, distance: 'report.tier.5' },
  { minutes: 10, distance: 'report.tier.10' },
  { minutes: 15, distance: 'report.tier.15' },
];
/** Marker size on the map image, CSS pixels. */
const SITE_RADIUS = 11;

/**
 * Resolves once the map has drawn everything it is loading.
 * @param {import('maplibre-gl').Map} map
 */
function mapSettled(map) {
  return new Promise((resolve) => {
    if (map.loaded() && map.areTilesLoaded()) resolve(undefined);
    else map.once('idle', () => resolve(undefined));
  });
}

/**
 * The map as a PNG data URL, with the suggested sites drawn as numbered dots.
 * @param {import('maplibre-gl').Map} map
 * @param {Suggestion | null} suggestion
 * @returns {Promise<string>}
 */
export async function mapImage(map, suggestion) {
  await mapSettled(map);
  return new Promise((resolve) => {
    map.once('render', () => {
      const source = map.getCanvas();
      const canvas = document.createElement('canvas');
      canvas.width = source.width;
      canvas.height = source.height;
      const context = canvas.getContext('2d');
      if (!context) return resolve(source.toDataURL('image/png'));
      context.drawImage(source, 0, 0);
      const ratio = source.width / (source.clientWidth || source.width);
      for (const site of suggestion?.sites ?? []) {
        const p = map.project([site.lon, site.lat]);
        if (p.x < 0 || p.y < 0 || p.x > source.clientWidth || p.y > source.clientHeight) continue;
        context.beginPath();
        context.arc(p.x * ratio, p.y * ratio, SITE_RADIUS * ratio, 0, 2 * Math.PI);
        context.fillStyle = '#111111';
        context.fill();
        context.lineWidth = 2 * ratio;
        context.strokeStyle = '#ffffff';
        context.stroke();
        context.fillStyle = '#ffffff';
        context.font = `bold ${12 * ratio}px system-ui, sans-serif`;
        context.textAlign = 'center';
        context.textBaseline = 'middle';
        context.fillText(String(site.rank), p.x * ratio, p.y * ratio + 0.5 * ratio);
      }
      resolve(canvas.toDataURL('image/png'));
    });
    map.triggerRepaint();
  });
}

/**
 * A table with a header row, body rows and an optional total row.
 * @param {string[]} head
 * @param {(string | number)[][]} rows
 * @param {(string | number)[]} [total]
 * @param {string} [className]
 */
function table(head, rows, total, className = '') {
  /** @param {(string | number)[]} cells @param {'td' | 'th'} tag */
  const row = (cells, tag = 'td') => el('tr', {}, cells.map((cell, i) => el(tag, i > 0 ? { class: 'num' } : {}, [String(cell)])));
  return el('table', { class: `report-table ${className}`.trim() }, [
    el('thead', {}, [row(head, 'th')]),
    el('tbody', {}, rows.map((cells) => row(cells))),
    ...(total ? [el('tfoot', {}, [row(total)])] : []),
  ]);
}

/** @param {number | null | undefined} seconds */
const walk = (seconds) => (seconds === null || seconds === undefined ? '–' : formatWalk(seconds));

/**
 * The per-district table (live).
 * @param {CoverageTable} coverage
 */
function districtTable(coverage) {
  const head = [t('report.col.district'), t('coverage.households'), t('coverage.covered'), t('coverage.share'), t('report.col.p90'), t('report.col.beyond15')];
  /** @param {import('./api.js').CoverageFigures} u */
  const cells = (u) => [formatNumber(u.households), formatNumber(u.covered), formatPercent(u.share), walk(u.p90_walk_s), formatNumber(u.beyond_15)];
  return table(head, coverage.units.map((u) => [u.name, ...cells(u)]), [t('coverage.total'), ...cells(coverage.total)]);
}

/**
 * The scenario's section: its changes, the life circles before and after, and per district.
 * @param {import('./api.js').StoredScenario} scenario
 * @param {CoverageTable} districts coverage per district with the scenario
 */
function scenarioSection(scenario, districts) {
  const circles = table(
    [t('report.col.circle'), t('report.col.before'), t('report.col.after'), t('report.col.gained'), t('report.col.lost')],
    scenario.summary.circles.map((c) => [
      t('legend.minutes', { m: c.minutes }),
      `${formatPercent(c.share_before)} (${formatNumber(c.households_before)})`,
      `${formatPercent(c.share_after)} (${formatNumber(c.households_after)})`,
      formatNumber(c.gained),
      formatNumber(c.lost),
    ]),
  );
  /** @param {import('./api.js').CoverageFigures} u */
  const cells = (u) => [
    formatNumber(u.households),
    formatPercent(u.households > 0 ? (u.covered_before ?? 0) / u.households : null),
    formatPercent(u.share),
    formatNumber(u.gained ?? 0),
    formatNumber(u.lost ?? 0),
  ];
  const perDistrict = table(
    [t('report.col.district'), t('coverage.households'), t('report.col.before'), t('report.col.after'), t('report.col.gained'), t('report.col.lost')],
    districts.units.map((u) => [u.name, ...cells(u)]),
    [t('coverage.total'), ...cells(districts.total)],
  );
  const counts = { add: 0, move: 0, remove: 0 };
  for (const change of scenario.changes) counts[change.op]++;
  return el('section', { class: 'report-scenario' }, [
    el('h2', {}, [t('report.scenario.title', { id: scenario.id, name: scenario.name })]),
    el('p', {}, [t('report.scenario.changes', { add: counts.add, move: counts.move, remove: counts.remove, revision: scenario.revision })]),
    ...(scenario.description ? [el('p', { class: 'report-note' }, [scenario.description])] : []),
    circles,
    el('h3', {}, [t('report.scenario.byDistrict')]),
    perDistrict,
  ]);
}

/**
 * The last suggestion: its sites and curve.
 * @param {Suggestion} answer
 */
function suggestionSection(answer) {
  const rows = answer.sites.map((site, i) => [
    String(site.rank),
    `${site.lon.toFixed(5)}, ${site.lat.toFixed(5)}`,
    formatNumber(site.gained.households),
    formatPercent(answer.curve[i]?.share, 2),
  ]);
  const gap = answer.bound.gap === null ? '–' : answer.objective === 'max_coverage' ? formatPercent(answer.bound.gap, 2) : formatNumber(answer.bound.gap);
  return el('section', { class: 'report-suggestion' }, [
    el('h2', {}, [t('report.suggestion.title')]),
    el('p', {}, [t('report.suggestion.params', {
      n: answer.sites.length,
      minutes: answer.minutes,
      method: t(`suggest.methodName.${answer.method}`),
      before: formatPercent(answer.totals.before.share, 1),
      after: formatPercent(answer.totals.after.share, 1),
      gap,
    })]),
    el('div', { class: 'report-suggestion-body' }, [
      table([t('report.col.rank'), t('report.col.location'), t('report.col.gainedHouseholds'), t('report.col.cumulative')], rows),
      el('figure', { class: 'report-chart' }, [
        coverageChart({
          before: answer.totals.before,
          curve: answer.curve,
          boundShare: answer.objective === 'max_coverage' ? answer.bound.share : null,
          targetShare: answer.target?.share ?? null,
        }),
      ]),
    ]),
  ]);
}

/**
 * The method and the data: what "covered" means here, and which data.
 * @param {CoverageTable} coverage
 * @param {{ data: { version: string, city: string | null, source: string | null, changed_at: string } }} health
 */
function methodSection(coverage, health) {
  const metres = (coverage.speed_kmh * 1000 * coverage.minutes) / 60;
  return el('section', { class: 'report-method' }, [
    el('h2', {}, [t('report.method.title')]),
    el('ul', {}, [
      el('li', {}, [t('report.method.walk', { minutes: coverage.minutes, speed: formatNumber(coverage.speed_kmh, 1), distance: formatDistance(metres) })]),
      el('li', {}, [t('report.method.network')]),
      el('li', {}, [t('report.method.standard')]),
      el('li', {}, [t('report.method.centers')]),
      el('li', {}, [t('report.method.data', {
        version: health.data.version,
        source: health.data.source ?? '–',
        changed: formatDateTime(health.data.changed_at),
      })]),
    ]),
  ]);
}

/**
 * Builds the report's content.
 * @param {import('maplibre-gl').Map} map
 * @param {import('./planner-tools.js').PlannerState} state
 * @returns {Promise<HTMLElement[]>}
 */
async function buildReport(map, state) {
  const scenarioId = state.scenario;
  const [health, tiers, districts, scenario, scenarioDistricts, image] = await Promise.all([
    fetchServiceHealth(),
    Promise.all(TIERS.map((tier) => fetchCoverageTable({ level: 'city', minutes: tier.minutes }))),
    fetchCoverageTable({ level: 'district', minutes: 15 }),
    scenarioId === null ? null : fetchScenarioById(scenarioId),
    scenarioId === null ? null : fetchCoverageTable({ level: 'district', minutes: 15, scenario: scenarioId }),
    mapImage(map, state.suggestion),
  ]);
  const now = new Date();
  const city = health.data.city ?? '';
  const tierTable = table(
    [t('report.col.circle'), t('report.col.distance'), t('coverage.households'), t('coverage.covered'), t('coverage.share')],
    TIERS.map((tier, i) => {
      const total = tiers[i].total;
      return [t('legend.minutes', { m: tier.minutes }), t(tier.distance), formatNumber(total.households), formatNumber(total.covered), formatPercent(total.share)];
    }),
  );
  const legend = el('div', { class: 'report-legend' }, [el('h2', {}, [t('legend.title')])]);
  for (const child of byId('legend-body').childNodes) legend.append(child.cloneNode(true));
  return [
    el('header', { class: 'report-head' }, [
      el('h1', { id: 'report-title' }, [t('report.title')]),
      el('p', { class: 'report-meta' }, [t('report.meta', { city, date: formatDateTime(now), version: health.data.version })]),
    ]),
    el('section', { class: 'report-map' }, [
      el('figure', {}, [
        el('img', { id: 'report-map-image', src: image, alt: t('report.mapAlt', { city }) }),
        el('figcaption', {}, [t(state.suggestion ? 'report.mapCaptionSites' : 'report.mapCaption')]),
      ]),
      legend,
    ]),
    el('section', { class: 'report-tiers' }, [el('h2', {}, [t('report.tiers.title')]), tierTable]),
    el('section', { class: 'report-districts' }, [el('h2', {}, [t('report.districts.title')]), districtTable(districts)]),
    ...(scenario && scenarioDistricts ? [scenarioSection(scenario, scenarioDistricts)] : []),
    ...(state.suggestion ? [suggestionSection(state.suggestion)] : []),
    methodSection(districts, health),
  ];
}

/**
 * Wires the report button in #exports and the print view #report.
 * @param {import('maplibre-gl').Map} map
 * @param {import('./planner-tools.js').PlannerState} state
 */
export function mountReport(map, state) {
  const report = byId('report');
  const body = byId('report-body');
  const open = async () => {
    report.hidden = false;
    report.dataset.state = 'loading';
    document.documentElement.classList.add('report-open');
    body.replaceChildren(el('p', { class: 'report-loading' }, [t('report.loading')]));
    byId('report-close').focus();
    try {
      body.replaceChildren(...(await buildReport(map, state)));
      body.lang = language();
      report.dataset.state = 'ready';
    } catch (error) {
      report.dataset.state = 'error';
      body.replaceChildren();
      close();
      showError(t('report.error'), error);
    }
  };
  const close = () => {
    report.hidden = true;
    document.documentElement.classList.remove('report-open');
    byId('report-open').focus();
  };
  byId('report-open').addEventListener('click', open);
  byId('report-close').addEventListener('click', close);
  byId('report-print').addEventListener('click', () => window.print());
  report.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') close();
  });
  // The report is in the reader's language: made again when it changes.
  onLanguageChange(() => {
    if (!report.hidden) open();
  });
}
