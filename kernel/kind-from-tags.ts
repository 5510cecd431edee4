/**
 * The facility kind of a mapped element, from its tags and its name, by the
 * rules of life-circle-standard.json:
 * - the first tag rule whose tags the element carries decides; a specific
 *   rule (amenity=kindergarten, amenity=school + isced:level=1) wins even
 *   when the name says otherwise, as the mapper stated what the place is;
 * - a generic rule (amenity=community_centre, amenity=school without a
 *   level) or no rule at all leaves it to the name, whose suffix says what
 *   a Chinese facility is (某某村党群服务中心: a neighbourhood center), and
 *   falls back on the rule's own kind when no suffix matches;
 * - a rule with no kind (any other amenity, a highway, a bus stop) means the
 *   element is something else, whatever its name (中学路, 某某小学站).
 * Names are read by suffix, not substring, because Chinese names end with
 * what the place is: 某某小学附属幼儿园 is a kindergarten, 某某中心小学 a
 * primary school, 某某小学东门 or 某某小学综合楼 no facility of their own.
 */
import { LIFE_CIRCLE_STANDARD, type LifeCircleStandard, type TagRule } from './life-circle-standard.ts';

/** An element's tags, as the OSM readers give them. */
export type ElementTags = Readonly<Record<string, string>>;

/** A tag value matches a rule's value when equal to it or to one part of a ;-list (isced:level=1;2). */
function valueMatches(actual: string | undefined, wanted: string): boolean {
  if (actual === undefined) return false;
  if (wanted === '*' || actual === wanted) return true;
  return actual.includes(';') && actual.split(';').some((part) => part.trim() === wanted);
}

/** The first tag rule the element matches, or null. */
export function matchTagRule(tags: ElementTags, standard: LifeCircleStandard = LIFE_CIRCLE_STANDARD): TagRule | null {
  for (const rule of standard.tagRules) {
    let all = true;
    for (const key in rule.tags) {
      if (!valueMatches(tags[key], rule.tags[key]!)) {
        all = false;
        break;
      }
    }
    if (all) return rule;
  }
  return null;
}

/** The name without trailing qualifiers (（东岩店）, 东校区, 分园), which do not say what a place is. */
export function nameCore(name: string, standard: LifeCircleStandard = LIFE_CIRCLE_STANDARD): string {
  let core = name.trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const qualifier of standard.nameQualifiers) {
      const cut = core.replace(qualifier, '').trimEnd();
      // A qualifier never takes the whole name: 分校 alone stays 分校.
      if (cut !== core && cut !== '') {
        core = cut;
        changed = true;
      }
    }
  }
  return core;
}

/** The kind a name's suffix says, or null. */
export function kindFromName(name: string | undefined, standard: LifeCircleStandard = LIFE_CIRCLE_STANDARD): string | null {
  if (name === undefined || name.trim() === '') return null;
  const core = nameCore(name, standard);
  for (const pattern of standard.namePatterns) if (core.endsWith(pattern.suffix)) return pattern.kind;
  return null;
}

/**
 * The kind of an element, or null when it is no facility. Without `name`,
 * name=* is read, then name:zh=* (an extract may carry a Latin name=* and the
 * Chinese one beside it).
 */
export function kindFromTags(tags: ElementTags, name?: string, standard: LifeCircleStandard = LIFE_CIRCLE_STANDARD): string | null {
  const rule = matchTagRule(tags, standard);
  if (rule !== null && !rule.generic) return rule.kind;
  const named = name !== undefined ? kindFromName(name, standard) : (kindFromName(tags.name, standard) ?? kindFromName(tags['name:zh'], standard));
  return named ?? rule?.kind ?? null;
}
