/**
 * The OpenAPI 3.1 document of the HTTP API (design.md, "HTTP API (v1)"): the
 * routes that are mounted today, with their parameters, bodies, responses and
 * the error codes each one really answers. Plain data, built by one call.
 *
 * Limits, defaults, levels and tile layers are imported from the modules that
 * enforce them, so the document cannot drift from the code. The few limits
 * those modules keep private (center fields, center id, kind patterns) are
 * written here and checked against the running routes by openapi.test.ts.
 */
import { LEVELS } from '../coverage/coverage-data.ts';
import type { BackendKind } from '../../kernel/db/database.ts';
import { defaultIsochroneOptions } from '../routing/isochrone/build-isochrones.ts';
import { MAX_BODY_BYTES, MAX_BUFFER_M, MAX_GENERALIZE_M, MAX_ORIGINS, MIN_BUFFER_M } from '../routing/isochrone/isochrone-routes.ts';
import { DEFAULT_MINUTES, MAX_MINUTES, MAX_MINUTES_COUNT, MAX_SPEED_KMH } from '../routing/routing-params.ts';
import { MAX_SEARCH_SECONDS } from '../routing/routing-service.ts';
import { MAX_SNAP_DISTANCE_M } from '../routing/search/snap.ts';
import { DEFAULT_SPEED_KMH, STEPS_FACTOR } from '../../kernel/walk-speed.ts';
import { FIELD_SQL_TYPE, FIELD_TILEJSON_TYPE, TILE_LAYERS, type GeometryKind } from '../tiles/layers.ts';
import { MVT_CONTENT_TYPE } from '../tiles/tile-http.ts';
import { HEARTBEAT_MS } from '../events/event-routes.ts';

type Json = Record<string, unknown>;

/** Where the document is served; the /docs page fetches it from here. */
export const OPENAPI_PATH = '/api/openapi.json';

/** /api/coverage's threshold when none is given (coverage-routes.ts passes it to parseMinutes; checked by the tests). */
const COVERAGE_DEFAULT_MINUTES = 15;
/** center-input.ts's private limits (checked against the routes by the tests). */
const CENTER_LIMITS = { maxName: 200, maxServices: 50, maxService: 100, maxLat: 85.0511, maxId: 999_999_999 };
/** The kind a center is stored with (center-input.ts) and the ?kind= filter of /api/centers. */
const CENTER_KIND_PATTERN = '^[a-z][a-z0-9_]{0,63}$';
/** The kind filter of /api/nearest and /api/coverage (routing-params.ts parseKind; surrounding spaces are trimmed). */
const ROUTING_KIND_PATTERN = '^[A-Za-z0-9_-]{1,64}$';

/** Every backend by name: a Record, so TypeScript fails here when BackendKind gains or loses one. */
const BACKENDS: Record<BackendKind, string> = { pglite: 'embedded PGlite', postgis: 'a PostGIS server' };
/** Every geometry a layer can declare, for the same reason. */
const GEOMETRIES: Record<GeometryKind, string> = { point: 'points', line: 'lines', polygon: 'polygons', mixed: 'areas and lines' };

const LAYER_IDS = TILE_LAYERS.map((l) => l.id);
const TILE_MAX_ZOOM = Math.max(...TILE_LAYERS.map((l) => l.maxzoom));
/** Query parameters some layer reads (its `params`, e.g. a scenario id once scenarios exist); documented on the tile route. */
const LAYER_PARAMS = [...new Set(TILE_LAYERS.flatMap((l) => l.params ?? []))].sort();

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: Json) => ({ anyOf: [schema, { type: 'null' }] });
const json = (schema: Json) => ({ 'application/json': { schema } });

/**
 * A 4xx/5xx answer in the one error shape, with the machine codes this
 * operation gives for that status (an answer with any other code fails validation).
 */
