/**
 * A households file replaces the stored household units: each unit is put
 * into the stored grid that contains it (or whose edge it is on:
 * grid-edges.ts) and carries that grid's chain, so every statistic
 * still rolls up. A unit in no grid is a bad row (named, with the others),
 * not dropped: every unit belongs to a grid. The walk network, centers and
 * grids are not touched; the server fills the coverage columns back in.
 */
import { basename } from 'node:path';
import type { Queryable } from '../../kernel/db/database.ts';
import { utf8 } from '../../kernel/db/binary-copy.ts';
import { assignWithEdges } from './grid-edges.ts';
import type { CheckedHouseholds } from '../inputs/household-rows.ts';
import type { RowProblem } from '../inputs/row-problems.ts';
import { copyRows, HOUSEHOLDS } from '../write-bundle.ts';
import type { HouseholdTotals, StoredGrid } from './stored-city.ts';

export interface HouseholdPlan {
  before: HouseholdTotals;
  after: HouseholdTotals;
  /** Per new unit: index into the stored grids. */
  gridIndex: Int32Array;
}

/** Puts every unit into a stored grid; units in none are problems of their rows. */
export function planHouseholds(grids: readonly StoredGrid[], checked: CheckedHouseholds, before: HouseholdTotals): { plan: HouseholdPlan; problems: RowProblem[] } {
  const { points } = checked;
  const gridIndex = assignWithEdges([...grids], points.lon, points.lat);
  const problems: RowProblem[] = [];
  let households = 0;
  let persons = 0;
  for (let i = 0; i < points.count; i++) {
    households += points.households[i]!;
    if (points.persons[i]! > 0) persons += points.persons[i]!;
    if (gridIndex[i]! >= 0) continue;
    problems.push({
      ...checked.placeOf(i),
      problem: `the point (${points.lon[i]!.toFixed(6)}, ${points.lat[i]!.toFixed(6)}) is in no grid of the city; every household unit belongs to a grid (update the grids first if it is a new one)`,
    });
  }
  return { plan: { before, after: { units: points.count, households, persons }, gridIndex }, problems };
}

/** Replaces the household units (in the update's transaction). */
export async function writeHouseholds(tx: Queryable, file: string, cityCode: string, grids: readonly StoredGrid[], checked: CheckedHouseholds, plan: HouseholdPlan): Promise<void> {
  // DELETE, not TRUNCATE: a running server keeps reading the old units until the commit.
  await tx.query('DELETE FROM households');
  const h = checked.points;
  const chains = grids.map((g) => [utf8(g.districtCode), utf8(g.streetCode), utf8(g.communityCode)] as const);
  const cityText = utf8(cityCode);
  const sourceText = utf8(`file:${basename(file)}`);
  await copyRows(tx, HOUSEHOLDS, h.count, (row, i) => {
    const g = plan.gridIndex[i]!;
    const [district, street, community] = chains[g]!;
    const persons = h.persons[i]!;
    row.int4(i + 1).int4(h.households[i]!);
    if (persons === -1) row.null();
    else row.int4(persons);
    row.int4(grids[g]!.id).encodedText(cityText).encodedText(district).encodedText(street).encodedText(community);
    row.encodedText(sourceText).text(h.sourceIds[i] || null).point(h.lon[i]!, h.lat[i]!);
  });
}
