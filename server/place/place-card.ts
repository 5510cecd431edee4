/**
 * A resident's answer card for one point: for each facility kind of the
 * living-circle standard (kernel/life-circle-standard.json) the data has
 * centers of, and the two planning kinds (neighborhood, governance) always,
 * the nearest center of that kind by walking time with its route, and
 * whether it is within the kind's tier (5, 10 or 15 minutes); then each
 * tier met when all its kinds are, and all tiers.
 *
 * The same rules as the standard check (standard-check.ts) and the same
 * search as GET /api/nearest (nearest-center.ts): a kind is walked at the
 * elderly profile when it serves the elderly, the default otherwise, unless
 * one profile is asked for; one search per profile finds the nearest center
 * of every kind walked at it, each the one /api/nearest?kind=&profile= gives.
 * A kind with no center within the longest walk searched has none (not an
 * error) and is not met; so is a planning kind the data has no center of.
 * Standard kinds the data has no center of are listed per tier as missing
 * and left out of it, as the standard check does when not strict.
 */
import { LIFE_CIRCLE_STANDARD, type LifeCircleStandard, type TierMinutes } from '../../kernel/life-circle-standard.ts';
import { WALK_PROFILES, type WalkProfileName } from '../../kernel/walk-speed.ts';
import type { LiveCoverage } from '../coverage/coverage-service.ts';
import { nearestOfEachKind, type NearestCenter } from '../nearest/nearest-center.ts';
import type { SnappedOrigin } from '../routing/snap-origin.ts';
import { profileOfKind } from '../standard/standard-check.ts';

/** The kinds this service plans: on every card, whether the data has centers of them or not. */
export const PLANNING_KINDS: readonly string[] = ['neighborhood', 'governance'];

export interface PlaceKind {
  kind: string;
  tier: TierMinutes;
  profile: WalkProfileName;
  speedKmh: number;
  /** Centers of the kind in the data. */
  centers: number;
  /** The nearest, or null when none is within the longest walk searched. */
  nearest: NearestCenter | null;
  /** The walk (to 0.1 s, as reported) is within the tier's minutes. */
  met: boolean;
}

export interface PlaceTier {
  minutes: TierMinutes;
  /** The tier's kinds on the card, in the standard's order. */
  kinds: string[];
  /** The tier's standard kinds the data has no center of (left out). */
  missing: string[];
  /** Every kind on the card of this tier is met (true when it has none). */
  met: boolean;
}

export interface PlaceCard {
  version: string;
  origin: SnappedOrigin;
  kinds: PlaceKind[];
  tiers: PlaceTier[];
  allTiersMet: boolean;
}

/** Walking seconds as the API reports them (0.1 s), which `met` is decided on, so a card never contradicts itself. */
export const reportedSeconds = (seconds: number) => Math.round(seconds * 10) / 10;

/**
 * The card of (lon, lat) on the live coverage; `profile` walks every kind
 * at one profile. Throws what snapOrigin throws for a point the network
 * cannot take.
 */
export function placeCard(live: LiveCoverage, lon: number, lat: number, profile?: WalkProfileName, standard: LifeCircleStandard = LIFE_CIRCLE_STANDARD): PlaceCard {
  const present = new Set(live.model.centers.kinds);
  const onCard = standard.kinds.filter((k) => present.has(k.kind) || PLANNING_KINDS.includes(k.kind));
  // The kinds walked at each profile, searched together.
  const byProfile = new Map<WalkProfileName, string[]>();
  for (const k of onCard) {
    const p = profileOfKind(k.elderlyCare === true, profile);
    byProfile.set(p, [...(byProfile.get(p) ?? []), k.kind]);
  }
  // The point is snapped (and refused) even when there is nothing to search for.
  if (byProfile.size === 0) byProfile.set(profile ?? 'default', []);
  const nearest = new Map<string, NearestCenter | null>();
  let origin: SnappedOrigin | undefined;
  for (const [p, kinds] of byProfile) {
    const found = nearestOfEachKind(live.forProfile(p).model, lon, lat, kinds, WALK_PROFILES[p].speedKmh);
    origin ??= found.origin;
    kinds.forEach((kind, i) => nearest.set(kind, found.nearest[i]!));
  }
  const counts = new Map<string, number>();
  for (const kind of live.model.centers.kind) counts.set(kind, (counts.get(kind) ?? 0) + 1);

  const kinds: PlaceKind[] = onCard.map((k) => {
    const p = profileOfKind(k.elderlyCare === true, profile);
    const found = nearest.get(k.kind) ?? null;
    return {
      kind: k.kind,
      tier: k.tier,
      profile: p,
      speedKmh: WALK_PROFILES[p].speedKmh,
      centers: counts.get(k.kind) ?? 0,
      nearest: found,
      met: found !== null && reportedSeconds(found.walkSeconds) <= k.tier * 60,
    };
  });
  const tiers: PlaceTier[] = standard.tiers.map((tier) => {
    const own = kinds.filter((k) => k.tier === tier.minutes);
    return {
      minutes: tier.minutes,
      kinds: own.map((k) => k.kind),
      missing: standard.kinds.filter((k) => k.tier === tier.minutes && !onCard.includes(k)).map((k) => k.kind),
      met: own.every((k) => k.met),
    };
  });
  return { version: live.model.version, origin: origin!, kinds, tiers, allTiersMet: tiers.every((t) => t.met) };
}
