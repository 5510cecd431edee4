/**
 * Geometric checks of isochrone polygons, for the isochrone tests, written
 * apart from the implementation so that they can catch it out: their own
 * partial-edge reach (every edge, by brute force), their own point-in-polygon
 * (ray crossing in lon/lat, where straight edges are straight in the plane
 * too) and their own metric (a local plane at each query point).
 *
 *   coverage   sampled points along every reachable stretch (partial ends,
 *              access legs and every vertex included) are inside the polygon;
 *   buffer     polygon vertices, points along its edges and a grid of points
 *              inside it are all within buffer (+ tolerance) of reachable network;
 *   nesting    each contour's vertices and inner grid points are inside (or on)
 *              the next larger contour, and its area is not larger.
 * Plus the searches the tests feed to the polygons: `searchTree` runs the
 * routing core without a database.
 */
import type { WalkGraph } from '../server/routing/graph/walk-graph.ts';
import type { Snap } from '../server/routing/search/snap.ts';
import { snapToEdge } from '../server/routing/search/snap.ts';
import type { EdgeIndex } from '../server/routing/graph/edge-index.ts';
import { runSearch, seedFromSnap, settledTimes } from '../server/routing/search/bounded-search.ts';
import { withState } from '../server/routing/search/search-state.ts';
import { accessCost } from '../server/routing/search/partial-edge.ts';
import { DEFAULT_SPEED_KMH } from '../kernel/walk-speed.ts';
import type { IsochroneGeometry, SearchTreeLike } from '../server/routing/isochrone/build-isochrones.ts';

const M_PER_DEG = 6371008.8 * (Math.PI / 180);
const RAD = Math.PI / 180;

export interface TestTree extends SearchTreeLike {
  origins: { lon: number; lat: number; accessSeconds: number; snap: Snap }[];
}

/** The routing core's search from points (as routing-service.searchFromMany does it), without a database. */
export function searchTree(graph: WalkGraph, index: EdgeIndex, points: [number, number][], speedKmh: number, maxSeconds: number): TestTree {
  const costScale = DEFAULT_SPEED_KMH / speedKmh;
  const origins = points.map(([lon, lat]) => {
    const snap = snapToEdge(graph, index, lon, lat);
    if (!snap) throw new Error(`(${lon}, ${lat}) does not snap`);
    return { lon, lat, snap, accessSeconds: accessCost(snap.distanceM) * costScale };
  });
  return withState(graph, (state) => {
    origins.forEach((o, i) => seedFromSnap(graph, state, o.snap, i, 'from'));
    runSearch(graph, state, maxSeconds / costScale, 'from');
    return { times: settledTimes(state, costScale), reached: state.order.slice(0, state.settledCount), costScale, origins };
  });
}

/** A reachable stretch: lon,lat pairs. */
export type Line = number[];

