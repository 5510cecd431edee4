/**
 * The one set of error codes of the API: every 4xx and 5xx answer carries
 * one of these in `{ "error": { "code", "message", "field"? } }`, one code
 * per kind of mistake, whichever route it happens on. The OpenAPI document
 * lists, per operation, the codes it can answer (from this table).
 */
export const ERROR_CODES = {
  bad_request: { status: 400, meaning: 'A parameter or body field is missing, malformed, out of range or not accepted; `field` names it.' },
  bad_body: { status: 400, meaning: 'The request body is not a JSON object.' },
  unknown_kind: { status: 400, meaning: 'No center has this kind; the message lists the kinds there are.' },
  unauthorized: { status: 401, meaning: 'The route needs `Authorization: Bearer <token>`, and none was sent or it is not valid (wrong, expired or revoked: the answer does not say which).' },
  forbidden: { status: 403, meaning: 'The token is valid but its role may not do this (a planner token for admin work, a reader token for a write).' },
  origin_not_allowed: { status: 403, meaning: 'A write from a web page whose origin is not among the configured write origins.' },
  not_found: { status: 404, meaning: 'No such route.' },
  unknown_center: { status: 404, meaning: 'No center has this id.' },
  unknown_layer: { status: 404, meaning: 'No tile layer has this name; the message lists the layers.' },
  unknown_scenario: { status: 404, meaning: 'No scenario has this id.' },
  unknown_token: { status: 404, meaning: 'No token has this id.' },
  no_center_reachable: { status: 404, meaning: 'No center (of that kind) is within the longest walk searched.' },
  scenario_conflict: { status: 409, meaning: 'A change of the scenario names a center the live data no longer has; edit the scenario.' },
  stale_scenario: { status: 409, meaning: 'The live data changed since the scenario was last evaluated; read it again, then apply.' },
  request_timeout: { status: 408, meaning: 'The request head or body did not arrive within the server\'s deadline; the connection is closed.' },
  payload_too_large: { status: 413, meaning: 'The request body is larger than the route accepts.' },
  headers_too_large: { status: 431, meaning: 'The request line and headers exceed 16 KB (usually a very long URL).' },
  rate_limited: { status: 429, meaning: 'Too many expensive requests from this client; `Retry-After` says when to try again.' },
  outside_data_bounds: { status: 422, meaning: 'The point is outside the data.' },
  off_network: { status: 422, meaning: 'The point is too far from any walkable way.' },
  area_too_large: { status: 422, meaning: 'The reachable area is too large for the buffer asked for.' },
  graph_unavailable: { status: 503, meaning: 'The walk graph could not be loaded.' },
  no_walk_network: { status: 503, meaning: 'No city has been imported yet.' },
  coverage_unavailable: { status: 503, meaning: 'Household coverage could not be computed.' },
  busy: { status: 503, meaning: 'Too much heavy work is queued; `Retry-After` says when to try again.' },
  database_unavailable: { status: 503, meaning: 'The database cannot be reached or took too long; the answer comes back when it does.' },
  internal: { status: 500, meaning: 'A bug or an outage; the server log has details.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
export type ErrorStatus = (typeof ERROR_CODES)[ErrorCode]['status'];

/** An error answer decided at the HTTP edge: its code (which fixes the status), message and the field at fault. */
export class HttpError extends Error {
  readonly status: ErrorStatus;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(message, options);
    this.name = 'HttpError';
    this.status = ERROR_CODES[code].status;
    this.headers = options?.headers;
  }

  /** Headers the answer must carry (WWW-Authenticate, Retry-After). */
  readonly headers: Record<string, string> | undefined;
}

/** The error body. */
export function errorBody(code: ErrorCode, message: string, field?: string) {
  return { error: field === undefined ? { code, message } : { code, message, field } };
}
