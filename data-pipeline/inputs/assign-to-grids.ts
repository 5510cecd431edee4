/**
 * Puts each household unit into the given grid polygon that contains it.
 * Grids are indexed by bounding box in a bucket grid (kernel/grid-index.ts),
 * so each point tests only the few polygons near it. A point on a shared
 * edge goes to the first grid that contains it (even-odd test), so every
 * unit lands in one grid; units outside every grid get -1 and the caller
 * reports them.
 */
import { buildGridIndex, columnOf, gridSize, rowOf } from '../../kernel/grid-index.ts';
import type { MultiPolygonCoords } from '../../kernel/import-bundle.ts';

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

/** Grows the box boxes[at .. at + 4) (minX, minY, maxX, maxY) to take in (x, y). */
function extendBox(boxes: Float64Array, at: number, x: number, y: number): void {
  if (x < boxes[at]!) boxes[at] = x;
  if (y < boxes[at + 1]!) boxes[at + 1] = y;
  if (x > boxes[at + 2]!) boxes[at + 2] = x;
  if (y > boxes[at + 3]!) boxes[at + 3] = y;
}

/** gridIndex per unit (-1 when outside every grid). */
export function assignToGrids(grids: readonly { geom: MultiPolygonCoords }[], lon: Float64Array, lat: Float64Array): Int32Array {
  const out = new Int32Array(lon.length).fill(-1);
  // Each grid's box (its outer rings bound the holes too), and the extent of them all.
  const boxes = new Float64Array(4 * grids.length);
  const empty = Float64Array.of(Infinity, Infinity, -Infinity, -Infinity);
  const extent = empty.slice();
  grids.forEach((g, gi) => {
    // Each box starts empty (starting it at the extent so far made every box hold all earlier grids: right answers, quadratic time).
    boxes.set(empty, 4 * gi);
    for (const poly of g.geom) {
      for (const [x, y] of poly[0]!) {
        extendBox(boxes, 4 * gi, x, y);
        extendBox(extent, 0, x, y);
      }
    }
  });
  const minX = extent[0]!;
  const minY = extent[1]!;
  const maxX = extent[2]!;
  const maxY = extent[3]!;
  if (!(minX <= maxX)) return out; // no grid has a vertex
  // About one grid per cell on average keeps the candidate lists short:
  // side x side cells over the extent, made square at the same area.
  const side = Math.max(1, Math.ceil(Math.sqrt(grids.length)));
  const cellSize = Math.sqrt(((maxX - minX) / side || 1) * ((maxY - minY) / side || 1));
  const { cols, rows } = gridSize(minX, minY, maxX, maxY, cellSize);
  const boxOf = (gi: number, box: Float64Array) => {
    for (let c = 0; c < 4; c++) box[c] = boxes[4 * gi + c]!;
  };
  const index = buildGridIndex(grids.length, boxOf, minX, minY, cellSize, cols, rows);
  const { cellOffset, cellItems } = index;
  for (let i = 0; i < lon.length; i++) {
    const x = lon[i]!;
    const y = lat[i]!;
    if (x < minX || x > maxX || y < minY || y > maxY) continue;
    const cell = rowOf(index, y) * cols + columnOf(index, x);
    for (let k = cellOffset[cell]!, end = cellOffset[cell + 1]!; k < end; k++) {
      const gi = cellItems[k]!;
      if (x < boxes[4 * gi]! || x > boxes[4 * gi + 2]! || y < boxes[4 * gi + 1]! || y > boxes[4 * gi + 3]!) continue;
      if (multiPolygonContains(grids[gi]!.geom, x, y)) {
        out[i] = gi;
        break;
      }
    }
  }
  return out;
}
