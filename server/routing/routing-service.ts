/**
 * The routing service: holds the walk graph and its edge index for the
 * current data version and answers searches from points. It loads the graph
 * at start (from the version's snapshot when there is one, else from the
 * tables, then saves the snapshot), reloads on a `replaced` data change, and
 * tells listeners (coverage) about every new graph.
 *
 * The isochrone feature builds on `searchFrom` / `searchFromMany`: they give
 * the shortest-path tree (times per node at the requested speed) and the
 * snapped origins, from which partial edges can be drawn:
 *
 *   - a node n is reached at tree.times[n] seconds (Infinity: not within
 *     maxSeconds); tree.reached lists each reached node once (ordered by
 *     time only bucket by bucket: the search runs on a bucket queue);
 *   - walking edge e takes graph.edgeCost[e] * tree.costScale seconds from
 *     its source to its target and graph.edgeReverseCost[e] * tree.costScale
 *     back (negative: walkers may not go that way), uniformly along its
 *     geometry (graph.coords from geomOffset[e], source first);
 *   - an origin's own edge is walked from the snapped point: from
 *     origin.snap.fraction towards either end as one-way rules allow,
 *     starting at origin.accessSeconds (the access leg). The tree already
 *     holds the resulting times at the edge's two end nodes.
 *
 * Bad or unreachable points throw domain errors (domain-errors.ts): outside
 * the data's bounds, or no walkable edge within MAX_SNAP_DISTANCE_M.
 * Every loaded graph comes with its search scratch (search-state.ts), which
 * the searches here and the coverage built on the graph reuse.
 */
import type { Database } from '../../kernel/db/database.ts';
import { readDataState } from '../../kernel/db/data-state.ts';
import { DEFAULT_SPEED_KMH, WALK_PROFILES, type WalkProfileName } from '../../kernel/walk-speed.ts';
import { GraphNotReady, InvalidOption } from '../domain-errors.ts';
import type { DataChanges } from '../events/data-changes.ts';
import type { Logger } from '../logger.ts';
import { buildEdgeIndex, type EdgeIndex } from './graph/edge-index.ts';
import { loadWalkGraph } from './graph/graph-builder.ts';
import { loadSnapshot, saveSnapshot } from './graph/graph-snapshot.ts';
import { profileGraph } from './graph/profile-graph.ts';
import { walkComponents, type WalkComponents } from './graph/walk-components.ts';
import type { WalkGraph } from './graph/walk-graph.ts';
import { MAX_SEARCH_SECONDS, MAX_SPEED_KMH } from './routing-limits.ts';
import { runBucketSearch, seedFromSnap } from './search/bounded-search.ts';
import { SearchScratch } from './search/search-state.ts';
import { snapOrigin, type SnappedOrigin } from './snap-origin.ts';

/** The graph and everything derived from it for one data version. */
export interface LoadedGraph {
  graph: WalkGraph;
  /** Where points may snap: walkable edges of components large enough (walk-components.ts). */
  index: EdgeIndex;
  components: WalkComponents;
  /** Reusable search states for this graph; every search on it takes them from here. */
  scratch: SearchScratch;
  version: string;
  /** Where the graph came from this time. */
  source: 'snapshot' | 'table';
  /** Milliseconds to get the graph (read snapshot or build from the table), and to build the index. */
  loadMs: number;
  indexMs: number;
  /** The walking profile `graph` costs steps for (profile-graph.ts). */
  profile: WalkProfileName;
  /** The same graph for another profile (made once, then kept with this one; 'default' gives the default graph). */
  forProfile(profile: WalkProfileName): LoadedGraph;
}

/** A loaded default graph that makes and keeps its profile views on demand. */
export function withProfiles(base: Omit<LoadedGraph, 'profile' | 'forProfile'>): LoadedGraph {
  const views = new Map<WalkProfileName, LoadedGraph>();
  const root: LoadedGraph = {
    ...base,
    profile: 'default',
    forProfile(profile) {
      if (profile === 'default') return root;
      let view = views.get(profile);
      if (!view) {
        const graph = profileGraph(base.graph, profile);
        view = { ...root, graph, scratch: new SearchScratch(graph), profile };
        views.set(profile, view);
      }
      return view;
    },
  };
  return root;
}

export interface SearchOptions {
  /** Who walks (default 'default'): steps cost and the default speed. */
  profile?: WalkProfileName;
  /** Walking speed, km/h (default: the profile's). */
  speedKmh?: number;
  /** Time limit, seconds at that speed; at most MAX_SEARCH_SECONDS. */
  maxSeconds: number;
}

