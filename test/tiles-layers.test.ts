/**
 * Every tile layer on every backend, on the small hand-made city, Monaco
 * (OSM) and the demo city: tiles decode with @mapbox/vector-tile at several
 * zooms; each layer's feature count matches a direct PostGIS count of the
 * features that meet the buffered tile envelope (less, at most, the ones
 * smaller than a tile unit, which ST_AsMVTGeom collapses away); properties
 * have the documented types; ids are unique. Below a layer's mergeBelowZoom
 * the count is of distinct property values, and the merged lines keep the
 * direct length of the network in the tile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendKind } from '../kernel/db/database.ts';
import { writeBundle } from '../data-pipeline/write-bundle.ts';
import { TILE_BUFFER, TILE_EXTENT, TILE_LAYERS, type TileLayer } from '../server/tiles/layers.ts';
import { createEmbeddedTileSource } from '../server/tiles/embedded/embedded-tile-source.ts';
import { createSqlTileSource } from '../server/tiles/sql-tile-source.ts';
import { latToTileY, lonToTileX } from '../server/tiles/tile-envelope.ts';
import type { TileSource } from '../server/tiles/tile-source.ts';
import { describeBackends, openTestDatabase, type TestDatabase } from './backends.ts';
import { sharedData } from './shared-data.ts';
import { DATASET_CENTER, datasetBundle, decodeTile, type DatasetName } from './tiles-fixture.ts';

const monaco = sharedData('osm/monaco.osm.pbf');
const DATASETS: DatasetName[] = ['small', 'demo', ...(monaco.skip ? [] : (['monaco'] as const))];

/** Web Mercator metres per tile unit at zoom z. */
const unitMetres = (z: number) => (2 * 20037508.342789244) / 2 ** z / TILE_EXTENT;

/** The tile at zoom z holding most household units: the densest part of the city. */
async function densestTile(t: TestDatabase, z: number): Promise<[number, number]> {
  const [row] = await t.db.query<{ x: number; y: number }>(
    `SELECT floor((ST_X(geom) + 180) / 360 * 2 ^ $1)::int AS x,
            floor((1 - ln(tan(radians(ST_Y(geom))) + 1 / cos(radians(ST_Y(geom)))) / pi()) / 2 * 2 ^ $1)::int AS y
     FROM households GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1`,
    [z],
  );
  return [row!.x, row!.y];
}

/**
 * The direct count: features of the layer (its table, joins and zoom filter)
 * whose geometry meets the tile envelope grown by the buffer, and how many of
 * them are, inside the tile, narrower (areas) or shorter (lines) than two
 * tile units: those may collapse to nothing when snapped to the unit grid.
 */
