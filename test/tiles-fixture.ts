/**
 * Fixtures for the tile tests: a small hand-made city (seeded, so every run
 * has the same data) that exercises every layer and geometry case (polygons
 * with holes, multipolygons, lines crossing tile edges, tiny features that
 * collapse, mixed water), the data sets by name, a decoder that turns MVT
 * bytes into plain objects with a comparison between backends, and the tile
 * and center routes on a bare app.
 */
import { installAccessGate } from '../server/http/route-access.ts';
import { createAccessGate } from '../server/http/access-gate.ts';
import { createTokenStore } from '../server/auth/token-store.ts';
import { testToken } from './auth-fixture.ts';
import { VectorTile } from '@mapbox/vector-tile';
import { Hono } from 'hono';
import Pbf from 'pbf';
import type { ImportBundle, MultiPolygonCoords, Position, WaterRow } from '../kernel/import-bundle.ts';
import { writeBundle } from '../data-pipeline/write-bundle.ts';
import { centerRoutes } from '../server/centers/center-routes.ts';
import { createCenterStore } from '../server/centers/center-store.ts';
import type { Database } from '../kernel/db/database.ts';
import { createDataChanges } from '../server/events/data-changes.ts';
import { handleError, handleNotFound } from '../server/http/error-mapping.ts';
import { silentLogger } from '../server/logger.ts';
import { tileRoutes } from '../server/tiles/tile-routes.ts';
import { createTileService, type TileServiceOptions } from '../server/tiles/tile-service.ts';

import { seededRandom } from './seeded-random.ts';
export { seededRandom };

/** The small city's centre, near Putian. */
export const SMALL_CITY_CENTER: Position = [119.0, 25.45];

function square(cx: number, cy: number, half: number, wobble = 0, random = Math.random): Position[] {
  const ring: Position[] = [
    [cx - half, cy - half],
    [cx + half + wobble * (random() - 0.5), cy - half],
    [cx + half, cy + half],
    [cx - half, cy + half + wobble * (random() - 0.5)],
  ];
  ring.push([...ring[0]!] as Position);
  return ring;
}

/**
 * A city of about 3 x 3 km: 1 district, 2 streets, 4 communities, 36 grids,
 * 12 centers, 600 household units, a street lattice with diagonals, 300
 * buildings (some tiny), a lake with an island and a river line.
 */