/** The result of a search from one or more points. Arrays are the caller's to keep. */
export interface ShortestPathTree {
  graph: WalkGraph;
  profile: WalkProfileName;
  speedKmh: number;
  maxSeconds: number;
  /** Multiply graph costs (edgeCost, edgeReverseCost, arcCost) by this for seconds at speedKmh. */
  costScale: number;
  /** Seconds to each node at speedKmh; Infinity where not reached within maxSeconds. */
  times: Float64Array;
  /** The reached nodes, each once; in order of time only bucket by bucket (runBucketSearch). */
  reached: Uint32Array;
  /** The arc by which each reached node was reached (-1 for a node seeded from an origin); see arcTail. */
  predArc: Int32Array;
  /** Index into `origins` of the origin that reaches each node first; -1 where not reached. */
  originOf: Int32Array;
  origins: SnappedOrigin[];
}

export type GraphListener = (loaded: LoadedGraph) => void | Promise<void>;

export interface RoutingService {
  /** The current graph, waiting for the first load; throws GraphNotReady when there is none. */
  ready(): Promise<LoadedGraph>;
  /** The current graph if one is loaded. */
  current(): LoadedGraph | undefined;
  /** Called after every (re)load with the new graph; returns the unsubscriber. */
  onGraph(listener: GraphListener): () => void;
  /** Loads the graph for the data version now in the database (no-op when it is current). */
  reload(): Promise<LoadedGraph | undefined>;
  /**
   * Resolves when no load is queued or running. The graph follows `replaced`
   * changes by itself; a center edit also moves the data version but not the
   * network, so waiting must not reload (a whole graph and coverage build).
   */
  idle(): Promise<void>;
  /** The shortest-path tree from one point. */
  searchFrom(lon: number, lat: number, options: SearchOptions): Promise<ShortestPathTree>;
  /**
   * The shortest-path tree from several points at once: each node's time from
   * the nearest of them; on `on` when given (a graph a coverage model was built
   * on, so its counts describe the same network), else on the current graph.
   */
  searchFromMany(points: readonly (readonly [number, number])[], options: SearchOptions, on?: LoadedGraph): Promise<ShortestPathTree>;
  /** Graph facts for /health. */
  health(): Record<string, unknown>;
  close(): Promise<void>;
}

export interface RoutingServiceOptions {
  db: Database;
  logger: Logger;
  /** Folder for graph snapshots; undefined: no snapshot files. */
  dataDir: string | undefined;
  /** Data changes to follow (`replaced` reloads the graph). */
  changes?: DataChanges;
}

/** Checks a search's options (routes validate first; this guards other callers). */
function checkOptions(options: SearchOptions): { profile: WalkProfileName; speedKmh: number; maxSeconds: number } {
  const profile = options.profile ?? 'default';
  if (!Object.hasOwn(WALK_PROFILES, profile)) throw new InvalidOption('profile', `profile must be one of ${Object.keys(WALK_PROFILES).join(', ')}, got ${profile}`);
  const speedKmh = options.speedKmh ?? WALK_PROFILES[profile].speedKmh;
  if (!(speedKmh > 0 && speedKmh <= MAX_SPEED_KMH)) {
    throw new InvalidOption('speed_kmh', `speed_kmh must be above 0 and at most ${MAX_SPEED_KMH}, got ${speedKmh}`);
  }
  const maxSeconds = options.maxSeconds;
  if (!(maxSeconds > 0 && maxSeconds <= MAX_SEARCH_SECONDS)) {
    throw new InvalidOption('maxSeconds', `the time limit must be above 0 and at most ${MAX_SEARCH_SECONDS} s, got ${maxSeconds}`);
  }
  return { profile, speedKmh, maxSeconds };
}

