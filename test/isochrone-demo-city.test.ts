/**
 * Isochrone polygons on the demo city (Putian), which has a river, the Mulan
 * (water row '木兰溪', kind 'river', 90-170 m wide), crossed only at a few
 * bridges:
 *   - seeded origins: coverage, buffer and nesting checked geometrically;
 *   - origins next to the river whose 15-minute reach includes no bridge:
 *     the polygons must not extend across it. Every sampled polygon point
 *     (outline and a grid inside) is within the buffer of reachable network,
 *     and the straight line from it to the nearest reachable point does not
 *     touch the river: a point on the far bank would have to reach across
 *     the water. Points inside the river are allowed only within the buffer
 *     of the near bank's reachable network;
 *   - the union of every center's 15-minute circle (multi-source search).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImportBundle } from '../kernel/import-bundle.ts';
import { generateDemoCity } from '../data-pipeline/demo-city/generate-demo-city.ts';
import { buildEdgeIndex, type EdgeIndex } from '../server/routing/graph/edge-index.ts';
import { buildWalkGraph, inputFromNetwork } from '../server/routing/graph/graph-builder.ts';
import { buildIsochrones, reachTreeOf, type IsochroneResult } from '../server/routing/isochrone/build-isochrones.ts';
import { snapToEdge } from '../server/routing/search/snap.ts';
import type { WalkGraph } from '../server/routing/graph/walk-graph.ts';
import { checkIsochrone, PolygonIndex, reachableLines, searchTree, SegmentIndex, type TestTree } from './isochrone-properties.ts';
import { seededRandom } from './synthetic-graph.ts';

const BUFFER = 40;

describe('isochrone polygons on the demo city', () => {
  let bundle: ImportBundle;
  let graph: WalkGraph;
  let index: EdgeIndex;
  let river: PolygonIndex;
  let bridges: number[];

  beforeAll(() => {
    bundle = generateDemoCity();
    graph = buildWalkGraph(inputFromNetwork(bundle.network, 'demo'));
    index = buildEdgeIndex(graph);
    const water = bundle.water.find((w) => w.kind === 'river' && w.name === '木兰溪');
    if (!water || water.geom.type !== 'MultiPolygon') throw new Error('the demo city has no 木兰溪 river polygon');
    river = new PolygonIndex({ type: 'MultiPolygon', coordinates: water.geom.coordinates });
    // Bridges: edges whose geometry touches the river.
    const [minLon, minLat, maxLon, maxLat] = river.bbox;
    bridges = [];
    for (let e = 0; e < graph.edgeCount; e++) {
      const c = graph.coords;
      for (let k = graph.geomOffset[e]!; k + 1 < graph.geomOffset[e + 1]!; k++) {
        const [ax, ay, bx, by] = [c[2 * k]!, c[2 * k + 1]!, c[2 * k + 2]!, c[2 * k + 3]!];
        if (Math.max(ax, bx) < minLon || Math.min(ax, bx) > maxLon || Math.max(ay, by) < minLat || Math.min(ay, by) > maxLat) continue;
        if (river.touchesSegment(ax, ay, bx, by)) {
          bridges.push(e);
          break;
        }
      }
    }
  }, 180_000);

  function polygonsOf(graph: WalkGraph, tree: TestTree, minutes: number[]): IsochroneResult {
    return buildIsochrones(graph, reachTreeOf(tree), { minutes, bufferM: BUFFER });
  }

  it('has a river crossed by a few bridges', () => {
    expect(bridges.length).toBeGreaterThan(0);
    expect(bridges.length).toBeLessThanOrEqual(12);
  });

  it('keeps coverage, buffer and nesting at seeded origins', () => {
    const random = seededRandom(77);
    let checked = 0;
    for (let tries = 0; checked < 4 && tries < 1000; tries++) {
      // Seeded nodes: the network is dense where people live.
      const node = Math.floor(random() * graph.nodeCount);
      const origin: [number, number] = [graph.nodeLon[node]! + 0.0002, graph.nodeLat[node]! + 0.0001];
      if (!snapToEdge(graph, index, origin[0], origin[1], 60)) continue;
      const tree = searchTree(graph, index, [origin], 4, 900);
      const result = polygonsOf(graph, tree, [5, 10, 15]);
      const report = checkIsochrone(graph, tree, result.contours, { bufferM: BUFFER, stepM: 4, interiorStepM: 8 });
      const where = `origin ${origin.join(', ')}`;
      expect(report.coverageExamples, where).toEqual([]);
      expect(report.bufferWorstM, where).toBeLessThanOrEqual(BUFFER);
      expect(report.nestingMisses, where).toBe(0);
      for (let k = 1; k < report.areasM2.length; k++) expect(report.areasM2[k - 1]!, where).toBeLessThanOrEqual(report.areasM2[k]! + 1e-6);
      checked++;
    }
    expect(checked).toBe(4);
  });

  it('does not extend across the river from a bank with no bridge in reach', () => {
    // Candidate origins: nodes 30-150 m from the river, on land, seeded.
    const random = seededRandom(4242);
    const candidates: number[] = [];
    for (let tries = 0; candidates.length < 400 && tries < 400_000; tries++) {
      const node = Math.floor(random() * graph.nodeCount);
      const lon = graph.nodeLon[node]!;
      const lat = graph.nodeLat[node]!;
      if (river.contains(lon, lat)) continue;
      const d = river.outline.nearestM(lon, lat, 150);
      if (d >= 30 && d <= 150) candidates.push(node);
    }
    const bridgeSet = new Set(bridges);
    let tested = 0;
    let riverPoints = 0;
    let farBankPoints = 0;
    for (const node of candidates) {
      if (tested === 3) break;
      const origin: [number, number] = [graph.nodeLon[node]!, graph.nodeLat[node]!];
      const tree = searchTree(graph, index, [origin], 4, 900);
      const reachesBridge = bridges.some((e) => tree.times[graph.edgeSource[e]!]! <= 900 || tree.times[graph.edgeTarget[e]!]! <= 900);
      if (reachesBridge || tree.origins.some((o) => bridgeSet.has(o.snap.edge))) continue;
      tested++;
      const result = polygonsOf(graph, tree, [5, 10, 15]);
      const report = checkIsochrone(graph, tree, result.contours, { bufferM: BUFFER, stepM: 4, interiorStepM: 8 });
      expect(report.coverageExamples).toEqual([]);
      expect(report.bufferWorstM).toBeLessThanOrEqual(BUFFER);
      expect(report.nestingMisses).toBe(0);

      const fifteen = result.contours.find((c) => c.minutes === 15)!;
      const polygon = new PolygonIndex(fifteen.geometry);
      const network = new SegmentIndex(reachableLines(graph, tree, 900), origin[1]);
      const samples = [...polygon.outlineSamples(4), ...polygon.interiorSamples(8)];
      const problems: string[] = [];
      for (let i = 0; i < samples.length; i += 2) {
        const lon = samples[i]!;
        const lat = samples[i + 1]!;
        const [qLon, qLat, d] = network.nearest(lon, lat, BUFFER + 1);
        if (!(d <= BUFFER)) {
          problems.push(`(${lon}, ${lat}) is ${d} m from reachable network`);
        } else if (river.contains(lon, lat)) {
          riverPoints++;
        } else if (river.touchesSegment(lon, lat, qLon, qLat)) {
          problems.push(`(${lon}, ${lat}) lies across the river from the reachable network at (${qLon}, ${qLat})`);
        }
        if (problems.length >= 5) break;
      }
      expect(problems, `origin node ${node}`).toEqual([]);

      // The far bank is close (a hull of the reached nodes would take it in), yet none of it is inside:
      // network points across the river within 400 m of the reachable network.
      const coarse = new SegmentIndex(reachableLines(graph, tree, 900), origin[1], 100);
      const [minLon, minLat, maxLon, maxLat] = polygon.bbox;
      const margin = 0.004;
      let farBank = 0;
      let farInside = 0;
      const c = graph.coords;
      for (let e = 0; e < graph.edgeCount; e++) {
        const k0 = graph.geomOffset[e]!;
        if (c[2 * k0]! < minLon - margin || c[2 * k0]! > maxLon + margin || c[2 * k0 + 1]! < minLat - margin || c[2 * k0 + 1]! > maxLat + margin) continue;
        for (let k = k0; k < graph.geomOffset[e + 1]!; k++) {
          const lon = c[2 * k]!;
          const lat = c[2 * k + 1]!;
          const [qLon, qLat, d] = coarse.nearest(lon, lat, 400);
          if (!(d > 1) || d === Infinity || river.contains(lon, lat) || !river.touchesSegment(lon, lat, qLon, qLat)) continue;
          farBank++;
          if (polygon.contains(lon, lat)) farInside++;
        }
      }
      farBankPoints += farBank;
      expect(farInside, `origin node ${node}: far-bank network points inside the polygon`).toBe(0);
    }
    expect(tested).toBe(3);
    expect(farBankPoints).toBeGreaterThan(0);
    console.info(
      `river test: ${tested} origins on the bank, ${farBankPoints} far-bank network points within 400 m of the reach and none inside; ` +
        `${riverPoints} polygon points over the water, all within ${BUFFER} m of the near bank's reachable network`,
    );
  });

  it('keeps the properties for the union of every center (multi-source)', () => {
    const points = bundle.centers.map((c) => [c.lon, c.lat] as [number, number]).filter(([lon, lat]) => snapToEdge(graph, index, lon, lat));
    const tree = searchTree(graph, index, points, 4, 900);
    const t0 = performance.now();
    const result = polygonsOf(graph, tree, [15]);
    const ms = performance.now() - t0;
    console.info(`union of ${points.length} centers: polygons in ${ms.toFixed(0)} ms, ${result.method.cells} cells of ${result.method.cellSizeM.toFixed(1)} m`);
    const report = checkIsochrone(graph, tree, result.contours, { bufferM: BUFFER, stepM: 30, interiorStepM: 150 });
    expect(report.coverageChecked).toBeGreaterThan(10_000);
    expect(report.coverageExamples).toEqual([]);
    expect(report.bufferWorstM).toBeLessThanOrEqual(BUFFER);
  });
});
