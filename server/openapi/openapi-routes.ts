/**
 * GET /api/openapi.json: the OpenAPI document, generated on first request
 * (when every route is mounted) and serialized once, with an ETag so caches
 * revalidate it cheaply (it changes only with a deploy).
 * GET /docs: the page that renders it (docs-page.ts), with a CSP that allows
 * nothing from outside this origin.
 */
import { createHash } from 'node:crypto';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { defineRoute } from '../http/define-route.ts';
import { etagHeader, ifNoneMatchHeader, notModified } from '../http/responses.ts';
import { matchesIfNoneMatch } from '../tiles/tile-http.ts';
import { DOCS_CSP, DOCS_HTML } from './docs-page.ts';
import { OPENAPI_PATH } from './openapi-document.ts';

/** Short reuse, then revalidation: a deploy that changes the API shows within minutes, and a 304 costs nothing. */
const CACHE_CONTROL = 'public, max-age=300';

/** The routes; `document` makes the OpenAPI document of the whole app (called once, on first request). */
export function openApiRoutes(document: () => Record<string, unknown>): OpenAPIHono {
  const app = new OpenAPIHono();
  let served: { text: string; hash: string } | undefined;

  defineRoute(
    app,
    {
      method: 'get',
      path: OPENAPI_PATH,
      operationId: 'getOpenApi',
      tags: ['docs'],
      summary: 'This document (OpenAPI 3.1)',
      extraParameters: ifNoneMatchHeader,
      responses: {
        200: {
          description: 'The OpenAPI document.',
          headers: { ETag: etagHeader, 'Cache-Control': { description: 'Cacheable; revalidate with the ETag.', required: true, schema: { type: 'string' } } },
          content: { 'application/json': { schema: z.object({ openapi: z.literal('3.1.0'), info: z.object({}).passthrough(), paths: z.object({}).passthrough() }) } },
        },
        304: notModified,
      },
    },
    (c) => {
      if (!served) {
        const text = JSON.stringify(document());
        served = { text, hash: createHash('sha256').update(text).digest('base64url').slice(0, 22) };
      }
      // Other apps' API tools (e.g. a Swagger UI elsewhere) may read the document.
      const headers = { 'Cache-Control': CACHE_CONTROL, ETag: `"${served.hash}"`, 'Access-Control-Allow-Origin': '*' };
      if (matchesIfNoneMatch(c.req.header('if-none-match'), served.hash)) return c.body(null, 304, headers);
      return c.body(served.text, 200, { ...headers, 'Content-Type': 'application/json; charset=utf-8' });
    },
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/docs',
      operationId: 'getDocs',
      tags: ['docs'],
      summary: 'A page that lists the operations of this document',
      description: 'Self-contained HTML: no external resources; it reads /api/openapi.json.',
      responses: { 200: { description: 'The page.', content: { 'text/html': { schema: z.string() } } } },
    },
    (c) => c.body(DOCS_HTML, 200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': DOCS_CSP, 'Cache-Control': 'no-cache' }),
  );
  return app;
}