export function smallCityBundle(seed = 7): ImportBundle {
  const random = seededRandom(seed);
  const [lon0, lat0] = SMALL_CITY_CENTER;
  const span = 0.03;
  const west = lon0 - span / 2;
  const south = lat0 - span / 2;
  const whole: MultiPolygonCoords = [[square(lon0, lat0, span / 2)]];
  const half = (i: number): MultiPolygonCoords => [[[
    [west + (i * span) / 2, south],
    [west + ((i + 1) * span) / 2, south],
    [west + ((i + 1) * span) / 2, south + span],
    [west + (i * span) / 2, south + span],
    [west + (i * span) / 2, south],
  ]]];
  const quarter = (i: number): MultiPolygonCoords => {
    const qx = i % 2;
    const qy = Math.floor(i / 2);
    return [[square(west + (qx + 0.5) * (span / 2), south + (qy + 0.5) * (span / 2), span / 4)]];
  };
  const admin: ImportBundle['admin'] = [
    { code: '350302', level: 'district', name: 'Chengxiang', parentCode: '350300', geom: whole },
    { code: '350302001', level: 'street', name: 'Zhenhai', parentCode: '350302', geom: half(0) },
    { code: '350302002', level: 'street', name: 'Longqiao', parentCode: '350302', geom: half(1) },
    ...[0, 1, 2, 3].map((i) => ({
      code: `35030200${i % 2 === 0 ? 1 : 2}00${i}`,
      level: 'community' as const,
      name: `Community ${i}`,
      parentCode: i % 2 === 0 ? '350302001' : '350302002',
      geom: quarter(i),
    })),
  ];

  const grids: ImportBundle['grids'] = [];
  const cell = span / 6;
  for (let j = 0; j < 6; j++) {
    for (let i = 0; i < 6; i++) {
      const community = admin[3 + (i >= 3 ? 1 : 0) + (j >= 3 ? 2 : 0)]!;
      const ring: Position[] = [
        [west + i * cell, south + j * cell],
        [west + (i + 0.5) * cell, south + j * cell + cell * 0.05 * (random() - 0.5)],
        [west + (i + 1) * cell, south + j * cell],
        [west + (i + 1) * cell, south + (j + 1) * cell],
        [west + i * cell, south + (j + 1) * cell],
        [west + i * cell, south + j * cell],
      ];
      const geom: MultiPolygonCoords = [[ring]];
      // One grid is two parts, one has a hole: multipolygon and interior-ring cases.
      if (i === 0 && j === 0) geom.push([square(west - cell / 2, south - cell / 2, cell / 5)]);
      if (i === 4 && j === 4) {
        geom[0]!.push(square(west + (i + 0.5) * cell, south + (j + 0.5) * cell, cell / 6).reverse());
      }
      grids.push({
        code: `G${j}${i}`,
        name: `Grid ${j}-${i}`,
        districtCode: '350302',
        streetCode: community.parentCode,
        communityCode: community.code,
        officers: 1 + ((i + j) % 3),
        geom,
      });
    }
  }

  const centers: ImportBundle['centers'] = [];
  for (let k = 0; k < 12; k++) {
    centers.push({
      name: `Center ${k}`,
      kind: k % 3 === 0 ? 'governance' : 'neighborhood',
      services: k % 2 === 0 ? ['elderly', 'party'] : [],
      source: 'test',
      sourceId: null,
      lon: west + random() * span,
      lat: south + random() * span,
    });
  }

  const count = 600;
  const households: ImportBundle['households'] = {
    count,
    lon: new Float64Array(count),
    lat: new Float64Array(count),
    households: new Int32Array(count),
    persons: new Int32Array(count),
    gridIndex: new Int32Array(count),
    source: 'test',
    sourceIds: [],
  };
  for (let k = 0; k < count; k++) {
    const gi = Math.floor(random() * 6);
    const gj = Math.floor(random() * 6);
    households.lon[k] = west + (gi + 0.1 + 0.8 * random()) * cell;
    households.lat[k] = south + (gj + 0.1 + 0.8 * random()) * cell;
    households.households[k] = 1 + Math.floor(random() * 40);
    households.persons[k] = k % 4 === 0 ? -1 : households.households[k]! * 3;
    households.gridIndex[k] = gj * 6 + gi;
    households.sourceIds.push(`u${k}`);
  }

  // Street lattice (7 x 7 nodes) plus diagonals with a bend, classes by ring.
  const n = 7;
  const nodeLon: number[] = [];
  const nodeLat: number[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      nodeLon.push(west + (i * span) / (n - 1));
      nodeLat.push(south + (j * span) / (n - 1));
    }
  }
  const classNames = ['primary', 'residential', 'footway', 'steps', 'service'];
  const edges: { s: number; t: number; cls: number; coords: number[] }[] = [];
  const addEdge = (s: number, t: number, cls: number, bend = false) => {
    const coords = [nodeLon[s]!, nodeLat[s]!];
    if (bend) coords.push((nodeLon[s]! + nodeLon[t]!) / 2 + 0.0004, (nodeLat[s]! + nodeLat[t]!) / 2 - 0.0003);
    coords.push(nodeLon[t]!, nodeLat[t]!);
    edges.push({ s, t, cls, coords });
  };
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const id = j * n + i;
      const cls = i === 3 || j === 3 ? 0 : (i + j) % 4 === 0 ? 2 : (i * j) % 5 === 0 ? 3 : 1;
      if (i + 1 < n) addEdge(id, id + 1, cls);
      if (j + 1 < n) addEdge(id, id + n, (cls + 1) % classNames.length);
      if (i + 1 < n && j + 1 < n && (i + j) % 2 === 0) addEdge(id, id + n + 1, 4, true);
    }
  }
  const coords: number[] = [];
  const geomOffset = new Int32Array(edges.length + 1);
  edges.forEach((e, k) => {
    geomOffset[k] = coords.length / 2;
    coords.push(...e.coords);
  });
  geomOffset[edges.length] = coords.length / 2;
  const lengths = edges.map((e) => {
    let m = 0;
    for (let p = 2; p < e.coords.length; p += 2) {
      const dx = (e.coords[p]! - e.coords[p - 2]!) * 111_320 * Math.cos((lat0 * Math.PI) / 180);
      const dy = (e.coords[p + 1]! - e.coords[p - 1]!) * 110_540;
      m += Math.hypot(dx, dy);
    }
    return m;
  });
  const network: ImportBundle['network'] = {
    nodeCount: nodeLon.length,
    nodeLon: Float64Array.from(nodeLon),
    nodeLat: Float64Array.from(nodeLat),
    nodeOsmId: new Float64Array(nodeLon.length).fill(-1),
    edgeCount: edges.length,
    source: Int32Array.from(edges.map((e) => e.s)),
    target: Int32Array.from(edges.map((e) => e.t)),
    lengthM: Float64Array.from(lengths),
    cost: Float64Array.from(lengths.map((m) => m / (4000 / 3600))),
    reverseCost: Float64Array.from(lengths.map((m, k) => (k % 11 === 0 ? -1 : m / (4000 / 3600)))),
    classIndex: Uint8Array.from(edges.map((e) => e.cls)),
    classNames,
    edgeOsmId: new Float64Array(edges.length).fill(-1),
    geomOffset,
    coords: Float64Array.from(coords),
  };

  const buildings: ImportBundle['buildings'] = [];
  for (let k = 0; k < 300; k++) {
    const cx = west + random() * span;
    const cy = south + random() * span;
    // Some are a few centimetres wide: they collapse at low zooms.
    const size = k % 10 === 0 ? 0.0000005 : 0.00005 + random() * 0.0001;
    buildings.push({ kind: k % 7 === 0 ? 'apartments' : 'yes', levels: k % 3 === 0 ? null : 1 + (k % 9) + 0.1, geom: [[square(cx, cy, size, size, random)]] });
  }

  const lake: Position[] = [];
  for (let a = 0; a < 24; a++) {
    const r = 0.004 * (1 + 0.2 * Math.sin(a * 1.7));
    lake.push([lon0 + 0.006 + r * Math.cos((a / 24) * 2 * Math.PI), lat0 - 0.004 + r * Math.sin((a / 24) * 2 * Math.PI)]);
  }
  lake.push([...lake[0]!] as Position);
  const island = square(lon0 + 0.006, lat0 - 0.004, 0.001).reverse();
  const water: WaterRow[] = [
    { kind: 'water', name: 'Lake', geom: { type: 'MultiPolygon', coordinates: [[lake, island]] } },
    {
      kind: 'river',
      name: 'Mulan',
      geom: {
        type: 'LineString',
        coordinates: Array.from({ length: 40 }, (_, k) => [west - 0.01 + (k * (span + 0.02)) / 39, south + span * 0.7 + 0.002 * Math.sin(k / 3)] as Position),
      },
    },
  ];

  return {
    city: { code: '350300', name: 'Small City' },
    source: 'test:small-city',
    admin,
    grids,
    centers,
    households,
    network,
    buildings,
    water,
  };
}

