/**
 * The households tile layer coloured by the living-circle tiers each unit
 * meets (`?standard=gb50180` on a tile URL): the live features (the embedded
 * layer SQL, on both backends) with `tiers` ("5,10,15", "" for none) and
 * `tiers_met` (0 to 3) from the live check (standard-service.ts). Other
 * layers of the same request are the live ones. Tiles are cached under the
 * data version the check was made at, so any change of the data drops them.
 */
import type { Queryable } from '../../kernel/db/database.ts';
import { unitIndexMemo } from '../coverage/unit-index.ts';
import { writeLayer } from '../tiles/embedded/embedded-tile-source.ts';
import type { TileLayer } from '../tiles/layers.ts';
import type { StandardTileSource } from '../tiles/tile-source.ts';
import { embeddedLayerSql } from '../tiles/tile-sql.ts';
import type { StandardService } from './standard-service.ts';

/** "5,10,15" and the count for each 3-bit tier mask (bit 0: 5 minutes, bit 1: 10, bit 2: 15). */
const TIER_TEXT = Array.from({ length: 8 }, (_, bits) => [5, 10, 15].filter((_, t) => bits & (1 << t)).join(','));
const TIER_COUNT = Array.from({ length: 8 }, (_, bits) => (bits & 1) + ((bits >> 1) & 1) + ((bits >> 2) & 1));

export function createStandardTiles(db: Queryable, standard: StandardService): StandardTileSource {
  const sqlByLayer = new Map<string, string>();
  const unitIndexOf = unitIndexMemo();
  const sqlOf = (layer: TileLayer) => {
    let sql = sqlByLayer.get(layer.id);
    if (!sql) sqlByLayer.set(layer.id, (sql = embeddedLayerSql(layer)));
    return sql;
  };

  return {
    async prepare() {
      const { live, check } = await standard.check();
      const households = live.model.data.households;
      return {
        tag: `g${check.version}`,
        async writeLayer(layer, tile) {
          if (layer.id !== 'households') return writeLayer(db, layer, sqlOf(layer), tile, {});
          const tiers = layer.fields.findIndex((f) => f.name === 'tiers');
          const count = layer.fields.findIndex((f) => f.name === 'tiers_met');
          const index = unitIndexOf(households);
          return writeLayer(db, layer, sqlOf(layer), tile, {}, (row, values) => {
            const i = index.get(Number(row.id));
            if (i === undefined) return true;
            const bits = check.tierBits[i]!;
            values[tiers] = TIER_TEXT[bits];
            values[count] = TIER_COUNT[bits];
            return true;
          });
        },
      };
    },
  };
}
