/**
 * Isochrone polygons from a shortest-path tree: several contours in one call,
 * each the set of points near enough to the network reachable within its
 * time. The search is the caller's (one search to the largest limit); this
 * module only turns the tree into polygons, in stages of their own files:
 *
 *   reachable-segments  tree -> reachable network as plane segments, each
 *                       tagged with the first contour that reaches it
 *   distance-field      per lattice sample, the distance to the segments of
 *                       levels <= k, clamped to a band around r, in a byte
 *   trace-contours      where the field, linear over triangles, crosses r ->
 *                       rings with holes (valid, RFC 7946 winding)
 *   simplify-rings      optional generalization
 *   isochrone-geojson   rings (1e-7 degree integers) -> GeoJSON objects or text
 *
 * The guarantees, for buffer B (bufferM): coverage, every point of the network
 * reachable within a contour's time is inside its polygon; buffer, every
 * polygon point is within B of that reachable network on the ground, so
 * whatever is farther (the far bank of a river with no bridge in reach) stays
 * out; nesting, each contour lies inside the next larger one. With
 * generalization g (generalizeM) each holds to within g, and coverage and
 * buffer stay exact up to g of nearly B/2. `rasterPlan` picks the cell side
 * and contour distance r that make them hold; the proof, term by term, is in
 * docs/architecture.md, "The isochrone construction and its proof". When the
 * area would need more than `maxCells` cells even at the largest admissible
 * cell, IsochroneExtentError says how to ask again.
 */
import { AreaTooLarge } from '../../domain-errors.ts';
import type { WalkGraph } from '../graph/walk-graph.ts';
import { bandEnds, emptyField, gridAround, gridCellCount, markSegments, segmentsByLevel, THRESHOLD, type CellGrid, type FieldBand } from './distance-field.ts';
import { localProjection, relativeError, toLat, type LocalProjection } from '../../../kernel/geo.ts';
import { reachableSegments, MAX_LEVELS, type ReachTree } from './reachable-segments.ts';
import { simplifyPolygons } from './simplify-rings.ts';
import { traceContour, type CellWindow, type PlanePolygon } from './trace-contours.ts';
import { geometryOf, type E7Ring, type IsochroneGeometry } from './isochrone-geojson.ts';
import type { IsochroneScratch } from './isochrone-scratch.ts';

export const defaultIsochroneOptions = {
  /** Contours, minutes. */
  minutes: [5, 10, 15] as readonly number[],
  /** No polygon point is farther than this from reachable network, metres. */
  bufferM: 40,
  /** Generalization, metres: simplified outlines keep every property to within this; 0 = the traced outline. */
  generalizeM: 0,
  /**
   * Cells per buffer width: finer hugs the network more closely and costs more. At 3 the
   * outline's slack (inner + outer, 1.13 cells = 0.38 B) is what the cell outlines of
   * before had at 4 (1.54 cells = 0.385 B), on 0.56 times the samples.
   */
  cellsPerBuffer: 3,
  /** Raster size cap (bytes of level memory; marking and tracing each add as much again); larger areas get larger cells. */
  maxCells: 16_000_000,
};

export type IsochroneOptions = typeof defaultIsochroneOptions;

/**
 * The field's band below r, in half cell diagonals: the coverage slack is
 * BELOW - sqrt(BELOW^2 - 1) half diagonals (docs/architecture.md), the cost a
 * wider band of distances to compute.
 */
const BELOW = 1.25;
/** Outline crossings are kept this share of the cell side from lattice samples, and at least MIN_SNAP_M. */
const SNAP = 1 / 32;
/** Distinct outline pieces stay snap/2 apart, so at least 5 cm: over twice the 1.2 cm rounding moves a vertex. */
const MIN_SNAP_M = 0.1;
/** Output coordinates are rounded to 1e-7 degrees: at most 1.2 cm. */
const ROUND = 1e7;
const ROUNDING_M = 0.012;

/** The area asked for is too large for the buffer: more cells than allowed even at the coarsest admissible cell. */
export class IsochroneExtentError extends AreaTooLarge {}

export type { IsochroneGeometry, Position, E7Ring } from './isochrone-geojson.ts';

