/**
 * The server's table exports (`format=csv` or `xlsx`, `lang`): the path of
 * each, and fetching one as a file with the name the server gives it. Used
 * by the panel's downloads (exports.js); errors come as ApiErrors, like
 * every other call (api.js).
 */
import { ApiError, query } from './api.js';
import { authHeaders } from './session.js';

/**
 * The name a Content-Disposition gives a download: its UTF-8 `filename*`
 * (RFC 8187), else its plain `filename`.
 * @param {string | null} disposition
 * @returns {string | null}
 */
export function downloadName(disposition) {
  const text = disposition ?? '';
  const extended = /(?:^|;)\s*filename\*=UTF-8''([^;\s]+)/i.exec(text);
  if (extended) {
    try {
      return decodeURIComponent(extended[1] ?? '');
    } catch {
      // A malformed escape: the plain name below.
    }
  }
  return /(?:^|;)\s*filename="([^"]*)"/i.exec(text)?.[1] ?? null;
}

/**
 * A table export of the API (`format=csv` or `xlsx`, `lang`): its bytes and
 * the file name the server gives it. Errors come as from requestJson.
 * @param {string} path the API path with its query, format and lang included
 * @returns {Promise<{ blob: Blob, filename: string | null }>}
 */
export async function requestDownload(path) {
  let response;
  try {
    response = await fetch(path, { headers: { accept: '*/*', ...authHeaders(path) } });
  } catch (error) {
    throw new ApiError(0, 'network', `${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) {
    /** @type {{ error?: { code?: string, message?: string } } | null} */
    let body = null;
    try {
      body = await response.json();
    } catch {
      // Not the API's error shape: the status says what happened.
    }
    const error = body?.error;
    if (error && typeof error.message === 'string') throw new ApiError(response.status, String(error.code ?? 'error'), error.message);
    throw new ApiError(response.status, 'http_error', `${path}: HTTP ${response.status} ${response.statusText}`);
  }
  return { blob: await response.blob(), filename: downloadName(response.headers.get('content-disposition')) };
}

/**
 * The path of a table export: the coverage per unit, the GB 50180 check per
 * unit, or a scenario's comparison with the live centers.
 * @param {{ table: 'coverage' | 'standard' | 'comparison', format: 'csv' | 'xlsx', lang: 'zh' | 'en', level?: string, minutes?: number, scenario?: number | null }} options
 * @returns {string}
 */
export function exportPath({ table, format, lang, level, minutes, scenario }) {
  if (table === 'comparison') return `/api/scenarios/${encodeURIComponent(String(scenario))}?${query({ format, lang })}`;
  if (table === 'standard') return `/api/standard?${query({ level, format, lang })}`;
  return `/api/coverage?${query({ level, minutes, scenario: scenario ?? undefined, format, lang })}`;
}
