/**
 * Outlines of the inside region of a distance field (distance-field.ts) as
 * polygons with holes, in plane metres, by marching triangles: every cell of
 * the sample lattice is split along its south-west to north-east diagonal,
 * the field is interpolated linearly over each triangle, and the outline is
 * where the interpolant crosses r. So each triangle with samples on both
 * sides holds one straight piece of outline, between two points on its
 * edges, and the outline follows the network at any angle instead of the
 * lattice's stairs.
 *
 * The crossing on an edge from inside sample a to outside sample b is where
 * the decoded field, linear along the edge, is r: t = (r - F(a)) / (F(b) -
 * F(a)) of the way, always measured from the inside end (so the point is the
 * same whichever ring passes it), then kept at least `snapM` metres from both
 * ends (t clamped). The clamp keeps distinct pieces of outline at least
 * snapM / 2 apart, so rounding the output to 1e-7 degrees cannot make rings
 * touch. Both t and the clamp only grow where codes shrink, so a field with
 * smaller codes everywhere (a larger contour) gives a region that contains
 * this one: contours nest exactly.
 *
 * Every crossed edge is walked once, with the inside on the left, so outer
 * rings come out counter-clockwise and holes clockwise, as RFC 7946 wants.
 * Vertices in line with their neighbours to floating-point rounding (rows
 * of crossings at the same height, as along a straight east-west street) are
 * dropped, which moves the outline by less than a nanometre.
 *
 * Rings are grouped into polygons: scanning vertical edges bottom row up,
 * left to right, a ring is first met at its lowest crossed vertical edge,
 * where the sample above lies inside the ring: so it is an outer ring when
 * that sample is inside the field, and a hole when it is outside. A hole
 * belongs to the component of the inside sample just below it
 * (sample-components.ts), needed only when there is more than one outer ring.
 */
import { BLOCK, BLOCK_SHIFT, INSIDE_MAX, THRESHOLD, type DistanceField, type FieldBand } from './distance-field.ts';
import { SampleComponents } from './sample-components.ts';
import { ensureCapacity } from '../../../kernel/growable-array.ts';
import type { IsochroneScratch } from './isochrone-scratch.ts';

/** A polygon in plane metres: rings[0] the outer ring, the rest holes; x,y pairs, not repeated at the end. */
export type PlaneRing = Float64Array;
export type PlanePolygon = PlaneRing[];

/** Window of samples to scan (inclusive); samples outside it must not be inside. */
export interface CellWindow {
  i0: number;
  j0: number;
  i1: number;
  j1: number;
}

// Lattice edges, by the sample they start from: H to the right, V up, D up the diagonal.
const H = 0;
const V = 1;
const D = 2;
// Triangles of the cell whose south-west sample is v: A (below the diagonal) has the corners
// v, v+1, v+w+1 and B (above it) v, v+w+1, v+w, both counter-clockwise. Side m of a triangle
// runs from its corner m to corner m+1; sides are numbered A0..A2, B0..B2 (0..5). A walk that
// enters across side n (its first corner inside) leaves across n+1 when the far corner is
// inside and n+2 when it is not. Per side: the far corner as (di, dj) from v; the edge's kind
// and start as (di, dj) from v; and the neighbouring triangle across it, as its base (di, dj)
// from v and the side it is entered by (A0 = H(v) is B(v-w)'s side 1, and so on).
const FAR_DI = [1, 0, 1, 0, 0, 1];
const FAR_DJ = [1, 0, 0, 1, 0, 1];
const SIDE_KIND = [H, V, D, D, H, V];
const START_DI = [0, 1, 0, 0, 0, 0];
const START_DJ = [0, 0, 0, 0, 1, 0];
const ACROSS_DI = [0, 1, 0, 0, 0, -1];
const ACROSS_DJ = [-1, 0, 0, 0, 1, 0];
const ACROSS_SIDE = [4, 5, 3, 2, 0, 1];
/** OUT[2 * side + far inside]: the side the walk leaves by. */
const OUT = [2, 1, 0, 2, 1, 0, 5, 4, 3, 5, 4, 3];
/** Top bits of four codes: equal top bits mean no vertical edge crossed among four columns. */
const TOP4 = 0x80808080;

