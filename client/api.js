/**
 * The client's HTTP calls: one `requestJson` that turns the API's error shape
 * `{ error: { code, message } }` (and network failures, and non-JSON bodies)
 * into an ApiError the panel can show, plus one small function per endpoint.
 */

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
 * @param {RequestInit} [init]
 * @returns {Promise<any>}
 */
export async function requestJson(url, init) {
  let response;
  try {
    response = await fetch(url, { ...init, headers: { accept: 'application/json', ...init?.headers } });
  } catch (error) {
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
function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  return search.toString();
}

/** @returns {Promise<any>} the tile catalog: `{ layers: [...] }` or a bare list */
export const fetchCatalog = () => requestJson('/tiles/catalog.json');

/**
 * @param {string[]} layers layer ids, one TileJSON for all of them
 * @returns {Promise<any>} TileJSON 3.0.0
 */
export const fetchTileJson = (layers) => requestJson(`/tiles/${layers.join(',')}.json`);

/**
 * @param {string} level city, district, street, community or grid
 * @returns {Promise<any>} `{ level, units: [...], total }`
 */
export const fetchCoverage = (level) => requestJson(`/api/coverage?${query({ level, minutes: 15 })}`);

/**
 * @param {number} lon
 * @param {number} lat
 * @returns {Promise<any>} `{ center, walk_seconds, distance_m, route }`
 */
export const fetchNearest = (lon, lat) => requestJson(`/api/nearest?${query({ lon: lon.toFixed(7), lat: lat.toFixed(7) })}`);

/**
 * @param {number} lon
 * @param {number} lat
 * @param {number[]} minutes
 * @returns {Promise<any>} a GeoJSON FeatureCollection, property `minutes`
 */
export const fetchIsochrone = (lon, lat, minutes) =>
  requestJson(`/api/isochrone?${query({ lon: lon.toFixed(7), lat: lat.toFixed(7), minutes: minutes.join(',') })}`);

/**
 * @param {{ name: string, kind: string, lon: number, lat: number }} center
 * @returns {Promise<any>} the stored center (with its id)
 */
export const createCenter = (center) =>
  requestJson('/api/centers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(center) });

/**
 * @param {string | number} id
 * @returns {Promise<any>}
 */
export const deleteCenter = (id) => requestJson(`/api/centers/${encodeURIComponent(String(id))}`, { method: 'DELETE' });
