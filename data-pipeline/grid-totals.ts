/**
 * Household units from grid totals. Where OpenStreetMap has the streets but
 * few building outlines (much of China), households estimated from buildings
 * undercount badly, while every grid office knows its grid's household count.
 * Given grids that carry a total, this spreads each total over the grid:
 *
 *  1. Over its residential buildings (those whose centroid lies in the grid,
 *     the rule that puts every household unit into one grid): one unit per
 *     building at its centroid, the total apportioned by floor area, i.e.
 *     footprint x levels, where levels are known (building:levels, else
 *     height / METRES_PER_LEVEL), else by the footprint alone (one level).
 *     A building whose share rounds to 0 gets no unit.
 *  2. Else along its residential streets (the parts inside the grid):
 *     STREET_RANKS[0] (residential, living_street) where the grid has any,
 *     else STREET_RANKS[1] (unclassified, service: in Chinese villages and
 *     compounds the lanes between houses are mostly tagged so). With L metres
 *     of them, n = round(L / STREET_UNIT_SPACING_M) units (at least 1, at
 *     most the total, so none is empty) at equal distances along them, the
 *     total split evenly.
 *  3. Else nowhere: the grid's code is returned in `unplaced` and the import
 *     reports it. Its households are not invented somewhere else.
 *
 * Persons: the grid's persons total, or without one round(households x
 * PERSONS_PER_HOUSEHOLD) (the building estimate's factor), apportioned over
 * the grid's units by their households. All splits are largest-remainder
 * apportionments (largest-remainder.ts), so every grid's units sum exactly to
 * its totals, and the result depends only on the input (and its order).
 *
 * Pure: no OSM, no database. The import (grid-totals-import.ts) and a partial
 * update of grids can both call it.
 */
import type { MultiPolygonCoords } from '../kernel/import-bundle.ts';
import { assignToGrids } from './inputs/assign-to-grids.ts';
import { evenSplit, largestRemainder } from './largest-remainder.ts';
import { PERSONS_PER_HOUSEHOLD } from './osm/household-estimate.ts';
import { sampleStreets, type StreetLines } from './street-samples.ts';

export type { StreetLines } from './street-samples.ts';

/**
 * One unit per this many metres of residential street in a grid without
 * buildings. 50 m is a few house plots' frontage (Chinese village plots are
 * ~10-15 m wide, on both sides of the lane) and under a minute's walk, so a
 * unit stands for the houses within ~25 m either side of it: finer than the
 * 5-minute tier the coverage is judged at, without a row per house.
 */
export const STREET_UNIT_SPACING_M = 50;
/** Pieces the streets are cut into to measure them per grid (street-samples.ts); units sit at piece midpoints, within half of this of their exact place. */
export const STREET_SAMPLE_M = 5;
/** Storey height used to turn a building's `height` into levels where building:levels is absent. */
export const METRES_PER_LEVEL = 3;
/** Street classes (OSM highway values) by preference: a grid uses the first rank it has any of. */
export const STREET_RANKS: readonly (readonly string[])[] = [
  ['residential', 'living_street'],
  ['unclassified', 'service'],
];

/** A grid and its totals (null: the file gave none, the grid keeps the estimate). */
export interface GridTotal {
  code: string;
  geom: MultiPolygonCoords;
  households: number | null;
  persons: number | null;
}

/** Residential buildings: centroid, footprint and levels, one entry per building. */
export interface ResidentialBuildings {
  count: number;
  lon: Float64Array;
  lat: Float64Array;
  /** Footprint area, m². */
  footprintM2: Float64Array;
  /** Levels (from building:levels or height), NaN where unknown. */
  levels: Float64Array;
  /** OSM way id, or -1. */
  osmId: Float64Array;
  /** What each building's unit names in its source id instead of "way/<osmId>" (stored buildings have no OSM id). */
  refs?: readonly string[];
}

/** How a grid's total was placed. */
export const PLACED = { noTotal: 0, zero: 1, buildings: 2, streets: 3, nowhere: 4 } as const;

/** Household units, one entry per unit; gridIndex indexes the grids passed in. */
export interface GridTotalUnits {
  count: number;
  lon: Float64Array;
  lat: Float64Array;
  households: Int32Array;
  persons: Int32Array;
  gridIndex: Int32Array;
  /** "grid:<code> way/<id>" for a building, "grid:<code> street way/<id>" along a street. */
  sourceIds: string[];
}

export interface GridSpread {
  units: GridTotalUnits;
  /** Per grid, a PLACED value. */
  placement: Uint8Array;
  /** Codes of the grids with a total > 0 and neither residential buildings nor streets, in grid order. */
  unplaced: string[];
}

/** Floor area where levels are known, else the footprint (one level). */
export function buildingWeight(footprintM2: number, levels: number): number {
  return levels > 0 ? footprintM2 * levels : footprintM2;
}

/** Item indexes grouped by grid (CSR): items of grid g are items[offset[g] .. offset[g + 1]), in item order. */
function groupByGrid(gridOf: Int32Array, grids: number): { offset: Int32Array; items: Int32Array } {
  const offset = new Int32Array(grids + 1);
  for (let i = 0; i < gridOf.length; i++) if (gridOf[i]! >= 0) offset[gridOf[i]! + 1]!++;
  for (let g = 0; g < grids; g++) offset[g + 1]! += offset[g]!;
  const items = new Int32Array(offset[grids]!);
  const fill = offset.slice(0, grids);
  for (let i = 0; i < gridOf.length; i++) if (gridOf[i]! >= 0) items[fill[gridOf[i]!]!++] = i;
  return { offset, items };
}

