// The bucket grid: its CSR arrays list every item in exactly the cells its
// (clamped) box covers, in item order, and queries find what a brute-force
// scan over the same boxes finds. Seeded random boxes, so a failure repeats.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../test/seeded-random.ts';
import { buildGridIndex, columnOf, forEachNear, gridIndexBytes, gridSize, rowOf, type GridIndex } from './grid-index.ts';

type Box = [minX: number, minY: number, maxX: number, maxY: number];

/** A grid of `cellSize` cells over [x0, x0 + width] x [y0, y0 + height]. */
interface Plane {
  x0: number;
  y0: number;
  width: number;
  height: number;
  cellSize: number;
  cols: number;
  rows: number;
}

function plane(x0: number, y0: number, width: number, height: number, cellSize: number): Plane {
  return { x0, y0, width, height, cellSize, ...gridSize(x0, y0, x0 + width, y0 + height, cellSize) };
}

/** Boxes of up to `maxSide` around points in the plane, some reaching past its edges. */
function randomBoxes(random: () => number, count: number, { x0, y0, width, height }: Plane, maxSide: number): Box[] {
  return Array.from({ length: count }, () => {
    const x = x0 - maxSide + random() * (width + 2 * maxSide);
    const y = y0 - maxSide + random() * (height + 2 * maxSide);
    // A quarter are points (zero-size boxes), as for point items.
    const w = random() < 0.25 ? 0 : random() * maxSide;
    const h = random() < 0.25 ? 0 : random() * maxSide;
    return [x, y, x + w, y + h];
  });
}

function indexOf(boxes: Box[], { x0, y0, cellSize, cols, rows }: Plane, skip?: (i: number) => boolean): GridIndex {
  const boxOf = (i: number, out: Float64Array) => {
    if (skip?.(i)) return false;
    out.set(boxes[i]!);
  };
  return buildGridIndex(boxes.length, boxOf, x0, y0, cellSize, cols, rows);
}

/** The clamped cell range of a box, computed independently of the module. */
function cellRange(box: Box, { x0, y0, cellSize, cols, rows }: Plane): [number, number, number, number] {
  const clamp = (v: number, n: number) => Math.max(0, Math.min(n - 1, v));
  return [
    clamp(Math.floor((box[0] - x0) / cellSize), cols),
    clamp(Math.floor((box[1] - y0) / cellSize), rows),
    clamp(Math.floor((box[2] - x0) / cellSize), cols),
    clamp(Math.floor((box[3] - y0) / cellSize), rows),
  ];
}

function intersects(a: Box, b: Box): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

describe('gridSize, columnOf, rowOf', () => {
  it('cover the extent with whole cells, one more where the extent is a whole number of cells', () => {
    expect(gridSize(0, 0, 100, 50, 10)).toEqual({ cols: 11, rows: 6 });
    expect(gridSize(0, 0, 99, 41, 10)).toEqual({ cols: 10, rows: 5 });
    expect(gridSize(5, 5, 5, 5, 10)).toEqual({ cols: 1, rows: 1 });
    // An empty extent (max < min) still makes one cell.
    expect(gridSize(10, 10, 0, 0, 10)).toEqual({ cols: 1, rows: 1 });
  });

  it('clamp coordinates outside the grid to its edge cells', () => {
    const index = buildGridIndex(0, () => false, -50, 20, 10, 4, 3);
    expect(columnOf(index, -50)).toBe(0);
    expect(columnOf(index, -40.0001)).toBe(0);
    expect(columnOf(index, -40)).toBe(1);
    expect(columnOf(index, -1e9)).toBe(0);
    expect(columnOf(index, 1e9)).toBe(3);
    expect(rowOf(index, 20)).toBe(0);
    expect(rowOf(index, 39.9)).toBe(1);
    expect(rowOf(index, -Infinity)).toBe(0);
    expect(rowOf(index, Infinity)).toBe(2);
  });
});

