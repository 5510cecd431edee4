/**
 * Which coverage a coverage-shaped query reads: a scenario's (its own
 * evaluation, for the default walking profile only: summaries and tiles are
 * evaluated for it, and another profile would be a second evaluation per
 * scenario) or the live one for the query's profile, with the walking speed
 * the query asks for. Shared by GET /api/coverage and
 * GET /api/households/uncovered so the two always count the same households.
 */
import type { WalkProfileName } from '../../kernel/walk-speed.ts';
import { InvalidOption } from '../domain-errors.ts';
import { speedOf } from '../http/schemas.ts';
import type { ScenarioCoverage } from './coverage-routes.ts';
import type { CoverageService, LiveCoverage } from './coverage-service.ts';

export interface CoverageQuery {
  scenario?: number;
  profile: WalkProfileName;
  speed_kmh?: number;
}

export interface QueriedCoverage {
  /** The scenario's evaluation, when the query names one. */
  scenario: Awaited<ReturnType<ScenarioCoverage['evaluate']>> | undefined;
  /** The live coverage the answer is measured against (the scenario's baseline when there is one). */
  live: LiveCoverage;
  speedKmh: number;
}

/** The coverage a query reads; a scenario with another profile than the default is a 400 naming `profile`. */
export async function coverageForQuery(coverage: CoverageService, scenarios: ScenarioCoverage | undefined, query: CoverageQuery): Promise<QueriedCoverage> {
  if (query.scenario !== undefined && query.profile !== 'default') {
    throw new InvalidOption('profile', `scenario coverage is for the default profile; leave profile out (got ${query.profile})`);
  }
  const speedKmh = speedOf(query.profile, query.speed_kmh);
  const scenario = query.scenario === undefined || !scenarios ? undefined : await scenarios.evaluate(query.scenario);
  const live = scenario?.live ?? (await coverage.ready()).forProfile(query.profile);
  return { scenario, live, speedKmh };
}
