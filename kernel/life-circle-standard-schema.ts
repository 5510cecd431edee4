/**
 * The shape of life-circle-standard.json and its one check: every field
 * typed, every kind known where it is used, no rule that an earlier rule
 * makes unreachable. A malformed file fails at load with a message naming
 * the entry (`kinds[3] ("pharmacy"): ...`), not later as a wrong kind.
 */

/** The three living circles of GB 50180-2018, by walking minutes. */
export type TierMinutes = 5 | 10 | 15;

export interface Tier {
  minutes: TierMinutes;
  /** Nominal walking distance, metres (the upper bound for 15 minutes). */
  distanceM: number;
  /** Households (dwellings) a circle of this tier serves, [min, max] (table 3.0.4). */
  households: readonly [number, number];
  name: string;
  nameZh: string;
}

export interface FacilityKind {
  kind: string;
  tier: TierMinutes;
  name: string;
  nameZh: string;
  /** A facility for the elderly: the elderly walking profile suits it by default. */
  elderlyCare: boolean;
  /** The item of the standard it stands for, or why it sits in its tier. */
  standard: string;
}

/** Tags an element must all carry ("*": any value; a value matches one of a ;-list) to get `kind`. */
export interface TagRule {
  tags: Readonly<Record<string, string>>;
  /** null: not a center by its tags. */
  kind: string | null;
  /** The tags name a broad class: a name pattern, where one matches, says more. */
  generic: boolean;
}

export interface NamePattern {
  suffix: string;
  kind: string;
}

export interface LifeCircleStandard {
  source: string;
  tiers: readonly Tier[];
  kinds: readonly FacilityKind[];
  kindByName: ReadonlyMap<string, FacilityKind>;
  kindsByTier: ReadonlyMap<TierMinutes, readonly string[]>;
  tagRules: readonly TagRule[];
  /** Trailing qualifiers cut off a name before its suffix is read: a bracketed part, a campus or branch. */
  nameQualifiers: readonly RegExp[];
  namePatterns: readonly NamePattern[];
}

/** The center kind rule of the HTTP API (a kind field and filter): kinds here must be valid there. */
const KIND_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
const TIER_MINUTES: readonly TierMinutes[] = [5, 10, 15];

type Json = Record<string, unknown>;

class Checker {
  constructor(private readonly file: string) {}

  fail(where: string, what: string): never {
    throw new Error(`${this.file}: ${where}: ${what}`);
  }

  /** An object with only the `allowed` fields (any fields when null). */
  object(value: unknown, where: string, allowed: readonly string[] | null): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(where, 'expected an object');
    for (const key of Object.keys(value)) if (allowed && !allowed.includes(key)) this.fail(where, `unknown field "${key}" (expected ${allowed.join(', ')})`);
    return value as Json;
  }

  array(value: unknown, where: string): unknown[] {
    if (!Array.isArray(value) || value.length === 0) this.fail(where, 'expected a non-empty array');
    return value;
  }

  text(value: unknown, where: string): string {
    if (typeof value !== 'string' || value.trim() === '') this.fail(where, 'expected a non-empty string');
    return value;
  }

  positive(value: unknown, where: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) this.fail(where, 'expected a positive number');
    return value;
  }

  flag(value: unknown, where: string): boolean {
    if (value === undefined) return false;
    if (typeof value !== 'boolean') this.fail(where, 'expected true or false');
    return value;
  }
}

function parseTiers(c: Checker, value: unknown): Tier[] {
  const tiers = c.array(value, 'tiers').map((item, i): Tier => {
    const t = c.object(item, `tiers[${i}]`, ['minutes', 'distanceM', 'households', 'name', 'nameZh']);
    const where = `tiers[${i}] (${String(t.minutes)} minutes)`;
    if (!TIER_MINUTES.includes(t.minutes as TierMinutes)) c.fail(where, `minutes must be one of ${TIER_MINUTES.join(', ')}`);
    const households = c.array(t.households, `${where}.households`);
    if (households.length !== 2) c.fail(`${where}.households`, 'expected [min, max]');
    const [low, high] = households.map((h, k) => c.positive(h, `${where}.households[${k}]`)) as [number, number];
    if (low > high) c.fail(`${where}.households`, 'min is above max');
    return {
      minutes: t.minutes as TierMinutes,
      distanceM: c.positive(t.distanceM, `${where}.distanceM`),
      households: Object.freeze([low, high] as const),
      name: c.text(t.name, `${where}.name`),
      nameZh: c.text(t.nameZh, `${where}.nameZh`),
    };
  });
  const minutes = tiers.map((t) => t.minutes);
  if (minutes.join() !== TIER_MINUTES.join()) c.fail('tiers', `expected the tiers ${TIER_MINUTES.join(', ')} in that order, got ${minutes.join(', ')}`);
  for (let i = 1; i < tiers.length; i++) {
    if (tiers[i]!.distanceM <= tiers[i - 1]!.distanceM) c.fail(`tiers[${i}]`, 'distanceM must grow with the minutes');
  }
  return tiers;
}

