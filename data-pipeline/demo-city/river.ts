/**
 * The Mulan (木兰溪): a centre line sampled every 40 m west to east (a function
 * of x, so queries find the nearby stretch by index), a width growing from
 * ~90 m upstream to ~170 m at the mouth, gentle meanders, and the queries the
 * generator needs to keep streets and houses out of it: is a point or a
 * segment within the banks plus a margin, and which bank is a point on.
 */
import { pointSegmentDistance2, segmentSegmentDistance } from '../../kernel/plane-geometry.ts';
import { MULAN_CONTROL_KM } from './putian-layout.ts';
import type { SeededRandom } from './seeded-random.ts';

const STEP_M = 40;
const HALF_WIDTH_WEST_M = 45;
const HALF_WIDTH_MOUTH_M = 85;

export class River {
  readonly name = '木兰溪';
  readonly x0: number;
  readonly count: number;
  readonly ys: Float64Array;
  readonly halfWidths: Float64Array;
  readonly maxHalfWidth = HALF_WIDTH_MOUTH_M;

  constructor(rng: SeededRandom) {
    const ctrl = MULAN_CONTROL_KM.map(([x, y]) => [x * 1000, y * 1000] as const);
    this.x0 = ctrl[0][0];
    const xEnd = ctrl[ctrl.length - 1][0];
    this.count = Math.floor((xEnd - this.x0) / STEP_M) + 1;
    this.ys = new Float64Array(this.count);
    this.halfWidths = new Float64Array(this.count);
    // Cubic Hermite through the control points with finite-difference
    // tangents: smooth, and a function of x so the river never doubles back.
    const tangents = ctrl.map((_, i) => {
      const a = ctrl[Math.max(0, i - 1)];
      const b = ctrl[Math.min(ctrl.length - 1, i + 1)];
      return (b[1] - a[1]) / (b[0] - a[0]);
    });
    const m1 = { a: 60, k: (2 * Math.PI) / 1700, p: rng.range(0, 2 * Math.PI) };
    const m2 = { a: 25, k: (2 * Math.PI) / 650, p: rng.range(0, 2 * Math.PI) };
    let seg = 0;
    for (let i = 0; i < this.count; i++) {
      const x = this.x0 + i * STEP_M;
      while (seg < ctrl.length - 2 && x > ctrl[seg + 1][0]) seg++;
      const [xa, ya] = ctrl[seg];
      const [xb, yb] = ctrl[seg + 1];
      const h = xb - xa;
      const t = (x - xa) / h;
      const t2 = t * t;
      const t3 = t2 * t;
      const base =
        (2 * t3 - 3 * t2 + 1) * ya + (t3 - 2 * t2 + t) * h * tangents[seg] + (-2 * t3 + 3 * t2) * yb + (t3 - t2) * h * tangents[seg + 1];
      const meander = m1.a * Math.sin(m1.k * x + m1.p) + m2.a * Math.sin(m2.k * x + m2.p);
      this.ys[i] = base + meander;
      const f = i / (this.count - 1);
      this.halfWidths[i] = HALF_WIDTH_WEST_M + (HALF_WIDTH_MOUTH_M - HALF_WIDTH_WEST_M) * f;
    }
  }

  xAt(i: number): number {
    return this.x0 + i * STEP_M;
  }

  /** Centre-line y at x (linear between samples, clamped). */
  centerY(x: number): number {
    const f = (x - this.x0) / STEP_M;
    if (f <= 0) return this.ys[0];
    if (f >= this.count - 1) return this.ys[this.count - 1];
    const i = Math.floor(f);
    return this.ys[i] + (this.ys[i + 1] - this.ys[i]) * (f - i);
  }

  /** +1 north of the river, -1 south. */
  side(x: number, y: number): number {
    return y >= this.centerY(x) ? 1 : -1;
  }

  private indexRange(xLo: number, xHi: number): [number, number] {
    const i0 = Math.max(0, Math.floor((xLo - this.x0) / STEP_M));
    const i1 = Math.min(this.count - 2, Math.ceil((xHi - this.x0) / STEP_M));
    return [i0, i1];
  }

  /** Whether (x, y) lies within the banks widened by `margin` metres. */
  pointNear(x: number, y: number, margin: number): boolean {
    const reach = this.maxHalfWidth + margin;
    const [i0, i1] = this.indexRange(x - reach, x + reach);
    for (let i = i0; i <= i1; i++) {
      const ya = this.ys[i];
      const yb = this.ys[i + 1];
      if (y > Math.max(ya, yb) + reach || y < Math.min(ya, yb) - reach) continue;
      const lim = this.halfWidths[i] + margin;
      if (pointSegmentDistance2(x, y, this.xAt(i), ya, this.xAt(i + 1), yb) < lim * lim) return true;
    }
    return false;
  }

  /** Whether any point of segment ab lies within the banks widened by `margin` metres. */
  segmentNear(ax: number, ay: number, bx: number, by: number, margin: number): boolean {
    const reach = this.maxHalfWidth + margin;
    const [i0, i1] = this.indexRange(Math.min(ax, bx) - reach, Math.max(ax, bx) + reach);
    const yLo = Math.min(ay, by) - reach;
    const yHi = Math.max(ay, by) + reach;
    for (let i = i0; i <= i1; i++) {
      const ya = this.ys[i];
      const yb = this.ys[i + 1];
      if (Math.min(ya, yb) > yHi || Math.max(ya, yb) < yLo) continue;
      const d = segmentSegmentDistance(ax, ay, bx, by, this.xAt(i), ya, this.xAt(i + 1), yb);
      if (d < this.halfWidths[i] + margin) return true;
    }
    return false;
  }

  /** Whether a polyline (flat x,y pairs) comes within the banks plus `margin`. */
  polylineNear(xy: readonly number[], margin: number): boolean {
    for (let k = 0; k + 3 < xy.length; k += 2) {
      if (this.segmentNear(xy[k], xy[k + 1], xy[k + 2], xy[k + 3], margin)) return true;
    }
    return false;
  }

  /**
   * The river as one polygon ring in local metres (flat x,y, closed,
   * counter-clockwise): the south bank west to east, the north bank back.
   */
  ring(): number[] {
    const north: number[] = [];
    const south: number[] = [];
    for (let i = 0; i < this.count; i++) {
      const a = Math.max(0, i - 1);
      const b = Math.min(this.count - 1, i + 1);
      const tx = this.xAt(b) - this.xAt(a);
      const ty = this.ys[b] - this.ys[a];
      const len = Math.sqrt(tx * tx + ty * ty);
      const nx = -ty / len;
      const ny = tx / len;
      const hw = this.halfWidths[i];
      const x = this.xAt(i);
      const y = this.ys[i];
      north.push(x + nx * hw, y + ny * hw);
      south.push(x - nx * hw, y - ny * hw);
    }
    const ring = south.slice();
    for (let k = north.length - 2; k >= 0; k -= 2) ring.push(north[k], north[k + 1]);
    ring.push(ring[0], ring[1]);
    return ring;
  }
}