/** Every reachable stretch within T seconds, by brute force over all edges. */
export function reachableLines(graph: WalkGraph, tree: TestTree, T: number): Line[] {
  const lines: Line[] = [];
  const t = tree.times;
  for (let e = 0; e < graph.edgeCount; e++) {
    const c = graph.edgeCost[e]! >= 0 ? graph.edgeCost[e]! * tree.costScale : -1;
    const rc = graph.edgeReverseCost[e]! >= 0 ? graph.edgeReverseCost[e]! * tree.costScale : -1;
    const spans: [number, number][] = [];
    const tu = t[graph.edgeSource[e]!]!;
    const tv = t[graph.edgeTarget[e]!]!;
    if (c >= 0 && tu <= T) spans.push([0, c === 0 ? 1 : Math.min(1, (T - tu) / c)]);
    if (rc >= 0 && tv <= T) spans.push([rc === 0 ? 0 : Math.max(0, 1 - (T - tv) / rc), 1]);
    for (const o of tree.origins) {
      if (o.snap.edge !== e || o.accessSeconds > T) continue;
      const rem = T - o.accessSeconds;
      const f = o.snap.fraction;
      spans.push([rc < 0 ? f : rc === 0 ? 0 : Math.max(0, f - rem / rc), c < 0 ? f : c === 0 ? 1 : Math.min(1, f + rem / c)]);
    }
    if (spans.length === 0) continue;
    const from = graph.geomOffset[e]!;
    const to = graph.geomOffset[e + 1]!;
    const kx = Math.cos(graph.coords[2 * from + 1]! * RAD);
    const cum = [0];
    for (let k = from + 1; k < to; k++) {
      const dx = (graph.coords[2 * k]! - graph.coords[2 * k - 2]!) * kx;
      const dy = graph.coords[2 * k + 1]! - graph.coords[2 * k - 1]!;
      cum.push(cum[cum.length - 1]! + Math.hypot(dx, dy));
    }
    const total = cum[cum.length - 1]!;
    for (const [lo, hi] of spans) {
      if (hi < lo) continue;
      const line: Line = [];
      const at = (d: number) => {
        let i = 1;
        while (i < cum.length - 1 && cum[i]! < d) i++;
        const seg = cum[i]! - cum[i - 1]!;
        const f = seg > 0 ? Math.min(1, Math.max(0, (d - cum[i - 1]!) / seg)) : 0;
        const a = from + i - 1;
        line.push(graph.coords[2 * a]! + f * (graph.coords[2 * a + 2]! - graph.coords[2 * a]!));
        line.push(graph.coords[2 * a + 1]! + f * (graph.coords[2 * a + 3]! - graph.coords[2 * a + 1]!));
      };
      at(lo * total);
      for (let i = 1; i < cum.length - 1; i++) {
        if (cum[i]! > lo * total && cum[i]! < hi * total) line.push(graph.coords[2 * (from + i)]!, graph.coords[2 * (from + i) + 1]!);
      }
      at(hi * total);
      lines.push(line);
    }
  }
  for (const o of tree.origins) {
    const reach = o.accessSeconds > 0 ? Math.min(1, T / o.accessSeconds) : 1;
    lines.push([o.lon, o.lat, o.lon + reach * (o.snap.lon - o.lon), o.lat + reach * (o.snap.lat - o.lat)]);
  }
  return lines;
}

/** Points along the lines every stepM metres, plus every vertex and both ends. */
export function sampleLines(lines: Line[], stepM: number): number[] {
  const out: number[] = [];
  for (const line of lines) {
    const n = line.length / 2;
    for (let i = 0; i < n; i++) {
      const x1 = line[2 * i]!;
      const y1 = line[2 * i + 1]!;
      out.push(x1, y1);
      if (i + 1 === n) break;
      const x2 = line[2 * i + 2]!;
      const y2 = line[2 * i + 3]!;
      const count = Math.floor(distanceM(x1, y1, x2, y2) / stepM);
      for (let k = 1; k <= count; k++) out.push(x1 + ((x2 - x1) * k) / (count + 1), y1 + ((y2 - y1) * k) / (count + 1));
    }
  }
  return out;
}

/** Metres between two nearby points (local plane at their mean latitude). */
export function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const kx = Math.cos(((lat1 + lat2) / 2) * RAD);
  return Math.hypot((lon2 - lon1) * kx, lat2 - lat1) * M_PER_DEG;
}

/** Metres from p to segment a-b, in a plane centred on p. */
export function segmentDistanceM(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const kx = Math.cos(py * RAD) * M_PER_DEG;
  const ky = M_PER_DEG;
  const x1 = (ax - px) * kx;
  const y1 = (ay - py) * ky;
  const x2 = (bx - px) * kx;
  const y2 = (by - py) * ky;
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len2 = dx * dx + dy * dy;
  let f = len2 > 0 ? -(x1 * dx + y1 * dy) / len2 : 0;
  f = Math.max(0, Math.min(1, f));
  return Math.hypot(x1 + f * dx, y1 + f * dy);
}

/** Nearest-segment queries over lon/lat segments, bucketed on a grid of about cellM metres. */
export class SegmentIndex {
  private readonly buckets = new Map<number, number[]>();
  private readonly segs: number[] = [];
  private readonly dLon: number;
  private readonly dLat: number;

  constructor(lines: Line[], lat0: number, private readonly cellM = 25) {
    this.dLat = cellM / M_PER_DEG;
    this.dLon = this.dLat / Math.cos(lat0 * RAD);
    for (const line of lines) {
      const n = line.length / 2;
      for (let i = 0; i === 0 || i + 1 < n; i++) {
        const ax = line[2 * i]!;
        const ay = line[2 * i + 1]!;
        const bx = n > 1 ? line[2 * i + 2]! : ax;
        const by = n > 1 ? line[2 * i + 3]! : ay;
        const s = this.segs.length / 4;
        this.segs.push(ax, ay, bx, by);
        for (let cx = Math.floor(Math.min(ax, bx) / this.dLon); cx <= Math.floor(Math.max(ax, bx) / this.dLon); cx++) {
          for (let cy = Math.floor(Math.min(ay, by) / this.dLat); cy <= Math.floor(Math.max(ay, by) / this.dLat); cy++) {
            const key = cx * 1e7 + cy;
            let list = this.buckets.get(key);
            if (!list) this.buckets.set(key, (list = []));
            list.push(s);
          }
        }
      }
    }
  }

