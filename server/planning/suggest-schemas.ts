/**
 * The site-suggestion API's shapes: the request (one objective of k and
 * target_share, the threshold, the fixed centers' kind and scenario, the
 * candidates, the weight, the method and its time limit) and the answer
 * (sites in order with their street points and marginal gains, the curve,
 * totals, the bound and gap, the candidates, timings, and the changes a
 * scenario can take as they are). Limits come from the engine's options
 * (suggest/suggest-options.ts), so the document and the engine cannot differ.
 */
import { z } from '@hono/zod-openapi';
import { WALK_PROFILE_NAMES, type WalkProfileName } from '../../kernel/walk-speed.ts';
import { numberIn, oneOf, shown } from '../http/schema-rules.ts';
import { kindField, lonLatPair } from '../http/schemas.ts';
import { DEFAULT_COVERAGE_MINUTES, MAX_MINUTES, MAX_SPEED_KMH } from '../routing/routing-limits.ts';
import { MAX_SCENARIO_ID } from './scenario-schemas.ts';
import {
  DEFAULT_CANDIDATE_SPACING_M,
  DEFAULT_TIME_LIMIT_S,
  MAX_CANDIDATES,
  MAX_SITES,
  MAX_TIME_LIMIT_S,
  SUGGEST_METHODS,
  SUGGEST_WEIGHTS,
} from './suggest/suggest-options.ts';

const fields = {
  k: numberIn({ min: 1, max: MAX_SITES, integer: true, text: false, what: `a whole number of new sites from 1 to ${MAX_SITES}` })
    .optional()
    .openapi({ description: 'Choose this many new sites that cover the most uncovered weight (maximal covering). Give exactly one of k and target_share.' }),
  target_share: numberIn({ min: 0, max: 1, exclusiveMin: true, text: false, what: 'a share above 0 and at most 1' })
    .optional()
    .openapi({
      description: `Choose the fewest new sites (at most ${MAX_SITES}) that bring the covered share of all weight to this (set covering). Give exactly one of k and target_share.`,
    }),
  minutes: numberIn({ min: 0, max: MAX_MINUTES, exclusiveMin: true, text: false, what: `a number of minutes above 0 and at most ${MAX_MINUTES}` })
    .default(DEFAULT_COVERAGE_MINUTES)
    .openapi({ description: 'A household counts as covered within this walk of a center.' }),
  kind: kindField.optional().openapi({ description: 'Only centers of this kind stay fixed and count as covering (the new sites are of this kind); default the service centers (the 15-minute circle\'s kinds, and kinds the standard does not know).' }),
  profile: z
    .enum(WALK_PROFILE_NAMES as [WalkProfileName, ...WalkProfileName[]], { error: (iss) => `must be one of ${WALK_PROFILE_NAMES.join(', ')}, got ${shown(iss.input)}` })
    .default('default')
    .openapi({ description: 'Who walks (kernel/walk-speed.ts): the default speed and how slow steps are. With `scenario`, only the default profile.' }),
  speed_kmh: numberIn({ min: 0, max: MAX_SPEED_KMH, exclusiveMin: true, text: false, what: `a walking speed in km/h above 0 and at most ${MAX_SPEED_KMH}` })
    .optional()
    .openapi({ description: "Walking speed on the flat, km/h; default the profile's (4 km/h for the default profile)." }),
  scenario: numberIn({ min: 1, max: MAX_SCENARIO_ID, integer: true, text: false, what: 'the id of a stored scenario (a positive whole number)' })
    .optional()
    .openapi({ description: "Plan on top of this scenario: its centers (added, moved, not removed) stay fixed instead of the live ones." }),
  candidates: z
    .array(lonLatPair, { error: (iss) => `must be an array of [lon, lat] pairs, got ${shown(iss.input)}` })
    .min(1, { error: 'must list at least one [lon, lat] when given; leave it out to have candidates generated' })
    .max(MAX_CANDIDATES, { error: (iss) => `may list at most ${MAX_CANDIDATES} points, got ${Array.isArray(iss.input) ? iss.input.length : '?'}` })
    .optional()
    .openapi({
      description:
        `Sites to choose from, [lon, lat] each (at most ${MAX_CANDIDATES}). Left out: one street point per ${DEFAULT_CANDIDATE_SPACING_M} m square ` +
        'that some uncovered household can walk to within the threshold. A point farther than the snapping maximum from any walkway is 422.',
    }),
  weight: oneOf(SUGGEST_WEIGHTS, 'households').openapi({ description: 'What a site gains: households, or persons (units whose persons are unknown count 0).' }),
  method: oneOf(SUGGEST_METHODS, 'greedy').openapi({
    description: 'greedy: greedy with swaps, seconds at most, with an upper bound; exact: the integer program solved by HiGHS within time_limit_s, optimal or the best found with its bound.',
  }),
  time_limit_s: numberIn({ min: 0, max: MAX_TIME_LIMIT_S, exclusiveMin: true, text: false, what: `a number of seconds above 0 and at most ${MAX_TIME_LIMIT_S}` })
    .default(DEFAULT_TIME_LIMIT_S)
    .openapi({ description: "The exact method's budget, seconds." }),
};

