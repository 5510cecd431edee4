/**
 * The tile endpoints:
 *   GET /tiles/catalog.json                  the layers with zooms and fields
 *   GET /tiles/{layers}.json                 TileJSON 3.0.0 (one layer or a comma list)
 *   GET /tiles/{layers}/{z}/{x}/{y}.mvt      one tile with those layers
 * CORS is open for reads so other apps can embed the tiles. The path is
 * checked by tile-request.ts's schema: unknown layers 404, bad z/x/y 400;
 * nothing a caller sends reaches SQL text.
 */
import { createHash } from 'node:crypto';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { cors } from 'hono/cors';
import { HttpError } from '../http/error-codes.ts';
import { defineRoute } from '../http/define-route.ts';
import { badRequest, cacheControlHeader, errorResponse, etagHeader, ifNoneMatchHeader, internalError, json, notModified } from '../http/responses.ts';
import { SCENARIO_PARAM, TILE_LAYERS, type TileLayer } from './layers.ts';
import { fastTilePath, layerListParam, tilePathParams, tileRequest } from './tile-request.ts';
import { IMMUTABLE_CACHE_CONTROL, matchesIfNoneMatch, MVT_CONTENT_TYPE, TILE_CORS_HEADERS, tileCacheControl, tileResponse } from './tile-http.ts';
import { revisionOf } from './tile-versions.ts';
import type { TileService } from './tile-service.ts';
import { buildTileJson, catalogEntry } from './tilejson.ts';
import { publicOrigin } from '../http/public-origin.ts';
import { catalogSchemas, tileJsonSchema } from './tile-schemas.ts';

