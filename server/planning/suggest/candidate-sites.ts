/**
 * Candidate sites: the places a new center could go, each a point and its
 * snap onto the walk network (the access leg counts, as for any center).
 *
 * Given candidates are snapped as a scenario snaps an added center
 * (snapOrigin: OutsideData or OffNetwork naming `candidates[i]`).
 *
 * Generated candidates follow one rule, "one street point per square of
 * `spacingM` (100 m) that some uncovered household can walk to within the
 * threshold":
 *   1. One forward search from every demand unit at once (their access legs
 *      and partial edges included) gives each node the time from the nearest
 *      uncovered unit.
 *   2. Every walkable edge is sampled every SAMPLE_M metres of its length; a
 *      sample is kept when an uncovered unit reaches it within the threshold
 *      (through either end of the edge, or along the edge itself).
 *   3. The plane is cut into squares of `spacingM`; in each square the kept
 *      sample nearest its centre is the candidate (ties: the first edge).
 *      Should that give more than MAX_GENERATED candidates (a city far
 *      larger than the demo), the squares grow by half until it does not.
 *   4. The point is rounded to 1e-7 degrees and snapped like any center, so
 *      a center later put at the reported (lon, lat) joins the network
 *      exactly where the suggestion assumed.
 * Why squares and not "every 100 m along each edge": most streets are
 * shorter than 100 m (64 m on average in the demo city), so spacing along
 * edges gives about one candidate per edge; squares bound the count by the
 * area the uncovered households reach, and no street point of it is more
 * than a square's diagonal from a candidate. Candidates whose coverage set
 * turns out empty are dropped later (coverage-sets.ts).
 */
import { accessCost, alongEdgeCost } from '../../routing/search/partial-edge.ts';
import { runSearch, seedAtEdgePoint } from '../../routing/search/bounded-search.ts';
import { withState, type SearchScratch } from '../../routing/search/search-state.ts';
import { snapToEdge, MAX_SNAP_DISTANCE_M } from '../../routing/search/snap.ts';
import { snapOrigin } from '../../routing/snap-origin.ts';
import type { EdgeIndex } from '../../routing/graph/edge-index.ts';
import type { WalkGraph } from '../../routing/graph/walk-graph.ts';
import type { LinkedUnits } from '../../coverage/household-coverage.ts';
import { GrowableArray } from '../../../kernel/growable-array.ts';
import type { Demand } from './demand.ts';
import type { CandidatePoints } from './suggest-options.ts';

/** Distance between samples along an edge, metres: a tenth of the default square. */
const SAMPLE_M = 10;
/** Most candidates generated: beyond it the squares grow (coverage sets cost one search per candidate). */
export const MAX_GENERATED = 50_000;
/** Output coordinates are rounded to this many degrees (as isochrone rings are). */
const COORD_STEP = 1e-7;

/** Candidates as columns; count, edge, fraction and distanceM make them SnapColumns (centers). */
export interface CandidateSites {
  count: number;
  /** Where a center would be put (as given, or the generated street point). */
  lon: Float64Array;
  lat: Float64Array;
  /** Where it joins the network; edge -1 never occurs (off-network points are errors). */
  edge: Int32Array;
  fraction: Float64Array;
  distanceM: Float32Array;
  /** The snapped street point. */
  streetLon: Float64Array;
  streetLat: Float64Array;
}

export interface CandidateRule {
  generated: boolean;
  /** The rule in words, with its parameters. */
  rule: string;
  spacingM: number | null;
  /** Edge samples kept in step 2 (generated only). spacingM is the square side used. */
  samples: number;
}

function emptySites(count: number): CandidateSites {
  return {
    count,
    lon: new Float64Array(count),
    lat: new Float64Array(count),
    edge: new Int32Array(count),
    fraction: new Float64Array(count),
    distanceM: new Float32Array(count),
    streetLon: new Float64Array(count),
    streetLat: new Float64Array(count),
  };
}

/** Snaps the given candidates (throws OutsideData / OffNetwork naming `candidates[i]`). */
export function givenCandidates(graph: WalkGraph, index: EdgeIndex, points: CandidatePoints): { sites: CandidateSites; rule: CandidateRule } {
  const sites = emptySites(points.lon.length);
  for (let i = 0; i < sites.count; i++) {
    const { snap } = snapOrigin(graph, index, points.lon[i]!, points.lat[i]!, undefined, `candidates[${i}]`);
    sites.lon[i] = points.lon[i]!;
    sites.lat[i] = points.lat[i]!;
    sites.edge[i] = snap.edge;
    sites.fraction[i] = snap.fraction;
    sites.distanceM[i] = snap.distanceM;
    sites.streetLon[i] = snap.lon;
    sites.streetLat[i] = snap.lat;
  }
  return { sites, rule: { generated: false, rule: 'as given, each snapped to the nearest walkable edge', spacingM: null, samples: 0 } };
}

