/**
 * The two tile paths give the same tiles: the PostGIS server's ST_AsMVT
 * functions and the embedded TypeScript encoder (run here on PGlite, and on
 * the server too, which isolates the encoder from the database) decode to the
 * same layers, features, ids and properties, with geometry within one tile
 * unit. On the small city, Monaco and the demo city, at every zoom from 6 to
 * 16, in the densest tile and the city-centre tile. Needs a PostGIS server
 * (DATABASE_URL or TEST_DATABASE_URL); skipped without one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBundle } from '../data-pipeline/write-bundle.ts';
import { TILE_LAYERS } from '../server/tiles/layers.ts';
import { createEmbeddedTileSource } from '../server/tiles/embedded/embedded-tile-source.ts';
import { createSqlTileSource } from '../server/tiles/sql-tile-source.ts';
import { latToTileY, lonToTileX } from '../server/tiles/tile-envelope.ts';
import { openTestDatabase, serverUrl, type TestDatabase } from './backends.ts';
import { sharedData } from './shared-data.ts';
import { DATASET_CENTER, datasetBundle, decodeTile, tileDifferences, type DatasetName } from './tiles-fixture.ts';

const monaco = sharedData('osm/monaco.osm.pbf');
const DATASETS: DatasetName[] = ['small', 'demo', ...(monaco.skip ? [] : (['monaco'] as const))];
const ZOOMS = [6, 8, 10, 11, 12, 13, 14, 15, 16];

if (!serverUrl) console.warn('tiles-backends: set DATABASE_URL or TEST_DATABASE_URL to compare the PostGIS and embedded tiles');

describe.skipIf(!serverUrl)('the same tiles from both backends', () => {
  for (const dataset of DATASETS) {
    describe(dataset, () => {
      let lite: TestDatabase;
      let server: TestDatabase;

      beforeAll(async () => {
        const bundle = await datasetBundle(dataset);
        [lite, server] = await Promise.all([openTestDatabase('pglite'), openTestDatabase('postgis')]);
        await Promise.all([writeBundle(lite.db, bundle), writeBundle(server.db, bundle)]);
      });
      afterAll(async () => {
        await Promise.all([lite?.dispose(), server?.dispose()]);
      });

      it('decode to the same layers, features, ids, properties and geometry (within 1 unit) at zooms 6-16', async () => {
        const sql = createSqlTileSource(server.db);
        const embeddedLite = createEmbeddedTileSource(lite.db);
        const embeddedServer = createEmbeddedTileSource(server.db);
        let features = 0;
        let tiles = 0;
        for (const z of ZOOMS) {
          const [dense] = await server.db.query<{ x: number; y: number }>(
            `SELECT floor((ST_X(geom) + 180) / 360 * 2 ^ $1)::int AS x,
                    floor((1 - ln(tan(radians(ST_Y(geom))) + 1 / cos(radians(ST_Y(geom)))) / pi()) / 2 * 2 ^ $1)::int AS y
             FROM households GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1`,
            [z],
          );
          const [lon, lat] = DATASET_CENTER[dataset];
          const samples: [number, number][] = [[dense!.x, dense!.y], [Math.floor(lonToTileX(lon, z)), Math.floor(latToTileY(lat, z))]];
          for (const [x, y] of samples) {
            const address = { layers: TILE_LAYERS, z, x, y };
            const fromServer = decodeTile(await sql.getTile(address));
            const fromLite = decodeTile(await embeddedLite.getTile(address));
            const fromEncoderOnServer = decodeTile(await embeddedServer.getTile(address));
            expect(tileDifferences(fromServer, fromLite), `${dataset} ${z}/${x}/${y}: server vs PGlite`).toEqual([]);
            expect(tileDifferences(fromServer, fromEncoderOnServer), `${dataset} ${z}/${x}/${y}: ST_AsMVT vs encoder on the server`).toEqual([]);
            features += Object.values(fromServer).reduce((n, l) => n + l.features.length, 0);
            tiles++;
          }
        }
        expect(tiles).toBe(ZOOMS.length * 2);
        expect(features).toBeGreaterThan(100);
      });
    });
  }
});
