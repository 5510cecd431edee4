/**
 * Turns a shortest-path tree into the reachable network as straight plane
 * segments, each tagged with the first contour (time limit) that reaches it.
 * This is the exact set the isochrone polygons are built around; nothing is
 * rounded to nodes.
 *
 * Which part of an edge (u, v) is reachable within T seconds, by fraction of
 * its length from u (walking speed is uniform along an edge):
 *   - from u, if walkers may go u -> v: the prefix [0, (T - t[u]) / cost];
 *   - from v, if walkers may go v -> u: the suffix [1 - (T - t[v]) / reverseCost, 1];
 *   - from an origin snapped onto the edge at fraction f with access time a:
 *     [f - (T - a) / reverseCost, f + (T - a) / cost], each side only where
 *     that direction is allowed;
 * and the union of these (the whole edge when they meet). The straight access
 * leg from each origin to its snap point is walkable too and is included, up
 * to the fraction T / a when the limit runs out on it.
 *
 * Levels: with limits T0 < T1 < ... the part reached first at level k is the
 * part reachable within Tk minus the part reachable within T(k-1); every
 * segment is emitted once, at its level. The reachable set of contour k is
 * therefore exactly the segments of level <= k, which makes contours nest.
 *
 * Fractions are of the edge's planar polyline length, as the snapper measures
 * them; lengths are the edge's own metres (walk_edges.length_m) times the
 * fraction. Only edges at reached nodes are looked at (plus origin edges),
 * each once. One ReachWalker per call keeps the graph's arrays and the scratch
 * in fields that the loops copy into locals (no per-call closures).
 */
import { ARC_EDGE_MASK, ARC_REVERSED, type WalkGraph } from '../graph/walk-graph.ts';
import type { LocalProjection } from '../../../kernel/geo.ts';
import type { IsochroneWorkspace } from './workspace.ts';

/** A search origin as the isochrone needs it: the point and where it joins the network. */
export interface ReachOrigin {
  /** The requested point (the access leg starts here). */
  lon: number;
  lat: number;
  /** Edge row it snapped onto. */
  edge: number;
  /** Position of the snap point along the edge, 0 at its source, 1 at its target, by length. */
  fraction: number;
  /** Seconds from the point to the snap point at the search speed (the access leg). */
  accessSeconds: number;
}

/** The shortest-path tree the polygons are built from. */
export interface ReachTree {
  /** Seconds at which each node is reached at the search speed; Infinity (or > the largest limit) = not reached. */
  nodeSeconds: ArrayLike<number>;
  origins: readonly ReachOrigin[];
  /** Graph costs (seconds at the default speed) times this = seconds at the search speed. */
  costScale: number;
  /** The reached nodes, when the search has the list; saves a scan over all nodes. */
  reached?: ArrayLike<number>;
}

/** Reachable plane segments, flat: segment i is xy[4i..4i+3] = x1, y1, x2, y2 (metres). */
export interface ReachableSegments {
  count: number;
  xy: Float64Array;
  /** Index of the first limit that reaches segment i. */
  level: Uint8Array;
  /** Per limit k: the plane bounding box [minX, minY, maxX, maxY] of the segments of level <= k (empty: Infinity, -Infinity). */
  bbox: Float64Array;
  /** Per limit k: metres of reachable network (and access legs) within limit k. */
  lengthM: Float64Array;
}

/** At most this many limits (contours) in one call: levels are bytes and 255 means "none". */
export const MAX_LEVELS = 64;
/** A chord replaces at most this many points (bounds the quadratic chord check). */
const MAX_CHORD_POINTS = 32;

/** Growable output. */
class SegmentSink {
  xy: Float64Array;
  level: Uint8Array;
  count = 0;
  readonly box: Float64Array;
  readonly length: Float64Array;

  constructor(levels: number, capacity: number, workspace: IsochroneWorkspace | undefined) {
    const arrays = workspace ? workspace.segments(capacity) : { xy: new Float64Array(4 * capacity), level: new Uint8Array(capacity) };
    this.xy = arrays.xy;
    this.level = arrays.level;
    this.box = new Float64Array(4 * levels);
    for (let k = 0; k < levels; k++) this.box.set([Infinity, Infinity, -Infinity, -Infinity], 4 * k);
    this.length = new Float64Array(levels);
  }

