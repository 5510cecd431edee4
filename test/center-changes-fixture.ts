/**
 * Seeded random center changes (adds, moves, removes) on a graph with
 * household units, and the check that coverage after the changes, repaired
 * from the coverage before (planning/center-changes.ts), equals a
 * from-scratch evaluation of the new center set unit by unit.
 */
import { householdCoverage, linkUnits } from '../server/coverage/household-coverage.ts';
import type { EdgeIndex } from '../server/routing/graph/edge-index.ts';
import type { WalkGraph } from '../server/routing/graph/walk-graph.ts';
import { snapMany, snapToEdge, type SnapColumns } from '../server/routing/search/snap.ts';
import { coverageAfterChanges } from '../server/planning/center-changes.ts';
import { seededRandom } from './seeded-random.ts';

/** A copy of `snaps` with room for `extra` more centers (edge -1). */
function withRoom(snaps: SnapColumns, extra: number): SnapColumns {
  const count = snaps.count + extra;
  const edge = new Int32Array(count).fill(-1);
  const fraction = new Float64Array(count);
  const distanceM = new Float32Array(count);
  edge.set(snaps.edge);
  fraction.set(snaps.fraction);
  distanceM.set(snaps.distanceM);
  return { count, edge, fraction, distanceM };
}

/** Differences between repaired and from-scratch coverage, over `trials` seeded change sets. */
export function compareChanges(
  graph: WalkGraph,
  index: EdgeIndex,
  households: { lon: ArrayLike<number>; lat: ArrayLike<number> },
  centers: { lon: ArrayLike<number>; lat: ArrayLike<number> },
  trials: number,
  seed: number,
): { mismatches: string[]; changedUnits: number[]; units: number } {
  const units = linkUnits(graph, snapMany(graph, index, households.lon, households.lat));
  const before = snapMany(graph, index, centers.lon, centers.lat);
  const base = householdCoverage(graph, units, before);
  const random = seededRandom(seed);
  const [x0, y0, x1, y1] = graph.bounds;
  const mismatches: string[] = [];
  const changedUnits: number[] = [];
  for (let trial = 0; trial < trials; trial++) {
    const adds = Math.floor(random() * 3);
    const next = withRoom(before, adds);
    const ops: string[] = [];
    const changes = 1 + Math.floor(random() * 3);
    for (let k = 0; k < changes; k++) {
      const c = Math.floor(random() * before.count);
      if (random() < 0.5) {
        next.edge[c] = -1;
        ops.push(`remove ${c}`);
      } else {
        const snap = snapToEdge(graph, index, x0 + random() * (x1 - x0), y0 + random() * (y1 - y0));
        if (!snap) continue;
        next.edge[c] = snap.edge;
        next.fraction[c] = snap.fraction;
        next.distanceM[c] = snap.distanceM;
        ops.push(`move ${c}`);
      }
    }
    for (let a = 0; a < adds; a++) {
      const snap = snapToEdge(graph, index, x0 + random() * (x1 - x0), y0 + random() * (y1 - y0));
      if (!snap) continue;
      next.edge[before.count + a] = snap.edge;
      next.fraction[before.count + a] = snap.fraction;
      next.distanceM[before.count + a] = snap.distanceM;
      ops.push(`add ${before.count + a}`);
    }
    const repaired = coverageAfterChanges(graph, units, before, base, next);
    const scratch = householdCoverage(graph, units, next);
    changedUnits.push(repaired.changedUnits.length);
    for (let i = 0; i < units.count; i++) {
      const a = repaired.coverage.seconds[i]!;
      const b = scratch.seconds[i]!;
      if (a !== b || repaired.coverage.nearest[i] !== scratch.nearest[i]) {
        mismatches.push(`trial ${trial} (${ops.join(', ')}): unit ${i} repaired ${a} -> ${repaired.coverage.nearest[i]}, from scratch ${b} -> ${scratch.nearest[i]}`);
        break;
      }
    }
  }
  return { mismatches, changedUnits, units: units.count };
}
