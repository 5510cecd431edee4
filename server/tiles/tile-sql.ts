/**
 * Renders a layer's tile query as plain SQL text, testable without a database
 * (pg_tileserv's way). One feature SELECT per layer is shared by both paths,
 * so they pick the same features with the same properties:
 *
 *   - the PostGIS server: a plpgsql function tiles.<layer>(z, x, y, query json)
 *     returning the layer's MVT bytes through ST_AsMVTGeom and ST_AsMVT, the
 *     function-source convention Martin and pg_tileserv discover. plpgsql
 *     (not LANGUAGE sql) because it keeps the inner query's plan for the
 *     session: a cached statement per pooled connection.
 *   - the embedded PGlite (no protobuf, so no ST_AsMVTGeom): the same SELECT
 *     with ST_AsMVTGeom replaced by the same steps in plain PostGIS calls
 *     (drop what is under the resolution, affine to tile units, snap to the
 *     unit grid, clip to the buffered tile, repair polygons), returning WKB;
 *     tile-simplify.ts does the two steps PGlite's PostGIS 3.6 cannot do as
 *     the server's 3.3 does, and mvt-encoder.ts encodes.
 *
 * The steps follow PostGIS's ST_AsMVTGeom (postgis/mvt.c, 3.1+): resolution
 * check on the stored box, transform, grid, simplify(0), then clip (GEOS for
 * points and lines, wagyu for polygons, which snap-rounds and repairs them;
 * here ST_ClipByBox2D, ST_MakeValid and tile-simplify.ts's snap rounding).
 * Points and lines come out identical, polygons within a tile unit except
 * slivers in the buffer that the two clippers cut differently.
 *
 * Run `npx tsx server/tiles/tile-sql.ts > sql/migrations/003_tile_functions.sql`
 * after editing layers.ts; tile-sql.test.ts fails until the file matches.
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { FIELD_SQL_TYPE, TILE_BUFFER, TILE_EXTENT, TILE_LAYERS, type TileField, type TileLayer } from './layers.ts';

/** The schema that holds the tile functions. */
export const TILE_SCHEMA = 'tiles';

/** ST_TileEnvelope margin that matches the MVT buffer (64/4096 of a tile). */
const MARGIN = TILE_BUFFER / TILE_EXTENT;

/** The layer's geometry in EPSG:3857, simplified by its per-layer tolerance (`tile_tol`, metres at this zoom). */
function sourceGeometry(layer: TileLayer): string {
  const projected = 'ST_Transform(f.geom, 3857)';
  return layer.simplify > 0 ? `ST_Simplify(${projected}, tile_tol, true)` : projected;
}

/** ST_AsMVTGeom on the server. */
function mvtGeometry(g: string): string {
  return `ST_AsMVTGeom(${g}, tile_env::box2d, ${TILE_EXTENT}, ${TILE_BUFFER}, true)`;
}

const CLIP_BOX = `ST_MakeEnvelope(${-TILE_BUFFER}, ${-TILE_BUFFER}, ${TILE_EXTENT + TILE_BUFFER}, ${TILE_EXTENT + TILE_BUFFER})`;

/** Clip of points and lines as mvt_clip_and_validate_geos does: untouched when inside, else clipped and re-snapped. */
const CLIP_LINEAR = `CASE WHEN s.g @ ${CLIP_BOX} THEN s.g ELSE ST_SnapToGrid(ST_ClipByBox2D(s.g, ${CLIP_BOX}), 1) END`;
/**
 * Polygons: clipped (repaired first, since GEOS clips only valid input),
 * repaired (wagyu's job on the server), back on the grid, polygons only.
 * Polygons inside the clip box skip the clip and its repair.
 */
const CLIP_POLYGON = `ST_CollectionExtract(ST_SnapToGrid(ST_MakeValid(CASE WHEN s.g @ ${CLIP_BOX} THEN s.g
        ELSE ST_SnapToGrid(ST_ClipByBox2D(ST_MakeValid(s.g), ${CLIP_BOX}), 1) END), 1), 3)`;

