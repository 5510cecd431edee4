/**
 * The 2,408 unit grids and their 3,096 officers. Grids go to communities by
 * households (each community at least one; then one at a time to the
 * community with the most households per grid, so grids are of similar
 * size), each community's grids grow from k-means seeds over its households,
 * and officers are shared the same way: one per grid, the rest one at a time
 * to the grid with the most households per officer.
 */
import { growRegions, nearestCell, type CellLattice, type GrowSeed } from './cell-lattice.ts';
import { RIVER_CELL_PENALTY, type CommunityPlan } from './communities.ts';
import type { HouseholdUnits } from './households.ts';
import { NoiseField } from './noise.ts';
import type { SeededRandom } from './seeded-random.ts';
import { nearestMember, weightedKMeans } from './weighted-kmeans.ts';

export const DEMO_GRID_COUNT = 2408;
export const DEMO_OFFICER_COUNT = 3096;

export interface GridPlan {
  /** Per grid, in code order. */
  code: string[];
  name: string[];
  community: Int32Array;
  households: Float64Array;
  officers: Int32Array;
  gridOfCell: Int32Array;
  /** Grid index of each household unit. */
  unitGrid: Int32Array;
}

/** Gives `extra` seats one at a time to the index with the highest weight per seat (ties: lowest index). */
function allocate(weights: ArrayLike<number>, seats: Int32Array, caps: ArrayLike<number>, extra: number): void {
  for (let step = 0; step < extra; step++) {
    let best = -1;
    let bestLoad = -1;
    for (let i = 0; i < seats.length; i++) {
      if (seats[i] >= caps[i]) continue;
      const load = weights[i] / seats[i];
      if (load > bestLoad) {
        bestLoad = load;
        best = i;
      }
    }
    if (best < 0) throw new Error('allocate: every slot is at its cap');
    seats[best]++;
  }
}

export function buildGrids(lattice: CellLattice, plan: CommunityPlan, units: HouseholdUnits, onRiver: Uint8Array, rng: SeededRandom): GridPlan {
  const { communities, communityOfCell, communityCells } = plan;
  const cCount = communities.length;
  if (cCount > DEMO_GRID_COUNT) throw new Error(`more communities (${cCount}) than grids`);
  const unitsOf: number[][] = communities.map(() => []);
  const households = new Float64Array(cCount);
  for (let u = 0; u < units.count; u++) {
    const c = communityOfCell[units.cell[u]];
    unitsOf[c].push(u);
    households[c] += units.households[u];
  }
  // At most one grid per cell and per unit (a community without units gets one).
  const caps = new Int32Array(cCount);
  for (let c = 0; c < cCount; c++) {
    const cells = communityCells.offsets[c + 1] - communityCells.offsets[c];
    caps[c] = Math.max(1, Math.min(cells, unitsOf[c].length));
  }
  const gridCount = new Int32Array(cCount).fill(1);
  allocate(households, gridCount, caps, DEMO_GRID_COUNT - cCount);

  const weights = Float64Array.from(units.households);
  const seeds: GrowSeed[] = [];
  const code: string[] = [];
  const name: string[] = [];
  const community: number[] = [];
  const taken = new Set<number>();
  communities.forEach((comm, c) => {
    const k = gridCount[c];
    const at: { cell: number; x: number; y: number }[] = [];
    if (k === 1) {
      at.push({ cell: comm.seedCell, x: 0, y: 0 });
    } else {
      const clusters = weightedKMeans(units.x, units.y, weights, unitsOf[c], k, rng.fork(`grids-${comm.code}`));
      for (let g = 0; g < k; g++) {
        const u = nearestMember(units.x, units.y, unitsOf[c], clusters.cx[g], clusters.cy[g]);
        at.push({ cell: units.cell[u], x: units.x[u], y: units.y[u] });
      }
      at.sort((a, b) => b.y - a.y || a.x - b.x);
    }
    at.forEach((seed, g) => {
      const cell = nearestCell(lattice, seed.cell, (x) => communityOfCell[x] === c && !taken.has(x));
      if (cell < 0) throw new Error(`no free cell for grid ${g} of ${comm.code}`);
      taken.add(cell);
      seeds.push({ cell, label: code.length });
      code.push(`${comm.code}${String(g + 1).padStart(3, '0')}`);
      name.push(`${comm.name}第${g + 1}网格`);
      community.push(c);
    });
  });

  const noise = new NoiseField(rng.fork('grid-noise').seed, 450, 2);
  const cost = new Float32Array(lattice.cellCount);
  for (let cell = 0; cell < lattice.cellCount; cell++) {
    if (communityOfCell[cell] < 0) continue;
    cost[cell] = 1 + 0.8 * noise.at(lattice.centerX(cell), lattice.centerY(cell)) + RIVER_CELL_PENALTY * onRiver[cell];
  }
  const gridCommunity = Int32Array.from(community);
  const gridOfCell = growRegions(lattice, seeds, { cost, parent: communityOfCell, labelParent: gridCommunity });

  const gridHouseholds = new Float64Array(code.length);
  const unitGrid = new Int32Array(units.count);
  for (let u = 0; u < units.count; u++) {
    const g = gridOfCell[units.cell[u]];
    unitGrid[u] = g;
    gridHouseholds[g] += units.households[u];
  }
  const officers = new Int32Array(code.length).fill(1);
  const noCap = new Int32Array(code.length).fill(1 << 30);
  // +1 so that grids without households still order by index, never divide 0/0.
  allocate(
    gridHouseholds.map((h) => h + 1),
    officers,
    noCap,
    DEMO_OFFICER_COUNT - code.length,
  );
  return { code, name, community: gridCommunity, households: gridHouseholds, officers, gridOfCell, unitGrid };
}
