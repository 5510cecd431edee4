/**
 * One table's partial update as two steps the orchestrator (partial-update.ts)
 * runs: its rows checked (all problems named), then a plan made from what the
 * database holds, which a dry run reports and a real run writes in its
 * transaction. The plan is made the same way both times, so the dry run
 * says exactly what the real run then does.
 */
import type { Queryable } from '../../kernel/db/database.ts';
import type { BBox } from '../../kernel/data-change.ts';
import type { ToWgs84 } from '../inputs/chinese-crs.ts';
import { kindResolver } from '../inputs/center-kinds.ts';
import { checkCenterRows } from '../inputs/center-rows.ts';
import { checkGridAttributeRows } from '../inputs/grid-attribute-rows.ts';
import { checkHouseholdRows } from '../inputs/household-rows.ts';
import { RowsRefused, type RowCounts, type RowProblem } from '../inputs/row-problems.ts';
import type { Table } from '../inputs/table-file.ts';
import { centersAfter, planCenters, type CenterPlan } from './center-plan.ts';
import { writeCenterPlan, type AuditHook } from './center-write.ts';
import type { GridTotalsReport } from '../grid-totals-import.ts';
import type { GridFileRow } from '../inputs/grids-file.ts';
import { anyTotals, deleteReplacedUnits, insertSpreadUnits, planGridTotals, type GridTotalsPlan, type TotalsGrid } from './grid-totals-update.ts';
import { planGridAttributes, planGridShapes, writeGridAttributes, writeGridShapes, type GridPlan } from './grid-update.ts';
import { planHouseholds, writeHouseholds } from './household-update.ts';
import {
  householdTotals, loadHouseholdPositions, loadStoredCenters, loadStoredGrids, unitsPerGrid, type HouseholdTotals, type StoredCity,
} from './stored-city.ts';

/** What a dry run's coverage would be evaluated with: the whole set of centers or units after the update. */
export interface CoverageProposal {
  centers?: { lon: Float64Array; lat: Float64Array; kind: readonly string[] };
  households?: { lon: Float64Array; lat: Float64Array; households: Int32Array };
}

export interface PlannedUpdate {
  centers?: CenterPlan;
  grids?: GridPlan;
  /** Grid totals spread over the stored buildings or streets (a grids file with 户数/households). */
  gridTotals?: GridTotalsReport;
  households: { before: HouseholdTotals; after: HouseholdTotals };
  proposal: CoverageProposal;
  /** True when the file changes nothing: no write, no new data version. */
  none: boolean;
  /** Carries the plan out; the boxes of a centers change, or 'replaced' when the servers must reload households and grids. */
  write(tx: Queryable): Promise<BBox[] | 'replaced'>;
}

export interface TableUpdate {
  counts: RowCounts;
  problems: RowProblem[];
  /** The tables the write changes, locked against other writers (not readers) for the transaction. */
  locks: readonly string[];
  /** Plans against what `q` holds; throws RowsRefused for problems only the stored data shows. */
  plan(q: Queryable): Promise<PlannedUpdate>;
}

/** Refuses the update for problems the plan found; `rows` of them are rows of the file (the others, stored units). */
function refuseIf(file: string, problems: RowProblem[], counts: RowCounts, rows: boolean): void {
  if (problems.length === 0) return;
  const more = rows ? new Set(problems.map((p) => p.where)).size : 0;
  throw new RowsRefused(file, problems, { read: counts.read, accepted: counts.accepted - more, refused: counts.refused + more });
}

export function centersUpdate(table: Table, city: StoredCity, toWgs84: ToWgs84, audit?: AuditHook): TableUpdate {
  const checked = checkCenterRows(table, { toWgs84, kinds: kindResolver(city.kinds), bounds: city.bounds });
  return {
    counts: checked.counts,
    problems: checked.problems,
    locks: ['centers'],
    async plan(q) {
      const stored = await loadStoredCenters(q);
      const plan = planCenters(stored, checked.centers, checked.byCode);
      const totals = await householdTotals(q);
      return {
        centers: plan,
        none: plan.added.length + plan.moved.length + plan.changed.length + plan.removed.length === 0,
        households: { before: totals, after: totals },
        proposal: { centers: centersAfter(stored, plan) },
        write: (tx) => writeCenterPlan(tx, stored, plan, audit),
      };
    },
  };
}

