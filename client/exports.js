/**
 * Take it away: downloads made in the browser from the API's answers.
 *
 * - The coverage table of any level as CSV (GET /api/coverage): UTF-8 with
 *   a byte order mark, so Excel opens the Chinese names correctly, CRLF
 *   lines (RFC 4180), the header in the reader's language, one row per
 *   unit in the API's order and the total last; numbers as the API gave
 *   them. With a scenario, its covered-before, gained and lost columns too.
 * - The household units left outside as GeoJSON (GET
 *   /api/households/uncovered), live or with a scenario, optionally only
 *   those in the map's view.
 * - A scenario's centers as GeoJSON (GET /api/scenarios/{id}): what it
 *   adds, moves (at the new place, the old one in `from`) and removes (at
 *   the live center's place, from GET /api/centers/{id}).
 */
import { fetchCenterById, fetchCoverageTable, fetchScenarioById, fetchUncoveredHouseholds } from './api.js';
import { t } from './i18n.js';
import { scenarioId } from './open-scenario.js';
import { byId, clearMessages, showError, showNote } from './panel.js';
import { download, isoDay } from './planner-dom.js';

/** @typedef {import('./api.js').CoverageTable} CoverageTable */

const BOM = '\uFEFF';
const CSV_TYPE = 'text/csv;charset=utf-8';
const GEOJSON_TYPE = 'application/geo+json;charset=utf-8';

/** The CSV's columns: the API's field and the header's string key. */
const COLUMNS = [
  ['code', 'export.csv.code'],
  ['name', 'export.csv.name'],
  ['households', 'export.csv.households'],
  ['covered', 'export.csv.covered'],
  ['share', 'export.csv.share'],
  ['p90_walk_s', 'export.csv.p90'],
  ['max_walk_s', 'export.csv.max'],
  ['beyond_15', 'export.csv.beyond15'],
  ['unreachable', 'export.csv.unreachable'],
];
/** Columns a scenario's table adds. */
const SCENARIO_COLUMNS = [
  ['covered_before', 'export.csv.coveredBefore'],
  ['gained', 'export.csv.gained'],
  ['lost', 'export.csv.lost'],
];

/**
 * One CSV field: numbers as they are, text quoted when it must be, and text
 * a spreadsheet would run as a formula (= + - @ first) kept as text.
 * @param {unknown} value
 */
function csvField(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The coverage table as CSV text (with its byte order mark).
 * @param {CoverageTable} table
 * @returns {string}
 */
export function coverageCsv(table) {
  const columns = table.scenario ? [...COLUMNS, ...SCENARIO_COLUMNS] : COLUMNS;
  const header = columns.map(([, key]) => csvField(t(key, { minutes: table.minutes })));
  /** @param {Record<string, unknown>} row */
  const line = (row) => columns.map(([name]) => csvField(row[name])).join(',');
  const rows = table.units.map((unit) => line(unit));
  rows.push(line({ ...table.total, code: '', name: t('coverage.total') }));
  return `${BOM}${[header.join(','), ...rows].join('\r\n')}\r\n`;
}

/**
 * A scenario's changed centers as a FeatureCollection.
 * @param {number} id
 */
export async function scenarioCentersGeoJson(id) {
  const scenario = await fetchScenarioById(id);
  const named = [...new Set(scenario.changes.flatMap((c) => (c.op === 'add' ? [] : [c.center_id])))];
  const centers = new Map(await Promise.all(named.map(async (centerId) => /** @type {const} */ ([centerId, await fetchCenterById(centerId)]))));
  const features = scenario.changes.map((change) => {
    if (change.op === 'add') {
      const { op, name, kind, services, lon, lat } = change;
      return point([lon, lat], { op, name, kind, services: services ?? [] });
    }
    const center = centers.get(change.center_id);
    const live = { center_id: change.center_id, name: center?.name ?? null, kind: center?.kind ?? null };
    if (change.op === 'move') return point([change.lon, change.lat], { op: 'move', ...live, from: center ? [center.lon, center.lat] : null });
    return point(center ? [center.lon, center.lat] : null, { op: 'remove', ...live });
  });
  return {
    type: 'FeatureCollection',
    features,
    // A foreign member, as RFC 7946 allows: which scenario, at which revision and data version.
    properties: { scenario: { id: scenario.id, name: scenario.name, revision: scenario.revision }, data_version: scenario.data_version },
  };
}

/**
 * @param {[number, number] | null} coordinates
 * @param {Record<string, unknown>} properties
 */
function point(coordinates, properties) {
  return { type: 'Feature', geometry: coordinates ? { type: 'Point', coordinates } : null, properties };
}

/**
 * The map's view as a bbox the API takes.
 * @param {import('maplibre-gl').Map} map
 * @returns {[number, number, number, number]}
 */
function viewBbox(map) {
  const b = map.getBounds();
  const clamp = (/** @type {number} */ v, /** @type {number} */ limit) => Math.max(-limit, Math.min(limit, v));
  return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)];
}

