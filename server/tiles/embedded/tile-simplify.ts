/**
 * Two steps of ST_AsMVTGeom that PGlite's PostGIS cannot reproduce in SQL,
 * in TypeScript. (1) Polygons: wagyu's snap rounding (below).
 * (2) The "remove points on straight lines" step for lines, in
 * TypeScript, because PGlite's PostGIS (3.6) simplifies with tolerance 0
 * differently from the servers' (3.3): 3.3 drops a point that lies on the
 * segment from the last kept point to the next one (also when that segment
 * has no length, so a there-and-back A-B-A collapses to A-A and goes), and
 * then drops lines that collapsed to one point or to two equal points.
 * Running the same rule here keeps the two backends' line features equal.
 */
import { GEOM_LINESTRING, GEOM_POLYGON, type TileGeometry } from './mvt-encoder.ts';

/**
 * Simplifies the points [from, to) of coords in place, compacting them to
 * start at `out`; returns how many points remain.
 */
function simplifyRun(coords: Int32Array, from: number, to: number, out: number): number {
  const n = to - from;
  if (n < 3) {
    coords.copyWithin(2 * out, 2 * from, 2 * to);
    return n;
  }
  let kept = out;
  coords[2 * kept] = coords[2 * from]!;
  coords[2 * kept + 1] = coords[2 * from + 1]!;
  for (let i = from + 1; i < to - 1; i++) {
    const kx = coords[2 * kept]!;
    const ky = coords[2 * kept + 1]!;
    const cx = coords[2 * i]!;
    const cy = coords[2 * i + 1]!;
    const bax = coords[2 * (i + 1)]! - kx;
    const bay = coords[2 * (i + 1) + 1]! - ky;
    const cax = cx - kx;
    const cay = cy - ky;
    const dot = cax * bax + cay * bay;
    const cross = cax * bay - cay * bax;
    if (dot < 0 || dot > bax * bax + bay * bay || cross !== 0) {
      kept++;
      coords[2 * kept] = cx;
      coords[2 * kept + 1] = cy;
    }
  }
  kept++;
  coords[2 * kept] = coords[2 * (to - 1)]!;
  coords[2 * kept + 1] = coords[2 * (to - 1) + 1]!;
  return kept - out + 1;
}

/** Lines without points on straight runs; null when every line collapsed. Other types pass through. */
export function removeCollinearPoints(geometry: TileGeometry): TileGeometry | null {
  if (geometry.type !== GEOM_LINESTRING) return geometry;
  const coords = geometry.coords.slice();
  const ends: number[] = [];
  let from = 0;
  let out = 0;
  for (const end of geometry.partEnds) {
    const n = simplifyRun(coords, from, end, out);
    from = end;
    const collapsed = n < 2 || (n === 2 && coords[2 * out] === coords[2 * out + 2] && coords[2 * out + 1] === coords[2 * out + 3]);
    if (collapsed) continue;
    out += n;
    ends.push(out);
  }
  if (ends.length === 0) return null;
  return { type: GEOM_LINESTRING, coords: coords.subarray(0, 2 * out), partEnds: Uint32Array.from(ends) };
}

/**
 * Does segment (ax, ay)-(bx, by) meet the unit pixel centred on (hx, hy),
 * edges and corners included (as wagyu's hot pixels take them)? Returns the
 * segment parameter where it does (for ordering), or -1.
 */
function throughPixel(ax: number, ay: number, bx: number, by: number, hx: number, hy: number): number {
  const h = 0.5 + 1e-9;
  let t0 = 0;
  let t1 = 1;
  const dx = bx - ax;
  const dy = by - ay;
  // Liang-Barsky against the open square.
  const checks: [number, number][] = [
    [-dx, ax - (hx - h)],
    [dx, hx + h - ax],
    [-dy, ay - (hy - h)],
    [dy, hy + h - ay],
  ];
  for (const [p, q] of checks) {
    if (p === 0) {
      if (q < 0) return -1;
    } else {
      const r = q / p;
      if (p < 0) {
        if (r > t1) return -1;
        if (r > t0) t0 = r;
      } else {
        if (r < t0) return -1;
        if (r < t1) t1 = r;
      }
    }
  }
  return t0 <= t1 ? (t0 + t1) / 2 : -1;
}