/** A decoded feature, plain data. */
/**
 * Stores the small city as an import would (one transaction, version bump):
 * tests in server/ get their city from here, since server/ never imports
 * the import pipeline itself.
 */
export async function storeSmallCity(db: Database, seed = 7): Promise<void> {
  await writeBundle(db, smallCityBundle(seed));
}

export interface DecodedFeature {
  id: number | undefined;
  type: number;
  properties: Record<string, number | string | boolean>;
  geometry: { x: number; y: number }[][];
}

/** Decodes MVT bytes into layers of plain features (sorted by id for comparisons). */
export function decodeTile(bytes: Uint8Array): Record<string, { extent: number; version: number; features: DecodedFeature[] }> {
  const tile = new VectorTile(new Pbf(bytes) as never);
  const out: Record<string, { extent: number; version: number; features: DecodedFeature[] }> = {};
  for (const [name, layer] of Object.entries(tile.layers)) {
    const features: DecodedFeature[] = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      features.push({
        id: f.id,
        type: f.type,
        properties: { ...f.properties },
        geometry: f.loadGeometry().map((ring) => ring.map((p) => ({ x: p.x, y: p.y }))),
      });
    }
    features.sort((a, b) => (a.id ?? -1) - (b.id ?? -1));
    out[name] = { extent: layer.extent, version: layer.version, features };
  }
  return out;
}