/** The float32 spacing at a double's magnitude (0 and tiny values: exact enough). */
const floatUlp = (v: string) => `2 ^ (floor(ln(GREATEST(abs(${v}), 1e-300)) / ln(2)) - 23)`;
/** A double rounded down (up) to float32, as PostGIS rounds the bounding boxes it stores with a geometry. */
const floatDown = (v: string) => `floor((${v}) / ${floatUlp(v)}) * ${floatUlp(v)}`;
const floatUp = (v: string) => `ceil((${v}) / ${floatUlp(v)}) * ${floatUlp(v)}`;

/**
 * ST_AsMVTGeom's first step: a line or polygon whose bounding box is under
 * half a tile unit both ways is dropped before anything else. It reads the
 * box stored with the geometry, which PostGIS keeps in float32 rounded
 * outwards (ST_Transform's output always has one).
 */
function belowResolution(g: string): string {
  return `(GeometryType(${g}) IN ('LINESTRING', 'MULTILINESTRING', 'POLYGON', 'MULTIPOLYGON')
        AND ${floatUp(`ST_XMax(${g})`)} - ${floatDown(`ST_XMin(${g})`)} < tile_half
        AND ${floatUp(`ST_YMax(${g})`)} - ${floatDown(`ST_YMin(${g})`)} < tile_half)`;
}

/**
 * ST_AsMVTGeom's steps in plain PostGIS, for the embedded database. For
 * lines the "no points on straight runs" step is left to tile-simplify.ts
 * (PGlite's ST_Simplify(g, 0) differs from the server's); polygons take
 * ST_Simplify(g, 0) here, before the repair that stands in for wagyu.
 */
function emulatedGeometry(g: string, layer: TileLayer): string {
  const snapped = 'ST_SnapToGrid(ST_Affine(o.src, tile_fx, 0, 0, tile_fy, tile_ox, tile_oy), 1)';
  const polygonGrid = `ST_Simplify(${snapped}, 0, false)`;
  const grid =
    layer.geometry === 'polygon' ? polygonGrid : layer.geometry === 'mixed' ? `CASE WHEN ST_Dimension(o.src) = 2 THEN ${polygonGrid} ELSE ${snapped} END` : snapped;
  const clip =
    layer.geometry === 'polygon' ? CLIP_POLYGON : layer.geometry === 'mixed' ? `CASE WHEN ST_Dimension(s.g) = 2 THEN ${CLIP_POLYGON} ELSE ${CLIP_LINEAR} END` : CLIP_LINEAR;
  const drop = layer.geometry === 'point' ? '' : `WHEN ${belowResolution('o.src')} THEN NULL\n        `;
  return `(SELECT CASE ${drop}WHEN s.g IS NULL OR ST_IsEmpty(s.g) THEN NULL ELSE ${clip} END
      FROM (SELECT ${g} AS src) o
      CROSS JOIN LATERAL (SELECT ${grid} AS g) s)`;
}

/** Quoted identifier for a field alias (names are constants from layers.ts). */
function alias(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`tile field name "${name}" must be a lower-case identifier`);
  return `"${name}"`;
}

/** A field's expression, NULL (left out of the feature) below the field's minzoom. */
function fieldSql(field: TileField): string {
  return field.minzoom === undefined ? field.sql : `CASE WHEN z >= ${field.minzoom} THEN ${field.sql} END`;
}

/**
 * The layer's feature rows: id, typed properties and the tile-space geometry.
 * Features are those whose geometry meets the buffered tile: `&&` alone
 * compares float32 index boxes and lets in points up to ~0.1 m outside.
 * Refers to z, query, tile_env, tile_bounds, tile_tol (and tile_fx, tile_fy,
 * tile_ox, tile_oy, tile_half when emulated), which each path defines.
 */
