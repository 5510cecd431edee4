/**
 * One edge at a time in the isochrone plane: its polyline projected, the
 * cumulative plane lengths along it (computed only when a partial piece needs
 * them), and the pieces between two fractions of its length written to the
 * segment sink, as chords when simplifyM > 0.
 *
 * A chord replaces a run of polyline points only while every point it skips
 * stays within simplifyM of it, so the chords stay within simplifyM of the
 * network (build-isochrones takes that off the marking radius); a chord spans
 * at most MAX_CHORD_POINTS points, which bounds the quadratic check. The
 * buffers are fields reused edge after edge, so the walk allocates only when
 * an edge has more vertices than any before it.
 */
import type { LocalProjection } from '../../../kernel/geo.ts';
import { ensureCapacity } from '../../../kernel/growable-array.ts';
import type { WalkGraph } from '../graph/walk-graph.ts';
import type { SegmentSink } from './segment-sink.ts';

/** A chord replaces at most this many points (bounds the quadratic chord check). */
const MAX_CHORD_POINTS = 32;

export class EdgeChords {
  private readonly coords: WalkGraph['coords'];
  private readonly geomOffset: WalkGraph['geomOffset'];
  private readonly edgeLengthM: WalkGraph['edgeLengthM'];
  private readonly lon0: number;
  private readonly lat0: number;
  private readonly kx: number;
  private readonly ky: number;
  private readonly simplify2: number;
  /** The current edge's projected vertices [0, n), and their cumulative plane lengths once asked for. */
  px = new Float64Array(64);
  py = new Float64Array(64);
  cum = new Float64Array(64);
  n = 0;
  private cumTotal = -1;
  /** One piece's points. */
  private qx = new Float64Array(64);
  private qy = new Float64Array(64);
  /** The point set by snapPoint. */
  snapX = 0;
  snapY = 0;

  constructor(
    graph: WalkGraph,
    proj: LocalProjection,
    simplifyM: number,
    private readonly sink: SegmentSink,
  ) {
    this.coords = graph.coords;
    this.geomOffset = graph.geomOffset;
    this.edgeLengthM = graph.edgeLengthM;
    this.lon0 = proj.lon0;
    this.lat0 = proj.lat0;
    this.kx = proj.kx;
    this.ky = proj.ky;
    this.simplify2 = simplifyM * simplifyM;
  }

  /** Projects edge e's polyline into px, py (cumulative lengths come later, when needed). */
  project(e: number): void {
    const from = this.geomOffset[e]!;
    const n = this.geomOffset[e + 1]! - from;
    if (n > this.px.length) {
      this.px = ensureCapacity(this.px, n);
      this.py = ensureCapacity(this.py, n);
      this.cum = ensureCapacity(this.cum, n);
      this.qx = ensureCapacity(this.qx, n);
      this.qy = ensureCapacity(this.qy, n);
    }
    const { px, py, coords, lon0, lat0, kx, ky } = this;
    for (let i = 0, c = 2 * from; i < n; i++, c += 2) {
      px[i] = (coords[c]! - lon0) * kx;
      py[i] = (coords[c + 1]! - lat0) * ky;
    }
    this.n = n;
    this.cumTotal = -1;
  }

  /** Cumulative plane lengths of the projected edge; returns its total. */
  cumulative(): number {
    if (this.cumTotal >= 0) return this.cumTotal;
    const { px, py, cum, n } = this;
    let total = 0;
    cum[0] = 0;
    for (let i = 1; i < n; i++) {
      const dx = px[i]! - px[i - 1]!;
      const dy = py[i]! - py[i - 1]!;
      total += Math.sqrt(dx * dx + dy * dy);
      cum[i] = total;
    }
    this.cumTotal = total;
    return total;
  }

