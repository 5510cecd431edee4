/**
 * Scenarios as the rest of the server sees them: stored what-ifs evaluated
 * against the live access model. An evaluation is the live coverage
 * repaired for the scenario's center changes (center-changes.ts), with its
 * summary against the baseline; it is kept per scenario revision and data
 * version, so reading a scenario twice costs one evaluation, and a change to
 * the live data makes the next read evaluate again. Nothing here writes to
 * the live tables but `apply`, which goes through the center store.
 */
import { InvalidOption, ScenarioConflict, StaleScenario, UnknownScenario } from '../domain-errors.ts';
import type { AccessModel } from '../coverage/access-model.ts';
import type { CoverageService, LiveCoverage } from '../coverage/coverage-service.ts';
import type { Center, CenterEdit, CenterStore } from '../centers/center-store.ts';
import { recordAudit, type Actor } from '../auth/audit-log.ts';
import { ChangeScratch } from './center-changes.ts';
import { scenarioCenters } from './scenario-centers.ts';
import { evaluateScenario, type ScenarioEvaluation } from './scenario-evaluation.ts';
import type { ScenarioInput, ScenarioStore, StoredScenario } from './scenario-store.ts';
import { baselineFigures, type BaselineFigures } from './scenario-summary.ts';

export type { ScenarioEvaluation };

/** Evaluations kept (about 1 MB each on a city of 100,000 household units). */
const KEPT_EVALUATIONS = 16;

export interface ScenarioService {
  list(): Promise<StoredScenario[]>;
  /** The scenario and its evaluation; UnknownScenario, ScenarioConflict. */
  evaluate(id: number): Promise<ScenarioEvaluation>;
  /** Stores a new scenario after checking its changes against the live data (InvalidOption, OffNetwork). */
  create(input: ScenarioInput, actor: Actor): Promise<ScenarioEvaluation>;
  /** Replaces fields; the patch's changes are checked as create's (InvalidOption), kept ones that lost a center are ScenarioConflict (nothing stored). */
  update(id: number, patch: Partial<ScenarioInput>, actor: Actor): Promise<ScenarioEvaluation>;
  remove(id: number, actor: Actor): Promise<StoredScenario>;
  /**
   * Writes the changes to the live centers if the live data is still what the
   * last evaluation saw (StaleScenario); audited as one scenario.apply record
   * plus one record per center changed, all in the apply's transaction.
   */
  apply(id: number, actor: Actor): Promise<{ version: string; added: Center[]; moved: Center[]; removed: Center[] }>;
  /** Listeners for edits (the tile cache drops the scenario's tiles). */
  onEdit(listener: (id: number) => void): () => void;
}

export function createScenarioService(store: ScenarioStore, coverage: CoverageService, centers: CenterStore): ScenarioService {
  const kept = new Map<number, ScenarioEvaluation>();
  const baselines = new WeakMap<LiveCoverage, BaselineFigures>();
  const scratches = new WeakMap<AccessModel['units'], ChangeScratch>();
  const listeners = new Set<(id: number) => void>();

  /** Evaluates `scenario` on the live coverage now, with the scratch and baseline figures kept for that coverage. */
  function evaluateOn(live: LiveCoverage, scenario: StoredScenario): ScenarioEvaluation {
    const model = live.model;
    let scratch = scratches.get(model.units);
    if (!scratch) scratches.set(model.units, (scratch = new ChangeScratch(model.loaded.graph.nodeCount, model.units.count)));
    let baseline = baselines.get(live);
    if (!baseline) baselines.set(live, (baseline = baselineFigures(model.data.households, live.all)));
    return evaluateScenario(live, scenario, scratch, baseline);
  }

  function keep(evaluation: ScenarioEvaluation): ScenarioEvaluation {
    kept.delete(evaluation.scenario.id);
    kept.set(evaluation.scenario.id, evaluation);
    while (kept.size > KEPT_EVALUATIONS) kept.delete(kept.keys().next().value!);
    return evaluation;
  }

  /** Evaluates changes before they are stored: a center that does not exist is the caller's mistake (400), not a conflict. */
  function check(live: LiveCoverage, input: Partial<ScenarioInput>): void {
    if (!input.changes) return;
    try {
      scenarioCenters(live.model, input.changes);
    } catch (error) {
      if (error instanceof ScenarioConflict) {
        throw new InvalidOption(`changes[${error.change}].center_id`, `changes[${error.change}].center_id: no live center has id ${error.centerId} (or an earlier change removed it)`);
      }
      throw error;
    }
  }

  async function stored(id: number): Promise<StoredScenario> {
    const scenario = await store.get(id);
    if (!scenario) throw new UnknownScenario(id);
    return scenario;
  }

  return {
    list: () => store.list(),
    async evaluate(id) {
      const live = await coverage.ready();
      const scenario = await stored(id);
      const known = kept.get(id);
      if (known && known.scenario.revision === scenario.revision && known.live === live) return known;
      return keep(evaluateOn(live, scenario));
    },
    async create(input, actor) {
      const live = await coverage.ready();
      check(live, input);
      return keep(evaluateOn(live, await store.create(input, actor)));
    },
    async update(id, patch, actor) {
      const live = await coverage.ready();
      check(live, patch);
      // Kept changes that name a center the live data lost: 409 before anything is stored (or audited), so an error answer never hides a write.
      if (!patch.changes) scenarioCenters(live.model, (await stored(id)).changes, id);
      const scenario = await store.update(id, patch, actor);
      if (!scenario) throw new UnknownScenario(id);
      for (const listener of [...listeners]) listener(id);
      return keep(evaluateOn(live, scenario));
    },
    async remove(id, actor) {
      const scenario = await store.remove(id, actor);
      if (!scenario) throw new UnknownScenario(id);
      kept.delete(id);
      for (const listener of [...listeners]) listener(id);
      return scenario;
    },
    async apply(id, actor) {
      const live = await coverage.ready();
      const scenario = await stored(id);
      const known = kept.get(id);
      // The numbers the planner saw: the last evaluation of this revision, or one made now.
      const evaluation = known && known.scenario.revision === scenario.revision ? known : keep(evaluateOn(live, scenario));
      const edits: CenterEdit[] = scenario.changes.map((change) =>
        change.op === 'add'
          ? { op: 'add', center: { name: change.name, kind: change.kind, services: change.services, lon: change.lon, lat: change.lat } }
          : change.op === 'move'
            ? { op: 'move', id: change.center_id, lon: change.lon, lat: change.lat }
            : { op: 'remove', id: change.center_id },
      );
      const applied = await centers.applyEdits(
        edits,
        evaluation.model.version,
        (current) => new StaleScenario(id, evaluation.model.version, current),
        actor,
        (tx, done) =>
          recordAudit(tx, actor, {
            action: 'scenario.apply',
            entity: 'scenario',
            entityId: id,
            before: scenario,
            after: { revision: scenario.revision, added: done.added.map((c) => c.id), moved: done.moved.map((c) => c.id), removed: done.removed.map((c) => c.id) },
          }),
      );
      kept.delete(id);
      return applied;
    },
    onEdit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

