/**
 * GET /api/households/uncovered?minutes=15&kind=&profile=&speed_kmh=&scenario=&bbox=
 * The household units outside `minutes` of walk from every center (of
 * `kind`, or the service centers), live or with a scenario's centers, as a
 * GeoJSON FeatureCollection of points: what the client exports for
 * planners. Read from the same in-memory evaluation as GET /api/coverage,
 * so the units listed add up to its households minus its covered ones.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { DEFAULT_SPEED_KMH, WALK_PROFILE_NAMES, type WalkProfileName } from '../../kernel/walk-speed.ts';
import { defineRoute } from '../http/define-route.ts';
import { errorResponse, internalError, json } from '../http/responses.ts';
import { absentIfBlank, shown } from '../http/schema-rules.ts';
import { idParam, kindFilter, LAT, LON, minutesParam, minutesValue, profileParam, speedParam } from '../http/schemas.ts';
import { DEFAULT_COVERAGE_MINUTES } from '../routing/routing-limits.ts';
import { coverageNotReady } from '../routing/routing-responses.ts';
import { coverageForQuery } from './coverage-for-query.ts';
import { thresholdSeconds } from './coverage-rollup.ts';
import type { ScenarioCoverage } from './coverage-routes.ts';
import type { CoverageService } from './coverage-service.ts';
import { uncoveredHouseholds, type Bbox } from './uncovered-households.ts';

const BBOX_TEXT = 'west,south,east,north in WGS84 degrees, with west <= east and south <= north';

/** ?bbox=west,south,east,north: four numbers in range, ordered. */
const bboxParam = z
  .preprocess(
    (value) => {
      value = absentIfBlank(value);
      if (typeof value !== 'string') return value;
      const parts = value.split(',').map((part) => part.trim());
      // Plain decimals only: Number('') is 0 and Number('0x10') is 16.
      return parts.every((part) => /^[+-]?(\d+\.?\d*|\.\d+)$/.test(part)) ? parts.map(Number) : value;
    },
    z
      .tuple([z.number().min(LON.min).max(LON.max), z.number().min(LAT.min).max(LAT.max), z.number().min(LON.min).max(LON.max), z.number().min(LAT.min).max(LAT.max)], {
        error: (iss) => `must be ${BBOX_TEXT}, got ${shown(iss.input)}`,
      })
      .refine(([west, south, east, north]) => west <= east && south <= north, { error: (iss) => `must be ${BBOX_TEXT}, got ${shown(iss.input)}` })
      .optional(),
  )
  .openapi({ type: 'string', description: `Only units inside this box: ${BBOX_TEXT}.`, examples: ['119.0,25.4,119.1,25.5'] });

const UncoveredFeature = z
  .strictObject({
    type: z.literal('Feature'),
    geometry: z.strictObject({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]).openapi({ description: '[lon, lat], WGS84 degrees.', minItems: 2, maxItems: 2 }) }),
    properties: z.strictObject({
      id: z.int().openapi({ description: 'The household unit (building or address).' }),
      households: z.int().min(0),
      persons: z.int().min(0).nullable().openapi({ description: 'Null where the data does not know them.' }),
      walk_s: z.number().min(0).nullable().openapi({ description: 'Walk to the nearest center at speed_kmh, seconds (0.1 s); null when it reaches none.' }),
      grid: z.string().nullable().openapi({ description: "The unit's grid code." }),
      community: z.string().nullable(),
      street: z.string().nullable(),
      district: z.string().nullable(),
    }),
  })
  .openapi('UncoveredHousehold');

const UncoveredCollection = z
  .strictObject({
    type: z.literal('FeatureCollection'),
    features: z.array(UncoveredFeature).openapi({ description: 'In unit id order.' }),
    properties: z
      .strictObject({
        minutes: minutesValue,
        kind: z.string().nullable(),
        profile: z.enum(WALK_PROFILE_NAMES as [WalkProfileName, ...WalkProfileName[]]),
        speed_kmh: z.number(),
        data_version: z.string(),
        scenario: z.strictObject({ id: z.int(), revision: z.int() }).nullable(),
        bbox: z.array(z.number()).nullable(),
        units: z.int().min(0),
        households: z.int().min(0),
        persons: z.int().min(0).openapi({ description: 'Where known.' }),
      })
      .openapi({ description: 'What was asked and what the features add up to (a foreign member, as RFC 7946 allows).' }),
  })
  .openapi('UncoveredHouseholds', { description: 'One Point per household unit not within the threshold of a center.' });

export function uncoveredRoutes(coverage: CoverageService, scenarios?: ScenarioCoverage) {
  const app = new OpenAPIHono();
  defineRoute(
    app,
    {
      method: 'get',
      path: '/api/households/uncovered',
      operationId: 'getUncoveredHouseholds',
      tags: ['coverage'],
      summary: 'Household units outside the walk threshold, as GeoJSON points',
      description:
        'Every household unit beyond `minutes` of walk from a center (of `kind`, or the service centers), for the live centers or a scenario\'s, optionally within a box; ' +
        'the same evaluation as GET /api/coverage, so their households are its households minus its covered ones.',
      query: z.object({
        minutes: minutesParam(DEFAULT_COVERAGE_MINUTES).openapi({ description: 'Threshold, minutes of walk.' }),
        kind: kindFilter.openapi({ description: 'Only centers of this kind; when absent, the service centers (as GET /api/coverage).' }),
        profile: profileParam,
        speed_kmh: speedParam,
        scenario: idParam(999_999_999).optional().openapi({ description: "A scenario id: the households its centers leave out." }),
        bbox: bboxParam,
      }),
      responses: {
        200: { description: 'The uncovered units and what they add up to.', content: json(UncoveredCollection) },
        400: errorResponse('A parameter is out of range, or no center has that kind.', ['bad_request', 'unknown_kind']),
        404: errorResponse('No scenario has this id.', ['unknown_scenario']),
        409: errorResponse('A change of the scenario names a center the live data no longer has.', ['scenario_conflict']),
        503: coverageNotReady,
        500: internalError,
      },
    },
    async (c, { query }) => {
      const { scenario, live, speedKmh } = await coverageForQuery(coverage, scenarios, query);
      const times = scenario ? scenario.forKind(query.kind).seconds : live.forKind(query.kind).seconds;
      const bbox = query.bbox as Bbox | undefined;
      const found = uncoveredHouseholds(live.model.data, times, {
        threshold: thresholdSeconds(query.minutes, speedKmh),
        scale: DEFAULT_SPEED_KMH / speedKmh,
        bbox,
      });
      return c.json({
        type: 'FeatureCollection' as const,
        features: found.features,
        properties: {
          minutes: query.minutes,
          kind: query.kind ?? null,
          profile: query.profile,
          speed_kmh: speedKmh,
          data_version: live.model.version,
          scenario: scenario ? { id: scenario.scenario.id, revision: scenario.scenario.revision } : null,
          bbox: bbox ? [...bbox] : null,
          units: found.units,
          households: found.households,
          persons: found.persons,
        },
      });
    },
  );
  return app;
}