/** Distance from point p to segment ab. */
function segmentDistance(p: { x: number; y: number }, a: { x: number; y: number }, b: { x: number; y: number }): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** The largest distance from a vertex of `from` to the nearest point (points) or segment (lines, rings) of `to`. */
function directedDistance(from: DecodedFeature['geometry'], to: DecodedFeature['geometry'], type: number): number {
  let worst = 0;
  for (const part of from) {
    for (const p of part) {
      let best = Infinity;
      for (const other of to) {
        if (type === 1 || other.length === 1) {
          for (const q of other) best = Math.min(best, Math.hypot(p.x - q.x, p.y - q.y));
        } else {
          for (let i = 1; i < other.length; i++) best = Math.min(best, segmentDistance(p, other[i - 1]!, other[i]!));
        }
        if (best === 0) break;
      }
      worst = Math.max(worst, best);
    }
  }
  return worst;
}

/** Symmetric (Hausdorff-like) distance between two decoded geometries, in tile units. */
export function geometryDistance(a: DecodedFeature, b: DecodedFeature): number {
  return Math.max(directedDistance(a.geometry, b.geometry, a.type), directedDistance(b.geometry, a.geometry, a.type));
}

/**
 * Differences between two decoded tiles: layers, feature ids, types,
 * properties, and geometry farther apart than `tolerance` tile units.
 * Empty when they are the same tile (slivers in the buffer aside, see
 * checkedParts).
 */
export function tileDifferences(a: ReturnType<typeof decodeTile>, b: ReturnType<typeof decodeTile>, tolerance = 1): string[] {
  const out: string[] = [];
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const name of names) {
    const la = a[name];
    const lb = b[name];
    if (!la || !lb) {
      out.push(`layer ${name} only in ${la ? 'first' : 'second'}`);
      continue;
    }
    if (la.extent !== lb.extent || la.version !== lb.version) out.push(`layer ${name}: extent/version differ`);
    const second = new Map(lb.features.map((f) => [f.id, f]));
    for (const fa of la.features) {
      const fb = second.get(fa.id);
      second.delete(fa.id);
      if (!fb) {
        if (checkedParts(fa, la.extent).length > 0) out.push(`${name} #${fa.id} only in first: ${JSON.stringify(fa.geometry).slice(0, 200)}`);
        continue;
      }
      if (fa.type !== fb.type) out.push(`${name} #${fa.id}: type ${fa.type} vs ${fb.type}`);
      if (JSON.stringify(sortKeys(fa.properties)) !== JSON.stringify(sortKeys(fb.properties))) {
        out.push(`${name} #${fa.id}: properties ${JSON.stringify(fa.properties)} vs ${JSON.stringify(fb.properties)}`);
      }
      const d = Math.max(
        directedDistance(checkedParts(fa, la.extent), fb.geometry, fa.type),
        directedDistance(checkedParts(fb, lb.extent), fa.geometry, fa.type),
      );
      if (d > tolerance) out.push(`${name} #${fa.id}: geometry ${d.toFixed(2)} units apart`);
    }
    for (const fb of second.values()) {
      if (checkedParts(fb, lb.extent).length > 0) out.push(`${name} #${fb.id} only in second: ${JSON.stringify(fb.geometry).slice(0, 200)}`);
    }
  }
  return out;
}

