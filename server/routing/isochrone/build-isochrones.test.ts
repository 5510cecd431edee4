// Isochrone polygons on hand-made and seeded synthetic networks: the three
// properties (coverage, buffer, nesting) checked geometrically by
// test/isochrone-properties.ts, partial edges, one-way edges, a river
// without a bridge in reach, several origins, and generalization.
import { describe, expect, it } from 'vitest';
import { buildWalkGraph, type WalkGraphInput } from '../graph/graph-builder.ts';
import { buildEdgeIndex } from '../graph/edge-index.ts';
import { edgeSeconds } from '../../../kernel/walk-speed.ts';
import type { WalkGraph } from '../graph/walk-graph.ts';
import { syntheticNetwork, seededRandom } from '../../../test/synthetic-graph.ts';
import { checkIsochrone, PolygonIndex, searchTree } from '../../../test/isochrone-properties.ts';
import { buildIsochrones, IsochroneExtentError, reachTreeOf, roundHalfUp, type IsochroneResult } from './build-isochrones.ts';
import { hasIntersections } from './simplify-rings.ts';
import { IsochroneScratch } from './isochrone-scratch.ts';

const LON0 = 119.0;
const LAT0 = 25.45;
const M = 6371008.8 * (Math.PI / 180);
const KX = M * Math.cos((LAT0 * Math.PI) / 180);

/** lon/lat of a point x metres east and y metres north of (LON0, LAT0). */
function at(x: number, y: number): [number, number] {
  return [LON0 + x / KX, LAT0 + y / M];
}

/** A graph from nodes in metres and straight edges; oneWay edges only go a -> b. */
function metricGraph(nodes: [number, number][], edges: { a: number; b: number; oneWay?: boolean; steps?: boolean }[]): WalkGraph {
  const coords: number[] = [];
  const geomOffset = [0];
  const input: WalkGraphInput = {
    version: 'test',
    nodeCount: nodes.length,
    nodeLon: nodes.map((p) => at(...p)[0]),
    nodeLat: nodes.map((p) => at(...p)[1]),
    edgeCount: edges.length,
    source: edges.map((e) => e.a),
    target: edges.map((e) => e.b),
    cost: [],
    reverseCost: [],
    lengthM: [],
    geomOffset,
    coords,
  };
  for (const e of edges) {
    const [ax, ay] = nodes[e.a]!;
    const [bx, by] = nodes[e.b]!;
    const length = Math.hypot(bx - ax, by - ay);
    const seconds = edgeSeconds(length, e.steps ? 'steps' : 'footway');
    (input.cost as number[]).push(seconds);
    (input.reverseCost as number[]).push(e.oneWay ? -1 : seconds);
    (input.lengthM as number[]).push(length);
    coords.push(...at(ax, ay), ...at(bx, by));
    geomOffset.push(coords.length / 2);
  }
  return buildWalkGraph(input);
}

/** One street through `points` in order, an edge per leg (and back to the start when closed); `oneWayLegs` only go forwards. */
function streetGraph(points: [number, number][], options: { closed?: boolean; oneWayLegs?: number[] } = {}): WalkGraph {
  const legs = points.map((_, i) => ({ a: i, b: (i + 1) % points.length, oneWay: options.oneWayLegs?.includes(i) }));
  return metricGraph(points, options.closed ? legs : legs.slice(0, -1));
}

function isochrones(graph: WalkGraph, points: [number, number][], options: { minutes?: number[]; speedKmh?: number; bufferM?: number; generalizeM?: number } = {}) {
  const minutes = options.minutes ?? [5, 10, 15];
  const speed = options.speedKmh ?? 4;
  const tree = searchTree(graph, buildEdgeIndex(graph), points, speed, Math.max(...minutes) * 60);
  const result = buildIsochrones(graph, reachTreeOf(tree), { minutes, bufferM: options.bufferM ?? 40, generalizeM: options.generalizeM ?? 0 });
  return { tree, result };
}

function polygonOf(result: IsochroneResult, minutes: number): PolygonIndex {
  return new PolygonIndex(result.contours.find((c) => c.minutes === minutes)!.geometry);
}

/** All rings of a contour in lon/lat as flat arrays, for the validity check. */
function ringsOf(result: IsochroneResult): Float64Array[] {
  const rings: Float64Array[] = [];
  for (const c of result.contours) {
    const polygons = c.geometry.type === 'Polygon' ? [c.geometry.coordinates] : c.geometry.coordinates;
    for (const p of polygons) for (const ring of p) rings.push(Float64Array.from(ring.slice(0, -1).flat()));
  }
  return rings;
}

