/**
 * A static spatial index over the graph's edge segments: the kernel's bucket
 * grid (kernel/grid-index.ts) in local metres, whose cells list the segments
 * their bounding boxes touch (cellOffset / cellSegments). For street networks
 * segments are short and evenly spread, so the grid answers "nearest segment"
 * by scanning a few rings of cells outwards from the point (nearestSegment,
 * below), with none of an R-tree's bookkeeping.
 *
 * Only edges a point may snap to are indexed: walkable in some direction
 * (snapping to an edge nobody can walk would start a search that goes
 * nowhere) and on a component large enough to live on (walk-components.ts:
 * a walkway fragment would give a search that reaches only the fragment).
 */
import { localScale } from '../../../kernel/geo.ts';
import { buildGridIndex, gridSize } from '../../../kernel/grid-index.ts';
import { walkComponents } from './walk-components.ts';
import type { WalkGraph } from './walk-graph.ts';

/** Cell size bounds, metres: small enough for few segments per cell, large enough for few rings. */
const MIN_CELL_M = 25;
const MAX_CELL_M = 2000;
/** Grid cells allowed per segment, so an index over a large, sparse area stays small. */
const CELLS_PER_SEGMENT = 4;
/** Cap on cells, so a sparse network over a huge area stays small. */
const MAX_CELLS = 1 << 22;

export interface EdgeIndex {
  /** Projection origin and metres per degree (local equirectangular). */
  lon0: number;
  lat0: number;
  kx: number;
  ky: number;
  /** Grid origin (metres), cell size and dimensions. */
  minX: number;
  minY: number;
  cellSize: number;
  cols: number;
  rows: number;
  /** Segments of cell c are cellSegments[cellOffset[c] .. cellOffset[c+1]). */
  cellOffset: Uint32Array;
  cellSegments: Uint32Array;
  /** Segment s runs from coords vertex segVertex[s] to segVertex[s] + 1 of edge segEdge[s]. */
  segVertex: Uint32Array;
  segEdge: Uint32Array;
}

/** The nearest segment found by `nearestSegment`. */
export interface SegmentHit {
  edge: number;
  /** Global vertex index where the segment starts. */
  vertex: number;
  /** 0..1 along the segment. */
  t: number;
  /** Planar distance in metres. */
  distanceM: number;
}

/**
 * The index over the edges `usable` marks (1: a point may snap there); by
 * default the walkable edges of components of at least MIN_COMPONENT_M.
 */
export function buildEdgeIndex(graph: WalkGraph, usable: Uint8Array = walkComponents(graph).usableEdge): EdgeIndex {
  const [minLon, minLat, maxLon, maxLat] = graph.bounds;
  const lon0 = (minLon + maxLon) / 2;
  const lat0 = (minLat + maxLat) / 2;
  const { kx, ky } = localScale(lat0);
  const coords = graph.coords;

  let segmentCount = 0;
  for (let e = 0; e < graph.edgeCount; e++) {
    if (!usable[e]) continue;
    segmentCount += Math.max(0, graph.geomOffset[e + 1]! - graph.geomOffset[e]! - 1);
  }
  const segVertex = new Uint32Array(segmentCount);
  const segEdge = new Uint32Array(segmentCount);
  let s = 0;
  for (let e = 0; e < graph.edgeCount; e++) {
    if (!usable[e]) continue;
    for (let k = graph.geomOffset[e]!; k < graph.geomOffset[e + 1]! - 1; k++) {
      segVertex[s] = k;
      segEdge[s++] = e;
    }
  }

  const minX = (minLon - lon0) * kx;
  const minY = (minLat - lat0) * ky;
  const width = Math.max(1, (maxLon - lon0) * kx - minX);
  const height = Math.max(1, (maxLat - lat0) * ky - minY);
  // Cells about two segments long: a point near a street then scans a handful
  // of cells with a few segments each, in dense and sparse parts alike. The
  // grid may not outgrow the segments (at most CELLS_PER_SEGMENT cells each).
  let totalLength = 0;
  for (let seg = 0; seg < segmentCount; seg++) {
    const k = segVertex[seg]!;
    totalLength += Math.hypot((coords[2 * k + 2]! - coords[2 * k]!) * kx, (coords[2 * k + 3]! - coords[2 * k + 1]!) * ky);
  }
  let cellSize = Math.min(MAX_CELL_M, Math.max(MIN_CELL_M, (2 * totalLength) / Math.max(1, segmentCount)));
  const maxCells = Math.min(MAX_CELLS, Math.max(1024, CELLS_PER_SEGMENT * segmentCount));
  let size = gridSize(0, 0, width, height, cellSize);
  while (size.cols * size.rows > maxCells) size = gridSize(0, 0, width, height, (cellSize *= 1.25));
  const { cols, rows } = size;

  // Each segment's box in grid metres (relative to minX, minY).
  const grid = buildGridIndex(
    segmentCount,
    (seg, box) => {
      const k = segVertex[seg]!;
      const x1 = (coords[2 * k]! - lon0) * kx - minX;
      const y1 = (coords[2 * k + 1]! - lat0) * ky - minY;
      const x2 = (coords[2 * k + 2]! - lon0) * kx - minX;
      const y2 = (coords[2 * k + 3]! - lat0) * ky - minY;
      box[0] = Math.min(x1, x2);
      box[1] = Math.min(y1, y2);
      box[2] = Math.max(x1, x2);
      box[3] = Math.max(y1, y2);
    },
    0,
    0,
    cellSize,
    cols,
    rows,
  );
  const cellOffset = grid.cellOffset;
  const cellSegments = grid.cellItems;

  return { lon0, lat0, kx, ky, minX, minY, cellSize, cols, rows, cellOffset, cellSegments, segVertex, segEdge };
}

