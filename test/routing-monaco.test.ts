/**
 * Routing on real data, Monaco, on both backends:
 *   - the bounded search from seeded origin NODES, on the heap and on the
 *     bucket queue, equals pgr_drivingDistance on the same walk_edges table
 *     (reachable set and times within 0.01 s; PostGIS server with pgRouting
 *     only);
 *   - the searches from points (isochrones; on the bucket queue) give the
 *     heap search's times, reached nodes and origins from the same snaps;
 *   - node-to-node route times equal ngraph.path on seeded pairs;
 *   - the multi-source search from all centers equals the minimum over
 *     single-source searches from each center, on a seeded sample of nodes;
 *   - /api/coverage adds up at every level, and a point in the sea is a 422.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import pg from 'pg';
import { describeBackends, openTestDatabase, type TestDatabase } from './backends.ts';
import { describeWithData, sharedData } from './shared-data.ts';
import { seededRandom } from './synthetic-graph.ts';
import { expectRoutesMatchReference } from './reference-routes.ts';
import { ingest } from '../data-pipeline/ingest.ts';
import { createApp, type App } from '../server/app.ts';
import { silentLogger } from '../server/logger.ts';
import { runBucketSearch, runSearch, searchFromNode, seedFromSnap, settledTimes } from '../server/routing/search/bounded-search.ts';
import { createRoutingService } from '../server/routing/routing-service.ts';
import { withState } from '../server/routing/search/search-state.ts';
import { buildEdgeIndex, type EdgeIndex } from '../server/routing/graph/edge-index.ts';
import { loadWalkGraph } from '../server/routing/graph/graph-builder.ts';
import { multiSourceSearch } from '../server/routing/search/multi-source-search.ts';
import { snapMany, snapToEdge } from '../server/routing/search/snap.ts';
import type { WalkGraph } from '../server/routing/graph/walk-graph.ts';

const monaco = sharedData('osm/monaco.osm.pbf');

/** Time limit for the pgRouting comparison, seconds: a 15-minute walk. */
const LIMIT = 900;
/** Nodes whose time is this close to the limit may fall either side of it by rounding. */
const EDGE_OF_LIMIT = 0.01;

/** Seeded origin nodes that have at least one usable arc. */
function seededNodes(graph: WalkGraph, count: number, seed: number): number[] {
  const random = seededRandom(seed);
  const nodes: number[] = [];
  while (nodes.length < count) {
    const n = Math.floor(random() * graph.nodeCount);
    if (graph.arcOffset[n + 1]! > graph.arcOffset[n]!) nodes.push(n);
  }
  return nodes;
}

/** searchFromNode on the bucket queue (what the standard check searches with). */
function bucketTimesFromNode(graph: WalkGraph, node: number, limit: number): Float64Array {
  return withState(graph, (state) => {
    state.seed(node, 0, 0);
    runBucketSearch(graph, state, limit);
    return settledTimes(state, 1);
  });
}

