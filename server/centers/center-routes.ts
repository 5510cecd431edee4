/**
 * The centers API:
 *   GET    /api/centers?kind=      the centers (all, or of one kind)
 *   GET    /api/centers/{id}       one center
 *   POST   /api/centers            add {name, kind, services?, lon, lat} -> 201
 *   PATCH  /api/centers/{id}       move, rename, change kind or services
 *   DELETE /api/centers/{id}       remove; answers the removed center
 * Bodies and ids are checked by the schemas (center-schemas.ts); an unknown
 * id is UnknownCenter. Changes go through the store, which publishes them
 * to the tile cache and coverage.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { UnknownCenter } from '../domain-errors.ts';
import { defineRoute } from '../http/define-route.ts';
import { actorOf } from '../http/route-access.ts';
import { badRequest, errorResponse, internalError, json } from '../http/responses.ts';
import { kindFilter } from '../http/schemas.ts';
import { graphNotReady } from '../routing/routing-responses.ts';
import { Center, CenterIdParams, CenterList, CenterPatch, NewCenter } from './center-schemas.ts';
import type { CenterStore, Center as StoredCenter } from './center-store.ts';

/** A center is a few hundred bytes; 64 kB leaves room for long service lists. */
const CENTER_BODY_LIMIT = 64 * 1024;
const CHANGES = 'Each change is one transaction that bumps the data version; tiles and coverage follow.';
const BODY_EXAMPLE = '{"name": "...", "kind": "neighborhood", "lon": 119.0, "lat": 25.45}';
const one = (description: string) => ({ description, content: json(Center) });
const badId = badRequest('The id is not a positive whole number.');
const badBody = errorResponse('The body is not a JSON object, or a field is unknown, missing or invalid (the message and `field` name it).', ['bad_request', 'bad_body']);
const missing = errorResponse('No center has this id.', ['unknown_center']);
const unwalkable = errorResponse('The center would be outside the data, or too far from any walkway for anyone to walk to it.', ['outside_data_bounds', 'off_network']);

function found(center: StoredCenter | undefined, id: number): StoredCenter {
  if (!center) throw new UnknownCenter(id);
  return center;
}

/**
 * Checks that a center at (lon, lat) can be walked to: throws OutsideData or
 * OffNetwork naming the point (app.ts passes the routing graph's snapping).
 */
export type CenterPlaceCheck = (lon: number, lat: number, label: string) => Promise<void>;

export function centerRoutes(store: CenterStore, checkPlace?: CenterPlaceCheck) {
  const app = new OpenAPIHono();
  const tags = ['centers'];

  defineRoute(
    app,
    {
      method: 'get',
      path: '/api/centers',
      operationId: 'listCenters',
      tags,
      summary: 'List the centers',
      query: z.object({ kind: kindFilter.openapi({ description: 'Only centers of this kind (an empty value lists all).' }) }),
      responses: { 200: { description: 'The centers, by id.', content: json(CenterList) }, 400: badRequest('The kind is not a center kind.'), 500: internalError },
    },
    async (c, { query }) => c.json({ centers: await store.list(query.kind === undefined ? {} : { kind: query.kind }) }),
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/api/centers',
      operationId: 'createCenter',
      tags,
      summary: 'Add a center',
      description: `Added with source \`api\` and the next free id. ${CHANGES}`,
      body: NewCenter,
      bodyExample: BODY_EXAMPLE,
      bodyLimitBytes: CENTER_BODY_LIMIT,
      responses: {
        201: { ...one('The new center.'), headers: { Location: { description: "The new center's URL.", required: true, schema: { type: 'string', examples: ['/api/centers/13'] } } } },
        400: badBody,
        422: unwalkable,
        503: graphNotReady,
        413: errorResponse(`The body is larger than ${CENTER_BODY_LIMIT} bytes.`, ['payload_too_large']),
        500: internalError,
      },
    },
    async (c, { body }) => {
      await checkPlace?.(body.lon, body.lat, 'the center');
      const center = await store.add(body, actorOf(c));
      return c.json(center, 201, { Location: `/api/centers/${center.id}` });
    },
  );

  defineRoute(
    app,
    { method: 'get', path: '/api/centers/{id}', operationId: 'getCenter', tags, summary: 'One center', params: CenterIdParams, responses: { 200: one('The center.'), 400: badId, 404: missing, 500: internalError } },
    async (c, { params }) => c.json(found(await store.get(params.id), params.id)),
  );

  defineRoute(
    app,
    {
      method: 'patch',
      path: '/api/centers/{id}',
      operationId: 'updateCenter',
      tags,
      summary: 'Move, rename, re-kind a center or change its services',
      description: CHANGES,
      params: CenterIdParams,
      body: CenterPatch,
      bodyExample: '{"lon": 119.0, "lat": 25.45}',
      bodyLimitBytes: CENTER_BODY_LIMIT,
      responses: {
        200: one('The center as it is now.'),
        400: badBody,
        422: unwalkable,
        503: graphNotReady,
        404: missing,
        413: errorResponse(`The body is larger than ${CENTER_BODY_LIMIT} bytes.`, ['payload_too_large']),
        500: internalError,
      },
    },
    async (c, { params, body }) => {
      if (checkPlace && (body.lon !== undefined || body.lat !== undefined)) {
        // The new place is the given coordinates, with the stored one for the one not given.
        const old = body.lon !== undefined && body.lat !== undefined ? undefined : found(await store.get(params.id), params.id);
        await checkPlace(body.lon ?? old!.lon, body.lat ?? old!.lat, 'the center');
      }
      return c.json(found(await store.update(params.id, body, actorOf(c)), params.id));
    },
  );

  defineRoute(
    app,
    {
      method: 'delete',
      path: '/api/centers/{id}',
      operationId: 'deleteCenter',
      tags,
      summary: 'Remove a center',
      description: CHANGES,
      params: CenterIdParams,
      responses: { 200: one('The removed center.'), 400: badId, 404: missing, 500: internalError },
    },
    async (c, { params }) => c.json(found(await store.remove(params.id, actorOf(c)), params.id)),
  );

  return app;
}
