/**
 * Communities (社区) and villages (村) under each town-level unit. Every village
 * settlement is a village committee; the households of urban and town patches
 * are split into communities of ~4,200 households by weighted k-means. Each
 * community's territory grows from its seed over the unit's cells, with the
 * river expensive to cross so communities mostly keep to one bank. Codes
 * extend the unit's code the official way: 001-199 for 社区, 200+ for 村.
 */
import type { AdminAreas } from './admin-areas.ts';
import { cellsByLabel, growRegions, nearestCell, type CellLattice, type GrowSeed } from './cell-lattice.ts';
import type { HouseholdUnits } from './households.ts';
import type { NamePool } from './names.ts';
import { NoiseField } from './noise.ts';
import { PUTIAN_STREETS } from './putian-divisions.ts';
import type { River } from './river.ts';
import type { SeededRandom } from './seeded-random.ts';
import type { Patch } from './settlements.ts';
import { nearestMember, weightedKMeans } from './weighted-kmeans.ts';

export interface Community {
  code: string;
  name: string;
  streetIndex: number;
  kind: 'community' | 'village';
  seedCell: number;
  /** The village patch for a village, -1 otherwise. */
  patch: number;
}

export interface CommunityPlan {
  communities: Community[];
  communityOfCell: Int32Array;
  communityCells: { offsets: Int32Array; cells: Int32Array };
}

const HOUSEHOLDS_PER_COMMUNITY = 4200;

/** Extra cost of a cell on the river for community and grid growth: borders tend to follow the banks. */
export const RIVER_CELL_PENALTY = 8;

/** 1 for city cells whose centre is on the river (banks plus 20 m). */
export function riverCells(lattice: CellLattice, river: River, streetOfCell: Int32Array): Uint8Array {
  const mask = new Uint8Array(lattice.cellCount);
  for (let c = 0; c < lattice.cellCount; c++) {
    if (streetOfCell[c] >= 0 && river.pointNear(lattice.centerX(c), lattice.centerY(c), 20)) mask[c] = 1;
  }
  return mask;
}

export function buildCommunities(
  lattice: CellLattice,
  areas: AdminAreas,
  patches: readonly Patch[],
  units: HouseholdUnits,
  onRiver: Uint8Array,
  names: NamePool,
  rng: SeededRandom,
): CommunityPlan {
  const { streetOfCell } = areas;
  const unitsByStreet: number[][] = PUTIAN_STREETS.map(() => []);
  for (let u = 0; u < units.count; u++) {
    if (patches[units.patch[u]].kind !== 'village') unitsByStreet[streetOfCell[units.cell[u]]].push(u);
  }
  const weights = Float64Array.from(units.households);
  const communities: Community[] = [];
  const taken = new Set<number>();
  const snap = (cell: number, s: number): number => {
    const c = nearestCell(lattice, cell, (x) => streetOfCell[x] === s && !taken.has(x));
    if (c < 0) throw new Error(`no free cell for a community in street ${PUTIAN_STREETS[s].code}`);
    taken.add(c);
    return c;
  };

  PUTIAN_STREETS.forEach((street, s) => {
    const members = unitsByStreet[s];
    let households = 0;
    for (const u of members) households += units.households[u];
    const villages = patches.filter((p) => p.kind === 'village' && p.streetIndex === s);
    let k = households > 0 ? Math.max(1, Math.round(households / HOUSEHOLDS_PER_COMMUNITY)) : 0;
    if (k === 0 && villages.length === 0) k = 1;
    const seeds: { cell: number; x: number; y: number }[] = [];
    if (members.length > 0) {
      const clusters = weightedKMeans(units.x, units.y, weights, members, k, rng.fork(`community-${street.code}`));
      for (let c = 0; c < k; c++) {
        const u = nearestMember(units.x, units.y, members, clusters.cx[c], clusters.cy[c]);
        seeds.push({ cell: units.cell[u], x: units.x[u], y: units.y[u] });
      }
    } else if (k > 0) {
      const cell = areas.streetSeedCell[s];
      seeds.push({ cell, x: lattice.centerX(cell), y: lattice.centerY(cell) });
    }
    // Number communities north to south, west to east.
    seeds.sort((a, b) => b.y - a.y || a.x - b.x);
    seeds.forEach((seed, i) => {
      communities.push({
        code: `${street.code}${String(i + 1).padStart(3, '0')}`,
        name: `${names.take()}社区`,
        streetIndex: s,
        kind: 'community',
        seedCell: snap(seed.cell, s),
        patch: -1,
      });
    });
    villages.forEach((v, i) => {
      communities.push({
        code: `${street.code}${String(200 + i).padStart(3, '0')}`,
        name: `${names.take()}村`,
        streetIndex: s,
        kind: 'village',
        seedCell: snap(lattice.cellAt(v.cx, v.cy), s),
        patch: v.index,
      });
    });
  });

  const noise = new NoiseField(rng.fork('community-noise').seed, 1200, 2);
  const cost = new Float32Array(lattice.cellCount);
  for (let c = 0; c < lattice.cellCount; c++) {
    if (streetOfCell[c] < 0) continue;
    cost[c] = 1 + noise.at(lattice.centerX(c), lattice.centerY(c)) + RIVER_CELL_PENALTY * onRiver[c];
  }
  const seeds: GrowSeed[] = communities.map((c, i) => ({ cell: c.seedCell, label: i }));
  const labelParent = Int32Array.from(communities.map((c) => c.streetIndex));
  const communityOfCell = growRegions(lattice, seeds, { cost, parent: streetOfCell, labelParent });
  return { communities, communityOfCell, communityCells: cellsByLabel(communityOfCell, communities.length) };
}