/** A JSON document with an ETag of its content and the tiles' Cache-Control; 304 when the client has it. */
function jsonResponse(c: Context, body: unknown, maxAgeSeconds: number, vary?: string): Response {
  const text = JSON.stringify(body);
  const etag = createHash('sha256').update(text).digest('base64url').slice(0, 22);
  const headers: Record<string, string> = { 'Cache-Control': tileCacheControl(maxAgeSeconds), ETag: `"${etag}"`, ...TILE_CORS_HEADERS };
  if (vary) headers.Vary = vary;
  if (matchesIfNoneMatch(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
  return c.body(text, 200, { ...headers, 'Content-Type': 'application/json; charset=utf-8' });
}

/** The part of the last path segment before `suffix`, or a 404 that says where the resource is. */
function withoutSuffix(c: Context, name: string, suffix: string, hint: string): string {
  const file = c.req.param(name) ?? '';
  if (!file.endsWith(suffix)) throw new HttpError('not_found', `no route for GET ${c.req.path}; ${hint}`);
  return file.slice(0, -suffix.length);
}

const CORS_TEXT = 'CORS is open for reads (GET, HEAD, OPTIONS from any origin).';

export function tileRoutes(service: TileService) {
  const app = new OpenAPIHono();
  // Preflights here; the answers carry their CORS headers themselves (TILE_CORS_HEADERS), with no middleware per tile.
  const preflight = cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'], exposeHeaders: ['ETag', 'Content-Encoding'], maxAge: 86_400 });
  app.use('/tiles/*', (c, next) => (c.req.method === 'OPTIONS' ? preflight(c, next) : next()));
  const tags = ['tiles'];
  const { Catalog } = catalogSchemas(service.layers);
  const TileJson = tileJsonSchema(service.layers);
  const unknownLayer = errorResponse('A layer is unknown (the message lists the known ones), or the file name does not end as the path says.', ['unknown_layer', 'not_found']);
  const cachedJson = (schema: z.ZodType, vary?: string) => ({
    description: 'The document.',
    headers: { ETag: etagHeader, 'Cache-Control': cacheControlHeader, ...(vary ? { Vary: { description: vary, required: true, schema: { type: 'string' as const } } } : {}) },
    content: json(schema),
  });

  defineRoute(
    app,
    {
      method: 'get',
      path: '/tiles/catalog.json',
      operationId: 'getTileCatalog',
      tags,
      summary: 'The tile layers',
      description: `Every layer with its geometry, zooms and typed fields. ${CORS_TEXT}\n\n${layerTable(service.layers)}`,
      extraParameters: ifNoneMatchHeader,
      responses: { 200: cachedJson(Catalog), 304: notModified, 500: internalError },
    },
    (c) => jsonResponse(c, { tiles: '/tiles/{layers}/{z}/{x}/{y}.mvt', tilejson: '/tiles/{layers}.json', layers: service.layers.map(catalogEntry) }, service.maxAgeSeconds),
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/tiles/{layers}.json',
      honoPath: '/tiles/:file',
      paramsFrom: (c) => ({ layers: withoutSuffix(c, 'file', '.json', 'TileJSON is /tiles/{layers}.json') }),
      operationId: 'getTileJson',
      tags,
      summary: 'TileJSON 3.0.0 for one layer or a comma list',
      description:
        `Bounds and center come from the stored data; the tile URL names the host the client used and, as \`?v=\`, the data version: ` +
        `tiles at that URL are final (immutable) once the version's coverage is written, and a change gives new URLs, so shared caches keep tiles without ever serving a stale one. ` +
        `The document itself is revalidated on every use. ${CORS_TEXT}`,
      params: z.object({ layers: layerListParam(service.index) }),
      extraParameters: ifNoneMatchHeader,
      responses: {
        200: cachedJson(TileJson, 'Host, X-Forwarded-Host, X-Forwarded-Proto: the tile URL depends on them.'),
        304: notModified,
        404: unknownLayer,
        500: internalError,
      },
    },
    async (c, { params }) => {
      const ids = params.layers.map((l) => l.id).join(',');
      const tilesUrl = `${publicOrigin(c)}/tiles/${ids}/{z}/{x}/{y}.mvt?v=${encodeURIComponent(service.version())}`;
      // The tile URLs name the host the client used: a shared cache must keep one copy per host.
      return jsonResponse(c, buildTileJson({ layers: params.layers, tilesUrl, extent: await service.extent() }), service.maxAgeSeconds, 'Host, X-Forwarded-Host, X-Forwarded-Proto');
    },
  );

  const layerParams = [...new Set(service.layers.flatMap((l) => l.params ?? []))].sort();
  const tileHeaders = {
    ETag: { description: "Strong, from the tile's content, one per encoding (`-gz`, `-br` suffix).", required: true, schema: { type: 'string' as const } },
    'Cache-Control': {
      description: `\`${IMMUTABLE_CACHE_CONTROL}\` at a final data version (\`v\`), else \`${tileCacheControl(0)}\`: shared caches may store the tile, and revalidate it with the ETag.`,
      required: true,
      schema: { type: 'string' as const, examples: [IMMUTABLE_CACHE_CONTROL, tileCacheControl(0)] },
    },
    Vary: { description: '`Accept-Encoding`.', required: true, schema: { type: 'string' as const } },
  };
  const queryNames = ['v', ...layerParams];
  defineRoute(
    app,
    {
      method: 'get',
      path: '/tiles/{layers}/{z}/{x}/{y}.mvt',
      honoPath: '/tiles/:layers/:z/:x/:file',
      paramsFrom: (c) => ({
        layers: c.req.param('layers') ?? '',
        z: c.req.param('z') ?? '',
        x: c.req.param('x') ?? '',
        y: withoutSuffix(c, 'file', '.mvt', 'tiles are /tiles/{layers}/{z}/{x}/{y}.mvt'),
      }),
      operationId: 'getTile',
      tags,
      summary: 'A Mapbox Vector Tile with the layers',
      description:
        `One MVT layer per requested layer; a layer is empty below its minzoom. No layer is served beyond its maxzoom (clients overzoom). ` +
        `Compressed with br or gzip as Accept-Encoding allows (when it pays). ${CORS_TEXT}` +
        (layerParams.length ? ` Layer query parameters: ${layerParams.join(', ')}.` : ' No layer reads query parameters yet; others are ignored.'),
      params: tilePathParams(service.index),
      // The same input by hand for a well-formed tile URL (most of them); anything else goes to the schemas.
      fastInput: (c) => {
        const file = c.req.param('file');
        if (!file?.endsWith('.mvt')) return undefined;
        const params = fastTilePath(c.req.param('layers') ?? '', c.req.param('z') ?? '', c.req.param('x') ?? '', file.slice(0, -'.mvt'.length), service.index);
        if (!params) return undefined;
        // The query schema's values: the named parameters given, as text (it refuses nothing a URL can hold).
        const all = c.req.query();
        const query: Record<string, string> = {};
        for (const name of queryNames) if (all[name] !== undefined) query[name] = all[name];
        return { params, query };
      },
      // `v`, and the parameters layers read (checked in tileRequest); others are ignored.
      query: z.object({
        v: z.string().optional().openapi({
          description:
            "A data version, as TileJSON's tile URLs give it: at the version this instance has applied, once that version's coverage is written (households, grids), " +
            `the tile is final (\`${IMMUTABLE_CACHE_CONTROL}\`); a newer version than it has applied is waited for (a few seconds at most). ` +
            'Any other value (an old version, a client\'s cache-buster) gets the current tile, revalidated on every use.',
        }),
        ...Object.fromEntries(
          layerParams.map((name) => [
            name,
            z.string().optional().openapi({
              description:
                name === SCENARIO_PARAM
                  ? "A scenario id: the households, grids and centers layers show the scenario (their `change` fields, the scenario's walk times and shares); other layers are unchanged."
                  : 'Read by the layers that declare it; part of the cache key.',
            }),
          ]),
        ),
      }),
      extraParameters: ifNoneMatchHeader.extend({
        'Accept-Encoding': z.string().optional().openapi({ description: '`br` or `gzip` (the higher q wins, br on a tie); identity otherwise.' }),
      }),
      responses: {
        200: {
          description: 'The tile.',
          headers: { ...tileHeaders, 'Content-Encoding': { description: '`br` or `gzip` when compressed; absent otherwise.', schema: { type: 'string', enum: ['br', 'gzip'] } } },
          // A plain schema object: OpenAPI 3.1 has contentMediaType, the 3.0 types zod-openapi uses do not.
          content: { [MVT_CONTENT_TYPE]: { schema: { type: 'string', contentMediaType: MVT_CONTENT_TYPE } as never } },
        },
        204: { description: 'The tile has no features. No body.', headers: tileHeaders },
        304: { ...notModified, headers: tileHeaders },
        400: badRequest('z, x or y is not a whole number in range, or scenario is not an id.'),
        404: errorResponse('A layer or the scenario is unknown, or the file name does not end as the path says.', ['unknown_layer', 'unknown_scenario', 'not_found']),
        409: errorResponse("A change of the scenario names a center the live data no longer has.", ['scenario_conflict']),
        500: internalError,
      },
    },
    async (c, { params, query }) => {
      const request = tileRequest(params, query);
      const version = query.v;
      // A version another instance announced first: wait until this one has applied it.
      if (revisionOf(version) !== undefined) await service.reach(version!);
      // Decided before the tile is fetched: a load that began before the version's changes were applied is never called final.
      const final = version !== undefined && service.isFinal(request, version);
      return tileResponse(c, await service.tile(request), { variant: service.variant, cacheControl: final ? IMMUTABLE_CACHE_CONTROL : tileCacheControl(service.maxAgeSeconds) });
    },
  );

  return app;
}

/** The layers as a Markdown table: what the catalog lists, for readers of the document. */
function layerTable(layers: readonly TileLayer[] = TILE_LAYERS): string {
  const geometries: Record<TileLayer['geometry'], string> = { point: 'points', line: 'lines', polygon: 'polygons', mixed: 'areas and lines' };
  const rows = layers.map(
    (l) => `| \`${l.id}\` | ${geometries[l.geometry]} | ${l.minzoom}-${l.maxzoom} | ${l.fields.map((f) => `\`${f.name}\` (${f.type})`).join(', ')} | ${l.description} |`,
  );
  return ['| layer | geometry | zooms | fields | what |', '|---|---|---|---|---|', ...rows].join('\n');
}