/**
 * Runs one export with its button disabled; failures are shown in the panel.
 * @param {HTMLElement} button
 * @param {string} context
 * @param {() => Promise<string>} work resolves to the note to show
 */
async function exporting(button, context, work) {
  const control = /** @type {HTMLButtonElement} */ (button);
  control.disabled = true;
  clearMessages();
  try {
    showNote(await work());
  } catch (error) {
    showError(context, error);
  } finally {
    control.disabled = false;
  }
}

/**
 * Wires the export buttons in #exports.
 * @param {import('maplibre-gl').Map} map
 * @param {import('./planner-tools.js').PlannerState} state
 * @param {() => string} level the coverage table's level, the CSV's default
 */
export function mountExports(map, state, level) {
  const scenarioInput = /** @type {HTMLInputElement} */ (byId('export-scenario'));
  const levelSelect = /** @type {HTMLSelectElement} */ (byId('export-level'));
  const minutesSelect = /** @type {HTMLSelectElement} */ (byId('export-minutes'));
  const syncScenario = () => (scenarioInput.value = state.scenario === null ? '' : String(state.scenario));
  state.onChange((what) => what === 'scenario' && syncScenario());
  syncScenario();
  // The CSV's level follows the table's until the planner picks another one here.
  let levelPicked = false;
  levelSelect.addEventListener('change', () => (levelPicked = true));
  byId('exports').addEventListener('toggle', () => {
    if (!levelPicked) levelSelect.value = level();
  });

  const scenario = () => scenarioId(scenarioInput.value.trim());
  const minutes = () => Number(minutesSelect.value) || 15;
  const suffix = (/** @type {number | null} */ id) => (id === null ? '' : `-scenario-${id}`);

  const csvButton = byId('export-coverage-csv');
  csvButton.addEventListener('click', () => exporting(csvButton, t('export.error.csv'), async () => {
    const id = scenario();
    const table = await fetchCoverageTable({ level: levelSelect.value, minutes: minutes(), scenario: id });
    download(`coverage-${table.level}-${table.minutes}min${suffix(id)}-${isoDay()}.csv`, coverageCsv(table), CSV_TYPE);
    return t('export.done.csv', { n: table.units.length });
  }));

  const uncoveredButton = byId('export-uncovered');
  uncoveredButton.addEventListener('click', () => exporting(uncoveredButton, t('export.error.uncovered'), async () => {
    const id = scenario();
    const inView = /** @type {HTMLInputElement} */ (byId('export-in-view')).checked;
    const collection = await fetchUncoveredHouseholds({ minutes: minutes(), scenario: id, bbox: inView ? viewBbox(map) : null });
    download(`uncovered-households-${minutes()}min${suffix(id)}-${isoDay()}.geojson`, JSON.stringify(collection), GEOJSON_TYPE);
    return t('export.done.uncovered', { n: collection.features.length });
  }));

  const centersButton = byId('export-scenario-centers');
  centersButton.addEventListener('click', () => exporting(centersButton, t('export.error.centers'), async () => {
    const id = scenario();
    if (id === null) throw new Error(t('export.needScenario'));
    const collection = await scenarioCentersGeoJson(id);
    download(`scenario-${id}-centers-${isoDay()}.geojson`, JSON.stringify(collection, null, 1), GEOJSON_TYPE);
    return t('export.done.centers', { n: collection.features.length, id });
  }));
}
