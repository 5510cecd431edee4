/**
 * Service centers: a "Party Building +" neighbourhood center (党群服务中心) in
 * every urban and town community and in about half of the villages (bigger
 * ones more often), and "Comprehensive Management +" governance centers
 * (综治中心) for each district, each town-level unit and about a third of the
 * communities. Each sits at the building nearest to the middle of the
 * households it serves, so coverage is realistic: most urban households are
 * within a 15-minute walk, while villages without a center, far corners of
 * communities and the bank across from a center may not be.
 */
import type { AdminAreas } from './admin-areas.ts';
import type { CellLattice } from './cell-lattice.ts';
import type { CommunityPlan } from './communities.ts';
import type { HouseholdUnits } from './households.ts';
import { PUTIAN_DISTRICTS, PUTIAN_STREETS } from './putian-divisions.ts';
import type { SeededRandom } from './seeded-random.ts';
import { nearestMember } from './weighted-kmeans.ts';

export interface LocalCenter {
  name: string;
  kind: 'neighborhood' | 'governance';
  services: string[];
  x: number;
  y: number;
}

const NEIGHBOURHOOD_SERVICES = ['elderly_care', 'childcare', 'health', 'culture', 'employment', 'volunteer', 'legal_aid', 'library'];
/** The household units of each community and of each street/town (indices into `units`). */
export function unitsByArea(plan: CommunityPlan, areas: AdminAreas, units: HouseholdUnits): { unitsOf: number[][]; unitsOfStreet: number[][] } {
  const unitsOf: number[][] = plan.communities.map(() => []);
  const unitsOfStreet: number[][] = PUTIAN_STREETS.map(() => []);
  for (let u = 0; u < units.count; u++) {
    unitsOf[plan.communityOfCell[units.cell[u]]].push(u);
    unitsOfStreet[areas.streetOfCell[units.cell[u]]].push(u);
  }
  return { unitsOf, unitsOfStreet };
}

/** What every governance center offers, before its optional GOVERNANCE_SERVICES. */
const GOVERNANCE_CORE = ['comprehensive_management', 'grid_management'];
const GOVERNANCE_SERVICES = ['mediation', 'legal_aid', 'petition', 'public_security', 'emergency'];

function services(base: string[], optional: string[], rng: SeededRandom, atLeast: number): string[] {
  const chosen = optional.filter(() => rng.chance(0.5));
  for (const s of optional) {
    if (chosen.length >= atLeast) break;
    if (!chosen.includes(s)) chosen.push(s);
  }
  return [...base, ...optional.filter((s) => chosen.includes(s))];
}

export function placeCenters(
  lattice: CellLattice,
  areas: AdminAreas,
  plan: CommunityPlan,
  units: HouseholdUnits,
  rng: SeededRandom,
): LocalCenter[] {
  const centers: LocalCenter[] = [];
  const { communities } = plan;
  const { unitsOf, unitsOfStreet } = unitsByArea(plan, areas, units);
  // A center 4 m beside the chosen building (a ground-floor service room).
  const at = (u: number) => ({ x: units.x[u] + 3, y: units.y[u] + 2.5 });
  const nearSeed = (s: number, skip: number): number => {
    const members = unitsOfStreet[s];
    if (members.length === 0) return -1;
    const seed = areas.streetSeedCell[s];
    const sx = lattice.centerX(seed);
    const sy = lattice.centerY(seed);
    const ranked = members
      .map((u) => ({ u, d: (units.x[u] - sx) ** 2 + (units.y[u] - sy) ** 2 }))
      .sort((a, b) => a.d - b.d || a.u - b.u);
    return ranked[Math.min(skip, ranked.length - 1)].u;
  };
  // A governance center at unit u, for `area` (district, town or community):
  // the bigger the area, the more optional services it has at least.
  const governance = (area: string, u: number, atLeast: number): LocalCenter => ({
    name: `${area}综治中心`,
    kind: 'governance',
    services: services(GOVERNANCE_CORE, GOVERNANCE_SERVICES, rng, atLeast),
    ...at(u),
  });

  // District governance centers, at the district's first unit (its seat).
  PUTIAN_DISTRICTS.forEach((d) => {
    const s = PUTIAN_STREETS.findIndex((st) => st.districtCode === d.code);
    const u = nearSeed(s, 2);
    if (u >= 0) centers.push(governance(d.name, u, 3));
  });

  PUTIAN_STREETS.forEach((street, s) => {
    const u = nearSeed(s, 0);
    if (u >= 0) centers.push(governance(street.name, u, 2));
    communities.forEach((comm, c) => {
      if (comm.streetIndex !== s) return;
      const members = unitsOf[c];
      if (members.length === 0) return;
      let households = 0;
      let mx = 0;
      let my = 0;
      for (const m of members) {
        households += units.households[m];
        mx += units.x[m] * units.households[m];
        my += units.y[m] * units.households[m];
      }
      const chance = comm.kind === 'community' ? 0.5 : 0.2 + 0.5 * Math.min(1, households / 400);
      if (!rng.chance(chance)) return;
      const mid = nearestMember(units.x, units.y, members, mx / households, my / households);
      centers.push({
        name: `${comm.name}党群服务中心`,
        kind: 'neighborhood',
        services: services(['party_building'], NEIGHBOURHOOD_SERVICES, rng, 2),
        ...at(mid),
      });
      if (comm.kind === 'community' && rng.chance(0.33)) {
        const other = members[rng.int(members.length)];
        centers.push(governance(comm.name, other, 1));
      }
    });
  });
  return centers;
}