/**
 * Time from the nearest demand unit to each node (one forward search from
 * all of them, access legs and partial edges included), Infinity beyond
 * `limit`. Step 1 of the rule; the coverage sets' searches use it too, to
 * skip nodes no uncovered household can walk through in time.
 */
export function demandReach(graph: WalkGraph, units: LinkedUnits, demand: Demand, limit: number, scratch?: SearchScratch): Float64Array {
  return withState(
    graph,
    (state) => {
      const { snaps } = units;
      for (let d = 0; d < demand.count; d++) {
        const i = demand.unit[d]!;
        seedAtEdgePoint(graph, state, snaps.edge[i]!, snaps.fraction[i]!, snaps.distanceM[i]!, d, 'from');
      }
      runSearch(graph, state, limit, 'from');
      const time = new Float64Array(graph.nodeCount).fill(Infinity);
      for (let k = 0; k < state.settledCount; k++) time[state.order[k]!] = state.dist[state.order[k]!]!;
      return time;
    },
    scratch,
  );
}

/**
 * Generates candidates by the rule of the module header, for demand units
 * to reach within `limit` graph units.
 */
export function generateCandidates(
  graph: WalkGraph,
  index: EdgeIndex,
  units: LinkedUnits,
  demand: Demand,
  limit: number,
  spacingM: number,
  scratch?: SearchScratch,
  maxCount = MAX_GENERATED,
  reach = demandReach(graph, units, demand, limit, scratch),
): { sites: CandidateSites; rule: CandidateRule } {
  const { kx, ky } = index;
  const coords = graph.coords;
  // Step 2's samples, as plane coordinates of the index's projection.
  const samples = new GrowableArray(new Float64Array(1 << 16));
  const offer = (lon: number, lat: number) => samples.push2((lon - index.lon0) * kx, (lat - index.lat0) * ky);

  for (let e = 0; e < graph.edgeCount; e++) {
    const forward = graph.edgeCost[e]!;
    const backward = graph.edgeReverseCost[e]!;
    if (forward < 0 && backward < 0) continue;
    const tSource = reach[graph.edgeSource[e]!]!;
    const tTarget = reach[graph.edgeTarget[e]!]!;
    const onEdgeFrom = demandOnEdge(units, demand, e);
    if (tSource > limit && tTarget > limit && onEdgeFrom.length === 0) continue;
    // Planar length of the edge's polyline, as snapping measures fractions.
    const first = graph.geomOffset[e]!;
    const last = graph.geomOffset[e + 1]! - 1;
    let total = 0;
    for (let k = first; k < last; k++) total += Math.hypot((coords[2 * k + 2]! - coords[2 * k]!) * kx, (coords[2 * k + 3]! - coords[2 * k + 1]!) * ky);
    const n = Math.max(1, Math.ceil(total / SAMPLE_M));
    let k = first;
    let before = 0;
    let segment = last > first ? Math.hypot((coords[2 * k + 2]! - coords[2 * k]!) * kx, (coords[2 * k + 3]! - coords[2 * k + 1]!) * ky) : 0;
    for (let j = 0; j < n; j++) {
      const f = (j + 0.5) / n;
      let t = Math.min(forward >= 0 ? tSource + forward * f : Infinity, backward >= 0 ? tTarget + backward * (1 - f) : Infinity);
      for (const i of onEdgeFrom) {
        const along = alongEdgeCost(graph, e, units.snaps.fraction[i]!, f);
        if (along >= 0) t = Math.min(t, accessCost(units.snaps.distanceM[i]!) + along);
      }
      if (t > limit) continue;
      // Walk the polyline to the point at fraction f of its planar length.
      const at = f * total;
      while (k < last - 1 && before + segment < at) {
        before += segment;
        k++;
        segment = Math.hypot((coords[2 * k + 2]! - coords[2 * k]!) * kx, (coords[2 * k + 3]! - coords[2 * k + 1]!) * ky);
      }
      const s = segment > 0 ? Math.min(1, Math.max(0, (at - before) / segment)) : 0;
      offer(coords[2 * k]! + s * (coords[2 * k + 2]! - coords[2 * k]!), coords[2 * k + 1]! + s * (coords[2 * k + 3]! - coords[2 * k + 1]!));
    }
  }

  // Step 3, with the square grown by half while the candidates would exceed the cap.
  let side = spacingM;
  let best = bestPerSquare(samples.view(), side);
  while (best.length / 2 > maxCount) {
    side *= 1.5;
    best = bestPerSquare(samples.view(), side);
  }
  const sites = emptySites(best.length / 2);
  let count = 0;
  for (let q = 0; q < best.length; q += 2) {
    const x = Math.round((index.lon0 + best[q]! / kx) / COORD_STEP) * COORD_STEP;
    const y = Math.round((index.lat0 + best[q + 1]! / ky) / COORD_STEP) * COORD_STEP;
    const snap = snapToEdge(graph, index, x, y, MAX_SNAP_DISTANCE_M);
    if (!snap) continue;
    sites.lon[count] = x;
    sites.lat[count] = y;
    sites.edge[count] = snap.edge;
    sites.fraction[count] = snap.fraction;
    sites.distanceM[count] = snap.distanceM;
    sites.streetLon[count] = snap.lon;
    sites.streetLat[count] = snap.lat;
    count++;
  }
  const rule =
    `one street point per ${Math.round(side)} m square that an uncovered household reaches within the threshold ` +
    `(edges sampled every ${SAMPLE_M} m, the sample nearest the square's centre${side > spacingM ? `; squares grown from ${spacingM} m to stay within ${maxCount} candidates` : ''})`;
  return { sites: count === sites.count ? sites : sliceSites(sites, count), rule: { generated: true, rule, spacingM: side, samples: samples.length / 2 } };
}

