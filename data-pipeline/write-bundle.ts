/**
 * Stores an ImportBundle, replacing the previous city, in ONE transaction:
 * if anything fails (or the process is killed) PostgreSQL rolls back and the
 * data that was there before is still there, whole. Rows go in batches through
 * unnest() over bound array parameters: one round trip per few thousand rows,
 * the same SQL on both backends, no string-built values.
 */
import type { Database, Queryable } from '../server/db/database.ts';
import { bumpDataVersion } from '../server/db/data-state.ts';
import { EwkbBatch, EWKB_SLICE } from '../server/db/ewkb.ts';
import type { AdminUnit, ImportBundle } from './import-bundle.ts';

/** Rows per INSERT: large enough to amortise round trips, small enough for PGlite's message size. */
const BATCH = 5000;

export type WriteProgress = (table: string, done: number, total: number) => void;

export interface WriteResult {
  version: string;
  counts: Record<string, number>;
}

/** Tables the import replaces, children first so TRUNCATE order never matters. */
const REPLACED_TABLES = ['households', 'grids', 'centers', 'walk_edges', 'walk_nodes', 'buildings', 'water', 'admin_units'];

async function insertBatches(
  tx: Queryable,
  table: string,
  total: number,
  sql: string,
  columns: (from: number, to: number) => unknown[],
  progress?: WriteProgress,
): Promise<void> {
  // The next batch's parameters are built while the server inserts this one:
  // the query is on the wire before `columns` runs again.
  let params = total > 0 ? columns(0, Math.min(total, BATCH)) : undefined;
  for (let from = 0; from < total; from += BATCH) {
    const to = Math.min(total, from + BATCH);
    const inserting = tx.query(sql, params);
    params = to < total ? columns(to, Math.min(total, to + BATCH)) : undefined;
    await inserting;
    progress?.(table, to, total);
  }
  if (total === 0) progress?.(table, 0, 0);
}

/** A batch's geometries as the three parameters EWKB_SLICE reads: bytes, offsets, lengths. */
function slices(batch: EwkbBatch, from: number, to: number): unknown[] {
  const { bytes, offsets, lengths } = batch.take(from, to);
  return [bytes, offsets, lengths];
}

/** Same, with other parameters between the bytes and the offsets. */
function withSlices(batch: EwkbBatch, from: number, to: number, between: unknown[]): unknown[] {
  const { bytes, offsets, lengths } = batch.take(from, to);
  return [bytes, ...between, offsets, lengths];
}

/** A catalog name as a SQL identifier. */
function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function range(from: number, to: number, f: (i: number) => unknown): unknown[] {
  const out = new Array(to - from);
  for (let i = from; i < to; i++) out[i - from] = f(i);
  return out;
}

