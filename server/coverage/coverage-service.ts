/**
 * Keeps household coverage current: after every new graph (an import) it
 * loads households, grids and centers, snaps them once, runs the
 * multi-source search from all centers, writes the changed rows back and
 * tells the tile caches where coverage changed (a `features` change for the
 * 'households' and 'grids' layers). A `features` change to the 'centers'
 * layer reloads the centers and recomputes. Per-kind coverage is computed on
 * first request and kept until the next recomputation.
 *
 * Work runs one job at a time in a queue; readers await the queue and get
 * one consistent state (graph, snaps, results of the same data).
 */
import type { Database } from '../../kernel/db/database.ts';
import type { DataChanges } from '../events/data-changes.ts';
import { ApiError } from '../http/errors.ts';
import type { Logger } from '../logger.ts';
import { buildTargetSet, type TargetSet } from '../routing/search/route.ts';
import type { LoadedGraph, RoutingService } from '../routing/routing-service.ts';
import { snapMany, type SnapColumns } from '../routing/search/snap.ts';
import { loadCenters, loadCoverageData, type CenterData, type CoverageData } from './coverage-data.ts';
import { writeCoverage, type WriteBackResult } from './coverage-writer.ts';
import { householdCoverage, linkUnits, maskSnaps, type HouseholdCoverage, type LinkedUnits } from './household-coverage.ts';

export interface CoverageTimings {
  /** Loading households, grids and admin names (once per data version). */
  loadMs: number;
  /** Snapping and linking every household unit (once per graph). */
  snapHouseholdsMs: number;
  /** Loading and snapping the centers. */
  centersMs: number;
  /** The coverage of every unit: multi-source search plus per-unit times. */
  coverageMs: number;
  /** The multi-source search alone. */
  searchMs: number;
  /** Writing changed rows back (after the state is served; 0 until the write is done). */
  writeMs: number;
}

/** One consistent coverage state. */
export interface CoverageState {
  loaded: LoadedGraph;
  data: CoverageData;
  centers: CenterData;
  /** Household units snapped and linked to the network (once per graph). */
  units: LinkedUnits;
  centerSnaps: SnapColumns;
  /** Coverage by the nearest center of any kind. */
  all: HouseholdCoverage;
  timings: CoverageTimings;
  /** The last write-back of this state, once done. */
  lastWrite: WriteBackResult | undefined;
  /** Per-kind coverage and route targets, filled on demand. */
  byKind: Map<string, HouseholdCoverage>;
  targets: Map<string, TargetSet>;
}

export interface CoverageService {
  /** The current state, after any queued recomputation; ApiError 503 when there is none. */
  ready(): Promise<CoverageState>;
  /** Coverage by the nearest center of `kind` (all kinds when undefined); ApiError 400 for an unknown kind. */
  forKind(state: CoverageState, kind: string | undefined): HouseholdCoverage;
  /** Route targets: the centers of `kind` (all when undefined). */
  targetsFor(state: CoverageState, kind: string | undefined): TargetSet;
  /** Resolves when queued computations and their write-backs are done. */
  idle(): Promise<void>;
  /** Reloads the centers and recomputes (what a `centers` change does). */
  recompute(): Promise<CoverageState | undefined>;
  health(): Record<string, unknown>;
  close(): Promise<void>;
}

export interface CoverageServiceOptions {
  db: Database;
  logger: Logger;
  routing: RoutingService;
  changes?: DataChanges;
  /** Write walk_seconds and grid roll-ups back to the tables (default true). */
  writeBack?: boolean;
}

const ALL = '';

/** 400 naming the kinds there are, for a kind with no centers. */
function checkKind(centers: CenterData, kind: string | undefined): void {
  if (kind !== undefined && !centers.kinds.includes(kind)) {
    throw new ApiError(400, 'unknown_kind', `no centers of kind "${kind}"; kinds: ${centers.kinds.join(', ') || '(none)'}`);
  }
}

