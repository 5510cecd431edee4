/**
 * Grid totals in an import: the household units inside every grid that
 * carries a household total are replaced by that total spread over the
 * grid's residential buildings or streets (grid-totals.ts); grids without a
 * total keep the units they had (the building estimate). Also the report of
 * what was placed how, and its lines in the CLI summary: a grid whose total
 * found neither buildings nor streets is named there, not dropped silently.
 */
import type { HouseholdColumns, WalkNetwork } from '../kernel/import-bundle.ts';
import { PLACED, spreadGridTotals } from './grid-totals.ts';
import type { GridFileRow } from './inputs/grids-file.ts';
import type { BuildingFootprints } from './osm/household-estimate.ts';
import { residentialBuildingsFrom, residentialStreetsFrom } from './osm/grid-totals-inputs.ts';
import { thousands } from './progress.ts';

/** What the grid totals did, for the import report. */
export interface GridTotalsReport {
  /** Grids with a household total. */
  grids: number;
  /** Of those: spread over buildings, along streets, with a total of 0. */
  byBuildings: number;
  byStreets: number;
  zero: number;
  /** Codes of the grids with a total > 0 and neither residential buildings nor streets: their households are not placed. */
  unplaced: string[];
  /** Sum of the totals given, and of what was placed. */
  householdsGiven: number;
  householdsPlaced: number;
  personsPlaced: number;
  /** Units made from the totals. */
  units: number;
  /** Units the import had inside those grids (the estimate), replaced. */
  replacedUnits: number;
}

/** Whether any grid carries a household total. */
export function hasGridTotals(grids: readonly GridFileRow[]): boolean {
  return grids.some((g) => g.households !== null);
}

/**
 * The import's household units with those inside grids that carry a total
 * replaced by the spread totals. `households.gridIndex` must already index
 * `grids`; the result's does too. Its source gains "+grid-totals".
 */
export function applyGridTotals(
  households: HouseholdColumns,
  grids: readonly GridFileRow[],
  osm: { footprints: BuildingFootprints; network: WalkNetwork },
): { households: HouseholdColumns; report: GridTotalsReport } {
  const spread = spreadGridTotals(grids, residentialBuildingsFrom(osm.footprints), residentialStreetsFrom(osm.network));
  const units = spread.units;
  const keep: number[] = [];
  for (let i = 0; i < households.count; i++) if (grids[households.gridIndex[i]!]?.households === null) keep.push(i);
  const n = keep.length + units.count;
  const out: HouseholdColumns = {
    count: n,
    lon: new Float64Array(n),
    lat: new Float64Array(n),
    households: new Int32Array(n),
    persons: new Int32Array(n),
    gridIndex: new Int32Array(n),
    source: `${households.source}+grid-totals`,
    sourceIds: keep.map((i) => households.sourceIds[i] ?? '').concat(units.sourceIds),
  };
  keep.forEach((i, j) => {
    out.lon[j] = households.lon[i]!;
    out.lat[j] = households.lat[i]!;
    out.households[j] = households.households[i]!;
    out.persons[j] = households.persons[i]!;
    out.gridIndex[j] = households.gridIndex[i]!;
  });
  const at = keep.length;
  out.lon.set(units.lon, at);
  out.lat.set(units.lat, at);
  out.households.set(units.households, at);
  out.persons.set(units.persons, at);
  out.gridIndex.set(units.gridIndex, at);

  const count = (what: number) => spread.placement.reduce((a, p) => a + (p === what ? 1 : 0), 0);
  const report: GridTotalsReport = {
    grids: grids.filter((g) => g.households !== null).length,
    byBuildings: count(PLACED.buildings),
    byStreets: count(PLACED.streets),
    zero: count(PLACED.zero),
    unplaced: spread.unplaced,
    householdsGiven: grids.reduce((a, g) => a + (g.households ?? 0), 0),
    householdsPlaced: units.households.reduce((a, h) => a + h, 0),
    personsPlaced: units.persons.reduce((a, p) => a + p, 0),
    units: units.count,
    replacedUnits: households.count - keep.length,
  };
  return { households: out, report };
}

/** The CLI summary's lines for the grid totals: how they were placed, and every grid that could not be, by code. */
export function gridTotalsSummary(r: GridTotalsReport): string[] {
  const lines = [
    `  grid totals    ${r.grids} grids with household totals: ${r.byBuildings} over buildings, ${r.byStreets} along streets` +
      `${r.zero ? `, ${r.zero} with 0` : ''}; ${thousands(r.householdsPlaced)} households in ${thousands(r.units)} units` +
      ` (replacing ${thousands(r.replacedUnits)} estimated units)`,
  ];
  if (r.unplaced.length > 0) {
    lines.push(
      `  NOT PLACED     ${r.unplaced.length} grids with a household total but no residential buildings or streets inside ` +
        `(${thousands(r.householdsGiven - r.householdsPlaced)} households left out): ${r.unplaced.join(', ')}`,
    );
  }
  return lines;
}
