/**
 * Outlines of labelled cell regions as GeoJSON-style MultiPolygons: the exact
 * union of a label's cells, traced along cell edges. Exterior rings are
 * counter-clockwise and holes clockwise (RFC 7946). Where a region's cells
 * meet only at a corner, the trace turns right, which keeps the region's
 * outside pieces apart: a hole touching the shell at one point becomes a
 * separate hole ring (valid OGC) rather than a self-touching ring. Vertices
 * are the projected lattice vertices, shared exactly between neighbours.
 */
import type { MultiPolygonCoords, Position } from '../../kernel/import-bundle.ts';
import type { CellLattice } from './cell-lattice.ts';

// Directions: 0 east, 1 north, 2 west, 3 south (counter-clockwise order).

export function traceOutlines(lattice: CellLattice, labels: Int32Array, labelCount: number): MultiPolygonCoords[] {
  const { nx, ny } = lattice;
  const n = lattice.cellCount;
  const vx = nx + 1;
  const step = [1, vx, -1, -vx];
  // Pass 1: count boundary edges per label; pass 2: fill (CSR by label).
  const counts = new Int32Array(labelCount + 1);
  const forEachEdge = (emit: (label: number, from: number, dir: number) => void) => {
    for (let c = 0; c < n; c++) {
      const a = labels[c];
      if (a < 0) continue;
      const i = c % nx;
      const j = (c - i) / nx;
      const v = j * vx + i;
      if (j === 0 || labels[c - nx] !== a) emit(a, v, 0);
      if (i === nx - 1 || labels[c + 1] !== a) emit(a, v + 1, 1);
      if (j === ny - 1 || labels[c + nx] !== a) emit(a, v + vx + 1, 2);
      if (i === 0 || labels[c - 1] !== a) emit(a, v + vx, 3);
    }
  };
  forEachEdge((label) => counts[label + 1]++);
  for (let l = 0; l < labelCount; l++) counts[l + 1] += counts[l];
  const total = counts[labelCount];
  const from = new Int32Array(total);
  const dirs = new Uint8Array(total);
  const fill = counts.slice(0, labelCount);
  forEachEdge((label, v, dir) => {
    const k = fill[label]++;
    from[k] = v;
    dirs[k] = dir;
  });

  const used = new Uint8Array(total);
  const result: MultiPolygonCoords[] = [];
  for (let label = 0; label < labelCount; label++) {
    const lo = counts[label];
    const hi = counts[label + 1];
    // Outgoing edges per start vertex (two only at a pinch).
    const first = new Map<number, number>();
    const second = new Map<number, number>();
    for (let e = lo; e < hi; e++) {
      if (first.has(from[e])) second.set(from[e], e);
      else first.set(from[e], e);
    }
    const rings: number[][] = [];
    for (let e0 = lo; e0 < hi; e0++) {
      if (used[e0]) continue;
      const ring: number[] = [from[e0]];
      let e = e0;
      for (;;) {
        used[e] = 1;
        const to = from[e] + step[dirs[e]];
        ring.push(to);
        const a = first.get(to);
        if (a === undefined) throw new Error('traceOutlines: open boundary');
        const b = second.get(to);
        let next = a;
        if (b !== undefined) {
          const right = (dirs[e] + 3) % 4;
          next = dirs[a] === right ? a : b;
        }
        if (next === e0) break;
        if (used[next]) throw new Error('traceOutlines: ring revisits an edge');
        e = next;
      }
      rings.push(ring);
    }
    result.push(assemble(lattice, rings));
  }
  return result;
}

function ringArea2(vx: number, ring: number[]): number {
  let a = 0;
  for (let k = 0; k + 1 < ring.length; k++) {
    const x1 = ring[k] % vx;
    const y1 = (ring[k] - x1) / vx;
    const x2 = ring[k + 1] % vx;
    const y2 = (ring[k + 1] - x2) / vx;
    a += x1 * y2 - x2 * y1;
  }
  return a;
}

function pointInRing(vx: number, ring: number[], px: number, py: number): boolean {
  let inside = false;
  for (let k = 0; k + 1 < ring.length; k++) {
    const xa = ring[k] % vx;
    const ya = (ring[k] - xa) / vx;
    const xb = ring[k + 1] % vx;
    const yb = (ring[k + 1] - xb) / vx;
    if (ya > py !== yb > py && px < ((xb - xa) * (py - ya)) / (yb - ya) + xa) inside = !inside;
  }
  return inside;
}

/** Groups rings into polygons (holes into the smallest shell around them) and projects them. */
function assemble(lattice: CellLattice, rings: number[][]): MultiPolygonCoords {
  const vx = lattice.nx + 1;
  const shells: { ring: number[]; area: number; holes: number[][] }[] = [];
  const holes: number[][] = [];
  for (const ring of rings) {
    const area = ringArea2(vx, ring);
    if (area > 0) shells.push({ ring, area, holes: [] });
    else holes.push(ring);
  }
  for (const hole of holes) {
    // The midpoint of a hole edge lies on no shell edge, so the test is exact.
    const x1 = hole[0] % vx;
    const y1 = (hole[0] - x1) / vx;
    const x2 = hole[1] % vx;
    const y2 = (hole[1] - x2) / vx;
    const px = (x1 + x2) / 2;
    const py = (y1 + y2) / 2;
    let best: (typeof shells)[number] | null = null;
    for (const s of shells) {
      if ((best === null || s.area < best.area) && (shells.length === 1 || pointInRing(vx, s.ring, px, py))) best = s;
    }
    if (best) best.holes.push(hole);
  }
  const project = (ring: number[]): Position[] => ring.map((v) => [lattice.vertexLon[v], lattice.vertexLat[v]]);
  return shells.map((s) => [project(s.ring), ...s.holes.map(project)]);
}