function errorResponse(description: string, codes: readonly string[]) {
  return {
    description: `${description} Codes: ${codes.map((c) => `\`${c}\``).join(', ')}.`,
    content: json({ $ref: '#/components/schemas/Error', type: 'object', properties: { error: { type: 'object', properties: { code: { enum: [...codes] } } } } }),
  };
}

/** An unexpected failure: a bug or an outage, never the caller's input (errors.ts). */
const INTERNAL = { $ref: '#/components/responses/Internal' };
/** The routing graph or the coverage state is not there (routing-service.ts, coverage-service.ts). */
const GRAPH_CODES = ['graph_unavailable', 'no_walk_network'] as const;
const COVERAGE_CODES = [...GRAPH_CODES, 'coverage_unavailable'] as const;
const POINT_CODES = ['outside_data_bounds', 'off_network'] as const;

function queryParam(name: string, schema: Json, description: string, required = false) {
  return { name, in: 'query', required, description, schema };
}

const lonParam = queryParam('lon', { type: 'number', minimum: -180, maximum: 180, examples: [119.0] }, 'Longitude, WGS84 degrees.', true);
const latParam = queryParam('lat', { type: 'number', minimum: -90, maximum: 90, examples: [25.45] }, 'Latitude, WGS84 degrees.', true);
const speedParam = queryParam(
  'speed_kmh',
  { type: 'number', exclusiveMinimum: 0, maximum: MAX_SPEED_KMH, default: DEFAULT_SPEED_KMH },
  `Walking speed, km/h. At the default ${DEFAULT_SPEED_KMH} km/h 15 minutes is ${(DEFAULT_SPEED_KMH * 1000 * 15) / 60} m; steps take ${STEPS_FACTOR}x as long per metre of their length.`,
);
const routingKindParam = queryParam(
  'kind',
  { type: 'string', pattern: ROUTING_KIND_PATTERN, examples: ['neighborhood', 'governance'] },
  'Only centers of this kind (`neighborhood`, `governance` or a service kind from OSM); all kinds when absent. A kind no center has is a 400 `unknown_kind` that lists the kinds there are.',
);
const minutesSchema = { type: 'number', exclusiveMinimum: 0, maximum: MAX_MINUTES };
const minutesListSchema = {
  type: 'array',
  items: minutesSchema,
  minItems: 1,
  maxItems: MAX_MINUTES_COUNT,
  default: [...DEFAULT_MINUTES],
};
const bufferSchema = { type: 'number', minimum: MIN_BUFFER_M, maximum: MAX_BUFFER_M, default: defaultIsochroneOptions.bufferM };
const generalizeSchema = { type: 'number', minimum: 0, maximum: MAX_GENERALIZE_M, default: 0 };
const BUFFER_TEXT = 'No polygon point is farther than this from the reached network, metres.';
const GENERALIZE_TEXT = 'Simplification tolerance, metres; 0 keeps the traced outline.';
const POINT_422 = `The point is outside the data's bounds, or more than ${MAX_SNAP_DISTANCE_M} m from any walkable way.`;

/** Headers of cacheable GET answers. */
const etagHeader = { description: 'Strong validator of this representation; send it back in If-None-Match.', required: true, schema: { type: 'string' } };
const cacheHeader = { description: 'Storable by shared caches; revalidate with the ETag.', required: true, schema: { type: 'string', examples: ['public, max-age=0, must-revalidate'] } };
const ifNoneMatch = {
  name: 'If-None-Match',
  in: 'header',
  required: false,
  description: 'ETags the client holds (weak comparison, `*` matches any): 304 when one matches.',
  schema: { type: 'string' },
};
const notModified = { description: 'The client\'s copy is current (If-None-Match matched). No body.', headers: { ETag: etagHeader, 'Cache-Control': cacheHeader } };

/** The layers as a Markdown table: what the catalog lists, for readers of the document. */
function layerTable(): string {
  const rows = TILE_LAYERS.map(
    (l) => `| \`${l.id}\` | ${GEOMETRIES[l.geometry]} | ${l.minzoom}-${l.maxzoom} | ${l.fields.map((f) => `\`${f.name}\` (${f.type})`).join(', ')} | ${l.description} |`,
  );
  return ['| layer | geometry | zooms | fields | what |', '|---|---|---|---|---|', ...rows].join('\n');
}

const layersParam = {
  name: 'layers',
  in: 'path',
  required: true,
  description: `One layer or a comma list (a repeated layer counts once): ${LAYER_IDS.map((id) => `\`${id}\``).join(', ')}. An unknown layer is a 404 \`unknown_layer\`.`,
  style: 'simple',
  explode: false,
  schema: { type: 'array', minItems: 1, items: { type: 'string', enum: LAYER_IDS } },
  examples: { one: { value: ['grids'] }, several: { value: ['grids', 'centers'] } },
};

/** A count or a duration in whole units. */
const count = { type: 'integer', minimum: 0 };
/** The tile cache's counters in /health (tile-cache.ts TileCacheStats). */
const CACHE_COUNTS = ['entries', 'bytes', 'maxBytes', 'hits', 'misses', 'coalesced', 'invalidated'] as const;

/** A part of /health that may not be ready yet: `ready`, `error`, the data version it has, and its own facts. */
function readiness(description: string, facts: Json): Json {
  return {
    type: 'object',
    description,
    required: ['ready', 'error'],
    additionalProperties: false,
    properties: { ready: { type: 'boolean' }, error: nullable({ type: 'string' }), version: { type: 'string' }, ...facts },
  };
}

