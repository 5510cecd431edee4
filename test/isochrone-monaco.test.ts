/**
 * Isochrone polygons on real data, Monaco (OSM): for seeded origins, the
 * three properties checked geometrically against the network the routing
 * core reaches (coverage of every reachable stretch incl. partial ends,
 * buffer of every polygon point, nesting of 5 in 10 in 15), plain and
 * generalized, at another speed and buffer, and for the union of several
 * origins. The graph is built in memory from the import bundle: the polygons
 * do not depend on the storage backend (the HTTP test covers the service path).
 */
import { beforeAll, expect, it } from 'vitest';
import type { ImportBundle } from '../kernel/import-bundle.ts';
import { buildEdgeIndex, type EdgeIndex } from '../server/routing/graph/edge-index.ts';
import { buildWalkGraph, inputFromNetwork } from '../server/routing/graph/graph-builder.ts';
import { buildIsochrones, reachTreeOf } from '../server/routing/isochrone/build-isochrones.ts';
import { hasIntersections } from '../server/routing/isochrone/simplify-rings.ts';
import { snapToEdge } from '../server/routing/search/snap.ts';
import type { WalkGraph } from '../server/routing/graph/walk-graph.ts';
import { checkIsochrone, searchTree } from './isochrone-properties.ts';
import { describeWithData, sharedData } from './shared-data.ts';
import { seededRandom } from './synthetic-graph.ts';

const monaco = sharedData('osm/monaco.osm.pbf');

/** Seeded points that snap within 60 m, in the middle of the data (Monaco proper, not the hills around). */
function seededOrigins(graph: WalkGraph, index: EdgeIndex, count: number, seed: number): [number, number][] {
  const random = seededRandom(seed);
  const [minLon, minLat, maxLon, maxLat] = graph.bounds;
  const out: [number, number][] = [];
  for (let tries = 0; out.length < count && tries < 10_000; tries++) {
    const lon = minLon + (0.3 + 0.4 * random()) * (maxLon - minLon);
    const lat = minLat + (0.3 + 0.4 * random()) * (maxLat - minLat);
    if (snapToEdge(graph, index, lon, lat, 60)) out.push([lon, lat]);
  }
  return out;
}

describeWithData('isochrone polygons on Monaco', monaco, () => {
  let bundle: ImportBundle;
  let graph: WalkGraph;
  let index: EdgeIndex;

  beforeAll(async () => {
    const { osmToBundle } = await import('../data-pipeline/osm/osm-to-bundle.ts');
    bundle = (await osmToBundle(monaco.path, { city: 'Monaco' })).bundle;
    graph = buildWalkGraph(inputFromNetwork(bundle.network, 'monaco'));
    index = buildEdgeIndex(graph);
  }, 120_000);

  const cases = [
    { name: '5, 10, 15 min at 4 km/h, buffer 40 m', seed: 1, count: 4, speed: 4, buffer: 40, generalize: 0, minutes: [5, 10, 15] },
    { name: '10 and 20 min at 5 km/h, buffer 25 m', seed: 2, count: 2, speed: 5, buffer: 25, generalize: 0, minutes: [10, 20] },
    { name: 'generalize 15 m', seed: 3, count: 2, speed: 4, buffer: 40, generalize: 15, minutes: [5, 10, 15] },
    { name: 'generalize 60 m (beyond what the buffer absorbs)', seed: 4, count: 1, speed: 4, buffer: 40, generalize: 60, minutes: [10, 15] },
  ];
  for (const c of cases) {
    it(`keeps coverage, buffer and nesting: ${c.name}`, () => {
      for (const origin of seededOrigins(graph, index, c.count, c.seed)) {
        const tree = searchTree(graph, index, [origin], c.speed, Math.max(...c.minutes) * 60);
        const result = buildIsochrones(graph, reachTreeOf(tree), { minutes: c.minutes, bufferM: c.buffer, generalizeM: c.generalize });
        const excess = Math.max(0, result.method.simplifyToleranceM - result.method.absorbedToleranceM);
        const report = checkIsochrone(graph, tree, result.contours, {
          bufferM: c.buffer,
          toleranceM: excess,
          nestingToleranceM: c.generalize,
          stepM: 3,
          interiorStepM: 6,
        });
        const where = `origin ${origin.join(', ')}`;
        expect(report.coverageChecked, where).toBeGreaterThan(200);
        expect(report.coverageExamples, where).toEqual([]);
        expect(report.bufferWorstM, `${where}: worst at ${report.bufferWorstAt?.join(', ')}`).toBeLessThanOrEqual(c.buffer + excess);
        expect(report.nestingMisses, where).toBe(0);
        for (let k = 1; k < report.areasM2.length; k++) expect(report.areasM2[k - 1]!, where).toBeLessThanOrEqual(report.areasM2[k]! + 1e-6);
        for (const contour of result.contours) {
          const polygons = contour.geometry.type === 'Polygon' ? [contour.geometry.coordinates] : contour.geometry.coordinates;
          const rings = polygons.flatMap((p) => p.map((ring) => Float64Array.from(ring.slice(0, -1).flat())));
          expect(hasIntersections(rings), `${where} ${contour.minutes} min: rings cross`).toBe(false);
        }
      }
    });
  }

  it('keeps the properties for the union of several centers (multi-source)', () => {
    const centers = bundle.centers.filter((c) => snapToEdge(graph, index, c.lon, c.lat, 200)).slice(0, 8);
    expect(centers.length).toBeGreaterThanOrEqual(3);
    const points = centers.map((c) => [c.lon, c.lat] as [number, number]);
    const tree = searchTree(graph, index, points, 4, 900);
    const result = buildIsochrones(graph, reachTreeOf(tree), { minutes: [5, 15] });
    const report = checkIsochrone(graph, tree, result.contours, { bufferM: 40, stepM: 4, interiorStepM: 8 });
    expect(report.coverageChecked).toBeGreaterThan(1000);
    expect(report.coverageExamples).toEqual([]);
    expect(report.bufferWorstM).toBeLessThanOrEqual(40);
    expect(report.nestingMisses).toBe(0);
  });
});
