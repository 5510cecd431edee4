/**
 * The walk graph as one walking profile sees it (kernel/walk-speed.ts):
 * the same nodes, edges and geometry, with the cost of steps scaled from the
 * default steps factor to the profile's. Speed is not baked in: searches
 * still scale every cost by the requested speed (default: the profile's).
 *
 * A profile graph shares every array with the default graph but the four
 * cost arrays, so a profile costs 16 bytes per arc and 8 per edge, once per
 * loaded graph. The default profile is the graph itself.
 */
import { STEPS_FACTOR, WALK_PROFILES, type WalkProfileName } from '../../../kernel/walk-speed.ts';
import { ARC_EDGE_MASK, type WalkGraph } from './walk-graph.ts';

/** `graph` with steps costing WALK_PROFILES[profile].stepsFactor instead of the default factor. */
export function profileGraph(graph: WalkGraph, profile: WalkProfileName): WalkGraph {
  const ratio = WALK_PROFILES[profile].stepsFactor / STEPS_FACTOR;
  if (ratio === 1) return graph;
  // Negative costs (not allowed that way) stay negative.
  const scale = (cost: number, steps: number) => (steps && cost > 0 ? cost * ratio : cost);
  const edgeCost = graph.edgeCost.map((c, e) => scale(c, graph.edgeSteps[e]!));
  const edgeReverseCost = graph.edgeReverseCost.map((c, e) => scale(c, graph.edgeSteps[e]!));
  const arcCost = graph.arcCost.map((c, a) => scale(c, graph.edgeSteps[graph.arcEdge[a]! & ARC_EDGE_MASK]!));
  const arcReverseCost = graph.arcReverseCost.map((c, a) => scale(c, graph.edgeSteps[graph.arcEdge[a]! & ARC_EDGE_MASK]!));
  return { ...graph, edgeCost, edgeReverseCost, arcCost, arcReverseCost };
}
