/**
 * A scenario's version of the households, grids and centers tile layers
 * (`?scenario=ID` on a tile URL). The evaluation lives in memory, not in the
 * tables, so these layers are encoded here on both backends: households and
 * grids from the same feature rows as the live tiles (the embedded layer
 * SQL) with the scenario's values put in their place, centers from the
 * scenario's center list (live ones where the scenario puts them, removed
 * ones where they were, added ones without an id).
 *
 * - households: walk_seconds, nearest_center_id (negative: an added center)
 *   and covered are the scenario's; `change` says gained, lost or same at 15
 *   minutes against the live centers.
 * - grids: covered_15 and coverage_share are the scenario's.
 * - centers: `change` is added, moved, removed or same.
 *
 * Tiles are cached under the scenario's id, revision and the data version it
 * was evaluated at (`tag`): an edit or a change of the live data gives new
 * keys, and the tile cache drops the old ones.
 */
import type { Queryable } from '../../kernel/db/database.ts';
import { DEFAULT_SPEED_KMH } from '../../kernel/walk-speed.ts';
import { rollup, thresholdSeconds } from '../coverage/coverage-rollup.ts';
import { unitIndexMemo } from '../coverage/unit-index.ts';
import { GEOM_POINT, MvtLayerWriter } from '../tiles/embedded/mvt-encoder.ts';
import { writeLayer } from '../tiles/embedded/embedded-tile-source.ts';
import { TILE_BUFFER, TILE_EXTENT, type TileLayer } from '../tiles/layers.ts';
import { latToTileY, lonToTileX } from '../tiles/tile-envelope.ts';
import type { ScenarioTileSource, TileAddress } from '../tiles/tile-source.ts';
import { embeddedLayerSql } from '../tiles/tile-sql.ts';
import { CENTER_CHANGE } from './scenario-centers.ts';
import type { ScenarioEvaluation, ScenarioService } from './scenario-service.ts';

/** The live tiles' 15 minutes at 4 km/h, in graph units. */
const FIFTEEN = thresholdSeconds(15, DEFAULT_SPEED_KMH);

/** Positions of some fields in a layer's field list. */
function fieldIndex(layer: TileLayer, names: readonly string[]): Record<string, number> {
  return Object.fromEntries(names.map((name) => [name, layer.fields.findIndex((f) => f.name === name)]));
}

export function createScenarioTiles(db: Queryable, scenarios: ScenarioService): ScenarioTileSource {
  const sqlByLayer = new Map<string, string>();
  const unitIndexOf = unitIndexMemo();
  const gridCovered = new WeakMap<Float32Array, Float64Array>();

  function householdsLayer(e: ScenarioEvaluation, layer: TileLayer, tile: TileAddress, sql: string) {
    const at = fieldIndex(layer, ['walk_seconds', 'nearest_center_id', 'covered', 'change']);
    const index = unitIndexOf(e.model.data.households);
    const before = e.live.all.seconds;
    const { seconds, nearest } = e.coverage;
    return writeLayer(db, layer, sql, tile, {}, (row, values) => {
      const i = index.get(Number(row.id));
      if (i === undefined) return true;
      const s = seconds[i]!;
      const was = before[i]! <= FIFTEEN;
      const is = s <= FIFTEEN;
      values[at.walk_seconds!] = Number.isFinite(s) ? s : null;
      values[at.nearest_center_id!] = nearest[i]! >= 0 ? e.centers.id[nearest[i]!]! : null;
      values[at.covered!] = is;
      values[at.change!] = is === was ? 'same' : is ? 'gained' : 'lost';
      return true;
    });
  }

  function gridsLayer(e: ScenarioEvaluation, layer: TileLayer, tile: TileAddress, sql: string) {
    const data = e.model.data;
    let covered = gridCovered.get(e.coverage.seconds);
    if (!covered) {
      const units = rollup(data.households, data.levels.grid, e.coverage.seconds, FIFTEEN).units;
      covered = Float64Array.from(units, (u) => u.covered);
      gridCovered.set(e.coverage.seconds, covered);
    }
    const at = fieldIndex(layer, ['households', 'covered_15', 'coverage_share']);
    const gridIndex = new Map<number, number>();
    for (let k = 0; k < data.grids.count; k++) gridIndex.set(data.grids.id[k]!, k);
    return writeLayer(db, layer, sql, tile, {}, (row, values) => {
      const k = gridIndex.get(Number(row.id));
      if (k === undefined) return true;
      const households = Number(values[at.households!] ?? 0);
      values[at.covered_15!] = covered[k]!;
      values[at.coverage_share!] = households > 0 ? covered[k]! / households : null;
      return true;
    });
  }

  function centersLayer(e: ScenarioEvaluation, layer: TileLayer, tile: TileAddress) {
    const writer = new MvtLayerWriter(layer.id, layer.fields, TILE_EXTENT);
    const at = fieldIndex(layer, ['name', 'kind', 'services', 'source', 'change']);
    const c = e.centers;
    const live = e.model.centers;
    const values: unknown[] = new Array(layer.fields.length);
    for (let i = 0; i < c.count; i++) {
      const px = Math.round((lonToTileX(c.lon[i]!, tile.z) - tile.x) * TILE_EXTENT);
      const py = Math.round((latToTileY(c.lat[i]!, tile.z) - tile.y) * TILE_EXTENT);
      if (px < -TILE_BUFFER || py < -TILE_BUFFER || px > TILE_EXTENT + TILE_BUFFER || py > TILE_EXTENT + TILE_BUFFER) continue;
      values.fill(null);
      values[at.name!] = c.name[i];
      values[at.kind!] = c.kind[i];
      values[at.services!] = c.services[i]!.join(',');
      values[at.source!] = i < live.count ? live.source[i] : 'scenario';
      values[at.change!] = CENTER_CHANGE[c.change[i]!];
      // Added centers have no id yet (negative numbers are left out, as ST_AsMVT does).
      writer.addFeature(c.id[i]! > 0 ? c.id[i]! : null, values, { type: GEOM_POINT, coords: Int32Array.of(px, py), partEnds: Uint32Array.of(1) });
    }
    return writer;
  }

  return {
    async prepare(id) {
      const evaluation = await scenarios.evaluate(id);
      return {
        tag: `s${id}r${evaluation.scenario.revision}v${evaluation.model.version}`,
        async writeLayer(layer, tile) {
          if (layer.id === 'centers') return centersLayer(evaluation, layer, tile);
          let sql = sqlByLayer.get(layer.id);
          if (!sql) sqlByLayer.set(layer.id, (sql = embeddedLayerSql(layer)));
          if (layer.id === 'households') return householdsLayer(evaluation, layer, tile, sql);
          if (layer.id === 'grids') return gridsLayer(evaluation, layer, tile, sql);
          return writeLayer(db, layer, sql, tile, {});
        },
      };
    },
  };
}