function expectValid(result: IsochroneResult): void {
  for (const c of result.contours) {
    const polygons = c.geometry.type === 'Polygon' ? [c.geometry.coordinates] : c.geometry.coordinates;
    const rings = polygons.flatMap((p) => p.map((ring) => Float64Array.from(ring.slice(0, -1).flat())));
    expect(hasIntersections(rings), `${c.minutes} min rings cross or touch`).toBe(false);
    for (const p of polygons) {
      for (const [r, ring] of p.entries()) {
        expect(ring[0]).toEqual(ring[ring.length - 1]);
        // RFC 7946: exterior counter-clockwise, holes clockwise.
        let sum = 0;
        for (let i = 0; i + 1 < ring.length; i++) sum += (ring[i]![0] - ring[i + 1]![0]) * (ring[i]![1] + ring[i + 1]![1]);
        expect(Math.sign(sum)).toBe(r === 0 ? 1 : -1);
      }
    }
  }
}

describe('buildIsochrones on a straight street', () => {
  // 0 --- 1 --- 2 eastwards, 600 m each; the origin sits on the street at x = 0.
  const graph = streetGraph([[0, 0], [600, 0], [1200, 0]]);

  it('reaches exactly to where time runs out, and no farther than the buffer', () => {
    const { result } = isochrones(graph, [at(0, 0)], { minutes: [5] });
    const poly = polygonOf(result, 5);
    const reach = (5 * 60 * 4) / 3.6; // 333.3 m
    expect(poly.contains(...at(reach - 0.5, 0))).toBe(true);
    expect(poly.contains(...at(reach + 40.5, 0))).toBe(false);
    expect(poly.contains(...at(-40.5, 0))).toBe(false);
    expect(poly.contains(...at(100, 40.5))).toBe(false);
    expect(poly.contains(...at(100, -40.5))).toBe(false);
    // Not needlessly thin: everything within B - 2 cell half-diagonals is in.
    expect(poly.contains(...at(100, 20))).toBe(true);
    expect(poly.contains(...at(100, -20))).toBe(true);
    expect(result.contours[0]!.reachableM).toBeCloseTo(reach, 0);
    expect(result.contours[0]!.areaM2).toBeGreaterThan(reach * 40);
    expect(result.contours[0]!.areaM2).toBeLessThan((reach + 80) * 80);
    expectValid(result);
  });

  it('scales with speed_kmh', () => {
    const { result } = isochrones(graph, [at(0, 0)], { minutes: [5], speedKmh: 6 });
    const reach = (5 * 60 * 6) / 3.6; // 500 m
    const poly = polygonOf(result, 5);
    expect(poly.contains(...at(reach - 0.5, 0))).toBe(true);
    expect(poly.contains(...at(reach + 40.5, 0))).toBe(false);
  });

  it('starts mid-edge from the snapped point and includes the access leg', () => {
    const { result } = isochrones(graph, [at(300, 30)], { minutes: [5] });
    const poly = polygonOf(result, 5);
    // 30 m access leg = 27 s; 333.3 - 30 = 303.3 m east along the street, and west to its end (300 m).
    expect(poly.contains(...at(300, 30))).toBe(true);
    expect(poly.contains(...at(300 + 302.8, 0))).toBe(true);
    expect(poly.contains(...at(0.5, 0))).toBe(true);
    expect(poly.contains(...at(300 + 303.3 + 40.5, 0))).toBe(false);
    expect(result.contours[0]!.reachableM).toBeCloseTo(30 + 303.33 + 300, 0);
  });
});

describe('buildIsochrones respects one-way edges', () => {
  it('walks a one-way path only forwards', () => {
    // 0 -> 1 one-way eastwards, 1 -- 2 both ways; origin at node 1 (x = 500).
    const graph = streetGraph([[0, 0], [500, 0], [1000, 0]], { oneWayLegs: [0] });
    const { result } = isochrones(graph, [at(500, 0)], { minutes: [5] });
    const poly = polygonOf(result, 5);
    expect(poly.contains(...at(500 + 330, 0))).toBe(true);
    // Back along the one-way path: nothing beyond the buffer.
    expect(poly.contains(...at(500 - 40.5, 0))).toBe(false);
  });
});

