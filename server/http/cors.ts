/**
 * Cross-origin access by each route's access rule (x-access in the OpenAPI
 * document, read through route-access.ts's accessTable), so other apps can
 * call the API from their own pages:
 *
 * - Public reads ('read': GETs, tiles, TileJSON, events, docs, health, and
 *   the read POSTs /api/isochrone and /api/plan/suggest) are open to every
 *   origin: `Access-Control-Allow-Origin: *` on every answer, errors included,
 *   so a page can read the error's message. Tokens travel as bearer headers,
 *   never cookies, so no credentials are allowed and `*` is safe.
 * - Writes ('planner', 'admin') are open only to the configured write
 *   origins (CORS_WRITE_ORIGINS), whose origin is echoed with `Vary: Origin`.
 *   A write that carries an Origin that is neither this server's own nor
 *   configured is refused here, 403 `origin_not_allowed`, before the route
 *   reads its body or changes anything: a token pasted into a page elsewhere
 *   does not make that page a planning tool. Requests without Origin (curl,
 *   servers) are not browsers' and are left to the token check.
 * - Preflights (OPTIONS with Access-Control-Request-Method) are answered here
 *   and never reach a route: 204 with the methods, headers and Max-Age when
 *   the origin may make the request, 204 without allow headers when it may
 *   not (the browser then blocks it), and the JSON 404 for a path no
 *   operation has.
 *
 * A path the document does not list is left alone for GET, HEAD and OPTIONS,
 * and treated as a write for other methods (fail closed: a route mounted
 * outside defineRoute cannot be written to from a foreign page).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { errorBody, HttpError } from './error-codes.ts';
import { accessFor, type AccessEntry, type RouteAccess } from './route-access.ts';

export interface CorsOptions {
  /** Origins (`https://host[:port]`, as browsers send them) whose pages may call the planner and admin routes. */
  writeOrigins: readonly string[];
  /** How long a browser may reuse a preflight's answer (s); Chromium caps it at 7200. */
  maxAgeSeconds: number;
}

export const defaultCorsOptions: CorsOptions = { writeOrigins: [], maxAgeSeconds: 7_200 };

/** Request headers a cross-origin page may send: the body type, the token, revalidation, and EventSource's resume. */
export const ALLOWED_HEADERS = ['Content-Type', 'Authorization', 'If-None-Match', 'Last-Event-ID'];
/** Answer headers a cross-origin page may read beyond the safelisted ones. */
export const EXPOSED_HEADERS = ['ETag', 'Location', 'Retry-After', 'WWW-Authenticate', 'Content-Encoding'];

/** Methods that change nothing; anything else is a write unless the document says it is a read. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Adds `value` to the Vary header unless it is there (the tiles' `Accept-Encoding` stays). */
function addVary(headers: Headers, value: string): void {
  const current = headers.get('vary');
  if (!current) headers.set('vary', value);
  else if (!current.split(',').some((v) => v.trim().toLowerCase() === value.toLowerCase() || v.trim() === '*')) headers.set('vary', `${current}, ${value}`);
}

/**
 * True when `origin` is this server's own: its host (and port) is the one
 * the request was sent to, directly or through a proxy (X-Forwarded-Host).
 * The scheme is not compared, so a TLS proxy in front does not make our own
 * page foreign. A page elsewhere cannot fake this: a browser sets Origin
 * itself, and X-Forwarded-Host from a page needs a preflight we never allow.
 */
export function isSameOrigin(c: Context, origin: string): boolean {
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false; // 'null' (sandboxed frames, file pages) and garbage are never ours
  }
  if (host === new URL(c.req.url).host) return true;
  const forwarded = c.req.header('x-forwarded-host')?.split(',')[0]?.trim();
  return forwarded !== undefined && forwarded.toLowerCase() === host;
}

/**
 * The CORS middleware: `table` gives the access rule of every operation
 * (called on the first request, when every route is mounted). Install it
 * before the routes, so it sees every request first and every answer last.
 */
export function corsByAccess(table: () => readonly AccessEntry[], options: Partial<CorsOptions> = {}): MiddlewareHandler {
  const opts = { ...defaultCorsOptions, ...options };
  // As browsers write an origin (lower case, no default port), whatever the caller passed.
  const writers = new Set(opts.writeOrigins.map((o) => URL.canParse(o) ? new URL(o).origin : o));
  let entries: readonly AccessEntry[] | undefined;
  const rules = () => (entries ??= table());

  /** The access the request needs: the document's rule, or a write for an unlisted unsafe method. */
  const accessOf = (method: string, path: string): RouteAccess | undefined =>
    accessFor(rules(), method, path) ?? (SAFE_METHODS.has(method.toUpperCase()) ? undefined : 'planner');

  function preflight(c: Context, origin: string, requested: string): Response {
    const path = c.req.path;
    const operations = rules().filter((e) => e.pattern.test(path));
    if (operations.length === 0) return c.json(errorBody('not_found', `no route for ${requested.toUpperCase()} ${path}`), 404);
    const writer = writers.has(origin) || isSameOrigin(c, origin);
    // The methods this origin may use here: reads for everyone, writes for configured origins only.
    const methods = new Set<string>();
    for (const e of operations) {
      if (e.access === 'read' || writer) methods.add(e.method);
      if (e.method === 'GET' && methods.has('GET')) methods.add('HEAD');
    }
    const headers = new Headers({ vary: 'Origin' });
    if (methods.has(requested.toUpperCase())) {
      const onlyReads = operations.every((e) => e.access === 'read');
      headers.set('access-control-allow-origin', onlyReads ? '*' : origin);
      headers.set('access-control-allow-methods', [...methods].join(', '));
      headers.set('access-control-allow-headers', ALLOWED_HEADERS.join(', '));
      headers.set('access-control-max-age', String(opts.maxAgeSeconds));
    }
    return new Response(null, { status: 204, headers });
  }

  return async (c, next) => {
    const origin = c.req.header('origin');
    const requested = c.req.header('access-control-request-method');
    if (c.req.method === 'OPTIONS' && origin !== undefined && requested !== undefined) return preflight(c, origin, requested);

    const access = accessOf(c.req.method, c.req.path);
    const write = access !== undefined && access !== 'read';
    const allowedWriter = origin !== undefined && writers.has(origin);
    if (write && origin !== undefined && !allowedWriter && !isSameOrigin(c, origin)) {
      throw new HttpError('origin_not_allowed', `a page on ${origin} may not make changes here; the server's CORS_WRITE_ORIGINS lists the pages that may`, undefined, {
        headers: { Vary: 'Origin' },
      });
    }
    await next();
    if (access === undefined) return;
    const headers = c.res.headers;
    if (!write) {
      headers.set('access-control-allow-origin', '*');
    } else if (allowedWriter) {
      headers.set('access-control-allow-origin', origin);
      addVary(headers, 'Origin');
    } else {
      return; // our own page, or no browser: nothing to allow
    }
    headers.set('access-control-expose-headers', EXPOSED_HEADERS.join(', '));
  };
}
