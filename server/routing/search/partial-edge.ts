/**
 * Costs along part of an edge, for searches that start or end at a snapped
 * point in the middle of one. Costs are proportional to the fraction of the
 * edge's length, respect one-way edges, and are in the graph's units
 * (seconds at the default speed); -1 means "walkers may not go that way".
 */
import { DEFAULT_SPEED_KMH, metresPerSecond } from '../../../kernel/walk-speed.ts';
import type { WalkGraph } from '../graph/walk-graph.ts';

/** Seconds (at the default speed) to walk `metres` of straight access leg. */
export function accessCost(metres: number): number {
  return metres / metresPerSecond(DEFAULT_SPEED_KMH);
}

/** Cost between fractions `from` and `to` on `edge`, walking in that order; -1 if not allowed. */
export function alongEdgeCost(graph: WalkGraph, edge: number, from: number, to: number): number {
  if (to === from) return 0;
  const cost = to > from ? graph.edgeCost[edge]! : graph.edgeReverseCost[edge]!;
  return cost >= 0 ? cost * Math.abs(to - from) : -1;
}

/** Cost from the point at `fraction` back to the edge's source (walking against the edge). */
export function costToSource(graph: WalkGraph, edge: number, fraction: number): number {
  return alongEdgeCost(graph, edge, fraction, 0);
}

/** Cost from the point at `fraction` on to the edge's target. */
export function costToTarget(graph: WalkGraph, edge: number, fraction: number): number {
  return alongEdgeCost(graph, edge, fraction, 1);
}

/** Cost from the edge's source to the point at `fraction`. */
export function costFromSource(graph: WalkGraph, edge: number, fraction: number): number {
  return alongEdgeCost(graph, edge, 0, fraction);
}

/** Cost from the edge's target to the point at `fraction`. */
export function costFromTarget(graph: WalkGraph, edge: number, fraction: number): number {
  return alongEdgeCost(graph, edge, 1, fraction);
}