export async function writeBundleIn(tx: Queryable, bundle: ImportBundle, progress?: WriteProgress): Promise<WriteResult> {
  // Whitelisted identifiers only: the table list is a constant above.
  await tx.exec(`TRUNCATE ${REPLACED_TABLES.join(', ')}`);
  // Spatial indexes are rebuilt once after the load instead of being updated
  // row by row: about twice as fast for a whole city. (Plain b-tree indexes
  // are cheaper to keep than to rebuild.) Their definitions come from the
  // catalog, so the migrations stay the one place that defines them.
  const spatialIndexes = await tx.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes
     WHERE schemaname = current_schema() AND tablename = ANY($1::text[]) AND indexdef ILIKE '% USING gist %'`,
    [REPLACED_TABLES],
  );
  for (const index of spatialIndexes) await tx.exec(`DROP INDEX ${quoteIdent(index.indexname)}`);

  const admin: AdminUnit[] = [
    { code: bundle.city.code, level: 'city', name: bundle.city.name, parentCode: null, geom: null },
    ...bundle.admin,
  ];
  // Parents before children: the foreign key checks each row as it goes in.
  const levelOrder = { city: 0, district: 1, street: 2, community: 3 } as const;
  admin.sort((a, b) => levelOrder[a.level] - levelOrder[b.level]);
  const adminGeoms = new EwkbBatch();
  for (const unit of admin) unit.geom ? adminGeoms.multiPolygon(unit.geom) : adminGeoms.none();
  await insertBatches(
    tx,
    'admin_units',
    admin.length,
    `INSERT INTO admin_units (code, level, name, parent_code, geom)
     SELECT c, lv, n, p, ${EWKB_SLICE('$5')} FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $6::int[], $7::int[]) AS t(c, lv, n, p, o, l)`,
    (a, b) => [
      range(a, b, (i) => admin[i]!.code),
      range(a, b, (i) => admin[i]!.level),
      range(a, b, (i) => admin[i]!.name),
      range(a, b, (i) => admin[i]!.parentCode),
      ...slices(adminGeoms, a, b),
    ],
    progress,
  );

  const grids = bundle.grids;
  const gridGeoms = new EwkbBatch();
  for (const g of grids) gridGeoms.multiPolygon(g.geom);
  await insertBatches(
    tx,
    'grids',
    grids.length,
    `INSERT INTO grids (id, code, name, city_code, district_code, street_code, community_code, officers, geom)
     SELECT id, c, n, $9, d, s, cm, officers, ${EWKB_SLICE('$8')}
     FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $10::int[], $11::int[])
       AS t(id, c, n, d, s, cm, officers, o, l)`,
    (a, b) => [
      range(a, b, (i) => i + 1),
      range(a, b, (i) => grids[i]!.code),
      range(a, b, (i) => grids[i]!.name),
      range(a, b, (i) => grids[i]!.districtCode),
      range(a, b, (i) => grids[i]!.streetCode),
      range(a, b, (i) => grids[i]!.communityCode),
      range(a, b, (i) => grids[i]!.officers),
      ...withSlices(gridGeoms, a, b, [bundle.city.code]),
    ],
    progress,
  );

  const centers = bundle.centers;
  await insertBatches(
    tx,
    'centers',
    centers.length,
    `INSERT INTO centers (id, name, kind, services, source, source_id, geom)
     SELECT id, n, k, COALESCE(string_to_array(NULLIF(s, ''), '|'), '{}'), src, sid, ST_SetSRID(ST_MakePoint(x, y), 4326)
     FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[]) AS t(id, n, k, s, src, sid, x, y)`,
    (a, b) => [
      range(a, b, (i) => i + 1),
      range(a, b, (i) => centers[i]!.name),
      range(a, b, (i) => centers[i]!.kind),
      range(a, b, (i) => centers[i]!.services.join('|')),
      range(a, b, (i) => centers[i]!.source),
      range(a, b, (i) => centers[i]!.sourceId),
      range(a, b, (i) => centers[i]!.lon),
      range(a, b, (i) => centers[i]!.lat),
    ],
    progress,
  );

  const h = bundle.households;
  for (let i = 0; i < h.count; i++) {
    const g = h.gridIndex[i]!;
    if (!(g >= 0 && g < grids.length)) throw new Error(`household unit ${h.sourceIds[i] || i} has no grid (grid index ${g})`);
  }
  // The chain is copied from each unit's grid here rather than joined in SQL: a
  // join per batch costs more than the arrays.
  const chain = (i: number, key: 'districtCode' | 'streetCode' | 'communityCode') => grids[h.gridIndex[i]!]![key];
  // Points travel as EWKB like every other geometry: parsing two float8[]
  // elements per row costs the server more than slicing one bytea.
  const householdPoints = new EwkbBatch();
  for (let i = 0; i < h.count; i++) householdPoints.point(h.lon[i]!, h.lat[i]!);
  await insertBatches(
    tx,
    'households',
    h.count,
    `INSERT INTO households (id, households, persons, grid_id, city_code, district_code, street_code, community_code, source, source_id, geom)
     SELECT id, hh, NULLIF(p, -1), gi, $10, d, s, c, $11, sid, ${EWKB_SLICE('$9')}
     FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $12::int[], $13::int[])
       AS t(id, hh, p, gi, d, s, c, sid, o, l)`,
    (a, b) => [
      range(a, b, (i) => i + 1),
      Array.from(h.households.subarray(a, b)),
      Array.from(h.persons.subarray(a, b)),
      range(a, b, (i) => h.gridIndex[i]! + 1),
      range(a, b, (i) => chain(i, 'districtCode')),
      range(a, b, (i) => chain(i, 'streetCode')),
      range(a, b, (i) => chain(i, 'communityCode')),
      range(a, b, (i) => h.sourceIds[i] || null),
      ...withSlices(householdPoints, a, b, [bundle.city.code, h.source]),
    ],
    progress,
  );

  const net = bundle.network;
  const edgeGeoms = new EwkbBatch();
  for (let e = 0; e < net.edgeCount; e++) edgeGeoms.lineFromFlat(net.coords, net.geomOffset[e]!, net.geomOffset[e + 1]!);
  const nodePoints = new EwkbBatch();
  for (let i = 0; i < net.nodeCount; i++) nodePoints.point(net.nodeLon[i]!, net.nodeLat[i]!);
  await insertBatches(
    tx,
    'walk_nodes',
    net.nodeCount,
    `INSERT INTO walk_nodes (id, osm_id, geom)
     SELECT id, NULLIF(osm, -1), ${EWKB_SLICE('$3')}
     FROM unnest($1::int[], $2::bigint[], $4::int[], $5::int[]) AS t(id, osm, o, l)`,
    (a, b) => [range(a, b, (i) => i), Array.from(net.nodeOsmId.subarray(a, b)), ...slices(nodePoints, a, b)],
    progress,
  );
  await insertBatches(
    tx,
    'walk_edges',
    net.edgeCount,
    `INSERT INTO walk_edges (id, source, target, cost, reverse_cost, length_m, class, osm_id, geom)
     SELECT id, s, t, c, rc, len, cl, NULLIF(osm, -1), ${EWKB_SLICE('$9')}
     FROM unnest($1::int[], $2::int[], $3::int[], $4::float8[], $5::float8[], $6::float8[], $7::text[], $8::bigint[], $10::int[], $11::int[])
       AS t(id, s, t, c, rc, len, cl, osm, o, l)`,
    (a, b) => [
      range(a, b, (i) => i + 1),
      Array.from(net.source.subarray(a, b)),
      Array.from(net.target.subarray(a, b)),
      Array.from(net.cost.subarray(a, b)),
      Array.from(net.reverseCost.subarray(a, b)),
      Array.from(net.lengthM.subarray(a, b)),
      range(a, b, (i) => net.classNames[net.classIndex[i]!]),
      Array.from(net.edgeOsmId.subarray(a, b)),
      ...slices(edgeGeoms, a, b),
    ],
    progress,
  );

  const buildings = bundle.buildings;
  const buildingGeoms = new EwkbBatch();
  for (const b of buildings) buildingGeoms.multiPolygon(b.geom);
  await insertBatches(
    tx,
    'buildings',
    buildings.length,
    `INSERT INTO buildings (id, kind, levels, geom)
     SELECT id, k, lv, ${EWKB_SLICE('$4')} FROM unnest($1::int[], $2::text[], $3::real[], $5::int[], $6::int[]) AS t(id, k, lv, o, l)`,
    (a, b) => [
      range(a, b, (i) => i + 1),
      range(a, b, (i) => buildings[i]!.kind),
      range(a, b, (i) => buildings[i]!.levels),
      ...slices(buildingGeoms, a, b),
    ],
    progress,
  );

  const water = bundle.water;
  const waterGeoms = new EwkbBatch();
  for (const w of water) w.geom.type === 'MultiPolygon' ? waterGeoms.multiPolygon(w.geom.coordinates) : waterGeoms.line(w.geom.coordinates);
  await insertBatches(
    tx,
    'water',
    water.length,
    `INSERT INTO water (id, kind, name, geom)
     SELECT id, k, n, ${EWKB_SLICE('$4')} FROM unnest($1::int[], $2::text[], $3::text[], $5::int[], $6::int[]) AS t(id, k, n, o, l)`,
    (a, b) => [
      range(a, b, (i) => i + 1),
      range(a, b, (i) => water[i]!.kind),
      range(a, b, (i) => water[i]!.name),
      ...slices(waterGeoms, a, b),
    ],
    progress,
  );

  progress?.('spatial indexes', 0, spatialIndexes.length);
  for (const index of spatialIndexes) await tx.exec(index.indexdef);
  progress?.('spatial indexes', spatialIndexes.length, spatialIndexes.length);
  // No ANALYZE here: it costs more than all the inserts of a small city, and
  // autovacuum analyzes tables this changed soon after the commit.

  const version = await bumpDataVersion(tx, { city: bundle.city.name, source: bundle.source });
  return {
    version,
    counts: {
      admin_units: admin.length,
      grids: grids.length,
      centers: centers.length,
      households: h.count,
      walk_nodes: net.nodeCount,
      walk_edges: net.edgeCount,
      buildings: buildings.length,
      water: water.length,
    },
  };
}

/** Replaces the stored city with the bundle in one transaction; returns the new data version. */
export function writeBundle(db: Database, bundle: ImportBundle, progress?: WriteProgress): Promise<WriteResult> {
  return db.transaction((tx) => writeBundleIn(tx, bundle, progress));
}
