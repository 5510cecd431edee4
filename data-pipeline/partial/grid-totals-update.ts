/**
 * Grid totals in a partial --grids update (issue 14 item 6): the stored
 * household units that will lie in a grid carrying a household total are
 * replaced by that total spread over the grid's residential buildings or
 * streets (grid-totals.ts), read from the stored city
 * (stored-spread-inputs.ts); grids without a total keep their units. The
 * plan is made before anything is written (a dry run reports it, a grid
 * whose total found neither buildings nor streets named by code), and
 * written in the update's transaction by the grid update that owns it
 * (table-updates.ts).
 */
import { basename } from 'node:path';
import type { Queryable } from '../../kernel/db/database.ts';
import { utf8 } from '../../kernel/db/binary-copy.ts';
import type { GridRow } from '../../kernel/import-bundle.ts';
import { PLACED, spreadGridTotals, type GridTotalUnits } from '../grid-totals.ts';
import type { GridTotalsReport } from '../grid-totals-import.ts';
import { copyRows, HOUSEHOLDS } from '../write-bundle.ts';
import { boxOf, storedResidentialBuildings, storedResidentialStreets } from './stored-spread-inputs.ts';
import type { HouseholdTotals } from './stored-city.ts';

/** A grid as it will be after the update: its id then, and its totals (null: keeps its units). */
export interface TotalsGrid extends GridRow {
  id: number;
  households: number | null;
  persons: number | null;
}

export interface GridTotalsPlan {
  /** The grids the totals were spread over (every grid after the update). */
  grids: readonly TotalsGrid[];
  report: GridTotalsReport;
  /** Stored unit ids the spread units replace. */
  replaced: number[];
  /** The spread units; gridIndex indexes the plan's grids. */
  units: GridTotalUnits;
  households: { before: HouseholdTotals; after: HouseholdTotals };
  /** Every unit after the update, for the dry run's coverage. */
  proposal: { lon: Float64Array; lat: Float64Array; households: Int32Array };
}

/** Whether any grid carries a household total. */
export const anyTotals = (grids: readonly { households: number | null }[]) => grids.some((g) => g.households !== null);

/**
 * Spreads the totals of `grids` (every grid after the update, so a building
 * goes to the grid the import would put it in) over the stored buildings and
 * streets; `replaced` are the stored units that will be in a grid with a total.
 */
export async function planGridTotals(q: Queryable, grids: readonly TotalsGrid[], replaced: number[], before: HouseholdTotals): Promise<GridTotalsPlan> {
  const box = boxOf(grids.filter((g) => g.households !== null).map((g) => g.geom));
  const spread = spreadGridTotals(grids, await storedResidentialBuildings(q, box), await storedResidentialStreets(q, box));
  const units = spread.units;
  const [gone] = await q.query<{ households: number | null; persons: number | null }>(
    'SELECT sum(households)::float8 AS households, sum(persons)::float8 AS persons FROM households WHERE id = ANY($1::int[])',
    [replaced],
  );
  const kept = await q.query<{ lon: number; lat: number; households: number }>(
    'SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat, households FROM households WHERE NOT (id = ANY($1::int[])) ORDER BY id',
    [replaced],
  );
  const sum = (a: Int32Array) => a.reduce((s, v) => s + v, 0);
  const householdsPlaced = sum(units.households);
  const personsPlaced = sum(units.persons);
  const after: HouseholdTotals = {
    units: before.units - replaced.length + units.count,
    households: before.households - Number(gone?.households ?? 0) + householdsPlaced,
    persons: before.persons - Number(gone?.persons ?? 0) + personsPlaced,
  };
  const count = (what: number) => spread.placement.reduce((a, p) => a + (p === what ? 1 : 0), 0);
  const report: GridTotalsReport = {
    grids: grids.filter((g) => g.households !== null).length,
    byBuildings: count(PLACED.buildings),
    byStreets: count(PLACED.streets),
    zero: count(PLACED.zero),
    unplaced: spread.unplaced,
    householdsGiven: grids.reduce((a, g) => a + (g.households ?? 0), 0),
    householdsPlaced,
    personsPlaced,
    units: units.count,
    replacedUnits: replaced.length,
  };
  const n = kept.length + units.count;
  const proposal = { lon: new Float64Array(n), lat: new Float64Array(n), households: new Int32Array(n) };
  kept.forEach((k, i) => {
    proposal.lon[i] = Number(k.lon);
    proposal.lat[i] = Number(k.lat);
    proposal.households[i] = Number(k.households);
  });
  proposal.lon.set(units.lon, kept.length);
  proposal.lat.set(units.lat, kept.length);
  proposal.households.set(units.households, kept.length);
  return { grids, report, replaced, units, households: { before, after }, proposal };
}

/** Deletes the replaced units (in the update's transaction, before the grids are rewritten). */
export async function deleteReplacedUnits(tx: Queryable, plan: GridTotalsPlan): Promise<void> {
  // DELETE, not TRUNCATE: a running server keeps reading the old units until the commit.
  if (plan.replaced.length > 0) await tx.query('DELETE FROM households WHERE id = ANY($1::int[])', [plan.replaced]);
}

/** Inserts the spread units with ids past every stored one, each with its grid's id and chain (after the grids are written). */
export async function insertSpreadUnits(tx: Queryable, file: string, cityCode: string, plan: GridTotalsPlan): Promise<void> {
  const { units: u, grids } = plan;
  if (u.count === 0) return;
  const [next] = await tx.query<{ id: number }>('SELECT COALESCE(max(id), 0) + 1 AS id FROM households');
  const first = Number(next!.id);
  const cityText = utf8(cityCode);
  // The full import marks such units "<source>+grid-totals"; here the source is the grids file.
  const sourceText = utf8(`file:${basename(file)}+grid-totals`);
  await copyRows(tx, HOUSEHOLDS, u.count, (row, i) => {
    const g = grids[u.gridIndex[i]!]!;
    row.int4(first + i).int4(u.households[i]!).int4(u.persons[i]!).int4(g.id);
    row.encodedText(cityText).text(g.districtCode).text(g.streetCode).text(g.communityCode);
    row.encodedText(sourceText).text(u.sourceIds[i]!).point(u.lon[i]!, u.lat[i]!);
  });
}
