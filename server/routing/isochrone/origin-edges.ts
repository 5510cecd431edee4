/**
 * The edges that search origins snapped onto, for reachable-segments. On such
 * an edge the reachable part within T is a union of intervals (from each end
 * and from each origin on it, reachable-segments' header gives each), so it is
 * built per level as a sorted, merged interval list, and the part new at
 * level k is that list minus level k-1's. Then each origin's straight access
 * leg, from the requested point to its snap point, split by level.
 *
 * Origins are kept sorted by edge in typed arrays; `firstOn(e)` finds an
 * edge's first origin by binary search, or by a flag per edge when there are
 * many origins (a few origins need no edge-sized allocation).
 */
import type { LocalProjection } from '../../../kernel/geo.ts';
import type { WalkGraph } from '../graph/walk-graph.ts';
import type { EdgeChords } from './edge-chords.ts';
import type { ReachTree } from './reachable-segments.ts';
import type { SegmentSink } from './segment-sink.ts';

/** Above this many origins, a flag per edge replaces the binary search. */
const FLAG_EDGES_ABOVE = 64;

export class OriginEdges {
  readonly count: number;
  private readonly oEdge: Int32Array;
  private readonly oFrac: Float64Array;
  private readonly oAcc: Float64Array;
  private readonly oX: Float64Array;
  private readonly oY: Float64Array;
  private readonly isOriginEdge: Uint8Array | null;
  /** Interval lists (lo, hi pairs): unsorted, this level's merged, the previous level's. */
  private raw: Float64Array;
  private cur: Float64Array;
  private prev: Float64Array;
  private readonly t: ArrayLike<number>;
  private readonly costScale: number;

