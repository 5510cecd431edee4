/**
 * GET  /api/isochrone?lon=&lat=&minutes=5,10,15&profile=&speed_kmh=&buffer_m=&generalize=
 * POST /api/isochrone  { "origins": [[lon, lat], ...], "minutes"?, "profile"?, "speed_kmh"?, "buffer_m"?, "generalize"? }
 *
 * Walking isochrones as a GeoJSON FeatureCollection (application/geo+json):
 * one (Multi)Polygon Feature per contour, largest first, with properties
 * `minutes`, `reachable_m` (walkable length reached), `area_m2`, and what
 * the contour reaches by network time (household units, households,
 * persons, centers by kind; coverage/search-reach.ts). The collection says
 * where each origin joined the network (`snaps`). POST
 * takes up to MAX_ORIGINS points and answers the union: one multi-source
 * search, so a contour is "within that many minutes of the nearest origin".
 *
 * The handler only searches (routing service) and builds the polygons
 * (build-isochrones); what the polygons guarantee is in docs/architecture.md.
 * GET answers carry a weak ETag of the data version and the checked query
 * (the answer is a function of both) and must be revalidated: a client or
 * shared cache holding the current answer gets a 304 before any search.
 * The schemas below check the input; points off the network or outside the
 * data and areas too large for the buffer come back as domain errors.
 */
import { createHash } from 'node:crypto';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { ifNoneMatchHas } from '../../http/conditional.ts';
import { defineRoute } from '../../http/define-route.ts';
import { LonLat, MultiPolygon, Polygon } from '../../http/geojson-schemas.ts';
import { badRequest, errorResponse, etagHeader, ifNoneMatchHeader, internalError } from '../../http/responses.ts';
import { latParam, lonLatPair, lonParam, minutesBody, minutesQuery, minutesValue, profileParam, speedOf, speedParam } from '../../http/schemas.ts';
import { WALK_PROFILE_NAMES, type WalkProfileName } from '../../../kernel/walk-speed.ts';
import { numberParamOr } from '../../http/schema-rules.ts';
import { MAX_MINUTES_COUNT } from '../routing-limits.ts';
import { coverageNotReady, coverageNotReadyOrBusy, rateLimited } from '../routing-responses.ts';
import type { RequestLimits } from '../../http/request-limits.ts';
import type { ShortestPathTree } from '../routing-service.ts';
import { buildIsochrones, defaultIsochroneOptions, reachTreeOf } from './build-isochrones.ts';
import { isochroneGeoJsonText, type ContourReach } from './isochrone-geojson.ts';
import { IsochroneScratch } from './isochrone-scratch.ts';

/** Most origins one POST may union (e.g. every center of a city). */
export const MAX_ORIGINS = 5000;
/** Largest POST body: 5,000 origins with full-precision coordinates fit in about 250 kB. */
export const MAX_BODY_BYTES = 1 << 20;
/** buffer_m bounds, metres: below 5 m the cells get tiny; above 500 m it is no longer "near the network". */
export const MIN_BUFFER_M = 5;
export const MAX_BUFFER_M = 500;
/** generalize bounds, metres. */
export const MAX_GENERALIZE_M = 500;

const bufferM = numberParamOr({ min: MIN_BUFFER_M, max: MAX_BUFFER_M }, defaultIsochroneOptions.bufferM).openapi({
  description: 'No polygon point is farther than this from the reached network, metres.',
});
const generalize = numberParamOr({ min: 0, max: MAX_GENERALIZE_M }, 0).openapi({ description: 'Simplification tolerance, metres; 0 keeps the traced outline.' });