export function householdsUpdate(file: string, table: Table, city: StoredCity, toWgs84: ToWgs84): TableUpdate {
  const checked = checkHouseholdRows(table, { toWgs84, bounds: city.bounds });
  return {
    counts: checked.counts,
    problems: checked.problems,
    locks: ['households', 'grids'],
    async plan(q) {
      const grids = await loadStoredGrids(q);
      const { plan, problems } = planHouseholds(grids, checked, await householdTotals(q));
      refuseIf(file, problems, checked.counts, true);
      const { lon, lat, households } = checked.points;
      return {
        none: false,
        households: { before: plan.before, after: plan.after },
        proposal: { households: { lon, lat, households } },
        async write(tx) {
          await writeHouseholds(tx, file, city.cityCode, grids, checked, plan);
          return 'replaced';
        },
      };
    },
  };
}

/** The planned update's households, proposal and grid totals report, with or without spread totals. */
function withTotals(spread: GridTotalsPlan | undefined, totals: HouseholdTotals) {
  return spread
    ? { gridTotals: spread.report, households: spread.households, proposal: { households: spread.proposal } }
    : { households: { before: totals, after: totals }, proposal: {} };
}

export function gridShapesUpdate(file: string, read: { grids: GridFileRow[]; problems: RowProblem[]; counts: RowCounts }, city: StoredCity): TableUpdate {
  return {
    counts: read.counts,
    problems: read.problems,
    locks: ['households', 'grids'],
    async plan(q) {
      const units = await loadHouseholdPositions(q);
      const { plan, gridIndex, problems } = planGridShapes(await loadStoredGrids(q), read.grids, units);
      refuseIf(file, problems, read.counts, false);
      const totals = await householdTotals(q);
      // The grids as written: ids in file order.
      const after: TotalsGrid[] = read.grids.map((g, i) => ({ ...g, id: i + 1 }));
      const replaced: number[] = [];
      for (let i = 0; i < gridIndex.length; i++) if (gridIndex[i]! >= 0 && read.grids[gridIndex[i]!]!.households !== null) replaced.push(units.id[i]!);
      const spread = anyTotals(read.grids) ? await planGridTotals(q, after, replaced, totals) : undefined;
      return {
        grids: plan,
        none: false,
        ...withTotals(spread, totals),
        async write(tx) {
          if (spread) await deleteReplacedUnits(tx, spread);
          await writeGridShapes(tx, city.cityCode, read.grids, units, gridIndex);
          if (spread) await insertSpreadUnits(tx, file, city.cityCode, spread);
          return 'replaced';
        },
      };
    },
  };
}

export async function gridAttributesUpdate(q: Queryable, file: string, table: Table, city: StoredCity): Promise<TableUpdate> {
  const stored = await loadStoredGrids(q);
  const checked = checkGridAttributeRows(table, new Set(stored.map((g) => g.code)));
  return {
    counts: checked.counts,
    problems: checked.problems,
    locks: ['households', 'grids'],
    async plan(q2) {
      const grids = await loadStoredGrids(q2);
      const { plan, next } = planGridAttributes(grids, checked.grids, await unitsPerGrid(q2));
      const totals = await householdTotals(q2);
      let spread: GridTotalsPlan | undefined;
      if (checked.grids.some((g) => g.households !== undefined)) {
        // Every stored grid as it will be (attributes changed, totals from its row), so buildings go where the import would put them.
        const nextOf = new Map(next.map((g) => [g.code, g]));
        const rowOf = new Map(checked.grids.map((r) => [r.code, r]));
        const after: TotalsGrid[] = grids.map((g) => ({
          ...(nextOf.get(g.code) ?? g),
          id: g.id,
          households: rowOf.get(g.code)?.households ?? null,
          persons: rowOf.get(g.code)?.persons ?? null,
        }));
        const ids = after.filter((g) => g.households !== null).map((g) => g.id);
        const replaced = await q2.query<{ id: number }>('SELECT id FROM households WHERE grid_id = ANY($1::int[]) ORDER BY id', [ids]);
        spread = await planGridTotals(q2, after, replaced.map((r) => Number(r.id)), totals);
      }
      return {
        grids: plan,
        none: plan.changed.length === 0 && !spread,
        ...withTotals(spread, totals),
        async write(tx) {
          if (spread) await deleteReplacedUnits(tx, spread);
          await writeGridAttributes(tx, city.cityCode, next);
          if (spread) await insertSpreadUnits(tx, file, city.cityCode, spread);
          return 'replaced';
        },
      };
    },
  };
}
