/**
 * Grids updated alone, two ways:
 * - shapes (a GeoJSON of polygons with codes): the grids are replaced by the
 *   file's, and every stored household unit is put into the new grid that
 *   contains it (the full import's rule) with that grid's chain. A unit in
 *   none of them stops the update (named): units are never dropped.
 * - attributes (a CSV or sheet keyed by code): the named grids' name,
 *   officers and parent chain change in place; units in a grid whose chain
 *   changes take the new chain, so roll-ups follow.
 * Either way the walk network, centers and the units' positions and counts
 * stay as they are.
 */
import type { Queryable } from '../../kernel/db/database.ts';
import type { GridRow, MultiPolygonCoords } from '../../kernel/import-bundle.ts';
import { assignWithEdges } from './grid-edges.ts';
import type { GridAttributes } from '../inputs/grid-attribute-rows.ts';
import type { RowProblem } from '../inputs/row-problems.ts';
import { copyRows, GRIDS } from '../write-bundle.ts';
import { addMissingAdminUnits } from './admin-chain.ts';
import type { HouseholdPositions, StoredGrid } from './stored-city.ts';

export interface GridPlan {
  mode: 'shapes' | 'attributes';
  before: number;
  after: number;
  /** Codes of grids the file adds and removes (shapes only). */
  added: string[];
  removed: string[];
  /** Grids kept whose fields change: name, officers, community_code, street_code, district_code, shape. */
  changed: { code: string; fields: string[] }[];
  unchanged: number;
  /** Household units that move to another grid (shapes) or take a new chain (attributes). */
  unitsChanged: number;
}

/** Vertices closer than this (degrees, ~1 mm) are the same: ST_AsGeoJSON gives 9 decimals. */
const SAME_VERTEX_DEG = 1e-8;

function sameShape(a: MultiPolygonCoords, b: MultiPolygonCoords): boolean {
  return a.length === b.length && a.every((poly, i) =>
    poly.length === b[i]!.length && poly.every((ring, j) =>
      ring.length === b[i]![j]!.length && ring.every((p, k) => Math.abs(p[0] - b[i]![j]![k]![0]) < SAME_VERTEX_DEG && Math.abs(p[1] - b[i]![j]![k]![1]) < SAME_VERTEX_DEG)));
}

const CHAIN = [['communityCode', 'community_code'], ['streetCode', 'street_code'], ['districtCode', 'district_code']] as const;

function changedFields(old: GridRow, next: GridRow): string[] {
  const fields: string[] = [];
  if (old.name !== next.name) fields.push('name');
  if (old.officers !== next.officers) fields.push('officers');
  for (const [key, column] of CHAIN) if (old[key] !== next[key]) fields.push(column);
  return fields;
}

export interface ShapesPlan {
  plan: GridPlan;
  /** Per stored unit (in `units` order): index into the file's grids. */
  gridIndex: Int32Array;
  problems: RowProblem[];
}

/** How many units in no new grid are named one by one; the rest are counted. */
const LISTED_UNITS = 20;

export function planGridShapes(stored: readonly StoredGrid[], grids: GridRow[], units: HouseholdPositions): ShapesPlan {
  const gridIndex = assignWithEdges(grids, units.lon, units.lat);
  const problems: RowProblem[] = [];
  const oldCode = new Map(stored.map((g) => [g.id, g.code]));
  let moved = 0;
  let outside = 0;
  for (let i = 0; i < gridIndex.length; i++) {
    const g = gridIndex[i]!;
    if (g < 0) {
      if (outside++ < LISTED_UNITS) {
        problems.push({ row: 0, where: `stored household unit ${units.sourceId[i]}`, problem: `(${units.lon[i]!.toFixed(6)}, ${units.lat[i]!.toFixed(6)}) is in no grid of the file; every unit must stay in a grid` });
      }
    } else if (grids[g]!.code !== oldCode.get(units.gridId[i]!)) moved++;
  }
  if (outside > LISTED_UNITS) problems.push({ row: 0, where: 'stored household units', problem: `${outside - LISTED_UNITS} more units are in no grid of the file` });
  const byCode = new Map(stored.map((g) => [g.code, g]));
  const fileCodes = new Set(grids.map((g) => g.code));
  const plan: GridPlan = { mode: 'shapes', before: stored.length, after: grids.length, added: [], removed: [], changed: [], unchanged: 0, unitsChanged: moved };
  for (const g of grids) {
    const old = byCode.get(g.code);
    if (!old) {
      plan.added.push(g.code);
      continue;
    }
    const fields = changedFields(old, g);
    if (!sameShape(old.geom, g.geom)) fields.push('shape');
    if (fields.length > 0) plan.changed.push({ code: g.code, fields });
    else plan.unchanged++;
  }
  plan.removed = stored.filter((g) => !fileCodes.has(g.code)).map((g) => g.code);
  return { plan, gridIndex, problems };
}

