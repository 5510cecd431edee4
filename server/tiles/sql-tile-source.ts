/**
 * Tiles on the PostGIS server: one statement per tile that calls the layers'
 * SQL functions (tiles.<layer>, from layers.ts via tile-sql.ts) and
 * concatenates their bytes, since an MVT tile is the concatenation of its
 * layer messages. The functions are plpgsql, so each pooled connection keeps
 * their plans; the pool (below max_connections) and its statement timeout are
 * the database's (pg-database.ts).
 */
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { TILE_LAYERS, type TileLayer } from './layers.ts';
import { serverTileSql, TILE_SCHEMA, tileFunctionHash, tileFunctionsSql } from './tile-sql.ts';
import { layersAtZoom, perLayerList, type TileAddress, type TileSource } from './tile-source.ts';

/** Serialises installers across instances (an arbitrary constant, not the migrator's). */
const INSTALL_LOCK = 151_516;

/** The hashes of the installed tile functions, by layer id. */
async function installedHashes(db: Queryable): Promise<Map<string, string | undefined>> {
  const rows = await db.query<{ name: string; comment: string | null }>(
    `SELECT p.proname AS name, obj_description(p.oid, 'pg_proc') AS comment
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = $1`,
    [TILE_SCHEMA],
  );
  const hashes = new Map<string, string | undefined>();
  for (const row of rows) {
    try {
      hashes.set(row.name, JSON.parse(row.comment ?? '{}')['x-definition-sha1']);
    } catch {
      hashes.set(row.name, undefined);
    }
  }
  return hashes;
}

/**
 * Makes the database's tile functions match layers.ts: installs them when one
 * is missing or was made from an older definition (the migration holds the
 * version of the day; this keeps an existing database current). Returns the
 * layer ids it (re)installed.
 */
export async function installTileFunctions(db: Database, layers: readonly TileLayer[] = TILE_LAYERS): Promise<string[]> {
  const stale = async (q: Queryable) => {
    const hashes = await installedHashes(q);
    return layers.filter((layer) => hashes.get(layer.id) !== tileFunctionHash(layer));
  };
  if ((await stale(db)).length === 0) return [];
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [INSTALL_LOCK]);
    const todo = await stale(tx);
    if (todo.length > 0) await tx.exec(tileFunctionsSql(todo));
    return todo.map((l) => l.id);
  });
}

/** The server source: needs ST_AsMVT (db.hasMvt) and the tile functions installed. */
export function createSqlTileSource(db: Queryable): TileSource {
  // One statement text per list of layers shown, so the server sees the same text again.
  const statements = new Map<string, string>();
  const statementAt = (layers: readonly TileLayer[], z: number): string | undefined => {
    const shown = layersAtZoom(layers, z);
    if (shown.length === 0) return undefined;
    const key = shown.map((l) => l.id).join(',');
    let sql = statements.get(key);
    if (!sql) statements.set(key, (sql = serverTileSql(shown)));
    return sql;
  };
  // The statement by zoom, per layer list the route shares between tiles.
  const byZoom = perLayerList(() => new Map<number, string | undefined>());
  return {
    id: 'postgis',
    async getTile(tile: TileAddress, query = {}) {
      const known = byZoom(tile.layers);
      let sql = known.get(tile.z);
      if (sql === undefined && !known.has(tile.z)) known.set(tile.z, (sql = statementAt(tile.layers, tile.z)));
      if (sql === undefined) return new Uint8Array(0);
      const rows = await db.query<{ mvt: Uint8Array | null }>(sql, [tile.z, tile.x, tile.y, JSON.stringify(query)]);
      const mvt = rows[0]?.mvt;
      return mvt ? new Uint8Array(mvt.buffer, mvt.byteOffset, mvt.byteLength) : new Uint8Array(0);
    },
  };
}