async function directCount(t: TestDatabase, layer: TileLayer, z: number, x: number, y: number): Promise<{ n: number; small: number; units: number }> {
  // Below mergeBelowZoom a feature is a set of property values: count those, small when all their lines are.
  const merged = layer.mergeBelowZoom !== undefined && z < layer.mergeBelowZoom;
  const keys = merged ? layer.fields.map((field, i) => `(${field.sql}) AS k${i}`) : ['f.ctid AS k0'];
  const [row] = await t.db.query<{ n: number; small: number; units: number }>(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE small)::int AS small, COALESCE(sum(metres), 0) / $4::float8 AS units
     FROM (
       SELECT bool_and(ST_Dimension(g) = 2 AND LEAST(ST_XMax(g) - ST_XMin(g), ST_YMax(g) - ST_YMin(g)) < 2 * $4::float8
                       OR ST_Dimension(g) = 1 AND GREATEST(ST_XMax(g) - ST_XMin(g), ST_YMax(g) - ST_YMin(g)) < 2 * $4::float8) AS small,
              sum(ST_Length(g)) AS metres
       FROM (SELECT $1::int AS z, ST_TileEnvelope($1, $2, $3, margin => ${TILE_BUFFER / TILE_EXTENT}) AS envelope) AS tile_args
       CROSS JOIN LATERAL (
         SELECT ${keys.join(', ')}, ST_ClipByBox2D(ST_Transform(f.geom, 3857), tile_args.envelope) AS g FROM ${layer.from}
         WHERE ST_Intersects(ST_Transform(f.geom, 3857), tile_args.envelope)
           ${layer.where ? `AND ${layer.where}` : ''}
       ) AS s
       GROUP BY ${keys.map((_, i) => `k${i}`).join(', ')}
     ) AS features`,
    [z, x, y, unitMetres(z)],
  );
  return row!;
}

/** Length of decoded lines, tile units. */
function lineUnits(features: ReturnType<typeof decodeTile>[string]['features']): number {
  let sum = 0;
  for (const f of features) for (const part of f.geometry) for (let i = 1; i < part.length; i++) sum += Math.hypot(part[i]!.x - part[i - 1]!.x, part[i]!.y - part[i - 1]!.y);
  return sum;
}

/** Checks each property's type, and that none is there below its field's minzoom; answers the names of those with a minzoom it holds. */
function checkProperties(layer: TileLayer, properties: Record<string, unknown>, z: number): string[] {
  const fields = new Map(layer.fields.map((f) => [f.name, f]));
  const zoomed: string[] = [];
  for (const [key, value] of Object.entries(properties)) {
    const field = fields.get(key);
    expect(field, `${layer.id}: undocumented property ${key}`).toBeDefined();
    expect(z, `${layer.id}.${key} is only from z${field!.minzoom}`).toBeGreaterThanOrEqual(field!.minzoom ?? 0);
    if (field!.minzoom !== undefined) zoomed.push(key);
    if (field!.type === 'string') expect(typeof value, `${layer.id}.${key}`).toBe('string');
    else if (field!.type === 'boolean') expect(typeof value, `${layer.id}.${key}`).toBe('boolean');
    else if (field!.type === 'integer') expect(Number.isInteger(value), `${layer.id}.${key} = ${String(value)}`).toBe(true);
    else expect(Number.isFinite(value), `${layer.id}.${key} = ${String(value)}`).toBe(true);
  }
  return zoomed;
}

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

  it('every layer decodes at several zooms with the direct count of features, typed properties and unique ids', async () => {
    const seenLayers = new Set<string>();
    let checked = 0;
    let merges = 0;
    const zoomedSeen = new Set<string>();
    for (const layer of TILE_LAYERS) {
      const zooms = [...new Set([layer.minzoom, layer.minzoom + 1, layer.minzoom + 3, layer.maxzoom])].filter((z) => z <= layer.maxzoom);
      for (const z of zooms) {
        const dense = await densestTile(t, z);
        const center: [number, number] = [Math.floor(lonToTileX(DATASET_CENTER[dataset][0], z)), Math.floor(latToTileY(DATASET_CENTER[dataset][1], z))];
        const samples = dense[0] === center[0] && dense[1] === center[1] ? [dense] : [dense, center];
        for (const [x, y] of samples) {
          const bytes = await source.getTile({ layers: [layer], z, x, y });
          const decoded = decodeTile(bytes);
          const features = decoded[layer.id]?.features ?? [];
          const direct = await directCount(t, layer, z, x, y);
          const where = `${dataset} ${layer.id} ${z}/${x}/${y}`;
          if (layer.geometry === 'point') expect(features.length, where).toBe(direct.n);
          else {
            expect(features.length, `${where}: ${features.length} vs direct ${direct.n} (${direct.small} small)`).toBeLessThanOrEqual(direct.n);
            expect(features.length, `${where}: ${features.length} vs direct ${direct.n} (${direct.small} small)`).toBeGreaterThanOrEqual(direct.n - direct.small);
          }
          if (bytes.byteLength === 0) expect(direct.n - direct.small, where).toBe(0);
          if (layer.mergeBelowZoom !== undefined && z < layer.mergeBelowZoom && direct.units > 100) {
            // Merged lines lose nothing: the tile's network is as long as the direct one (snapping moves ends by under a unit).
            const ratio = lineUnits(features) / direct.units;
            expect(ratio, `${where}: merged length ${lineUnits(features).toFixed(0)} vs direct ${direct.units.toFixed(0)} units`).toBeGreaterThan(0.9);
            expect(ratio, where).toBeLessThan(1.05);
            merges++;
          }
          const ids = new Set<number | undefined>();
          for (const f of features) {
            expect(Number.isInteger(f.id) && f.id! >= 0, `${where}: id ${f.id}`).toBe(true);
            ids.add(f.id);
            for (const key of checkProperties(layer, f.properties, z)) zoomedSeen.add(`${layer.id}.${key}`);
            expect(f.geometry.length, where).toBeGreaterThan(0);
          }
          expect(ids.size, `${where}: ids unique`).toBe(features.length);
          if (features.length > 0) {
            seenLayers.add(layer.id);
            expect(decoded[layer.id]!.extent).toBe(TILE_EXTENT);
            expect(decoded[layer.id]!.version).toBe(2);
          }
          checked++;
        }
      }
    }
    // Every layer the data set has shows up somewhere in the samples.
    const expected = TILE_LAYERS.map((l) => l.id).filter((id) => !(dataset === 'monaco' && id === 'admin'));
    expect([...seenLayers].sort()).toEqual(expected.sort());
    expect(checked).toBeGreaterThan(TILE_LAYERS.length * 3);
    // Fields kept for higher zooms (grids' names and codes from z12) are there at the higher zooms sampled.
    const zoomedFields = TILE_LAYERS.flatMap((l) => l.fields.filter((f) => f.minzoom !== undefined && f.minzoom <= l.maxzoom).map((f) => `${l.id}.${f.name}`));
    expect(zoomedFields.length).toBeGreaterThan(0);
    expect([...zoomedSeen].sort()).toEqual(zoomedFields.sort());
    // The streets' merged zooms were among the samples.
    if (dataset !== 'small') expect(merges).toBeGreaterThan(0);
  });

  it('a multi-layer tile holds each layer as its own tile does', async () => {
    const z = 14;
    const [x, y] = await densestTile(t, z);
    const all = decodeTile(await source.getTile({ layers: TILE_LAYERS, z, x, y }));
    for (const layer of TILE_LAYERS) {
      const single = decodeTile(await source.getTile({ layers: [layer], z, x, y }));
      expect(all[layer.id], layer.id).toEqual(single[layer.id]);
    }
  });
}

describeBackends('tile layers', (kind) => {
  for (const dataset of DATASETS) describe(dataset, () => suite(kind, dataset));
});
