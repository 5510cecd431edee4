/**
 * GET /api/coverage?level=city|district|street|community|grid&minutes=15&kind=&speed_kmh=
 * Households and those within `minutes` walk of a center (of `kind`, or any),
 * per unit of the level, with the total: the live coverage's evaluation
 * rolled up (typed arrays), so any speed and threshold costs one pass.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { defineRoute } from '../http/define-route.ts';
import { errorResponse, internalError, json } from '../http/responses.ts';
import { kindFilter, levelParam, minutesParam, minutesValue, speedParam } from '../http/schemas.ts';
import { DEFAULT_COVERAGE_MINUTES } from '../routing/routing-limits.ts';
import { coverageNotReady } from '../routing/routing-responses.ts';
import { LEVELS } from './coverage-data.ts';
import type { CoverageService } from './coverage-service.ts';
import { coverageByLevel } from './evaluate-coverage.ts';

const counts = {
  households: z.int().min(0).openapi({ description: 'Households (not units).' }),
  covered: z.int().min(0).openapi({ description: 'Households within the threshold of a center.' }),
  share: z.number().min(0).max(1).nullable().openapi({ description: 'covered / households; null where there are no households.' }),
};

const CoverageUnit = z
  .strictObject({
    code: z.string().nullable().openapi({ description: 'Division or grid code; null for households the data does not place at this level.' }),
    name: z.string().openapi({ description: '`(unassigned)` for the null code.' }),
    ...counts,
  })
  .openapi('CoverageUnit');

const Coverage = z
  .strictObject({
    level: z.enum(LEVELS),
    minutes: minutesValue,
    kind: z.string().nullable(),
    speed_kmh: z.number(),
    data_version: z.string(),
    units: z.array(CoverageUnit).openapi({ description: 'Every unit of the level; together they add up to the total.' }),
    total: z.strictObject(counts),
  })
  .openapi('Coverage');

export function coverageRoutes(coverage: CoverageService) {
  const app = new OpenAPIHono();
  defineRoute(
    app,
    {
      method: 'get',
      path: '/api/coverage',
      operationId: 'getCoverage',
      tags: ['coverage'],
      summary: 'Household coverage per unit of a level',
      description:
        'Households, and those within `minutes` of walk from a center (of `kind`, or any), per unit of the level, with the total; every level adds up to the city. ' +
        'This is the baseline, the live centers: a `scenario` parameter is a 400 until scenarios exist.',
      query: z.object({
        level: levelParam,
        minutes: minutesParam(DEFAULT_COVERAGE_MINUTES).openapi({ description: 'Threshold, minutes of walk.' }),
        kind: kindFilter.openapi({ description: 'Only centers of this kind; all kinds when absent (a kind no center has is a 400 `unknown_kind`).' }),
        speed_kmh: speedParam,
        // Ignoring it would answer the baseline to someone who asked for a scenario.
        scenario: z
          .custom<undefined>((value) => value === undefined, { error: 'is not answered yet: there are no scenarios yet, so /api/coverage gives the baseline only; leave scenario out' })
          .optional()
          .openapi({ type: 'string', not: {}, description: 'Not accepted yet (there are no scenarios yet): any value is a 400.' }),
      }),
      responses: {
        200: { description: 'The units and the total.', content: json(Coverage) },
        400: errorResponse('A parameter is out of range, no center has that kind, or `scenario` was given.', ['bad_request', 'unknown_kind']),
        503: coverageNotReady,
        500: internalError,
      },
    },
    async (c, { query }) => {
      const live = await coverage.ready();
      const result = coverageByLevel(live.model, live.forKind(query.kind), query.level, query.minutes, query.speed_kmh);
      return c.json({
        level: query.level,
        minutes: query.minutes,
        kind: query.kind ?? null,
        speed_kmh: query.speed_kmh,
        data_version: live.model.version,
        units: result.units,
        total: result.total,
      });
    },
  );
  return app;
}
