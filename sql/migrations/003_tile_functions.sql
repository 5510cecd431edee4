-- 003_tile_functions: one MVT function per tile layer, tiles.<layer>(z, x, y,
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

CREATE SCHEMA IF NOT EXISTS tiles;

CREATE OR REPLACE FUNCTION tiles.admin(z integer, x integer, y integer, query json DEFAULT '{}'::json)
RETURNS bytea
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $function$
DECLARE
  tile_env geometry;
  tile_bounds geometry;
  tile_tol double precision;
  mvt bytea;
BEGIN
  IF z < 6 OR z > 16 THEN
    RETURN ''::bytea;
  END IF;
  tile_env := ST_TileEnvelope(z, x, y);
  tile_bounds := ST_Transform(ST_TileEnvelope(z, x, y, margin => 0.015625), 4326);
  tile_tol := 2 * (ST_XMax(tile_env) - ST_XMin(tile_env)) / 4096;
  SELECT ST_AsMVT(t, 'admin', 4096, 'geom', 'id') INTO mvt FROM (
    SELECT (('x' || substr(md5(f.code), 1, 13))::bit(52)::bigint)::bigint AS id,
         (f.code)::text AS "code",
         (f.name)::text AS "name",
         (f.level)::text AS "level",
         (f.parent_code)::text AS "parent_code",
         ST_AsMVTGeom(ST_Simplify(ST_Transform(f.geom, 3857), tile_tol, true), tile_env::box2d, 4096, 64, true) AS geom
    FROM admin_units f
    WHERE f.geom && tile_bounds AND ST_Intersects(f.geom, tile_bounds)
      AND f.geom IS NOT NULL AND (f.level IN ('city', 'district') OR (f.level = 'street' AND z >= 10) OR (f.level = 'community' AND z >= 12))
  ) AS t;
  RETURN COALESCE(mvt, ''::bytea);
END
$function$;
COMMENT ON FUNCTION tiles.admin(integer, integer, integer, json) IS '{"description":"Administrative boundaries: city, district, street/town and community, by level","minzoom":6,"maxzoom":16,"vector_layers":[{"id":"admin","minzoom":6,"maxzoom":16,"fields":{"code":"Division code","name":"Name","level":"city, district, street or community","parent_code":"Code of the unit one level up"}}],"x-definition-sha1":"ea0b21d2225274ae0880d4c57df0a3543efa76ff"}';

CREATE OR REPLACE FUNCTION tiles.grids(z integer, x integer, y integer, query json DEFAULT '{}'::json)
RETURNS bytea
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $function$
DECLARE
  tile_env geometry;
  tile_bounds geometry;
  tile_tol double precision;
  mvt bytea;
BEGIN
  IF z < 10 OR z > 16 THEN
    RETURN ''::bytea;
  END IF;
  tile_env := ST_TileEnvelope(z, x, y);
  tile_bounds := ST_Transform(ST_TileEnvelope(z, x, y, margin => 0.015625), 4326);
  tile_tol := 2 * (ST_XMax(tile_env) - ST_XMin(tile_env)) / 4096;
  SELECT ST_AsMVT(t, 'grids', 4096, 'geom', 'id') INTO mvt FROM (
    SELECT (f.id)::bigint AS id,
         (CASE WHEN z >= 12 THEN f.code END)::text AS "code",
         (CASE WHEN z >= 12 THEN f.name END)::text AS "name",
         (CASE WHEN z >= 12 THEN community.name END)::text AS "community",
         (CASE WHEN z >= 12 THEN f.community_code END)::text AS "community_code",
         (CASE WHEN z >= 12 THEN f.officers END)::integer AS "officers",
         (COALESCE(f.households_total, (SELECT sum(h.households) FROM households h WHERE h.grid_id = f.id), 0))::integer AS "households",
         (f.covered_15)::integer AS "covered_15",
         (f.coverage_share_15)::real AS "coverage_share",
         ST_AsMVTGeom(ST_Simplify(ST_Transform(f.geom, 3857), tile_tol, true), tile_env::box2d, 4096, 64, true) AS geom
    FROM grids f LEFT JOIN admin_units community ON community.code = f.community_code
    WHERE f.geom && tile_bounds AND ST_Intersects(f.geom, tile_bounds)
  ) AS t;
  RETURN COALESCE(mvt, ''::bytea);
END
$function$;
COMMENT ON FUNCTION tiles.grids(integer, integer, integer, json) IS '{"description":"Unit grids with their officers, parent community, households and 15-minute coverage","minzoom":10,"maxzoom":16,"vector_layers":[{"id":"grids","minzoom":10,"maxzoom":16,"fields":{"code":"Grid code (from z12)","name":"Grid name (from z12)","community":"Parent community name (from z12)","community_code":"Parent community code (from z12)","officers":"Grid officers (from z12)","households":"Households in the grid","covered_15":"Households within a 15-minute walk of a center (absent until computed)","coverage_share":"Share of households within a 15-minute walk, 0-1 (absent for a grid without households)"}}],"x-definition-sha1":"e808523fa91a85c572fc089f0274e477312eebb5"}';

CREATE OR REPLACE FUNCTION tiles.centers(z integer, x integer, y integer, query json DEFAULT '{}'::json)
RETURNS bytea
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $function$
DECLARE
  tile_env geometry;
  tile_bounds geometry;
  tile_tol double precision;
  mvt bytea;
BEGIN
  IF z < 8 OR z > 16 THEN
    RETURN ''::bytea;
  END IF;
  tile_env := ST_TileEnvelope(z, x, y);
  tile_bounds := ST_Transform(ST_TileEnvelope(z, x, y, margin => 0.015625), 4326);
  tile_tol := 0 * (ST_XMax(tile_env) - ST_XMin(tile_env)) / 4096;
  SELECT ST_AsMVT(t, 'centers', 4096, 'geom', 'id') INTO mvt FROM (
    SELECT (f.id)::bigint AS id,
         (f.name)::text AS "name",
         (f.kind)::text AS "kind",
         (array_to_string(f.services, ','))::text AS "services",
         (f.source)::text AS "source",
         (NULL)::text AS "change",
         ST_AsMVTGeom(ST_Transform(f.geom, 3857), tile_env::box2d, 4096, 64, true) AS geom
    FROM centers f
    WHERE f.geom && tile_bounds AND ST_Intersects(f.geom, tile_bounds)
      AND (z >= 13 OR f.kind NOT IN ('kindergarten','community_station','elderly_day_care','health_station','pharmacy','convenience','primary_school','fresh_market','park','school'))
  ) AS t;
  RETURN COALESCE(mvt, ''::bytea);
END
$function$;
COMMENT ON FUNCTION tiles.centers(integer, integer, integer, json) IS '{"description":"Community service centers: neighbourhood (Party Building +), governance (Comprehensive Management +) and other services","minzoom":8,"maxzoom":16,"vector_layers":[{"id":"centers","minzoom":8,"maxzoom":16,"fields":{"name":"Center name","kind":"neighborhood, governance or another kind of kernel/life-circle-standard.json (the 5- and 10-minute kinds from z13)","services":"Services offered, comma-separated","source":"Where the center came from (osm, demo, api, ...)","change":"With ?scenario=: added, moved, removed (drawn where it was) or same"}}],"x-definition-sha1":"bfa9f95abae366e955d1a0318d9ef962cc23f60d"}';

CREATE OR REPLACE FUNCTION tiles.households(z integer, x integer, y integer, query json DEFAULT '{}'::json)
RETURNS bytea
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $function$
DECLARE
  tile_env geometry;
  tile_bounds geometry;
  tile_tol double precision;
  mvt bytea;
BEGIN
  IF z < 14 OR z > 16 THEN
    RETURN ''::bytea;
  END IF;
  tile_env := ST_TileEnvelope(z, x, y);
  tile_bounds := ST_Transform(ST_TileEnvelope(z, x, y, margin => 0.015625), 4326);
  tile_tol := 0 * (ST_XMax(tile_env) - ST_XMin(tile_env)) / 4096;
  SELECT ST_AsMVT(t, 'households', 4096, 'geom', 'id') INTO mvt FROM (
    SELECT (f.id)::bigint AS id,
         (f.households)::integer AS "households",
         (f.persons)::integer AS "persons",
         (f.grid_id)::integer AS "grid_id",
         (f.walk_seconds)::real AS "walk_seconds",
         (f.nearest_center_id)::integer AS "nearest_center_id",
         (COALESCE(f.walk_seconds <= 900, false))::boolean AS "covered",
         (NULL)::text AS "change",
         (NULL)::text AS "tiers",
         (NULL)::integer AS "tiers_met",
         ST_AsMVTGeom(ST_Transform(f.geom, 3857), tile_env::box2d, 4096, 64, true) AS geom
    FROM households f
    WHERE f.geom && tile_bounds AND ST_Intersects(f.geom, tile_bounds)
  ) AS t;
  RETURN COALESCE(mvt, ''::bytea);
END
$function$;
COMMENT ON FUNCTION tiles.households(integer, integer, integer, json) IS '{"description":"Household units (a building or address each) with their households, walk time to the nearest center and 15-minute coverage","minzoom":14,"maxzoom":16,"vector_layers":[{"id":"households","minzoom":14,"maxzoom":16,"fields":{"households":"Households in the unit","persons":"Persons, where known","grid_id":"The unit grid it belongs to","walk_seconds":"Walk to the nearest center at 4 km/h, seconds (absent when none is reachable or not yet computed)","nearest_center_id":"Id of the nearest center by walking time","covered":"Within a 15-minute walk of a center","change":"With ?scenario=: gained (within 15 minutes with the scenario only), lost, or same","tiers":"With ?standard=gb50180: the living-circle tiers the unit meets (GET /api/standard), e.g. \"5,10,15\"; \"\" for none","tiers_met":"With ?standard=gb50180: how many of the three tiers it meets, 0 to 3"}}],"x-definition-sha1":"aee2d778b0bf9fb25121cbe2baace152b0a0d9af"}';

CREATE OR REPLACE FUNCTION tiles.streets(z integer, x integer, y integer, query json DEFAULT '{}'::json)
RETURNS bytea
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $function$
DECLARE
  tile_env geometry;
  tile_bounds geometry;
  tile_tol double precision;
  mvt bytea;
BEGIN
  IF z < 10 OR z > 16 THEN
    RETURN ''::bytea;
  END IF;
  tile_env := ST_TileEnvelope(z, x, y);
  tile_bounds := ST_Transform(ST_TileEnvelope(z, x, y, margin => 0.015625), 4326);
  tile_tol := 1 * (ST_XMax(tile_env) - ST_XMin(tile_env)) / 4096;
  SELECT ST_AsMVT(t, 'streets', 4096, 'geom', 'id') INTO mvt FROM (
    SELECT (f.id)::bigint AS id,
         (f.class)::text AS "class",
         (f.reverse_cost < 0)::boolean AS "oneway",
         ST_AsMVTGeom(ST_Simplify(ST_Transform(f.geom, 3857), tile_tol, true), tile_env::box2d, 4096, 64, true) AS geom
    FROM walk_edges f
    WHERE f.geom && tile_bounds AND ST_Intersects(f.geom, tile_bounds)
      AND (z >= 14 OR f.class IN ('trunk','primary','secondary','trunk_link','primary_link','secondary_link') OR (z >= 12 AND f.class IN ('tertiary','tertiary_link','pedestrian')) OR (z >= 13 AND f.class IN ('residential','unclassified','living_street')))
      AND z >= 13
    UNION ALL
    SELECT ('x' || substr(md5(concat_ws('|', f."class"::text, f."oneway"::text)), 1, 13))::bit(52)::bigint AS id,
         f."class",
         f."oneway",
         ST_AsMVTGeom(ST_Simplify(ST_Transform(f.geom, 3857), tile_tol, true), tile_env::box2d, 4096, 64, true) AS geom
    FROM (SELECT (f.class)::text AS "class", (f.reverse_cost < 0)::boolean AS "oneway", ST_LineMerge(ST_Collect(f.geom)) AS geom
      FROM walk_edges f
      WHERE f.geom && tile_bounds AND ST_Intersects(f.geom, tile_bounds)
      AND (z >= 14 OR f.class IN ('trunk','primary','secondary','trunk_link','primary_link','secondary_link') OR (z >= 12 AND f.class IN ('tertiary','tertiary_link','pedestrian')) OR (z >= 13 AND f.class IN ('residential','unclassified','living_street')))
        AND z < 13
      GROUP BY 1, 2) f
  ) AS t;
  RETURN COALESCE(mvt, ''::bytea);
END
$function$;
COMMENT ON FUNCTION tiles.streets(integer, integer, integer, json) IS '{"description":"The walk network by class: primary and secondary roads from z10, tertiary and pedestrian from z12, residential from z13, the rest (service, footway, path, steps, ...) from z14; one feature per edge from z13, below it one per class and direction in each tile (its lines joined end to end)","minzoom":10,"maxzoom":16,"vector_layers":[{"id":"streets","minzoom":10,"maxzoom":16,"fields":{"class":"Way class (OSM highway value: primary, residential, footway, steps, ...)","oneway":"Walkable in the drawn direction only"}}],"x-definition-sha1":"d49edf72ef1f801a149d1c4818c5a108e7d0a06e"}';

CREATE OR REPLACE FUNCTION tiles.buildings(z integer, x integer, y integer, query json DEFAULT '{}'::json)
RETURNS bytea
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $function$
DECLARE
  tile_env geometry;
  tile_bounds geometry;
  tile_tol double precision;
  mvt bytea;
BEGIN
  IF z < 14 OR z > 16 THEN
    RETURN ''::bytea;
  END IF;
  tile_env := ST_TileEnvelope(z, x, y);
  tile_bounds := ST_Transform(ST_TileEnvelope(z, x, y, margin => 0.015625), 4326);
  tile_tol := 1 * (ST_XMax(tile_env) - ST_XMin(tile_env)) / 4096;
  SELECT ST_AsMVT(t, 'buildings', 4096, 'geom', 'id') INTO mvt FROM (
    SELECT (f.id)::bigint AS id,
         (f.kind)::text AS "kind",
         (f.levels)::real AS "levels",
         ST_AsMVTGeom(ST_Simplify(ST_Transform(f.geom, 3857), tile_tol, true), tile_env::box2d, 4096, 64, true) AS geom
    FROM buildings f
    WHERE f.geom && tile_bounds AND ST_Intersects(f.geom, tile_bounds)
  ) AS t;
  RETURN COALESCE(mvt, ''::bytea);
END
$function$;
COMMENT ON FUNCTION tiles.buildings(integer, integer, integer, json) IS '{"description":"Building footprints","minzoom":14,"maxzoom":16,"vector_layers":[{"id":"buildings","minzoom":14,"maxzoom":16,"fields":{"kind":"Building kind (OSM building value)","levels":"Storeys, where known"}}],"x-definition-sha1":"aebc21224aa1c6407800f69f4dac1d666f333dd4"}';

CREATE OR REPLACE FUNCTION tiles.water(z integer, x integer, y integer, query json DEFAULT '{}'::json)
RETURNS bytea
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $function$
DECLARE
  tile_env geometry;
  tile_bounds geometry;
  tile_tol double precision;
  mvt bytea;
BEGIN
  IF z < 8 OR z > 16 THEN
    RETURN ''::bytea;
  END IF;
  tile_env := ST_TileEnvelope(z, x, y);
  tile_bounds := ST_Transform(ST_TileEnvelope(z, x, y, margin => 0.015625), 4326);
  tile_tol := 2 * (ST_XMax(tile_env) - ST_XMin(tile_env)) / 4096;
  SELECT ST_AsMVT(t, 'water', 4096, 'geom', 'id') INTO mvt FROM (
    SELECT (f.id)::bigint AS id,
         (f.kind)::text AS "kind",
         (f.name)::text AS "name",
         ST_AsMVTGeom(ST_Simplify(ST_Transform(f.geom, 3857), tile_tol, true), tile_env::box2d, 4096, 64, true) AS geom
    FROM water f
    WHERE f.geom && tile_bounds AND ST_Intersects(f.geom, tile_bounds)
  ) AS t;
  RETURN COALESCE(mvt, ''::bytea);
END
$function$;
COMMENT ON FUNCTION tiles.water(integer, integer, integer, json) IS '{"description":"Water areas and waterways","minzoom":8,"maxzoom":16,"vector_layers":[{"id":"water","minzoom":8,"maxzoom":16,"fields":{"kind":"water, riverbank, reservoir, river, stream, canal","name":"Name, where known"}}],"x-definition-sha1":"efdd00a4d620f94ca33bce847c57886d89429862"}';