export function createRoutingService(options: RoutingServiceOptions): RoutingService {
  const { db, logger, dataDir } = options;
  const listeners = new Set<GraphListener>();
  let loaded: LoadedGraph | undefined;
  let lastError: string | undefined;
  let closed = false;
  // Loads run one after another; each checks the version again, so a burst of changes costs one load.
  let queue: Promise<LoadedGraph | undefined> = Promise.resolve(undefined);
  let notified: Promise<void> = Promise.resolve();

  async function load(): Promise<LoadedGraph | undefined> {
    if (closed) return loaded;
    const state = await readDataState(db);
    if (loaded && loaded.version === state.version) return loaded;
    const started = performance.now();
    let graph = dataDir ? await loadSnapshot(dataDir, state.version) : undefined;
    const source = graph ? 'snapshot' : 'table';
    if (!graph) graph = await loadWalkGraph(db);
    const loadMs = performance.now() - started;
    const indexStarted = performance.now();
    const components = walkComponents(graph);
    const index = buildEdgeIndex(graph, components.usableEdge);
    const indexMs = performance.now() - indexStarted;
    if (source === 'table' && dataDir && graph.edgeCount > 0) {
      await saveSnapshot(dataDir, graph).catch((error: Error) => logger.warn('graph snapshot not saved', { error: error.message }));
    }
    const next = withProfiles({ graph, index, components, scratch: new SearchScratch(graph), version: graph.version, source, loadMs, indexMs });
    loaded = next;
    lastError = undefined;
    logger.info('walk graph loaded', {
      version: next.version,
      source,
      nodes: graph.nodeCount,
      edges: graph.edgeCount,
      fragments: components.fragments,
      loadMs: Math.round(loadMs),
      indexMs: Math.round(indexMs),
    });
    // Listeners (coverage) run after the load, not inside it: searches need not wait for them.
    notified = notified.then(async () => {
      for (const listener of [...listeners]) {
        try {
          await listener(next);
        } catch (error) {
          logger.error('graph listener failed', { error: (error as Error).stack ?? String(error) });
        }
      }
    });
    return next;
  }

  function enqueue(): Promise<LoadedGraph | undefined> {
    queue = queue
      .catch(() => undefined)
      .then(load)
      .catch((error: Error) => {
        lastError = error.message;
        logger.error('walk graph load failed', { error: error.stack ?? String(error) });
        return loaded;
      });
    return queue;
  }

  const unsubscribe = options.changes?.subscribe((change) => {
    if (change.type === 'replaced') void enqueue();
  });
  enqueue();

  async function ready(): Promise<LoadedGraph> {
    const current = (await queue) ?? loaded;
    if (!current) throw new GraphNotReady('unavailable', lastError);
    if (current.graph.edgeCount === 0) throw new GraphNotReady('no_network');
    return current;
  }

  async function searchFromMany(points: readonly (readonly [number, number])[], searchOptions: SearchOptions, on?: LoadedGraph): Promise<ShortestPathTree> {
    const { profile, speedKmh, maxSeconds } = checkOptions(searchOptions);
    if (points.length === 0) throw new InvalidOption('origins', 'at least one origin is needed');
    const current = (on ?? (await ready())).forProfile(profile);
    const graph = current.graph;
    const origins = points.map(([lon, lat], i) => snapOrigin(graph, current.index, lon, lat, speedKmh, points.length > 1 ? `origin ${i}` : 'the point'));
    const costScale = DEFAULT_SPEED_KMH / speedKmh;
    // Search in graph units (default speed) and scale once at the end: same tree, fewer multiplications.
    const limit = maxSeconds / costScale;
    return current.scratch.use((state) => {
      origins.forEach((origin, i) => seedFromSnap(graph, state, origin.snap, i, 'from'));
      // Its users read the reached nodes as a set: the bucket queue is enough, and about twice as fast as the heap.
      runBucketSearch(graph, state, limit, 'from');
      const n = graph.nodeCount;
      const times = new Float64Array(n).fill(Infinity);
      const predArc = new Int32Array(n).fill(-1);
      const originOf = new Int32Array(n).fill(-1);
      const reached = state.order.slice(0, state.settledCount);
      for (let i = 0; i < reached.length; i++) {
        const v = reached[i]!;
        times[v] = state.dist[v]! * costScale;
        predArc[v] = state.predArc[v]!;
        originOf[v] = state.source[v]!;
      }
      return { graph, profile, speedKmh, maxSeconds, costScale, times, reached, predArc, originOf, origins };
    });
  }

  return {
    ready,
    current: () => loaded,
    onGraph(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reload: enqueue,
    async idle() {
      await queue.catch(() => undefined);
    },
    searchFrom: (lon, lat, searchOptions) => searchFromMany([[lon, lat]], searchOptions),
    searchFromMany,
    health() {
      if (!loaded) return { ready: false, error: lastError ?? null };
      const g = loaded.graph;
      return {
        ready: g.edgeCount > 0,
        version: loaded.version,
        source: loaded.source,
        nodes: g.nodeCount,
        edges: g.edgeCount,
        components: loaded.components.count,
        // Pieces of walkway too small to start from (kept in the graph and the tiles).
        fragments: loaded.components.fragments,
        fragment_m: Math.round(loaded.components.fragmentLengthM),
        load_ms: Math.round(loaded.loadMs),
        error: lastError ?? null,
      };
    },
    async close() {
      closed = true;
      unsubscribe?.();
      await queue.catch(() => undefined);
      await notified;
    },
  };
}
