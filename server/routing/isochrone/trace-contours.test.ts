// Marching triangles on hand-made and random fields: crossings where the
// interpolated field meets r, winding, holes, islands in holes, the diagonal
// that connects samples, straight runs merged; on random fields rings that
// never touch (kept snap/2 apart) and contours that nest; and on marked
// segments the outline between the bounds the proof uses (r - inner, r + outer).
import { describe, expect, it } from 'vitest';
import { bandEnds, emptyField, FAR, gridAround, markSegments, type DistanceField, type FieldBand } from './distance-field.ts';
import { traceContour, type PlanePolygon } from './trace-contours.ts';
import { hasIntersections, ringArea } from './simplify-rings.ts';
import { rasterPlan } from './build-isochrones.ts';
import { pointSegmentDistance2 } from '../../../kernel/plane-geometry.ts';
import { seededRandom } from '../../../test/synthetic-graph.ts';
import type { ReachableSegments } from './reachable-segments.ts';

/** Equal steps above and below r: code c sits at (c - 127.5) steps from r. */
const EVEN: FieldBand = { r: 10, below: 0.05, above: 0.05 };

/** A field of unit cells with cols x rows samples from code(i, j), plus an untouched border. */
function fieldOf(cols: number, rows: number, code: (i: number, j: number) => number): DistanceField {
  const field = emptyField({ x0: -1, y0: -1, cellSize: 1, width: (cols + 2 + 3) & ~3, height: rows + 2 });
  field.blocks.fill(1);
  for (let j = 0; j < rows; j++) for (let i = 0; i < cols; i++) field.codes[(j + 1) * field.width + i + 1] = code(i, j);
  return field;
}

/** A field from rows of text, top row first: '#' deep inside (code 0), '.' far (255). */
function textField(rows: string[]): DistanceField {
  return fieldOf(rows[0]!.length, rows.length, (i, j) => (rows[rows.length - 1 - j]![i] === '#' ? 0 : FAR));
}

function area(polygons: PlanePolygon[]): number {
  let sum = 0;
  for (const rings of polygons) for (const ring of rings) sum += ringArea(ring);
  return sum;
}

/** Even-odd point in polygons (all rings). */
function inside(polygons: PlanePolygon[], x: number, y: number): boolean {
  let odd = false;
  for (const ring of polygons.flat()) {
    const n = ring.length / 2;
    for (let i = 0, k = n - 1; i < n; k = i++) {
      const [ax, ay, bx, by] = [ring[2 * k]!, ring[2 * k + 1]!, ring[2 * i]!, ring[2 * i + 1]!];
      if (ay > y !== by > y && x < ax + ((y - ay) * (bx - ax)) / (by - ay)) odd = !odd;
    }
  }
  return odd;
}

/** Distance from a point to the polygons' outline. */
function outlineDistance(polygons: PlanePolygon[], x: number, y: number): number {
  let best = Infinity;
  for (const ring of polygons.flat()) {
    const n = ring.length / 2;
    for (let i = 0, k = n - 1; i < n; k = i++) best = Math.min(best, pointSegmentDistance2(x, y, ring[2 * k]!, ring[2 * k + 1]!, ring[2 * i]!, ring[2 * i + 1]!));
  }
  return Math.sqrt(best);
}

/** Smallest distance between two segments of the rings that do not share a vertex. */
function separation(polygons: PlanePolygon[]): number {
  const segs: number[][] = [];
  for (const ring of polygons.flat()) {
    const n = ring.length / 2;
    for (let i = 0; i < n; i++) {
      const k = (i + 1) % n;
      segs.push([ring[2 * i]!, ring[2 * i + 1]!, ring[2 * k]!, ring[2 * k + 1]!]);
    }
  }
  let best = Infinity;
  for (let a = 0; a < segs.length; a++) {
    for (let b = a + 1; b < segs.length; b++) {
      const [p, q] = [segs[a]!, segs[b]!];
      if ((p[2] === q[0] && p[3] === q[1]) || (q[2] === p[0] && q[3] === p[1])) continue;
      const d2 = Math.min(
        pointSegmentDistance2(p[0]!, p[1]!, q[0]!, q[1]!, q[2]!, q[3]!),
        pointSegmentDistance2(p[2]!, p[3]!, q[0]!, q[1]!, q[2]!, q[3]!),
        pointSegmentDistance2(q[0]!, q[1]!, p[0]!, p[1]!, p[2]!, p[3]!),
        pointSegmentDistance2(q[2]!, q[3]!, p[0]!, p[1]!, p[2]!, p[3]!),
      );
      best = Math.min(best, Math.sqrt(d2));
    }
  }
  return best;
}

