/**
 * The living-circle standard as data: the three tiers of GB 50180-2018, the
 * facility kind of each tier, and the rules that turn OSM tags and Chinese
 * names into kinds, read from life-circle-standard.json (documented in
 * life-circle-standard.md) and checked once when this module loads. What is
 * exported is frozen: the standard never changes while a process runs.
 */
import raw from './life-circle-standard.json' with { type: 'json' };
import { parseLifeCircleStandard, type LifeCircleStandard, type TierMinutes } from './life-circle-standard-schema.ts';

export { parseLifeCircleStandard, type FacilityKind, type LifeCircleStandard, type NamePattern, type TagRule, type Tier, type TierMinutes } from './life-circle-standard-schema.ts';

/** The standard this service plans by (the JSON file beside this module). */
export const LIFE_CIRCLE_STANDARD: LifeCircleStandard = parseLifeCircleStandard(raw, 'kernel/life-circle-standard.json');

/** The tier (5, 10 or 15 minutes) of a kind, or null for a kind the standard does not know. */
export function tierOf(kind: string, standard: LifeCircleStandard = LIFE_CIRCLE_STANDARD): TierMinutes | null {
  return standard.kindByName.get(kind)?.tier ?? null;
}

/** The kinds of one tier, in the file's order. */
export function kindsOfTier(minutes: TierMinutes, standard: LifeCircleStandard = LIFE_CIRCLE_STANDARD): readonly string[] {
  return standard.kindsByTier.get(minutes) ?? [];
}

/**
 * Whether a kind is one of the 15-minute circle's: the service centers that
 * coverage is about by default. A lower tier's facility (a convenience shop,
 * a kindergarten) does not make a household covered, as an upper tier does
 * not count for a lower one.
 */
export function isServiceCenterKind(kind: string, standard: LifeCircleStandard = LIFE_CIRCLE_STANDARD): boolean {
  return tierOf(kind, standard) === 15;
}

/** Whether a kind serves the elderly (their walking profile is its natural default). */
export function isElderlyCareKind(kind: string, standard: LifeCircleStandard = LIFE_CIRCLE_STANDARD): boolean {
  return standard.kindByName.get(kind)?.elderlyCare ?? false;
}
