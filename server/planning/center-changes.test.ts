/**
 * Coverage repaired after center changes equals a from-scratch evaluation of
 * the new center set, unit by unit (time and nearest center), on seeded
 * random adds, moves and removes: a synthetic network with one-way paths,
 * and the demo city. Monaco is in test/scenario-monaco.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { compareChanges } from '../../test/center-changes-fixture.ts';
import { randomPoints, seededRandom, syntheticNetwork } from '../../test/synthetic-graph.ts';
import { generateDemoCity } from '../../test/demo-city-fixture.ts';
import { buildEdgeIndex } from '../routing/graph/edge-index.ts';
import { buildWalkGraph, inputFromNetwork } from '../routing/graph/graph-builder.ts';

describe('coverage after center changes', () => {
  it('equals a from-scratch evaluation on a synthetic network with one-way paths', () => {
    const input = syntheticNetwork({ cols: 30, rows: 30, seed: 21, oneWayShare: 0.2 });
    const graph = buildWalkGraph(input);
    const index = buildEdgeIndex(graph);
    const random = seededRandom(5);
    const points = (n: number) => randomPoints(input, random, n);
    const result = compareChanges(graph, index, points(2000), points(12), 200, 9);
    expect(result.mismatches).toEqual([]);
    // The repair touched part of the city, not all of it, on most changes.
    const partial = result.changedUnits.filter((n) => n < result.units / 2).length;
    expect(partial).toBeGreaterThan(100);
  });

  it('equals a from-scratch evaluation on the demo city', () => {
    const bundle = generateDemoCity();
    const graph = buildWalkGraph(inputFromNetwork(bundle.network, 'demo'));
    const index = buildEdgeIndex(graph);
    const centers = { lon: bundle.centers.map((c) => c.lon), lat: bundle.centers.map((c) => c.lat) };
    const result = compareChanges(graph, index, bundle.households, centers, 40, 3);
    expect(result.mismatches).toEqual([]);
    const median = [...result.changedUnits].sort((a, b) => a - b)[20]!;
    expect(median).toBeLessThan(result.units / 10);
  });
});