/** Replaces the grids and moves every unit into its new grid (in the update's transaction). */
export async function writeGridShapes(tx: Queryable, cityCode: string, grids: readonly GridRow[], units: HouseholdPositions, gridIndex: Int32Array): Promise<void> {
  // DELETE, not TRUNCATE: a running server keeps reading the old grids until the commit.
  await tx.query('DELETE FROM grids');
  await copyRows(tx, GRIDS, grids.length, (row, i) => {
    const g = grids[i]!;
    row.int4(i + 1).text(g.code).text(g.name).text(cityCode).text(g.districtCode).text(g.streetCode).text(g.communityCode);
    row.int4(g.officers).multiPolygon(g.geom);
  });
  await tx.query(
    `UPDATE households h SET grid_id = g.id, district_code = g.district_code, street_code = g.street_code, community_code = g.community_code
     FROM unnest($1::int[], $2::int[]) AS u(id, grid) JOIN grids g ON g.id = u.grid
     WHERE h.id = u.id`,
    [[...units.id], Array.from(gridIndex, (g) => g + 1)],
  );
  await addMissingAdminUnits(tx, cityCode, grids);
}

export function planGridAttributes(stored: readonly StoredGrid[], rows: readonly GridAttributes[], unitsPerGrid: ReadonlyMap<number, number>): { plan: GridPlan; next: GridRow[] } {
  const byCode = new Map(stored.map((g) => [g.code, g]));
  const plan: GridPlan = { mode: 'attributes', before: stored.length, after: stored.length, added: [], removed: [], changed: [], unchanged: 0, unitsChanged: 0 };
  const next: GridRow[] = [];
  for (const row of rows) {
    const old = byCode.get(row.code)!;
    const g: GridRow = {
      ...old,
      name: row.name ?? old.name,
      officers: row.officers ?? old.officers,
      communityCode: row.communityCode ?? old.communityCode,
      streetCode: row.streetCode ?? old.streetCode,
      districtCode: row.districtCode ?? old.districtCode,
    };
    const fields = changedFields(old, g);
    if (fields.length === 0) {
      plan.unchanged++;
      continue;
    }
    plan.changed.push({ code: g.code, fields });
    next.push(g);
    if (fields.some((f) => f.endsWith('_code'))) plan.unitsChanged += unitsPerGrid.get(old.id) ?? 0;
  }
  // Grids the table does not name stay as they are.
  plan.unchanged += stored.length - rows.length;
  return { plan, next };
}

/** Sets the changed grids' attributes and their units' chains (in the update's transaction). */
export async function writeGridAttributes(tx: Queryable, cityCode: string, next: readonly GridRow[]): Promise<void> {
  if (next.length === 0) return;
  const codes = next.map((g) => g.code);
  await tx.query(
    `UPDATE grids g SET name = u.name, officers = u.officers, community_code = u.community, street_code = u.street, district_code = u.district
     FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[]) AS u(code, name, officers, community, street, district)
     WHERE g.code = u.code`,
    [codes, next.map((g) => g.name), next.map((g) => g.officers), next.map((g) => g.communityCode), next.map((g) => g.streetCode), next.map((g) => g.districtCode)],
  );
  await tx.query(
    `UPDATE households h SET district_code = g.district_code, street_code = g.street_code, community_code = g.community_code
     FROM grids g
     WHERE h.grid_id = g.id AND g.code = ANY($1::text[])
       AND (h.district_code IS DISTINCT FROM g.district_code OR h.street_code IS DISTINCT FROM g.street_code OR h.community_code IS DISTINCT FROM g.community_code)`,
    [codes],
  );
  await addMissingAdminUnits(tx, cityCode, next);
}
