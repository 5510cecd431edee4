/**
 * The demo city's facilities of every living-circle tier, beside its two
 * center kinds (centers.ts, which this leaves as it was). How many of a kind
 * an area gets follows the standard's own sizes (table 3.0.4 in
 * kernel/life-circle-standard.json): one facility per circle of its tier's
 * households, times a kind's share, drawn with stochastic rounding. So the
 * 5-minute kinds (kindergartens, convenience shops, elderly day care) are
 * the most numerous and sit among the households of each community (a
 * village gets one by chance); the 10-minute kinds (primary schools, fresh
 * markets) and middle schools are spread over each town-level unit's
 * households by weighted k-means; and each unit has one street-level service
 * center, cultural center, health center and care home near its seat, where
 * towns keep them. Every facility stands at a household unit's building, a
 * few metres beside it, like the centers.
 */
import { LIFE_CIRCLE_STANDARD, tierOf } from '../../kernel/life-circle-standard.ts';
import type { AdminAreas } from './admin-areas.ts';
import type { CellLattice } from './cell-lattice.ts';
import type { CommunityPlan } from './communities.ts';
import { communityFacilityName, streetFacilityName } from './facility-names.ts';
import type { HouseholdUnits } from './households.ts';
import { PUTIAN_STREETS } from './putian-divisions.ts';
import type { SeededRandom } from './seeded-random.ts';
import { nearestMember, weightedKMeans } from './weighted-kmeans.ts';
import { unitsByArea } from './centers.ts';

export interface LocalFacility {
  name: string;
  kind: string;
  services: string[];
  x: number;
  y: number;
}

/** Kinds drawn per community or village: `perCircle` per circle of the kind's tier, `villageChance` of one in a village that drew none. */
const COMMUNITY_KINDS = [
  { kind: 'kindergarten', perCircle: 1, villageChance: 0.15 },
  { kind: 'convenience', perCircle: 1.5, villageChance: 0.5 },
  { kind: 'elderly_day_care', perCircle: 1, villageChance: 0.3 },
] as const;

/** Kinds drawn per town-level unit over its households, at least one each. */
const STREET_KINDS = [
  { kind: 'primary_school', perCircle: 1 },
  { kind: 'fresh_market', perCircle: 1 },
  { kind: 'middle_school', perCircle: 1 },
] as const;

/** One per town-level unit, at its `rank`-th building from the seat (0 and 2 are the governance centers'). */
const SEAT_KINDS = [
  { kind: 'community_centre', rank: 1 },
  { kind: 'culture', rank: 3 },
  { kind: 'community_health', rank: 5 },
  { kind: 'elderly_care', rank: 8 },
] as const;

/** Offsets from the building, metres, one per kind: facilities sharing a building do not share a point. */
const OFFSETS: readonly (readonly [number, number])[] = [
  [-3, 2.5], [3, -2.5], [-3, -2.5], [2.5, 3], [-2.5, 3], [2.5, -3], [-2.5, -3], [0, 4], [4, 0], [0, -4],
];
const KIND_ORDER: readonly string[] = [...COMMUNITY_KINDS, ...STREET_KINDS, ...SEAT_KINDS].map((k) => k.kind);

/** Households one circle of the kind's tier serves: the middle of the standard's range. */
function householdsPerCircle(kind: string): number {
  const tier = LIFE_CIRCLE_STANDARD.tiers.find((t) => t.minutes === tierOf(kind));
  if (tier === undefined) throw new Error(`demo city: kind ${kind} has no tier in the standard`);
  return (tier.households[0] + tier.households[1]) / 2;
}

export function placeFacilities(
  lattice: CellLattice,
  areas: AdminAreas,
  plan: CommunityPlan,
  units: HouseholdUnits,
  rng: SeededRandom,
): LocalFacility[] {
  const { communities, communityOfCell } = plan;
  const { unitsOf, unitsOfStreet } = unitsByArea(plan, areas, units);
  const weights = Float64Array.from(units.households);
  const householdsOf = (members: readonly number[]) => members.reduce((sum, u) => sum + units.households[u], 0);
  const facilities: LocalFacility[] = [];
  const add = (kind: string, name: string, u: number) => {
    const [dx, dy] = OFFSETS[KIND_ORDER.indexOf(kind) % OFFSETS.length];
    facilities.push({ name, kind, services: [kind], x: units.x[u] + dx, y: units.y[u] + dy });
  };
  // n buildings among `members`, one per weighted k-means cluster (a building once even if two clusters pick it).
  const sites = (members: readonly number[], n: number, stream: SeededRandom): number[] => {
    const k = Math.min(n, members.length);
    if (k === 0) return [];
    const clusters = weightedKMeans(units.x, units.y, weights, members, k, stream);
    const chosen: number[] = [];
    for (let c = 0; c < k; c++) {
      const u = nearestMember(units.x, units.y, members, clusters.cx[c], clusters.cy[c]);
      if (!chosen.includes(u)) chosen.push(u);
    }
    return chosen;
  };

  communities.forEach((comm, c) => {
    const members = unitsOf[c];
    if (members.length === 0) return;
    const households = householdsOf(members);
    for (const spec of COMMUNITY_KINDS) {
      const stream = rng.fork(`${spec.kind}-${comm.code}`);
      let n = Math.floor((spec.perCircle * households) / householdsPerCircle(spec.kind) + stream.next());
      if (n === 0 && comm.kind === 'village' && stream.chance(spec.villageChance)) n = 1;
      sites(members, n, stream).forEach((u, i) => add(spec.kind, communityFacilityName(spec.kind, comm.name, i, stream), u));
    }
  });

  PUTIAN_STREETS.forEach((street, s) => {
    const members = unitsOfStreet[s];
    if (members.length === 0) return;
    const households = householdsOf(members);
    const communityAt = (u: number) => communities[communityOfCell[units.cell[u]]].name;
    for (const spec of STREET_KINDS) {
      const stream = rng.fork(`${spec.kind}-${street.code}`);
      const n = Math.max(1, Math.floor((spec.perCircle * households) / householdsPerCircle(spec.kind) + stream.next()));
      sites(members, n, stream).forEach((u, i) => add(spec.kind, streetFacilityName(spec.kind, street, i, communityAt(u)), u));
    }
    const seat = areas.streetSeedCell[s];
    const sx = lattice.centerX(seat);
    const sy = lattice.centerY(seat);
    const ranked = members
      .map((u) => ({ u, d: (units.x[u] - sx) ** 2 + (units.y[u] - sy) ** 2 }))
      .sort((a, b) => a.d - b.d || a.u - b.u);
    for (const spec of SEAT_KINDS) {
      const u = ranked[Math.min(spec.rank, ranked.length - 1)].u;
      add(spec.kind, streetFacilityName(spec.kind, street, 0, communityAt(u)), u);
    }
  });
  return facilities;
}