  constructor(
    private readonly graph: WalkGraph,
    tree: ReachTree,
    private readonly limits: Float64Array,
    proj: LocalProjection,
    private readonly shape: EdgeChords,
    private readonly sink: SegmentSink,
  ) {
    this.t = tree.nodeSeconds;
    this.costScale = tree.costScale;
    const count = tree.origins.length;
    this.count = count;
    const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => tree.origins[a]!.edge - tree.origins[b]!.edge);
    this.oEdge = new Int32Array(count);
    this.oFrac = new Float64Array(count);
    this.oAcc = new Float64Array(count);
    this.oX = new Float64Array(count);
    this.oY = new Float64Array(count);
    this.isOriginEdge = count > FLAG_EDGES_ABOVE ? new Uint8Array(graph.edgeCount) : null;
    for (let i = 0; i < count; i++) {
      const o = tree.origins[order[i]!]!;
      this.oEdge[i] = o.edge;
      this.oFrac[i] = Math.min(1, Math.max(0, o.fraction));
      this.oAcc[i] = Math.max(0, o.accessSeconds);
      this.oX[i] = (o.lon - proj.lon0) * proj.kx;
      this.oY[i] = (o.lat - proj.lat0) * proj.ky;
      if (this.isOriginEdge) this.isOriginEdge[o.edge] = 1;
    }
    this.raw = new Float64Array(2 * (2 + count));
    this.cur = new Float64Array(2 * (2 + count));
    this.prev = new Float64Array(2 * (2 + count));
  }

  /** Emits every origin edge, each once, with its access legs. */
  processAll(): void {
    const { oEdge, count } = this;
    for (let i = 0; i < count; i++) {
      if (i === 0 || oEdge[i] !== oEdge[i - 1]) this.processEdge(oEdge[i]!, i);
    }
  }

  /** Index of the first origin on edge e, or -1. */
  firstOn(e: number): number {
    const { oEdge, count, isOriginEdge } = this;
    if (count === 0 || (isOriginEdge !== null && isOriginEdge[e] === 0)) return -1;
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (oEdge[mid]! < e) lo = mid + 1;
      else hi = mid;
    }
    return lo < count && oEdge[lo] === e ? lo : -1;
  }

  /** An edge with origins (from index `first`): the general union of intervals, then the access legs. */
  private processEdge(e: number, first: number): void {
    const g = this.graph;
    const scale = this.costScale;
    const c = g.edgeCost[e]! >= 0 ? g.edgeCost[e]! * scale : -1;
    const rc = g.edgeReverseCost[e]! >= 0 ? g.edgeReverseCost[e]! * scale : -1;
    const shape = this.shape;
    shape.project(e);
    let prevN = 0;
    for (let k = 0; k < this.limits.length; k++) {
      const curN = this.intervals(e, this.limits[k]!, c, rc, first);
      const { cur, prev } = this;
      if (curN === 0) continue;
      // cur minus prev (prev is a subset of cur).
      let p = 0;
      for (let i = 0; i < curN; i++) {
        let start = cur[2 * i]!;
        const end = cur[2 * i + 1]!;
        while (p < prevN && prev[2 * p + 1]! <= start) p++;
        for (let q = p; q < prevN && prev[2 * q]! < end; q++) {
          if (prev[2 * q]! > start) shape.emitPiece(e, start, prev[2 * q]!, k);
          start = Math.max(start, prev[2 * q + 1]!);
        }
        if (end > start) shape.emitPiece(e, start, end, k);
      }
      const full = curN === 1 && cur[0]! <= 0 && cur[1]! >= 1;
      this.cur = prev;
      this.prev = cur;
      prevN = curN;
      if (full) break;
    }
    for (let i = first; i < this.count && this.oEdge[i] === e; i++) this.emitAccessLeg(i);
  }

  /** Union of reachable intervals of edge e within T into cur; returns how many. */
  private intervals(e: number, T: number, c: number, rc: number, first: number): number {
    const { raw, cur, oEdge, oAcc, oFrac, count } = this;
    let n = 0;
    const tu = this.t[this.graph.edgeSource[e]!]!;
    const tv = this.t[this.graph.edgeTarget[e]!]!;
    if (tu <= T && c >= 0) {
      raw[n++] = 0;
      raw[n++] = c > 0 ? Math.min(1, (T - tu) / c) : 1;
    }
    if (tv <= T && rc >= 0) {
      raw[n++] = rc > 0 ? Math.max(0, 1 - (T - tv) / rc) : 0;
      raw[n++] = 1;
    }
    for (let i = first; i < count && oEdge[i] === e; i++) {
      const acc = oAcc[i]!;
      if (acc > T) continue;
      const rem = T - acc;
      const f = oFrac[i]!;
      raw[n++] = rc < 0 ? f : rc > 0 ? Math.max(0, f - rem / rc) : 0;
      raw[n++] = c < 0 ? f : c > 0 ? Math.min(1, f + rem / c) : 1;
    }
    // Sort pairs by lo (few of them: insertion sort), then merge overlaps.
    const pairs = n / 2;
    for (let i = 1; i < pairs; i++) {
      const lo = raw[2 * i]!;
      const hi = raw[2 * i + 1]!;
      let j = i - 1;
      while (j >= 0 && raw[2 * j]! > lo) {
        raw[2 * j + 2] = raw[2 * j]!;
        raw[2 * j + 3] = raw[2 * j + 1]!;
        j--;
      }
      raw[2 * j + 2] = lo;
      raw[2 * j + 3] = hi;
    }
    let m = 0;
    for (let i = 0; i < pairs; i++) {
      const lo = raw[2 * i]!;
      const hi = raw[2 * i + 1]!;
      if (m > 0 && lo <= cur[m - 1]!) {
        if (hi > cur[m - 1]!) cur[m - 1] = hi;
      } else {
        cur[m++] = lo;
        cur[m++] = hi;
      }
    }
    return m / 2;
  }

  /** The straight leg from origin i to its snap point (at oFrac of the projected edge), split by level. */
  private emitAccessLeg(i: number): void {
    const { shape, sink, limits } = this;
    shape.snapPoint(this.oFrac[i]!);
    const sx = shape.snapX;
    const sy = shape.snapY;
    const x = this.oX[i]!;
    const y = this.oY[i]!;
    const acc = this.oAcc[i]!;
    const legM = Math.sqrt((sx - x) * (sx - x) + (sy - y) * (sy - y));
    let done = 0;
    for (let k = 0; k < limits.length && done < 1; k++) {
      const reach = acc > 0 ? Math.min(1, limits[k]! / acc) : 1;
      if (reach > done || (k === 0 && reach === 0)) {
        sink.add(x + done * (sx - x), y + done * (sy - y), x + reach * (sx - x), y + reach * (sy - y), k);
        sink.addLength(k, (reach - done) * legM);
        done = reach;
      }
    }
  }
}