/**
 * The polygons of the samples inside the field, outer rings counter-clockwise,
 * holes clockwise. `window` limits the scan (default: the whole field). The
 * scratch, when given, lends the edge marks and the vertex buffer; the rings
 * are views of that buffer, valid until the scratch's next trace.
 */
export function traceContour(field: DistanceField, band: FieldBand, snapM: number, window?: CellWindow, scratch?: IsochroneScratch): PlanePolygon[] {
  const { width: w, height: h, codes, x0, y0, cellSize: s } = field;
  if (w % 4 !== 0 || codes.byteOffset % 4 !== 0) throw new RangeError('field rows must be whole 32-bit words (gridAround makes them so)');
  const i0 = Math.max(1, window?.i0 ?? 1);
  const i1 = Math.min(w - 2, window?.i1 ?? w - 2);
  const j0 = Math.max(1, window?.j0 ?? 1);
  const j1 = Math.min(h - 2, window?.j1 ?? h - 2);
  // Per sample, bit 1 << kind: its H, V or D edge already walked.
  const seen = scratch ? scratch.seen(w * h) : new Uint8Array(w * h);
  const walk: Walk = {
    codes,
    seen,
    w,
    x0,
    y0,
    s,
    snapAxis: Math.min(0.25, snapM / s),
    snapDiag: Math.min(0.25, snapM / (s * Math.SQRT2)),
    stepRatio: band.above / band.below,
    points: scratch ? scratch.vertices() : new Float64Array(4096),
    length: 0,
  };
  // Rings as [from, to) in walk.points (all rings of the contour in one buffer), outer rings
  // and holes by index, each with the inside sample that tells its polygon.
  const ringEnds: number[] = [];
  const outers: number[] = [];
  const outerSample: number[] = [];
  const holes: number[] = [];
  const holeSample: number[] = [];

  // Rows four samples at a time: where the top bits of four codes equal those of the row
  // below, no vertical edge there is crossed. Blocks empty in both rows are skipped whole.
  const { blocks, blocksX } = field;
  const words = new Uint32Array(codes.buffer, codes.byteOffset, codes.length >> 2);
  const wq = w >> 2;
  const wordsPerBlock = BLOCK >> 2;
  for (let j = j0; j <= j1 + 1; j++) {
    const above = (j >> BLOCK_SHIFT) * blocksX;
    const below = ((j - 1) >> BLOCK_SHIFT) * blocksX;
    for (let b = i0 >> BLOCK_SHIFT, bEnd = i1 >> BLOCK_SHIFT; b <= bEnd; b++) {
      if (blocks[above + b] === 0 && blocks[below + b] === 0) continue;
      for (let k = j * wq + b * wordsPerBlock, kEnd = j * wq + Math.min((b + 1) * wordsPerBlock, wq); k < kEnd; k++) {
        // One bit per crossed vertical edge (the top bits that differ), taken lowest first: left to right.
        for (let crossed = (words[k]! ^ words[k - wq]!) & TOP4; crossed !== 0; crossed &= crossed - 1) {
          const v = (k << 2) + ((31 - Math.clz32(crossed & -crossed)) >> 3);
          if (seen[v - w]! & (1 << V)) continue;
          const up = codes[v]! <= INSIDE_MAX;
          const ring = ringEnds.length >> 1;
          const from = walk.length;
          walkRing(walk, v - w);
          pushSeamless(ringEnds, walk.points, from, walk.length);
          if (up) {
            outers.push(ring);
            outerSample.push(v);
          } else {
            holes.push(ring);
            holeSample.push(v - w);
          }
        }
      }
    }
  }

  scratch?.keepVertices(walk.points);
  const ringOf = (k: number) => walk.points.subarray(ringEnds[2 * k]!, ringEnds[2 * k + 1]!);
  const polygons: PlanePolygon[] = outers.map((k) => [ringOf(k)]);
  if (holes.length === 0) return polygons;
  if (outers.length === 1) {
    for (const k of holes) polygons[0]!.push(ringOf(k));
    return polygons;
  }
  const components = new SampleComponents(field, i0, Math.max(0, j0 - 1), i1, j1 + 1);
  const outerOf = new Map<number, number>();
  outerSample.forEach((sample, k) => outerOf.set(components.componentOf(sample), k));
  for (let k = 0; k < holes.length; k++) polygons[outerOf.get(components.componentOf(holeSample[k]!))!]!.push(ringOf(holes[k]!));
  return polygons;
}

