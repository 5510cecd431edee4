/**
 * The living-circle check rolled up to the units of one level: per unit (and
 * for the whole city) the households, and for each tier and each of its
 * kinds the households that meet it and their share; the households meeting
 * every tier likewise. One pass per 0/1 column over the households, so every
 * level adds up to the city.
 */
import type { HouseholdData, LevelUnits } from '../coverage/coverage-data.ts';
import type { StandardCheck } from './standard-check.ts';

export interface Met {
  met: number;
  share: number | null;
}

export interface StandardUnitFigures {
  households: number;
  tiers: { minutes: number; met: number; share: number | null; kinds: ({ kind: string } & Met)[] }[];
  all_tiers: Met;
}

const shareOf = (met: number, total: number) => (total > 0 ? met / total : null);

/** Households per unit where `meets` is 1 (and all households per unit when `meets` is undefined); the last slot is the total. */
function sums(households: HouseholdData, units: LevelUnits, meets: Uint8Array | undefined): Float64Array {
  const k = units.codes.length;
  const out = new Float64Array(k + 1);
  const count = households.households;
  for (let i = 0; i < households.count; i++) {
    if (meets && !meets[i]) continue;
    out[units.unitOf[i]!] += count[i]!;
  }
  for (let u = 0; u < k; u++) out[k] += out[u]!;
  return out;
}

/** Per unit of `units`, then the total (last): what standardUnitFigures describes. */
export function standardRollup(check: StandardCheck, households: HouseholdData, units: LevelUnits): { units: ({ code: string | null; name: string } & StandardUnitFigures)[]; total: StandardUnitFigures } {
  const k = units.codes.length;
  const total = sums(households, units, undefined);
  const tiers = check.tiers.map((t) => ({ tier: t, met: sums(households, units, t.meets), kinds: t.kinds.map((c) => ({ kind: c.kind, met: sums(households, units, c.meets) })) }));
  const all = sums(households, units, check.all);
  const figures = (u: number): StandardUnitFigures => ({
    households: total[u]!,
    tiers: tiers.map(({ tier, met, kinds }) => ({
      minutes: tier.minutes,
      met: met[u]!,
      share: shareOf(met[u]!, total[u]!),
      kinds: kinds.map((c) => ({ kind: c.kind, met: c.met[u]!, share: shareOf(c.met[u]!, total[u]!) })),
    })),
    all_tiers: { met: all[u]!, share: shareOf(all[u]!, total[u]!) },
  });
  const out = [];
  for (let u = 0; u < k; u++) out.push({ code: units.codes[u]!, name: units.names[u]!, ...figures(u) });
  return { units: out, total: figures(k) };
}