const IsochroneRequest = z
  .strictObject(
    {
      origins: z
        .array(lonLatPair, {
          error: (iss) => (iss.input === undefined ? 'is required: a non-empty array of [lon, lat] pairs, e.g. [[119.0, 25.45]]' : 'must be an array of [lon, lat] pairs'),
        })
        .min(1, { error: 'is required: a non-empty array of [lon, lat] pairs, e.g. [[119.0, 25.45]]' })
        .max(MAX_ORIGINS, { error: (iss) => `may list at most ${MAX_ORIGINS} points, got ${Array.isArray(iss.input) ? iss.input.length : '?'}` })
        .openapi({ examples: [[[119.0, 25.45], [119.01, 25.46]]] }),
      minutes: minutesBody,
      profile: profileParam,
      speed_kmh: speedParam,
      buffer_m: bufferM,
      generalize,
    },
    { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field ${iss.keys.map((k) => `"${k.slice(0, 64)}"`).join(', ')}; accepted: origins, minutes, profile, speed_kmh, buffer_m, generalize` : undefined) },
  )
  .openapi('IsochroneRequest', { description: 'Numbers may also be sent as numeric strings. Unknown fields are a 400.' });

const IsochroneFeature = z
  .strictObject({
    type: z.literal('Feature'),
    properties: z.strictObject({
      minutes: minutesValue,
      reachable_m: z.int().min(0).openapi({ description: 'Walkable length reached within the contour, metres.' }),
      area_m2: z.int().min(0).openapi({ description: 'Area of the polygons, square metres.' }),
      household_units: z.int().min(0).openapi({ description: 'Household units (buildings or addresses) within the contour\'s time by network time (not by polygon).' }),
      households: z.int().min(0).openapi({ description: 'Households in those units.' }),
      persons: z.int().min(0).openapi({ description: 'Persons in those units, where the data knows them.' }),
      centers: z.int().min(0).openapi({ description: 'Centers within the contour\'s time.' }),
      centers_by_kind: z.record(z.string(), z.int().min(1)).openapi({ description: 'Those centers per kind (kinds with none left out).', examples: [{ neighborhood: 3, governance: 1 }] }),
    }),
    geometry: z.union([Polygon, MultiPolygon]),
  })
  .openapi('IsochroneFeature');

const IsochroneCollection = z
  .strictObject({
    type: z.literal('FeatureCollection'),
    features: z.array(IsochroneFeature).min(1).max(MAX_MINUTES_COUNT),
    properties: z
      .strictObject({
        origins: z.int().min(1).max(MAX_ORIGINS),
        profile: z.enum(WALK_PROFILE_NAMES as [WalkProfileName, ...WalkProfileName[]]),
        speed_kmh: z.number(),
        buffer_m: z.number(),
        generalize_m: z.number(),
        cell_size_m: z.number().openapi({ description: 'Raster cell used to trace the outline, metres.' }),
        snaps: z
          .array(
            z.strictObject({
              lon: z.number(),
              lat: z.number(),
              snapped: LonLat.openapi({ description: 'Where the walk joins the network: the nearest point on the nearest walkable way of the connected network.' }),
              access_m: z.number().min(0).openapi({ description: 'Straight walk from the point to `snapped`, metres (counted in the times).' }),
            }),
          )
          .openapi({ description: 'Each origin as given and where it joined the network, in the order given.' }),
      })
      .openapi({ description: 'How the polygons were made (a foreign member, as RFC 7946 allows).' }),
  })
  .openapi('IsochroneCollection', { description: 'One Feature per contour, largest first so smaller ones draw on top.' });

interface IsochroneParams {
  minutes: number[];
  profile: WalkProfileName;
  speed_kmh?: number;
  buffer_m: number;
  generalize: number;
}

/**
 * The search an isochrone draws: a shortest-path tree, and what it reaches
 * within each limit (seconds) counted on the same graph. app.ts joins the
 * routing service and the coverage model to give it.
 */
export type IsochroneSearch = (
  points: readonly (readonly [number, number])[],
  options: { profile: WalkProfileName; speedKmh: number; maxSeconds: number },
) => Promise<{ tree: ShortestPathTree; reach(limitsSeconds: readonly number[]): ContourReach[] }>;

const round7 = (x: number) => Math.round(x * 1e7) / 1e7;
const round1 = (x: number) => Math.round(x * 10) / 10;

/** Polygons for a search as GeoJSON text (a raster too large for the buffer throws AreaTooLarge). */
function respond(found: Awaited<ReturnType<IsochroneSearch>>, params: IsochroneParams, scratch: IsochroneScratch) {
  const { tree } = found;
  const built = buildIsochrones(tree.graph, reachTreeOf(tree), { minutes: params.minutes, bufferM: params.buffer_m, generalizeM: params.generalize }, scratch);
  const reach = found.reach(built.contours.map((c) => c.minutes * 60));
  const result = { ...built, contours: built.contours.map((c, k) => ({ ...c, reach: reach[k] })) };
  const snaps = tree.origins.map((o) => ({ lon: o.lon, lat: o.lat, snapped: [round7(o.snap.lon), round7(o.snap.lat)], access_m: round1(o.snap.distanceM) }));
  const body = isochroneGeoJsonText(result, { origins: tree.origins.length, profile: tree.profile, speed_kmh: tree.speedKmh, snaps });
  return new Response(body, { headers: { 'content-type': 'application/geo+json; charset=utf-8' } });
}

const geojson = { 'application/geo+json': { schema: IsochroneCollection } };

/** Storable by shared caches, revalidated on every use: a center edit changes what a contour reaches. */
export const ISOCHRONE_CACHE_CONTROL = 'public, max-age=0, must-revalidate';
const validatorHeaders = {
  ETag: { ...etagHeader, description: 'Weak, from the data version and the checked query: the same for every answer to them.' },
  'Cache-Control': { description: 'Storable by shared caches; revalidate with the ETag every time (a change of the data changes the answer).', required: true, schema: { type: 'string' as const, examples: [ISOCHRONE_CACHE_CONTROL] } },
};

/** The ETag's opaque part: the data version and the checked parameters. */
function isochroneTag(version: string, params: unknown): string {
  return createHash('sha256').update(version).update('\n').update(JSON.stringify(params)).digest('base64url').slice(0, 22);
}
const common = {
  422: errorResponse(
    `The point is outside the data's bounds, or too far from any walkable way; or the area is too large for buffer_m (raise it).`,
    ['outside_data_bounds', 'off_network', 'area_too_large'],
  ),
  503: coverageNotReady,
  500: internalError,
};