  /** Metres to the nearest segment within maxM, Infinity when none is that close. */
  nearestM(lon: number, lat: number, maxM: number): number {
    return this.nearest(lon, lat, maxM)[2];
  }

  /** The nearest point [lon, lat, metres] on a segment within maxM ([NaN, NaN, Infinity] when none). */
  nearest(lon: number, lat: number, maxM: number): [number, number, number] {
    const reach = Math.ceil(maxM / this.cellM) + 1;
    const cx0 = Math.floor(lon / this.dLon);
    const cy0 = Math.floor(lat / this.dLat);
    let best = Infinity;
    let bestSeg = -1;
    for (let cx = cx0 - reach; cx <= cx0 + reach; cx++) {
      for (let cy = cy0 - reach; cy <= cy0 + reach; cy++) {
        const list = this.buckets.get(cx * 1e7 + cy);
        if (!list) continue;
        for (const s of list) {
          const d = segmentDistanceM(lon, lat, this.segs[4 * s]!, this.segs[4 * s + 1]!, this.segs[4 * s + 2]!, this.segs[4 * s + 3]!);
          if (d < best) {
            best = d;
            bestSeg = s;
          }
        }
      }
    }
    if (!(best <= maxM)) return [NaN, NaN, Infinity];
    const [ax, ay, bx, by] = [this.segs[4 * bestSeg]!, this.segs[4 * bestSeg + 1]!, this.segs[4 * bestSeg + 2]!, this.segs[4 * bestSeg + 3]!];
    const kx = Math.cos(lat * RAD);
    const dx = (bx - ax) * kx;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const f = len2 > 0 ? Math.max(0, Math.min(1, ((lon - ax) * kx * dx + (lat - ay) * dy) / len2)) : 0;
    return [ax + f * (bx - ax), ay + f * (by - ay), best];
  }
}

/** Point-in-polygon for a (Multi)Polygon by ray crossing, with edges bucketed in latitude bands. */
export class PolygonIndex {
  readonly edges: number[] = [];
  private readonly bands: number[][];
  private readonly lat0: number;
  private readonly bandDeg: number;
  readonly bbox: [number, number, number, number];
  readonly outline: SegmentIndex;

  constructor(readonly geometry: IsochroneGeometry) {
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    let minLon = Infinity;
    let minLat = Infinity;
    let maxLon = -Infinity;
    let maxLat = -Infinity;
    const lines: Line[] = [];
    for (const rings of polygons) {
      for (const ring of rings) {
        const line: Line = [];
        for (let i = 0; i + 1 < ring.length; i++) {
          const [ax, ay] = ring[i]!;
          const [bx, by] = ring[i + 1]!;
          this.edges.push(ax, ay, bx, by);
          minLon = Math.min(minLon, ax);
          maxLon = Math.max(maxLon, ax);
          minLat = Math.min(minLat, ay);
          maxLat = Math.max(maxLat, ay);
          line.push(ax, ay);
        }
        line.push(ring[ring.length - 1]![0], ring[ring.length - 1]![1]);
        lines.push(line);
      }
    }
    this.bbox = [minLon, minLat, maxLon, maxLat];
    const count = Math.max(1, Math.ceil(Math.sqrt(this.edges.length / 4)));
    this.lat0 = minLat;
    this.bandDeg = Math.max((maxLat - minLat) / count, 1e-9);
    this.bands = Array.from({ length: count + 1 }, () => []);
    for (let e = 0; e < this.edges.length / 4; e++) {
      const y1 = this.edges[4 * e + 1]!;
      const y2 = this.edges[4 * e + 3]!;
      const b0 = this.band(Math.min(y1, y2));
      const b1 = this.band(Math.max(y1, y2));
      for (let b = b0; b <= b1; b++) this.bands[b]!.push(e);
    }
    this.outline = new SegmentIndex(lines, (minLat + maxLat) / 2, 10);
  }

