/**
 * What spreading grid totals (grid-totals.ts) needs, read from the STORED
 * city for a partial --grids update: residential buildings from `buildings`
 * and residential streets from `walk_edges`, only those within `box` (the
 * grids with totals), in id order, which is the order the full import wrote
 * them in, so the spread is the one the import would make from them.
 *
 * Residential is decided by the OSM import's own rule
 * (osm/household-estimate.ts householdsInBuilding > 0) on what is stored:
 * `kind` (the building=* value), `levels` (building:levels) and the
 * footprint. The import also had tags that are not stored, so this is an
 * approximation of its choice in three documented ways:
 *  - building:flats / addr:flats are not stored: a building of another kind
 *    (say building=commercial with flats) counts as housing in the import,
 *    not here;
 *  - shop, amenity, office... are not stored: a building=yes in the size
 *    band with such a tag is left out by the import, counted here;
 *  - height is not stored: where the import took levels from height, here
 *    the floor area is the footprint alone (levels unknown).
 * Footprint and centroid are measured as the import measures them
 * (ringAreaCentroid) on each polygon's outer ring; a multipolygon building
 * sums its parts' areas, its centroid their area-weighted mean.
 */
import type { Queryable } from '../../kernel/db/database.ts';
import type { MultiPolygonCoords } from '../../kernel/import-bundle.ts';
import { STREET_RANKS, type ResidentialBuildings, type StreetLines } from '../grid-totals.ts';
import { householdsInBuilding, ringAreaCentroid } from '../osm/household-estimate.ts';

export type Box = [number, number, number, number];

/** The bounding box of the given polygons. */
export function boxOf(geoms: Iterable<MultiPolygonCoords>): Box {
  const b: Box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const geom of geoms) {
    for (const polygon of geom) {
      for (const [x, y] of polygon[0] ?? []) {
        b[0] = Math.min(b[0], x);
        b[1] = Math.min(b[1], y);
        b[2] = Math.max(b[2], x);
        b[3] = Math.max(b[3], y);
      }
    }
  }
  return b;
}

const ENVELOPE = 'ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, 4326)';

/** Footprint (m²) and centroid of a stored building's outer rings. */
function measure(geom: MultiPolygonCoords): { areaM2: number; lon: number; lat: number } {
  let area = 0;
  let lon = 0;
  let lat = 0;
  for (const polygon of geom) {
    const ring = polygon[0];
    if (!ring || ring.length < 3) continue;
    const m = ringAreaCentroid(Float64Array.from(ring.flat()), 0, ring.length);
    if (!(m.areaM2 > 0)) continue;
    area += m.areaM2;
    lon += m.lon * m.areaM2;
    lat += m.lat * m.areaM2;
  }
  return area > 0 ? { areaM2: area, lon: lon / area, lat: lat / area } : { areaM2: 0, lon: NaN, lat: NaN };
}

/** Stored buildings within `box` that the import's rule counts as housing; their units are named "building/<id>" (the stored id). */
export async function storedResidentialBuildings(q: Queryable, box: Box): Promise<ResidentialBuildings> {
  const rows = await q.query<{ id: number; kind: string; levels: number | null; geom: string }>(
    `SELECT id, kind, levels, ST_AsGeoJSON(geom, 15) AS geom FROM buildings WHERE geom && ${ENVELOPE} ORDER BY id`,
    box,
  );
  const kept: { id: number; levels: number | null; m: ReturnType<typeof measure> }[] = [];
  for (const r of rows) {
    const m = measure((JSON.parse(r.geom) as { coordinates: MultiPolygonCoords }).coordinates);
    if (!(m.areaM2 > 0)) continue;
    const levels = r.levels === null ? null : Number(r.levels);
    const info = { kind: r.kind, levels, flats: null, heightM: null, nonResidential: false };
    if (householdsInBuilding(info, m.areaM2) > 0) kept.push({ id: Number(r.id), levels, m });
  }
  const n = kept.length;
  const out: ResidentialBuildings = {
    count: n,
    lon: Float64Array.from(kept, (b) => b.m.lon),
    lat: Float64Array.from(kept, (b) => b.m.lat),
    footprintM2: Float64Array.from(kept, (b) => b.m.areaM2),
    levels: Float64Array.from(kept, (b) => b.levels ?? NaN),
    osmId: new Float64Array(n).fill(-1),
    refs: kept.map((b) => `building/${b.id}`),
  };
  return out;
}

/** Stored walk edges within `box` of the STREET_RANKS classes, as lines (the walk network's, so only streets walkers may use). */
export async function storedResidentialStreets(q: Queryable, box: Box): Promise<StreetLines> {
  const classes = STREET_RANKS.flat();
  const rows = await q.query<{ class: string; osm_id: string | number | null; geom: string }>(
    `SELECT class, osm_id, ST_AsGeoJSON(geom, 15) AS geom FROM walk_edges WHERE geom && ${ENVELOPE} AND class = ANY($5::text[]) ORDER BY id`,
    [...box, classes],
  );
  const lines = rows.map((r) => (JSON.parse(r.geom) as { coordinates: [number, number][] }).coordinates);
  const n = rows.length;
  const out: StreetLines = {
    count: n,
    start: new Int32Array(n),
    end: new Int32Array(n),
    coords: new Float64Array(2 * lines.reduce((a, l) => a + l.length, 0)),
    rank: new Uint8Array(n),
    osmId: new Float64Array(n),
  };
  let v = 0;
  rows.forEach((r, i) => {
    out.start[i] = v;
    for (const [x, y] of lines[i]!) {
      out.coords[2 * v] = x;
      out.coords[2 * v + 1] = y;
      v++;
    }
    out.end[i] = v;
    out.rank[i] = STREET_RANKS.findIndex((c) => c.includes(r.class));
    out.osmId[i] = r.osm_id === null ? -1 : Number(r.osm_id);
  });
  return out;
}
