/**
 * GET /api/coverage?level=city|district|street|community|grid&minutes=15&kind=&speed_kmh=&scenario=
 * Households and those within `minutes` walk of a center (of `kind`, or any),
 * per unit of the level, with the total; and who is left out (unit-equity.ts):
 * the p90 and longest walk, households beyond 15 minutes and those that
 * reach no center, and the worst-served unit. With `scenario`, the same for
 * the scenario's centers, plus per unit what it gains and loses against the
 * live baseline. Answered from in-memory evaluations (typed arrays), so any
 * speed and threshold costs a pass or two over the households.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { DEFAULT_SPEED_KMH } from '../../kernel/walk-speed.ts';
import { defineRoute } from '../http/define-route.ts';
import { errorResponse, internalError } from '../http/responses.ts';
import { exportContent, exportHeaders, exportParams, isoDay, tableResponse } from '../exports/export-format.ts';
import type { XlsxRenderer } from '../exports/xlsx-runner.ts';
import { coverageTable } from '../exports/export-tables.ts';
import { idParam, kindFilter, levelParam, minutesParam, minutesValue, profileParam, speedParam } from '../http/schemas.ts';
import { WALK_PROFILE_NAMES, type WalkProfileName } from '../../kernel/walk-speed.ts';
import { DEFAULT_COVERAGE_MINUTES } from '../routing/routing-limits.ts';
import { coverageNotReadyOrBusy } from '../routing/routing-responses.ts';
import { coverageForQuery } from './coverage-for-query.ts';
import { LEVELS, type Level, type LevelUnits } from './coverage-data.ts';
import { compareRollup, rollup, thresholdSeconds } from './coverage-rollup.ts';
import type { CoverageService, LiveCoverage } from './coverage-service.ts';
import { unitEquity, type UnitEquity } from './unit-equity.ts';

/** A scenario's coverage as this route needs it (planning/scenario-service.ts provides it). */
export interface ScenarioCoverage {
  evaluate(id: number): Promise<{ live: LiveCoverage; model: { version: string }; scenario: { id: number; revision: number }; forKind(kind: string | undefined): { seconds: Float32Array } }>;
}

const count = z.number().min(0);
const seconds = z.number().min(0).nullable();
const figures = {
  households: count.openapi({ description: 'Households (not units).' }),
  covered: count.openapi({ description: 'Households within the threshold of a center.' }),
  share: z.number().min(0).max(1).nullable().openapi({ description: 'covered / households; null where there are no households.' }),
  p90_walk_s: seconds.openapi({ description: 'Walk at speed_kmh that 90% of the households are within, seconds; null without households, or when the 90th percentile household reaches no center.' }),
  max_walk_s: seconds.openapi({ description: 'The longest walk of a household that reaches a center, seconds; null where none does.' }),
  beyond_15: count.openapi({ description: 'Households more than 15 minutes from a center at speed_kmh (those that reach none included).' }),
  unreachable: count.openapi({ description: 'Households that reach no center.' }),
  covered_before: count.optional().openapi({ description: 'With `scenario`: households covered by the live centers.' }),
  gained: count.optional().openapi({ description: 'With `scenario`: households covered with the scenario and not without it.' }),
  lost: count.optional().openapi({ description: 'With `scenario`: households covered without the scenario and not with it.' }),
};

const CoverageUnit = z
  .strictObject({
    code: z.string().nullable().openapi({ description: 'Division or grid code; null for households the data does not place at this level.' }),
    name: z.string().openapi({ description: '`(unassigned)` for the null code.' }),
    ...figures,
  })
  .openapi('CoverageUnit');

const Coverage = z
  .strictObject({
    level: z.enum(LEVELS),
    minutes: minutesValue,
    kind: z.string().nullable(),
    profile: z.enum(WALK_PROFILE_NAMES as [WalkProfileName, ...WalkProfileName[]]),
    speed_kmh: z.number(),
    data_version: z.string(),
    scenario: z.strictObject({ id: z.int(), revision: z.int() }).nullable().openapi({ description: 'The scenario answered for, or null for the live centers.' }),
    units: z.array(CoverageUnit).openapi({ description: 'Every unit of the level; together they add up to the total.' }),
    total: z.strictObject(figures),
    worst_unit: z
      .strictObject({ code: z.string().nullable(), name: z.string(), p90_walk_s: seconds })
      .nullable()
      .openapi({ description: 'The unit whose households walk longest (highest p90; one whose p90 household reaches no center first).' }),
  })
  .openapi('Coverage');

/** Every household in one unit: the total's equity figures. */
function wholeCity(units: LevelUnits): LevelUnits {
  return { level: units.level, codes: [null], names: ['total'], unitOf: new Int32Array(units.unitOf.length) };
}

