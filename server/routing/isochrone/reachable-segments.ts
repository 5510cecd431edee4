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
 * them. Only edges at reached nodes are looked at (plus origin edges), each
 * once.
 */
import { ARC_EDGE_MASK, ARC_REVERSED, type WalkGraph } from '../walk-graph.ts';
import type { LocalProjection } from './local-projection.ts';

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

  constructor(levels: number, capacity: number) {
    this.xy = new Float64Array(4 * capacity);
    this.level = new Uint8Array(capacity);
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
    if (x1 < b[o]!) b[o] = x1;
    if (x2 < b[o]!) b[o] = x2;
    if (y1 < b[o + 1]!) b[o + 1] = y1;
    if (y2 < b[o + 1]!) b[o + 1] = y2;
    if (x1 > b[o + 2]!) b[o + 2] = x1;
    if (x2 > b[o + 2]!) b[o + 2] = x2;
    if (y1 > b[o + 3]!) b[o + 3] = y1;
    if (y2 > b[o + 3]!) b[o + 3] = y2;
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

/** Scratch for one edge: projected polyline, cumulative lengths, interval lists. */
class EdgeScratch {
  px = new Float64Array(64);
  py = new Float64Array(64);
  cum = new Float64Array(64);
  /** One piece's points. */
  qx = new Float64Array(64);
  qy = new Float64Array(64);
  n = 0;
  /** Raw, current (merged) and previous-level intervals as lo,hi pairs. */
  raw = new Float64Array(16);
  cur = new Float64Array(16);
  prev = new Float64Array(16);
  curN = 0;
  prevN = 0;

  ensureVertices(n: number): void {
    if (n <= this.px.length) return;
    const size = Math.max(n, this.px.length * 2);
    this.px = new Float64Array(size);
    this.py = new Float64Array(size);
    this.cum = new Float64Array(size);
    this.qx = new Float64Array(size);
    this.qy = new Float64Array(size);
  }

  ensureIntervals(n: number): void {
    if (2 * n <= this.raw.length) return;
    const size = Math.max(2 * n, this.raw.length * 2);
    this.raw = new Float64Array(size);
    const cur = new Float64Array(size);
    cur.set(this.cur.subarray(0, 2 * this.curN));
    this.cur = cur;
    const prev = new Float64Array(size);
    prev.set(this.prev.subarray(0, 2 * this.prevN));
    this.prev = prev;
  }
}

/**
 * The reachable network of `tree` within each of `limitsSeconds` (ascending,
 * at most MAX_LEVELS), as plane segments in projection `proj`. With
 * `simplifyM` > 0 the segments of each reachable stretch are merged into
 * chords that stay within simplifyM of it (fewer segments to mark; the
 * caller takes simplifyM off its radius); lengths stay exact.
 */
export function reachableSegments(
  graph: WalkGraph,
  tree: ReachTree,
  limitsSeconds: ArrayLike<number>,
  proj: LocalProjection,
  simplifyM = 0,
): ReachableSegments {
  const simplify2 = simplifyM * simplifyM;
  const levels = limitsSeconds.length;
  if (levels < 1 || levels > MAX_LEVELS) throw new RangeError(`between 1 and ${MAX_LEVELS} limits, got ${levels}`);
  for (let k = 1; k < levels; k++) {
    if (!(limitsSeconds[k]! > limitsSeconds[k - 1]!)) throw new RangeError('limits must be strictly ascending');
  }
  const tMax = limitsSeconds[levels - 1]!;
  const t = tree.nodeSeconds;
  const scale = tree.costScale;
  // About two segments per reached node; the sink grows when there are more.
  const sink = new SegmentSink(levels, Math.max(64, 2 * (tree.reached?.length ?? 512)));
  const scratch = new EdgeScratch();
  const { lon0, lat0, kx, ky } = proj;
  const coords = graph.coords;
  const geomOffset = graph.geomOffset;

  // Origins sorted by edge, so an edge finds its origins by binary search.
  const originCount = tree.origins.length;
  const order = Array.from({ length: originCount }, (_, i) => i).sort((a, b) => tree.origins[a]!.edge - tree.origins[b]!.edge);
  const oEdge = new Int32Array(originCount);
  const oFrac = new Float64Array(originCount);
  const oAcc = new Float64Array(originCount);
  const oX = new Float64Array(originCount);
  const oY = new Float64Array(originCount);
  // Many origins: a flag per edge; a few: binary search in oEdge (no edge-sized allocation).
  const isOriginEdge = originCount > 64 ? new Uint8Array(graph.edgeCount) : null;
  for (let i = 0; i < originCount; i++) {
    const o = tree.origins[order[i]!]!;
    oEdge[i] = o.edge;
    oFrac[i] = Math.min(1, Math.max(0, o.fraction));
    oAcc[i] = Math.max(0, o.accessSeconds);
    oX[i] = (o.lon - lon0) * kx;
    oY[i] = (o.lat - lat0) * ky;
    if (isOriginEdge) isOriginEdge[o.edge] = 1;
  }

  /** Index in oEdge of the first origin on edge e, or -1. */
  function firstOriginOn(e: number): number {
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
  scratch.ensureIntervals(2 + originCount);

  /** Projects edge e's polyline into scratch and returns its plane length. */
  function projectEdge(e: number): number {
    const from = geomOffset[e]!;
    const n = geomOffset[e + 1]! - from;
    scratch.ensureVertices(n);
    const { px, py, cum } = scratch;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const x = (coords[2 * (from + i)]! - lon0) * kx;
      const y = (coords[2 * (from + i) + 1]! - lat0) * ky;
      px[i] = x;
      py[i] = y;
      if (i > 0) {
        const dx = x - px[i - 1]!;
        const dy = y - py[i - 1]!;
        total += Math.sqrt(dx * dx + dy * dy);
      }
      cum[i] = total;
    }
    scratch.n = n;
    return total;
  }

  /** Point at distance d along the projected polyline, written to pt. */
  const pt = new Float64Array(2);
  function pointAt(d: number): void {
    const { px, py, cum, n } = scratch;
    let i = 1;
    while (i < n - 1 && cum[i]! < d) i++;
    const len = cum[i]! - cum[i - 1]!;
    const f = len > 0 ? Math.min(1, Math.max(0, (d - cum[i - 1]!) / len)) : 0;
    pt[0] = px[i - 1]! + f * (px[i]! - px[i - 1]!);
    pt[1] = py[i - 1]! + f * (py[i]! - py[i - 1]!);
  }

  /**
   * Emits the polyline between fractions lo < hi of the projected edge: its
   * length exactly, its shape as chords that stay within `simplifyM` of it.
   */
  function emitPiece(lo: number, hi: number, total: number, k: number): void {
    const { px, py, cum, n, qx, qy } = scratch;
    if (n < 2 || total <= 0) {
      sink.add(px[0]!, py[0]!, px[0]!, py[0]!, k);
      return;
    }
    const dLo = lo * total;
    const dHi = hi * total;
    sink.addLength(k, dHi - dLo);
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
    if (m === 2 || simplify2 === 0) {
      for (let j = 1; j < m; j++) sink.add(qx[j - 1]!, qy[j - 1]!, qx[j]!, qy[j]!, k);
      return;
    }
    // Greedy chords: extend while every skipped point stays within simplifyM of the chord.
    let a = 0;
    while (a < m - 1) {
      let c = a + 1;
      while (c + 1 < m && c + 1 - a <= MAX_CHORD_POINTS && chordHolds(a, c + 1)) c++;
      sink.add(qx[a]!, qy[a]!, qx[c]!, qy[c]!, k);
      a = c;
    }
  }

  /** Every point strictly between a and c is within simplifyM of the chord a-c. */
  function chordHolds(a: number, c: number): boolean {
    const { qx, qy } = scratch;
    const ax = qx[a]!;
    const ay = qy[a]!;
    const dx = qx[c]! - ax;
    const dy = qy[c]! - ay;
    const len2 = dx * dx + dy * dy;
    for (let i = a + 1; i < c; i++) {
      const ex = qx[i]! - ax;
      const ey = qy[i]! - ay;
      let t = len2 > 0 ? (ex * dx + ey * dy) / len2 : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const fx = ex - t * dx;
      const fy = ey - t * dy;
      if (fx * fx + fy * fy > simplify2) return false;
    }
    return true;
  }

  /** Union of reachable intervals of edge e within T into scratch.cur. */
  function intervals(e: number, T: number, c: number, rc: number, firstOrigin: number): void {
    const raw = scratch.raw;
    let n = 0;
    const tu = t[graph.edgeSource[e]!]!;
    const tv = t[graph.edgeTarget[e]!]!;
    if (tu <= T && c >= 0) {
      raw[n++] = 0;
      raw[n++] = c > 0 ? Math.min(1, (T - tu) / c) : 1;
    }
    if (tv <= T && rc >= 0) {
      raw[n++] = rc > 0 ? Math.max(0, 1 - (T - tv) / rc) : 0;
      raw[n++] = 1;
    }
    for (let i = firstOrigin; i >= 0 && i < originCount && oEdge[i] === e; i++) {
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
    const cur = scratch.cur;
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
    scratch.curN = m / 2;
  }

  /** Emits every level's new part of edge e. */
  function processEdge(e: number): void {
    const c = graph.edgeCost[e]! >= 0 ? graph.edgeCost[e]! * scale : -1;
    const rc = graph.edgeReverseCost[e]! >= 0 ? graph.edgeReverseCost[e]! * scale : -1;
    const firstOrigin = firstOriginOn(e);
    if (firstOrigin < 0) {
      processPlainEdge(e, c, rc);
      return;
    }
    let total = -1;
    scratch.prevN = 0;
    for (let k = 0; k < levels; k++) {
      intervals(e, limitsSeconds[k]!, c, rc, firstOrigin);
      const { cur, prev, curN, prevN } = scratch;
      if (curN === 0) continue;
      if (total < 0) total = projectEdge(e);
      // cur minus prev (prev is a subset of cur).
      let p = 0;
      for (let i = 0; i < curN; i++) {
        let start = cur[2 * i]!;
        const end = cur[2 * i + 1]!;
        while (p < prevN && prev[2 * p + 1]! <= start) p++;
        let q = p;
        while (q < prevN && prev[2 * q]! < end) {
          if (prev[2 * q]! > start) emitPiece(start, prev[2 * q]!, total, k);
          start = Math.max(start, prev[2 * q + 1]!);
          q++;
        }
        if (end > start) emitPiece(start, end, total, k);
      }
      const full = curN === 1 && cur[0]! <= 0 && cur[1]! >= 1;
      scratch.cur = prev;
      scratch.prev = cur;
      scratch.prevN = curN;
      if (full) break;
    }
    if (firstOrigin >= 0) {
      if (total < 0) total = projectEdge(e);
      for (let i = firstOrigin; i < originCount && oEdge[i] === e; i++) emitAccessLeg(i, total);
    }
  }

  /**
   * An edge without origins: reachable within T is [0, a] from its source
   * and [b, 1] from its target (a = 0, b = 1 when that end is not reached or
   * that way is not allowed; the whole edge when a >= b). The part new at
   * level k lies in the previous level's gap (a', b').
   */
  function processPlainEdge(e: number, c: number, rc: number): void {
    const tu = t[graph.edgeSource[e]!]!;
    const tv = t[graph.edgeTarget[e]!]!;
    let gapLo = 0;
    let gapHi = 1;
    let total = -1;
    for (let k = 0; k < levels && gapLo < gapHi; k++) {
      const T = limitsSeconds[k]!;
      const a = tu <= T && c >= 0 ? (c > 0 ? Math.min(1, (T - tu) / c) : 1) : 0;
      const b = tv <= T && rc >= 0 ? (rc > 0 ? Math.max(0, 1 - (T - tv) / rc) : 0) : 1;
      if (a <= gapLo && b >= gapHi) continue;
      if (total < 0) total = projectEdge(e);
      if (a >= b) {
        emitPiece(gapLo, gapHi, total, k);
        gapLo = gapHi;
      } else {
        if (a > gapLo) emitPiece(gapLo, a, total, k);
        if (b < gapHi) emitPiece(b, gapHi, total, k);
        gapLo = Math.max(gapLo, a);
        gapHi = Math.min(gapHi, b);
      }
    }
  }

  /** The straight leg from origin i to its snap point, split by level. */
  function emitAccessLeg(i: number, total: number): void {
    pointAt(oFrac[i]! * total);
    const sx = pt[0]!;
    const sy = pt[1]!;
    const x = oX[i]!;
    const y = oY[i]!;
    const acc = oAcc[i]!;
    let done = 0;
    for (let k = 0; k < levels && done < 1; k++) {
      const reach = acc > 0 ? Math.min(1, limitsSeconds[k]! / acc) : 1;
      if (reach > done || (k === 0 && reach === 0)) {
        sink.add(x + done * (sx - x), y + done * (sy - y), x + reach * (sx - x), y + reach * (sy - y), k);
        sink.addLength(k, (reach - done) * Math.sqrt((sx - x) * (sx - x) + (sy - y) * (sy - y)));
        done = reach;
      }
    }
  }

  for (let i = 0; i < originCount; i++) {
    if (i === 0 || oEdge[i] !== oEdge[i - 1]) processEdge(oEdge[i]!);
  }

  // Every edge has an arc at each end (walk-graph.ts), so an edge is handled from its
  // source's arc when the source is reached, else from its target's.
  const { arcOffset, arcTarget, arcEdge } = graph;
  const visit = (u: number) => {
    for (let a = arcOffset[u]!, end = arcOffset[u + 1]!; a < end; a++) {
      const code = arcEdge[a]!;
      const e = code & ARC_EDGE_MASK;
      if (originCount > 0 && firstOriginOn(e) >= 0) continue;
      if (code & ARC_REVERSED && t[arcTarget[a]!]! <= tMax) continue;
      processEdge(e);
    }
  };
  if (tree.reached) {
    const reached = tree.reached;
    for (let i = 0; i < reached.length; i++) {
      const u = reached[i]!;
      if (t[u]! <= tMax) visit(u);
    }
  } else {
    for (let u = 0; u < graph.nodeCount; u++) if (t[u]! <= tMax) visit(u);
  }
  return sink.result();
}
