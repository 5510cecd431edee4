/**
 * What coverage needs from the database, loaded once per walk graph into
 * typed arrays: household units (position, household count, grid), grids
 * (codes, names, extent), the admin units' names, and the centers. The
 * roll-up levels are resolved here too: each household gets a unit index per
 * level, so a roll-up is one pass over typed arrays. The coverage values the
 * tables hold now (what the last write-back stored) come with the same read,
 * apart from the data: they are the write-back's memory (coverage-writer.ts).
 */
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { byteaBytes, PackedReader } from '../db/packed-rows.ts';

/** The levels every statistic rolls up to, top down (units below grid are the households themselves). */
export const LEVELS = ['city', 'district', 'street', 'community', 'grid'] as const;
export type Level = (typeof LEVELS)[number];

export interface HouseholdData {
  count: number;
  id: Int32Array;
  /** Households in the unit (the unit is a building or address). */
  households: Int32Array;
  /** Persons in the unit where the data knows them; -1 where it does not. */
  persons: Int32Array;
  /** Index into GridData of the unit's grid; -1 if its grid is missing. */
  gridIndex: Int32Array;
  lon: Float64Array;
  lat: Float64Array;
}

export interface GridData {
  count: number;
  id: Int32Array;
  code: string[];
  name: string[];
  /** minLon, minLat, maxLon, maxLat per grid. */
  bbox: Float64Array;
}

/**
 * The coverage columns as the tables hold them now, indexed like the data
 * (NULL as NaN or -1), so a write-back sends only the rows that change.
 */
export interface StoredCoverage {
  /** Per household unit: walk_seconds and nearest_center_id. */
  seconds: Float32Array;
  center: Int32Array;
  /** Per grid: households_total, covered_5/10/15, coverage_share_15. */
  gridTotal: Int32Array;
  gridCovered: [Int32Array, Int32Array, Int32Array];
  gridShare: Float32Array;
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
  /** Where each came from (osm, demo, api, ...). */
  source: string[];
  lon: Float64Array;
  lat: Float64Array;
  /** The distinct kinds, sorted. */
  kinds: string[];
}

const UNASSIGNED = '(unassigned)';

