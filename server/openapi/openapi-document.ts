/**
 * The OpenAPI 3.1 document of the mounted API, generated from the routes'
 * own schemas (http/define-route.ts registers every operation in the app's
 * registry as it mounts it): parameters, bodies, responses, limits,
 * defaults and error codes all come from the code that enforces them. This
 * module adds only what is about the API as a whole.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';

/** Where the document is served; the /docs page fetches it from here. */
export const OPENAPI_PATH = '/api/openapi.json';

const TAGS = [
  { name: 'places', description: 'For residents: places by name or code, and the living-circle answer card of a point.' },
  { name: 'routing', description: 'Isochrones and the nearest center, on the in-memory walk graph.' },
  { name: 'coverage', description: 'Households within a walk of a center, rolled up by level.' },
  { name: 'centers', description: 'The community service centers.' },
  { name: 'planning', description: 'What-if scenarios against the live data, compared with the baseline, and applied when decided.' },
  { name: 'tiles', description: 'Vector tiles, TileJSON and the layer catalog.' },
  { name: 'audit', description: 'Who changed what, when, with the row before and after (planners).' },
  { name: 'tokens', description: 'Bearer tokens: made, listed and revoked by admins.' },
  { name: 'events', description: 'Changes to the data, pushed to clients that follow them.' },
  { name: 'health', description: 'Liveness and readiness.' },
  { name: 'docs', description: 'This document and its page.' },
];

/** The document of every operation registered on `app` (and the apps routed into it). */
export function createOpenApiDocument(app: OpenAPIHono): Record<string, unknown> {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description:
      'A token from `npm run token -- create --role planner|admin|reader --name ...`. Writes need a planner (or admin) token; ' +
      'reads are public unless the deployment sets READS_NEED_TOKEN. `x-access` on each operation says which.',
  });
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: '15-minute living circle API',
      version: '1',
      description:
        'Vector tiles, walking isochrones, the nearest community center and household coverage. ' +
        'All coordinates are WGS84 lon/lat. Every error is JSON `{ "error": { "code", "message", "field"? } }` ' +
        'with one code per kind of mistake: a 4xx for anything the caller got wrong (`field` names the parameter ' +
        'or body field at fault), a 5xx only for a bug or an outage.',
    },
    servers: [{ url: '/' }],
    tags: TAGS,
  }) as unknown as Record<string, unknown>;
}