/** Bytes held by the index's typed arrays. */
export function edgeIndexBytes(index: EdgeIndex): number {
  return index.cellOffset.byteLength + index.cellSegments.byteLength + index.segVertex.byteLength + index.segEdge.byteLength;
}

/**
 * The segment nearest to (lon, lat) within maxDistanceM (planar metres), or
 * null. Scans rings of cells outwards and stops once no unscanned cell can
 * hold anything closer than the best hit.
 */
export function nearestSegment(graph: WalkGraph, index: EdgeIndex, lon: number, lat: number, maxDistanceM: number): SegmentHit | null {
  const { lon0, lat0, kx, ky, minX, minY, cellSize, cols, rows, cellOffset, cellSegments, segVertex, segEdge } = index;
  if (segVertex.length === 0) return null;
  const coords = graph.coords;
  const px = (lon - lon0) * kx - minX;
  const py = (lat - lat0) * ky - minY;
  const cx = Math.floor(px / cellSize);
  const cy = Math.floor(py / cellSize);

  let bestD2 = maxDistanceM * maxDistanceM;
  let bestSeg = -1;
  let bestT = 0;

  // Rings fully outside the grid hold nothing: start at the first that touches it.
  const start = Math.max(0, -cx, cx - (cols - 1), -cy, cy - (rows - 1));
  const maxRing = Math.ceil(maxDistanceM / cellSize) + 1;
  for (let r = start; r <= Math.max(start, maxRing); r++) {
    // Any cell on ring r is at least (r - 1) cells away from the point.
    const bound = (r - 1) * cellSize;
    if (r > 0 && bound > 0 && bound * bound > bestD2) break;
    const top = cy - r;
    const bottom = cy + r;
    const rowFrom = Math.max(0, top);
    const rowTo = Math.min(rows - 1, bottom);
    for (let row = rowFrom; row <= rowTo; row++) {
      // The whole row of the ring on its top and bottom lines, only the two ends in between.
      const full = row === top || row === bottom;
      const step = full || r === 0 ? 1 : 2 * r;
      for (let col = cx - r; col <= cx + r; col += step) {
        if (col < 0 || col >= cols) continue;
        // Skip a cell that is farther from the point than the best hit (distance to its rectangle).
        const gx = px < col * cellSize ? col * cellSize - px : px > (col + 1) * cellSize ? px - (col + 1) * cellSize : 0;
        const gy = py < row * cellSize ? row * cellSize - py : py > (row + 1) * cellSize ? py - (row + 1) * cellSize : 0;
        if (gx * gx + gy * gy > bestD2) continue;
        const cell = row * cols + col;
        for (let i = cellOffset[cell]!, end = cellOffset[cell + 1]!; i < end; i++) {
          const seg = cellSegments[i]!;
          const k = segVertex[seg]!;
          const x1 = (coords[2 * k]! - lon0) * kx - minX;
          const y1 = (coords[2 * k + 1]! - lat0) * ky - minY;
          const dx = (coords[2 * k + 2]! - lon0) * kx - minX - x1;
          const dy = (coords[2 * k + 3]! - lat0) * ky - minY - y1;
          const len2 = dx * dx + dy * dy;
          let t = len2 > 0 ? ((px - x1) * dx + (py - y1) * dy) / len2 : 0;
          t = t < 0 ? 0 : t > 1 ? 1 : t;
          const ex = x1 + t * dx - px;
          const ey = y1 + t * dy - py;
          const d2 = ex * ex + ey * ey;
          // Ties go to the lower segment number, so the answer never depends on scan order.
          if (d2 < bestD2 || (d2 === bestD2 && (bestSeg < 0 || seg < bestSeg))) {
            bestD2 = d2;
            bestSeg = seg;
            bestT = t;
          }
        }
      }
    }
  }
  if (bestSeg < 0) return null;
  return { edge: segEdge[bestSeg]!, vertex: segVertex[bestSeg]!, t: bestT, distanceM: Math.sqrt(bestD2) };
}