/** Largest area (square tile units) of a buffer sliver that the backends may disagree on. */
const SLIVER_AREA = 4;

/**
 * The feature's geometry to check against the other backend's: all of it
 * but polygons of at most SLIVER_AREA square units that lie wholly in the
 * buffer around the tile, where nothing is drawn. Wagyu (the server) and
 * GEOS (embedded) clip features that cross the buffer's outer edge at a
 * shallow angle differently, so one may keep a sliver there that the other
 * drops. The slivers still count as the other side's targets.
 */
function checkedParts(f: DecodedFeature, extent: number): DecodedFeature['geometry'] {
  if (f.type !== 3) return f.geometry;
  const area = (ring: { x: number; y: number }[]) => {
    let s = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += ring[j]!.x * ring[i]!.y - ring[i]!.x * ring[j]!.y;
    return s / 2;
  };
  // Exterior rings (positive area) start a polygon; holes follow it.
  const polygons: { x: number; y: number }[][][] = [];
  for (const ring of f.geometry) {
    if (area(ring) > 0 || polygons.length === 0) polygons.push([ring]);
    else polygons[polygons.length - 1]!.push(ring);
  }
  return polygons
    .filter((rings) => {
      const inBuffer = rings.flat().every((p) => p.x <= 0 || p.y <= 0 || p.x >= extent || p.y >= extent);
      return !(inBuffer && Math.abs(area(rings[0]!)) <= SLIVER_AREA);
    })
    .flat();
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

/** The data sets the tile tests run on. */
export type DatasetName = 'small' | 'monaco' | 'demo';

const bundles = new Map<DatasetName, Promise<ImportBundle>>();

/** The bundle of a data set, made once per test process. */
export function datasetBundle(name: DatasetName): Promise<ImportBundle> {
  let bundle = bundles.get(name);
  if (!bundle) {
    bundle = (async () => {
      if (name === 'small') return smallCityBundle();
      if (name === 'demo') return (await import('../data-pipeline/demo-city/generate-demo-city.ts')).generateDemoCity();
      const { sharedDataPath } = await import('./shared-data.ts');
      const file = sharedDataPath('osm/monaco.osm.pbf');
      if (!file) throw new Error('osm/monaco.osm.pbf is missing from shared data');
      return (await (await import('../data-pipeline/osm/osm-to-bundle.ts')).osmToBundle(file, { city: 'Monaco' })).bundle;
    })();
    bundles.set(name, bundle);
  }
  return bundle;
}

/** Data set centres to take sample tiles around. */
export const DATASET_CENTER: Record<DatasetName, Position> = {
  small: SMALL_CITY_CENTER,
  monaco: [7.4246, 43.7384],
  demo: [119.0077, 25.4356],
};

/**
 * The tile and center routes on a bare Hono app with the API's error
 * handling: what app.ts mounts, without routing and coverage, so tile tests
 * see only their own changes.
 */
export async function tileTestApp(db: Database, options: Partial<TileServiceOptions> = {}) {
  const changes = createDataChanges();
  const service = await createTileService(db, changes, options);
  const http = new Hono();
  http.onError(handleError(silentLogger));
  http.notFound(handleNotFound);
  // Writes need a planner token, as in the app.
  http.use('*', installAccessGate(createAccessGate(createTokenStore(db))));
  http.route('/', tileRoutes(service));
  http.route('/', centerRoutes(createCenterStore(db, changes, 'tile-test')));
  return { http, changes, service, token: await testToken(db) };
}
