/**
 * Walk components: fragments are found and left out of snapping, the main
 * network is kept, and a data set that is only small pieces still snaps.
 */
import { describe, expect, it } from 'vitest';
import { buildWalkGraph } from './graph-builder.ts';
import { buildEdgeIndex } from './edge-index.ts';
import { MIN_COMPONENT_M, walkComponents, walkableEdges } from './walk-components.ts';
import { snapToEdge } from '../search/snap.ts';
import { seededRandom, syntheticNetwork, withFootway as withFragment } from '../../../test/synthetic-graph.ts';

describe('walk components', () => {
  const lattice = syntheticNetwork({ cols: 12, rows: 12, seed: 5, dropShare: 0 });
  // A 150 m footway 600 m north of the lattice's top row: a fragment.
  const north = Math.max(...Array.from(lattice.nodeLat)) + 600 / 111195;
  const input = withFragment(lattice, lattice.nodeLon[0]!, north, 150);
  const graph = buildWalkGraph(input);

  it('ranks the lattice first and leaves the footway out of snapping, not out of the graph', () => {
    const c = walkComponents(graph);
    expect(c.count).toBe(2);
    expect(c.lengthM[0]).toBeGreaterThan(MIN_COMPONENT_M);
    expect(c.lengthM[1]).toBeCloseTo(150, 0);
    expect(c.nodes[1]).toBe(2);
    expect([c.fragments, Math.round(c.fragmentLengthM), c.minLengthM]).toEqual([1, 150, MIN_COMPONENT_M]);
    const fragmentEdge = graph.edgeCount - 1;
    expect(c.usableEdge[fragmentEdge]).toBe(0);
    for (let e = 0; e < fragmentEdge; e++) expect(c.usableEdge[e]).toBe(walkableEdges(graph)[e]);
  });

  it('snaps a point on the fragment to the nearest edge of the lattice, within the snapping maximum', () => {
    const index = buildEdgeIndex(graph);
    const everything = buildEdgeIndex(graph, walkableEdges(graph));
    const lon = input.nodeLon[0]! + 75 / (111195 * Math.cos((north * Math.PI) / 180));
    // Before: the footway itself; now: the lattice, 600 m south (beyond 500 m: off the network).
    expect(snapToEdge(graph, everything, lon, north + 2 / 111195)!.edge).toBe(graph.edgeCount - 1);
    expect(snapToEdge(graph, index, lon, north + 2 / 111195)).toBeNull();
    const near = snapToEdge(graph, index, lon, north - 200 / 111195)!;
    expect(near.edge).toBeLessThan(graph.edgeCount - 1);
    expect(walkComponents(graph).nodeComponent[graph.edgeSource[near.edge]!]).toBe(0);
  });

  it('keeps every piece usable when the whole data set is smaller than the threshold', () => {
    const tiny = buildWalkGraph(withFragment(syntheticNetwork({ cols: 2, rows: 2, seed: 9, dropShare: 0 }), 119.01, 25.41, 120));
    const c = walkComponents(tiny);
    expect(c.lengthM[0]).toBeLessThan(MIN_COMPONENT_M);
    expect([c.minLengthM, c.fragments]).toEqual([0, 0]);
    const index = buildEdgeIndex(tiny);
    const random = seededRandom(3);
    for (let k = 0; k < 20; k++) {
      const e = Math.floor(random() * tiny.edgeCount);
      const v = tiny.geomOffset[e]!;
      const snap = snapToEdge(tiny, index, tiny.coords[2 * v]!, tiny.coords[2 * v + 1]! + 1 / 111195);
      expect(snap).not.toBeNull();
    }
  });
});
