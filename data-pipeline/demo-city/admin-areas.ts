/**
 * Districts and town-level units (streets) as cell regions. Districts grow
 * from all their streets' seed sites at once (noisy costs give organic
 * borders), exclaves are handed to their neighbours so each district is one
 * piece (plus islands), then each district is split among its own streets
 * by growing from each street's seed inside it.
 */
import { absorbExclaves, cellsByLabel, growRegions, nearestCell, type CellLattice, type GrowSeed } from './cell-lattice.ts';
import type { LandMask } from './land.ts';
import { NoiseField } from './noise.ts';
import { PUTIAN_DISTRICTS, PUTIAN_STREETS } from './putian-divisions.ts';
import { STREET_SITES_KM } from './putian-layout.ts';
import type { SeededRandom } from './seeded-random.ts';

export interface AdminAreas {
  /** District index per cell, -1 outside the city. */
  districtOfCell: Int32Array;
  /** Street index per cell (index into PUTIAN_STREETS), -1 outside. */
  streetOfCell: Int32Array;
  /** Each street's seed cell (inside the street). */
  streetSeedCell: Int32Array;
  /** District index of each street. */
  streetDistrict: Int32Array;
  streetCells: { offsets: Int32Array; cells: Int32Array };
}

export function buildAdminAreas(lattice: CellLattice, land: LandMask, rng: SeededRandom): AdminAreas {
  const n = lattice.cellCount;
  const valid = new Uint8Array(n);
  for (let c = 0; c < n; c++) valid[c] = land.isLand(lattice.centerX(c), lattice.centerY(c)) ? 1 : 0;

  const streetDistrict = new Int32Array(PUTIAN_STREETS.length);
  PUTIAN_STREETS.forEach((s, i) => {
    streetDistrict[i] = PUTIAN_DISTRICTS.findIndex((d) => d.code === s.districtCode);
  });

  // Seed cells from the layout, moved to the nearest land cell if needed.
  const taken = new Set<number>();
  const siteCell = PUTIAN_STREETS.map((s) => {
    const site = STREET_SITES_KM[s.code];
    if (!site) throw new Error(`no layout site for street ${s.code}`);
    const start = lattice.cellAt(site.x * 1000, site.y * 1000);
    const cell = nearestCell(lattice, start, (c) => valid[c] === 1 && !taken.has(c));
    taken.add(cell);
    return cell;
  });

  const districtNoise = new NoiseField(rng.fork('district-noise').seed, 4500, 3);
  const districtCost = new Float32Array(n);
  for (let c = 0; c < n; c++) if (valid[c]) districtCost[c] = 0.3 + 3.2 * districtNoise.at(lattice.centerX(c), lattice.centerY(c));
  const districtSeeds: GrowSeed[] = siteCell.map((cell, i) => ({ cell, label: streetDistrict[i] }));
  const districtOfCell = growRegions(lattice, districtSeeds, { cost: districtCost, valid });
  absorbExclaves(lattice, districtOfCell, PUTIAN_DISTRICTS.length);

  // A seed that ended up outside its district moves to the district's nearest cell.
  taken.clear();
  const streetSeedCell = new Int32Array(PUTIAN_STREETS.length);
  for (let s = 0; s < PUTIAN_STREETS.length; s++) {
    const d = streetDistrict[s];
    const cell = nearestCell(lattice, siteCell[s], (c) => districtOfCell[c] === d && !taken.has(c));
    if (cell < 0) throw new Error(`street ${PUTIAN_STREETS[s].code} has no cell in its district`);
    taken.add(cell);
    streetSeedCell[s] = cell;
  }

  const streetNoise = new NoiseField(rng.fork('street-noise').seed, 2500, 3);
  const streetCost = new Float32Array(n);
  for (let c = 0; c < n; c++) if (valid[c]) streetCost[c] = 0.4 + 2.4 * streetNoise.at(lattice.centerX(c), lattice.centerY(c));
  const streetSeeds: GrowSeed[] = [];
  for (let s = 0; s < PUTIAN_STREETS.length; s++) streetSeeds.push({ cell: streetSeedCell[s], label: s });
  const streetOfCell = growRegions(lattice, streetSeeds, {
    cost: streetCost,
    parent: districtOfCell,
    labelParent: streetDistrict,
  });
  for (let c = 0; c < n; c++) {
    if (districtOfCell[c] >= 0 && streetOfCell[c] < 0) {
      // Unreachable district cells (cannot happen when every district piece
      // holds a seed) leave the city rather than break the hierarchy.
      districtOfCell[c] = -1;
    }
  }
  return {
    districtOfCell,
    streetOfCell,
    streetSeedCell,
    streetDistrict,
    streetCells: cellsByLabel(streetOfCell, PUTIAN_STREETS.length),
  };
}
