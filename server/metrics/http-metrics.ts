/**
 * Requests by route and status, with their latency: a middleware installed
 * first on the app, so it sees every answer last (errors, 401s and 429s
 * included, after onError has made them) and times everything the app
 * does for a request. The route is the pattern the app matched
 * (`/api/centers/:id`, `/tiles/:layers/:z/:x/:file`), never the URL:
 * ids, tile addresses and query strings would make a new series each and
 * grow without bound. A request no route matched counts as `unmatched`.
 *
 * Latency runs until the answer's head is ready: a streamed body (the
 * event stream, a large export) goes on afterwards and is not counted.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { Counter, Histogram, type Registry } from 'prom-client';

/** Seconds: a cached tile takes a fraction of a millisecond, a site suggestion or an uncached low-zoom tile seconds. */
export const REQUEST_SECONDS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Methods counted by name; anything else (Node accepts WebDAV's and others) is `other`, so a client cannot add series. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export const UNMATCHED_ROUTE = 'unmatched';

type Labels = 'method' | 'route' | 'status';

/**
 * The route pattern that answered: the last route matched for the request
 * that is not middleware (app.use registers middleware for every method;
 * routes name theirs). Middleware comes first in the list, as app.ts
 * installs it before any route.
 */
export function routeOf(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i]!;
    if (route.method !== 'ALL') return route.path;
  }
  return UNMATCHED_ROUTE;
}

export function requestMetrics(registry: Registry): MiddlewareHandler {
  const requests = new Counter<Labels>({
    name: 'living_circle_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const seconds = new Histogram<Labels>({
    name: 'living_circle_http_request_duration_seconds',
    help: 'Time from a request to its answer head, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: REQUEST_SECONDS_BUCKETS,
    registers: [registry],
  });
  return async (c, next) => {
    const started = performance.now();
    let status = 500;
    try {
      await next();
      status = c.res.status;
    } finally {
      const labels = { method: METHODS.has(c.req.method) ? c.req.method : 'other', route: routeOf(c), status: String(status) };
      requests.inc(labels);
      seconds.observe(labels, (performance.now() - started) / 1000);
    }
  };
}