describe('buildGridIndex', () => {
  const p = plane(100, -30, 80, 50, 7);
  const { cols, rows } = p;

  it('lists each item once in every cell its clamped box covers, in item order', () => {
    const boxes = randomBoxes(seededRandom(1), 400, p, 20);
    const index = indexOf(boxes, p);
    expect(index).toMatchObject({ x0: p.x0, y0: p.y0, cellSize: p.cellSize, cols, rows });
    expect(index.cellOffset.length).toBe(cols * rows + 1);
    expect(index.cellOffset[0]).toBe(0);

    const expected: number[][] = Array.from({ length: cols * rows }, () => []);
    boxes.forEach((box, i) => {
      const [c0, r0, c1, r1] = cellRange(box, p);
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) expected[r * cols + c]!.push(i);
    });
    for (let cell = 0; cell < cols * rows; cell++) {
      const listed = Array.from(index.cellItems.subarray(index.cellOffset[cell]!, index.cellOffset[cell + 1]!));
      expect(listed, `cell ${cell}`).toEqual(expected[cell]);
    }
    expect(index.cellItems.length).toBe(expected.reduce((n, list) => n + list.length, 0));
    expect(gridIndexBytes(index)).toBe(index.cellOffset.byteLength + index.cellItems.byteLength);
  });

  it('leaves out items whose boxOf returns false', () => {
    const boxes = randomBoxes(seededRandom(2), 200, p, 10);
    const index = indexOf(boxes, p, (i) => i % 3 === 0);
    const listed = new Set(index.cellItems);
    for (let i = 0; i < boxes.length; i++) expect(listed.has(i), `item ${i}`).toBe(i % 3 !== 0);
  });

  it('handles no items', () => {
    const index = buildGridIndex(0, () => true, 0, 0, 1, 3, 2);
    expect(Array.from(index.cellOffset)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(index.cellItems.length).toBe(0);
  });
});

describe('forEachNear', () => {
  const p = plane(-12.5, 40, 60, 45, 3);

  it('finds every item whose box meets the query box, as a brute-force scan does', () => {
    const random = seededRandom(3);
    const boxes = randomBoxes(random, 600, p, 8);
    const index = indexOf(boxes, p);
    let hits = 0;
    for (let q = 0; q < 300; q++) {
      const [query] = randomBoxes(random, 1, p, 15);
      const found = new Set<number>();
      forEachNear(index, query![0], query![1], query![2], query![3], (item) => found.add(item));
      for (let i = 0; i < boxes.length; i++) {
        if (intersects(boxes[i]!, query!)) {
          hits++;
          expect(found.has(i), `query ${q} misses item ${i}`).toBe(true);
        }
      }
    }
    expect(hits).toBeGreaterThan(300);
  });

  it('visits exactly the items listed in the cells the query covers, once per shared cell', () => {
    const random = seededRandom(4);
    const boxes = randomBoxes(random, 300, p, 8);
    const index = indexOf(boxes, p);
    for (let q = 0; q < 200; q++) {
      const [query] = randomBoxes(random, 1, p, 12);
      const visits = new Map<number, number>();
      forEachNear(index, query![0], query![1], query![2], query![3], (item) => visits.set(item, (visits.get(item) ?? 0) + 1));
      const [qc0, qr0, qc1, qr1] = cellRange(query!, p);
      const expected = new Map<number, number>();
      boxes.forEach((box, i) => {
        const [c0, r0, c1, r1] = cellRange(box, p);
        const sharedCols = Math.min(c1, qc1) - Math.max(c0, qc0) + 1;
        const sharedRows = Math.min(r1, qr1) - Math.max(r0, qr0) + 1;
        if (sharedCols > 0 && sharedRows > 0) expected.set(i, sharedCols * sharedRows);
      });
      expect(visits, `query ${q}`).toEqual(expected);
    }
  });

  it('clamps queries outside the grid to its edge cells', () => {
    // One item in the south-west corner cell, one in the north-east one.
    const far = [p.x0 + p.width, p.y0 + p.height] as const;
    const boxes: Box[] = [
      [p.x0, p.y0, p.x0, p.y0],
      [far[0], far[1], far[0], far[1]],
    ];
    const index = indexOf(boxes, p);
    const near = (minX: number, minY: number, maxX: number, maxY: number) => {
      const found: number[] = [];
      forEachNear(index, minX, minY, maxX, maxY, (item) => found.push(item));
      return found;
    };
    expect(near(-1e6, -1e6, -1e6 + 1, -1e6 + 1)).toEqual([0]);
    expect(near(1e6, 1e6, 1e6 + 1, 1e6 + 1)).toEqual([1]);
    expect(near(-1e6, -1e6, 1e6, 1e6).sort()).toEqual([0, 1]);
  });
});
