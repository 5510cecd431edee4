/**
 * GET /metrics: the app's metrics in Prometheus' text format (0.0.4), from
 * the registry app.ts made. Mounted by the METRICS setting
 * (metrics-access.ts): on the main app with the `admin` rule or the
 * public read rule, or alone on an app of its own that main.ts serves on a
 * separate port. Left out of the OpenAPI document: it is for operators'
 * scrapers, not an API for apps, and its presence depends on the setting.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Registry } from 'prom-client';
import { defineRoute } from '../http/define-route.ts';
import { handleError, handleNotFound } from '../http/error-mapping.ts';
import type { RouteAccess } from '../http/route-access.ts';
import type { Logger } from '../logger.ts';

export const METRICS_PATH = '/metrics';

/** The route alone, with `access` ('admin', or 'read' for anyone who may read). */
export function metricsRoutes(registry: Registry, access: Extract<RouteAccess, 'admin' | 'read'>): OpenAPIHono {
  const app = new OpenAPIHono();
  defineRoute(
    app,
    {
      method: 'get',
      path: METRICS_PATH,
      operationId: 'getMetrics',
      documented: false,
      access,
      tags: ['operations'],
      summary: 'Metrics for operators, in the Prometheus text format',
      responses: { 200: { description: 'Prometheus text exposition format 0.0.4.', content: { 'text/plain': { schema: z.string() } } } },
    },
    async (c) =>
      // Every scrape reads the current numbers: never stored by a cache on the way.
      c.body(await registry.metrics(), 200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' }),
  );
  return app;
}

/**
 * The app of the separate metrics port: GET /metrics and nothing else, no
 * token (whoever reaches the port is meant to: keep it on a private
 * interface or behind a firewall), errors in the API's shape.
 */
export function metricsPortApp(registry: Registry, logger: Logger): OpenAPIHono {
  const app = new OpenAPIHono();
  app.onError(handleError(logger));
  app.notFound(handleNotFound);
  app.route('/', metricsRoutes(registry, 'read'));
  return app;
}
