/**
 * Stores an ImportBundle, replacing the previous city, in ONE transaction:
 * if anything fails (or the process is killed) PostgreSQL rolls back and the
 * data that was there before is still there, whole. Rows go in as binary
 * COPY (binary-copy.ts), encoded from the bundle's arrays while the server
 * parses the previous chunk: the same bytes on both backends, no values in
 * SQL text. Indexes are set aside for the load and rebuilt after it.
 */
import type { Database, Queryable } from '../kernel/db/database.ts';
import { bumpDataVersion } from '../kernel/db/data-state.ts';
import { announceChange } from '../kernel/change-announcements.ts';
import { BinaryCopyWriter, utf8 } from '../kernel/db/binary-copy.ts';
import { createStatements, dropStatements, indexesToRebuild } from './bulk-load-indexes.ts';
import type { AdminUnit, ImportBundle } from '../kernel/import-bundle.ts';

export type WriteProgress = (table: string, done: number, total: number) => void;

export interface WriteResult {
  version: string;
  counts: Record<string, number>;
}

/** Who announces an import's change: not a server instance, so every instance takes it. */
const IMPORT_ORIGIN = 'import';

/** Tables the import replaces, children first so TRUNCATE order never matters. */
const REPLACED_TABLES = ['households', 'grids', 'centers', 'walk_edges', 'walk_nodes', 'buildings', 'water', 'admin_units'];

/** A table the import fills, and the columns each row's encoder writes, in that order. */
export interface CopyTarget {
  table: string;
  columns: readonly string[];
}

const ADMIN_UNITS: CopyTarget = { table: 'admin_units', columns: ['code', 'level', 'name', 'parent_code', 'geom'] };
export const GRIDS: CopyTarget = {
  table: 'grids',
  columns: ['id', 'code', 'name', 'city_code', 'district_code', 'street_code', 'community_code', 'officers', 'geom'],
};
const CENTERS: CopyTarget = { table: 'centers', columns: ['id', 'name', 'kind', 'services', 'source', 'source_id', 'geom'] };
export const HOUSEHOLDS: CopyTarget = {
  table: 'households',
  columns: ['id', 'households', 'persons', 'grid_id', 'city_code', 'district_code', 'street_code', 'community_code', 'source', 'source_id', 'geom'],
};
const WALK_NODES: CopyTarget = { table: 'walk_nodes', columns: ['id', 'osm_id', 'geom'] };
const WALK_EDGES: CopyTarget = {
  table: 'walk_edges',
  columns: ['id', 'source', 'target', 'cost', 'reverse_cost', 'length_m', 'class', 'osm_id', 'geom'],
};
const BUILDINGS: CopyTarget = { table: 'buildings', columns: ['id', 'kind', 'levels', 'geom'] };
const WATER: CopyTarget = { table: 'water', columns: ['id', 'kind', 'name', 'geom'] };

/**
 * Encodes rows lazily: the backend pulls a chunk, the server parses it while
 * the next one is encoded. Progress is reported as chunks are taken.
 */
function* encodeRows(
  table: string,
  total: number,
  fields: number,
  encode: (row: BinaryCopyWriter, i: number) => void,
  progress?: WriteProgress,
): Generator<Uint8Array<ArrayBuffer>> {
  const writer = new BinaryCopyWriter();
  for (let i = 0; i < total; i++) {
    encode(writer.row(fields), i);
    if (writer.hasChunks) {
      progress?.(table, i, total);
      yield* writer.takeChunks();
    }
  }
  yield* writer.end();
  progress?.(table, total, total);
}

/** Loads `total` rows into the target table with binary COPY; `encode` writes one row's fields in its columns' order. */
export function copyRows(
  tx: Queryable,
  { table, columns }: CopyTarget,
  total: number,
  encode: (row: BinaryCopyWriter, i: number) => void,
  progress?: WriteProgress,
): Promise<void> {
  return tx.copyBinary(table, columns, encodeRows(table, total, columns.length, encode, progress));
}

/** A bundle, or the work that builds it: it then runs while the server clears the old city. */
export type BundleSource = ImportBundle | (() => ImportBundle);

