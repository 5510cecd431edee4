/**
 * Snapping past walkway fragments, and what an isochrone reaches, on real
 * data (Monaco, both backends) and on the demo city:
 *   - the Monaco point beside a 125 m walkway piece (7.4200, 43.7310) gets
 *     its nearest center over the connected network, and its isochrone and
 *     nearest answers say where it joined the network;
 *   - seeded points beside every fragment snap to a component at least
 *     MIN_COMPONENT_M long (or are off the network, a 422);
 *   - each contour's household units, households, persons and centers by
 *     kind equal an independent count: one point-to-point route per unit
 *     (route.ts's routeBetween) from the origins, for single origins and a
 *     union of three.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBackends, openTestDatabase, type TestDatabase } from './backends.ts';
import { describeWithData, sharedData } from './shared-data.ts';
import { seededRandom, withFootway } from './synthetic-graph.ts';
import { jsonOf, type ErrorAnswer, type IsochroneAnswer, type NearestAnswer } from './answer-types.ts';
import { generateDemoCity } from './demo-city-fixture.ts';
import { haversineM } from '../kernel/geo.ts';
import { ingest } from '../data-pipeline/ingest.ts';
import { createApp, type App } from '../server/app.ts';
import { silentLogger } from '../server/logger.ts';
import { buildEdgeIndex, type EdgeIndex } from '../server/routing/graph/edge-index.ts';
import { buildWalkGraph, inputFromNetwork, loadWalkGraph } from '../server/routing/graph/graph-builder.ts';
import { MIN_COMPONENT_M, walkComponents, walkableEdges, type WalkComponents } from '../server/routing/graph/walk-components.ts';
import type { WalkGraph } from '../server/routing/graph/walk-graph.ts';
import { routeBetween } from '../server/routing/search/route.ts';
import { MAX_SNAP_DISTANCE_M, snapToEdge, type Snap } from '../server/routing/search/snap.ts';

const monaco = sharedData('osm/monaco.osm.pbf');
const FRAGMENT_POINT = { lon: 7.42, lat: 43.731 };
/** Times this close to a contour's limit may fall either side of it (float32 sums against float64 routes). */
const EDGE_OF_LIMIT = 0.01;

/**
 * Seeded points 3 m beside edges of fragments (every fragment gets some),
 * and where the index snaps each: always on a usable component, or nowhere.
 */
function fragmentPointsSnap(graph: WalkGraph, index: EdgeIndex, components: WalkComponents, seed: number): { points: number; snapped: number; off: [number, number][] } {
  const random = seededRandom(seed);
  let points = 0;
  let snapped = 0;
  const off: [number, number][] = [];
  for (let e = 0; e < graph.edgeCount; e++) {
    const c = components.nodeComponent[graph.edgeSource[e]!]!;
    if (c < 0 || components.usableEdge[e] || components.lengthM[c]! >= components.minLengthM) continue;
    if (random() > 0.5) continue;
    const v = graph.geomOffset[e]!;
    const t = random();
    const lon = graph.coords[2 * v]! + t * (graph.coords[2 * v + 2]! - graph.coords[2 * v]!);
    const lat = graph.coords[2 * v + 1]! + t * (graph.coords[2 * v + 3]! - graph.coords[2 * v + 1]!) + 3 / 111195;
    points++;
    const snap = snapToEdge(graph, index, lon, lat);
    if (!snap) {
      off.push([lon, lat]);
      continue;
    }
    expect(components.usableEdge[snap.edge], `point ${lon}, ${lat}`).toBe(1);
    expect(components.lengthM[components.nodeComponent[graph.edgeSource[snap.edge]!]!]).toBeGreaterThanOrEqual(MIN_COMPONENT_M);
    snapped++;
  }
  return { points, snapped, off };
}

interface Unit {
  lon: number;
  lat: number;
  households: number;
  persons: number;
}

