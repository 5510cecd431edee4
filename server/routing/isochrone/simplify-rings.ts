/**
 * Generalization of traced outlines: Douglas-Peucker on each closed ring in
 * plane metres, with the tolerance measured to the kept SEGMENT (not its
 * infinite line).
 *
 * What that bounds: for every dropped stretch of a ring, the stretch stays
 * within `tolerance` of the chord that replaces it, so the closed curve
 * (stretch + chord) lies inside the chord's tolerance-stadium, and every
 * point between the two is within `tolerance` of the original outline. A
 * point deeper than `tolerance` inside (outside) the original polygon is
 * still inside (outside) the simplified one. build-isochrones uses that to
 * keep the isochrone guarantees exact for small tolerances.
 *
 * Validity: simplification can make rings cross (two rings closer than twice
 * the tolerance, a thin spike of one). After simplifying, all segments of the
 * contour are checked for crossings and touches with a bucket grid; the rings
 * involved are simplified again at half the tolerance, and in the end
 * returned as traced (traced rings are always valid together). A ring left
 * with fewer than 3 vertices keeps its traced shape.
 */
import { orientation, pointSegmentDistance2, segmentsIntersect } from '../../../kernel/plane-geometry.ts';
import { ensureCapacity } from '../../../kernel/growable-array.ts';
import type { PlanePolygon, PlaneRing } from './trace-contours.ts';

/** Douglas-Peucker of a closed ring; returns the input when nothing can go or too little would stay. */
export function simplifyRing(ring: PlaneRing, tolerance: number): PlaneRing {
  const n = ring.length / 2;
  if (n <= 3 || tolerance <= 0) return ring;
  // Split the loop at vertex 0 and the vertex farthest from it.
  let far = 0;
  let farD = -1;
  for (let i = 1; i < n; i++) {
    const d = (ring[2 * i]! - ring[0]!) ** 2 + (ring[2 * i + 1]! - ring[1]!) ** 2;
    if (d > farD) {
      farD = d;
      far = i;
    }
  }
  const keep = new Uint8Array(n + 1);
  keep[0] = 1;
  keep[far] = 1;
  keep[n] = 1;
  const tol2 = tolerance * tolerance;
  const stack: number[] = [0, far, far, n];
  while (stack.length > 0) {
    const last = stack.pop()!;
    const first = stack.pop()!;
    const ax = ring[2 * (first % n)]!;
    const ay = ring[2 * (first % n) + 1]!;
    const bx = ring[2 * (last % n)]!;
    const by = ring[2 * (last % n) + 1]!;
    let worst = -1;
    let worstD = tol2;
    for (let i = first + 1; i < last; i++) {
      const d = pointSegmentDistance2(ring[2 * i]!, ring[2 * i + 1]!, ax, ay, bx, by);
      if (d > worstD) {
        worstD = d;
        worst = i;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push(first, worst, worst, last);
    }
  }
  let count = 0;
  for (let i = 0; i < n; i++) count += keep[i]!;
  if (count < 3) return ring;
  const out = new Float64Array(2 * count);
  let o = 0;
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    out[o++] = ring[2 * i]!;
    out[o++] = ring[2 * i + 1]!;
  }
  return out;
}

/** Signed area (counter-clockwise positive) of a ring. */
export function ringArea(ring: PlaneRing): number {
  const n = ring.length / 2;
  let sum = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    sum += (ring[2 * j]! - ring[2 * i]!) * (ring[2 * j + 1]! + ring[2 * i + 1]!);
  }
  return sum / 2;
}

/**
 * Simplified polygons of one contour, valid: rings that cross or touch
 * another ring or themselves, or flip orientation, are simplified again at
 * half the tolerance (the others keep theirs), and below `minTolerance` they
 * come back as traced, which are valid among themselves.
 */
export function simplifyPolygons(polygons: PlanePolygon[], tolerance: number, minTolerance: number): PlanePolygon[] {
  const original: PlaneRing[] = polygons.flat();
  const current = original.map((ring) => simplifyRing(ring, tolerance));
  const tol = new Float64Array(original.length).fill(tolerance);
  for (let round = 0; round < 64; round++) {
    const bad = intersectingRings(current);
    for (let r = 0; r < current.length; r++) {
      if (current[r] !== original[r] && Math.sign(ringArea(current[r]!)) !== Math.sign(ringArea(original[r]!))) bad.add(r);
    }
    if (bad.size === 0) break;
    for (const r of bad) {
      tol[r]! /= 2;
      current[r] = tol[r]! >= minTolerance ? simplifyRing(original[r]!, tol[r]!) : original[r]!;
    }
  }
  let k = 0;
  return polygons.map((rings) => rings.map(() => current[k++]!));
}

