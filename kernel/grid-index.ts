/**
 * A static bucket grid over items with boxes (segments, polygons, points):
 * a uniform grid of square cells in some plane, each cell listing the items
 * whose boxes touch it, as CSR typed arrays (`cellOffset` / `cellItems`).
 * For evenly spread items such as street segments or grid polygons a grid
 * answers "what is near here" by scanning a few cells, with none of an
 * R-tree's bookkeeping; it is built in two linear passes (count, fill).
 *
 * Callers with a hot query loop (the edge index's nearest-segment ring scan)
 * read `cellOffset` / `cellItems` directly; others use `forEachNear`.
 */

export interface GridIndex {
  /** Corner of cell (0, 0), in the plane's units. */
  x0: number;
  y0: number;
  cellSize: number;
  cols: number;
  rows: number;
  /** Items of cell c = row * cols + col are cellItems[cellOffset[c] .. cellOffset[c + 1]). */
  cellOffset: Uint32Array;
  cellItems: Uint32Array;
}

/**
 * Writes item i's box into out[0..3] as minX, minY, maxX, maxY; returns
 * false to leave the item out of the index.
 */
export type BoxOf = (item: number, out: Float64Array) => boolean | void;

/** Columns and rows of square cells of `cellSize` that cover [minX, maxX] x [minY, maxY]. */
export function gridSize(minX: number, minY: number, maxX: number, maxY: number, cellSize: number): { cols: number; rows: number } {
  return { cols: Math.floor(Math.max(0, maxX - minX) / cellSize) + 1, rows: Math.floor(Math.max(0, maxY - minY) / cellSize) + 1 };
}

/** The column of x, clamped to the grid. */
export function columnOf(index: GridIndex, x: number): number {
  return Math.max(0, Math.min(index.cols - 1, Math.floor((x - index.x0) / index.cellSize)));
}

/** The row of y, clamped to the grid. */
export function rowOf(index: GridIndex, y: number): number {
  return Math.max(0, Math.min(index.rows - 1, Math.floor((y - index.y0) / index.cellSize)));
}

/**
 * Indexes `count` items over the grid with corner (x0, y0), square cells of
 * `cellSize` and cols x rows cells. Boxes reaching outside the grid are
 * clamped to its edge cells.
 */
export function buildGridIndex(count: number, boxOf: BoxOf, x0: number, y0: number, cellSize: number, cols: number, rows: number): GridIndex {
  const index: GridIndex = { x0, y0, cellSize, cols, rows, cellOffset: new Uint32Array(cols * rows + 1), cellItems: new Uint32Array(0) };
  // Each item's cell range, found once and used by both passes (count, then fill); -1 marks an item left out.
  const range = new Int32Array(4 * count);
  const box = new Float64Array(4);
  const offset = index.cellOffset;
  for (let i = 0; i < count; i++) {
    const o = 4 * i;
    if (boxOf(i, box) === false) {
      range[o] = -1;
      continue;
    }
    const c0 = (range[o] = columnOf(index, box[0]!));
    const r0 = (range[o + 1] = rowOf(index, box[1]!));
    const c1 = (range[o + 2] = columnOf(index, box[2]!));
    const r1 = (range[o + 3] = rowOf(index, box[3]!));
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) offset[r * cols + c + 1]!++;
  }
  for (let c = 0; c < cols * rows; c++) offset[c + 1]! += offset[c]!;
  const items = new Uint32Array(offset[cols * rows]!);
  const cursor = offset.slice(0, cols * rows);
  for (let i = 0; i < count; i++) {
    const o = 4 * i;
    if (range[o]! < 0) continue;
    for (let r = range[o + 1]!, r1 = range[o + 3]!; r <= r1; r++) {
      for (let c = range[o]!, c1 = range[o + 2]!; c <= c1; c++) items[cursor[r * cols + c]!++] = i;
    }
  }
  index.cellItems = items;
  return index;
}

/**
 * Calls `visit` with every item listed in a cell that meets the box
 * [minX, maxX] x [minY, maxY]; an item spanning several such cells is
 * visited once per cell, so callers keep the best hit rather than count.
 */
export function forEachNear(index: GridIndex, minX: number, minY: number, maxX: number, maxY: number, visit: (item: number) => void): void {
  const c0 = columnOf(index, minX);
  const c1 = columnOf(index, maxX);
  const r0 = rowOf(index, minY);
  const r1 = rowOf(index, maxY);
  const { cols, cellOffset, cellItems } = index;
  for (let r = r0; r <= r1; r++) {
    for (let c = c0; c <= c1; c++) {
      const cell = r * cols + c;
      for (let k = cellOffset[cell]!, end = cellOffset[cell + 1]!; k < end; k++) visit(cellItems[k]!);
    }
  }
}

/** Bytes held by the index's typed arrays. */
export function gridIndexBytes(index: GridIndex): number {
  return index.cellOffset.byteLength + index.cellItems.byteLength;
}
