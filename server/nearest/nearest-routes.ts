/**
 * GET /api/nearest?lon=&lat=&kind=&speed_kmh=
 * The nearest center (of `kind`, or any) by walking time from a point: the
 * center, walk_seconds, distance_m, and the route as a GeoJSON LineString
 * Feature along the streets, both access legs included (nearest-center.ts
 * finds it on the live access model).
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { CoverageService } from '../coverage/coverage-service.ts';
import { defineRoute } from '../http/define-route.ts';
import { LineString, LonLat } from '../http/geojson-schemas.ts';
import { errorResponse, internalError, json } from '../http/responses.ts';
import { kindFilter, latParam, lonParam, profileParam, speedOf, speedParam } from '../http/schemas.ts';
import { WALK_PROFILE_NAMES, type WalkProfileName } from '../../kernel/walk-speed.ts';
import { MAX_SEARCH_SECONDS } from '../routing/routing-limits.ts';
import { coverageNotReady, pointNotOnNetwork } from '../routing/routing-responses.ts';
import { MAX_SNAP_DISTANCE_M } from '../routing/search/snap.ts';
import { nearestCenter } from './nearest-center.ts';

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;
const round1 = (v: number) => Math.round(v * 10) / 10;

const Nearest = z
  .strictObject({
    center: z
      .strictObject({
        id: z.int(),
        name: z.string(),
        kind: z.string(),
        services: z.array(z.string()),
        lon: z.number(),
        lat: z.number(),
      })
      .openapi({ description: 'The nearest center by walking time.' }),
    walk_seconds: z.number().min(0).max(MAX_SEARCH_SECONDS).openapi({ description: 'Walking time at speed_kmh, access legs included, seconds (0.1 s).' }),
    distance_m: z.number().min(0).openapi({ description: 'Length of the route, metres (0.1 m).' }),
    profile: z.enum(WALK_PROFILE_NAMES as [WalkProfileName, ...WalkProfileName[]]),
    speed_kmh: z.number(),
    origin: z.strictObject({
      lon: z.number(),
      lat: z.number(),
      snapped: LonLat.openapi({ description: 'The nearest point on the nearest walkable way, where the walk joins the network.' }),
      access_m: z.number().min(0).max(MAX_SNAP_DISTANCE_M).openapi({ description: 'Straight access leg from the point to the network, metres.' }),
    }),
    route: z
      .strictObject({
        type: z.literal('Feature'),
        properties: z.strictObject({ walk_seconds: z.number(), distance_m: z.number() }),
        geometry: LineString,
      })
      .openapi({ description: 'The route along the streets from the point to the center, both access legs included.' }),
  })
  .openapi('Nearest');

export function nearestRoutes(coverage: CoverageService) {
  const app = new OpenAPIHono();
  defineRoute(
    app,
    {
      method: 'get',
      path: '/api/nearest',
      operationId: 'getNearest',
      tags: ['routing'],
      summary: 'Nearest center by walking time, with the route',
      description: `Snaps the point to the nearest walkable way (within ${MAX_SNAP_DISTANCE_M} m) and searches the network for the nearest center (of \`kind\`, or any) within ${MAX_SEARCH_SECONDS / 3600} h of walking.`,
      query: z.object({
        lon: lonParam,
        lat: latParam,
        kind: kindFilter.openapi({ description: 'Only centers of this kind; when absent, the service centers (the 15-minute circle\'s kinds in kernel/life-circle-standard.json, and kinds the standard does not know). A kind no center has is a 400 `unknown_kind` that lists the kinds there are.' }),
        profile: profileParam,
        speed_kmh: speedParam,
      }),
      responses: {
        200: { description: 'The center, the walk and the route.', content: json(Nearest) },
        400: errorResponse('A parameter is missing or out of range, or no center has that kind.', ['bad_request', 'unknown_kind']),
        404: errorResponse(`No center (of that kind) is reachable within ${MAX_SEARCH_SECONDS / 3600} h of walking.`, ['no_center_reachable']),
        422: pointNotOnNetwork(),
        503: coverageNotReady,
        500: internalError,
      },
    },
    async (c, { query }) => {
      const { model } = (await coverage.ready()).forProfile(query.profile);
      const speedKmh = speedOf(query.profile, query.speed_kmh);
      const found = nearestCenter(model, query.lon, query.lat, query.kind, speedKmh);
      const i = found.center;
      const centers = model.centers;
      const walkSeconds = round1(found.walkSeconds);
      const distanceM = round1(found.distanceM);
      return c.json({
        center: { id: centers.id[i], name: centers.name[i], kind: centers.kind[i], services: centers.services[i], lon: round7(centers.lon[i]!), lat: round7(centers.lat[i]!) },
        walk_seconds: walkSeconds,
        distance_m: distanceM,
        profile: query.profile,
        speed_kmh: speedKmh,
        origin: { lon: query.lon, lat: query.lat, snapped: [round7(found.origin.snap.lon), round7(found.origin.snap.lat)], access_m: round1(found.origin.snap.distanceM) },
        route: { type: 'Feature', properties: { walk_seconds: walkSeconds, distance_m: distanceM }, geometry: { type: 'LineString', coordinates: found.line } },
      });
    },
  );
  return app;
}
