/**
 * The live coverage, as a thin loop around the access model: after every new
 * walk graph (an import) and every change to the centers it builds the
 * model (access-model.ts), evaluates the live centers (evaluate-coverage.ts),
 * serves that state, writes the changed rows back (coverage-writer.ts) and
 * tells the tile caches where coverage changed (a `features` change for the
 * 'households' and 'grids' layers). Coverage per center kind is evaluated on
 * first request and kept with the state it belongs to.
 *
 * Work runs one job at a time in a queue; readers await the queue and get
 * one consistent state (graph, households, centers and results of the same
 * data). Only this loop writes; other evaluations never do.
 */
import type { Database } from '../../kernel/db/database.ts';
import { CoverageNotReady, DomainError } from '../domain-errors.ts';
import type { DataChanges } from '../events/data-changes.ts';
import type { Logger } from '../logger.ts';
import type { RoutingService } from '../routing/routing-service.ts';
import type { WalkProfileName } from '../../kernel/walk-speed.ts';
import { buildAccessModel, centerSnapsOf, linkHouseholds, type AccessModel } from './access-model.ts';
import { linkUnits } from './household-coverage.ts';
import { loadCentersAt, loadCoverageData, type StoredCoverage } from './coverage-data.ts';
import { writeCoverage, type WriteBackResult } from './coverage-writer.ts';
import { evaluateCoverage, type CoverageEvaluation } from './evaluate-coverage.ts';

