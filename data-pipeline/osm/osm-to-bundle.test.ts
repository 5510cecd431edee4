import { describe, expect, it } from 'vitest';
import { STEPS_FACTOR } from '../../kernel/walk-speed.ts';
import { sharedData, describeWithData } from '../../test/shared-data.ts';
import type { ImportBundle, WalkNetwork } from '../../kernel/import-bundle.ts';
import { CITY_CODE } from './assemble-bundle.ts';
import { createOsmCollector } from './osm-collector.ts';
import { osmToBundle } from './osm-to-bundle.ts';

/** Share of network nodes in the largest connected component (undirected), by union-find. */
function largestComponentShare(net: WalkNetwork): number {
  const parent = new Int32Array(net.nodeCount);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  for (let e = 0; e < net.edgeCount; e++) {
    const a = find(net.source[e]!);
    const b = find(net.target[e]!);
    if (a !== b) parent[a] = b;
  }
  const size = new Int32Array(net.nodeCount);
  let best = 0;
  for (let i = 0; i < net.nodeCount; i++) best = Math.max(best, ++size[find(i)]!);
  return net.nodeCount === 0 ? 0 : best / net.nodeCount;
}

/** Structural checks every bundle must pass. */
function expectConsistent(bundle: ImportBundle): void {
  const net = bundle.network;
  expect(net.nodeLon.length).toBe(net.nodeCount);
  expect(net.geomOffset.length).toBe(net.edgeCount + 1);
  expect(net.coords.length).toBe(2 * net.geomOffset[net.edgeCount]!);
  for (let e = 0; e < net.edgeCount; e++) {
    const s = net.source[e]!;
    const t = net.target[e]!;
    const a = net.geomOffset[e]!;
    const b = net.geomOffset[e + 1]!;
    if (!(s >= 0 && s < net.nodeCount && t >= 0 && t < net.nodeCount && b - a >= 2 && net.lengthM[e]! >= 0)) throw new Error(`bad edge ${e}`);
    // Geometry starts at the source node and ends at the target node.
    if (net.coords[2 * a] !== net.nodeLon[s] || net.coords[2 * b - 1] !== net.nodeLat[t]) throw new Error(`edge ${e} geometry does not meet its nodes`);
    if (!(net.cost[e]! > 0 || net.cost[e] === -1) || !(net.reverseCost[e]! > 0 || net.reverseCost[e] === -1)) {
      if (net.lengthM[e]! > 0) throw new Error(`edge ${e} has bad costs`);
    }
  }
  const h = bundle.households;
  for (let i = 0; i < h.count; i++) {
    const g = h.gridIndex[i]!;
    if (!(g >= 0 && g < bundle.grids.length)) throw new Error(`household ${i} has gridIndex ${g}`);
  }
  const codes = new Set([bundle.city.code, ...bundle.admin.map((a) => a.code)]);
  for (const g of bundle.grids) if (g.communityCode !== null && !codes.has(g.communityCode)) throw new Error(`grid ${g.code}: unknown community`);
  for (const a of bundle.admin) if (a.parentCode !== null && !codes.has(a.parentCode)) throw new Error(`admin ${a.code}: unknown parent`);
  for (const b of bundle.buildings) {
    const ring = b.geom[0]![0]!;
    const first = ring[0]!;
    const last = ring[ring.length - 1]!;
    if (ring.length < 4 || first[0] !== last[0] || first[1] !== last[1]) throw new Error('building ring not closed');
  }
}