/** What a ring walk reads and writes: the field, the edge marks, the lattice, the crossing rules and a buffer for vertices. */
interface Walk {
  codes: Uint8Array;
  seen: Uint8Array;
  w: number;
  x0: number;
  y0: number;
  s: number;
  /** Clamp of t on axis and diagonal edges: snapM from either end. */
  snapAxis: number;
  snapDiag: number;
  /** Code step above r over code step below it. */
  stepRatio: number;
  /** Vertices of every ring walked so far, x,y pairs; values [0, length) are used. */
  points: Float64Array;
  length: number;
}

/**
 * Walks one ring from the vertical edge above sample u, into the triangle on
 * the inside's left, marking each crossed edge seen; appends its vertices to
 * walk.points.
 */
function walkRing(walk: Walk, u: number): void {
  const { codes, seen, w, x0, y0, s, snapAxis, snapDiag, stepRatio } = walk;
  let points = walk.points;
  const first = walk.length;
  let n = first;
  let vj = Math.floor(u / w);
  let vi = u - vj * w;
  // The edge being crossed: its kind and start sample.
  let kind = V;
  let ai = vi;
  let aj = vj;
  // Above inside: into B(u) across its side 2; below inside: into A(u-1) across its side 1.
  let side = 5;
  if (codes[u + w]! > INSIDE_MAX) {
    side = 1;
    vi--;
  }
  for (;;) {
    const a = aj * w + ai;
    seen[a]! |= 1 << kind;
    // The crossing: F(b) - r over r - F(a) in metres; every operation is monotone, so t only
    // grows where codes shrink. Measured from the inside end, whichever ring passes.
    const ca = codes[a]!;
    const cb = codes[a + (kind === H ? 1 : kind === V ? w : w + 1)]!;
    const aInside = ca <= INSIDE_MAX;
    const ratio = (((aInside ? cb : ca) - THRESHOLD) / (THRESHOLD - (aInside ? ca : cb))) * stepRatio;
    let t = 1 / (1 + ratio);
    const snap = kind === D ? snapDiag : snapAxis;
    t = t < snap ? snap : t > 1 - snap ? 1 - snap : t;
    const f = aInside ? t : 1 - t;
    const x = x0 + (kind === V ? ai : ai + f) * s;
    const y = y0 + (kind === H ? aj : aj + f) * s;
    // A vertex exactly in line with its neighbours changes nothing: replace it.
    if (n >= first + 4 && (points[n - 2]! - points[n - 4]!) * (y - points[n - 1]!) === (points[n - 1]! - points[n - 3]!) * (x - points[n - 2]!)) {
      points[n - 2] = x;
      points[n - 1] = y;
    } else {
      if (n + 2 > points.length) walk.points = points = ensureCapacity(points, n + 2);
      points[n++] = x;
      points[n++] = y;
    }
    // Out of the triangle entered: by the far corner's side, into the next triangle.
    const far = codes[(vj + FAR_DJ[side]!) * w + vi + FAR_DI[side]!]! <= INSIDE_MAX ? 1 : 0;
    const out = OUT[2 * side + far]!;
    kind = SIDE_KIND[out]!;
    ai = vi + START_DI[out]!;
    aj = vj + START_DJ[out]!;
    if (seen[aj * w + ai]! & (1 << kind)) break;
    vi += ACROSS_DI[out]!;
    vj += ACROSS_DJ[out]!;
    side = ACROSS_SIDE[out]!;
  }
  walk.length = n;
}

/** Appends [from, to) of a ring in `ring` to `ends`, without the last or first vertex when it is exactly in line with its neighbours across the start. */
function pushSeamless(ends: number[], ring: Float64Array, from: number, to: number): void {
  for (let pass = 0; pass < 2 && to - from > 6; pass++) {
    // The vertex at the seam: the last one, then the first.
    const a = pass === 0 ? to - 4 : to - 2;
    const b = pass === 0 ? to - 2 : from;
    const c = pass === 0 ? from : from + 2;
    if ((ring[b]! - ring[a]!) * (ring[c + 1]! - ring[b + 1]!) === (ring[b + 1]! - ring[a + 1]!) * (ring[c]! - ring[b]!)) {
      if (pass === 0) to -= 2;
      else from += 2;
    }
  }
  ends.push(from, to);
}
