/**
 * GeoJSON shapes the API answers with (RFC 7946), as schema components:
 * positions, the route LineString of /api/nearest and the isochrone
 * (Multi)Polygons.
 */
import { z } from '@hono/zod-openapi';

export const LonLat = z
  .tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])
  .openapi('LonLat', { description: '[lon, lat], WGS84 degrees.', minItems: 2, maxItems: 2 });

const ring = z.array(LonLat).openapi({ description: 'A closed ring: first and last positions are equal.' });

export const LineString = z.strictObject({ type: z.literal('LineString'), coordinates: z.array(LonLat) }).openapi('LineString');

export const Polygon = z
  .strictObject({ type: z.literal('Polygon'), coordinates: z.array(ring).openapi({ description: 'Outer ring counter-clockwise, then holes clockwise.' }) })
  .openapi('Polygon');

export const MultiPolygon = z
  .strictObject({
    type: z.literal('MultiPolygon'),
    coordinates: z.array(z.array(ring)).openapi({ description: 'Empty when nothing is reached within the contour.' }),
  })
  .openapi('MultiPolygon');