export interface IsochroneContour {
  minutes: number;
  /** Polygons (outer ring counter-clockwise, then clockwise holes) in integers of 1e-7 degrees. */
  polygons: E7Ring[][];
  /** The polygons as GeoJSON: Polygon for one piece, else MultiPolygon (empty when nothing is reachable); built on first read. */
  readonly geometry: IsochroneGeometry;
  /** Metres of walkable line reachable within the time, access legs included. */
  reachableM: number;
  /** Area of the polygons, square metres. */
  areaM2: number;
}

/** A contour whose GeoJSON objects are only made when someone reads them (the API writes text). */
class Contour implements IsochroneContour {
  private cached: IsochroneGeometry | undefined;
  constructor(
    readonly minutes: number,
    readonly polygons: E7Ring[][],
    readonly reachableM: number,
    readonly areaM2: number,
  ) {}

  get geometry(): IsochroneGeometry {
    return (this.cached ??= geometryOf(this.polygons));
  }
}

export interface IsochroneResult {
  /** One per distinct minutes value, ascending. */
  contours: IsochroneContour[];
  /** How the polygons were made, for the response and for tests. */
  method: {
    bufferM: number;
    generalizeM: number;
    /** Douglas-Peucker tolerance used (generalizeM / 2). */
    simplifyToleranceM: number;
    /** The part of it absorbed into the marking radius: coverage and buffer exact when it is all of it. */
    absorbedToleranceM: number;
    cellSizeM: number;
    markRadiusM: number;
    cells: number;
  };
}

/** Minimal shape of a routing-service ShortestPathTree, adapted to the isochrone's ReachTree. */
export interface SearchTreeLike {
  times: Float64Array;
  reached?: Uint32Array;
  costScale: number;
  origins: readonly { lon: number; lat: number; accessSeconds: number; snap: { edge: number; fraction: number } }[];
}

/** The routing service's tree as the isochrone reads it. */
export function reachTreeOf(tree: SearchTreeLike): ReachTree {
  return {
    nodeSeconds: tree.times,
    reached: tree.reached,
    costScale: tree.costScale,
    origins: tree.origins.map((o) => ({ lon: o.lon, lat: o.lat, edge: o.snap.edge, fraction: o.snap.fraction, accessSeconds: o.accessSeconds })),
  };
}

/**
 * How far the traced outline can be from the level set of the true distance,
 * for cell side s: `outer` beyond r (half a cell diagonal h, the most the
 * linear interpolant of a 1-Lipschitz field over a right triangle with legs s
 * can fall short of it, plus half a code), `inner` within r (the interpolant
 * of a distance to a convex set exceeds it by at most sqrt(d^2 + h^2) - d,
 * with the band clamped at r - BELOW h), and the snap of crossings on top of
 * both. The codes: 127.5 steps span BELOW h below r and 1.012 h above it.
 */
function slackFor(cellSizeM: number) {
  const h = (cellSizeM * Math.SQRT2) / 2;
  const below = (BELOW * h) / 127;
  const above = h / 126;
  const halfCode = Math.max(below, above) / 2;
  // r - lo, less half a code: the clamp's depth the coverage bound can use.
  const depth = THRESHOLD * below - halfCode;
  const snap = Math.max(SNAP * cellSizeM, MIN_SNAP_M);
  return {
    below,
    above,
    snap,
    inner: depth - Math.sqrt(depth * depth - h * h) + halfCode + snap,
    outer: h + halfCode + snap,
  };
}

/**
 * Cell side, contour distance r and field band for a buffer, a
 * simplification tolerance, the plane's error and the chord tolerance of the
 * marked segments (docs/architecture.md proves the properties from:
 * r >= inner + absorbed + error + chord for coverage, r + outer + chord +
 * absorbed + error <= buffer); null when the cell is too large for the buffer.
 */
export function rasterPlan(bufferM: number, toleranceM: number, errorM: number, cellSizeM: number, chordM = 0) {
  const { below, above, snap, inner, outer } = slackFor(cellSizeM);
  const room = bufferM - 2 * errorM - inner - outer - 2 * chordM;
  if (room < 0) return null;
  const absorbed = Math.min(toleranceM, room / 2);
  const radius = bufferM - outer - absorbed - errorM - chordM;
  const band: FieldBand = { r: radius, below, above };
  return { cellSize: cellSizeM, snap, absorbed, radius, band, inner, outer, farM: bandEnds(band).hi };
}

