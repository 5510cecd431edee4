/**
 * Puts each household unit into the given grid polygon that contains it.
 * Grids are bucketed by bounding box on a coarse lattice so each point tests
 * only the few polygons near it. A point on a shared edge goes to the first
 * grid that contains it (even-odd test), so every unit lands in one grid;
 * units outside every grid get -1 and the caller reports them.
 */
import type { GridRow, MultiPolygonCoords } from '../../kernel/import-bundle.ts';

function ringContains(ring: [number, number][], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function multiPolygonContains(polygons: MultiPolygonCoords, x: number, y: number): boolean {
  for (const rings of polygons) {
    if (!ringContains(rings[0]!, x, y)) continue;
    let inHole = false;
    for (let h = 1; h < rings.length; h++) if (ringContains(rings[h]!, x, y)) inHole = true;
    if (!inHole) return true;
  }
  return false;
}

/** gridIndex per unit (-1 when outside every grid). */
export function assignToGrids(grids: GridRow[], lon: Float64Array, lat: Float64Array): Int32Array {
  const boxes = grids.map((g) => {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const poly of g.geom) for (const [x, y] of poly[0]!) {
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
    return [minX, minY, maxX, maxY] as const;
  });
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const b of boxes) {
    minX = Math.min(minX, b[0]); minY = Math.min(minY, b[1]);
    maxX = Math.max(maxX, b[2]); maxY = Math.max(maxY, b[3]);
  }
  // About one grid per bucket on average keeps the candidate lists short.
  const side = Math.max(1, Math.ceil(Math.sqrt(grids.length)));
  const cellW = (maxX - minX) / side || 1;
  const cellH = (maxY - minY) / side || 1;
  const buckets: number[][] = Array.from({ length: side * side }, () => []);
  const col = (x: number) => Math.min(side - 1, Math.max(0, Math.floor((x - minX) / cellW)));
  const row = (y: number) => Math.min(side - 1, Math.max(0, Math.floor((y - minY) / cellH)));
  boxes.forEach((b, gi) => {
    for (let r = row(b[1]); r <= row(b[3]); r++) for (let c = col(b[0]); c <= col(b[2]); c++) buckets[r * side + c]!.push(gi);
  });
  const out = new Int32Array(lon.length).fill(-1);
  for (let i = 0; i < lon.length; i++) {
    const x = lon[i]!, y = lat[i]!;
    if (x < minX || x > maxX || y < minY || y > maxY) continue;
    for (const gi of buckets[row(y) * side + col(x)]!) {
      const b = boxes[gi]!;
      if (x < b[0] || x > b[2] || y < b[1] || y > b[3]) continue;
      if (multiPolygonContains(grids[gi]!.geom, x, y)) {
        out[i] = gi;
        break;
      }
    }
  }
  return out;
}
