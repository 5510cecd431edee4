/**
 * The demand of a suggestion: the household units a new site could still
 * gain. Existing centers stay fixed, so a unit already within the threshold
 * of one (its current time, from the live or a scenario's center set) gains
 * nothing and is left out; so are units off the network, which no center
 * reaches. Each demand unit keeps its weight (households, or persons with
 * unknown persons as 0), and the units are listed by the nodes at the ends
 * of their edges with the cost to walk there, so that a search from a
 * candidate turns node times into unit times with one pass over the nodes it
 * settled (coverage-sets.ts).
 */
import type { LinkedUnits } from '../../coverage/household-coverage.ts';
import type { SuggestWeight } from './suggest-options.ts';

/** Per-unit counts of the whole data (HouseholdData's columns). */
export interface UnitCounts {
  households: Int32Array;
  /** -1 where unknown (counts as 0). */
  persons: Int32Array;
}

export interface Demand {
  /** Demand units. */
  count: number;
  /** Household unit of each demand unit (ascending). */
  unit: Uint32Array;
  /** The optimized weight of each demand unit. */
  weight: Float64Array;
  /** Per household unit: its demand index, -1 for units that are not demand. */
  demandOf: Int32Array;
  /**
   * Demand units by edge end: nodeDemand[nodeOffset[v] .. nodeOffset[v+1])
   * are the demand units whose edge ends at node v, and nodeCost the cost
   * (access leg plus partial edge, as LinkedUnits has it) to walk to v.
   * Sides walkers may not take are left out.
   */
  nodeOffset: Uint32Array;
  nodeDemand: Uint32Array;
  nodeCost: Float32Array;
  /** Weight, households and persons of all units, and of those already within the threshold. */
  total: Totals;
  covered: Totals;
}

export interface Totals {
  weight: number;
  households: number;
  persons: number;
}

/** The weight of unit i: households, or persons (unknown as 0). */
function unitWeight(counts: UnitCounts, weight: SuggestWeight, i: number): number {
  return weight === 'households' ? counts.households[i]! : Math.max(0, counts.persons[i]!);
}

/**
 * The demand for threshold `threshold` (graph units) given each unit's
 * current time to the nearest fixed center (`current`, as householdCoverage
 * computes it; covered means current <= threshold, as in the roll-ups).
 */
export function buildDemand(units: LinkedUnits, counts: UnitCounts, current: Float32Array, threshold: number, weight: SuggestWeight, nodeCount: number): Demand {
  const n = units.count;
  const demandOf = new Int32Array(n).fill(-1);
  const total: Totals = { weight: 0, households: 0, persons: 0 };
  const covered: Totals = { weight: 0, households: 0, persons: 0 };
  let count = 0;
  for (let i = 0; i < n; i++) {
    const w = unitWeight(counts, weight, i);
    const h = counts.households[i]!;
    const p = Math.max(0, counts.persons[i]!);
    total.weight += w;
    total.households += h;
    total.persons += p;
    if (current[i]! <= threshold) {
      covered.weight += w;
      covered.households += h;
      covered.persons += p;
    } else if (units.snaps.edge[i]! >= 0) {
      demandOf[i] = count++;
    }
  }
  const unit = new Uint32Array(count);
  const demandWeight = new Float64Array(count);
  for (let i = 0; i < n; i++) {
    const d = demandOf[i]!;
    if (d < 0) continue;
    unit[d] = i;
    demandWeight[d] = unitWeight(counts, weight, i);
  }

  // Both ends of each demand unit's edge, grouped by node (CSR: count, prefix sums, fill).
  const nodeOffset = new Uint32Array(nodeCount + 1);
  const { sourceNode, targetNode, toSource, toTarget } = units;
  for (let d = 0; d < count; d++) {
    const i = unit[d]!;
    if (toSource[i]! < Infinity) nodeOffset[sourceNode[i]! + 1]!++;
    if (toTarget[i]! < Infinity) nodeOffset[targetNode[i]! + 1]!++;
  }
  for (let v = 0; v < nodeCount; v++) nodeOffset[v + 1]! += nodeOffset[v]!;
  const nodeDemand = new Uint32Array(nodeOffset[nodeCount]!);
  const nodeCost = new Float32Array(nodeDemand.length);
  const cursor = nodeOffset.slice(0, nodeCount);
  for (let d = 0; d < count; d++) {
    const i = unit[d]!;
    if (toSource[i]! < Infinity) {
      const k = cursor[sourceNode[i]!]!++;
      nodeDemand[k] = d;
      nodeCost[k] = toSource[i]!;
    }
    if (toTarget[i]! < Infinity) {
      const k = cursor[targetNode[i]!]!++;
      nodeDemand[k] = d;
      nodeCost[k] = toTarget[i]!;
    }
  }
  return { count, unit, weight: demandWeight, demandOf, nodeOffset, nodeDemand, nodeCost, total, covered };
}
