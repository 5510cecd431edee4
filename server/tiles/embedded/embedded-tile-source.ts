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

type Row = Record<string, unknown> & { id: number | null; wkb: Uint8Array };

export function createEmbeddedTileSource(db: Queryable, layers: readonly TileLayer[] = TILE_LAYERS): TileSource {
  // The SQL text of each layer, rendered once.
  const sqlByLayer = new Map(layers.map((layer) => [layer.id, embeddedLayerSql(layer)]));
  return {
    id: 'embedded',
    async getTile(tile: TileAddress, query = {}) {
      const writers: MvtLayerWriter[] = [];
      const params = [tile.z, tile.x, tile.y, JSON.stringify(query)];
      for (const layer of layersAtZoom(tile.layers, tile.z)) {
        const sql = sqlByLayer.get(layer.id) ?? embeddedLayerSql(layer);
        const rows = await db.query<Row>(sql, params);
        const writer = new MvtLayerWriter(layer.id, layer.fields, TILE_EXTENT);
        const values: unknown[] = new Array(layer.fields.length);
        for (const row of rows) {
          const read = readTileWkb(row.wkb);
          const geometry = read && removeCollinearPoints(snapRoundPolygons(read));
          if (!geometry) continue;
          for (let i = 0; i < layer.fields.length; i++) values[i] = row[layer.fields[i]!.name];
          writer.addFeature(row.id === null ? null : Number(row.id), values, geometry);
        }
        writers.push(writer);
      }
      return encodeTile(writers);
    },
  };
}