/**
 * Isochrone polygons of `tree` for each of `minutes` (any order; deduplicated
 * and sorted ascending). The tree must reach at least the largest limit. A
 * scratch (isochrone-scratch.ts) lends the big buffers, so repeated builds
 * make little garbage; the result never refers to it.
 */
export function buildIsochrones(
  graph: WalkGraph,
  tree: ReachTree,
  options: Partial<IsochroneOptions> = {},
  scratch?: IsochroneScratch,
): IsochroneResult {
  const opts = { ...defaultIsochroneOptions, ...options };
  const minutes = [...new Set(opts.minutes)].sort((a, b) => a - b);
  if (minutes.length < 1 || minutes.length > MAX_LEVELS) throw new RangeError(`between 1 and ${MAX_LEVELS} contours`);
  if (!(minutes[0]! > 0)) throw new RangeError('minutes must be above 0');
  const B = opts.bufferM;
  if (!(B > 0)) throw new RangeError('bufferM must be above 0');
  const g = Math.max(0, opts.generalizeM);
  const tolerance = g / 2;
  const limits = Float64Array.from(minutes, (m) => m * 60);

  const proj = centredProjection(tree);
  // Chords within a quarter cell of the network: fewer segments to mark (taken off the radius).
  let chordM = B / opts.cellsPerBuffer / 4;
  let segments = reachableSegments(graph, tree, limits, proj, chordM, scratch);
  const K = minutes.length;
  const top = 4 * (K - 1);
  const [minX, minY, maxX, maxY] = [segments.bbox[top]!, segments.bbox[top + 1]!, segments.bbox[top + 2]!, segments.bbox[top + 3]!];

  if (segments.count === 0) {
    const contours = minutes.map((m) => new Contour(m, [], 0, 0));
    return {
      contours,
      method: { bufferM: B, generalizeM: g, simplifyToleranceM: tolerance, absorbedToleranceM: 0, cellSizeM: 0, markRadiusM: 0, cells: 0 },
    };
  }

  // Plane error over the area, on distances up to a buffer and a cell.
  const latLo = toLat(proj, minY - 2 * B);
  const latHi = toLat(proj, maxY + 2 * B);
  const errorFor = (s: number) => (B + s) * relativeError(proj, latLo, latHi) + ROUNDING_M;

  let cellSize = B / opts.cellsPerBuffer;
  for (let i = 0; i < 64; i++) {
    const count = gridCellCount(minX, minY, maxX, maxY, B, cellSize);
    if (count <= opts.maxCells) break;
    cellSize *= Math.sqrt(count / opts.maxCells) * 1.01;
  }
  let plan = rasterPlan(B, tolerance, errorFor(cellSize), cellSize, chordM);
  if (!plan && chordM > 0) {
    // Large cells leave no room for chords: mark the network's own segments.
    chordM = 0;
    segments = reachableSegments(graph, tree, limits, proj, 0, scratch);
    plan = rasterPlan(B, tolerance, errorFor(cellSize), cellSize, 0);
  }
  if (!plan) {
    const side = Math.max(maxX - minX, maxY - minY);
    const slack = slackFor(cellSize);
    const minBuffer = Math.ceil((slack.inner + slack.outer + 2 * errorFor(cellSize)) * 1.05);
    throw new IsochroneExtentError(
      `the reachable area (${Math.round(side / 1000)} km across) is too large for buffer_m=${B}: use buffer_m of at least ${minBuffer}, or ask for a smaller area (fewer minutes or origins)`,
      minBuffer,
    );
  }

  // The field holds levels 0..k when contour k is traced: mark a level, trace its contour, go on.
  const field = emptyField(gridAround(minX, minY, maxX, maxY, plan.farM, plan.cellSize), scratch);
  const { order, start } = segmentsByLevel(segments, K);
  const contours: IsochroneContour[] = [];
  for (let k = 0; k < K; k++) {
    markSegments(field, plan.band, segments, order, start[k]!, start[k + 1]!, scratch);
    const window = cellWindow(field, segments.bbox, k, plan.farM);
    let polygons: PlanePolygon[] = window ? traceContour(field, plan.band, plan.snap, window, scratch) : [];
    if (tolerance > 0 && polygons.length > 0) polygons = simplifyPolygons(polygons, tolerance, plan.cellSize / 8);
    const { rings, areaM2 } = toE7(polygons, proj);
    contours.push(new Contour(minutes[k]!, rings, segments.lengthM[k]!, areaM2));
  }
  scratch?.keepSegments(segments.xy, segments.level);
  return {
    contours,
    method: {
      bufferM: B,
      generalizeM: g,
      simplifyToleranceM: tolerance,
      absorbedToleranceM: plan.absorbed,
      cellSizeM: plan.cellSize,
      markRadiusM: plan.radius,
      cells: field.codes.length,
    },
  };
}