describe('buildIsochrones does not jump a river', () => {
  // Two banks 150 m apart (y = 0 and y = 150) joined by one bridge at x = 1,500 m.
  const nodes: [number, number][] = [];
  const edges: { a: number; b: number }[] = [];
  for (let bank = 0; bank < 2; bank++) {
    for (let i = 0; i <= 20; i++) {
      nodes.push([i * 100, bank * 150]);
      if (i > 0) edges.push({ a: nodes.length - 2, b: nodes.length - 1 });
    }
  }
  edges.push({ a: 15, b: 21 + 15 });
  const graph = metricGraph(nodes, edges);

  it('keeps the far bank out when no bridge is in reach', () => {
    const { tree, result } = isochrones(graph, [at(200, -5)]);
    const poly = polygonOf(result, 15);
    for (let x = -200; x <= 2200; x += 5) {
      for (const y of [75, 110, 150]) expect(poly.contains(...at(x, y)), `(${x}, ${y})`).toBe(false);
    }
    const report = checkIsochrone(graph, tree, result.contours, { bufferM: 40 });
    expect(report.coverageMisses).toBe(0);
    expect(report.bufferWorstM).toBeLessThanOrEqual(40);
    expect(report.nestingMisses).toBe(0);
  });

  it('crosses where the bridge is in reach', () => {
    const { result } = isochrones(graph, [at(1300, -5)]);
    const poly = polygonOf(result, 15);
    expect(poly.contains(...at(1500, 75))).toBe(true);
    expect(poly.contains(...at(1600, 150))).toBe(true);
    // Beside the bridge, over the water, it still stays out.
    expect(poly.contains(...at(1500 - 60, 75))).toBe(false);
  });
});

describe('buildIsochrones keeps holes where no one can walk', () => {
  it('leaves a 400 m block with streets only around it as a hole', () => {
    const graph = streetGraph([[0, 0], [400, 0], [400, 400], [0, 400]], { closed: true });
    const { tree, result } = isochrones(graph, [at(0, 0)], { minutes: [15, 30] });
    const poly = polygonOf(result, 30);
    expect(result.contours[1]!.geometry.type).toBe('Polygon');
    expect(result.contours[1]!.geometry.coordinates.length).toBe(2);
    expect(poly.contains(...at(200, 200))).toBe(false);
    expect(poly.contains(...at(200, 0))).toBe(true);
    const report = checkIsochrone(graph, tree, result.contours, { bufferM: 40 });
    expect(report.coverageMisses).toBe(0);
    expect(report.bufferWorstM).toBeLessThanOrEqual(40);
    expect(report.nestingMisses).toBe(0);
    expectValid(result);
  });
});

describe('buildIsochrones on seeded synthetic networks', () => {
  const cases = [
    { seed: 1, points: 1, speed: 4, buffer: 40, generalize: 0, minutes: [5, 10, 15] },
    { seed: 2, points: 1, speed: 5, buffer: 25, generalize: 0, minutes: [3, 7, 12] },
    { seed: 3, points: 3, speed: 4, buffer: 40, generalize: 0, minutes: [5, 10] },
    { seed: 4, points: 1, speed: 4, buffer: 60, generalize: 0, minutes: [10] },
    { seed: 5, points: 1, speed: 4, buffer: 40, generalize: 10, minutes: [5, 10, 15] },
    { seed: 6, points: 2, speed: 4, buffer: 40, generalize: 30, minutes: [5, 10, 15] },
    { seed: 7, points: 1, speed: 4, buffer: 40, generalize: 60, minutes: [5, 15] },
  ];
  for (const c of cases) {
    it(`seed ${c.seed}: ${c.points} origin(s), ${c.speed} km/h, buffer ${c.buffer} m, generalize ${c.generalize} m`, () => {
      const input = syntheticNetwork({ cols: 30, rows: 30, seed: c.seed, spacingM: 90, dropShare: 0.25, oneWayShare: 0.1 });
      const graph = buildWalkGraph(input);
      const random = seededRandom(c.seed * 7919);
      const points: [number, number][] = [];
      const [minLon, minLat, maxLon, maxLat] = graph.bounds;
      for (let i = 0; i < c.points; i++) {
        points.push([minLon + (0.3 + 0.4 * random()) * (maxLon - minLon), minLat + (0.3 + 0.4 * random()) * (maxLat - minLat)]);
      }
      const { tree, result } = isochrones(graph, points, { minutes: c.minutes, speedKmh: c.speed, bufferM: c.buffer, generalizeM: c.generalize });
      // Coverage and buffer may be off by the unabsorbed part of the tolerance (none up to ~B/2), nesting by generalize.
      const excess = Math.max(0, result.method.simplifyToleranceM - result.method.absorbedToleranceM);
      if (c.generalize <= c.buffer / 2 - 1) expect(excess).toBe(0);
      const report = checkIsochrone(graph, tree, result.contours, {
        bufferM: c.buffer,
        toleranceM: excess,
        nestingToleranceM: c.generalize,
        stepM: 4,
        interiorStepM: 8,
      });
      expect(report.coverageChecked).toBeGreaterThan(1000);
      expect(report.coverageExamples).toEqual([]);
      expect(report.bufferWorstM).toBeLessThanOrEqual(c.buffer + excess);
      expect(report.nestingMisses).toBe(0);
      for (let k = 1; k < report.areasM2.length; k++) expect(report.areasM2[k - 1]!).toBeLessThanOrEqual(report.areasM2[k]! + 1e-6);
      expectValid(result);
    });
  }
});