function parseKinds(c: Checker, value: unknown): FacilityKind[] {
  const seen = new Set<string>();
  return c.array(value, 'kinds').map((item, i): FacilityKind => {
    const k = c.object(item, `kinds[${i}]`, ['kind', 'tier', 'name', 'nameZh', 'elderlyCare', 'standard']);
    const kind = c.text(k.kind, `kinds[${i}].kind`);
    const where = `kinds[${i}] ("${kind}")`;
    if (!KIND_PATTERN.test(kind)) c.fail(where, `a kind is lower-case letters, digits and _ (${KIND_PATTERN.source})`);
    if (seen.has(kind)) c.fail(where, 'listed twice');
    seen.add(kind);
    if (!TIER_MINUTES.includes(k.tier as TierMinutes)) c.fail(where, `tier ${String(k.tier)} is not one of ${TIER_MINUTES.join(', ')}`);
    return Object.freeze({
      kind,
      tier: k.tier as TierMinutes,
      name: c.text(k.name, `${where}.name`),
      nameZh: c.text(k.nameZh, `${where}.nameZh`),
      elderlyCare: c.flag(k.elderlyCare, `${where}.elderlyCare`),
      standard: c.text(k.standard, `${where}.standard`),
    });
  });
}

function describeTags(tags: Readonly<Record<string, string>>): string {
  return Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(' + ');
}

/** Rule `earlier` matches every element that `later` matches. */
function shadows(earlier: TagRule, later: TagRule): boolean {
  return Object.entries(earlier.tags).every(([k, v]) => later.tags[k] !== undefined && (v === '*' || v === later.tags[k]));
}

function parseTagRules(c: Checker, value: unknown, known: ReadonlySet<string>): TagRule[] {
  const rules: TagRule[] = [];
  c.array(value, 'tagRules').forEach((item, i) => {
    const r = c.object(item, `tagRules[${i}]`, ['tags', 'kind', 'generic']);
    const tagsIn = c.object(r.tags, `tagRules[${i}].tags`, null);
    const tags: Record<string, string> = {};
    for (const [key, v] of Object.entries(tagsIn)) tags[key] = c.text(v, `tagRules[${i}].tags.${key}`);
    const where = `tagRules[${i}] (${describeTags(tags)})`;
    if (Object.keys(tags).length === 0) c.fail(where, 'a rule needs at least one tag');
    if (r.kind !== null && (typeof r.kind !== 'string' || !known.has(r.kind))) c.fail(where, `kind ${JSON.stringify(r.kind)} is not in kinds (or null)`);
    const rule: TagRule = Object.freeze({ tags: Object.freeze(tags), kind: r.kind as string | null, generic: c.flag(r.generic, `${where}.generic`) });
    const before = rules.findIndex((e) => shadows(e, rule));
    if (before >= 0) c.fail(where, `never applies: tagRules[${before}] (${describeTags(rules[before]!.tags)}) comes first and matches it`);
    rules.push(rule);
  });
  return rules;
}

function parseQualifiers(c: Checker, value: unknown): RegExp[] {
  return c.array(value, 'nameQualifiers').map((item, i) => {
    const source = c.text(item, `nameQualifiers[${i}]`);
    if (!source.endsWith('$')) c.fail(`nameQualifiers[${i}]`, 'a qualifier ends the name: end the expression with $');
    try {
      return new RegExp(source, 'u');
    } catch (error) {
      return c.fail(`nameQualifiers[${i}]`, `not a regular expression (${(error as Error).message})`);
    }
  });
}

function parseNamePatterns(c: Checker, value: unknown, known: ReadonlySet<string>): NamePattern[] {
  const patterns: NamePattern[] = [];
  c.array(value, 'namePatterns').forEach((item, i) => {
    const p = c.object(item, `namePatterns[${i}]`, ['suffix', 'kind']);
    const suffix = c.text(p.suffix, `namePatterns[${i}].suffix`);
    const where = `namePatterns[${i}] ("${suffix}")`;
    if (typeof p.kind !== 'string' || !known.has(p.kind)) c.fail(where, `kind ${JSON.stringify(p.kind)} is not in kinds`);
    // First match wins, so a longer suffix must come before a shorter one it ends with.
    const before = patterns.findIndex((e) => suffix.endsWith(e.suffix));
    if (before >= 0) c.fail(where, `never applies: namePatterns[${before}] ("${patterns[before]!.suffix}") comes first and ends it; list the longer one first`);
    patterns.push(Object.freeze({ suffix, kind: p.kind }));
  });
  return patterns;
}

/** Checks the standard's JSON and returns it typed and frozen; `file` names it in errors. */
export function parseLifeCircleStandard(value: unknown, file = 'life-circle standard'): LifeCircleStandard {
  const c = new Checker(file);
  const top = c.object(value, 'top level', ['source', 'tiers', 'kinds', 'tagRules', 'nameQualifiers', 'namePatterns']);
  const tiers = parseTiers(c, top.tiers);
  const kinds = parseKinds(c, top.kinds);
  const kindByName = new Map(kinds.map((k) => [k.kind, k]));
  const known = new Set(kindByName.keys());
  const kindsByTier = new Map<TierMinutes, readonly string[]>();
  for (const t of tiers) {
    const ofTier = kinds.filter((k) => k.tier === t.minutes).map((k) => k.kind);
    if (ofTier.length === 0) c.fail(`tiers (${t.minutes} minutes)`, 'no kind belongs to this tier');
    kindsByTier.set(t.minutes, Object.freeze(ofTier));
  }
  return Object.freeze({
    source: c.text(top.source, 'source'),
    tiers: Object.freeze(tiers.map((t) => Object.freeze(t))),
    kinds: Object.freeze(kinds),
    kindByName,
    kindsByTier,
    tagRules: Object.freeze(parseTagRules(c, top.tagRules, known)),
    nameQualifiers: Object.freeze(parseQualifiers(c, top.nameQualifiers)),
    namePatterns: Object.freeze(parseNamePatterns(c, top.namePatterns, known)),
  });
}