export function createCoverageService(options: CoverageServiceOptions): CoverageService {
  const { db, logger, routing, changes } = options;
  const writeBack = options.writeBack ?? true;
  let state: CoverageState | undefined;
  let lastError: string | undefined;
  let closed = false;
  let queue: Promise<CoverageState | undefined> = Promise.resolve(undefined);
  let writes: Promise<void> = Promise.resolve();

  async function refresh(reason: 'graph' | 'centers', centersVersion?: string): Promise<CoverageState | undefined> {
    if (closed) return state;
    const loaded = await routing.ready();
    if (reason === 'graph' && state?.loaded === loaded) return state;

    const timings: CoverageTimings = { loadMs: 0, snapHouseholdsMs: 0, centersMs: 0, coverageMs: 0, searchMs: 0, writeMs: 0 };
    let data = state?.data;
    let units = state?.units;
    if (!data || data.version !== loaded.version) {
      const t = performance.now();
      data = await loadCoverageData(db);
      timings.loadMs = performance.now() - t;
      units = undefined;
    }
    if (!units || state?.loaded !== loaded) {
      const t = performance.now();
      units = linkUnits(loaded.graph, snapMany(loaded.graph, loaded.index, data.households.lon, data.households.lat));
      timings.snapHouseholdsMs = performance.now() - t;
    }
    let t = performance.now();
    const { centers, version } = await db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const [row] = await tx.query<{ version: string }>('SELECT version FROM data_state WHERE id = 1');
      return { version: row?.version, centers: await loadCenters(tx) };
    });
    // A center edit bumps the data version without touching households: when the
    // version now is the one that edit announced, the loaded households are still
    // current at it (the write-back guard compares against data.version).
    if (centersVersion !== undefined && version === centersVersion) data.version = version;
    const centerSnaps = snapMany(loaded.graph, loaded.index, centers.lon, centers.lat);
    timings.centersMs = performance.now() - t;

    const all = householdCoverage(loaded.graph, units, centerSnaps);
    timings.coverageMs = all.totalMs;
    timings.searchMs = all.searchMs;

    state = { loaded, data, centers, units, centerSnaps, all, timings, lastWrite: undefined, byKind: new Map(), targets: new Map() };
    lastError = undefined;
    logger.info('coverage computed', {
      reason,
      version: data.version,
      units: data.households.count,
      centers: centers.count,
      offNetworkUnits: countMissing(units.snaps),
      ...Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])),
    });
    // Write-back runs behind the answer: readers need the memory state, not the tables.
    if (writeBack) {
      const computed = state;
      writes = writes.then(() => writeBackAndPublish(computed)).catch((error: Error) => {
        logger.error('coverage write-back failed', { error: error.stack ?? String(error) });
      });
    }
    return state;
  }

  async function writeBackAndPublish(computed: CoverageState): Promise<void> {
    // A newer computation supersedes this one; its own write follows.
    if (state !== computed) return;
    const t = performance.now();
    const result = await writeCoverage(db, computed.data, computed.centers, computed.all);
    computed.lastWrite = result;
    computed.timings.writeMs = performance.now() - t;
    logger.info('coverage written back', { households: result.householdsChanged, grids: result.gridsChanged, ms: Math.round(computed.timings.writeMs), written: result.written });
    if (result.boxes.length > 0 && changes) {
      await changes.publish({ type: 'features', version: computed.data.version, layers: ['households', 'grids'], boxes: result.boxes });
    }
  }

  function enqueue(reason: 'graph' | 'centers', centersVersion?: string): Promise<CoverageState | undefined> {
    queue = queue
      .catch(() => undefined)
      .then(() => refresh(reason, centersVersion))
      .catch((error: Error) => {
        lastError = error.message;
        if (!(error instanceof ApiError)) logger.error('coverage failed', { error: error.stack ?? String(error) });
        return state;
      });
    return queue;
  }

  const unsubscribeGraph = routing.onGraph(() => void enqueue('graph'));
  const unsubscribeChanges = changes?.subscribe((change) => {
    if (change.type === 'features' && change.layers.includes('centers')) void enqueue('centers', change.version);
  });
  enqueue('graph');

  return {
    async ready() {
      // A graph (re)load may have just finished without our job queued yet: catch up first.
      const loaded = await routing.ready();
      if (!state || state.loaded !== loaded) await enqueue('graph');
      const current = (await queue) ?? state;
      if (!current) throw new ApiError(503, 'coverage_unavailable', `coverage is not available${lastError ? `: ${lastError}` : ''}`);
      return current;
    },
    forKind(current, kind) {
      if (kind === undefined) return current.all;
      checkKind(current.centers, kind);
      let coverage = current.byKind.get(kind);
      if (!coverage) {
        const centers = maskSnaps(current.centerSnaps, (i) => current.centers.kind[i] === kind);
        coverage = householdCoverage(current.loaded.graph, current.units, centers);
        current.byKind.set(kind, coverage);
      }
      return coverage;
    },
    targetsFor(current, kind) {
      checkKind(current.centers, kind);
      const key = kind ?? ALL;
      let targets = current.targets.get(key);
      if (!targets) {
        targets = buildTargetSet(current.centerSnaps, kind === undefined ? undefined : (i) => current.centers.kind[i] === kind);
        current.targets.set(key, targets);
      }
      return targets;
    },
    recompute: () => enqueue('centers'),
    async idle() {
      await queue.catch(() => undefined);
      await writes;
    },
    health() {
      if (!state) return { ready: false, error: lastError ?? null };
      return {
        ready: true,
        version: state.data.version,
        units: state.data.households.count,
        centers: state.centers.count,
        coverage_ms: Math.round(state.timings.coverageMs),
        error: lastError ?? null,
      };
    },
    async close() {
      closed = true;
      unsubscribeGraph();
      unsubscribeChanges?.();
      await queue.catch(() => undefined);
      await writes;
    },
  };
}

function countMissing(snaps: SnapColumns): number {
  let n = 0;
  for (let i = 0; i < snaps.count; i++) if (snaps.edge[i]! < 0) n++;
  return n;
}