function schemas(): Json {
  const lonLat = {
    type: 'array',
    description: '[lon, lat], WGS84 degrees.',
    prefixItems: [
      { type: 'number', minimum: -180, maximum: 180 },
      { type: 'number', minimum: -90, maximum: 90 },
    ],
    minItems: 2,
    maxItems: 2,
  };
  const ring = { type: 'array', items: ref('LonLat'), description: 'A closed ring: first and last positions are equal.' };
  const centerFields = {
    name: { type: 'string', minLength: 1, maxLength: CENTER_LIMITS.maxName, description: 'Surrounding spaces are trimmed.' },
    kind: { type: 'string', pattern: CENTER_KIND_PATTERN, description: '`neighborhood` (Party Building +), `governance` (Comprehensive Management +) or a service kind.' },
    services: {
      type: 'array',
      maxItems: CENTER_LIMITS.maxServices,
      items: { type: 'string', minLength: 1, maxLength: CENTER_LIMITS.maxService },
      description: 'Services offered; each a non-empty string, trimmed.',
    },
    lon: { type: 'number', minimum: -180, maximum: 180 },
    lat: { type: 'number', minimum: -CENTER_LIMITS.maxLat, maximum: CENTER_LIMITS.maxLat, description: 'Within Web Mercator, so the center can be drawn on a tile.' },
  };
  const fieldTypes = Object.keys(FIELD_SQL_TYPE);
  return {
    Error: {
      type: 'object',
      description: 'Every error answer: a stable machine code and a message that says what to fix.',
      required: ['error'],
      additionalProperties: false,
      properties: {
        error: {
          type: 'object',
          required: ['code', 'message'],
          additionalProperties: false,
          properties: { code: { type: 'string', examples: ['bad_request'] }, message: { type: 'string' } },
        },
      },
    },
    LonLat: lonLat,
    LineString: {
      type: 'object',
      required: ['type', 'coordinates'],
      additionalProperties: false,
      properties: { type: { const: 'LineString' }, coordinates: { type: 'array', items: ref('LonLat') } },
    },
    Polygon: {
      type: 'object',
      required: ['type', 'coordinates'],
      additionalProperties: false,
      properties: { type: { const: 'Polygon' }, coordinates: { type: 'array', items: ring, description: 'Outer ring counter-clockwise, then holes clockwise.' } },
    },
    MultiPolygon: {
      type: 'object',
      required: ['type', 'coordinates'],
      additionalProperties: false,
      properties: {
        type: { const: 'MultiPolygon' },
        coordinates: { type: 'array', items: { type: 'array', items: ring }, description: 'Empty when nothing is reached within the contour.' },
      },
    },
    Center: {
      type: 'object',
      description: 'A community service center.',
      required: ['id', 'name', 'kind', 'services', 'source', 'lon', 'lat'],
      additionalProperties: false,
      // Plain types: imported centers need not meet the limits this API puts on its own input.
      properties: {
        id: { type: 'integer', minimum: 1 },
        name: { type: 'string' },
        kind: { type: 'string', examples: ['neighborhood', 'governance'] },
        services: { type: 'array', items: { type: 'string' } },
        lon: { type: 'number', minimum: -180, maximum: 180 },
        lat: { type: 'number', minimum: -90, maximum: 90 },
        source: { type: 'string', description: 'Where it came from: `osm`, `demo`, an import\'s source, or `api` for centers added through this API.' },
      },
    },
    CenterList: {
      type: 'object',
      required: ['centers'],
      additionalProperties: false,
      properties: { centers: { type: 'array', items: ref('Center'), description: 'By id.' } },
    },
    NewCenter: {
      type: 'object',
      description: 'A center to add. Unknown fields are a 400, so that a typo such as `lng` is not ignored.',
      required: ['name', 'kind', 'lon', 'lat'],
      additionalProperties: false,
      properties: { ...centerFields, services: { ...centerFields.services, default: [] } },
    },
    CenterPatch: {
      type: 'object',
      description: 'The fields to change (at least one); absent fields stay. Unknown fields are a 400.',
      minProperties: 1,
      additionalProperties: false,
      properties: centerFields,
    },
    Nearest: {
      type: 'object',
      required: ['center', 'walk_seconds', 'distance_m', 'speed_kmh', 'origin', 'route'],
      additionalProperties: false,
      properties: {
        center: {
          type: 'object',
          description: 'The nearest center by walking time.',
          required: ['id', 'name', 'kind', 'services', 'lon', 'lat'],
          additionalProperties: false,
          properties: {
            id: { type: 'integer' },
            name: { type: 'string' },
            kind: { type: 'string' },
            services: { type: 'array', items: { type: 'string' } },
            lon: { type: 'number' },
            lat: { type: 'number' },
          },
        },
        walk_seconds: { type: 'number', minimum: 0, maximum: MAX_SEARCH_SECONDS, description: 'Walking time at speed_kmh, access legs included, seconds (0.1 s).' },
        distance_m: { type: 'number', minimum: 0, description: 'Length of the route, metres (0.1 m).' },
        speed_kmh: { type: 'number' },
        origin: {
          type: 'object',
          required: ['lon', 'lat', 'snapped', 'access_m'],
          additionalProperties: false,
          properties: {
            lon: { type: 'number' },
            lat: { type: 'number' },
            snapped: { ...ref('LonLat'), description: 'The nearest point on the nearest walkable way, where the walk joins the network.' },
            access_m: { type: 'number', minimum: 0, maximum: MAX_SNAP_DISTANCE_M, description: 'Straight access leg from the point to the network, metres.' },
          },
        },
        route: {
          type: 'object',
          description: 'The route along the streets from the point to the center, both access legs included.',
          required: ['type', 'properties', 'geometry'],
          additionalProperties: false,
          properties: {
            type: { const: 'Feature' },
            properties: {
              type: 'object',
              required: ['walk_seconds', 'distance_m'],
              additionalProperties: false,
              properties: { walk_seconds: { type: 'number' }, distance_m: { type: 'number' } },
            },
            geometry: ref('LineString'),
          },
        },
      },
    },
    IsochroneFeature: {
      type: 'object',
      required: ['type', 'properties', 'geometry'],
      additionalProperties: false,
      properties: {
        type: { const: 'Feature' },
        properties: {
          type: 'object',
          required: ['minutes', 'reachable_m', 'area_m2'],
          additionalProperties: false,
          properties: {
            minutes: minutesSchema,
            reachable_m: { type: 'integer', minimum: 0, description: 'Walkable length reached within the contour, metres.' },
            area_m2: { type: 'integer', minimum: 0, description: 'Area of the polygons, square metres.' },
          },
        },
        geometry: { oneOf: [ref('Polygon'), ref('MultiPolygon')] },
      },
    },
    IsochroneCollection: {
      type: 'object',
      description: 'One Feature per contour, largest first so smaller ones draw on top.',
      required: ['type', 'features', 'properties'],
      additionalProperties: false,
      properties: {
        type: { const: 'FeatureCollection' },
        features: { type: 'array', items: ref('IsochroneFeature'), minItems: 1, maxItems: MAX_MINUTES_COUNT },
        properties: {
          type: 'object',
          description: 'How the polygons were made (a foreign member, as RFC 7946 allows).',
          required: ['origins', 'speed_kmh', 'buffer_m', 'generalize_m', 'cell_size_m'],
          additionalProperties: false,
          properties: {
            origins: { type: 'integer', minimum: 1, maximum: MAX_ORIGINS },
            speed_kmh: { type: 'number' },
            buffer_m: { type: 'number' },
            generalize_m: { type: 'number' },
            cell_size_m: { type: 'number', description: 'Raster cell used to trace the outline, metres.' },
          },
        },
      },
    },
    IsochroneRequest: {
      type: 'object',
      description: 'Numbers may also be sent as numeric strings. Unknown fields are a 400.',
      required: ['origins'],
      additionalProperties: false,
      properties: {
        origins: { type: 'array', items: ref('LonLat'), minItems: 1, maxItems: MAX_ORIGINS, examples: [[[119.0, 25.45], [119.01, 25.46]]] },
        minutes: {
          description: `Contours, minutes: a list, one number, or a comma list such as "5,10,15". Sorted, duplicates dropped.`,
          anyOf: [minutesListSchema, minutesSchema, { type: 'string' }],
          default: [...DEFAULT_MINUTES],
        },
        speed_kmh: speedParam.schema,
        buffer_m: { ...bufferSchema, description: BUFFER_TEXT },
        generalize: { ...generalizeSchema, description: GENERALIZE_TEXT },
      },
    },
    CoverageCounts: {
      type: 'object',
      required: ['households', 'covered', 'share'],
      properties: {
        households: { type: 'integer', minimum: 0, description: 'Households (not units).' },
        covered: { type: 'integer', minimum: 0, description: 'Households within the threshold of a center.' },
        share: { ...nullable({ type: 'number', minimum: 0, maximum: 1 }), description: 'covered / households; null where there are no households.' },
      },
    },
    CoverageUnit: {
      type: 'object',
      required: ['code', 'name'],
      unevaluatedProperties: false,
      allOf: [ref('CoverageCounts')],
      properties: {
        code: { ...nullable({ type: 'string' }), description: 'Division or grid code; null for households the data does not place at this level.' },
        name: { type: 'string', description: '`(unassigned)` for the null code.' },
      },
    },
    Coverage: {
      type: 'object',
      required: ['level', 'minutes', 'kind', 'speed_kmh', 'data_version', 'units', 'total'],
      additionalProperties: false,
      properties: {
        level: { type: 'string', enum: [...LEVELS] },
        minutes: minutesSchema,
        kind: nullable({ type: 'string' }),
        speed_kmh: { type: 'number' },
        data_version: { type: 'string' },
        units: { type: 'array', items: ref('CoverageUnit'), description: 'Every unit of the level; together they add up to the total.' },
        total: { ...ref('CoverageCounts'), type: 'object', unevaluatedProperties: false },
      },
    },
    Health: {
      type: 'object',
      description: 'Ready: the database answers; `graph` and `coverage` say whether routing and coverage are ready yet; `tiles` counts the tile cache.',
      required: ['status', 'database', 'data', 'counts', 'graph', 'coverage', 'tiles'],
      additionalProperties: false,
      properties: {
        status: { const: 'ok' },
        database: {
          type: 'object',
          required: ['backend', 'ok'],
          additionalProperties: false,
          properties: { backend: ref('Backend'), ok: { const: true } },
        },
        data: {
          type: 'object',
          required: ['version', 'revision', 'city', 'source', 'changed_at'],
          additionalProperties: false,
          properties: {
            version: { type: 'string', description: 'Changes with every change to the data; keys snapshots and ETags.' },
            revision: { type: 'integer', minimum: 0 },
            city: nullable({ type: 'string' }),
            source: { ...nullable({ type: 'string' }), examples: ['demo:putian', 'osm:monaco.osm.pbf'] },
            changed_at: { type: 'string', format: 'date-time' },
          },
        },
        counts: { type: 'object', description: 'Rows per table.', additionalProperties: { type: 'integer', minimum: 0 } },
        graph: readiness('The in-memory walk graph.', {
          source: { enum: ['snapshot', 'table'] },
          nodes: count,
          edges: count,
          load_ms: count,
        }),
        coverage: readiness('Household coverage.', { units: count, centers: count, coverage_ms: count }),
        tiles: {
          type: 'object',
          description: 'Where tiles come from (`postgis`: the ST_AsMVT functions on the server; `embedded`: encoded here from PGlite rows) and the tile cache.',
          required: ['source', 'cache'],
          additionalProperties: false,
          properties: {
            source: { enum: ['postgis', 'embedded'] },
            cache: {
              type: 'object',
              required: [...CACHE_COUNTS],
              additionalProperties: false,
              properties: Object.fromEntries(CACHE_COUNTS.map((k) => [k, count])),
            },
          },
        },
      },
    },
    DataVersionEvent: {
      type: 'object',
      description: 'The data of a `version` event on /api/events.',
      required: ['version'],
      additionalProperties: false,
      properties: { version: { type: 'string' } },
    },
    DataChange: {
      description: 'The data of a `change` event on /api/events.',
      oneOf: [
        {
          type: 'object',
          description: 'Some features changed: drop the tiles of these layers that meet these boxes.',
          required: ['type', 'version', 'layers', 'boxes'],
          additionalProperties: false,
          properties: {
            type: { const: 'features' },
            version: { type: 'string' },
            layers: { type: 'array', items: { enum: LAYER_IDS } },
            boxes: {
              type: 'array',
              description: 'Old and new extents of what changed, [west, south, east, north].',
              items: { type: 'array', items: { type: 'number' }, minItems: 4, maxItems: 4 },
            },
          },
        },
        {
          type: 'object',
          description: 'The data was replaced (an import): reload everything.',
          required: ['type', 'version'],
          additionalProperties: false,
          properties: { type: { const: 'replaced' }, version: { type: 'string' } },
        },
      ],
    },
    HealthUnavailable: {
      type: 'object',
      description: 'The database does not answer (this answer is not in the error shape: it is a readiness report).',
      required: ['status', 'database'],
      additionalProperties: false,
      properties: {
        status: { const: 'unavailable' },
        database: {
          type: 'object',
          required: ['backend', 'ok', 'error'],
          additionalProperties: false,
          properties: { backend: ref('Backend'), ok: { const: false }, error: { type: 'string' } },
        },
      },
    },
    Backend: {
      type: 'string',
      enum: Object.keys(BACKENDS),
      description: Object.entries(BACKENDS).map(([k, v]) => `\`${k}\`: ${v}`).join('; '),
    },
    Catalog: {
      type: 'object',
      required: ['tiles', 'tilejson', 'layers'],
      additionalProperties: false,
      properties: {
        tiles: { const: '/tiles/{layers}/{z}/{x}/{y}.mvt' },
        tilejson: { const: '/tiles/{layers}.json' },
        layers: { type: 'array', items: ref('CatalogLayer') },
      },
    },
    CatalogLayer: {
      type: 'object',
      required: ['id', 'description', 'geometry_type', 'minzoom', 'maxzoom', 'fields'],
      additionalProperties: false,
      properties: {
        id: { type: 'string', enum: LAYER_IDS },
        description: { type: 'string' },
        geometry_type: { type: 'string', enum: Object.keys(GEOMETRIES) },
        minzoom: { type: 'integer', minimum: 0, maximum: TILE_MAX_ZOOM },
        maxzoom: { type: 'integer', minimum: 0, maximum: TILE_MAX_ZOOM },
        fields: {
          type: 'object',
          description: 'Feature properties by name.',
          additionalProperties: {
            type: 'object',
            required: ['type', 'description'],
            additionalProperties: false,
            properties: { type: { type: 'string', enum: fieldTypes }, description: { type: 'string' } },
          },
        },
        params: { type: 'array', items: { type: 'string' }, description: 'Query parameters the layer reads (part of the tile\'s cache key).' },
      },
    },
    TileJSON: {
      type: 'object',
      description: 'TileJSON 3.0.0 for one layer or several served as one tile.',
      required: ['tilejson', 'name', 'description', 'version', 'scheme', 'tiles', 'minzoom', 'maxzoom', 'bounds', 'center', 'vector_layers'],
      additionalProperties: false,
      properties: {
        tilejson: { const: '3.0.0' },
        name: { type: 'string', description: 'The layer ids, comma-separated.' },
        description: { type: 'string' },
        version: { type: 'string' },
        scheme: { const: 'xyz' },
        tiles: {
          type: 'array',
          minItems: 1,
          maxItems: 1,
          items: { type: 'string', pattern: '^https?://[^/]+/tiles/[^/]+/\\{z\\}/\\{x\\}/\\{y\\}\\.mvt$' },
          description: 'Absolute tile URL template on the host (and scheme) the client used, X-Forwarded-Host/-Proto honoured.',
        },
        minzoom: { type: 'integer', minimum: 0, maximum: TILE_MAX_ZOOM },
        maxzoom: { type: 'integer', minimum: 0, maximum: TILE_MAX_ZOOM },
        bounds: { type: 'array', items: { type: 'number' }, minItems: 4, maxItems: 4, description: '[west, south, east, north] of the stored data.' },
        center: { type: 'array', items: { type: 'number' }, minItems: 3, maxItems: 3, description: '[lon, lat, zoom].' },
        attribution: { type: 'string', description: 'HTML crediting OpenStreetMap, present when the data came from an OSM import.' },
        vector_layers: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'description', 'minzoom', 'maxzoom', 'fields'],
            additionalProperties: false,
            properties: {
              id: { type: 'string', enum: LAYER_IDS },
              description: { type: 'string' },
              minzoom: { type: 'integer' },
              maxzoom: { type: 'integer' },
              fields: { type: 'object', additionalProperties: { type: 'string', enum: [...new Set(Object.values(FIELD_TILEJSON_TYPE))] } },
            },
          },
        },
      },
    },
  };
}

