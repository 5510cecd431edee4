// The standard's data file: its tiers and kinds as the issue states them, and
// the check that rejects a malformed file naming the entry at fault.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isElderlyCareKind, isServiceCenterKind, kindsOfTier, LIFE_CIRCLE_STANDARD, parseLifeCircleStandard, tierOf } from './life-circle-standard.ts';

/** A fresh, mutable copy of the file, for breaking one entry at a time. */
const fileCopy = (): Record<string, any> => JSON.parse(readFileSync(new URL('./life-circle-standard.json', import.meta.url), 'utf8'));

describe('the life-circle standard', () => {
  it('has the three tiers of GB 50180-2018 with their distances and Chinese names', () => {
    expect(LIFE_CIRCLE_STANDARD.source).toMatch(/GB 50180-2018/);
    expect(LIFE_CIRCLE_STANDARD.tiers.map((t) => [t.minutes, t.distanceM, t.nameZh])).toEqual([
      [5, 300, '五分钟生活圈'],
      [10, 500, '十分钟生活圈'],
      [15, 1000, '十五分钟生活圈'],
    ]);
  });

  it('puts the kinds of the issue in their tiers', () => {
    for (const kind of ['kindergarten', 'community_station', 'elderly_day_care', 'convenience']) expect(tierOf(kind), kind).toBe(5);
    for (const kind of ['primary_school', 'fresh_market', 'park']) expect(tierOf(kind), kind).toBe(10);
    for (const kind of ['middle_school', 'community_health', 'culture', 'community_centre', 'neighborhood', 'governance']) expect(tierOf(kind), kind).toBe(15);
    expect(tierOf('no_such_kind')).toBeNull();
    // Every kind in exactly one tier.
    const all = [5, 10, 15].flatMap((m) => kindsOfTier(m as 5 | 10 | 15));
    expect(all.slice().sort()).toEqual(LIFE_CIRCLE_STANDARD.kinds.map((k) => k.kind).sort());
  });

  it('counts only the 15-minute kinds as service centers, and flags elderly care', () => {
    expect(isServiceCenterKind('neighborhood')).toBe(true);
    expect(isServiceCenterKind('governance')).toBe(true);
    expect(isServiceCenterKind('convenience')).toBe(false);
    expect(isServiceCenterKind('primary_school')).toBe(false);
    expect(isServiceCenterKind('unknown')).toBe(false);
    const elderly = LIFE_CIRCLE_STANDARD.kinds.filter((k) => isElderlyCareKind(k.kind)).map((k) => k.kind);
    expect(elderly.sort()).toEqual(['elderly_care', 'elderly_day_care']);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(LIFE_CIRCLE_STANDARD)).toBe(true);
    expect(Object.isFrozen(LIFE_CIRCLE_STANDARD.kinds[0])).toBe(true);
    expect(Object.isFrozen(LIFE_CIRCLE_STANDARD.tagRules[0]!.tags)).toBe(true);
  });

  it('accepts its own file and rejects broken ones, naming the entry', () => {
    expect(() => parseLifeCircleStandard(fileCopy(), 'f.json')).not.toThrow();
    const broken = (edit: (f: Record<string, any>) => void): (() => unknown) => {
      const f = fileCopy();
      edit(f);
      return () => parseLifeCircleStandard(f, 'f.json');
    };
    expect(broken((f) => (f.kinds[4].tier = 7))).toThrow('f.json: kinds[4] ("pharmacy"): tier 7 is not one of 5, 10, 15');
    expect(broken((f) => (f.kinds[1].kind = 'Community Station'))).toThrow(/kinds\[1\] \("Community Station"\): a kind is lower-case/);
    expect(broken((f) => f.kinds.push({ ...f.kinds[0] }))).toThrow(/\("kindergarten"\): listed twice/);
    expect(broken((f) => (f.kinds[0].teir = 5))).toThrow(/kinds\[0\]: unknown field "teir"/);
    expect(broken((f) => (f.tagRules[0].kind = 'kindergarden'))).toThrow(/tagRules\[0\] \(amenity=kindergarten\): kind "kindergarden" is not in kinds/);
    expect(broken((f) => f.tagRules.unshift({ tags: { amenity: '*' }, kind: null }))).toThrow(
      /tagRules\[1\] \(amenity=kindergarten\): never applies: tagRules\[0\] \(amenity=\*\) comes first/,
    );
    expect(broken((f) => f.namePatterns.unshift({ suffix: '中心', kind: 'culture' }))).toThrow(
      /namePatterns\[1\] \("党群服务中心"\): never applies: namePatterns\[0\] \("中心"\) comes first/,
    );
    expect(broken((f) => (f.nameQualifiers[0] = '(校区$'))).toThrow(/nameQualifiers\[0\]: not a regular expression/);
    expect(broken((f) => (f.tiers[2].minutes = 20))).toThrow(/tiers\[2\] \(20 minutes\): minutes must be one of 5, 10, 15/);
    expect(broken((f) => (f.tiers[1].distanceM = 200))).toThrow(/tiers\[1\]: distanceM must grow/);
    expect(broken((f) => (f.kinds = f.kinds.filter((k: { tier: number }) => k.tier !== 10)))).toThrow(/tiers \(10 minutes\): no kind belongs to this tier/);
    expect(broken((f) => delete f.source)).toThrow(/f.json: source: expected a non-empty string/);
  });
});
