/**
 * Fixtures for the tile tests: a small hand-made city (seeded, so every run
 * has the same data) that exercises every layer and geometry case (polygons
 * with holes, multipolygons, lines crossing tile edges, tiny features that
 * collapse, mixed water), and a decoder that turns MVT bytes into plain
 * objects for comparisons between backends.
 */
import { VectorTile } from '@mapbox/vector-tile';
import Pbf from 'pbf';
import type { ImportBundle, MultiPolygonCoords, Position, WaterRow } from '../data-pipeline/import-bundle.ts';

/** mulberry32: a tiny seeded generator, so fixtures and fuzz inputs repeat exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
