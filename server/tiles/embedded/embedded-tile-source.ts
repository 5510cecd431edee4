/**
 * Tiles on the embedded database (PGlite's PostGIS has no ST_AsMVT): one
 * query per layer returns the features already clipped, simplified and in
 * tile units exactly as ST_AsMVTGeom would make them (tile-sql.ts, with
 * tile-simplify.ts for lines), and mvt-encoder.ts writes the MVT. A tile decoded from here has the same
 * layers, features, ids, properties and geometry as one from the server.
 */
import type { Queryable } from '../../../kernel/db/database.ts';
import { TILE_EXTENT, TILE_LAYERS, type TileLayer } from '../layers.ts';
import { encodeTile, MvtLayerWriter } from './mvt-encoder.ts';
import { embeddedLayerSql } from '../tile-sql.ts';
import { removeCollinearPoints, snapRoundPolygons } from './tile-simplify.ts';
import { readTileWkb } from './tile-wkb.ts';
import { layersAtZoom, type TileAddress, type TileSource } from '../tile-source.ts';

/** A layer's feature row from the embedded SQL: id, one column per field, the tile-space geometry. */
export type LayerRow = Record<string, unknown> & { id: number | null; wkb: Uint8Array };

/**
 * Changes a feature's property values (in the layer's field order) before it
 * is encoded; false leaves the feature out. Scenario tiles overlay their
 * evaluation this way (planning/scenario-tiles.ts).
 */
export type RowRewrite = (row: LayerRow, values: unknown[]) => boolean;

/** One layer of one tile from the embedded SQL (`sql` is embeddedLayerSql(layer)), as an MVT layer writer. */
export async function writeLayer(db: Queryable, layer: TileLayer, sql: string, tile: TileAddress, query: Readonly<Record<string, string>>, rewrite?: RowRewrite): Promise<MvtLayerWriter> {
  const rows = await db.query<LayerRow>(sql, [tile.z, tile.x, tile.y, JSON.stringify(query)]);
  const writer = new MvtLayerWriter(layer.id, layer.fields, TILE_EXTENT);
  const values: unknown[] = new Array(layer.fields.length);
  for (const row of rows) {
    const read = readTileWkb(row.wkb);
    const geometry = read && removeCollinearPoints(snapRoundPolygons(read));
    if (!geometry) continue;
    for (let i = 0; i < layer.fields.length; i++) values[i] = row[layer.fields[i]!.name];
    if (rewrite && !rewrite(row, values)) continue;
    writer.addFeature(row.id === null ? null : Number(row.id), values, geometry);
  }
  return writer;
}

export function createEmbeddedTileSource(db: Queryable, layers: readonly TileLayer[] = TILE_LAYERS): TileSource {
  // The SQL text of each layer, rendered once.
  const sqlByLayer = new Map(layers.map((layer) => [layer.id, embeddedLayerSql(layer)]));
  return {
    id: 'embedded',
    async getTile(tile: TileAddress, query = {}) {
      const writers: MvtLayerWriter[] = [];
      for (const layer of layersAtZoom(tile.layers, tile.z)) {
        writers.push(await writeLayer(db, layer, sqlByLayer.get(layer.id) ?? embeddedLayerSql(layer), tile, query));
      }
      return encodeTile(writers);
    },
  };
}
