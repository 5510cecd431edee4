/**
 * GET /api/openapi.json: the OpenAPI document, serialized once per app, with
 * an ETag so caches revalidate it cheaply (it changes only with a deploy).
 * GET /docs: the page that renders it (docs-page.ts), with a CSP that allows
 * nothing from outside this origin.
 */
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { DOCS_CSP, DOCS_HTML } from './docs-page.ts';
import { createOpenApiDocument, OPENAPI_PATH } from './openapi-document.ts';
import { matchesIfNoneMatch } from '../tiles/tile-http.ts';

/** Short reuse, then revalidation: a deploy that changes the API shows within minutes, and a 304 costs nothing. */
const CACHE_CONTROL = 'public, max-age=300';

export function openApiRoutes(): Hono {
  const text = JSON.stringify(createOpenApiDocument());
  const hash = createHash('sha256').update(text).digest('base64url').slice(0, 22);
  const app = new Hono();

  app.get(OPENAPI_PATH, (c) => {
    // Other apps' API tools (e.g. a Swagger UI elsewhere) may read the document.
    const headers = { 'Cache-Control': CACHE_CONTROL, ETag: `"${hash}"`, 'Access-Control-Allow-Origin': '*' };
    if (matchesIfNoneMatch(c.req.header('if-none-match'), hash)) return c.body(null, 304, headers);
    return c.body(text, 200, { ...headers, 'Content-Type': 'application/json; charset=utf-8' });
  });

  app.get('/docs', (c) =>
    c.body(DOCS_HTML, 200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': DOCS_CSP,
      'Cache-Control': 'no-cache',
    }),
  );
  return app;
}
