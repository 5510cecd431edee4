/**
 * One scenario evaluated on the live coverage, as a pure function: its
 * center set (scenario-centers.ts), the live coverage repaired for the
 * centers it changes (center-changes.ts), and its summary against the
 * baseline (scenario-summary.ts). The scenario service keeps the results;
 * the planning benchmark times this.
 */
import { UnknownKind } from '../domain-errors.ts';
import { countsByDefault, type AccessModel } from '../coverage/access-model.ts';
import type { LiveCoverage } from '../coverage/coverage-service.ts';
import { householdCoverage, maskSnaps, type HouseholdCoverage } from '../coverage/household-coverage.ts';
import { coverageAfterChanges, type ChangeScratch } from './center-changes.ts';
import { scenarioCenters, type ScenarioCenters } from './scenario-centers.ts';
import type { StoredScenario } from './scenario-store.ts';
import { scenarioFigures, scenarioSummary, type BaselineFigures, type ScenarioSummary } from './scenario-summary.ts';

export interface ScenarioEvaluation {
  scenario: StoredScenario;
  /** The live model it was evaluated on; its version is the data version of the answer. */
  model: AccessModel;
  live: LiveCoverage;
  centers: ScenarioCenters;
  /** Per household unit: seconds and nearest center (an index into `centers`). */
  coverage: Pick<HouseholdCoverage, 'seconds' | 'nearest'>;
  summary: ScenarioSummary;
  /** The scenario's coverage by the centers of one kind (all when undefined); UnknownKind for a kind it has none of. */
  forKind(kind: string | undefined): Pick<HouseholdCoverage, 'seconds' | 'nearest'>;
  /** Milliseconds the evaluation took (centers, repair and summary). */
  ms: number;
}

/** Evaluates `scenario` on `live` with a scratch and the baseline figures of that live coverage. */
export function evaluateScenario(live: LiveCoverage, scenario: StoredScenario, scratch: ChangeScratch, baseline: BaselineFigures): ScenarioEvaluation {
  const started = performance.now();
  const model = live.model;
  const set = scenarioCenters(model, scenario.changes, scenario.id);
  // Without a kind, coverage counts the service centers only: the scenario's too.
  const serviceSnaps = maskSnaps(set.snaps, (i) => countsByDefault(set.kind[i]!));
  const repaired = coverageAfterChanges(model.loaded.graph, model.units, model.serviceSnaps, live.all, serviceSnaps, scratch);
  const figures = scenarioFigures(model.data.households, baseline, live.all, repaired.coverage, repaired.changedUnits);
  const result = { seconds: repaired.coverage.seconds, nearest: repaired.coverage.nearest };
  const byKind = new Map<string, Pick<HouseholdCoverage, 'seconds' | 'nearest'>>();
  return {
    scenario,
    model,
    live,
    centers: set,
    coverage: result,
    summary: scenarioSummary(model.data.households, baseline, live.all, figures, repaired.coverage),
    ms: performance.now() - started,
    forKind(kind) {
      if (kind === undefined) return result;
      if (!set.kinds.includes(kind)) throw new UnknownKind(kind, set.kinds);
      let one = byKind.get(kind);
      if (!one) {
        const snaps = maskSnaps(set.snaps, (i) => set.kind[i] === kind);
        byKind.set(kind, (one = householdCoverage(model.loaded.graph, model.units, snaps, model.loaded.scratch)));
      }
      return one;
    },
  };
}