describe('createOsmCollector (synthetic stream)', () => {
  it('collects network, buildings, water, centers, places and skips into a bundle', () => {
    const c = createOsmCollector();
    const h = c.handler;
    const d = 0.0005;
    // A 3 x 3 lattice of nodes 1..9 around (7.42, 43.73).
    for (let r = 0; r < 3; r++) for (let q = 0; q < 3; q++) h.node(1 + r * 3 + q, 7.42 + q * d, 43.73 + r * d, null);
    // Building corners 20..23 (a ~40 x 40 m square) and 30..32 (collinear: degenerate).
    h.node(20, 7.4210, 43.7310, null);
    h.node(21, 7.4215, 43.7310, null);
    h.node(22, 7.4215, 43.7314, null);
    h.node(23, 7.4210, 43.7314, null);
    h.node(30, 7.4220, 43.7320, null);
    h.node(31, 7.4221, 43.7320, null);
    h.node(32, 7.4222, 43.7320, null);
    h.node(40, 7.4215, 43.7305, { amenity: 'pharmacy', name: 'Pharmacie' });
    h.node(41, 7.4212, 43.7312, { place: 'quarter', name: 'Quartier' });
    h.node(42, 7.4200, 43.7300, { amenity: 'bench' });
    h.way(100, [1, 2, 3], { highway: 'footway' });
    h.way(101, [2, 5, 8], { highway: 'steps' });
    h.way(102, [4, 5, 6, 999], { highway: 'residential', oneway: 'yes' });
    h.way(103, [7, 8, 9], { highway: 'motorway' });
    h.way(200, [20, 21, 22, 23, 20], { building: 'apartments', 'building:levels': '4', amenity: 'school', name: 'École' });
    h.way(201, [30, 31, 32, 30], { building: 'yes' });
    h.way(202, [20, 21, 22], { building: 'house' });
    h.way(300, [1, 2, 5, 4, 1], { natural: 'water', name: 'Lac' });
    h.way(301, [7, 8, 9], { waterway: 'stream' });
    h.relation!(400, [{ type: 'way', ref: 200, role: 'outer' }], { type: 'multipolygon', building: 'yes' });
    const { bundle, report } = c.finish({ city: 'Testville', source: 'osm:test' });

    expect(bundle.city).toEqual({ code: CITY_CODE, name: 'Testville' });
    expect(bundle.source).toBe('osm:test');
    expect(report.counts.walkableWays).toBe(3);
    // Footway 1-2-3 split at 2; steps 2-5-8 split at 5 (shared with 102); 102: 4-5, 5-6.
    expect(report.counts.networkEdges).toBe(6);
    expect(report.counts.stepsEdges).toBe(2);
    expect(bundle.buildings.map((b) => b.kind)).toEqual(['apartments']);
    expect(bundle.buildings[0]!.levels).toBe(4);
    expect(bundle.households.count).toBe(1);
    expect(bundle.households.households[0]).toBeGreaterThan(1);
    expect(bundle.households.sourceIds).toEqual(['way/200']);
    expect(bundle.grids.length).toBe(1);
    expect(bundle.grids[0]!.communityCode).toBe(bundle.admin[0]!.code);
    expect(bundle.admin).toEqual([{ code: bundle.admin[0]!.code, level: 'community', name: 'Quartier', parentCode: CITY_CODE, geom: null }]);
    expect(bundle.centers.map((x) => [x.kind, x.name, x.sourceId])).toEqual([
      ['pharmacy', 'Pharmacie', 'node/40'],
      ['school', 'École', 'way/200'],
    ]);
    expect(bundle.centers[1]!.lon).toBeCloseTo(7.42125, 6);
    expect(bundle.centers[1]!.lat).toBeCloseTo(43.7312, 6);
    expect(bundle.water.map((w) => [w.kind, w.name, w.geom.type])).toEqual([
      ['water', 'Lac', 'MultiPolygon'],
      ['stream', null, 'LineString'],
    ]);
    const skipped = Object.fromEntries(report.skipped.map((s) => [s.reason.split(' ')[0] + ' ' + s.reason.split(' ')[1], s]));
    expect(report.skipped.find((s) => s.reason.startsWith('way-node refs'))).toMatchObject({ count: 1, examples: ['way/102'] });
    expect(report.skipped.find((s) => s.reason.startsWith('degenerate building'))).toMatchObject({ count: 1, examples: ['way/201'] });
    expect(report.skipped.find((s) => s.reason.startsWith('building ways that are not closed'))).toMatchObject({ count: 1, examples: ['way/202'] });
    expect(report.skipped.find((s) => s.reason.startsWith('multipolygon'))).toMatchObject({ count: 1 });
    expect(Object.keys(skipped).length).toBe(4);
    expectConsistent(bundle);
  });
});