/**
 * For plane points (x, y pairs), the point nearest the centre of each square
 * of `side` that holds any (ties: the first), as pairs in the order squares
 * were first met.
 */
function bestPerSquare(points: Float64Array, side: number): Float64Array {
  const slotOf = new Map<number, number>();
  const best = new GrowableArray(new Float64Array(1 << 12));
  const d2s = new GrowableArray(new Float64Array(1 << 11));
  for (let q = 0; q < points.length; q += 2) {
    const x = points[q]!;
    const y = points[q + 1]!;
    const cx = Math.floor(x / side);
    const cy = Math.floor(y / side);
    const ex = x - (cx + 0.5) * side;
    const ey = y - (cy + 0.5) * side;
    const d2 = ex * ex + ey * ey;
    const key = (cx + 2 ** 20) * 2 ** 21 + (cy + 2 ** 20);
    const slot = slotOf.get(key);
    if (slot === undefined) {
      slotOf.set(key, d2s.length);
      d2s.push(d2);
      best.push2(x, y);
    } else if (d2 < d2s.data[slot]!) {
      d2s.data[slot] = d2;
      best.data[2 * slot] = x;
      best.data[2 * slot + 1] = y;
    }
  }
  return best.view();
}

const NONE: readonly number[] = [];

/** The demand units on edge e (household units of the demand). */
function demandOnEdge(units: LinkedUnits, demand: Demand, e: number): readonly number[] {
  if (units.edgeOffset[e] === units.edgeOffset[e + 1]) return NONE;
  const out: number[] = [];
  for (let k = units.edgeOffset[e]!, end = units.edgeOffset[e + 1]!; k < end; k++) {
    const i = units.unitsOnEdge[k]!;
    if (demand.demandOf[i]! >= 0) out.push(i);
  }
  return out;
}

/** The first `count` candidates, or those listed in `keep`, as a new set of columns. */
export function sliceSites(sites: CandidateSites, count: number, keep?: ArrayLike<number>): CandidateSites {
  const out = emptySites(keep ? keep.length : count);
  for (let r = 0; r < out.count; r++) {
    const i = keep ? keep[r]! : r;
    out.lon[r] = sites.lon[i]!;
    out.lat[r] = sites.lat[i]!;
    out.edge[r] = sites.edge[i]!;
    out.fraction[r] = sites.fraction[i]!;
    out.distanceM[r] = sites.distanceM[i]!;
    out.streetLon[r] = sites.streetLon[i]!;
    out.streetLat[r] = sites.streetLat[i]!;
  }
  return out;
}
