/**
 * The shapes of the tile documents for the OpenAPI document: the layer
 * catalog and TileJSON 3.0.0, with the layer ids, geometries and field types
 * taken from the layer registry (layers.ts).
 */
import { z } from '@hono/zod-openapi';
import { FIELD_SQL_TYPE, FIELD_TILEJSON_TYPE, type GeometryKind, type TileLayer } from './layers.ts';

/** Every geometry a layer can declare: a Record, so TypeScript fails here when GeometryKind gains or loses one. */
const GEOMETRIES: Record<GeometryKind, true> = { point: true, line: true, polygon: true, mixed: true };

const idsOf = (layers: readonly TileLayer[]) => layers.map((l) => l.id) as [string, ...string[]];
const maxZoomOf = (layers: readonly TileLayer[]) => Math.max(...layers.map((l) => l.maxzoom));

export function catalogSchemas(layers: readonly TileLayer[]) {
  const zoom = z.int().min(0).max(maxZoomOf(layers));
  const CatalogLayer = z
    .strictObject({
      id: z.enum(idsOf(layers)),
      description: z.string(),
      geometry_type: z.enum(Object.keys(GEOMETRIES) as [GeometryKind, ...GeometryKind[]]),
      minzoom: zoom,
      maxzoom: zoom,
      fields: z
        .record(z.string(), z.strictObject({ type: z.enum(Object.keys(FIELD_SQL_TYPE) as [string, ...string[]]), description: z.string() }))
        .openapi({ description: 'Feature properties by name.' }),
      params: z.array(z.string()).optional().openapi({ description: "Query parameters the layer reads (part of the tile's cache key)." }),
    })
    .openapi('CatalogLayer');
  const Catalog = z
    .strictObject({ tiles: z.literal('/tiles/{layers}/{z}/{x}/{y}.mvt'), tilejson: z.literal('/tiles/{layers}.json'), layers: z.array(CatalogLayer) })
    .openapi('Catalog');
  return { Catalog, CatalogLayer };
}

export function tileJsonSchema(layers: readonly TileLayer[]) {
  const zoom = z.int().min(0).max(maxZoomOf(layers));
  return z
    .strictObject({
      tilejson: z.literal('3.0.0'),
      name: z.string().openapi({ description: 'The layer ids, comma-separated.' }),
      description: z.string(),
      version: z.string(),
      scheme: z.literal('xyz'),
      tiles: z
        .array(z.string().regex(/^https?:\/\/[^/]+\/tiles\/[^/]+\/\{z\}\/\{x\}\/\{y\}\.mvt\?v=[^&]+$/))
        .min(1)
        .max(1)
        .openapi({
          description:
            'Absolute tile URL template on the host (and scheme) the client used, X-Forwarded-Host/-Proto honoured, naming the data version (`?v=`): tiles there are final, and a change of the data gives new URLs.',
        }),
      minzoom: zoom,
      maxzoom: zoom,
      bounds: z.array(z.number()).min(4).max(4).openapi({ description: '[west, south, east, north] of the stored data.' }),
      center: z.array(z.number()).min(3).max(3).openapi({ description: '[lon, lat, zoom].' }),
      attribution: z.string().optional().openapi({ description: 'HTML crediting OpenStreetMap, present when the data came from an OSM import.' }),
      vector_layers: z.array(
        z.strictObject({
          id: z.enum(idsOf(layers)),
          description: z.string(),
          minzoom: z.int(),
          maxzoom: z.int(),
          fields: z.record(z.string(), z.enum([...new Set(Object.values(FIELD_TILEJSON_TYPE))] as [string, ...string[]])),
        }),
      ),
    })
    .openapi('TileJSON', { description: 'TileJSON 3.0.0 for one layer or several served as one tile.' });
}