/** True when two segments of the rings (other than neighbours in one ring) share a point. */
export function hasIntersections(rings: PlaneRing[]): boolean {
  return intersectingRings(rings, true).size > 0;
}

/** Indices of the rings with a segment that shares a point with another (non-neighbour) segment; `first`: stop at one. */
export function intersectingRings(rings: PlaneRing[], first = false): Set<number> {
  const found = new Set<number>();
  let segments = 0;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let totalLength = 0;
  for (const ring of rings) {
    const n = ring.length / 2;
    segments += n;
    for (let i = 0; i < n; i++) {
      const x = ring[2 * i]!;
      const y = ring[2 * i + 1]!;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      const j = (i + 1) % n;
      totalLength += Math.abs(ring[2 * j]! - x) + Math.abs(ring[2 * j + 1]! - y);
    }
  }
  if (segments === 0) return found;
  // Buckets about the mean segment length, at most ~4 per segment.
  const size = Math.max(totalLength / segments, (maxX - minX + maxY - minY) / Math.sqrt(4 * segments), 1e-9);
  const cols = Math.floor((maxX - minX) / size) + 1;
  const rows = Math.floor((maxY - minY) / size) + 1;
  // Segment ids per bucket as linked lists in typed arrays.
  const head = new Int32Array(cols * rows).fill(-1);
  let next = new Int32Array(4 * segments);
  let item = new Int32Array(4 * segments);
  let used = 0;
  // Segment s: ring ringOf[s], start vertex vertexOf[s].
  const ringOf = new Int32Array(segments);
  const vertexOf = new Int32Array(segments);
  let s = 0;
  for (let r = 0; r < rings.length; r++) {
    const ring = rings[r]!;
    const n = ring.length / 2;
    for (let i = 0; i < n; i++, s++) {
      ringOf[s] = r;
      vertexOf[s] = i;
      const j = (i + 1) % n;
      const c0 = Math.floor((Math.min(ring[2 * i]!, ring[2 * j]!) - minX) / size);
      const c1 = Math.floor((Math.max(ring[2 * i]!, ring[2 * j]!) - minX) / size);
      const r0 = Math.floor((Math.min(ring[2 * i + 1]!, ring[2 * j + 1]!) - minY) / size);
      const r1 = Math.floor((Math.max(ring[2 * i + 1]!, ring[2 * j + 1]!) - minY) / size);
      for (let row = r0; row <= r1; row++) {
        for (let col = c0; col <= c1; col++) {
          const b = row * cols + col;
          // Test against what is in the bucket already.
          for (let k = head[b]!; k >= 0; k = next[k]!) {
            if (segmentsMeet(rings, ringOf, vertexOf, item[k]!, s)) {
              found.add(ringOf[item[k]!]!);
              found.add(ringOf[s]!);
              if (first) return found;
            }
          }
          if (used === item.length) {
            // The two lists grow together: next keeps item's length.
            item = ensureCapacity(item, used + 1);
            next = ensureCapacity(next, item.length);
          }
          item[used] = s;
          next[used] = head[b]!;
          head[b] = used++;
        }
      }
    }
  }
  return found;
}

function segmentsMeet(rings: PlaneRing[], ringOf: Int32Array, vertexOf: Int32Array, a: number, b: number): boolean {
  const ra = rings[ringOf[a]!]!;
  const rb = rings[ringOf[b]!]!;
  const na = ra.length / 2;
  const nb = rb.length / 2;
  const ia = vertexOf[a]!;
  const ib = vertexOf[b]!;
  const ja = (ia + 1) % na;
  const jb = (ib + 1) % nb;
  if (ra === rb) {
    // Neighbours share one end by construction; only a second contact counts.
    if (ja === ib || jb === ia) {
      if (na <= 2) return false;
      const [px, py, qx, qy, sx, sy] =
        ja === ib ? [ra[2 * ia]!, ra[2 * ia + 1]!, ra[2 * ja]!, ra[2 * ja + 1]!, ra[2 * jb]!, ra[2 * jb + 1]!] : [rb[2 * ib]!, rb[2 * ib + 1]!, rb[2 * jb]!, rb[2 * jb + 1]!, ra[2 * ja]!, ra[2 * ja + 1]!];
      // p -> q -> s: they overlap only if s folds back onto p-q.
      return orientation(px, py, qx, qy, sx, sy) === 0 && (sx - qx) * (px - qx) + (sy - qy) * (py - qy) > 0;
    }
  }
  return segmentsIntersect(ra[2 * ia]!, ra[2 * ia + 1]!, ra[2 * ja]!, ra[2 * ja + 1]!, rb[2 * ib]!, rb[2 * ib + 1]!, rb[2 * jb]!, rb[2 * jb + 1]!);
}