function healthPath() {
  return {
    get: {
      operationId: 'getHealth',
      tags: ['health'],
      summary: 'Liveness and readiness',
      description: 'The database (backend, reachable), the data version and row counts, and the readiness of the walk graph and coverage. 503 when the database does not answer, so a load balancer takes the instance out.',
      responses: {
        '200': { description: 'The database answers.', content: json(ref('Health')) },
        '503': { description: 'The database does not answer.', content: json(ref('HealthUnavailable')) },
      },
    },
  };
}

function nearestPath() {
  return {
    get: {
      operationId: 'getNearest',
      tags: ['routing'],
      summary: 'Nearest center by walking time, with the route',
      description: `Snaps the point to the nearest walkable way (within ${MAX_SNAP_DISTANCE_M} m) and searches the network for the nearest center (of \`kind\`, or any) within ${MAX_SEARCH_SECONDS / 3600} h of walking.`,
      parameters: [lonParam, latParam, routingKindParam, speedParam],
      responses: {
        '200': { description: 'The center, the walk and the route.', content: json(ref('Nearest')) },
        '400': errorResponse('A parameter is missing or out of range, or no center has that kind.', ['bad_request', 'unknown_kind']),
        '404': errorResponse(`No center (of that kind) is reachable within ${MAX_SEARCH_SECONDS / 3600} h of walking.`, ['no_center_reachable']),
        '422': errorResponse(POINT_422, POINT_CODES),
        '503': errorResponse('The walk graph or the coverage state is not loaded (no data imported yet, or loading failed).', COVERAGE_CODES),
        '500': INTERNAL,
      },
    },
  };
}