/** Projection centred on the origins (the middle of their box). */
function centredProjection(tree: ReachTree): LocalProjection {
  const origins = tree.origins;
  if (origins.length === 0) throw new RangeError('the tree has no origins');
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const o of origins) {
    minLon = Math.min(minLon, o.lon);
    maxLon = Math.max(maxLon, o.lon);
    minLat = Math.min(minLat, o.lat);
    maxLat = Math.max(maxLat, o.lat);
  }
  return localProjection((minLon + maxLon) / 2, (minLat + maxLat) / 2);
}

/** Samples that contour k can have inside: its segments' box grown by the field's reach and a cell. */
function cellWindow(grid: CellGrid, bbox: Float64Array, k: number, reach: number): CellWindow | null {
  const o = 4 * k;
  if (!(bbox[o]! <= bbox[o + 2]!)) return null;
  const { x0, y0, cellSize: s } = grid;
  return {
    i0: Math.floor((bbox[o]! - reach - x0) / s) - 1,
    j0: Math.floor((bbox[o + 1]! - reach - y0) / s) - 1,
    i1: Math.ceil((bbox[o + 2]! + reach - x0) / s) + 1,
    j1: Math.ceil((bbox[o + 3]! + reach - y0) / s) + 1,
  };
}

/**
 * Plane polygons to lon/lat rings in integers of 1e-7 degrees (at most 1.2 cm
 * off), and their area in the plane (square metres), in one pass over the
 * vertices. The rings are views of one array per contour (one allocation,
 * not one per ring).
 */
function toE7(polygons: PlanePolygon[], proj: LocalProjection): { rings: E7Ring[][]; areaM2: number } {
  const { lon0, lat0, kx, ky } = proj;
  const ex = ROUND / kx;
  const ey = ROUND / ky;
  const ox = lon0 * ROUND;
  const oy = lat0 * ROUND;
  let total = 0;
  for (const polygon of polygons) for (const ring of polygon) total += ring.length;
  const all = new Int32Array(total);
  let o = 0;
  // Twice the signed area, as ringArea sums it: counter-clockwise positive.
  let twice = 0;
  const rings: E7Ring[][] = [];
  for (const polygon of polygons) {
    const out: E7Ring[] = [];
    for (const ring of polygon) {
      const n = ring.length;
      let px = ring[n - 2]!;
      let py = ring[n - 1]!;
      for (let i = 0; i < n; i += 2) {
        const x = ring[i]!;
        const y = ring[i + 1]!;
        twice += (px - x) * (py + y);
        px = x;
        py = y;
        all[o + i] = roundHalfUp(ox + x * ex);
        all[o + i + 1] = roundHalfUp(oy + y * ey);
      }
      out.push(all.subarray(o, o + n));
      o += n;
    }
    rings.push(out);
  }
  return { rings, areaM2: twice / 2 };
}

/**
 * Math.round(v) for |v| < 2^52: v - floor(v) is exact there, so this is the
 * same integer. Math.round itself took 3x as long in toE7 (V8 11.3, Node 20).
 */
export function roundHalfUp(v: number): number {
  const f = Math.floor(v);
  return f + +(v - f >= 0.5);
}

export { isochroneFeatureCollection, isochroneGeoJsonText } from './isochrone-geojson.ts';