  /** A segment for marking (its length is counted separately, with addLength). */
  add(x1: number, y1: number, x2: number, y2: number, k: number): void {
    if (this.count === this.level.length) {
      const xy = new Float64Array(this.xy.length * 2);
      xy.set(this.xy);
      this.xy = xy;
      const level = new Uint8Array(this.level.length * 2);
      level.set(this.level);
      this.level = level;
    }
    const i = this.count++;
    const xy = this.xy;
    xy[4 * i] = x1;
    xy[4 * i + 1] = y1;
    xy[4 * i + 2] = x2;
    xy[4 * i + 3] = y2;
    this.level[i] = k;
    const b = this.box;
    const o = 4 * k;
    const minX = x1 < x2 ? x1 : x2;
    const maxX = x1 < x2 ? x2 : x1;
    const minY = y1 < y2 ? y1 : y2;
    const maxY = y1 < y2 ? y2 : y1;
    if (minX < b[o]!) b[o] = minX;
    if (minY < b[o + 1]!) b[o + 1] = minY;
    if (maxX > b[o + 2]!) b[o + 2] = maxX;
    if (maxY > b[o + 3]!) b[o + 3] = maxY;
  }

  addLength(k: number, metres: number): void {
    this.length[k]! += metres;
  }

  result(): ReachableSegments {
    const levels = this.length.length;
    const bbox = this.box.slice();
    const lengthM = this.length.slice();
    for (let k = 1; k < levels; k++) {
      const o = 4 * k;
      bbox[o] = Math.min(bbox[o]!, bbox[o - 4]!);
      bbox[o + 1] = Math.min(bbox[o + 1]!, bbox[o - 3]!);
      bbox[o + 2] = Math.max(bbox[o + 2]!, bbox[o - 2]!);
      bbox[o + 3] = Math.max(bbox[o + 3]!, bbox[o - 1]!);
      lengthM[k]! += lengthM[k - 1]!;
    }
    return { count: this.count, xy: this.xy, level: this.level, bbox, lengthM };
  }
}

/**
 * The reachable network of `tree` within each of `limitsSeconds` (ascending,
 * at most MAX_LEVELS), as plane segments in projection `proj`. With
 * `simplifyM` > 0 the segments of each reachable stretch are merged into
 * chords that stay within simplifyM of it (fewer segments to mark; the
 * caller takes simplifyM off its radius); lengths stay exact. With a
 * workspace, the segment arrays are its (valid until its next use).
 */
export function reachableSegments(
  graph: WalkGraph,
  tree: ReachTree,
  limitsSeconds: ArrayLike<number>,
  proj: LocalProjection,
  simplifyM = 0,
  workspace?: IsochroneWorkspace,
): ReachableSegments {
  const levels = limitsSeconds.length;
  if (levels < 1 || levels > MAX_LEVELS) throw new RangeError(`between 1 and ${MAX_LEVELS} limits, got ${levels}`);
  for (let k = 1; k < levels; k++) {
    if (!(limitsSeconds[k]! > limitsSeconds[k - 1]!)) throw new RangeError('limits must be strictly ascending');
  }
  return new ReachWalker(graph, tree, Float64Array.from(limitsSeconds), proj, simplifyM, workspace).run();
}

/** One call's walk over the reached part of the graph. */
class ReachWalker {
  private readonly coords: Float64Array;
  private readonly geomOffset: Uint32Array;
  private readonly t: ArrayLike<number>;
  private readonly levels: number;
  private readonly tMax: number;
  private readonly simplify2: number;
  private readonly lon0: number;
  private readonly lat0: number;
  private readonly kx: number;
  private readonly ky: number;
  private readonly sink: SegmentSink;
  /** The current edge's projected vertices, and their cumulative plane lengths once asked for. */
  private px = new Float64Array(64);
  private py = new Float64Array(64);
  private cum = new Float64Array(64);
  private n = 0;
  private cumTotal = -1;
  /** One piece's points. */
  private qx = new Float64Array(64);
  private qy = new Float64Array(64);
  /** Interval lists (lo, hi pairs) for edges with origins. */
  private raw: Float64Array;
  private cur: Float64Array;
  private prev: Float64Array;
  /** Origins sorted by edge. */
  private readonly originCount: number;
  private readonly oEdge: Int32Array;
  private readonly oFrac: Float64Array;
  private readonly oAcc: Float64Array;
  private readonly oX: Float64Array;
  private readonly oY: Float64Array;
  /** Many origins: a flag per edge; a few: binary search in oEdge (no edge-sized allocation). */
  private readonly isOriginEdge: Uint8Array | null;