describe('createOsmCollector.finish', () => {
  it('takes the city name as a string and copes with an empty stream', () => {
    const { bundle, report } = createOsmCollector().finish('Nowhere');
    expect(bundle.city.name).toBe('Nowhere');
    expect(bundle.network.edgeCount).toBe(0);
    expect(bundle.households.count).toBe(0);
    expect(bundle.grids).toEqual([]);
    expect(report.skipped).toEqual([]);
  });

  it('uses household units and centers given by the caller, assigning grids to them', () => {
    const c = createOsmCollector();
    c.handler.node(1, 7.4, 43.7, { amenity: 'townhall' });
    const { bundle } = c.finish({
      city: 'X',
      households: {
        count: 2,
        lon: new Float64Array([7.4, 7.45]),
        lat: new Float64Array([43.7, 43.72]),
        households: new Int32Array([10, 20]),
        persons: new Int32Array([-1, -1]),
        gridIndex: new Int32Array([-1, -1]),
        source: 'file',
        sourceIds: ['a', 'b'],
      },
      centers: [{ name: 'C', kind: 'neighborhood', services: [], source: 'file', sourceId: null, lon: 7.41, lat: 43.71 }],
    });
    expect(bundle.grids.length).toBe(2);
    expect(Array.from(bundle.households.gridIndex).sort()).toEqual([0, 1]);
    expect(bundle.centers.map((x) => x.kind)).toEqual(['neighborhood']);
  });
});

const monaco = sharedData('osm/monaco.osm.pbf');
describeWithData('osmToBundle on Monaco (PBF)', monaco, () => {
  it('builds a connected walk network, households in grids, and centers', async () => {
    const { bundle, report } = await osmToBundle(monaco.path, { city: 'Monaco' });
    console.log('Monaco', JSON.stringify({ counts: report.counts, skipped: report.skipped.map((s) => [s.reason, s.count]), ms: report.ms }));
    const net = bundle.network;
    expectConsistent(bundle);
    expect(report.counts.nodes).toBe(180_118);
    expect(report.counts.ways).toBe(27_377);
    const share = largestComponentShare(net);
    console.log('Monaco largest component share', share.toFixed(4));
    expect(share).toBeGreaterThanOrEqual(0.95);

    // Steps exist and cost STEPS_FACTOR times a footway per metre.
    const steps = net.classNames.indexOf('steps');
    const foot = net.classNames.indexOf('footway');
    expect(report.counts.stepsEdges).toBeGreaterThan(100);
    const perMetre = (cls: number) => {
      for (let e = 0; e < net.edgeCount; e++) if (net.classIndex[e] === cls && net.lengthM[e]! > 1 && net.cost[e]! > 0) return net.cost[e]! / net.lengthM[e]!;
      throw new Error('no edge');
    };
    expect(perMetre(steps) / perMetre(foot)).toBeCloseTo(STEPS_FACTOR, 9);

    // Every household unit is in a grid; totals are plausible for Monaco and its neighbours.
    expect(bundle.households.count).toBeGreaterThan(1000);
    expect(report.counts.householdsTotal).toBeGreaterThan(10_000);
    expect(report.counts.householdsTotal).toBeLessThan(100_000);
    expect(bundle.grids.length).toBeGreaterThan(20);

    expect(bundle.centers.length).toBeGreaterThan(20);
    expect(report.counts.centersByKind.townhall).toBeGreaterThan(0);
    expect(report.skipped.find((s) => s.reason.startsWith('way-node refs'))).toBeUndefined();
  });

  it('stops when aborted', async () => {
    await expect(osmToBundle(monaco.path, { signal: AbortSignal.abort() })).rejects.toThrow();
  });
});

const neukoelln = sharedData('osm/neukoelln.osm');
describeWithData('osmToBundle on Neukoelln (XML, clipped)', neukoelln, () => {
  it('copes with the 3 refs to nodes outside the extract', async () => {
    const { bundle, report } = await osmToBundle(neukoelln.path);
    console.log('Neukoelln', JSON.stringify({ counts: report.counts, skipped: report.skipped.map((s) => [s.reason, s.count]), ms: report.ms }));
    expectConsistent(bundle);
    expect(bundle.city.name).toBe('Neukoelln');
    expect(report.counts.nodes).toBe(4771);
    expect(report.counts.ways).toBe(700);
    expect(report.skipped.find((s) => s.reason.startsWith('way-node refs'))).toMatchObject({ count: 3, examples: ['way/155595021'] });
    expect(bundle.network.edgeCount).toBeGreaterThan(100);
    expect(bundle.households.count).toBeGreaterThan(0);
  });
});