describe('traceContour', () => {
  it('outlines one inside sample counter-clockwise, crossing each of its six edges where the field meets r', () => {
    // Code 0 next to 255 with equal steps: r is half-way along every edge.
    const polygons = traceContour(textField(['#']), EVEN, 0.01);
    expect(polygons.length).toBe(1);
    expect(polygons[0]!.length).toBe(1);
    const ring = polygons[0]![0]!;
    expect(Array.from(ring).sort()).toEqual([-0.5, -0.5, -0.5, -0.5, 0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5]);
    expect(ringArea(ring)).toBeCloseTo(0.75, 12);
  });

  it('puts the crossing where the decoded field is r, from the inside end, with separate steps below and above r', () => {
    // Inside code 100 (27.5 steps below r), outside 200 (72.5 steps above); steps 0.1 below, 0.05 above.
    const band: FieldBand = { r: 10, below: 0.1, above: 0.05 };
    const polygons = traceContour(fieldOf(1, 2, (_, j) => (j === 0 ? 100 : 200)), band, 0.01);
    const t = 2.75 / (2.75 + 3.625);
    const ring = polygons[0]![0]!;
    const ys = Array.from(ring).filter((_, k) => k % 2 === 1);
    expect(Math.max(...ys)).toBeCloseTo(t, 12);
  });

  it('keeps crossings snapM from the samples', () => {
    // Code 127 next to 255: r is at 1/256 of the edge, clamped to 0.2.
    const polygons = traceContour(fieldOf(1, 1, () => 127), EVEN, 0.2);
    const ring = polygons[0]![0]!;
    for (let k = 0; k < ring.length; k += 2) expect(Math.hypot(ring[k]!, ring[k + 1]!)).toBeGreaterThanOrEqual(0.2 - 1e-12);
  });

  it('merges vertices in line along a straight run', () => {
    // Codes by row only: the top side is one straight line (row 3 inside at 100, row 4 outside at 200).
    const polygons = traceContour(fieldOf(9, 5, (_, j) => (j <= 3 ? (j === 3 ? 100 : 0) : 200)), EVEN, 0.01);
    const ring = polygons[0]![0]!;
    const top = 3 + 27.5 / 100;
    const onTop = Array.from(ring).filter((v, k) => k % 2 === 1 && Math.abs(v - top) < 1e-12);
    expect(onTop.length).toBe(2);
  });

  it('keeps holes clockwise and gives an island inside a hole its own polygon', () => {
    const ring = traceContour(textField(['###', '#.#', '###']), EVEN, 0.01);
    expect(ring.length).toBe(1);
    expect(ring[0]!.length).toBe(2);
    expect(ringArea(ring[0]![0]!)).toBeGreaterThan(0);
    expect(ringArea(ring[0]![1]!)).toBeLessThan(0);
    const island = traceContour(textField(['#####', '#...#', '#.#.#', '#...#', '#####']), EVEN, 0.01);
    expect(island.length).toBe(2);
    expect(island.find((p) => p.length === 2)).toBeDefined();
    expect(island.find((p) => p.length === 1)).toBeDefined();
  });

  it('assigns holes by component when there are several outer rings', () => {
    const polygons = traceContour(textField(['###..###', '#.#..#.#', '###..###']), EVEN, 0.01);
    expect(polygons.length).toBe(2);
    for (const p of polygons) {
      expect(p.length).toBe(2);
      // The hole lies inside its own outer ring's box.
      const xs = (r: Float64Array) => Array.from(r).filter((_, i) => i % 2 === 0);
      expect(Math.min(...xs(p[1]!))).toBeGreaterThanOrEqual(Math.min(...xs(p[0]!)));
      expect(Math.max(...xs(p[1]!))).toBeLessThanOrEqual(Math.max(...xs(p[0]!)));
    }
  });

  it('connects samples along the south-west to north-east diagonal only', () => {
    expect(traceContour(textField(['.#', '#.']), EVEN, 0.01).length).toBe(1);
    expect(traceContour(textField(['#.', '.#']), EVEN, 0.01).length).toBe(2);
  });

  it('keeps rings of random fields valid and at least snap/2 apart', () => {
    const random = seededRandom(5);
    for (let round = 0; round < 20; round++) {
      const snap = 0.05 + 0.1 * random();
      const polygons = traceContour(fieldOf(12, 10, () => (random() < 0.5 ? Math.floor(random() * 128) : 128 + Math.floor(random() * 128))), EVEN, snap);
      expect(hasIntersections(polygons.flat())).toBe(false);
      expect(separation(polygons)).toBeGreaterThanOrEqual(snap / 2 - 1e-12);
      for (const p of polygons) {
        expect(ringArea(p[0]!)).toBeGreaterThan(0);
        for (const hole of p.slice(1)) expect(ringArea(hole)).toBeLessThan(0);
      }
    }
  });

  it('nests: a field with codes no larger everywhere has a region containing this one', () => {
    const random = seededRandom(11);
    for (let round = 0; round < 20; round++) {
      const cols = 14;
      const rows = 11;
      const base = Array.from({ length: cols * rows }, () => Math.floor(random() * 256));
      const lower = base.map((c) => (random() < 0.4 ? Math.floor(random() * (c + 1)) : c));
      const small = traceContour(fieldOf(cols, rows, (i, j) => base[j * cols + i]!), EVEN, 0.08);
      const large = traceContour(fieldOf(cols, rows, (i, j) => lower[j * cols + i]!), EVEN, 0.08);
      expect(area(small)).toBeLessThanOrEqual(area(large) + 1e-12);
      for (const ring of small.flat()) {
        for (let k = 0; k < ring.length; k += 2) {
          const [x, y] = [ring[k]!, ring[k + 1]!];
          expect(inside(large, x, y) || outlineDistance(large, x, y) < 1e-9, `vertex ${x}, ${y}`).toBe(true);
        }
      }
      for (let k = 0; k < 400; k++) {
        const [x, y] = [random() * (cols + 1) - 1, random() * (rows + 1) - 1];
        if (inside(small, x, y)) expect(inside(large, x, y) || outlineDistance(large, x, y) < 1e-9).toBe(true);
      }
    }
  });

  it('lies between r - inner and r + outer of marked segments', () => {
    const random = seededRandom(23);
    const list: number[] = [];
    for (let i = 0; i < 25; i++) {
      const [x, y, a, len] = [random() * 300, random() * 300, random() * Math.PI * 2, random() * 90];
      list.push(x, y, x + len * Math.cos(a), y + len * Math.sin(a));
    }
    const segments: ReachableSegments = { count: 25, xy: Float64Array.from(list), level: new Uint8Array(25), bbox: new Float64Array(4), lengthM: new Float64Array(1) };
    const distance = (x: number, y: number) => {
      let best = Infinity;
      for (let n = 0; n < 25; n++) best = Math.min(best, pointSegmentDistance2(x, y, list[4 * n]!, list[4 * n + 1]!, list[4 * n + 2]!, list[4 * n + 3]!));
      return Math.sqrt(best);
    };
    const plan = rasterPlan(40, 0, 0, 10)!;
    const xs = list.filter((_, k) => k % 2 === 0);
    const ys = list.filter((_, k) => k % 2 === 1);
    const field = emptyField(gridAround(Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys), bandEnds(plan.band).hi, 10));
    markSegments(field, plan.band, segments, null, 0, 25);
    const polygons = traceContour(field, plan.band, plan.snap);
    const r = plan.radius;
    let checkedIn = 0;
    let checkedOut = 0;
    for (let y = -40; y < 340; y += 1.3) {
      for (let x = -40; x < 340; x += 1.3) {
        const d = distance(x, y);
        const isIn = inside(polygons, x, y);
        if (d <= r - plan.inner) expect(isIn, `${x}, ${y} at ${d}`).toBe(true);
        if (isIn) expect(d, `${x}, ${y}`).toBeLessThanOrEqual(r + plan.outer);
        if (d <= r - plan.inner) checkedIn++;
        if (isIn && d > r) checkedOut++;
      }
    }
    for (const ring of polygons.flat()) for (let k = 0; k < ring.length; k += 2) expect(distance(ring[k]!, ring[k + 1]!)).toBeLessThanOrEqual(r + plan.outer);
    expect(checkedIn).toBeGreaterThan(10000);
    expect(checkedOut).toBeGreaterThan(100);
  });

  it('limits the scan to a window (to whole blocks of columns)', () => {
    const far = '.'.repeat(40);
    const field = textField([`#${far}.`, `.${far}.`, `.${far}#`]);
    expect(traceContour(field, EVEN, 0.01, { i0: 0, j0: 0, i1: 2, j1: 4 }).length).toBe(1);
    expect(traceContour(field, EVEN, 0.01).length).toBe(2);
  });
});
