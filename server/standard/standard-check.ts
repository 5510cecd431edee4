/**
 * The GB 50180-2018 living-circle check as a pure evaluation: for every
 * facility kind of the standard (kernel/life-circle-standard.json) that the
 * data has, which household units are within its tier's walk (5, 10 or 15
 * minutes) of the nearest center of that kind; then, per tier, the units
 * within reach of every kind of the tier, and the units that meet all
 * tiers. An upper tier never counts for a lower one: each kind is checked
 * only against its own centers. A kind the data has no center of at all is
 * a gap in the data more than a finding: it is listed as missing and left
 * out of its tier, unless the check is strict (then nobody meets that tier).
 *
 * Who walks: elderly-care kinds are walked at the elderly profile, the rest
 * at the default one, unless the caller names one profile for all. Each
 * kind's search stops at its tier's limit, so a 5-minute kind costs a
 * 5-minute search, not a walk across the city.
 */
import { LIFE_CIRCLE_STANDARD, type LifeCircleStandard, type TierMinutes } from '../../kernel/life-circle-standard.ts';
import { WALK_PROFILES, type WalkProfileName } from '../../kernel/walk-speed.ts';
import { centerSnapsOf, type AccessModel } from '../coverage/access-model.ts';
import { thresholdSeconds } from '../coverage/coverage-rollup.ts';
import { markUnitsWithin } from '../coverage/household-coverage.ts';

export interface KindCheck {
  kind: string;
  tier: TierMinutes;
  profile: WalkProfileName;
  /** Centers of this kind. */
  centers: number;
  /** 1 per household unit within the tier's walk of one. */
  meets: Uint8Array;
}

export interface TierCheck {
  minutes: TierMinutes;
  /** The tier's kinds the data has, checked. */
  kinds: KindCheck[];
  /** The tier's kinds the data has no center of (not checked, unless strict: then nobody meets the tier). */
  missing: string[];
  /** 1 per unit within reach of every checked kind of the tier. */
  meets: Uint8Array;
}

export interface StandardCheck {
  version: string;
  tiers: TierCheck[];
  /** 1 per unit that meets every tier. */
  all: Uint8Array;
  /** Per unit: bit 0 the 5-minute tier met, bit 1 the 10-minute, bit 2 the 15-minute. */
  tierBits: Uint8Array;
  ms: number;
}

/** The profile a kind is walked at: `forced`, else elderly for elderly-care kinds, else the default. */
export function profileOfKind(elderlyCare: boolean, forced?: WalkProfileName): WalkProfileName {
  return forced ?? (elderlyCare ? 'elderly' : 'default');
}

/**
 * Checks every household unit against the standard. `modelFor(profile)`
 * gives the access model of one data version for a walking profile (the
 * same households and centers, the profile's graph).
 */
export function checkStandard(
  modelFor: (profile: WalkProfileName) => AccessModel,
  options: { profile?: WalkProfileName; strict?: boolean } = {},
  standard: LifeCircleStandard = LIFE_CIRCLE_STANDARD,
): StandardCheck {
  const started = performance.now();
  const base = modelFor('default');
  const n = base.units.count;
  const present = new Set(base.centers.kinds);
  const all = new Uint8Array(n).fill(1);
  const tierBits = new Uint8Array(n);
  const tiers: TierCheck[] = standard.tiers.map((tier, t) => {
    const meets = new Uint8Array(n).fill(1);
    const kinds: KindCheck[] = [];
    const missing: string[] = [];
    for (const kind of standard.kinds) {
      if (kind.tier !== tier.minutes) continue;
      if (!present.has(kind.kind)) {
        missing.push(kind.kind);
        continue;
      }
      const profile = profileOfKind(kind.elderlyCare === true, options.profile);
      const model = modelFor(profile);
      const limit = thresholdSeconds(tier.minutes, WALK_PROFILES[profile].speedKmh);
      const snaps = centerSnapsOf(model, kind.kind);
      const within = new Uint8Array(n);
      markUnitsWithin(model.loaded.graph, model.units, snaps, limit, within, model.loaded.scratch);
      for (let i = 0; i < n; i++) if (!within[i]) meets[i] = 0;
      let centers = 0;
      for (let c = 0; c < model.centers.count; c++) if (model.centers.kind[c] === kind.kind) centers++;
      kinds.push({ kind: kind.kind, tier: tier.minutes, profile, centers, meets: within });
    }
    if (options.strict && missing.length > 0) meets.fill(0);
    for (let i = 0; i < n; i++) {
      if (meets[i]) tierBits[i]! |= 1 << t;
      else all[i] = 0;
    }
    return { minutes: tier.minutes, kinds, missing, meets };
  });
  return { version: base.version, tiers, all, tierBits, ms: performance.now() - started };
}
