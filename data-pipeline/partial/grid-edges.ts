/**
 * Puts household units into grids for a partial update: inside a grid by
 * the import's rule (inputs/assign-to-grids.ts), or else on a grid's edge.
 * A unit exactly on some edges of the grids' outer boundary is outside every
 * polygon by the even-odd test, though it is in the city: the generated
 * 500 m grids (osm/grid-generator.ts) are drawn from the units' extent, so
 * the outermost units lie exactly on it (Monaco has two such). Such a unit goes to the grid whose edge is within
 * EDGE_M of it; only a unit farther than that from every grid is in none.
 */
import { METRES_PER_DEGREE, RAD } from '../../kernel/geo.ts';
import type { GridRow, Position } from '../../kernel/import-bundle.ts';
import { assignToGrids } from '../inputs/assign-to-grids.ts';

/** A unit this close to a grid's edge is in it (metres): rounding of coordinates, not a place outside. */
export const EDGE_M = 1;

/** Metres from (x, y) to the segment a-b, on a local plane around (x, y) (fine at a metre's scale). */
function segmentDistanceM(x: number, y: number, a: Position, b: Position): number {
  const kx = Math.cos(y * RAD) * METRES_PER_DEGREE;
  const ax = (a[0] - x) * kx;
  const ay = (a[1] - y) * METRES_PER_DEGREE;
  const dx = (b[0] - a[0]) * kx;
  const dy = (b[1] - a[1]) * METRES_PER_DEGREE;
  const len2 = dx * dx + dy * dy;
  // The point of the segment nearest the origin (x, y).
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
  return Math.hypot(ax + t * dx, ay + t * dy);
}

/** The grid (index) whose edge is nearest to (x, y) within EDGE_M, or -1. */
function gridOnEdge(grids: readonly GridRow[], x: number, y: number): number {
  const marginLat = EDGE_M / METRES_PER_DEGREE;
  const marginLon = marginLat / Math.max(0.01, Math.cos(y * RAD));
  let best = -1;
  let bestM = EDGE_M;
  grids.forEach((g, gi) => {
    for (const polygon of g.geom) {
      for (const ring of polygon) {
        for (let k = 1; k < ring.length; k++) {
          const a = ring[k - 1]!;
          const b = ring[k]!;
          if (x < Math.min(a[0], b[0]) - marginLon || x > Math.max(a[0], b[0]) + marginLon) continue;
          if (y < Math.min(a[1], b[1]) - marginLat || y > Math.max(a[1], b[1]) + marginLat) continue;
          const d = segmentDistanceM(x, y, a, b);
          if (d <= bestM) {
            bestM = d;
            best = gi;
          }
        }
      }
    }
  });
  return best;
}

/** The grid index of every unit: inside one, or on one's edge; -1 for a unit in none. */
export function assignWithEdges(grids: GridRow[], lon: Float64Array, lat: Float64Array): Int32Array {
  const index = assignToGrids(grids, lon, lat);
  for (let i = 0; i < index.length; i++) if (index[i]! < 0) index[i] = gridOnEdge(grids, lon[i]!, lat[i]!);
  return index;
}