/** `xlsx` renders the xlsx exports (the app's XlsxRunner). */
export function coverageRoutes(coverage: CoverageService, scenarios: ScenarioCoverage | undefined, xlsx: XlsxRenderer) {
  const app = new OpenAPIHono();
  // Equity figures per evaluation and level, made on first request (a sort of all households).
  const equities = new WeakMap<Float32Array, Map<string, UnitEquity>>();
  const equityOf = (live: LiveCoverage, secondsOf: Float32Array, level: Level | 'total') => {
    let byLevel = equities.get(secondsOf);
    if (!byLevel) equities.set(secondsOf, (byLevel = new Map()));
    let equity = byLevel.get(level);
    if (!equity) {
      const data = live.model.data;
      const units = level === 'total' ? wholeCity(data.levels.city) : data.levels[level];
      byLevel.set(level, (equity = unitEquity(data.households, units, secondsOf)));
    }
    return equity;
  };

  defineRoute(
    app,
    {
      method: 'get',
      path: '/api/coverage',
      operationId: 'getCoverage',
      tags: ['coverage'],
      summary: 'Household coverage per unit of a level, and who is left out',
      description:
        'Households, and those within `minutes` of walk from a center (of `kind`, or any), per unit of the level, with the total; every level adds up to the city. ' +
        'With `scenario`, for the scenario\'s centers, with what each unit gains and loses against the live centers.',
      query: z.object({
        level: levelParam,
        minutes: minutesParam(DEFAULT_COVERAGE_MINUTES).openapi({ description: 'Threshold, minutes of walk.' }),
        kind: kindFilter.openapi({ description: 'Only centers of this kind; when absent, the service centers: the 15-minute circle\'s kinds (kernel/life-circle-standard.json) and kinds the standard does not know, so a convenience shop does not cover anyone (a kind no center has is a 400 `unknown_kind`).' }),
        profile: profileParam,
        speed_kmh: speedParam,
        scenario: idParam(999_999_999).optional().openapi({ description: 'A scenario id: its coverage instead of the live one.' }),
        ...exportParams,
      }),
      responses: {
        200: { description: 'The units and the total; with `format=csv` or `xlsx`, a table of them (a row per unit, the total last).', content: exportContent(Coverage), headers: exportHeaders },
        400: errorResponse('A parameter is out of range, or no center has that kind.', ['bad_request', 'unknown_kind']),
        404: errorResponse('No scenario has this id.', ['unknown_scenario']),
        409: errorResponse('A change of the scenario names a center the live data no longer has.', ['scenario_conflict']),
        503: coverageNotReadyOrBusy,
        500: internalError,
      },
    },
    async (c, { query }) => {
      const { scenario, live, speedKmh } = await coverageForQuery(coverage, scenarios, query);
      const data = live.model.data;
      const times = scenario ? scenario.forKind(query.kind).seconds : live.forKind(query.kind).seconds;
      // A kind only the scenario has: no household was served by it before.
      const liveHasKind = query.kind === undefined || live.model.centers.kinds.includes(query.kind);
      const baseline = !scenario || liveHasKind ? live.forKind(query.kind).seconds : new Float32Array(times.length).fill(Infinity);
      const units = data.levels[query.level];
      const threshold = thresholdSeconds(query.minutes, speedKmh);
      const fifteen = thresholdSeconds(15, speedKmh);
      const result = rollup(data.households, units, times, threshold);
      const within15 = rollup(data.households, units, times, fifteen);
      const compared = scenario ? compareRollup(data.households, units, baseline, times, threshold) : undefined;
      const scale = DEFAULT_SPEED_KMH / speedKmh;
      const walk = (s: number) => (Number.isFinite(s) ? Math.round(s * scale * 10) / 10 : null);
      const equity = equityOf(live, times, query.level);
      const total = equityOf(live, times, 'total');
      const unitFigures = result.units.map((u, k) => ({
        ...u,
        p90_walk_s: walk(equity.p90[k]!),
        max_walk_s: walk(equity.max[k]!),
        beyond_15: u.households - within15.units[k]!.covered,
        unreachable: equity.unreachable[k]!,
        ...(compared ? { covered_before: compared.coveredBefore[k]!, gained: compared.gained[k]!, lost: compared.lost[k]! } : {}),
      }));
      // Worst served: the highest p90; a p90 household that reaches no center counts as the worst of all.
      let worst: (typeof unitFigures)[number] | undefined;
      let worstKey = -1;
      equity.p90.forEach((p, k) => {
        const key = Number.isNaN(p) ? -1 : p;
        if (key > worstKey) [worst, worstKey] = [unitFigures[k]!, key];
      });
      const answer = {
        level: query.level,
        minutes: query.minutes,
        kind: query.kind ?? null,
        profile: query.profile,
        speed_kmh: speedKmh,
        data_version: live.model.version,
        scenario: scenario ? { id: scenario.scenario.id, revision: scenario.scenario.revision } : null,
        units: unitFigures,
        total: {
          ...result.total,
          p90_walk_s: walk(total.p90[0]!),
          max_walk_s: walk(total.max[0]!),
          beyond_15: result.total.households - within15.total.covered,
          unreachable: total.unreachable[0]!,
          ...(compared ? { covered_before: compared.total.coveredBefore, gained: compared.total.gained, lost: compared.total.lost } : {}),
        },
        worst_unit: worst ? { code: worst.code, name: worst.name, p90_walk_s: worst.p90_walk_s } : null,
      };
      if (query.format === 'json') return c.json(answer);
      const { table, fileName } = coverageTable(answer, { format: query.format, lang: query.lang, day: isoDay() });
      return tableResponse(c, { format: query.format, table, fileName, dataVersion: answer.data_version }, xlsx);
    },
  );
  return app;
}