/**
 * Snap rounding of polygon rings, the way wagyu (ST_AsMVTGeom's polygon
 * engine on the server) rounds: every vertex is a "hot pixel", an edge that
 * passes through another vertex's pixel is routed through that vertex, and
 * the spikes this makes (A-B-A) are cut off. Keeps the embedded tiles'
 * polygons within a tile unit of the server's.
 */
export function snapRoundPolygons(geometry: TileGeometry): TileGeometry {
  if (geometry.type !== GEOM_POLYGON) return geometry;
  const { coords, partEnds } = geometry;
  const pixels = coords;
  const pixelCount = coords.length / 2;
  const out: number[] = [];
  const ends: number[] = [];
  let from = 0;
  for (const end of partEnds) {
    const ring: number[] = [];
    for (let i = from; i < end; i++) {
      const ax = coords[2 * i]!;
      const ay = coords[2 * i + 1]!;
      ring.push(ax, ay);
      if (i + 1 >= end) break;
      const bx = coords[2 * i + 2]!;
      const by = coords[2 * i + 3]!;
      const minX = Math.min(ax, bx) - 1;
      const maxX = Math.max(ax, bx) + 1;
      const minY = Math.min(ay, by) - 1;
      const maxY = Math.max(ay, by) + 1;
      let hits: [number, number, number][] | undefined;
      for (let k = 0; k < pixelCount; k++) {
        const hx = pixels[2 * k]!;
        const hy = pixels[2 * k + 1]!;
        if (hx < minX || hx > maxX || hy < minY || hy > maxY) continue;
        if ((hx === ax && hy === ay) || (hx === bx && hy === by)) continue;
        const t = throughPixel(ax, ay, bx, by, hx, hy);
        if (t >= 0) (hits ??= []).push([t, hx, hy]);
      }
      if (hits) {
        hits.sort((p, q) => p[0] - q[0]);
        for (const [, hx, hy] of hits) {
          if (ring[ring.length - 2] !== hx || ring[ring.length - 1] !== hy) ring.push(hx, hy);
        }
      }
    }
    removeSpikes(ring);
    for (const v of ring) out.push(v);
    ends.push(out.length / 2);
    from = end;
  }
  return { type: GEOM_POLYGON, coords: Int32Array.from(out), partEnds: Uint32Array.from(ends), ringsPerPolygon: geometry.ringsPerPolygon };
}

/** Removes repeated points and A-B-A spikes from a closed ring (flat x, y list, last point = first), in place. */
function removeSpikes(ring: number[]): void {
  const xs: number[] = [];
  const ys: number[] = [];
  const n = ring.length / 2 - 1; // the closing point repeats the first
  for (let i = 0; i < n; i++) {
    const x = ring[2 * i]!;
    const y = ring[2 * i + 1]!;
    const top = xs.length - 1;
    if (top >= 0 && xs[top] === x && ys[top] === y) continue;
    if (top >= 1 && xs[top - 1] === x && ys[top - 1] === y) {
      // A-B-A: B goes, and A is already on the stack.
      xs.pop();
      ys.pop();
      continue;
    }
    xs.push(x);
    ys.push(y);
  }
  // Spikes and repeats across the ring's start.
  for (let changed = true; changed && xs.length >= 3; ) {
    changed = false;
    const last = xs.length - 1;
    if (xs[last] === xs[0] && ys[last] === ys[0]) {
      xs.pop();
      ys.pop();
      changed = true;
    } else if (xs[last - 1] === xs[0] && ys[last - 1] === ys[0]) {
      xs.pop();
      ys.pop();
      xs.pop();
      ys.pop();
      changed = true;
    } else if (xs[last] === xs[1] && ys[last] === ys[1]) {
      xs.shift();
      ys.shift();
      xs.shift();
      ys.shift();
      changed = true;
    }
  }
  ring.length = 0;
  for (let i = 0; i < xs.length; i++) ring.push(xs[i]!, ys[i]!);
  if (xs.length > 0) ring.push(xs[0]!, ys[0]!);
}
