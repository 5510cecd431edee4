/**
 * What coverage needs from the database, loaded once per data version into
 * typed arrays: household units (position, household count, grid, and the
 * coverage values last written back), grids (chain codes, extent, stored
 * roll-up), the admin units' names, and the centers. The roll-up levels are
 * resolved here too: each household gets a unit index per level, so a
 * roll-up is one pass over typed arrays.
 */
import type { Database, Queryable } from '../db/database.ts';

/** The levels every statistic rolls up to, top down (units below grid are the households themselves). */
export const LEVELS = ['city', 'district', 'street', 'community', 'grid'] as const;
export type Level = (typeof LEVELS)[number];

export interface HouseholdData {
  count: number;
  id: Int32Array;
  /** Households in the unit (the unit is a building or address). */
  households: Int32Array;
  /** Index into GridData of the unit's grid; -1 if its grid is missing. */
  gridIndex: Int32Array;
  lon: Float64Array;
  lat: Float64Array;
  /** walk_seconds / nearest_center_id as stored now (NaN / -1 for NULL), so write-back skips unchanged rows. */
  storedSeconds: Float32Array;
  storedCenter: Int32Array;
}

export interface GridData {
  count: number;
  id: Int32Array;
  code: string[];
  name: string[];
  /** minLon, minLat, maxLon, maxLat per grid. */
  bbox: Float64Array;
  /** Stored roll-up columns (-1 / NaN for NULL): households_total, covered_5/10/15, coverage_share_15. */
  storedTotal: Int32Array;
  storedCovered: [Int32Array, Int32Array, Int32Array];
  storedShare: Float32Array;
}

/** The units of one level and which unit each household belongs to. */
export interface LevelUnits {
  level: Level;
  /** Unit codes; null for households the data does not place at this level. */
  codes: (string | null)[];
  names: string[];
  /** Per household: index into codes. */
  unitOf: Int32Array;
}

export interface CoverageData {
  version: string;
  households: HouseholdData;
  grids: GridData;
  levels: Record<Level, LevelUnits>;
}

export interface CenterData {
  count: number;
  id: Int32Array;
  name: string[];
  kind: string[];
  services: string[][];
  lon: Float64Array;
  lat: Float64Array;
  /** The distinct kinds, sorted. */
  kinds: string[];
}

const UNASSIGNED = '(unassigned)';

interface HouseholdRow {
  id: number;
  households: number;
  grid_id: number;
  city_code: string;
  district_code: string | null;
  street_code: string | null;
  community_code: string | null;
  x: number;
  y: number;
  walk_seconds: number | null;
  nearest_center_id: number | null;
}

interface GridRow {
  id: number;
  code: string;
  name: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  households_total: number | null;
  covered_5: number | null;
  covered_10: number | null;
  covered_15: number | null;
  coverage_share_15: number | null;
}

/** Groups households by one chain code; units are the admin units of the level plus any unknown codes. */
function levelUnits(level: Level, rows: HouseholdRow[], key: keyof HouseholdRow, admin: { code: string; level: string; name: string }[]): LevelUnits {
  const codes: (string | null)[] = [];
  const names: string[] = [];
  const index = new Map<string | null, number>();
  const add = (code: string | null, name: string) => {
    if (index.has(code)) return index.get(code)!;
    index.set(code, codes.length);
    codes.push(code);
    names.push(name);
    return codes.length - 1;
  };
  for (const unit of admin) if (unit.level === level) add(unit.code, unit.name);
  const unitOf = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const code = (rows[i]![key] as string | null) ?? null;
    unitOf[i] = index.get(code) ?? add(code, code ?? UNASSIGNED);
  }
  return { level, codes, names, unitOf };
}

