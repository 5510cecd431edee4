/**
 * Take it away: downloads of tables and places.
 *
 * - Tables as the server writes them (format=csv or xlsx, headers in the
 *   reader's language): the coverage of any level (GET /api/coverage, with
 *   a scenario's covered-before, gained and lost columns when one is given),
 *   the GB 50180 check of any level (GET /api/standard) and a scenario's
 *   comparison with the live centers per life circle (GET
 *   /api/scenarios/{id}). CSV is UTF-8 with a byte-order mark, so Excel
 *   opens the Chinese names correctly; the file name is the server's.
 * - The household units left outside as GeoJSON (GET
 *   /api/households/uncovered), live or with a scenario, optionally only
 *   those in the map's view.
 * - A scenario's centers as GeoJSON (GET /api/scenarios/{id}): what it
 *   adds, moves (at the new place, the old one in `from`) and removes (at
 *   the live center's place, from GET /api/centers/{id}).
 */
import { fetchCenterById, fetchScenarioById, fetchUncoveredHouseholds } from './api.js';
import { language, t } from './i18n.js';
import { scenarioId } from './open-scenario.js';
import { byId, clearMessages, showError, showNote } from './panel.js';
import { download, isoDay } from './planner-dom.js';
import { exportPath, requestDownload } from './table-files.js';

const GEOJSON_TYPE = 'application/geo+json;charset=utf-8';

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
 * @param {() => string} level the coverage table's level, the tables' default
 */
export function mountExports(map, state, level) {
  const scenarioInput = /** @type {HTMLInputElement} */ (byId('export-scenario'));
  const levelSelect = /** @type {HTMLSelectElement} */ (byId('export-level'));
  const minutesSelect = /** @type {HTMLSelectElement} */ (byId('export-minutes'));
  const syncScenario = () => (scenarioInput.value = state.scenario === null ? '' : String(state.scenario));
  state.onChange((what) => what === 'scenario' && syncScenario());
  syncScenario();
  // The tables' level follows the panel's until the planner picks another one here.
  let levelPicked = false;
  levelSelect.addEventListener('change', () => (levelPicked = true));
  byId('exports').addEventListener('toggle', () => {
    if (!levelPicked) levelSelect.value = level();
  });

  const scenario = () => scenarioId(scenarioInput.value.trim());
  const minutes = () => Number(minutesSelect.value) || 15;
  const suffix = (/** @type {number | null} */ id) => (id === null ? '' : `-scenario-${id}`);

  const formatSelect = /** @type {HTMLSelectElement} */ (byId('export-format'));
  /**
   * Wires a table's button: the server's file in the chosen format, headers in the page's language.
   * @param {string} buttonId
   * @param {'coverage' | 'standard' | 'comparison'} table
   */
  const tableButton = (buttonId, table) => {
    const button = byId(buttonId);
    button.addEventListener('click', () => exporting(button, t('export.error.table'), async () => {
      const id = scenario();
      if (table === 'comparison' && id === null) throw new Error(t('export.needScenario'));
      const format = formatSelect.value === 'csv' ? 'csv' : 'xlsx';
      const path = exportPath({ table, format, lang: language() === 'en' ? 'en' : 'zh', level: levelSelect.value, minutes: minutes(), scenario: id });
      const { blob, filename } = await requestDownload(path);
      const name = filename ?? `${table}${suffix(id)}-${isoDay()}.${format}`;
      download(name, blob, blob.type);
      return t('export.done.table', { file: name });
    }));
  };
  tableButton('export-coverage', 'coverage');
  tableButton('export-standard', 'standard');
  tableButton('export-comparison', 'comparison');

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