describeWithData('routing on Monaco', monaco, () => {
  describeBackends('Monaco routing', (kind) => {
    let t: TestDatabase;
    let graph: WalkGraph;
    let index: EdgeIndex;
    let app: App;

    beforeAll(async () => {
      t = await openTestDatabase(kind);
      await ingest(t.db, { osm: monaco.path });
      graph = await loadWalkGraph(t.db);
      index = buildEdgeIndex(graph);
      app = await createApp({ db: t.db, logger: silentLogger, dataDir: undefined });
    }, 180_000);
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
    });

    // pgRouting exists only on the server: the comparison is defined there alone.
    if (kind === 'postgis') it('bounded search from nodes, on the heap and on buckets, equals pgr_drivingDistance (times within 0.01 s)', async () => {
      const client = new pg.Client({ connectionString: t.url });
      await client.connect();
      try {
        await client.query('CREATE EXTENSION IF NOT EXISTS pgrouting');
        let comparedNodes = 0;
        const origins = seededNodes(graph, 25, 2024);
        for (const origin of origins) {
          const { rows } = await client.query<{ node: string; agg_cost: number }>(
            `SELECT node, agg_cost FROM pgr_drivingDistance(
               'SELECT id, source, target, cost, reverse_cost FROM walk_edges', $1::bigint, $2::float8, true)`,
            [graph.nodeId[origin], LIMIT],
          );
          const theirs = new Map<number, number>(rows.map((r) => [Number(r.node), r.agg_cost]));
          for (const [queue, ours] of [['heap', searchFromNode(graph, origin, LIMIT)], ['buckets', bucketTimesFromNode(graph, origin, LIMIT)]] as const) {
            // Every node pgRouting reaches, we reach at the same time...
            for (const [nodeId, time] of theirs) {
              const node = nodeIndex(graph, nodeId);
              if (ours[node] === Infinity && time > LIMIT - EDGE_OF_LIMIT) continue;
              expect(Math.abs(ours[node]! - time), `${queue}: origin ${graph.nodeId[origin]} node ${nodeId}`).toBeLessThanOrEqual(0.01);
              comparedNodes++;
            }
            // ...and we reach nothing it does not.
            for (let node = 0; node < graph.nodeCount; node++) {
              if (ours[node] !== Infinity && !theirs.has(graph.nodeId[node]!)) expect(ours[node]).toBeGreaterThan(LIMIT - EDGE_OF_LIMIT);
            }
          }
        }
        console.info(`pgr_drivingDistance: ${origins.length} origins, ${comparedNodes} node times compared on the heap and on buckets (limit ${LIMIT} s)`);
        expect(comparedNodes).toBeGreaterThan(origins.length * 2 * 100);
      } finally {
        await client.end();
      }
    }, 120_000);

    it('searches from points give the heap search\'s times, reached nodes and origins', async () => {
      const routing = createRoutingService({ db: t.db, logger: silentLogger, dataDir: undefined });
      try {
        await routing.ready();
        const random = seededRandom(404);
        const [minLon, minLat, maxLon, maxLat] = graph.bounds;
        let compared = 0;
        for (let round = 0; round < 30; round++) {
          const points: [number, number][] = [];
          while (points.length < 1 + (round % 3)) {
            const lon = minLon + random() * (maxLon - minLon);
            const lat = minLat + random() * (maxLat - minLat);
            if (snapToEdge(graph, index, lon, lat, 50)) points.push([lon, lat]);
          }
          const tree = await routing.searchFromMany(points, { maxSeconds: LIMIT, profile: round % 2 ? 'elderly' : 'default' });
          const g = tree.graph;
          const heap = withState(g, (state) => {
            tree.origins.forEach((origin, i) => seedFromSnap(g, state, origin.snap, i, 'from'));
            runSearch(g, state, LIMIT / tree.costScale, 'from');
            const times = new Float64Array(g.nodeCount).fill(Infinity);
            const origin = new Int32Array(g.nodeCount).fill(-1);
            for (let k = 0; k < state.settledCount; k++) {
              const v = state.order[k]!;
              times[v] = state.dist[v]! * tree.costScale;
              origin[v] = state.source[v]!;
            }
            return { times, origin, reached: state.settledCount };
          });
          expect(tree.reached.length).toBe(heap.reached);
          expect(new Set(tree.reached).size).toBe(tree.reached.length);
          for (let v = 0; v < g.nodeCount; v++) {
            expect(tree.times[v], `node ${v}`).toBe(heap.times[v]);
            expect(tree.originOf[v], `node ${v}`).toBe(heap.origin[v]);
          }
          compared += heap.reached;
        }
        expect(compared).toBeGreaterThan(3000);
      } finally {
        await routing.close();
      }
    }, 60_000);

    it('node-to-node routes equal ngraph.path on seeded pairs', () => {
      const from = seededNodes(graph, 15, 7);
      const to = seededNodes(graph, 15, 8);
      const pairs = from.map((a, k): [number, number] => [a, to[k]!]);
      expect(expectRoutesMatchReference(graph, pairs, 0.01)).toBeGreaterThan(10);
    }, 60_000);

    it('multi-source search from all centers equals the minimum of single-source searches', async () => {
      const centers = await t.db.query<{ x: number; y: number }>('SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM centers ORDER BY id');
      const snaps = snapMany(graph, index, centers.map((c) => c.x), centers.map((c) => c.y));
      const all = multiSourceSearch(graph, snaps, { direction: 'to' });
      const sample = seededNodes(graph, 300, 99);
      const minimum = new Float64Array(sample.length).fill(Infinity);
      for (let s = 0; s < snaps.count; s++) {
        const one = { count: 1, edge: snaps.edge.subarray(s, s + 1), fraction: snaps.fraction.subarray(s, s + 1), distanceM: snaps.distanceM.subarray(s, s + 1) };
        const single = multiSourceSearch(graph, one, { direction: 'to' }).time;
        sample.forEach((node, k) => (minimum[k] = Math.min(minimum[k]!, single[node]!)));
      }
      sample.forEach((node, k) => {
        if (minimum[k] === Infinity) expect(all.time[node]).toBe(Infinity);
        else expect(Math.abs(all.time[node]! - minimum[k]!)).toBeLessThan(1e-6);
      });
    }, 60_000);

    it('coverage adds up at every level and a point in the sea is a 422', async () => {
      const get = async (url: string) => (await (await app.http.request(url)).json()) as any;
      for (const minutes of [5, 10, 15]) {
        const city = await get(`/api/coverage?level=city&minutes=${minutes}`);
        expect(city.total.households).toBeGreaterThan(5000);
        for (const level of ['district', 'street', 'community', 'grid']) {
          const body = await get(`/api/coverage?level=${level}&minutes=${minutes}`);
          const households = body.units.reduce((a: number, u: any) => a + u.households, 0);
          const covered = body.units.reduce((a: number, u: any) => a + u.covered, 0);
          expect([level, households, covered]).toEqual([level, city.total.households, city.total.covered]);
        }
      }
      // The first lattice point inside the data's bounds that is far from every way: the sea.
      const [minLon, minLat, maxLon, maxLat] = graph.bounds;
      let sea: [number, number] | undefined;
      for (let i = 1; i < 40 && !sea; i++) {
        for (let j = 1; j < 40 && !sea; j++) {
          const p: [number, number] = [minLon + ((maxLon - minLon) * i) / 40, minLat + ((maxLat - minLat) * j) / 40];
          if (!snapToEdge(graph, index, p[0], p[1], 600)) sea = p;
        }
      }
      expect(sea).toBeDefined();
      const response = await app.http.request(`/api/nearest?lon=${sea![0]}&lat=${sea![1]}`);
      expect(response.status).toBe(422);
      expect(((await response.json()) as any).error.message).toMatch(/more than 500 m from any walkable way/);
      const ok = await app.http.request('/api/nearest?lon=7.4246&lat=43.7384');
      expect(ok.status).toBe(200);
    }, 60_000);
  });
});

/** Graph node index of a walk_nodes id (Monaco's ids are the indices; stay general anyway). */
function nodeIndex(graph: WalkGraph, id: number): number {
  if (graph.nodeId[id] === id) return id;
  const i = graph.nodeId.indexOf(id);
  if (i < 0) throw new Error(`node id ${id} not in the graph`);
  return i;
}