/** Reference counts: each unit timed by its own route from the nearest origin (default speed: graph units are seconds). */
function referenceReach(graph: WalkGraph, index: EdgeIndex, origins: Snap[], units: Unit[], centers: { lon: number; lat: number; kind: string }[], limits: number[]) {
  const maxLimit = Math.max(...limits);
  const timeTo = (lon: number, lat: number): number => {
    const to = snapToEdge(graph, index, lon, lat);
    if (!to) return Infinity;
    let best = Infinity;
    for (const o of origins) {
      // Air distance bounds the walk from below: skip what cannot be in time.
      if (haversineM(o.lon, o.lat, lon, lat) > (maxLimit + 1) * (4 / 3.6) + 10) continue;
      const route = routeBetween(graph, o, to, maxLimit + 1);
      if (route) best = Math.min(best, route.cost);
    }
    return best;
  };
  const unitTimes = units.map((u) => timeTo(u.lon, u.lat));
  const centerTimes = centers.map((c) => timeTo(c.lon, c.lat));
  return limits.map((limit) => {
    const within = (t: number, slack: number) => t <= limit + slack;
    const inner = { units: 0, households: 0, persons: 0 };
    const outer = { units: 0, households: 0, persons: 0 };
    units.forEach((u, i) => {
      for (const [acc, slack] of [[inner, -EDGE_OF_LIMIT], [outer, EDGE_OF_LIMIT]] as const) {
        if (!within(unitTimes[i]!, slack)) continue;
        acc.units++;
        acc.households += u.households;
        acc.persons += u.persons;
      }
    });
    const centersByKind: Record<string, number> = {};
    centers.forEach((c, i) => {
      if (within(centerTimes[i]!, 0)) centersByKind[c.kind] = (centersByKind[c.kind] ?? 0) + 1;
    });
    return { inner, outer, centersByKind };
  });
}

describeWithData('walkway fragments and isochrone reach on Monaco', monaco, () => {
  describeBackends('Monaco fragments and reach', (kind) => {
    let t: TestDatabase;
    let app: App;
    let graph: WalkGraph;
    let index: EdgeIndex;
    let components: WalkComponents;
    let units: Unit[];
    let centers: { lon: number; lat: number; kind: string }[];

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      await ingest(t.db, { osm: monaco.path });
      graph = await loadWalkGraph(t.db);
      components = walkComponents(graph);
      index = buildEdgeIndex(graph, components.usableEdge);
      units = await t.db.query<Unit>('SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat, households, COALESCE(persons, 0) AS persons FROM households ORDER BY id');
      centers = await t.db.query('SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat, kind FROM centers ORDER BY id');
      app = await createApp({ db: t.db, logger: silentLogger, dataDir: undefined });
    }, 180_000);
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
    });

    it('answers the point beside a walkway fragment from the connected network, and says where it joined', async () => {
      // The point really is beside a fragment: snapping to every walkable edge lands on one.
      const old = snapToEdge(graph, buildEdgeIndex(graph, walkableEdges(graph)), FRAGMENT_POINT.lon, FRAGMENT_POINT.lat)!;
      const oldComponent = components.nodeComponent[graph.edgeSource[old.edge]!]!;
      expect(components.lengthM[oldComponent]).toBeLessThan(MIN_COMPONENT_M);

      const nearest = await jsonOf<NearestAnswer>(await app.http.request(`/api/nearest?lon=${FRAGMENT_POINT.lon}&lat=${FRAGMENT_POINT.lat}`));
      expect(nearest.walk_seconds).toBeLessThan(600);
      const snap = snapToEdge(graph, index, FRAGMENT_POINT.lon, FRAGMENT_POINT.lat)!;
      expect(nearest.origin.snapped[0]).toBeCloseTo(snap.lon, 6);
      expect(nearest.origin.snapped[1]).toBeCloseTo(snap.lat, 6);
      expect(nearest.origin.access_m).toBeCloseTo(snap.distanceM, 0);
      expect(nearest.origin.access_m).toBeGreaterThan(old.distanceM);

      const response = await app.http.request(`/api/isochrone?lon=${FRAGMENT_POINT.lon}&lat=${FRAGMENT_POINT.lat}&minutes=15`);
      expect(response.status).toBe(200);
      const iso = await jsonOf<IsochroneAnswer>(response);
      // Before, the 15-minute isochrone was the 125 m fragment.
      expect(iso.features[0].properties.reachable_m).toBeGreaterThan(5000);
      expect(iso.properties.snaps).toEqual([{ lon: FRAGMENT_POINT.lon, lat: FRAGMENT_POINT.lat, snapped: nearest.origin.snapped, access_m: nearest.origin.access_m }]);
    });

    it('snaps seeded points beside every fragment onto the large component, or calls them off the network', async () => {
      expect(components.fragments).toBeGreaterThan(10);
      const { points, snapped, off } = fragmentPointsSnap(graph, index, components, 11);
      expect(points).toBeGreaterThan(10);
      expect(snapped).toBeGreaterThan(0);
      for (const [lon, lat] of off.slice(0, 3)) {
        const response = await app.http.request(`/api/nearest?lon=${lon}&lat=${lat}`);
        expect(response.status).toBe(422);
        expect((await jsonOf<ErrorAnswer>(response)).error.code).toMatch(/off_network|outside_data_bounds/);
      }
      console.info(`Monaco: ${components.fragments} fragments (${Math.round(components.fragmentLengthM)} m); ${points} points beside them, ${snapped} snapped to the network, ${off.length} beyond ${MAX_SNAP_DISTANCE_M} m`);
    });

    it('counts what each contour reaches by network time, as routes to every unit and center count it', async () => {
      const random = seededRandom(77);
      const limits = [300, 600, 900];
      const asks: [number, number][][] = [];
      for (let k = 0; k < 4; k++) asks.push([[units[Math.floor(random() * units.length)]!.lon, units[Math.floor(random() * units.length)]!.lat]]);
      asks.push([0, 1, 2].map(() => { const u = units[Math.floor(random() * units.length)]!; return [u.lon, u.lat] as [number, number]; }));
      for (const origins of asks) {
        const response =
          origins.length === 1
            ? await app.http.request(`/api/isochrone?lon=${origins[0]![0]}&lat=${origins[0]![1]}&minutes=5,10,15`)
            : await app.http.request('/api/isochrone', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ origins, minutes: [5, 10, 15] }) });
        if (response.status === 422) continue; // a unit off the network is not an origin
        expect(response.status).toBe(200);
        const body = await jsonOf<IsochroneAnswer>(response);
        const features = [...body.features].reverse(); // smallest first, like limits
        const snaps = origins.map(([lon, lat]) => snapToEdge(graph, index, lon, lat)!);
        const reference = referenceReach(graph, index, snaps, units, centers, limits);
        reference.forEach((ref, k) => {
          const p = features[k].properties;
          expect(p.minutes * 60).toBe(limits[k]);
          expect(p.household_units).toBeGreaterThanOrEqual(ref.inner.units);
          expect(p.household_units).toBeLessThanOrEqual(ref.outer.units);
          expect(p.households).toBeGreaterThanOrEqual(ref.inner.households);
          expect(p.households).toBeLessThanOrEqual(ref.outer.households);
          expect(p.persons).toBeGreaterThanOrEqual(ref.inner.persons);
          expect(p.persons).toBeLessThanOrEqual(ref.outer.persons);
          expect(p.centers_by_kind).toEqual(ref.centersByKind);
        });
        expect(features[2].properties.household_units).toBeGreaterThan(0);
      }
    }, 120_000);
  });
});

