/**
 * Coverage as a pure evaluation: a set of center snaps against an access
 * model gives every household unit its walk time to the nearest of those
 * centers and which one it is, and roll-ups of those times per unit of any
 * level. No database, no side effects: the live coverage is one caller
 * (the live centers), scenarios and site suggestions are others (centers
 * added, moved or removed, snapped with the model's graph).
 */
import { rollup, thresholdSeconds, type Rollup } from './coverage-rollup.ts';
import type { Level } from './coverage-data.ts';
import { householdCoverage, type HouseholdCoverage } from './household-coverage.ts';
import type { AccessModel } from './access-model.ts';
import type { SnapColumns } from '../routing/search/snap.ts';

export type CoverageEvaluation = HouseholdCoverage;

/** Every unit's time to its nearest center among `centers` (snapped; edge -1 left out). */
export function evaluateCoverage(model: AccessModel, centers: SnapColumns): CoverageEvaluation {
  return householdCoverage(model.loaded.graph, model.units, centers, model.loaded.scratch);
}

/** Households and those within `minutes` at `speedKmh`, per unit of `level`, with the total. */
export function coverageByLevel(model: AccessModel, evaluation: CoverageEvaluation, level: Level, minutes: number, speedKmh: number): Rollup {
  return rollup(model.data.households, model.data.levels[level], evaluation.seconds, thresholdSeconds(minutes, speedKmh));
}
