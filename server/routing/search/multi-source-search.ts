/**
 * The multi-source search: one Dijkstra seeded from every source at once
 * (all centers of a kind), giving for every node the time to (or from) the
 * nearest source and which source that is. One search instead of one per
 * source: the cost is that of a single search over the graph.
 *
 * Sources are snapped points (edge, fraction, access metres), seeded at both
 * ends of their edge as one-way rules allow. For coverage the direction is
 * 'to': the time to walk from each node TO its nearest center.
 */
import { runSearch, seedAtEdgePoint, type SearchDirection } from './bounded-search.ts';
import { withState, type SearchScratch } from './search-state.ts';
import type { SnapColumns } from './snap.ts';
import type { WalkGraph } from '../graph/walk-graph.ts';

export interface MultiSourceResult {
  /** Graph units (seconds at the default speed) per node; Infinity where no source is within the limit. */
  time: Float64Array;
  /** Index of the nearest source per node; -1 where none. */
  source: Int32Array;
  /** Nodes settled. */
  settled: number;
}

export interface MultiSourceOptions {
  direction?: SearchDirection;
  /** Time limit in graph units; default no limit. */
  limit?: number;
  /** Output arrays to reuse (length nodeCount). */
  out?: { time: Float64Array; source: Int32Array };
  /** The graph's search scratch (search-state.ts); fresh arrays without it. */
  scratch?: SearchScratch;
}

/** Runs one search from all sources (those with edge -1 are skipped). */
export function multiSourceSearch(graph: WalkGraph, sources: SnapColumns, options: MultiSourceOptions = {}): MultiSourceResult {
  const direction = options.direction ?? 'to';
  const limit = options.limit ?? Infinity;
  const n = graph.nodeCount;
  const time = options.out?.time ?? new Float64Array(n);
  const source = options.out?.source ?? new Int32Array(n);
  time.fill(Infinity);
  source.fill(-1);
  return withState(
    graph,
    (state) => {
      for (let i = 0; i < sources.count; i++) {
        const e = sources.edge[i]!;
        if (e >= 0) seedAtEdgePoint(graph, state, e, sources.fraction[i]!, sources.distanceM[i]!, i, direction);
      }
      runSearch(graph, state, limit, direction);
      const { order, dist } = state;
      for (let k = 0; k < state.settledCount; k++) {
        const v = order[k]!;
        time[v] = dist[v]!;
        source[v] = state.source[v]!;
      }
      return { time, source, settled: state.settledCount };
    },
    options.scratch,
  );
}