  /** Sets snapX, snapY to the point at `fraction` of the projected edge's plane length. */
  snapPoint(fraction: number): void {
    const { px, py, cum, n } = this;
    const d = fraction * this.cumulative();
    let j = 1;
    while (j < n - 1 && cum[j]! < d) j++;
    const len = n > 1 ? cum[j]! - cum[j - 1]! : 0;
    const f = len > 0 ? Math.min(1, Math.max(0, (d - cum[j - 1]!) / len)) : 0;
    this.snapX = n > 1 ? px[j - 1]! + f * (px[j]! - px[j - 1]!) : px[0]!;
    this.snapY = n > 1 ? py[j - 1]! + f * (py[j]! - py[j - 1]!) : py[0]!;
  }

  /**
   * Emits the projected edge e between fractions lo < hi at level k: its
   * length (the edge's metres times the fraction), its shape as chords.
   */
  emitPiece(e: number, lo: number, hi: number, k: number): void {
    this.sink.addLength(k, (hi - lo) * this.edgeLengthM[e]!);
    const { px, py, n } = this;
    if (lo <= 0 && hi >= 1) {
      this.emitChords(px, py, n, k);
      return;
    }
    const total = this.cumulative();
    if (n < 2 || total <= 0) {
      this.sink.add(px[0]!, py[0]!, px[0]!, py[0]!, k);
      return;
    }
    const { cum, qx, qy } = this;
    const dLo = lo * total;
    const dHi = hi * total;
    // The piece's points: its start, the vertices inside it, its end.
    let m = 0;
    let i = 1;
    while (i < n - 1 && cum[i]! <= dLo) i++;
    let len = cum[i]! - cum[i - 1]!;
    let f = len > 0 ? (dLo - cum[i - 1]!) / len : 0;
    qx[m] = px[i - 1]! + f * (px[i]! - px[i - 1]!);
    qy[m++] = py[i - 1]! + f * (py[i]! - py[i - 1]!);
    while (i < n - 1 && cum[i]! < dHi) {
      qx[m] = px[i]!;
      qy[m++] = py[i]!;
      i++;
    }
    len = cum[i]! - cum[i - 1]!;
    f = len > 0 ? Math.min(1, (dHi - cum[i - 1]!) / len) : 1;
    qx[m] = px[i - 1]! + f * (px[i]! - px[i - 1]!);
    qy[m++] = py[i - 1]! + f * (py[i]! - py[i - 1]!);
    this.emitChords(qx, qy, m, k);
  }

  /** The polyline x, y [0, m) as chords that keep every skipped point within simplifyM. */
  private emitChords(x: Float64Array, y: Float64Array, m: number, k: number): void {
    const sink = this.sink;
    const simplify2 = this.simplify2;
    if (m < 2) {
      sink.add(x[0]!, y[0]!, x[0]!, y[0]!, k);
      return;
    }
    if (m === 2 || simplify2 === 0) {
      for (let j = 1; j < m; j++) sink.add(x[j - 1]!, y[j - 1]!, x[j]!, y[j]!, k);
      return;
    }
    let a = 0;
    while (a < m - 1) {
      const ax = x[a]!;
      const ay = y[a]!;
      let c = a + 1;
      // Extend the chord a-c while every point strictly between stays near it.
      extend: while (c + 1 < m && c + 1 - a <= MAX_CHORD_POINTS) {
        const dx = x[c + 1]! - ax;
        const dy = y[c + 1]! - ay;
        const len2 = dx * dx + dy * dy;
        for (let i = a + 1; i <= c; i++) {
          const ex = x[i]! - ax;
          const ey = y[i]! - ay;
          let s = len2 > 0 ? (ex * dx + ey * dy) / len2 : 0;
          s = s < 0 ? 0 : s > 1 ? 1 : s;
          const fx = ex - s * dx;
          const fy = ey - s * dy;
          if (fx * fx + fy * fy > simplify2) break extend;
        }
        c++;
      }
      sink.add(ax, ay, x[c]!, y[c]!, k);
      a = c;
    }
  }
}