interface ChainRow {
  city_code: string;
  district_code: string | null;
  street_code: string | null;
  community_code: string | null;
  /** The chain's unit ids, packed int4. */
  ids: unknown;
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
function levelUnits(
  level: Level,
  chains: ChainRow[],
  chainOf: Int32Array,
  key: 'city_code' | 'district_code' | 'street_code' | 'community_code',
  admin: { code: string; level: string; name: string }[],
): LevelUnits {
  const codes: (string | null)[] = [];
  const names: string[] = [];
  const index = new Map<string | null, number>();
  const add = (code: string | null, name: string) => {
    index.set(code, codes.length);
    codes.push(code);
    names.push(name);
    return codes.length - 1;
  };
  for (const unit of admin) if (unit.level === level && !index.has(unit.code)) add(unit.code, unit.name);
  const unitOfChain = chains.map((chain) => {
    const code = chain[key] ?? null;
    return index.get(code) ?? add(code, code ?? UNASSIGNED);
  });
  const unitOf = new Int32Array(chainOf.length);
  for (let i = 0; i < chainOf.length; i++) unitOf[i] = unitOfChain[chainOf[i]!]!;
  return { level, codes, names, unitOf };
}

/** id -> row index for ids sorted ascending: arithmetic when dense, else a map. */
function unitIndexer(ids: Int32Array): (id: number) => number {
  const n = ids.length;
  if (n === 0 || ids[n - 1]! - ids[0]! === n - 1) {
    const first = n > 0 ? ids[0]! : 0;
    return (id) => id - first;
  }
  const map = new Map<number, number>();
  ids.forEach((id, i) => map.set(id, i));
  return (id) => map.get(id)!;
}

/** Loads households, grids and admin names, and the stored coverage columns, in one consistent snapshot. */
export async function loadCoverageData(db: Database): Promise<{ data: CoverageData; stored: StoredCoverage }> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const [state] = await tx.query<{ version: string }>('SELECT version FROM data_state WHERE id = 1');
    const admin = await tx.query<{ code: string; level: string; name: string }>('SELECT code, level, name FROM admin_units ORDER BY code');
    const gridRows = await tx.query<GridRow>(
      `SELECT id, code, name, ST_XMin(geom) AS x0, ST_YMin(geom) AS y0, ST_XMax(geom) AS x1, ST_YMax(geom) AS y1,
              households_total, covered_5, covered_10, covered_15, coverage_share_15
       FROM grids ORDER BY id`,
    );
    // Household units as one packed bytea (packed-rows.ts): 100k rows without 100k objects.
    const [packed] = await tx.query<{ n: number; rows: unknown }>(
      `SELECT count(*)::int AS n,
              string_agg(int4send(id) || int4send(households) || int4send(COALESCE(persons, -1)) || int4send(grid_id) || float8send(ST_X(geom)) || float8send(ST_Y(geom))
                         || float4send(COALESCE(walk_seconds, 'NaN'::real)) || int4send(COALESCE(nearest_center_id, -1)), ''::bytea ORDER BY id) AS rows
       FROM households`,
    );
    // Chain codes per distinct chain (a few hundred), with the ids of its units packed.
    const chains = await tx.query<ChainRow>(
      `SELECT city_code, district_code, street_code, community_code, string_agg(int4send(id), ''::bytea) AS ids
       FROM households GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    );
    const g = gridRows.length;
    const grids: GridData = {
      count: g,
      id: new Int32Array(g),
      code: [],
      name: [],
      bbox: new Float64Array(4 * g),
    };
    const n = packed!.n;
    const stored: StoredCoverage = {
      seconds: new Float32Array(n),
      center: new Int32Array(n),
      gridTotal: new Int32Array(g),
      gridCovered: [new Int32Array(g), new Int32Array(g), new Int32Array(g)],
      gridShare: new Float32Array(g),
    };
    const gridIndexById = new Map<number, number>();
    gridRows.forEach((row, i) => {
      grids.id[i] = row.id;
      grids.code.push(row.code);
      grids.name.push(row.name);
      grids.bbox.set([row.x0, row.y0, row.x1, row.y1], 4 * i);
      stored.gridTotal[i] = row.households_total ?? -1;
      stored.gridCovered[0][i] = row.covered_5 ?? -1;
      stored.gridCovered[1][i] = row.covered_10 ?? -1;
      stored.gridCovered[2][i] = row.covered_15 ?? -1;
      stored.gridShare[i] = row.coverage_share_15 ?? NaN;
      gridIndexById.set(row.id, i);
    });

    const households: HouseholdData = {
      count: n,
      id: new Int32Array(n),
      households: new Int32Array(n),
      persons: new Int32Array(n),
      gridIndex: new Int32Array(n),
      lon: new Float64Array(n),
      lat: new Float64Array(n),
    };
    const reader = new PackedReader(byteaBytes(packed!.rows));
    for (let i = 0; i < n; i++) {
      households.id[i] = reader.int32();
      households.households[i] = reader.int32();
      households.persons[i] = reader.int32();
      households.gridIndex[i] = gridIndexById.get(reader.int32()) ?? -1;
      households.lon[i] = reader.float64();
      households.lat[i] = reader.float64();
      stored.seconds[i] = reader.float32();
      stored.center[i] = reader.int32();
    }

    // Unit index per level from the chains: each chain's units get its codes' units.
    const indexOfId = unitIndexer(households.id);
    const chainOf = new Int32Array(n);
    chains.forEach((chain, c) => {
      const ids = new PackedReader(byteaBytes(chain.ids));
      while (!ids.done) chainOf[indexOfId(ids.int32())] = c;
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
      city: levelUnits('city', chains, chainOf, 'city_code', admin),
      district: levelUnits('district', chains, chainOf, 'district_code', admin),
      street: levelUnits('street', chains, chainOf, 'street_code', admin),
      community: levelUnits('community', chains, chainOf, 'community_code', admin),
      grid: { level: 'grid', codes: gridCodes, names: gridNames, unitOf: gridUnitOf },
    };
    return { data: { version: state?.version ?? 'empty', households, grids, levels }, stored };
  });
}

/** The centers and the data version they were read at, in one snapshot. */
export async function loadCentersAt(db: Database): Promise<{ version: string | undefined; centers: CenterData }> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const [row] = await tx.query<{ version: string }>('SELECT version FROM data_state WHERE id = 1');
    return { version: row?.version, centers: await loadCenters(tx) };
  });
}

/** Loads the centers (all kinds). */
export async function loadCenters(db: Queryable): Promise<CenterData> {
  const rows = await db.query<{ id: number; name: string; kind: string; services: string[] | null; source: string; x: number; y: number }>(
    'SELECT id, name, kind, services, source, ST_X(geom) AS x, ST_Y(geom) AS y FROM centers ORDER BY id',
  );
  const n = rows.length;
  const centers: CenterData = {
    count: n,
    id: new Int32Array(n),
    name: [],
    kind: [],
    services: [],
    source: [],
    lon: new Float64Array(n),
    lat: new Float64Array(n),
    kinds: [],
  };
  rows.forEach((row, i) => {
    centers.id[i] = row.id;
    centers.name.push(row.name);
    centers.kind.push(row.kind);
    centers.services.push(row.services ?? []);
    centers.source.push(row.source);
    centers.lon[i] = row.x;
    centers.lat[i] = row.y;
  });
  centers.kinds = [...new Set(centers.kind)].sort();
  return centers;
}