/** Loads households, grids and admin names in one consistent snapshot. */
export async function loadCoverageData(db: Database): Promise<CoverageData> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const [state] = await tx.query<{ version: string }>('SELECT version FROM data_state WHERE id = 1');
    const admin = await tx.query<{ code: string; level: string; name: string }>('SELECT code, level, name FROM admin_units ORDER BY code');
    const gridRows = await tx.query<GridRow>(
      `SELECT id, code, name, ST_XMin(geom) AS x0, ST_YMin(geom) AS y0, ST_XMax(geom) AS x1, ST_YMax(geom) AS y1,
              households_total, covered_5, covered_10, covered_15, coverage_share_15
       FROM grids ORDER BY id`,
    );
    const rows = await tx.query<HouseholdRow>(
      `SELECT id, households, grid_id, city_code, district_code, street_code, community_code,
              ST_X(geom) AS x, ST_Y(geom) AS y, walk_seconds, nearest_center_id
       FROM households ORDER BY id`,
    );

    const g = gridRows.length;
    const grids: GridData = {
      count: g,
      id: new Int32Array(g),
      code: [],
      name: [],
      bbox: new Float64Array(4 * g),
      storedTotal: new Int32Array(g),
      storedCovered: [new Int32Array(g), new Int32Array(g), new Int32Array(g)],
      storedShare: new Float32Array(g),
    };
    const gridIndexById = new Map<number, number>();
    gridRows.forEach((row, i) => {
      grids.id[i] = row.id;
      grids.code.push(row.code);
      grids.name.push(row.name);
      grids.bbox.set([row.x0, row.y0, row.x1, row.y1], 4 * i);
      grids.storedTotal[i] = row.households_total ?? -1;
      grids.storedCovered[0][i] = row.covered_5 ?? -1;
      grids.storedCovered[1][i] = row.covered_10 ?? -1;
      grids.storedCovered[2][i] = row.covered_15 ?? -1;
      grids.storedShare[i] = row.coverage_share_15 ?? NaN;
      gridIndexById.set(row.id, i);
    });

    const n = rows.length;
    const households: HouseholdData = {
      count: n,
      id: new Int32Array(n),
      households: new Int32Array(n),
      gridIndex: new Int32Array(n),
      lon: new Float64Array(n),
      lat: new Float64Array(n),
      storedSeconds: new Float32Array(n),
      storedCenter: new Int32Array(n),
    };
    rows.forEach((row, i) => {
      households.id[i] = row.id;
      households.households[i] = row.households;
      households.gridIndex[i] = gridIndexById.get(row.grid_id) ?? -1;
      households.lon[i] = row.x;
      households.lat[i] = row.y;
      households.storedSeconds[i] = row.walk_seconds ?? NaN;
      households.storedCenter[i] = row.nearest_center_id ?? -1;
    });

    // Grid level: every grid is a unit (empty ones too), in id order.
    const gridUnitOf = new Int32Array(n);
    const gridCodes: (string | null)[] = [...grids.code];
    const gridNames = [...grids.name];
    for (let i = 0; i < n; i++) {
      let k = households.gridIndex[i]!;
      if (k < 0) {
        k = gridCodes.indexOf(null);
        if (k < 0) {
          k = gridCodes.length;
          gridCodes.push(null);
          gridNames.push(UNASSIGNED);
        }
      }
      gridUnitOf[i] = k;
    }
    const levels: Record<Level, LevelUnits> = {
      city: levelUnits('city', rows, 'city_code', admin),
      district: levelUnits('district', rows, 'district_code', admin),
      street: levelUnits('street', rows, 'street_code', admin),
      community: levelUnits('community', rows, 'community_code', admin),
      grid: { level: 'grid', codes: gridCodes, names: gridNames, unitOf: gridUnitOf },
    };
    return { version: state?.version ?? 'empty', households, grids, levels };
  });
}

/** Loads the centers (all kinds). */
export async function loadCenters(db: Queryable): Promise<CenterData> {
  const rows = await db.query<{ id: number; name: string; kind: string; services: string[] | null; x: number; y: number }>(
    'SELECT id, name, kind, services, ST_X(geom) AS x, ST_Y(geom) AS y FROM centers ORDER BY id',
  );
  const n = rows.length;
  const centers: CenterData = {
    count: n,
    id: new Int32Array(n),
    name: [],
    kind: [],
    services: [],
    lon: new Float64Array(n),
    lat: new Float64Array(n),
    kinds: [],
  };
  rows.forEach((row, i) => {
    centers.id[i] = row.id;
    centers.name.push(row.name);
    centers.kind.push(row.kind);
    centers.services.push(row.services ?? []);
    centers.lon[i] = row.x;
    centers.lat[i] = row.y;
  });
  centers.kinds = [...new Set(centers.kind)].sort();
  return centers;
}
