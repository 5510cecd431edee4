import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../db/migrate.ts';
import { FIELD_SQL_TYPE, TILE_LAYERS } from './layers.ts';
import { embeddedLayerSql, featureSelectSql, serverTileSql, tileFunctionSql, tileFunctionsSql } from './tile-sql.ts';

describe('tile SQL', () => {
  it('the migration holds exactly the functions layers.ts renders', () => {
    const file = readFileSync(`${MIGRATIONS_DIR}/003_tile_functions.sql`, 'utf8');
    // When this fails: npx tsx server/tiles/tile-sql.ts > sql/migrations/003_tile_functions.sql
    expect(file).toBe(tileFunctionsSql());
  });

  it('follows the function-source convention: (z integer, x integer, y integer, query json) returns bytea, parallel safe', () => {
    for (const layer of TILE_LAYERS) {
      const sql = tileFunctionSql(layer);
      expect(sql).toContain(`CREATE OR REPLACE FUNCTION tiles.${layer.id}(z integer, x integer, y integer, query json DEFAULT '{}'::json)`);
      expect(sql).toMatch(/RETURNS bytea\s+LANGUAGE plpgsql STABLE PARALLEL SAFE/);
      expect(sql).toContain('ST_TileEnvelope(z, x, y)');
      expect(sql).toContain(`ST_AsMVT(t, '${layer.id}', 4096, 'geom', 'id')`);
      expect(sql).toContain('ST_AsMVTGeom(');
      // The comment is JSON Martin can merge into its TileJSON.
      const comment = /IS '(.*)';$/s.exec(sql)![1]!.replaceAll("''", "'");
      expect(JSON.parse(comment).vector_layers[0].id).toBe(layer.id);
    }
  });

  it('casts every field to the SQL type of its MVT value type', () => {
    for (const layer of TILE_LAYERS) {
      const select = featureSelectSql(layer, 'mvt');
      for (const field of layer.fields) expect(select).toContain(`)::${FIELD_SQL_TYPE[field.type]} AS "${field.name}"`);
    }
  });

  it('the embedded query replaces ST_AsMVTGeom and binds z, x, y, query as parameters', () => {
    for (const layer of TILE_LAYERS) {
      const sql = embeddedLayerSql(layer);
      expect(sql).not.toContain('ST_AsMVTGeom');
      expect(sql).not.toContain('ST_AsMVT(');
      expect(sql).toContain('$1::integer AS z, $2::integer AS x, $3::integer AS y, $4::json AS query');
      expect(sql).toContain('ST_AsBinary(t.geom) AS wkb');
    }
  });

  it('concatenates layer functions for a multi-layer tile', () => {
    expect(serverTileSql([TILE_LAYERS[1]!, TILE_LAYERS[2]!])).toBe('SELECT tiles.grids($1, $2, $3, $4) || tiles.centers($1, $2, $3, $4) AS mvt');
  });
});
