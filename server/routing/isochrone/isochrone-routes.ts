/**
 * GET  /api/isochrone?lon=&lat=&minutes=5,10,15&speed_kmh=&buffer_m=&generalize=
 * POST /api/isochrone  { "origins": [[lon, lat], ...], "minutes"?, "speed_kmh"?, "buffer_m"?, "generalize"? }
 *
 * Walking isochrones as a GeoJSON FeatureCollection (application/geo+json):
 * one (Multi)Polygon Feature per contour, largest first, with properties
 * `minutes`, `reachable_m` (walkable length reached) and `area_m2`. POST
 * takes up to MAX_ORIGINS points and answers the union: one multi-source
 * search, so a contour is "within that many minutes of the nearest origin".
 *
 * The handler only parses, searches (routing service) and builds the
 * polygons (build-isochrones); what the polygons guarantee is written there.
 * Every caller mistake is a 4xx naming the parameter: 400 for bad values,
 * 422 for points off the network or outside the data (routing service) and
 * for areas too large for the buffer, 413 for bodies over MAX_BODY_BYTES.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError, badRequest } from '../../http/errors.ts';
import { parseMinutesList, parseNumber, parseSpeed } from '../routing-params.ts';
import type { RoutingService, ShortestPathTree } from '../routing-service.ts';
import { buildIsochrones, defaultIsochroneOptions, IsochroneExtentError, reachTreeOf } from './build-isochrones.ts';
import { isochroneGeoJsonText } from './isochrone-geojson.ts';
import { IsochroneWorkspace } from './workspace.ts';

/** Most origins one POST may union (e.g. every center of a city). */
export const MAX_ORIGINS = 5000;
/** Largest POST body: 5,000 origins with full-precision coordinates fit in about 250 kB. */
export const MAX_BODY_BYTES = 1 << 20;
/** buffer_m bounds, metres: below 5 m the cells get tiny; above 500 m it is no longer "near the network". */
export const MIN_BUFFER_M = 5;
export const MAX_BUFFER_M = 500;
/** generalize bounds, metres. */
export const MAX_GENERALIZE_M = 500;

const BODY_FIELDS = new Set(['origins', 'minutes', 'speed_kmh', 'buffer_m', 'generalize']);

interface IsochroneParams {
  minutes: number[];
  speedKmh: number;
  bufferM: number;
  generalizeM: number;
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/** minutes, speed_kmh, buffer_m and generalize from query values or body fields. */
function parseParams(input: { minutes?: unknown; speed_kmh?: unknown; buffer_m?: unknown; generalize?: unknown }): IsochroneParams {
  return {
    minutes: parseMinutesList(input.minutes),
    speedKmh: parseSpeed(input.speed_kmh),
    bufferM: present(input.buffer_m) ? parseNumber(input.buffer_m, 'buffer_m', MIN_BUFFER_M, MAX_BUFFER_M) : defaultIsochroneOptions.bufferM,
    generalizeM: present(input.generalize) ? parseNumber(input.generalize, 'generalize', 0, MAX_GENERALIZE_M) : 0,
  };
}

/** The origins of a POST body: 1..MAX_ORIGINS [lon, lat] pairs. */
function parseOrigins(value: unknown): [number, number][] {
  if (!Array.isArray(value) || value.length === 0) {
    throw badRequest('origins is required: a non-empty array of [lon, lat] pairs, e.g. [[119.0, 25.45]]');
  }
  if (value.length > MAX_ORIGINS) throw badRequest(`origins may list at most ${MAX_ORIGINS} points, got ${value.length}`);
  return value.map((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw badRequest(`origins[${i}] must be a [lon, lat] pair, got ${JSON.stringify(pair)}`);
    return [parseNumber(pair[0], `origins[${i}][0] (lon)`, -180, 180), parseNumber(pair[1], `origins[${i}][1] (lat)`, -90, 90)];
  });
}

/** Polygons for a tree, with the extent error as a 422 that says what to change. */
function respond(tree: ShortestPathTree, params: IsochroneParams, origins: number, workspace: IsochroneWorkspace) {
  try {
    const result = buildIsochrones(
      tree.graph,
      reachTreeOf(tree),
      { minutes: params.minutes, bufferM: params.bufferM, generalizeM: params.generalizeM },
      workspace,
    );
    const body = isochroneGeoJsonText(result, { origins, speed_kmh: params.speedKmh });
    return new Response(body, { headers: { 'content-type': 'application/geo+json; charset=utf-8' } });
  } catch (error) {
    if (error instanceof IsochroneExtentError) throw new ApiError(422, 'area_too_large', error.message, { cause: error });
    throw error;
  }
}

/** The isochrone routes on the routing service. */
export function isochroneRoutes(routing: RoutingService) {
  const app = new Hono();
  // Scratch buffers reused across requests (builds are synchronous: one at a time).
  const workspace = new IsochroneWorkspace();

  app.get('/api/isochrone', async (c) => {
    const lon = parseNumber(c.req.query('lon'), 'lon', -180, 180);
    const lat = parseNumber(c.req.query('lat'), 'lat', -90, 90);
    const params = parseParams({
      minutes: c.req.query('minutes'),
      speed_kmh: c.req.query('speed_kmh'),
      buffer_m: c.req.query('buffer_m'),
      generalize: c.req.query('generalize'),
    });
    const tree = await routing.searchFrom(lon, lat, { speedKmh: params.speedKmh, maxSeconds: Math.max(...params.minutes) * 60 });
    return respond(tree, params, 1, workspace);
  });

  app.post(
    '/api/isochrone',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `the request body is larger than ${MAX_BODY_BYTES} bytes; send at most ${MAX_ORIGINS} origins`);
      },
    }),
    async (c) => {
      const text = await c.req.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (error) {
        throw badRequest(`the request body must be JSON such as {"origins": [[119.0, 25.45]], "minutes": [5, 10, 15]}: ${(error as Error).message}`);
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw badRequest('the request body must be a JSON object such as {"origins": [[119.0, 25.45]], "minutes": [5, 10, 15]}');
      }
      const fields = body as Record<string, unknown>;
      const unknown = Object.keys(fields).filter((k) => !BODY_FIELDS.has(k));
      if (unknown.length > 0) {
        throw badRequest(`unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; accepted: ${[...BODY_FIELDS].join(', ')}`);
      }
      const origins = parseOrigins(fields.origins);
      const params = parseParams(fields);
      const tree = await routing.searchFromMany(origins, { speedKmh: params.speedKmh, maxSeconds: Math.max(...params.minutes) * 60 });
      return respond(tree, params, origins.length, workspace);
    },
  );

  return app;
}
