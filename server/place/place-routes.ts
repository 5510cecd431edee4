/**
 * GET /api/place?lon=&lat=&profile=
 * A resident's answer card for a point in one request (place-card.ts): where
 * the walk starts, the nearest center of every facility kind of the living
 * circles with its walk, route and whether it is within the kind's tier, and
 * which tiers the point meets.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { LIFE_CIRCLE_STANDARD } from '../../kernel/life-circle-standard.ts';
import { WALK_PROFILE_NAMES, type WalkProfileName } from '../../kernel/walk-speed.ts';
import type { CoverageService } from '../coverage/coverage-service.ts';
import { defineRoute } from '../http/define-route.ts';
import { LineString, LonLat } from '../http/geojson-schemas.ts';
import { badRequest, internalError, json } from '../http/responses.ts';
import { oneOf } from '../http/schema-rules.ts';
import { latParam, lonParam } from '../http/schemas.ts';
import { MAX_SEARCH_SECONDS } from '../routing/routing-limits.ts';
import { coverageNotReady, pointNotOnNetwork } from '../routing/routing-responses.ts';
import { MAX_SNAP_DISTANCE_M } from '../routing/search/snap.ts';
import { PLANNING_KINDS, placeCard, reportedSeconds } from './place-card.ts';

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;
const round1 = (v: number) => Math.round(v * 10) / 10;

const Profile = z.enum(WALK_PROFILE_NAMES as [WalkProfileName, ...WalkProfileName[]]);
const Minutes = z.union([z.literal(5), z.literal(10), z.literal(15)]);

const PlaceKind = z
  .strictObject({
    kind: z.string(),
    name: z.string(),
    name_zh: z.string(),
    minutes: Minutes.openapi({ description: 'The tier the kind belongs to: its walk must be within these minutes.' }),
    profile: Profile.openapi({ description: 'Who walks to it: the profile asked for, else elderly for elderly-care kinds and default for the rest.' }),
    speed_kmh: z.number(),
    centers: z.int().min(0).openapi({ description: 'Centers of this kind in the data (0: a planning kind the data has none of).' }),
    center: z
      .strictObject({ id: z.int(), name: z.string(), kind: z.string(), lon: z.number(), lat: z.number() })
      .nullable()
      .openapi({ description: `The nearest by walking time; null when none is within ${MAX_SEARCH_SECONDS / 3600} h of walking.` }),
    walk_seconds: z.number().min(0).max(MAX_SEARCH_SECONDS).nullable().openapi({ description: 'Walking time at the profile\'s speed, access legs included, seconds (0.1 s): what GET /api/nearest?kind=&profile= answers. Null without a center.' }),
    distance_m: z.number().min(0).nullable().openapi({ description: 'Length of the route, metres (0.1 m).' }),
    route: LineString.nullable().openapi({ description: 'The route along the streets from the point to the center, both access legs included.' }),
    met: z.boolean().openapi({ description: 'walk_seconds <= minutes * 60; false without a center.' }),
  })
  .openapi('PlaceKind');

const PlaceAnswer = z
  .strictObject({
    data_version: z.string(),
    profile: Profile.nullable().openapi({ description: 'The profile asked for; null: each kind at its own.' }),
    origin: z.strictObject({
      lon: z.number(),
      lat: z.number(),
      snapped: LonLat.openapi({ description: 'The nearest point on the nearest walkable way, where the walks join the network.' }),
      access_m: z.number().min(0).max(MAX_SNAP_DISTANCE_M).openapi({ description: 'Straight access leg from the point to the network, metres.' }),
    }),
    kinds: z.array(PlaceKind).openapi({
      description: `Every facility kind of kernel/life-circle-standard.json the data has centers of, and the planning kinds (${PLANNING_KINDS.join(', ')}) always, in the standard's order.`,
    }),
    tiers: z.array(
      z.strictObject({
        minutes: Minutes,
        distance_m: z.int().openapi({ description: 'The nominal walking distance of the tier in the standard.' }),
        name: z.string(),
        name_zh: z.string(),
        kinds: z.array(z.string()).openapi({ description: 'The tier\'s kinds on this card.' }),
        missing_kinds: z.array(z.string()).openapi({ description: 'The tier\'s kinds the data has no center of: left out of the tier, as GET /api/standard does.' }),
        met: z.boolean().openapi({ description: 'Every kind of the tier on this card is met (true when it has none).' }),
      }),
    ),
    all_tiers_met: z.boolean(),
  })
  .openapi('Place');

export function placeRoutes(coverage: CoverageService) {
  const app = new OpenAPIHono();
  const kindInfo = LIFE_CIRCLE_STANDARD.kindByName;
  defineRoute(
    app,
    {
      method: 'get',
      path: '/api/place',
      operationId: 'getPlace',
      tags: ['places'],
      summary: 'The living-circle answer card of a point',
      description: `Snaps the point to the nearest walkable way (within ${MAX_SNAP_DISTANCE_M} m) and finds, for each facility kind of the GB 50180-2018 living circles the data has (and the planning kinds), the nearest center by walking time with its route, and whether it is within the kind's tier of 5, 10 or 15 minutes; then which tiers are met. Each kind's walk is what GET /api/nearest?kind=&profile= answers; elderly-care kinds are walked at the elderly profile unless \`profile\` names one for all.`,
      query: z.object({
        lon: lonParam,
        lat: latParam,
        profile: oneOf(WALK_PROFILE_NAMES as [WalkProfileName, ...WalkProfileName[]])
          .optional()
          .openapi({ description: 'One walking profile for every kind; when absent, elderly for elderly-care kinds and default for the rest.' }),
      }),
      responses: {
        200: { description: 'The card.', content: json(PlaceAnswer) },
        400: badRequest(),
        422: pointNotOnNetwork(),
        503: coverageNotReady,
        500: internalError,
      },
    },
    async (c, { query }) => {
      const live = await coverage.ready();
      const card = placeCard(live, query.lon, query.lat, query.profile);
      const { snap } = card.origin;
      return c.json({
        data_version: card.version,
        profile: query.profile ?? null,
        origin: { lon: query.lon, lat: query.lat, snapped: [round7(snap.lon), round7(snap.lat)], access_m: round1(snap.distanceM) },
        kinds: card.kinds.map((k) => {
          const info = kindInfo.get(k.kind)!;
          const found = k.nearest;
          const centers = live.model.centers;
          const i = found?.center ?? -1;
          return {
            kind: k.kind,
            name: info.name,
            name_zh: info.nameZh,
            minutes: k.tier,
            profile: k.profile,
            speed_kmh: k.speedKmh,
            centers: k.centers,
            center: found ? { id: centers.id[i]!, name: centers.name[i]!, kind: centers.kind[i]!, lon: round7(centers.lon[i]!), lat: round7(centers.lat[i]!) } : null,
            walk_seconds: found ? reportedSeconds(found.walkSeconds) : null,
            distance_m: found ? round1(found.distanceM) : null,
            route: found ? { type: 'LineString' as const, coordinates: found.line } : null,
            met: k.met,
          };
        }),
        tiers: card.tiers.map((t) => {
          const tier = LIFE_CIRCLE_STANDARD.tiers.find((x) => x.minutes === t.minutes)!;
          return { minutes: t.minutes, distance_m: tier.distanceM, name: tier.name, name_zh: tier.nameZh, kinds: t.kinds, missing_kinds: t.missing, met: t.met };
        }),
        all_tiers_met: card.allTiersMet,
      });
    },
  );
  return app;
}