function isochronePath() {
  const geojson = { 'application/geo+json': { schema: ref('IsochroneCollection') } };
  const common = {
    '400': errorResponse('A parameter is missing, malformed or out of range (the message names it).', ['bad_request']),
    '422': errorResponse(`${POINT_422} Or the area is too large for buffer_m (raise it).`, [...POINT_CODES, 'area_too_large']),
    '503': errorResponse('The walk graph is not loaded (no data imported yet, or loading failed).', GRAPH_CODES),
    '500': INTERNAL,
  };
  return {
    get: {
      operationId: 'getIsochrone',
      tags: ['routing'],
      summary: 'Walking isochrones from one point',
      description: 'One (Multi)Polygon Feature per contour: the area within that many minutes of walk from the point, drawn around the reached network.',
      parameters: [
        lonParam,
        latParam,
        { ...queryParam('minutes', minutesListSchema, 'Contours, minutes, as a comma list (sorted, duplicates dropped).'), style: 'form', explode: false },
        speedParam,
        queryParam('buffer_m', bufferSchema, BUFFER_TEXT),
        queryParam('generalize', generalizeSchema, GENERALIZE_TEXT),
      ],
      responses: { '200': { description: 'The contours.', content: geojson }, ...common },
    },
    post: {
      operationId: 'postIsochrone',
      tags: ['routing'],
      summary: 'Walking isochrones of several points (their union)',
      description: `One multi-source search from up to ${MAX_ORIGINS} origins: a contour is the area within that many minutes of the nearest origin (e.g. the 15-minute circle of all centers). Bodies over ${MAX_BODY_BYTES} bytes are a 413.`,
      requestBody: { required: true, content: json(ref('IsochroneRequest')) },
      responses: {
        '200': { description: 'The contours of the union.', content: geojson },
        ...common,
        '400': errorResponse('The body is not a JSON object, has an unknown field, or a value is missing, malformed or out of range (the message names it).', ['bad_request']),
        '413': errorResponse(`The body is larger than ${MAX_BODY_BYTES} bytes.`, ['payload_too_large']),
      },
    },
  };
}