/** Growable unit columns, cut to size by `done`. */
class UnitsBuilder {
  lon: number[] = [];
  lat: number[] = [];
  households: number[] = [];
  persons: number[] = [];
  gridIndex: number[] = [];
  sourceIds: string[] = [];
  /** Adds the grid's units (those with households > 0), persons apportioned by their households. */
  addGrid(grid: number, personsTotal: number, lon: number[], lat: number[], households: Int32Array, ids: string[]): void {
    const keep: number[] = [];
    for (let k = 0; k < households.length; k++) if (households[k]! > 0) keep.push(k);
    const persons = largestRemainder(personsTotal, keep.map((k) => households[k]!));
    keep.forEach((k, j) => {
      this.lon.push(lon[k]!);
      this.lat.push(lat[k]!);
      this.households.push(households[k]!);
      this.persons.push(persons[j]!);
      this.gridIndex.push(grid);
      this.sourceIds.push(ids[k]!);
    });
  }
  done(): GridTotalUnits {
    return {
      count: this.lon.length,
      lon: Float64Array.from(this.lon),
      lat: Float64Array.from(this.lat),
      households: Int32Array.from(this.households),
      persons: Int32Array.from(this.persons),
      gridIndex: Int32Array.from(this.gridIndex),
      sourceIds: this.sourceIds,
    };
  }
}

const wayId = (osmId: number) => (osmId >= 0 ? `way/${osmId}` : 'generated');

/**
 * Spreads every grid's household (and persons) total over its residential
 * buildings, else along its residential streets; see the module comment for
 * the rules. Grids without a total get nothing here.
 */
export function spreadGridTotals(grids: readonly GridTotal[], buildings: ResidentialBuildings, streets: StreetLines): GridSpread {
  for (const g of grids) {
    if (g.households !== null && !(Number.isInteger(g.households) && g.households >= 0)) throw new RangeError(`grid ${g.code}: households must be a whole number >= 0`);
    if (g.persons !== null && !(Number.isInteger(g.persons) && g.persons >= 0)) throw new RangeError(`grid ${g.code}: persons must be a whole number >= 0`);
  }
  const placement = new Uint8Array(grids.length);
  const out = new UnitsBuilder();
  const unplaced: string[] = [];
  const personsOf = (g: GridTotal) => g.persons ?? Math.round(g.households! * PERSONS_PER_HOUSEHOLD);

  const byBuilding = groupByGrid(assignToGrids(grids, buildings.lon, buildings.lat), grids.length);
  const needStreets: number[] = [];
  grids.forEach((g, gi) => {
    if (g.households === null) return;
    if (g.households === 0) {
      placement[gi] = PLACED.zero;
      return;
    }
    const from = byBuilding.offset[gi]!;
    const to = byBuilding.offset[gi + 1]!;
    if (to === from) {
      needStreets.push(gi);
      return;
    }
    placement[gi] = PLACED.buildings;
    const members = Array.from(byBuilding.items.subarray(from, to));
    const weights = members.map((b) => buildingWeight(buildings.footprintM2[b]!, buildings.levels[b]!));
    const households = largestRemainder(g.households, weights);
    out.addGrid(
      gi,
      personsOf(g),
      members.map((b) => buildings.lon[b]!),
      members.map((b) => buildings.lat[b]!),
      households,
      members.map((b) => `grid:${g.code} ${buildings.refs?.[b] ?? wayId(buildings.osmId[b]!)}`),
    );
  });

  if (needStreets.length > 0) {
    const samples = sampleStreets(streets, STREET_SAMPLE_M);
    // Only the grids that need streets: fewer polygons to test each sample against.
    const sub = needStreets.map((gi) => grids[gi]!);
    const bySample = groupByGrid(assignToGrids(sub, samples.lon, samples.lat), sub.length);
    needStreets.forEach((gi, si) => {
      const g = grids[gi]!;
      const inGrid = bySample.items.subarray(bySample.offset[si]!, bySample.offset[si + 1]!);
      let best = Infinity;
      for (const s of inGrid) best = Math.min(best, streets.rank[samples.line[s]!]!);
      const chosen = Array.from(inGrid).filter((s) => streets.rank[samples.line[s]!] === best);
      if (chosen.length === 0) {
        placement[gi] = PLACED.nowhere;
        unplaced.push(g.code);
        return;
      }
      placement[gi] = PLACED.streets;
      let length = 0;
      for (const s of chosen) length += samples.lengthM[s]!;
      const n = Math.max(1, Math.min(g.households!, Math.round(length / STREET_UNIT_SPACING_M)));
      // Unit k at (k + 0.5) * length / n along the grid's streets (in line order): the piece covering that distance.
      const lon: number[] = [];
      const lat: number[] = [];
      const ids: string[] = [];
      let j = 0;
      let upTo = samples.lengthM[chosen[0]!]!;
      for (let k = 0; k < n; k++) {
        const at = ((k + 0.5) * length) / n;
        while (at > upTo && j < chosen.length - 1) upTo += samples.lengthM[chosen[++j]!]!;
        const s = chosen[j]!;
        lon.push(samples.lon[s]!);
        lat.push(samples.lat[s]!);
        ids.push(`grid:${g.code} street ${wayId(streets.osmId[samples.line[s]!]!)}`);
      }
      out.addGrid(gi, personsOf(g), lon, lat, evenSplit(g.households!, n), ids);
    });
  }
  return { units: out.done(), placement, unplaced };
}