  private band(lat: number): number {
    return Math.min(this.bands.length - 1, Math.max(0, Math.floor((lat - this.lat0) / this.bandDeg)));
  }

  /** Strictly by ray parity: points on the outline may go either way. */
  contains(lon: number, lat: number): boolean {
    const [minLon, minLat, maxLon, maxLat] = this.bbox;
    if (lon < minLon || lon > maxLon || lat < minLat || lat > maxLat) return false;
    let inside = false;
    for (const e of this.bands[this.band(lat)]!) {
      const ax = this.edges[4 * e]!;
      const ay = this.edges[4 * e + 1]!;
      const bx = this.edges[4 * e + 2]!;
      const by = this.edges[4 * e + 3]!;
      if (ay > lat !== by > lat && lon < ax + ((lat - ay) * (bx - ax)) / (by - ay)) inside = !inside;
    }
    return inside;
  }

  /** True when segment a-b has a point inside the polygon or on its outline. */
  touchesSegment(ax: number, ay: number, bx: number, by: number): boolean {
    if (this.contains(ax, ay) || this.contains(bx, by)) return true;
    const b0 = this.band(Math.min(ay, by));
    const b1 = this.band(Math.max(ay, by));
    for (let b = b0; b <= b1; b++) {
      for (const e of this.bands[b]!) {
        if (crosses(ax, ay, bx, by, this.edges[4 * e]!, this.edges[4 * e + 1]!, this.edges[4 * e + 2]!, this.edges[4 * e + 3]!)) return true;
      }
    }
    return false;
  }

  /** Inside, or within toleranceM of the outline. */
  covers(lon: number, lat: number, toleranceM: number): boolean {
    return this.contains(lon, lat) || this.outline.nearestM(lon, lat, toleranceM) <= toleranceM;
  }

  /** Vertices and points along the outline every stepM metres. */
  outlineSamples(stepM: number): number[] {
    const out: number[] = [];
    for (let e = 0; e < this.edges.length / 4; e++) {
      const [ax, ay, bx, by] = [this.edges[4 * e]!, this.edges[4 * e + 1]!, this.edges[4 * e + 2]!, this.edges[4 * e + 3]!];
      const n = Math.floor(distanceM(ax, ay, bx, by) / stepM);
      for (let k = 0; k <= n; k++) out.push(ax + ((bx - ax) * k) / (n + 1), ay + ((by - ay) * k) / (n + 1));
    }
    return out;
  }

  /** Grid points inside the polygon, every stepM metres. */
  interiorSamples(stepM: number): number[] {
    const [minLon, minLat, maxLon, maxLat] = this.bbox;
    const dLat = stepM / M_PER_DEG;
    const dLon = dLat / Math.cos(((minLat + maxLat) / 2) * RAD);
    const out: number[] = [];
    for (let lat = minLat + dLat / 2; lat < maxLat; lat += dLat) {
      for (let lon = minLon + dLon / 2; lon < maxLon; lon += dLon) if (this.contains(lon, lat)) out.push(lon, lat);
    }
    return out;
  }

  /** Area in square metres (shoelace in a plane at the box's middle latitude). */
  areaM2(): number {
    const kx = Math.cos(((this.bbox[1] + this.bbox[3]) / 2) * RAD) * M_PER_DEG;
    let sum = 0;
    for (let e = 0; e < this.edges.length / 4; e++) {
      const [ax, ay, bx, by] = [this.edges[4 * e]!, this.edges[4 * e + 1]!, this.edges[4 * e + 2]!, this.edges[4 * e + 3]!];
      sum += (ax - bx) * kx * (ay + by) * M_PER_DEG;
    }
    return sum / 2;
  }
}

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
}

/** Closed segments a-b and c-d share a point (collinear overlaps count). */
function crosses(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): boolean {
  const o1 = orient(ax, ay, bx, by, cx, cy);
  const o2 = orient(ax, ay, bx, by, dx, dy);
  const o3 = orient(cx, cy, dx, dy, ax, ay);
  const o4 = orient(cx, cy, dx, dy, bx, by);
  if (o1 !== o2 && o3 !== o4) return true;
  const within = (px: number, py: number, qx: number, qy: number, rx: number, ry: number) =>
    Math.min(px, qx) <= rx && rx <= Math.max(px, qx) && Math.min(py, qy) <= ry && ry <= Math.max(py, qy);
  return (
    (o1 === 0 && within(ax, ay, bx, by, cx, cy)) ||
    (o2 === 0 && within(ax, ay, bx, by, dx, dy)) ||
    (o3 === 0 && within(cx, cy, dx, dy, ax, ay)) ||
    (o4 === 0 && within(cx, cy, dx, dy, bx, by))
  );
}

