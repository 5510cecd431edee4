/**
 * The tile endpoints of design.md:
 *   GET /tiles/catalog.json                  the layers with zooms and fields
 *   GET /tiles/{layers}.json                 TileJSON 3.0.0 (one layer or a comma list)
 *   GET /tiles/{layers}/{z}/{x}/{y}.mvt      one tile with those layers
 * CORS is open for reads so other apps can embed the tiles. Input is checked
 * in tile-request.ts: unknown layers 404, bad z/x/y 400; nothing a caller
 * sends reaches SQL text.
 */
import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { notFound } from '../http/errors.ts';
import { parseLayerList, parseTileRequest } from './tile-request.ts';
import { matchesIfNoneMatch, tileCacheControl, tileResponse } from './tile-http.ts';
import type { TileService } from './tile-service.ts';
import { buildTileJson, catalogEntry } from './tilejson.ts';

/** The origin clients reached us by, honouring a proxy's X-Forwarded-* headers. */
function publicOrigin(c: Context): string {
  const url = new URL(c.req.url);
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim();
  const host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim();
  const safeProto = proto === 'http' || proto === 'https' ? proto : url.protocol.replace(':', '');
  const safeHost = host && /^[A-Za-z0-9.\-:[\]]+$/.test(host) ? host : url.host;
  return `${safeProto}://${safeHost}`;
}

/** A JSON document with an ETag of its content and the tiles' Cache-Control; 304 when the client has it. */
function jsonResponse(c: Context, body: unknown, maxAgeSeconds: number, vary?: string): Response {
  const text = JSON.stringify(body);
  const etag = createHash('sha256').update(text).digest('base64url').slice(0, 22);
  const headers: Record<string, string> = { 'Cache-Control': tileCacheControl(maxAgeSeconds), ETag: `"${etag}"` };
  if (vary) headers.Vary = vary;
  if (matchesIfNoneMatch(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
  return c.body(text, 200, { ...headers, 'Content-Type': 'application/json; charset=utf-8' });
}

export function tileRoutes(service: TileService): Hono {
  const app = new Hono();
  app.use(
    '/tiles/*',
    cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'], exposeHeaders: ['ETag', 'Content-Encoding'], maxAge: 86_400 }),
  );

  app.get('/tiles/catalog.json', (c) =>
    jsonResponse(c, { tiles: '/tiles/{layers}/{z}/{x}/{y}.mvt', tilejson: '/tiles/{layers}.json', layers: service.layers.map(catalogEntry) }, service.maxAgeSeconds),
  );

  app.get('/tiles/:file', async (c) => {
    const file = c.req.param('file');
    if (!file.endsWith('.json')) throw notFound(`no route for GET ${c.req.path}; TileJSON is /tiles/{layers}.json`);
    const layers = parseLayerList(file.slice(0, -'.json'.length), service.index);
    const ids = layers.map((l) => l.id).join(',');
    const tilesUrl = `${publicOrigin(c)}/tiles/${ids}/{z}/{x}/{y}.mvt`;
    // The tile URLs name the host the client used: a shared cache must keep one copy per host.
    return jsonResponse(c, buildTileJson({ layers, tilesUrl, extent: await service.extent() }), service.maxAgeSeconds, 'Host, X-Forwarded-Host, X-Forwarded-Proto');
  });

  app.get('/tiles/:layers/:z/:x/:file', async (c) => {
    const file = c.req.param('file');
    if (!file.endsWith('.mvt')) throw notFound(`no route for GET ${c.req.path}; tiles are /tiles/{layers}/{z}/{x}/{y}.mvt`);
    const request = parseTileRequest(c.req.param('layers'), c.req.param('z'), c.req.param('x'), file.slice(0, -'.mvt'.length), service.index, c.req.query());
    const tile = await service.tile(request);
    return tileResponse(c, tile, service);
  });

  return app;
}