describe('walkway fragments on the demo city', () => {
  it('snaps seeded points beside every fragment onto the large component', () => {
    // The generator drops pieces under 40 nodes, so the city gets what OSM has: seeded
    // footway pieces of 20 to 300 m, 15 to 60 m from a street, beside the network.
    let input = inputFromNetwork(generateDemoCity().network, 'demo');
    const base = buildWalkGraph(input);
    const random = seededRandom(31);
    for (let k = 0; k < 40; k++) {
      const n = Math.floor(random() * base.nodeCount);
      const offset = (15 + 45 * random()) / 111195;
      input = withFootway(input, base.nodeLon[n]!, base.nodeLat[n]! + offset, 20 + 280 * random());
    }
    const graph = buildWalkGraph(input);
    const components = walkComponents(graph);
    const index = buildEdgeIndex(graph, components.usableEdge);
    const { points, snapped, off } = fragmentPointsSnap(graph, index, components, 12);
    console.info(`demo city: ${base.edgeCount} edges, ${walkComponents(base).fragments} fragments of its own; with 40 seeded: ${components.fragments} fragments, ${points} points beside them, ${snapped} snapped, ${off.length} off the network`);
    expect(components.fragments).toBeGreaterThanOrEqual(40);
    expect(points).toBeGreaterThan(10);
    expect(snapped + off.length).toBe(points);
    expect(snapped).toBeGreaterThan(0);
  });
});
