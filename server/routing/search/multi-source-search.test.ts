/**
 * The multi-source search must equal the minimum over single-source searches
 * from each source (seeded sample of sources, synthetic network with one-way
 * edges), both in time and in which source is nearest.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom, syntheticNetwork, randomPoints } from '../../../test/synthetic-graph.ts';
import { buildEdgeIndex } from '../graph/edge-index.ts';
import { buildWalkGraph } from '../graph/graph-builder.ts';
import { multiSourceSearch } from './multi-source-search.ts';
import { snapMany } from './snap.ts';

describe('multiSourceSearch', () => {
  const input = syntheticNetwork({ cols: 25, rows: 20, seed: 21, oneWayShare: 0.1 });
  const graph = buildWalkGraph(input);
  const index = buildEdgeIndex(graph);
  const random = seededRandom(99);
  const { lon, lat } = randomPoints(input, random, 12);
  const sources = snapMany(graph, index, lon, lat);

  for (const direction of ['to', 'from'] as const) {
    it(`equals the minimum of single-source searches (${direction})`, () => {
      const all = multiSourceSearch(graph, sources, { direction });
      const minimum = new Float64Array(graph.nodeCount).fill(Infinity);
      const singles: Float64Array[] = [];
      for (let s = 0; s < sources.count; s++) {
        const one = { count: 1, edge: sources.edge.subarray(s, s + 1), fraction: sources.fraction.subarray(s, s + 1), distanceM: sources.distanceM.subarray(s, s + 1) };
        const single = multiSourceSearch(graph, one, { direction }).time;
        singles.push(single);
        for (let v = 0; v < graph.nodeCount; v++) minimum[v] = Math.min(minimum[v]!, single[v]!);
      }
      let reached = 0;
      for (let v = 0; v < graph.nodeCount; v++) {
        if (minimum[v] === Infinity) {
          expect(all.time[v]).toBe(Infinity);
          expect(all.source[v]).toBe(-1);
          continue;
        }
        reached++;
        expect(Math.abs(all.time[v]! - minimum[v]!)).toBeLessThan(1e-6);
        // The named source really is (one of) the nearest.
        expect(Math.abs(singles[all.source[v]!]![v]! - minimum[v]!)).toBeLessThan(1e-6);
      }
      expect(reached).toBeGreaterThan(graph.nodeCount * 0.8);
    });
  }

  it('respects a time limit', () => {
    const limited = multiSourceSearch(graph, sources, { limit: 120 });
    const full = multiSourceSearch(graph, sources);
    for (let v = 0; v < graph.nodeCount; v++) {
      expect(limited.time[v]).toBe(full.time[v]! <= 120 ? full.time[v] : Infinity);
    }
  });
});
