/**
 * The client's HTTP calls: one `requestJson` that turns the API's error shape
 * `{ error: { code, message } }` (and network failures, and non-JSON bodies)
 * into an ApiError the panel can show, plus one small function per endpoint.
 * The response types are the parts of the API's schemas (GET /api/openapi.json)
 * the client reads; they are not checked at run time.
 */

/**
 * TileJSON 3.0.0 of one or several tile layers.
 * @typedef {{
 *   tiles: string[],
 *   minzoom?: number,
 *   maxzoom?: number,
 *   bounds?: [west: number, south: number, east: number, north: number],
 *   center?: [lon: number, lat: number, zoom: number],
 *   attribution?: string,
 *   vector_layers?: { id: string, minzoom?: number, maxzoom?: number, fields?: Record<string, string> }[],
 * }} TileJson
 */
/** @typedef {{ households: number, covered: number, share: number | null }} CoverageCounts */
/**
 * GET /api/coverage: every unit of a level and the total.
 * @typedef {{ level: string, units: (CoverageCounts & { code: string | null, name: string })[], total: CoverageCounts }} Coverage
 */
/**
 * GET /api/nearest: the nearest center by walking time, and the route to it.
 * @typedef {{
 *   center: { id: number, name: string, kind: string },
 *   walk_seconds: number,
 *   distance_m: number,
 *   route: import('geojson').Feature<import('geojson').LineString>,
 * }} Nearest
 */
/** @typedef {{ id: number, name: string, kind: string, lon: number, lat: number, source: string }} Center a stored center */
/**
 * GET /api/search: one match (a division, a grid or a center).
 * @typedef {{
 *   type: 'district' | 'street' | 'community' | 'grid' | 'center',
 *   code: string,
 *   name: string,
 *   context: string,
 *   parents: { type: 'district' | 'street' | 'community', code: string, name: string }[],
 *   kind?: string | null,
 *   lon: number | null,
 *   lat: number | null,
 *   bbox?: [west: number, south: number, east: number, north: number] | null,
 * }} SearchResult
 */
/**
 * GET /api/place: one facility kind on the answer card, with its nearest center.
 * @typedef {{
 *   kind: string,
 *   name: string,
 *   name_zh: string,
 *   minutes: 5 | 10 | 15,
 *   centers: number,
 *   center: { id: number, name: string, kind: string, lon: number, lat: number } | null,
 *   walk_seconds: number | null,
 *   distance_m: number | null,
 *   route: import('geojson').LineString | null,
 *   met: boolean,
 * }} PlaceKind
 */
/**
 * GET /api/place: the answer card of a point: the nearest center of each
 * kind, and which life-circle tiers (5, 10, 15 minutes) the point meets.
 * @typedef {{
 *   origin: { lon: number, lat: number, snapped: [number, number], access_m: number },
 *   kinds: PlaceKind[],
 *   tiers: { minutes: 5 | 10 | 15, distance_m: number, name: string, name_zh: string, kinds: string[], missing_kinds: string[], met: boolean }[],
 *   all_tiers_met: boolean,
 * }} Place
 */

import { authHeaders } from './session.js';

/** An API failure with the server's code and message, or a client-side one. */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 for a network failure
   * @param {string} code machine code from the API (or 'network', 'bad_response')
   * @param {string} message what went wrong, as the server said it
   */
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/**
 * Fetches a URL and parses its JSON; throws ApiError for any failure.
 * @param {string} url
 * @param {Omit<RequestInit, 'headers'> & { headers?: Record<string, string> }} [init] headers as a plain
 *   object: they are spread into the defaults, which would drop a Headers instance's entries
 * @returns {Promise<any>} the parsed body; each endpoint function below says its type
 */