export interface ContourUnderTest {
  minutes: number;
  geometry: IsochroneGeometry;
}

export interface PropertyReport {
  /** Reachable sample points checked, and those outside their contour (with the first few). */
  coverageChecked: number;
  coverageMisses: number;
  coverageExamples: [number, number, number][];
  /** Polygon sample points checked, and the largest distance to reachable network seen. */
  bufferChecked: number;
  bufferWorstM: number;
  bufferWorstAt: [number, number] | null;
  /** Inner-contour points checked against the next contour, and those not covered. */
  nestingChecked: number;
  nestingMisses: number;
  /** Areas by contour (from the polygons), ascending minutes. */
  areasM2: number[];
}

/**
 * Checks the three isochrone properties for contours of one tree. `toleranceM`
 * is the allowance for generalization on coverage and buffer (0 for exact
 * polygons), `nestingToleranceM` on nesting (default: toleranceM; points on
 * the outer outline count as inside); `stepM` the sampling step.
 */
export function checkIsochrone(
  graph: WalkGraph,
  tree: TestTree,
  contours: ContourUnderTest[],
  options: { bufferM: number; toleranceM?: number; nestingToleranceM?: number; stepM?: number; interiorStepM?: number },
): PropertyReport {
  const tol = options.toleranceM ?? 0;
  const nestingTol = Math.max(options.nestingToleranceM ?? tol, 0.02);
  const step = options.stepM ?? 3;
  const interiorStep = options.interiorStepM ?? 6;
  const sorted = [...contours].sort((a, b) => a.minutes - b.minutes);
  const report: PropertyReport = {
    coverageChecked: 0,
    coverageMisses: 0,
    coverageExamples: [],
    bufferChecked: 0,
    bufferWorstM: 0,
    bufferWorstAt: null,
    nestingChecked: 0,
    nestingMisses: 0,
    areasM2: [],
  };
  const indexes = sorted.map((c) => new PolygonIndex(c.geometry));
  sorted.forEach((contour, k) => {
    const polygon = indexes[k]!;
    report.areasM2.push(polygon.areaM2());
    const lines = reachableLines(graph, tree, contour.minutes * 60);
    // Coverage: every reachable sample inside (or, when generalized, within tol of the outline).
    const samples = sampleLines(lines, step);
    for (let i = 0; i < samples.length; i += 2) {
      report.coverageChecked++;
      const ok = tol > 0 ? polygon.covers(samples[i]!, samples[i + 1]!, tol) : polygon.contains(samples[i]!, samples[i + 1]!);
      if (!ok) {
        report.coverageMisses++;
        if (report.coverageExamples.length < 5) report.coverageExamples.push([contour.minutes, samples[i]!, samples[i + 1]!]);
      }
    }
    // Buffer: outline and interior samples near reachable network.
    if (polygon.edges.length === 0) return;
    const network = new SegmentIndex(lines, (polygon.bbox[1] + polygon.bbox[3]) / 2);
    const limit = options.bufferM + tol + 50;
    const points = [...polygon.outlineSamples(step), ...polygon.interiorSamples(interiorStep)];
    for (let i = 0; i < points.length; i += 2) {
      report.bufferChecked++;
      const d = network.nearestM(points[i]!, points[i + 1]!, limit);
      if (d > report.bufferWorstM) {
        report.bufferWorstM = d;
        report.bufferWorstAt = [points[i]!, points[i + 1]!];
      }
    }
    // Nesting: this contour inside the next larger one.
    if (k > 0) {
      const inner = indexes[k - 1]!;
      const innerPoints = [...inner.outlineSamples(step * 4), ...inner.interiorSamples(interiorStep * 2)];
      for (let i = 0; i < innerPoints.length; i += 2) {
        report.nestingChecked++;
        if (!polygon.covers(innerPoints[i]!, innerPoints[i + 1]!, nestingTol)) report.nestingMisses++;
      }
    }
  });
  return report;
}