function coveragePath() {
  return {
    get: {
      operationId: 'getCoverage',
      tags: ['coverage'],
      summary: 'Household coverage per unit of a level',
      description:
        'Households, and those within `minutes` of walk from a center (of `kind`, or any), per unit of the level, with the total; every level adds up to the city. ' +
        'This is the baseline: a `scenario` parameter is a 400 (scenarios will be answered by GET /api/scenarios/{id}).',
      parameters: [
        queryParam('level', { type: 'string', enum: [...LEVELS], default: LEVELS[0] }, 'The level whose units are listed.'),
        queryParam('minutes', { ...minutesSchema, default: COVERAGE_DEFAULT_MINUTES }, 'Threshold, minutes of walk.'),
        routingKindParam,
        speedParam,
      ],
      responses: {
        '200': { description: 'The units and the total.', content: json(ref('Coverage')) },
        '400': errorResponse('A parameter is out of range, no center has that kind, or `scenario` was given.', ['bad_request', 'unknown_kind']),
        '503': errorResponse('The walk graph or the coverage state is not loaded.', COVERAGE_CODES),
        '500': INTERNAL,
      },
    },
  };
}

function centerPaths() {
  const idParam = {
    name: 'id',
    in: 'path',
    required: true,
    description: 'Center id.',
    schema: { type: 'integer', minimum: 1, maximum: CENTER_LIMITS.maxId },
  };
  const badId = errorResponse('The id is not a positive whole number.', ['bad_field']);
  const badBody = errorResponse('The body is not a JSON object, or a field is unknown, missing or invalid (the message names it).', ['bad_field', 'bad_body']);
  const missing = errorResponse('No center has this id.', ['unknown_center']);
  const one = (description: string) => ({ description, content: json(ref('Center')) });
  const changes = 'Each change is one transaction that bumps the data version; tiles and coverage follow.';
  return {
    '/api/centers': {
      get: {
        operationId: 'listCenters',
        tags: ['centers'],
        summary: 'List the centers',
        parameters: [queryParam('kind', { type: 'string', pattern: CENTER_KIND_PATTERN }, 'Only centers of this kind (an empty value lists all).')],
        responses: {
          '200': { description: 'The centers, by id.', content: json(ref('CenterList')) },
          '400': errorResponse('The kind is not a lower-case name.', ['bad_field']),
          '500': INTERNAL,
        },
      },
      post: {
        operationId: 'createCenter',
        tags: ['centers'],
        summary: 'Add a center',
        description: `Added with source \`api\` and the next free id. ${changes}`,
        requestBody: { required: true, content: json(ref('NewCenter')) },
        responses: {
          '201': {
            ...one('The new center.'),
            headers: { Location: { description: 'The new center\'s URL.', required: true, schema: { type: 'string', examples: ['/api/centers/13'] } } },
          },
          '400': badBody,
          '500': INTERNAL,
        },
      },
    },
    '/api/centers/{id}': {
      parameters: [idParam],
      get: {
        operationId: 'getCenter',
        tags: ['centers'],
        summary: 'One center',
        responses: { '200': one('The center.'), '400': badId, '404': missing, '500': INTERNAL },
      },
      patch: {
        operationId: 'updateCenter',
        tags: ['centers'],
        summary: 'Move, rename, re-kind a center or change its services',
        description: changes,
        requestBody: { required: true, content: json(ref('CenterPatch')) },
        responses: { '200': one('The center as it is now.'), '400': badBody, '404': missing, '500': INTERNAL },
      },
      delete: {
        operationId: 'deleteCenter',
        tags: ['centers'],
        summary: 'Remove a center',
        description: changes,
        responses: { '200': one('The removed center.'), '400': badId, '404': missing, '500': INTERNAL },
      },
    },
  };
}