  constructor(
    private readonly graph: WalkGraph,
    private readonly tree: ReachTree,
    private readonly limits: Float64Array,
    proj: LocalProjection,
    simplifyM: number,
    workspace: IsochroneWorkspace | undefined,
  ) {
    this.coords = graph.coords;
    this.geomOffset = graph.geomOffset;
    this.t = tree.nodeSeconds;
    this.levels = limits.length;
    this.tMax = limits[limits.length - 1]!;
    this.simplify2 = simplifyM * simplifyM;
    this.lon0 = proj.lon0;
    this.lat0 = proj.lat0;
    this.kx = proj.kx;
    this.ky = proj.ky;
    // About two segments per reached node; the sink grows when there are more.
    this.sink = new SegmentSink(this.levels, Math.max(64, 2 * (tree.reached?.length ?? 512)), workspace);
    const count = tree.origins.length;
    this.originCount = count;
    const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => tree.origins[a]!.edge - tree.origins[b]!.edge);
    this.oEdge = new Int32Array(count);
    this.oFrac = new Float64Array(count);
    this.oAcc = new Float64Array(count);
    this.oX = new Float64Array(count);
    this.oY = new Float64Array(count);
    this.isOriginEdge = count > 64 ? new Uint8Array(graph.edgeCount) : null;
    for (let i = 0; i < count; i++) {
      const o = tree.origins[order[i]!]!;
      this.oEdge[i] = o.edge;
      this.oFrac[i] = Math.min(1, Math.max(0, o.fraction));
      this.oAcc[i] = Math.max(0, o.accessSeconds);
      this.oX[i] = (o.lon - this.lon0) * this.kx;
      this.oY[i] = (o.lat - this.lat0) * this.ky;
      if (this.isOriginEdge) this.isOriginEdge[o.edge] = 1;
    }
    this.raw = new Float64Array(2 * (2 + count));
    this.cur = new Float64Array(2 * (2 + count));
    this.prev = new Float64Array(2 * (2 + count));
  }

  run(): ReachableSegments {
    const { graph, oEdge, originCount, t, tMax } = this;
    for (let i = 0; i < originCount; i++) {
      if (i === 0 || oEdge[i] !== oEdge[i - 1]) this.processOriginEdge(oEdge[i]!, i);
    }
    // Every edge has an arc at each end (walk-graph.ts), so an edge is handled from its
    // source's arc when the source is reached, else from its target's.
    const { arcOffset, arcTarget, arcEdge } = graph;
    const visit = (u: number) => {
      for (let a = arcOffset[u]!, end = arcOffset[u + 1]!; a < end; a++) {
        const code = arcEdge[a]!;
        const e = code & ARC_EDGE_MASK;
        if (code & ARC_REVERSED && t[arcTarget[a]!]! <= tMax) continue;
        if (originCount > 0 && this.firstOriginOn(e) >= 0) continue;
        this.processPlainEdge(e);
      }
    };
    const reached = this.tree.reached;
    if (reached) {
      for (let i = 0; i < reached.length; i++) {
        const u = reached[i]!;
        if (t[u]! <= tMax) visit(u);
      }
    } else {
      for (let u = 0; u < graph.nodeCount; u++) if (t[u]! <= tMax) visit(u);
    }
    return this.sink.result();
  }

  /** Index in oEdge of the first origin on edge e, or -1. */
  private firstOriginOn(e: number): number {
    const { oEdge, originCount, isOriginEdge } = this;
    if (originCount === 0 || (isOriginEdge !== null && isOriginEdge[e] === 0)) return -1;
    let lo = 0;
    let hi = originCount;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (oEdge[mid]! < e) lo = mid + 1;
      else hi = mid;
    }
    return lo < originCount && oEdge[lo] === e ? lo : -1;
  }

  /** Projects edge e's polyline into px, py (cumulative lengths come later, when needed). */
  private projectEdge(e: number): void {
    const from = this.geomOffset[e]!;
    const n = this.geomOffset[e + 1]! - from;
    if (n > this.px.length) {
      const size = Math.max(n, this.px.length * 2);
      this.px = new Float64Array(size);
      this.py = new Float64Array(size);
      this.cum = new Float64Array(size);
      this.qx = new Float64Array(size);
      this.qy = new Float64Array(size);
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
  private cumulative(): number {
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

  /**
   * Emits the projected edge e between fractions lo < hi at level k: its
   * length (the edge's metres times the fraction), its shape as chords.
   */
  private emitPiece(e: number, lo: number, hi: number, k: number): void {
    this.sink.addLength(k, (hi - lo) * this.graph.edgeLengthM[e]!);
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

  /** Edge costs at the search speed, -1 where not allowed. */
  private costs(e: number): [number, number] {
    const g = this.graph;
    const scale = this.tree.costScale;
    return [g.edgeCost[e]! >= 0 ? g.edgeCost[e]! * scale : -1, g.edgeReverseCost[e]! >= 0 ? g.edgeReverseCost[e]! * scale : -1];
  }

  /**
   * An edge without origins: reachable within T is [0, a] from its source
   * and [b, 1] from its target (a = 0, b = 1 when that end is not reached or
   * that way is not allowed; the whole edge when a >= b). The part new at
   * level k lies in the previous level's gap (a', b').
   */
  private processPlainEdge(e: number): void {
    const g = this.graph;
    const scale = this.tree.costScale;
    const c = g.edgeCost[e]! >= 0 ? g.edgeCost[e]! * scale : -1;
    const rc = g.edgeReverseCost[e]! >= 0 ? g.edgeReverseCost[e]! * scale : -1;
    const tu = this.t[g.edgeSource[e]!]!;
    const tv = this.t[g.edgeTarget[e]!]!;
    const { limits, levels } = this;
    let gapLo = 0;
    let gapHi = 1;
    let projected = false;
    for (let k = 0; k < levels && gapLo < gapHi; k++) {
      const T = limits[k]!;
      const a = tu <= T && c >= 0 ? (c > 0 ? Math.min(1, (T - tu) / c) : 1) : 0;
      const b = tv <= T && rc >= 0 ? (rc > 0 ? Math.max(0, 1 - (T - tv) / rc) : 0) : 1;
      if (a <= gapLo && b >= gapHi) continue;
      if (!projected) {
        this.projectEdge(e);
        projected = true;
      }
      if (a >= b) {
        this.emitPiece(e, gapLo, gapHi, k);
        gapLo = gapHi;
      } else {
        if (a > gapLo) this.emitPiece(e, gapLo, a, k);
        if (b < gapHi) this.emitPiece(e, b, gapHi, k);
        gapLo = Math.max(gapLo, a);
        gapHi = Math.min(gapHi, b);
      }
    }
  }

  /** An edge with origins (from index `first` in oEdge): the general union of intervals, then the access legs. */
  private processOriginEdge(e: number, first: number): void {
    const [c, rc] = this.costs(e);
    this.projectEdge(e);
    let prevN = 0;
    for (let k = 0; k < this.levels; k++) {
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
          if (prev[2 * q]! > start) this.emitPiece(e, start, prev[2 * q]!, k);
          start = Math.max(start, prev[2 * q + 1]!);
        }
        if (end > start) this.emitPiece(e, start, end, k);
      }
      const full = curN === 1 && cur[0]! <= 0 && cur[1]! >= 1;
      this.cur = prev;
      this.prev = cur;
      prevN = curN;
      if (full) break;
    }
    const total = this.cumulative();
    for (let i = first; i < this.originCount && this.oEdge[i] === e; i++) this.emitAccessLeg(i, total);
  }

  /** Union of reachable intervals of edge e within T into cur; returns how many. */
  private intervals(e: number, T: number, c: number, rc: number, first: number): number {
    const { raw, cur, oEdge, oAcc, oFrac, originCount } = this;
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
    for (let i = first; i < originCount && oEdge[i] === e; i++) {
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
  private emitAccessLeg(i: number, total: number): void {
    const { px, py, cum, n, sink } = this;
    const d = this.oFrac[i]! * total;
    let j = 1;
    while (j < n - 1 && cum[j]! < d) j++;
    const len = n > 1 ? cum[j]! - cum[j - 1]! : 0;
    const f = len > 0 ? Math.min(1, Math.max(0, (d - cum[j - 1]!) / len)) : 0;
    const sx = n > 1 ? px[j - 1]! + f * (px[j]! - px[j - 1]!) : px[0]!;
    const sy = n > 1 ? py[j - 1]! + f * (py[j]! - py[j - 1]!) : py[0]!;
    const x = this.oX[i]!;
    const y = this.oY[i]!;
    const acc = this.oAcc[i]!;
    const legM = Math.sqrt((sx - x) * (sx - x) + (sy - y) * (sy - y));
    let done = 0;
    for (let k = 0; k < this.levels && done < 1; k++) {
      const reach = acc > 0 ? Math.min(1, this.limits[k]! / acc) : 1;
      if (reach > done || (k === 0 && reach === 0)) {
        sink.add(x + done * (sx - x), y + done * (sy - y), x + reach * (sx - x), y + reach * (sy - y), k);
        sink.addLength(k, (reach - done) * legM);
        done = reach;
      }
    }
  }
}