export interface CoverageTimings {
  /** Loading households, grids and admin names (once per graph). */
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

/** The live coverage at one moment: the model, the live centers' evaluation, and how it was made. */
export interface LiveCoverage {
  model: AccessModel;
  /** Coverage by the nearest service center (access-model.ts countsByDefault). */
  all: CoverageEvaluation;
  timings: CoverageTimings;
  /** The last write-back of this state, once done. */
  lastWrite: WriteBackResult | undefined;
  /** Coverage by the nearest center of `kind` (the service centers when undefined); UnknownKind for a kind no center has. */
  forKind(kind: string | undefined): CoverageEvaluation;
  /**
   * The same coverage for another walking profile: a model on the profile's
   * graph (its steps costs), the same households and centers; made on first
   * use and kept with this state. Never written back: the tables hold the
   * default profile's times.
   */
  forProfile(profile: WalkProfileName): LiveCoverage;
}

export interface CoverageService {
  /** The current state, after any queued recomputation; CoverageNotReady (or GraphNotReady) when there is none. */
  ready(): Promise<LiveCoverage>;
  /** Resolves when queued computations and their write-backs are done. */
  idle(): Promise<void>;
  /** Reloads the centers and recomputes (what a `centers` change does). */
  recompute(): Promise<LiveCoverage | undefined>;
  /**
   * The data version whose coverage the tables hold: written back (or found
   * unchanged) and its change published. Tiles of households and grids at
   * this version are final; undefined until the first write-back.
   */
  writtenVersion(): string | undefined;
  health(): Record<string, unknown>;
  /** Called after every computation and every write-back with how long it took (metrics); returns the unsubscriber. */
  onStep(listener: (step: CoverageStep) => void): () => void;
  close(): Promise<void>;
}

/** A computation (why it ran, and its timings) or a write-back (its duration), as it finishes. */
export type CoverageStep = { step: 'computed'; reason: 'graph' | 'centers'; timings: CoverageTimings } | { step: 'written'; ms: number };

export interface CoverageServiceOptions {
  /** Where the write-back goes (the primary). */
  db: Database;
  /** Where households and centers are read (a read replica's reader); `db` when absent. */
  readDb?: Database;
  logger: Logger;
  routing: RoutingService;
  changes?: DataChanges;
  /** Write walk_seconds and grid roll-ups back to the tables (default true). */
  writeBack?: boolean;
}

/** The live state around a model: per-kind evaluations and per-profile states memoised with it. */
function liveCoverage(model: AccessModel, all: CoverageEvaluation, timings: CoverageTimings): LiveCoverage {
  const byKind = new Map<string, CoverageEvaluation>();
  const byProfile = new Map<WalkProfileName, LiveCoverage>();
  const state: LiveCoverage = {
    model,
    all,
    timings,
    lastWrite: undefined,
    forProfile(profile) {
      if (profile === model.loaded.profile) return state;
      let other = byProfile.get(profile);
      if (!other) {
        const loaded = model.loaded.forProfile(profile);
        // Same snaps, links costed on the profile's graph (a unit on steps walks them slower).
        const units = linkUnits(loaded.graph, model.units.snaps);
        const profiled = buildAccessModel(model.version, loaded, model.data, units, model.centers);
        other = liveCoverage(profiled, evaluateCoverage(profiled, profiled.serviceSnaps), timings);
        byProfile.set(profile, other);
      }
      return other;
    },
    forKind(kind) {
      if (kind === undefined) return all;
      let evaluation = byKind.get(kind);
      if (!evaluation) {
        evaluation = evaluateCoverage(model, centerSnapsOf(model, kind));
        byKind.set(kind, evaluation);
      }
      return evaluation;
    },
  };
  return state;
}

function countOffNetwork(model: AccessModel): number {
  let n = 0;
  for (let i = 0; i < model.units.count; i++) if (model.units.snaps.edge[i]! < 0) n++;
  return n;
}

/** SQLSTATEs of a write-back that collided with another instance's (serialization failure, deadlock): tried again. */
const CONFLICTS = new Set(['40001', '40P01']);
const WRITE_ATTEMPTS = 4;

export function createCoverageService(options: CoverageServiceOptions): CoverageService {
  const { db, logger, routing, changes } = options;
  const readDb = options.readDb ?? db;
  const writeBack = options.writeBack ?? true;
  let state: LiveCoverage | undefined;
  /** What the tables hold (the write-back's memory), loaded with the households. */
  let stored: StoredCoverage | undefined;
  let lastError: string | undefined;
  let closed = false;
  let written: string | undefined;
  let queue: Promise<LiveCoverage | undefined> = Promise.resolve(undefined);
  let writes: Promise<void> = Promise.resolve();
  const stepListeners = new Set<(step: CoverageStep) => void>();
  const tell = (step: CoverageStep) => {
    for (const listener of stepListeners) listener(step);
  };

  async function refresh(reason: 'graph' | 'centers', centersVersion?: string): Promise<LiveCoverage | undefined> {
    if (closed) return state;
    const loaded = await routing.ready();
    const previous = state?.model;
    if (reason === 'graph' && previous?.loaded === loaded) return state;

    const timings: CoverageTimings = { loadMs: 0, snapHouseholdsMs: 0, centersMs: 0, coverageMs: 0, searchMs: 0, writeMs: 0 };
    // Households change only with an import, which brings a new graph: reload and relink them then.
    let data = previous?.data;
    let units = previous?.units;
    let householdsVersion = previous?.version;
    if (!previous || previous.loaded !== loaded) {
      let t = performance.now();
      const loadedData = await loadCoverageData(readDb);
      data = loadedData.data;
      stored = loadedData.stored;
      householdsVersion = data.version;
      timings.loadMs = performance.now() - t;
      t = performance.now();
      units = linkHouseholds(loaded, data);
      timings.snapHouseholdsMs = performance.now() - t;
    }
    const t = performance.now();
    const { version, centers } = await loadCentersAt(readDb);
    // A center edit bumps the data version without touching households: when
    // the version now is the one that edit announced, the households are
    // still current at it. Otherwise the model keeps the households' version,
    // and the write-back (which compares versions) waits for the next change.
    const current = version !== undefined && (version === householdsVersion || version === centersVersion);
    const model = buildAccessModel(current ? version : householdsVersion!, loaded, data!, units!, centers);
    timings.centersMs = performance.now() - t;

    const all = evaluateCoverage(model, model.serviceSnaps);
    timings.coverageMs = all.totalMs;
    timings.searchMs = all.searchMs;

    state = liveCoverage(model, all, timings);
    lastError = undefined;
    logger.info('coverage computed', {
      reason,
      version: model.version,
      units: model.data.households.count,
      centers: centers.count,
      offNetworkUnits: countOffNetwork(model),
      ...Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])),
    });
    tell({ step: 'computed', reason, timings });
    // Write-back runs behind the answer: readers need the memory state, not the tables.
    if (!writeBack) written = model.version;
    if (writeBack) {
      const computed = state;
      writes = writes.then(() => writeBackAndPublish(computed)).catch((error: Error) => {
        logger.error('coverage write-back failed', { error: error.stack ?? String(error) });
      });
    }
    return state;
  }

  async function writeBackAndPublish(computed: LiveCoverage): Promise<void> {
    // A newer computation supersedes this one; its own write follows.
    if (state !== computed || !stored) return;
    const t = performance.now();
    const { model } = computed;
    const input = { version: model.version, data: model.data, centers: model.centers, coverage: computed.all };
    let result: WriteBackResult;
    for (let attempt = 1; ; attempt++) {
      try {
        result = await writeCoverage(db, stored, input);
        break;
      } catch (error) {
        // Another instance wrote the same rows at the same moment (both compute every change): once it
        // has committed this one goes through, and its own memory and writtenVersion() follow.
        if (!CONFLICTS.has((error as { code?: string }).code ?? '') || attempt >= WRITE_ATTEMPTS || state !== computed) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
    computed.lastWrite = result;
    computed.timings.writeMs = performance.now() - t;
    tell({ step: 'written', ms: computed.timings.writeMs });
    logger.info('coverage written back', { households: result.householdsChanged, grids: result.gridsChanged, ms: Math.round(computed.timings.writeMs), written: result.written });
    if (result.boxes.length > 0 && changes) {
      await changes.publish({ type: 'features', version: model.version, layers: ['households', 'grids'], boxes: result.boxes });
    }
    // Only after the publish: the tile caches have dropped what the write changed.
    if (result.written) written = model.version;
  }

  function enqueue(reason: 'graph' | 'centers', centersVersion?: string): Promise<LiveCoverage | undefined> {
    queue = queue
      .catch(() => undefined)
      .then(() => refresh(reason, centersVersion))
      .catch((error: Error) => {
        lastError = error.message;
        if (!(error instanceof DomainError)) logger.error('coverage failed', { error: error.stack ?? String(error) });
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
      if (!state || state.model.loaded !== loaded) await enqueue('graph');
      const current = (await queue) ?? state;
      if (!current) throw new CoverageNotReady(lastError);
      return current;
    },
    recompute: () => enqueue('centers'),
    writtenVersion: () => written,
    async idle() {
      await queue.catch(() => undefined);
      await writes;
    },
    health() {
      if (!state) return { ready: false, error: lastError ?? null };
      return {
        ready: true,
        version: state.model.version,
        units: state.model.data.households.count,
        centers: state.model.centers.count,
        coverage_ms: Math.round(state.timings.coverageMs),
        error: lastError ?? null,
      };
    },
    onStep(listener) {
      stepListeners.add(listener);
      return () => stepListeners.delete(listener);
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