export async function requestJson(url, init) {
  let response;
  try {
    response = await fetch(url, { ...init, headers: { accept: 'application/json', ...authHeaders(url), ...init?.headers } });
  } catch (error) {
    // A request its caller gave up on (a search superseded by the next keystroke) is no failure to show.
    if (init?.signal?.aborted) throw error;
    throw new ApiError(0, 'network', `${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const text = await response.text();
  let body;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = body?.error;
    if (error && typeof error.message === 'string') throw new ApiError(response.status, String(error.code ?? 'error'), error.message);
    throw new ApiError(response.status, 'http_error', `${url}: HTTP ${response.status} ${response.statusText}`);
  }
  if (body === undefined) throw new ApiError(response.status, 'bad_response', `${url}: the response is not JSON`);
  return body;
}

/**
 * @param {Record<string, string | number | undefined>} params
 * @returns {string} a query string without undefined values
 */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  return search.toString();
}

/** @returns {Promise<unknown>} the tile catalog: `{ layers: [...] }` or a bare list (read by normalizeCatalog) */
export const fetchCatalog = () => requestJson('/tiles/catalog.json');

/**
 * @param {string[]} layers layer ids, one TileJSON for all of them
 * @returns {Promise<TileJson>}
 */
export const fetchTileJson = (layers) => requestJson(`/tiles/${layers.join(',')}.json`);

/**
 * @param {string} level city, district, street, community or grid
 * @returns {Promise<Coverage>}
 */
export const fetchCoverage = (level) => requestJson(`/api/coverage?${query({ level, minutes: 15 })}`);

/**
 * @param {number} lon
 * @param {number} lat
 * @returns {Promise<Nearest>}
 */
export const fetchNearest = (lon, lat) => requestJson(`/api/nearest?${query({ lon: lon.toFixed(7), lat: lat.toFixed(7) })}`);

/**
 * @param {string} q the text looked for, trimmed (1 to 64 characters: the server answers 400 otherwise)
 * @param {{ limit?: number, signal?: AbortSignal }} [options]
 * @returns {Promise<{ results: SearchResult[], total?: number }>}
 */
export const fetchSearch = (q, { limit, signal } = {}) => requestJson(`/api/search?${query({ q, limit })}`, { signal });

/**
 * @param {number} lon
 * @param {number} lat
 * @param {{ signal?: AbortSignal }} [options]
 * @returns {Promise<Place>}
 */
export const fetchPlace = (lon, lat, { signal } = {}) =>
  requestJson(`/api/place?${query({ lon: lon.toFixed(7), lat: lat.toFixed(7) })}`, { signal });

/**
 * @param {number} lon
 * @param {number} lat
 * @param {number[]} minutes
 * @returns {Promise<import('geojson').FeatureCollection>} one feature per contour, property `minutes`
 */
export const fetchIsochrone = (lon, lat, minutes) =>
  requestJson(`/api/isochrone?${query({ lon: lon.toFixed(7), lat: lat.toFixed(7), minutes: minutes.join(',') })}`);

/**
 * @param {{ name: string, kind: string, lon: number, lat: number }} center
 * @returns {Promise<Center>} the stored center (with its id)
 */
export const createCenter = (center) =>
  requestJson('/api/centers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(center) });

/**
 * @param {string | number} id
 * @returns {Promise<unknown>}
 */
export const deleteCenter = (id) => requestJson(`/api/centers/${encodeURIComponent(String(id))}`, { method: 'DELETE' });

// --- Planners: the session and scenarios (planner-session.js, scenario-*.js) ---

/** @typedef {{ token_id: number, name: string, role: 'planner' | 'admin' }} Session GET /api/session: whose token this is */
/**
 * One change of a scenario to the live centers.
 * @typedef {{ op: 'add', name: string, kind: string, lon: number, lat: number, services?: string[] }
 *   | { op: 'move', center_id: number, lon: number, lat: number }
 *   | { op: 'remove', center_id: number }} ScenarioChange
 */
/**
 * A life circle's figures in a scenario's summary.
 * @typedef {{ minutes: number, households_before: number, households_after: number, gained: number, lost: number,
 *   share_before: number | null, share_after: number | null }} ScenarioCircle
 */
/**
 * A stored scenario (GET /api/scenarios lists them without a summary).
 * @typedef {{ id: number, name: string, description: string | null, changes: ScenarioChange[], revision: number,
 *   created_at: string, updated_at: string }} ScenarioListed
 */
/**
 * A scenario evaluated against the live data.
 * @typedef {ScenarioListed & { data_version: string, summary: { households: number, circles: ScenarioCircle[] } }} Scenario
 */
/**
 * GET /api/coverage?scenario=: per unit, covered before and after, gained and lost.
 * @typedef {{ level: string, scenario: { id: number, revision: number } | null,
 *   units: (CoverageCounts & { code: string | null, name: string, covered_before?: number, gained?: number, lost?: number })[],
 *   total: CoverageCounts & { covered_before?: number, gained?: number, lost?: number } }} ScenarioCoverage
 */
/** @typedef {{ scenario: number, data_version: string, added: number[], moved: number[], removed: number[] }} AppliedScenario */

/** @param {unknown} body */
const jsonBody = (body) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/**
 * @param {string} [token] a token to check instead of the kept one
 * @returns {Promise<Session>} 401 for a token that is not valid, 403 for one that is not a planner's
 */
export const fetchSession = (token) => requestJson('/api/session', token ? { headers: { authorization: `Bearer ${token}` } } : undefined);

/** @returns {Promise<{ scenarios: ScenarioListed[] }>} */
export const fetchScenarios = () => requestJson('/api/scenarios');

/**
 * @param {number} id
 * @returns {Promise<Scenario>}
 */
export const fetchScenario = (id) => requestJson(`/api/scenarios/${id}`);

/**
 * @param {{ name: string, changes: ScenarioChange[] }} scenario
 * @returns {Promise<Scenario>}
 */
export const createScenario = (scenario) => requestJson('/api/scenarios', { method: 'POST', ...jsonBody(scenario) });

/**
 * @param {number} id
 * @param {{ name?: string, changes?: ScenarioChange[] }} patch
 * @returns {Promise<Scenario>} the scenario as it is now (its revision one up)
 */
export const updateScenario = (id, patch) => requestJson(`/api/scenarios/${id}`, { method: 'PATCH', ...jsonBody(patch) });

/**
 * @param {number} id
 * @returns {Promise<ScenarioListed>}
 */
export const deleteScenario = (id) => requestJson(`/api/scenarios/${id}`, { method: 'DELETE' });

/**
 * @param {number} id
 * @returns {Promise<AppliedScenario>}
 */
export const applyScenario = (id) => requestJson(`/api/scenarios/${id}/apply`, { method: 'POST' });

/**
 * @param {string} level city, district, street, community or grid
 * @param {number} scenario
 * @returns {Promise<ScenarioCoverage>}
 */
export const fetchScenarioCoverage = (level, scenario) => requestJson(`/api/coverage?${query({ level, minutes: 15, scenario })}`);

/**
 * @param {number} id
 * @returns {Promise<Center>}
 */
export const fetchCenter = (id) => requestJson(`/api/centers/${id}`);

// --- Planner tools (suggestions, exports, report: client/planner-tools.js) ---

/**
 * POST /api/plan/suggest: the answer's parts the client reads.
 * @typedef {{ weight: number, households: number, persons: number }} SuggestAmounts
 * @typedef {{
 *   objective: 'max_coverage' | 'target_share',
 *   method: 'greedy' | 'exact',
 *   status: 'optimal' | 'time_limit' | 'heuristic' | 'unreachable',
 *   minutes: number,
 *   speed_kmh: number,
 *   kind: string | null,
 *   k: number | null,
 *   scenario: { id: number, revision: number } | null,
 *   target: { share: number, weight_to_gain: number, reached: boolean } | null,
 *   sites: { rank: number, lon: number, lat: number, gained: SuggestAmounts }[],
 *   curve: (SuggestAmounts & { sites: number, share: number })[],
 *   totals: { all: SuggestAmounts, before: SuggestAmounts & { share: number }, after: SuggestAmounts & { share: number }, gained: SuggestAmounts },
 *   bound: { weight: number | null, share: number | null, sites: number | null, gap: number | null, source: string },
 *   timings_ms: Record<string, number>,
 *   changes: { op: 'add', name: string, kind: string, lon: number, lat: number, services: string[] }[],
 *   data_version: string,
 * }} Suggestion
 */
/**
 * GET /api/scenarios/{id}: a stored scenario, evaluated now.
 * @typedef {{
 *   id: number, name: string, description: string | null, revision: number, data_version: string,
 *   changes: ({ op: 'add', name: string, kind: string, lon: number, lat: number, services?: string[] }
 *     | { op: 'move', center_id: number, lon: number, lat: number } | { op: 'remove', center_id: number })[],
 *   summary: { households: number, circles: ScenarioCircle[], walk_seconds: { before: { p50: number | null, p90: number | null }, after: { p50: number | null, p90: number | null } } },
 * }} StoredScenario
 */
/**
 * GET /api/coverage with every figure the exports and the report read.
 * @typedef {CoverageCounts & { p90_walk_s: number | null, max_walk_s: number | null, beyond_15: number, unreachable: number, covered_before?: number, gained?: number, lost?: number }} CoverageFigures
 * @typedef {{ level: string, minutes: number, speed_kmh: number, profile: string, data_version: string, scenario: { id: number, revision: number } | null,
 *   units: (CoverageFigures & { code: string | null, name: string })[], total: CoverageFigures }} CoverageTable
 */

/**
 * @param {Record<string, unknown>} body the request (k or target_share, minutes, kind, method, scenario)
 * @param {AbortSignal} [signal] aborting it ends the request; the server then stops the work
 * @returns {Promise<Suggestion>}
 */
export const requestSuggestion = (body, signal) =>
  requestJson('/api/plan/suggest', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });

/**
 * @param {{ name: string, description?: string, changes: unknown[] }} scenario
 * @returns {Promise<StoredScenario>} the stored scenario (needs a planner token)
 */
export const saveSuggestionScenario = (scenario) =>
  requestJson('/api/scenarios', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(scenario) });

/**
 * @param {number} id
 * @returns {Promise<StoredScenario>}
 */
export const fetchScenarioById = (id) => requestJson(`/api/scenarios/${encodeURIComponent(String(id))}`);

/**
 * @param {number} id
 * @returns {Promise<Center & { services: string[] }>}
 */
export const fetchCenterById = (id) => requestJson(`/api/centers/${encodeURIComponent(String(id))}`);

/**
 * @param {{ level: string, minutes?: number, scenario?: number | null }} options
 * @returns {Promise<CoverageTable>}
 */
export const fetchCoverageTable = ({ level, minutes = 15, scenario }) =>
  requestJson(`/api/coverage?${query({ level, minutes, scenario: scenario ?? undefined })}`);

/**
 * GET /api/households/uncovered: the household units left outside, as GeoJSON points.
 * @param {{ minutes?: number, scenario?: number | null, bbox?: [number, number, number, number] | null }} options
 * @returns {Promise<import('geojson').FeatureCollection<import('geojson').Point> & { properties: Record<string, unknown> }>}
 */
export const fetchUncoveredHouseholds = ({ minutes = 15, scenario, bbox }) =>
  requestJson(`/api/households/uncovered?${query({ minutes, scenario: scenario ?? undefined, bbox: bbox ? bbox.map((v) => v.toFixed(6)).join(',') : undefined })}`);

/** @returns {Promise<{ data: { version: string, city: string | null, source: string | null, changed_at: string } }>} GET /health */
export const fetchServiceHealth = () => requestJson('/health');