export async function writeBundleIn(tx: Queryable, source: BundleSource, progress?: WriteProgress): Promise<WriteResult> {
  const indexes = await indexesToRebuild(tx, REPLACED_TABLES);
  // Clearing goes to the server as one script (whitelisted names only) and is
  // not awaited yet: on the PostGIS server it runs on the other core while
  // this one builds the bundle. Indexes go first: TRUNCATE then has fewer
  // files to replace.
  const clearing = tx.exec([...dropStatements(indexes), `TRUNCATE ${REPLACED_TABLES.join(', ')}`].join(';\n'));
  let bundle: ImportBundle;
  try {
    bundle = typeof source === 'function' ? source() : source;
  } catch (error) {
    await clearing.catch(() => {}); // the build's error is the one to report
    throw error;
  }
  await clearing;

  const admin: AdminUnit[] = [
    { code: bundle.city.code, level: 'city', name: bundle.city.name, parentCode: null, geom: null },
    ...bundle.admin,
  ];
  // Parents before children: the foreign key checks each row as it goes in.
  const levelOrder = { city: 0, district: 1, street: 2, community: 3 } as const;
  admin.sort((a, b) => levelOrder[a.level] - levelOrder[b.level]);
  await copyRows(tx, ADMIN_UNITS, admin.length, (row, i) => {
    const unit = admin[i]!;
    row.text(unit.code).text(unit.level).text(unit.name).text(unit.parentCode).multiPolygon(unit.geom);
  }, progress);

  const grids = bundle.grids;
  const city = bundle.city.code;
  await copyRows(tx, GRIDS, grids.length, (row, i) => {
    const g = grids[i]!;
    row.int4(i + 1).text(g.code).text(g.name).text(city).text(g.districtCode).text(g.streetCode).text(g.communityCode);
    row.int4(g.officers).multiPolygon(g.geom);
  }, progress);

  const centers = bundle.centers;
  await copyRows(tx, CENTERS, centers.length, (row, i) => {
    const c = centers[i]!;
    row.int4(i + 1).text(c.name).text(c.kind).textArray(c.services).text(c.source).text(c.sourceId).point(c.lon, c.lat);
  }, progress);

  const h = bundle.households;
  for (let i = 0; i < h.count; i++) {
    const g = h.gridIndex[i]!;
    if (!(g >= 0 && g < grids.length)) throw new Error(`household unit ${h.sourceIds[i] || i} has no grid (grid index ${g})`);
  }
  // Each unit carries its grid's chain, so roll-ups need no join. The chain's
  // codes and the constant texts are encoded once, not once per unit.
  const chains = grids.map((g) => [utf8(g.districtCode), utf8(g.streetCode), utf8(g.communityCode)] as const);
  const cityText = utf8(city);
  const sourceText = utf8(h.source);
  await copyRows(tx, HOUSEHOLDS, h.count, (row, i) => {
    const grid = h.gridIndex[i]!;
    const [district, street, community] = chains[grid]!;
    const persons = h.persons[i]!;
    row.int4(i + 1).int4(h.households[i]!);
    if (persons === -1) row.null();
    else row.int4(persons);
    row.int4(grid + 1).encodedText(cityText).encodedText(district).encodedText(street).encodedText(community);
    row.encodedText(sourceText).text(h.sourceIds[i] || null).point(h.lon[i]!, h.lat[i]!);
  }, progress);

  const net = bundle.network;
  const osmId = (row: BinaryCopyWriter, id: number) => (id === -1 ? row.null() : row.int8(id));
  await copyRows(tx, WALK_NODES, net.nodeCount, (row, i) => {
    osmId(row.int4(i), net.nodeOsmId[i]!).point(net.nodeLon[i]!, net.nodeLat[i]!);
  }, progress);
  await copyRows(tx, WALK_EDGES, net.edgeCount, (row, e) => {
    row.int4(e + 1).int4(net.source[e]!).int4(net.target[e]!);
    row.float8(net.cost[e]!).float8(net.reverseCost[e]!).float8(net.lengthM[e]!).text(net.classNames[net.classIndex[e]!]!);
    osmId(row, net.edgeOsmId[e]!).lineFromFlat(net.coords, net.geomOffset[e]!, net.geomOffset[e + 1]!);
  }, progress);

  const buildings = bundle.buildings;
  await copyRows(tx, BUILDINGS, buildings.length, (row, i) => {
    const b = buildings[i]!;
    row.int4(i + 1).text(b.kind);
    if (b.levels === null) row.null();
    else row.float4(b.levels);
    if (b.ring) row.ringPolygon(b.ring);
    else row.multiPolygon(b.geom);
  }, progress);

  const water = bundle.water;
  await copyRows(tx, WATER, water.length, (row, i) => {
    const w = water[i]!;
    row.int4(i + 1).text(w.kind).text(w.name);
    if (w.geom.type === 'MultiPolygon') row.multiPolygon(w.geom.coordinates);
    else row.line(w.geom.coordinates);
  }, progress);

  const rebuild = createStatements(indexes);
  for (let i = 0; i < rebuild.length; i++) {
    progress?.('indexes', i, rebuild.length);
    await tx.exec(rebuild[i]!);
  }
  progress?.('indexes', rebuild.length, rebuild.length);
  // No ANALYZE here: it costs more than all the inserts of a small city, and
  // autovacuum analyzes tables this changed soon after the commit.

  const version = await bumpDataVersion(tx, { city: bundle.city.name, source: bundle.source });
  // Running servers on this database reload as soon as this commits.
  await announceChange(tx, IMPORT_ORIGIN, { type: 'replaced', version });
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
export function writeBundle(db: Database, source: BundleSource, progress?: WriteProgress): Promise<WriteResult> {
  return db.transaction((tx) => writeBundleIn(tx, source, progress));
}
