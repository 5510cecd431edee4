/**
 * GET /api/standard?level=city|district|street|community|grid&profile=&strict=
 * The GB 50180-2018 living-circle check (standard-check.ts) per unit of a
 * level: for each tier (5, 10, 15 minutes) and each of its facility kinds
 * the data has, the households within that tier's walk of one, their share,
 * and the households meeting every kind of the tier and every tier. The
 * tiers and kinds come from kernel/life-circle-standard.json, with their
 * Chinese names, so a client can label them.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { LIFE_CIRCLE_STANDARD } from '../../kernel/life-circle-standard.ts';
import { WALK_PROFILES, WALK_PROFILE_NAMES, type WalkProfileName } from '../../kernel/walk-speed.ts';
import { defineRoute } from '../http/define-route.ts';
import { errorResponse, internalError } from '../http/responses.ts';
import { exportContent, exportHeaders, exportParams, isoDay, tableResponse } from '../exports/export-format.ts';
import type { XlsxRenderer } from '../exports/xlsx-runner.ts';
import { standardTable } from '../exports/export-tables.ts';
import { oneOf } from '../http/schema-rules.ts';
import { levelParam } from '../http/schemas.ts';
import { LEVELS } from '../coverage/coverage-data.ts';
import { coverageNotReadyOrBusy } from '../routing/routing-responses.ts';
import { standardRollup } from './standard-rollup.ts';
import type { StandardService } from './standard-service.ts';

const count = z.number().min(0);
const share = z.number().min(0).max(1).nullable().openapi({ description: 'met / households; null without households.' });
const Met = z.strictObject({ met: count.openapi({ description: 'Households that meet it.' }), share });
const Profile = z.enum(WALK_PROFILE_NAMES as [WalkProfileName, ...WalkProfileName[]]);

const UnitFigures = {
  households: count,
  tiers: z.array(
    z.strictObject({
      minutes: z.int(),
      met: count.openapi({ description: 'Households within reach of every checked kind of the tier.' }),
      share,
      kinds: z.array(z.strictObject({ kind: z.string(), met: count, share })),
    }),
  ),
  all_tiers: Met.openapi({ description: 'Households that meet every tier.' }),
};

const StandardAnswer = z
  .strictObject({
    standard: z.string().openapi({ description: 'The standard and where its mapping is kept.' }),
    level: z.enum(LEVELS),
    data_version: z.string(),
    profile: Profile.nullable().openapi({ description: 'The profile asked for; null: each kind at its own (elderly for elderly-care kinds).' }),
    strict: z.boolean(),
    tiers: z.array(
      z.strictObject({
        minutes: z.int(),
        distance_m: z.int().openapi({ description: 'The nominal walking distance of the tier in the standard.' }),
        name: z.string(),
        name_zh: z.string(),
        kinds: z.array(
          z.strictObject({
            kind: z.string(),
            name: z.string(),
            name_zh: z.string(),
            profile: Profile,
            speed_kmh: z.number(),
            centers: z.int().min(1),
          }),
        ),
        missing_kinds: z.array(z.string()).openapi({ description: 'Kinds of the tier the data has no center of (left out of the tier, or making it unmet when strict).' }),
      }),
    ),
    units: z.array(z.strictObject({ code: z.string().nullable(), name: z.string(), ...UnitFigures })).openapi({ description: 'Every unit of the level; together they add up to the total.' }),
    total: z.strictObject(UnitFigures),
    timings_ms: z.strictObject({ check: z.number().min(0) }).openapi({ description: 'How long the check over all households took (0 when it was already made for this data version).' }),
  })
  .openapi('LivingCircleStandard');

/** `xlsx` renders the xlsx exports (the app's XlsxRunner). */
export function standardRoutes(standard: StandardService, xlsx: XlsxRenderer) {
  const app = new OpenAPIHono();
  const kindInfo = new Map(LIFE_CIRCLE_STANDARD.kinds.map((k) => [k.kind, k]));
  const seen = new WeakSet<object>();
  defineRoute(
    app,
    {
      method: 'get',
      path: '/api/standard',
      operationId: 'getStandard',
      tags: ['coverage'],
      summary: 'GB 50180-2018 living-circle check per unit of a level',
      description:
        'For the 5-, 10- and 15-minute living circles, each facility kind of the tier (kernel/life-circle-standard.json): the households within the tier\'s walk of one, per unit of the level, and those meeting every kind of a tier and every tier. An upper tier does not count for a lower one. Elderly-care kinds are walked at the elderly profile unless `profile` names one for all.',
      query: z.object({
        level: levelParam,
        profile: oneOf(WALK_PROFILE_NAMES as [WalkProfileName, ...WalkProfileName[]]).optional().openapi({ description: 'One walking profile for every kind; when absent, elderly for elderly-care kinds and default for the rest.' }),
        strict: oneOf(['true', 'false'] as const, 'false').openapi({ description: 'true: a kind the data has no center of makes its tier unmet for everyone.' }),
        ...exportParams,
      }),
      responses: {
        200: {
          description: 'The check; with `format=csv` or `xlsx`, a table of it (a row per unit, the total last; per tier its households meeting it and share, then each of its kinds\').',
          content: exportContent(StandardAnswer),
          headers: exportHeaders,
        },
        400: errorResponse('A parameter is out of range (the message names it).', ['bad_request']),
        503: coverageNotReadyOrBusy,
        500: internalError,
      },
    },
    async (c, { query }) => {
      const { live, check } = await standard.check({ profile: query.profile, strict: query.strict === 'true' });
      const fresh = !seen.has(check);
      seen.add(check);
      const data = live.model.data;
      const rolled = standardRollup(check, data.households, data.levels[query.level]);
      const answer = {
        standard: 'GB 50180-2018 (kernel/life-circle-standard.json)',
        level: query.level,
        data_version: check.version,
        profile: query.profile ?? null,
        strict: query.strict === 'true',
        tiers: check.tiers.map((t) => {
          const tier = LIFE_CIRCLE_STANDARD.tiers.find((x) => x.minutes === t.minutes)!;
          return {
            minutes: t.minutes,
            distance_m: tier.distanceM,
            name: tier.name,
            name_zh: tier.nameZh,
            kinds: t.kinds.map((k) => ({
              kind: k.kind,
              name: kindInfo.get(k.kind)!.name,
              name_zh: kindInfo.get(k.kind)!.nameZh,
              profile: k.profile,
              speed_kmh: WALK_PROFILES[k.profile].speedKmh,
              centers: k.centers,
            })),
            missing_kinds: t.missing,
          };
        }),
        units: rolled.units,
        total: rolled.total,
        timings_ms: { check: fresh ? Math.round(check.ms * 10) / 10 : 0 },
      };
      if (query.format === 'json') return c.json(answer);
      const { table, fileName } = standardTable(answer, { format: query.format, lang: query.lang, day: isoDay() });
      return tableResponse(c, { format: query.format, table, fileName, dataVersion: answer.data_version }, xlsx);
    },
  );
  return app;
}
