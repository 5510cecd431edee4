/**
 * The tile size budget (TILE_SIZE_BUDGET_BYTES, 500 KB, in layers.ts) holds
 * on the demo city and Monaco: every layer alone and all layers in one tile.
 * On the PostGIS server every tile over the data's extent is checked at each
 * layer's three lowest zooms (where tiles are largest: above them a tile
 * covers a quarter of the area with the same features) and the all-layer
 * tile at z6-z15; on PGlite, slower, the densest tiles. Prints the largest
 * tile per layer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendKind } from '../kernel/db/database.ts';
import { writeBundle } from '../data-pipeline/write-bundle.ts';
import { TILE_LAYERS, TILE_SIZE_BUDGET_BYTES, type TileLayer } from '../server/tiles/layers.ts';
import { createEmbeddedTileSource } from '../server/tiles/embedded/embedded-tile-source.ts';
import { createSqlTileSource } from '../server/tiles/sql-tile-source.ts';
import { tileRangeForBox } from '../server/tiles/tile-envelope.ts';
import type { TileSource } from '../server/tiles/tile-source.ts';
import { readDataExtent } from '../server/tiles/tilejson.ts';
import { describeBackends, openTestDatabase, type TestDatabase } from './backends.ts';
import { sharedData } from './shared-data.ts';
import { datasetBundle, type DatasetName } from './tiles-fixture.ts';

const monaco = sharedData('osm/monaco.osm.pbf');
const DATASETS: DatasetName[] = ['demo', ...(monaco.skip ? [] : (['monaco'] as const))];

function suite(kind: BackendKind, dataset: DatasetName) {
  let t: TestDatabase;
  let source: TileSource;

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    await writeBundle(t.db, await datasetBundle(dataset));
    source = kind === 'postgis' ? createSqlTileSource(t.db) : createEmbeddedTileSource(t.db);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  /** The tiles to weigh at zoom z: all over the extent on the server, the three densest on PGlite. */
  async function tilesAt(z: number): Promise<[number, number][]> {
    if (kind === 'postgis') {
      const extent = await readDataExtent(t.db);
      const r = tileRangeForBox(extent.bounds!, z, 0);
      const out: [number, number][] = [];
      for (let x = r.minX; x <= r.maxX; x++) for (let y = r.minY; y <= r.maxY; y++) out.push([x, y]);
      return out;
    }
    const rows = await t.db.query<{ x: number; y: number }>(
      `SELECT floor((ST_X(geom) + 180) / 360 * 2 ^ $1)::int AS x,
              floor((1 - ln(tan(radians(ST_Y(geom))) + 1 / cos(radians(ST_Y(geom)))) / pi()) / 2 * 2 ^ $1)::int AS y
       FROM households GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 3`,
      [z],
    );
    return rows.map((r) => [r.x, r.y]);
  }

  async function largest(layers: readonly TileLayer[], z: number): Promise<{ bytes: number; at: string }> {
    let bytes = 0;
    let at = '';
    for (const [x, y] of await tilesAt(z)) {
      const tile = await source.getTile({ layers, z, x, y });
      if (tile.byteLength > bytes) {
        bytes = tile.byteLength;
        at = `${z}/${x}/${y}`;
      }
    }
    return { bytes, at };
  }

  it(`no tile over ${TILE_SIZE_BUDGET_BYTES / 1024} KB, per layer and all layers together`, async () => {
    const report: string[] = [];
    for (const layer of TILE_LAYERS) {
      let worst = { bytes: 0, at: '' };
      for (let z = layer.minzoom; z <= Math.min(layer.maxzoom, layer.minzoom + 2); z++) {
        const found = await largest([layer], z);
        if (found.bytes > worst.bytes) worst = found;
      }
      report.push(`${layer.id.padEnd(10)} ${(worst.bytes / 1024).toFixed(1).padStart(7)} KB at ${worst.at}`);
      expect(worst.bytes, `${dataset} ${layer.id} at ${worst.at}`).toBeLessThanOrEqual(TILE_SIZE_BUDGET_BYTES);
    }
    let all = { bytes: 0, at: '' };
    for (const z of kind === 'postgis' ? [6, 7, 8, 9, 10, 11, 12, 13, 14, 15] : [8, 10, 12, 14]) {
      const found = await largest(TILE_LAYERS, z);
      if (found.bytes > all.bytes) all = found;
    }
    report.push(`${'all'.padEnd(10)} ${(all.bytes / 1024).toFixed(1).padStart(7)} KB at ${all.at}`);
    expect(all.bytes, `${dataset} all layers at ${all.at}`).toBeLessThanOrEqual(TILE_SIZE_BUDGET_BYTES);
    console.log(`largest tiles, ${dataset} [${kind}]:\n  ${report.join('\n  ')}`);
  });
}

describeBackends('tile size budget', (kind) => {
  for (const dataset of DATASETS) describe(dataset, () => suite(kind, dataset));
});