export const SuggestRequest = z
  .strictObject(fields, {
    error: (iss) =>
      iss.code === 'unrecognized_keys' ? `unknown field "${String(iss.keys[0]).slice(0, 64)}"; a suggestion request has ${Object.keys(fields).join(', ')}` : undefined,
  })
  .superRefine((body, ctx) => {
    if ((body.k === undefined) === (body.target_share === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [body.k === undefined ? 'k' : 'target_share'],
        message:
          body.k === undefined
            ? 'or target_share is required: give k (new sites to choose) or target_share (share of all weight to reach)'
            : 'and k were both given: give exactly one of them',
      });
    }
  })
  .openapi('SuggestRequest', { description: 'What to suggest: exactly one of k and target_share; every other field has a default.' });

const count = z.number().min(0);
const Amounts = z.strictObject({
  weight: count.openapi({ description: 'In the unit of `weight` (households or persons).' }),
  households: count,
  persons: count.openapi({ description: 'Persons where known (unknown count 0).' }),
});
const CoveredAmounts = Amounts.extend({ share: z.number().min(0).max(1).openapi({ description: 'Covered weight / all weight.' }) });

const SuggestedSite = z
  .strictObject({
    rank: z.int().min(1).openapi({ description: '1 adds most; each next adds most to those before it.' }),
    lon: z.number(),
    lat: z.number(),
    street: z
      .strictObject({ lon: z.number(), lat: z.number(), access_m: count })
      .openapi({ description: 'Where the site joins the walk network, and the walk from the point to it, metres.' }),
    candidate: z.int().min(0).openapi({ description: 'Index into the given candidates, or into the generated ones.' }),
    gained: Amounts.openapi({ description: 'What this site adds to those ranked before it (marginal).' }),
  })
  .openapi('SuggestedSite');

const Bound = z
  .strictObject({
    weight: count.nullable().openapi({ description: 'k: no k sites gain more than this; null for target_share.' }),
    share: z.number().min(0).max(1).nullable().openapi({ description: 'k: the covered share the bound would give.' }),
    sites: z.int().min(0).nullable().openapi({ description: 'target_share: no fewer sites reach the target; null for k.' }),
    gap: z.number().min(0).nullable().openapi({ description: 'k: (bound - gained) / bound; target_share: sites answered - bound. 0 means proved optimal; null when the target cannot be reached (status unreachable).' }),
    source: z.string().openapi({ description: 'What proved the bound (the exact solve, an LP or Lagrangian bound, the submodular bound).' }),
  })
  .openapi('SuggestBound');

const AddChange = z.strictObject({ op: z.literal('add'), name: z.string(), kind: z.string(), lon: z.number(), lat: z.number(), services: z.array(z.string()) });

export const SuggestAnswer = z
  .strictObject({
    data_version: z.string(),
    scenario: z.strictObject({ id: z.int(), revision: z.int() }).nullable().openapi({ description: 'The scenario whose centers stayed fixed, or null for the live ones.' }),
    kind: z.string().nullable(),
    objective: z.enum(['max_coverage', 'target_share']),
    method: z.enum(SUGGEST_METHODS),
    status: z.enum(['optimal', 'time_limit', 'heuristic', 'unreachable']).openapi({
      description:
        'optimal: proved (exact, or the bound meets the answer); time_limit: the exact solve stopped with its best answer and bound; heuristic: greedy with swaps and its bound; unreachable: target_share cannot be reached with these candidates within the site limit (the best effort is shown).',
    }),
    weight: z.enum(SUGGEST_WEIGHTS),
    minutes: z.number(),
    profile: z.enum(WALK_PROFILE_NAMES as [WalkProfileName, ...WalkProfileName[]]),
    speed_kmh: z.number(),
    k: z.int().nullable(),
    target: z.strictObject({ share: z.number(), weight_to_gain: count, reached: z.boolean() }).nullable(),
    sites: z.array(SuggestedSite),
    curve: z.array(CoveredAmounts.extend({ sites: z.int().min(1) })).openapi({ description: 'Coverage after the first 1, 2, ... sites of the answer.' }),
    totals: z.strictObject({ all: Amounts, before: CoveredAmounts, after: CoveredAmounts, gained: Amounts }),
    bound: Bound,
    candidates: z
      .strictObject({ generated: z.boolean(), rule: z.string(), spacing_m: z.number().nullable(), count: count, used: count, dropped_empty: count, dropped_duplicate: count, dropped_dominated: count })
      .openapi({ description: 'The candidates chosen from: given or generated (and the rule), and how many were left after dropping those that cover no one new, the same units as another, or only units another covers too (none of these can improve an answer).' }),
    coverage_sets: z.strictObject({ demand_units: count, entries: count, bytes: count }),
    timings_ms: z.record(z.string(), z.number()).openapi({ description: 'Where the time went: current coverage, candidates, coverage sets, heuristic, bound, exact, total; and waiting for the worker.' }),
    changes: z.array(AddChange).openapi({ description: 'The sites as scenario changes: POST /api/scenarios {"name": ..., "changes": this} stores the suggestion as a scenario.' }),
  })
  .openapi('Suggestion');

export type SuggestRequestBody = z.output<typeof SuggestRequest>;
export type SuggestAnswerBody = z.output<typeof SuggestAnswer>;