export function featureSelectSql(layer: TileLayer, mode: 'mvt' | 'emulated'): string {
  const geometry = mode === 'mvt' ? mvtGeometry(sourceGeometry(layer)) : emulatedGeometry(sourceGeometry(layer), layer);
  const fieldColumns = layer.fields.map((field) => `(${fieldSql(field)})::${FIELD_SQL_TYPE[field.type]} AS ${alias(field.name)}`);
  const inTile = `f.geom && tile_bounds AND ST_Intersects(f.geom, tile_bounds)${layer.where ? `\n      AND ${layer.where}` : ''}`;
  const merge = layer.mergeBelowZoom;
  const perFeature = `SELECT ${[`(${layer.idSql})::bigint AS id`, ...fieldColumns, `${geometry} AS geom`].join(',\n         ')}
    FROM ${layer.from}
    WHERE ${inTile}${merge === undefined ? '' : `\n      AND z >= ${merge}`}`;
  if (merge === undefined) return perFeature;
  if (layer.geometry !== 'line') throw new Error(`layer ${layer.id}: mergeBelowZoom is for line layers`);
  // Below the zoom: one row per set of property values, its lines collected and joined end to end;
  // the id is the values' hash (52 bits, safe in JS), so it is the same in every tile and on both backends.
  const names = layer.fields.map((field) => `f.${alias(field.name)}`);
  const idSql = `('x' || substr(md5(concat_ws('|', ${names.map((n) => `${n}::text`).join(', ')})), 1, 13))::bit(52)::bigint`;
  return `${perFeature}
    UNION ALL
    SELECT ${[`${idSql} AS id`, ...names, `${geometry} AS geom`].join(',\n         ')}
    FROM (SELECT ${[...fieldColumns, 'ST_LineMerge(ST_Collect(f.geom)) AS geom'].join(', ')}
      FROM ${layer.from}
      WHERE ${inTile}
        AND z < ${merge}
      GROUP BY ${layer.fields.map((_, i) => i + 1).join(', ')}) f`;
}

/** The tolerance in metres at zoom z: the layer's tile units times the tile width over the extent. */
function toleranceSql(layer: TileLayer, env: string): string {
  return `${layer.simplify} * (ST_XMax(${env}) - ST_XMin(${env})) / ${TILE_EXTENT}`;
}

/** CREATE OR REPLACE FUNCTION tiles.<layer>(z, x, y, query). */
function createFunctionSql(layer: TileLayer): string {
  return `CREATE OR REPLACE FUNCTION ${TILE_SCHEMA}.${layer.id}(z integer, x integer, y integer, query json DEFAULT '{}'::json)
RETURNS bytea
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $function$
DECLARE
  tile_env geometry;
  tile_bounds geometry;
  tile_tol double precision;
  mvt bytea;
BEGIN
  IF z < ${layer.minzoom} OR z > ${layer.maxzoom} THEN
    RETURN ''::bytea;
  END IF;
  tile_env := ST_TileEnvelope(z, x, y);
  tile_bounds := ST_Transform(ST_TileEnvelope(z, x, y, margin => ${MARGIN}), 4326);
  tile_tol := ${toleranceSql(layer, 'tile_env')};
  SELECT ST_AsMVT(t, '${layer.id}', ${TILE_EXTENT}, 'geom', 'id') INTO mvt FROM (
    ${featureSelectSql(layer, 'mvt')}
  ) AS t;
  RETURN COALESCE(mvt, ''::bytea);
END
$function$;`;
}

/** The hash an installed function's comment carries when it matches layers.ts. */
export function tileFunctionHash(layer: TileLayer): string {
  return definitionHash(createFunctionSql(layer));
}

/** tiles.<layer>(z, x, y, query) and its comment. */
export function tileFunctionSql(layer: TileLayer): string {
  const name = `${TILE_SCHEMA}.${layer.id}`;
  const create = createFunctionSql(layer);
  // Martin merges a function's JSON comment into its TileJSON; the hash lets
  // the server see that an installed function is older than layers.ts.
  const comment = {
    description: layer.description,
    minzoom: layer.minzoom,
    maxzoom: layer.maxzoom,
    vector_layers: [{ id: layer.id, minzoom: layer.minzoom, maxzoom: layer.maxzoom, fields: Object.fromEntries(layer.fields.map((f) => [f.name, f.description])) }],
    'x-definition-sha1': definitionHash(create),
  };
  return `${create}
COMMENT ON FUNCTION ${name}(integer, integer, integer, json) IS '${JSON.stringify(comment).replaceAll("'", "''")}';`;
}

