/**
 * The scenarios API's shapes: a scenario as a planner writes it (name,
 * description, changes: add, move, remove), and as the API answers it, with
 * the data version it was evaluated at and its summary against the live
 * baseline. The change fields follow the centers API's rules (a name, a
 * kind, a point that can be drawn on a tile).
 */
import { z } from '@hono/zod-openapi';
import { MAX_CENTER_ID, nameField, servicesField } from '../centers/center-schemas.ts';
import { isStorableText, numberIn, shown, UNSTORABLE_TEXT } from '../http/schema-rules.ts';
import { idParam, kindField, lonField, mercatorLatField } from '../http/schemas.ts';

/** Changes one scenario may hold: more than any plan for one city needs, few enough to evaluate in milliseconds. */
export const MAX_CHANGES = 500;
const MAX_DESCRIPTION = 2000;

const centerId = numberIn({ min: 1, max: MAX_CENTER_ID, integer: true, text: false, what: 'the id of a live center (a positive whole number)' });

/** An object whose unknown keys are named with the accepted ones. */
const strictWith = <S extends z.ZodRawShape>(shape: S, what: string) =>
  z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field "${String(iss.keys[0]).slice(0, 64)}"; ${what} has ${Object.keys(shape).join(', ')}` : undefined),
  });

const AddChange = strictWith(
  { op: z.literal('add'), name: nameField, kind: kindField, lon: lonField, lat: mercatorLatField, services: servicesField.default([]) },
  'an add',
).openapi('ScenarioAdd', { description: 'A new center.' });
const MoveChange = strictWith({ op: z.literal('move'), center_id: centerId, lon: lonField, lat: mercatorLatField }, 'a move').openapi('ScenarioMove', {
  description: 'A live center at another place.',
});
const RemoveChange = strictWith({ op: z.literal('remove'), center_id: centerId }, 'a remove').openapi('ScenarioRemove', { description: 'A live center taken away.' });

const Change = z.discriminatedUnion('op', [AddChange, MoveChange, RemoveChange], {
  error: (iss) => {
    const op = (iss.input as { op?: unknown } | undefined)?.op;
    return typeof iss.input !== 'object' || iss.input === null
      ? `must be a change object such as {"op": "remove", "center_id": 7}, got ${shown(iss.input)}`
      : `must be add, move or remove, got ${shown(op)}`;
  },
});

const changesField = z
  .array(Change, { error: (iss) => `must be an array of changes (add, move, remove), got ${shown(iss.input)}` })
  .max(MAX_CHANGES, { error: `may hold at most ${MAX_CHANGES} changes` })
  .openapi({ description: 'Applied in order to the live centers.' });

const scenarioName = z
  .string({ error: (iss) => (iss.input === undefined ? 'is required: a non-empty string of at most 200 characters' : `must be a non-empty string of at most 200 characters, got ${shown(iss.input)}`) })
  .refine(isStorableText, { error: UNSTORABLE_TEXT })
  .max(200, { error: 'must be a non-empty string of at most 200 characters' })
  .trim()
  .min(1, { error: 'must be a non-empty string of at most 200 characters' });
const description = z
  .string({ error: `must be a string of at most ${MAX_DESCRIPTION} characters, or null` })
  .refine(isStorableText, { error: UNSTORABLE_TEXT })
  .max(MAX_DESCRIPTION, { error: `must be at most ${MAX_DESCRIPTION} characters` })
  .nullable();

export const NewScenario = strictWith({ name: scenarioName, description: description.optional(), changes: changesField }, 'a scenario').openapi('NewScenario', {
  description: 'A what-if: changes to the live centers, never written to them until applied.',
});

export const ScenarioPatch = strictWith({ name: scenarioName.optional(), description: description.optional(), changes: changesField.optional() }, 'a scenario')
  .refine((p) => Object.values(p).some((v) => v !== undefined), { error: 'nothing to change: give at least one of name, description, changes' })
  .openapi('ScenarioPatch', { description: 'The fields to replace (at least one); the revision goes up.' });

const count = z.int().min(0);
const seconds = z.number().min(0).nullable();

const Circle = z.strictObject({
  minutes: z.number(),
  households_before: count,
  households_after: count,
  persons_before: count,
  persons_after: count,
  gained: count.openapi({ description: 'Households within the circle with the scenario and not without it.' }),
  lost: count.openapi({ description: 'Households within the circle without the scenario and not with it.' }),
  share_before: z.number().min(0).max(1).nullable(),
  share_after: z.number().min(0).max(1).nullable(),
});

const Distribution = z.strictObject({
  p50: seconds,
  p90: seconds,
  max: seconds,
  beyond_15: count,
  beyond_30: count,
  unreachable: count,
});

export const ScenarioSummary = z
  .strictObject({
    households: count,
    persons: count.openapi({ description: 'Where the data knows them.' }),
    circles: z.array(Circle).openapi({ description: 'The 5-, 10- and 15-minute life circles at 4 km/h.' }),
    walk_seconds: z
      .strictObject({ before: Distribution, after: Distribution })
      .openapi({ description: 'Walk to the nearest center at 4 km/h, household-weighted (p50 and p90 to 0.1 s); unreachable households count as beyond.' }),
  })
  .openapi('ScenarioSummary');

const scenarioFields = {
  id: z.int().min(1),
  name: z.string(),
  description: z.string().nullable(),
  changes: z.array(Change),
  revision: z.int().min(1),
  created_at: z.string().openapi({ format: 'date-time' }),
  updated_at: z.string().openapi({ format: 'date-time' }),
};

export const ScenarioListed = z.strictObject(scenarioFields).openapi('ScenarioListed');
export const ScenarioList = z.strictObject({ scenarios: z.array(ScenarioListed) }).openapi('ScenarioList');
export const Scenario = z
  .strictObject({
    ...scenarioFields,
    data_version: z.string().openapi({ description: 'The live data version the scenario was evaluated against (apply checks it).' }),
    evaluation_ms: z.number().min(0),
    summary: ScenarioSummary,
  })
  .openapi('Scenario');

export const Applied = z
  .strictObject({
    scenario: z.int().min(1),
    data_version: z.string().openapi({ description: 'The live data version the changes made.' }),
    added: z.array(z.int()).openapi({ description: 'Ids of the centers added, in the order of the changes.' }),
    moved: z.array(z.int()),
    removed: z.array(z.int()),
  })
  .openapi('AppliedScenario');

/** Largest scenario id a request may name. */
export const MAX_SCENARIO_ID = 999_999_999;

export const ScenarioIdParams = z.object({ id: idParam(MAX_SCENARIO_ID).openapi({ description: 'Scenario id.' }) });