function tilePaths() {
  const cors = 'CORS is open for reads (GET, HEAD, OPTIONS from any origin).';
  const cachedJson = (schema: string, vary?: string) => ({
    description: 'The document.',
    headers: { ETag: etagHeader, 'Cache-Control': cacheHeader, ...(vary ? { Vary: { description: vary, required: true, schema: { type: 'string' } } } : {}) },
    content: json(ref(schema)),
  });
  const unknownLayer = errorResponse('A layer is unknown (the message lists the known ones), or the file name does not end as the path says.', ['unknown_layer', 'not_found']);
  const tileHeaders = {
    ETag: { description: 'Strong, from the tile\'s content, one per encoding (`-gz`, `-br` suffix).', required: true, schema: { type: 'string' } },
    'Cache-Control': cacheHeader,
    Vary: { description: '`Accept-Encoding`.', required: true, schema: { type: 'string' } },
  };
  return {
    '/tiles/catalog.json': {
      get: {
        operationId: 'getTileCatalog',
        tags: ['tiles'],
        summary: 'The tile layers',
        description: `Every layer with its geometry, zooms and typed fields. ${cors}\n\n${layerTable()}`,
        parameters: [ifNoneMatch],
        responses: { '200': cachedJson('Catalog'), '304': notModified, '500': INTERNAL },
      },
    },
    '/tiles/{layers}.json': {
      get: {
        operationId: 'getTileJson',
        tags: ['tiles'],
        summary: 'TileJSON 3.0.0 for one layer or a comma list',
        description: `Bounds and center come from the stored data; the tile URL names the host the client used. ${cors}`,
        parameters: [layersParam, ifNoneMatch],
        responses: {
          '200': cachedJson('TileJSON', 'Host, X-Forwarded-Host, X-Forwarded-Proto: the tile URL depends on them.'),
          '304': notModified,
          '404': unknownLayer,
          '500': INTERNAL,
        },
      },
    },
    '/tiles/{layers}/{z}/{x}/{y}.mvt': {
      get: {
        operationId: 'getTile',
        tags: ['tiles'],
        summary: 'A Mapbox Vector Tile with the layers',
        description:
          `One MVT layer per requested layer; a layer is empty below its minzoom. No layer is served beyond z${TILE_MAX_ZOOM} (clients overzoom). ` +
          `Compressed with br or gzip as Accept-Encoding allows (when it pays). ${cors}` +
          (LAYER_PARAMS.length ? ` Layer query parameters: ${LAYER_PARAMS.join(', ')}.` : ' No layer reads query parameters yet; others are ignored.'),
        parameters: [
          layersParam,
          { name: 'z', in: 'path', required: true, description: 'Zoom, at most the largest maxzoom of the layers.', schema: { type: 'integer', minimum: 0, maximum: TILE_MAX_ZOOM } },
          { name: 'x', in: 'path', required: true, description: 'Column, 0 to 2^z - 1.', schema: { type: 'integer', minimum: 0 } },
          { name: 'y', in: 'path', required: true, description: 'Row from the north, 0 to 2^z - 1 (XYZ scheme).', schema: { type: 'integer', minimum: 0 } },
          ...LAYER_PARAMS.map((name) => queryParam(name, { type: 'string', maxLength: 128 }, 'Read by the layers that declare it; part of the cache key.')),
          { name: 'Accept-Encoding', in: 'header', required: false, description: '`br` or `gzip` (the higher q wins, br on a tie); identity otherwise.', schema: { type: 'string' } },
          ifNoneMatch,
        ],
        responses: {
          '200': {
            description: 'The tile.',
            headers: { ...tileHeaders, 'Content-Encoding': { description: '`br` or `gzip` when compressed; absent otherwise.', schema: { type: 'string', enum: ['br', 'gzip'] } } },
            content: { [MVT_CONTENT_TYPE]: { schema: { type: 'string', contentMediaType: MVT_CONTENT_TYPE } } },
          },
          '204': { description: 'The tile has no features. No body.', headers: tileHeaders },
          '304': { ...notModified, headers: tileHeaders },
          '400': errorResponse('z, x or y is not a whole number in range.', ['bad_tile']),
          '404': unknownLayer,
          '500': INTERNAL,
        },
      },
    },
  };
}