/** sha1 of a function's CREATE statement, kept in its comment. */
export function definitionHash(createSql: string): string {
  return createHash('sha1').update(createSql).digest('hex');
}

/** Every layer's function, as the migration file holds them. */
export function tileFunctionsSql(layers: readonly TileLayer[] = TILE_LAYERS): string {
  return `-- 003_tile_functions: one MVT function per tile layer, tiles.<layer>(z, x, y,
-- query json) returns bytea, the function-source convention that Martin and
-- pg_tileserv discover, so an existing tile server can serve this database.
-- Each returns the layer's features in tile (z, x, y) as one MVT layer,
-- clipped with a 64-unit buffer and simplified more at lower zooms; tiles of
-- several layers are the concatenation of their functions' bytes.
--
-- GENERATED from server/tiles/layers.ts by server/tiles/tile-sql.ts; do not
-- edit by hand. The server re-installs them when layers.ts changes.
-- Created on PGlite too (they are valid SQL there) but only called on the
-- server: PGlite's PostGIS lacks protobuf, so ST_AsMVT fails when called.

CREATE SCHEMA IF NOT EXISTS ${TILE_SCHEMA};

${layers.map(tileFunctionSql).join('\n\n')}
`;
}

/** A tile request on the server: the layers' functions concatenated into one tile. */
export function serverTileSql(layers: readonly TileLayer[]): string {
  return `SELECT ${layers.map((l) => `${TILE_SCHEMA}.${l.id}($1, $2, $3, $4)`).join(' || ')} AS mvt`;
}

/**
 * A layer's rows on the embedded database: parameters $1..$4 are z, x, y and
 * the query json; columns are id, the fields in order, and `wkb` (tile units).
 * OFFSET 0 keeps the planner from inlining the geometry expression into the
 * outer WHERE, which would run it three times per feature.
 */
export function embeddedLayerSql(layer: TileLayer): string {
  const fields = layer.fields.map((f) => `t.${alias(f.name)}`).join(', ');
  return `SELECT t.id, ${fields}${fields ? ', ' : ''}ST_AsBinary(t.geom) AS wkb
FROM (SELECT $1::integer AS z, $2::integer AS x, $3::integer AS y, $4::json AS query) AS tile_args
CROSS JOIN LATERAL (SELECT ST_TileEnvelope(tile_args.z, tile_args.x, tile_args.y) AS tile_env,
  ST_Transform(ST_TileEnvelope(tile_args.z, tile_args.x, tile_args.y, margin => ${MARGIN}), 4326) AS tile_bounds) AS tile_geom
CROSS JOIN LATERAL (SELECT ST_XMin(tile_geom.tile_env) AS xmin, ST_YMax(tile_geom.tile_env) AS ymax,
  ST_XMax(tile_geom.tile_env) - ST_XMin(tile_geom.tile_env) AS width, ST_YMax(tile_geom.tile_env) - ST_YMin(tile_geom.tile_env) AS height) AS tile_box
CROSS JOIN LATERAL (SELECT ${toleranceSql(layer, 'tile_geom.tile_env')} AS tile_tol, tile_box.width / ${TILE_EXTENT} / 2.0 AS tile_half,
  ${TILE_EXTENT} / tile_box.width AS tile_fx, -(${TILE_EXTENT} / tile_box.height) AS tile_fy,
  -tile_box.xmin * (${TILE_EXTENT} / tile_box.width) AS tile_ox, -tile_box.ymax * -(${TILE_EXTENT} / tile_box.height) AS tile_oy) AS tile_scale
CROSS JOIN LATERAL (
    ${featureSelectSql(layer, 'emulated')}
    OFFSET 0
) AS t
WHERE t.geom IS NOT NULL AND NOT ST_IsEmpty(t.geom)`;
}

// Prints the migration: npx tsx server/tiles/tile-sql.ts > sql/migrations/003_tile_functions.sql
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.stdout.write(tileFunctionsSql());
