/**
 * Site suggestions as the HTTP edge asks for them: the fixed centers (the
 * live ones, or a scenario's; of one kind or all) and their current walk
 * times are taken from the coverage already in memory, then the engine
 * (suggest/suggest-sites.ts) runs in the runner's worker thread, so the
 * request thread keeps answering tiles and isochrones meanwhile. The answer
 * is the engine's result in the API's words, with the sites also written
 * as scenario changes.
 */
import { InvalidOption, UnknownKind } from '../domain-errors.ts';
import { speedOf } from '../http/schemas.ts';
import type { AccessModel } from '../coverage/access-model.ts';
import { centerSnapsOf, countsByDefault } from '../coverage/access-model.ts';
import type { CoverageService } from '../coverage/coverage-service.ts';
import { maskSnaps } from '../coverage/household-coverage.ts';
import type { SnapColumns } from '../routing/search/snap.ts';
import type { ScenarioService } from './scenario-service.ts';
import type { SuggestAnswerBody, SuggestRequestBody } from './suggest-schemas.ts';
import { candidatePoints } from './suggest/suggest-options.ts';
import type { SuggestResult } from './suggest/suggest-result.ts';
import type { SuggestRunner } from './suggest/suggest-runner.ts';
import { suggestNetworkOf } from './suggest/suggest-sites.ts';

/** The kind a suggested site gets when the request names none: the 15-minute circle's community service center. */
export const DEFAULT_SITE_KIND = 'neighborhood';

export interface SuggestService {
  /** Suggests sites; the errors are the engine's (InvalidOption, OffNetwork, OutsideData) and UnknownKind, UnknownScenario, ScenarioConflict. */
  suggest(request: SuggestRequestBody, signal?: AbortSignal): Promise<SuggestAnswerBody>;
}

/** What stays fixed: the centers that cover today, and their walk times per household unit (graph seconds). */
interface FixedCenters {
  model: AccessModel;
  centers: SnapColumns;
  seconds: Float32Array;
  scenario: { id: number; revision: number } | null;
}

export function createSuggestService(coverage: CoverageService, scenarios: ScenarioService, runner: SuggestRunner): SuggestService {
  async function fixedCenters(request: SuggestRequestBody): Promise<FixedCenters> {
    const { kind } = request;
    if (request.scenario === undefined) {
      const live = (await coverage.ready()).forProfile(request.profile);
      return { model: live.model, centers: centerSnapsOf(live.model, kind), seconds: live.forKind(kind).seconds, scenario: null };
    }
    // Scenarios are evaluated for the default profile only.
    if (request.profile !== 'default') throw new InvalidOption('profile', `suggestions on a scenario are for the default profile; leave profile out (got ${request.profile})`);
    const evaluation = await scenarios.evaluate(request.scenario);
    const set = evaluation.centers;
    if (kind !== undefined && !set.kinds.includes(kind)) throw new UnknownKind(kind, set.kinds);
    return {
      model: evaluation.model,
      // Removed centers already have edge -1 in the scenario's snaps.
      centers: maskSnaps(set.snaps, (i) => (kind === undefined ? countsByDefault(set.kind[i]!) : set.kind[i] === kind)),
      seconds: evaluation.forKind(kind).seconds,
      scenario: { id: evaluation.scenario.id, revision: evaluation.scenario.revision },
    };
  }

  return {
    async suggest(request, signal) {
      const started = performance.now();
      const fixed = await fixedCenters(request);
      const result = await runner.run(
        {
          network: suggestNetworkOf(fixed.model),
          centers: fixed.centers,
          currentSeconds: fixed.seconds,
          options: {
            k: request.k,
            targetShare: request.target_share,
            minutes: request.minutes,
            speedKmh: speedOf(request.profile, request.speed_kmh),
            weight: request.weight,
            method: request.method,
            timeLimitS: request.time_limit_s,
            candidates: request.candidates ? candidatePoints(request.candidates) : undefined,
          },
        },
        { signal },
      );
      const elapsedMs = performance.now() - started;
      return toAnswer(result, fixed, request.kind ?? null, elapsedMs);
    },
  };
}

const ms = (value: number) => Math.round(value * 10) / 10;
/** Degrees as the engine rounded them (1e-7), without binary fractions' tails such as 119.00651959999999. */
const degrees = (value: number) => Number(value.toFixed(7));

/** The engine's result in the API's words (suggest-schemas.ts SuggestAnswer). */
function toAnswer(result: SuggestResult, fixed: FixedCenters, kind: string | null, elapsedMs: number): SuggestAnswerBody {
  const { bound, timings } = result;
  // An unreachable target has no answer to measure a gap from.
  const gap = result.status === 'unreachable' ? null : bound.gap;
  const siteKind = kind ?? DEFAULT_SITE_KIND;
  return {
    data_version: fixed.model.version,
    scenario: fixed.scenario,
    kind,
    objective: result.objective,
    method: result.method,
    status: result.status,
    weight: result.weight,
    minutes: result.minutes,
    profile: fixed.model.loaded.profile,
    speed_kmh: result.speedKmh,
    k: result.k,
    target: result.target ? { share: result.target.share, weight_to_gain: result.target.weightToGain, reached: result.target.reached } : null,
    sites: result.sites.map((site) => ({
      rank: site.rank,
      lon: degrees(site.lon),
      lat: degrees(site.lat),
      street: { lon: degrees(site.street.lon), lat: degrees(site.street.lat), access_m: Math.round(site.street.accessM * 10) / 10 },
      candidate: site.candidate,
      gained: site.gained,
    })),
    curve: result.curve,
    totals: result.totals,
    bound:
      bound.objective === 'max_coverage'
        ? { weight: bound.weight, share: bound.share, sites: null, gap, source: bound.source }
        : { weight: null, share: null, sites: bound.sites, gap, source: bound.source },
    candidates: {
      generated: result.candidates.generated,
      rule: result.candidates.rule,
      spacing_m: result.candidates.spacingM,
      count: result.candidates.count,
      used: result.candidates.used,
      dropped_empty: result.candidates.droppedEmpty,
      dropped_duplicate: result.candidates.droppedDuplicate,
      dropped_dominated: result.candidates.droppedDominated,
    },
    coverage_sets: { demand_units: result.coverageSets.demandUnits, entries: result.coverageSets.entries, bytes: result.coverageSets.bytes },
    timings_ms: {
      current: ms(timings.currentMs),
      candidates: ms(timings.candidatesMs),
      coverage_sets: ms(timings.coverageSetsMs),
      heuristic: ms(timings.heuristicMs),
      bound: ms(timings.boundMs),
      exact: ms(timings.exactMs),
      engine: ms(timings.totalMs),
      // Queueing behind another suggestion, sending the network to the worker the first time, and the fixed centers' lookup.
      waiting: ms(Math.max(0, elapsedMs - timings.totalMs)),
      total: ms(elapsedMs),
    },
    changes: result.sites.map((site) => ({ op: 'add' as const, name: `建议站点 ${site.rank}`, kind: siteKind, lon: degrees(site.lon), lat: degrees(site.lat), services: [] })),
  };
}