describe('buildIsochrones with a scratch', () => {
  it('gives the same polygons as fresh buffers, build after build', () => {
    const graph = buildWalkGraph(syntheticNetwork({ cols: 30, rows: 30, seed: 21, spacingM: 90, dropShare: 0.25, oneWayShare: 0.1 }));
    const index = buildEdgeIndex(graph);
    const random = seededRandom(21);
    const [minLon, minLat, maxLon, maxLat] = graph.bounds;
    const scratch = new IsochroneScratch();
    // Alternate small and large builds and several contour counts, so buffers are reused both ways.
    const plans = [[5], [5, 10, 15], [2], [15, 20], [3, 6], [12]];
    for (const minutes of plans) {
      const point: [number, number] = [minLon + random() * (maxLon - minLon), minLat + random() * (maxLat - minLat)];
      const tree = reachTreeOf(searchTree(graph, index, [point], 4, Math.max(...minutes) * 60));
      const fresh = buildIsochrones(graph, tree, { minutes });
      const reused = buildIsochrones(graph, tree, { minutes }, scratch);
      expect(reused.contours.map((c) => c.geometry)).toEqual(fresh.contours.map((c) => c.geometry));
      expect(reused.contours.map((c) => c.reachableM)).toEqual(fresh.contours.map((c) => c.reachableM));
    }
  });
});

describe('buildIsochrones limits', () => {
  it('refuses an area too large for the buffer with an actionable message', () => {
    const graph = streetGraph([[0, 0], [30_000, 30_000], [60_000, 0]]);
    const tree = searchTree(graph, buildEdgeIndex(graph), [at(0, 0)], 20, 3600 * 2);
    expect(() => buildIsochrones(graph, reachTreeOf(tree), { minutes: [120], bufferM: 10, maxCells: 1_000_000 })).toThrow(IsochroneExtentError);
    expect(() => buildIsochrones(graph, reachTreeOf(tree), { minutes: [120], bufferM: 10, maxCells: 1_000_000 })).toThrow(/buffer_m/);
  });

  it('gives an empty-free answer for a point whose access leg is longer than the time', () => {
    const graph = streetGraph([[0, 0], [100, 0]]);
    // 300 m off the street, 1 minute = 66.7 m: only part of the access leg.
    const { result } = isochrones(graph, [at(50, 300)], { minutes: [1] });
    const poly = polygonOf(result, 1);
    expect(poly.contains(...at(50, 300))).toBe(true);
    expect(poly.contains(...at(50, 300 - 60))).toBe(true);
    expect(poly.contains(...at(50, 300 - 66.7 - 40.5))).toBe(false);
    expect(ringsOf(result).length).toBe(1);
  });
});

describe('roundHalfUp', () => {
  it('is Math.round on the 1e-7 degree range, halves and power-of-two edges included', () => {
    const random = seededRandom(5);
    const cases = [0, -0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994, 2 ** 31 - 0.5, -(2 ** 31) + 0.5, 1800000000.5, -1800000000.5];
    for (let e = 0; e < 32; e++) for (const d of [-0.5, -Number.EPSILON, 0, Number.EPSILON, 0.5]) cases.push(2 ** e + d * 2 ** e, -(2 ** e) + d * 2 ** e, 2 ** e - 0.5, 2 ** e + 0.5);
    for (let i = 0; i < 20000; i++) {
      const v = (random() - 0.5) * 3.6e9;
      cases.push(v, Math.floor(v) + 0.5, -Math.floor(v) - 0.5);
    }
    for (const v of cases) expect(roundHalfUp(v) + 0, String(v)).toBe(Math.round(v) + 0);
  });
});

