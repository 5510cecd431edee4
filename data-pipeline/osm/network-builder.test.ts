import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEED_KMH, STEPS_FACTOR, edgeSeconds } from '../../kernel/walk-speed.ts';
import type { WalkNetwork } from '../../kernel/import-bundle.ts';
import { haversineM } from '../../kernel/geo.ts';
import { NetworkBuilder } from './network-builder.ts';
import { NodeStore } from './node-store.ts';
import { walkAccess } from './walk-model.ts';

/** A small store: node id -> [lon, lat]. */
function storeOf(nodes: Record<number, [number, number]>): NodeStore {
  const s = new NodeStore();
  for (const [id, [lon, lat]] of Object.entries(nodes)) s.add(Number(id), lon, lat);
  return s;
}

function edgeCoords(net: WalkNetwork, e: number): [number, number][] {
  const out: [number, number][] = [];
  for (let v = net.geomOffset[e]!; v < net.geomOffset[e + 1]!; v++) out.push([net.coords[2 * v]!, net.coords[2 * v + 1]!]);
  return out;
}

const footway = walkAccess({ highway: 'footway' })!;

describe('NetworkBuilder', () => {
  it('splits two crossing ways into 4 edges at the shared node', () => {
    const store = storeOf({ 1: [0, 0], 2: [0.001, 0], 3: [0.002, 0], 4: [0.001, -0.001], 5: [0.001, 0.001] });
    const b = new NetworkBuilder();
    b.addWay(10, [1, 2, 3], footway);
    b.addWay(11, [4, 2, 5], footway);
    const { network: net, missingNodeRefs } = b.build(store);
    expect(missingNodeRefs).toBe(0);
    expect(net.nodeCount).toBe(5);
    expect(net.edgeCount).toBe(4);
    const center = Array.from(net.nodeOsmId).indexOf(2);
    for (let e = 0; e < 4; e++) expect(net.source[e] === center || net.target[e] === center).toBe(true);
    expect(Array.from(net.edgeOsmId)).toEqual([10, 10, 11, 11]);
    expect(net.geomOffset[4]).toBe(8);
  });

  it('keeps intermediate vertices and nodes only at split points', () => {
    const store = storeOf({ 1: [0, 0], 2: [0.001, 0], 3: [0.002, 0.0005], 4: [0.003, 0] });
    const b = new NetworkBuilder();
    b.addWay(10, [1, 2, 3, 4], footway);
    const { network: net } = b.build(store);
    expect(net.nodeCount).toBe(2);
    expect(net.edgeCount).toBe(1);
    expect(Array.from(net.nodeOsmId)).toEqual([1, 4]);
    expect(edgeCoords(net, 0)).toEqual([[0, 0], [0.001, 0], [0.002, 0.0005], [0.003, 0]]);
    const expected = haversineM(0, 0, 0.001, 0) + haversineM(0.001, 0, 0.002, 0.0005) + haversineM(0.002, 0.0005, 0.003, 0);
    expect(net.lengthM[0]).toBeCloseTo(expected, 9);
    expect(net.cost[0]).toBeCloseTo(expected / (DEFAULT_SPEED_KMH / 3.6), 9);
    expect(net.reverseCost[0]).toBe(net.cost[0]);
  });

  it('measures lengths by haversine (1e-3 degrees of latitude = 111.2 m)', () => {
    expect(haversineM(7.4, 43.7, 7.4, 43.701)).toBeCloseTo(111.195, 2);
    const store = storeOf({ 1: [7.4, 43.7], 2: [7.4, 43.701] });
    const b = new NetworkBuilder();
    b.addWay(1, [1, 2], footway);
    expect(b.build(store).network.lengthM[0]).toBeCloseTo(111.195, 2);
  });

  it('splits where a way uses a node twice (a lasso) and keeps loops', () => {
    const store = storeOf({ 1: [0, 0], 2: [0.001, 0], 3: [0.002, 0], 4: [0.002, 0.001], 5: [0.001, 0.001] });
    const b = new NetworkBuilder();
    // 1 -> 2 -> 3 -> 4 -> 5 -> 2: node 2 is used twice.
    b.addWay(1, [1, 2, 3, 4, 5, 2], footway);
    // A closed ring: its first/last node is the only split point: one loop edge.
    b.addWay(2, [3, 4, 5, 3], footway);
    const { network: net } = b.build(store);
    const ofWay1 = Array.from(net.edgeOsmId).filter((x) => x === 1).length;
    // 1-2, 2-3, 3-4, 4-5, 5-2 (3, 4, 5 are shared with way 2).
    expect(ofWay1).toBe(5);
    const loopEdges = Array.from(net.edgeOsmId).map((x, e) => [x, e]).filter(([x]) => x === 2);
    expect(loopEdges.length).toBe(3);
  });

  it('skips and counts refs to missing nodes, cutting the way there', () => {
    const store = storeOf({ 1: [0, 0], 2: [0.001, 0], 4: [0.003, 0], 5: [0.004, 0], 7: [0.006, 0] });
    const b = new NetworkBuilder();
    // 3 and 6 are missing: parts [1, 2], [4, 5], [7] -> two edges, the lone 7 dropped.
    b.addWay(50, [1, 2, 3, 4, 5, 6, 7], footway);
    b.addWay(51, [8, 9], footway);
    const r = b.build(store);
    expect(r.missingNodeRefs).toBe(4);
    expect(r.missingRefWays).toEqual([50, 51]);
    expect(r.missingRefCounts).toEqual([2, 2]);
    expect(r.shortWays).toBe(1);
    expect(r.shortWayExamples).toEqual([51]);
    expect(r.network.edgeCount).toBe(2);
    expect(r.network.nodeCount).toBe(4);
    expect(edgeCoords(r.network, 1)).toEqual([[0.003, 0], [0.004, 0]]);
  });

  it('drops zero-length edges from repeated refs', () => {
    const store = storeOf({ 1: [0, 0], 2: [0.001, 0], 3: [0.002, 0] });
    const b = new NetworkBuilder();
    b.addWay(1, [1, 2, 2, 3], footway);
    const r = b.build(store);
    expect(r.zeroLengthDropped).toBe(1);
    expect(r.network.edgeCount).toBe(2);
    for (let e = 0; e < r.network.edgeCount; e++) expect(r.network.lengthM[e]).toBeGreaterThan(0);
    expect(r.network.geomOffset[2]).toBe(4);
  });

  it('sets cost -1 for a direction walkers may not take', () => {
    const store = storeOf({ 1: [0, 0], 2: [0.001, 0], 3: [0.002, 0] });
    const b = new NetworkBuilder();
    b.addWay(1, [1, 2], walkAccess({ highway: 'footway', 'oneway:foot': 'yes' })!);
    b.addWay(2, [2, 3], walkAccess({ highway: 'footway', 'oneway:foot': '-1' })!);
    b.addWay(3, [1, 3], walkAccess({ highway: 'residential', oneway: 'yes' })!);
    const { network: net } = b.build(store);
    expect(net.cost[0]).toBeGreaterThan(0);
    expect(net.reverseCost[0]).toBe(-1);
    expect(net.cost[1]).toBe(-1);
    expect(net.reverseCost[1]).toBeGreaterThan(0);
    expect(net.cost[2]).toBeGreaterThan(0);
    expect(net.reverseCost[2]).toBeGreaterThan(0);
  });

  it('costs steps STEPS_FACTOR times a footway per metre', () => {
    const store = storeOf({ 1: [0, 0], 2: [0.001, 0], 3: [0.002, 0] });
    const b = new NetworkBuilder();
    b.addWay(1, [1, 2], footway);
    b.addWay(2, [2, 3], walkAccess({ highway: 'steps' })!);
    const r = b.build(store);
    const net = r.network;
    expect(r.stepsEdges).toBe(1);
    expect(net.classNames[net.classIndex[1]!]).toBe('steps');
    expect(net.cost[1]! / net.lengthM[1]!).toBeCloseTo((STEPS_FACTOR * net.cost[0]!) / net.lengthM[0]!, 9);
    expect(net.cost[1]).toBeCloseTo(edgeSeconds(net.lengthM[1]!, 'steps'), 9);
  });
});