/** GET /api/events (events/event-routes.ts): the data changes as Server-Sent Events. */
function eventsPath() {
  return {
    get: {
      operationId: 'getEvents',
      tags: ['events'],
      summary: 'Data changes as they happen (Server-Sent Events)',
      description:
        'A `text/event-stream` that stays open. First a `version` event (`DataVersionEvent`: the current data version, ' +
        'for a client that reconnects), then a `change` event (`DataChange`) for every change: centers added, moved or ' +
        'removed through any instance on the same database, the coverage written back after them (layers `households` ' +
        'and `grids`, with the extents that changed), and imports (`replaced`: reload everything). A map refreshes the ' +
        `tiles of those layers that meet the boxes. A comment line comes every ${HEARTBEAT_MS / 1000} s when nothing happens.`,
      responses: {
        '200': {
          description: 'The event stream. Each event is `event: version|change` and one `data:` line of JSON.',
          content: { 'text/event-stream': { schema: { type: 'string' } } },
        },
      },
    },
  };
}

function docsPaths() {
  return {
    [OPENAPI_PATH]: {
      get: {
        operationId: 'getOpenApi',
        tags: ['docs'],
        summary: 'This document (OpenAPI 3.1)',
        parameters: [ifNoneMatch],
        responses: {
          '200': {
            description: 'The OpenAPI document.',
            headers: { ETag: etagHeader, 'Cache-Control': { description: 'Cacheable; revalidate with the ETag.', required: true, schema: { type: 'string' } } },
            content: json({
              type: 'object',
              required: ['openapi', 'info', 'paths'],
              properties: { openapi: { const: '3.1.0' }, info: { type: 'object' }, paths: { type: 'object' } },
            }),
          },
          '304': notModified,
        },
      },
    },
    '/docs': {
      get: {
        operationId: 'getDocs',
        tags: ['docs'],
        summary: 'A page that lists the operations of this document',
        description: 'Self-contained HTML: no external resources; it reads /api/openapi.json.',
        responses: { '200': { description: 'The page.', content: { 'text/html': { schema: { type: 'string' } } } } },
      },
    },
  };
}

/** The OpenAPI 3.1.0 document of the API as it is mounted today. */
export function createOpenApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: '15-minute living circle API',
      version: '1',
      description:
        'Vector tiles, walking isochrones, the nearest community center and household coverage. ' +
        'All coordinates are WGS84 lon/lat. Every error is JSON `{ "error": { "code", "message" } }`: ' +
        'a 4xx for anything the caller got wrong, a 5xx only for a bug or an outage.',
    },
    servers: [{ url: '/' }],
    tags: [
      { name: 'routing', description: 'Isochrones and the nearest center, on the in-memory walk graph.' },
      { name: 'coverage', description: 'Households within a walk of a center, rolled up by level.' },
      { name: 'centers', description: 'The community service centers.' },
      { name: 'tiles', description: 'Vector tiles, TileJSON and the layer catalog.' },
      { name: 'events', description: 'Changes to the data, pushed to clients that follow them.' },
      { name: 'health', description: 'Liveness and readiness.' },
      { name: 'docs', description: 'This document and its page.' },
    ],
    paths: {
      '/api/isochrone': isochronePath(),
      '/api/nearest': nearestPath(),
      '/api/coverage': coveragePath(),
      ...centerPaths(),
      ...tilePaths(),
      '/api/events': eventsPath(),
      '/health': healthPath(),
      ...docsPaths(),
    },
    components: {
      schemas: schemas(),
      responses: {
        Internal: errorResponse('An unexpected failure (a bug or an outage); the server log has details.', ['internal']),
      },
    },
  };
}
