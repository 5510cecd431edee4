/**
 * Snapping against brute force: the index must find the same nearest segment
 * distance as scanning every segment, for seeded random points.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom, syntheticNetwork, randomPointIn } from '../../../test/synthetic-graph.ts';
import { buildEdgeIndex } from '../graph/edge-index.ts';
import { localScale } from '../../../kernel/geo.ts';
import { buildWalkGraph } from '../graph/graph-builder.ts';
import { snapToEdge } from './snap.ts';

describe('snapToEdge', () => {
  const input = syntheticNetwork({ cols: 30, rows: 20, seed: 3 });
  const graph = buildWalkGraph(input);
  const index = buildEdgeIndex(graph);

  function bruteForce(lon: number, lat: number): number {
    const { kx, ky } = localScale(index.lat0);
    let best = Infinity;
    const c = graph.coords;
    for (let e = 0; e < graph.edgeCount; e++) {
      for (let k = graph.geomOffset[e]!; k < graph.geomOffset[e + 1]! - 1; k++) {
        const x1 = (c[2 * k]! - lon) * kx;
        const y1 = (c[2 * k + 1]! - lat) * ky;
        const dx = (c[2 * k + 2]! - c[2 * k]!) * kx;
        const dy = (c[2 * k + 3]! - c[2 * k + 1]!) * ky;
        const len2 = dx * dx + dy * dy;
        const t = len2 > 0 ? Math.min(1, Math.max(0, -(x1 * dx + y1 * dy) / len2)) : 0;
        best = Math.min(best, Math.hypot(x1 + t * dx, y1 + t * dy));
      }
    }
    return best;
  }

  it('finds the nearest point on the nearest edge, like brute force', () => {
    const random = seededRandom(5);
    for (let i = 0; i < 300; i++) {
      const [lon, lat] = randomPointIn(input, random);
      const snap = snapToEdge(graph, index, lon, lat, 500);
      expect(snap).not.toBeNull();
      // Reported metres are haversine; the index works in local metres: equal within 0.5 %.
      expect(Math.abs(snap!.distanceM - bruteForce(lon, lat))).toBeLessThan(0.005 * snap!.distanceM + 0.01);
      expect(snap!.fraction).toBeGreaterThanOrEqual(0);
      expect(snap!.fraction).toBeLessThanOrEqual(1);
    }
  });

  it('gives fraction 0 and 1 at the edge ends and null beyond the distance limit', () => {
    const e = 5;
    const s = graph.edgeSource[e]!;
    const near = snapToEdge(graph, index, graph.nodeLon[s]!, graph.nodeLat[s]!, 500)!;
    expect(near.distanceM).toBeLessThan(1e-6);
    expect(snapToEdge(graph, index, graph.bounds[2] + 0.1, graph.bounds[3] + 0.1, 500)).toBeNull();
    expect(snapToEdge(graph, index, graph.bounds[0] - 0.002, graph.bounds[1], 500)).not.toBeNull();
  });
});
