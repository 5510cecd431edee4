/**
 * The walk of reachable-segments over the reached part of the graph: edges
 * with origins first (origin-edges), then every other edge at a reached node,
 * each once, with the reachable part of each level written as chords
 * (edge-chords) to the segment sink. One walker per call keeps the graph's
 * arrays in fields that the loops copy into locals.
 */
import type { LocalProjection } from '../../../kernel/geo.ts';
import { ARC_EDGE_MASK, ARC_REVERSED, type WalkGraph } from '../graph/walk-graph.ts';
import { EdgeChords } from './edge-chords.ts';
import type { IsochroneScratch } from './isochrone-scratch.ts';
import { OriginEdges } from './origin-edges.ts';
import type { ReachableSegments, ReachTree } from './reachable-segments.ts';
import { SegmentSink } from './segment-sink.ts';

export class ReachWalker {
  private readonly t: ArrayLike<number>;
  private readonly levels: number;
  private readonly tMax: number;
  private readonly sink: SegmentSink;
  private readonly shape: EdgeChords;
  private readonly origins: OriginEdges;

  constructor(
    private readonly graph: WalkGraph,
    private readonly tree: ReachTree,
    private readonly limits: Float64Array,
    proj: LocalProjection,
    simplifyM: number,
    scratch: IsochroneScratch | undefined,
  ) {
    this.t = tree.nodeSeconds;
    this.levels = limits.length;
    this.tMax = limits[limits.length - 1]!;
    // About two segments per reached node; the sink grows when there are more.
    this.sink = new SegmentSink(this.levels, Math.max(64, 2 * (tree.reached?.length ?? 512)), scratch);
    this.shape = new EdgeChords(graph, proj, simplifyM, this.sink);
    this.origins = new OriginEdges(graph, tree, limits, proj, this.shape, this.sink);
  }

  run(): ReachableSegments {
    const { graph, origins, t, tMax } = this;
    origins.processAll();
    const originCount = origins.count;
    // Every edge has an arc at each end (walk-graph.ts), so an edge is handled from its
    // source's arc when the source is reached, else from its target's.
    const { arcOffset, arcTarget, arcEdge } = graph;
    const visit = (u: number) => {
      for (let a = arcOffset[u]!, end = arcOffset[u + 1]!; a < end; a++) {
        const code = arcEdge[a]!;
        const e = code & ARC_EDGE_MASK;
        if (code & ARC_REVERSED && t[arcTarget[a]!]! <= tMax) continue;
        if (originCount > 0 && origins.firstOn(e) >= 0) continue;
        this.processPlainEdge(e);
      }
    };
    const reached = this.tree.reached;
    if (reached) {
      for (let i = 0; i < reached.length; i++) {
        const u = reached[i]!;
        if (t[u]! <= tMax) visit(u);
      }
    } else {
      for (let u = 0; u < graph.nodeCount; u++) if (t[u]! <= tMax) visit(u);
    }
    return this.sink.result();
  }

  /**
   * An edge without origins: reachable within T is [0, a] from its source
   * and [b, 1] from its target (a = 0, b = 1 when that end is not reached or
   * that way is not allowed; the whole edge when a >= b). The part new at
   * level k lies in the previous level's gap (a', b').
   */
  private processPlainEdge(e: number): void {
    const g = this.graph;
    const scale = this.tree.costScale;
    const c = g.edgeCost[e]! >= 0 ? g.edgeCost[e]! * scale : -1;
    const rc = g.edgeReverseCost[e]! >= 0 ? g.edgeReverseCost[e]! * scale : -1;
    const tu = this.t[g.edgeSource[e]!]!;
    const tv = this.t[g.edgeTarget[e]!]!;
    const { limits, levels, shape } = this;
    let gapLo = 0;
    let gapHi = 1;
    let projected = false;
    for (let k = 0; k < levels && gapLo < gapHi; k++) {
      const T = limits[k]!;
      const a = tu <= T && c >= 0 ? (c > 0 ? Math.min(1, (T - tu) / c) : 1) : 0;
      const b = tv <= T && rc >= 0 ? (rc > 0 ? Math.max(0, 1 - (T - tv) / rc) : 0) : 1;
      if (a <= gapLo && b >= gapHi) continue;
      if (!projected) {
        shape.project(e);
        projected = true;
      }
      if (a >= b) {
        shape.emitPiece(e, gapLo, gapHi, k);
        gapLo = gapHi;
      } else {
        if (a > gapLo) shape.emitPiece(e, gapLo, a, k);
        if (b < gapHi) shape.emitPiece(e, b, gapHi, k);
        gapLo = Math.max(gapLo, a);
        gapHi = Math.min(gapHi, b);
      }
    }
  }
}
