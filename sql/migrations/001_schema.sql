-- 001_schema: the system of record. Six management levels (city > district >
-- street/town > community > grid > unit), centers, household units, the walk
-- network in pgRouting-compatible columns, basemap features, and the data
-- version. Runs unchanged on PostGIS 3.3 (server) and 3.6 (PGlite).

CREATE EXTENSION IF NOT EXISTS postgis;

-- City, district, street/town and community. Grids and units have their own
-- tables because they carry more than a name. geom is optional: generated or
-- imported boundaries where the data has them.
CREATE TABLE admin_units (
  code        text PRIMARY KEY,
  level       text NOT NULL CHECK (level IN ('city', 'district', 'street', 'community')),
  name        text NOT NULL,
  parent_code text REFERENCES admin_units (code),
  geom        geometry(MultiPolygon, 4326)
);
CREATE INDEX admin_units_level_idx ON admin_units (level);
CREATE INDEX admin_units_geom_idx ON admin_units USING gist (geom);

-- Unit grids with their officers and their whole parent chain, so every
-- statistic rolls up without joins through admin_units.
CREATE TABLE grids (
  id             integer PRIMARY KEY,
  code           text NOT NULL UNIQUE,
  name           text NOT NULL,
  city_code      text NOT NULL,
  district_code  text,
  street_code    text,
  community_code text,
  officers       integer NOT NULL DEFAULT 0 CHECK (officers >= 0),
  geom           geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX grids_geom_idx ON grids USING gist (geom);
CREATE INDEX grids_community_idx ON grids (community_code);

-- Community service centers. kind: 'neighborhood' (Party Building +),
-- 'governance' (Comprehensive Management +) or a service kind from OSM.
CREATE TABLE centers (
  id        integer PRIMARY KEY,
  name      text NOT NULL,
  kind      text NOT NULL,
  services  text[] NOT NULL DEFAULT '{}',
  source    text NOT NULL,
  source_id text,
  geom      geometry(Point, 4326) NOT NULL
);
CREATE INDEX centers_geom_idx ON centers USING gist (geom);
CREATE INDEX centers_kind_idx ON centers (kind);

-- One row per unit (building or address), not per household. grid_id has no
-- foreign key on purpose: a per-row FK trigger doubles the import's insert
-- time; the importer checks every unit's grid before it writes.
CREATE TABLE households (
  id             integer PRIMARY KEY,
  households     integer NOT NULL CHECK (households >= 0),
  persons        integer,
  grid_id        integer NOT NULL,
  city_code      text NOT NULL,
  district_code  text,
  street_code    text,
  community_code text,
  source         text NOT NULL,
  source_id      text,
  geom           geometry(Point, 4326) NOT NULL
);
CREATE INDEX households_geom_idx ON households USING gist (geom);
CREATE INDEX households_grid_idx ON households (grid_id);

-- The walk network: pgRouting-compatible (id, source, target, cost,
-- reverse_cost in seconds at the default speed; a negative reverse_cost means
-- one-way for walkers, as pgRouting reads it).
CREATE TABLE walk_nodes (
  id     integer PRIMARY KEY,
  osm_id bigint,
  geom   geometry(Point, 4326) NOT NULL
);
CREATE TABLE walk_edges (
  id           integer PRIMARY KEY,
  source       integer NOT NULL,
  target       integer NOT NULL,
  cost         double precision NOT NULL,
  reverse_cost double precision NOT NULL,
  length_m     double precision NOT NULL,
  class        text NOT NULL,
  osm_id       bigint,
  geom         geometry(LineString, 4326) NOT NULL
);
CREATE INDEX walk_edges_geom_idx ON walk_edges USING gist (geom);

-- Basemap features of our own data, so the client needs no external tiles.
CREATE TABLE buildings (
  id     integer PRIMARY KEY,
  kind   text NOT NULL,
  levels real,
  geom   geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX buildings_geom_idx ON buildings USING gist (geom);
CREATE TABLE water (
  id   integer PRIMARY KEY,
  kind text NOT NULL,
  name text,
  geom geometry(Geometry, 4326) NOT NULL
);
CREATE INDEX water_geom_idx ON water USING gist (geom);

-- The data version: one row, changed in the same transaction as any change
-- to imported data. Graph snapshots and tile ETags are keyed by it.
CREATE TABLE data_state (
  id          integer PRIMARY KEY CHECK (id = 1),
  version     text NOT NULL,
  revision    bigint NOT NULL,
  city        text,
  source      text,
  changed_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO data_state (id, version, revision, city, source) VALUES (1, 'empty', 0, NULL, NULL);