/**
 * The isochrone routes on a search (see IsochroneSearch). With `limits`, a
 * POST of many origins counts against its client's rate and runs under the
 * heavy-work cap (server/limits). `dataVersion` gives the version the next
 * search will describe (or a newer one): GET answers are tagged with it.
 */
export function isochroneRoutes(search: IsochroneSearch, limits?: RequestLimits, dataVersion?: () => Promise<string>) {
  const app = new OpenAPIHono();
  // Scratch buffers reused across requests (builds are synchronous: one at a time).
  const scratch = new IsochroneScratch();

  defineRoute(
    app,
    {
      method: 'get',
      path: '/api/isochrone',
      operationId: 'getIsochrone',
      tags: ['routing'],
      summary: 'Walking isochrones from one point',
      description: 'One (Multi)Polygon Feature per contour: the area within that many minutes of walk from the point, drawn around the reached network.',
      query: z.object({
        lon: lonParam,
        lat: latParam,
        minutes: minutesQuery.openapi({ description: 'Contours, minutes, as a comma list (sorted, duplicates dropped).' }),
        profile: profileParam,
        speed_kmh: speedParam,
        buffer_m: bufferM,
        generalize,
      }),
      extraParameters: ifNoneMatchHeader,
      responses: {
        200: { description: 'The contours.', headers: validatorHeaders, content: geojson },
        304: { description: "The client's copy is current (If-None-Match matched): no search is run. No body.", headers: validatorHeaders },
        400: badRequest(),
        ...common,
      },
    },
    async (c, { query }) => {
      // The version first: the answer below describes it or a newer one, never an older one under this tag.
      const tag = dataVersion ? isochroneTag(await dataVersion(), query) : undefined;
      const headers = tag ? { ETag: `W/"${tag}"`, 'Cache-Control': ISOCHRONE_CACHE_CONTROL } : undefined;
      if (tag && ifNoneMatchHas(c.req.header('if-none-match'), [tag])) return c.body(null, 304, headers);
      const found = await search([[query.lon, query.lat]], { profile: query.profile, speedKmh: speedOf(query.profile, query.speed_kmh), maxSeconds: Math.max(...query.minutes) * 60 });
      const res = respond(found, query, scratch);
      for (const [name, value] of Object.entries(headers ?? {})) res.headers.set(name, value);
      return res;
    },
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/api/isochrone',
      // A POST only because many origins do not fit a URL: a read.
      access: 'read',
      operationId: 'postIsochrone',
      tags: ['routing'],
      summary: 'Walking isochrones of several points (their union)',
      description: `One multi-source search from up to ${MAX_ORIGINS} origins: a contour is the area within that many minutes of the nearest origin (e.g. the 15-minute circle of all centers). Bodies over ${MAX_BODY_BYTES} bytes are a 413.`,
      body: IsochroneRequest,
      bodyLimitBytes: MAX_BODY_BYTES,
      bodyExample: '{"origins": [[119.0, 25.45]], "minutes": [5, 10, 15]}',
      responses: {
        200: { description: 'The contours of the union.', content: geojson },
        400: errorResponse('The body is not a JSON object, has an unknown field, or a value is missing, malformed or out of range (the message names it).', [
          'bad_request',
          'bad_body',
        ]),
        413: errorResponse(`The body is larger than ${MAX_BODY_BYTES} bytes.`, ['payload_too_large']),
        ...common,
        429: rateLimited,
        503: coverageNotReadyOrBusy,
      },
    },
    async (c, { body }) => {
      const work = async () => {
        const found = await search(body.origins, { profile: body.profile, speedKmh: speedOf(body.profile, body.speed_kmh), maxSeconds: Math.max(...body.minutes) * 60 });
        return respond(found, body, scratch);
      };
      if (!limits || body.origins.length <= limits.options.manyOrigins) return work();
      limits.charge(c, 'isochroneMany');
      return limits.heavy(work);
    },
  );

  return app;
}
