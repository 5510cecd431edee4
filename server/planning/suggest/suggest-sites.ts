/**
 * The site-suggestion engine's one entry point: plain data in (the network's
 * typed arrays, the fixed centers, the options), a SuggestResult out, so it
 * runs the same on the request thread, in a test, or inside the worker
 * (suggest-runner.ts). The stages, each in a module of its own:
 *
 *   current times   householdCoverage of the fixed centers (unless given)
 *   demand          demand.ts: units not yet covered, with their weights
 *   candidates      candidate-sites.ts: given and snapped, or generated
 *   coverage sets   coverage-sets.ts: one bounded reverse search each;
 *                   dominated-sites.ts: sets inside others dropped
 *   heuristic       greedy-swap.ts / fewest-sites.ts on coverage-tracker.ts
 *   bound           coverage-bound.ts: submodular and Lagrangian bounds
 *                   (on demand-groups.ts: units merged by covering candidates)
 *   exact           exact-ilp.ts: HiGHS within the time limit
 *   answer          sites in order with marginal gains, curve, totals, gap
 */
import { householdCoverage, type LinkedUnits } from '../../coverage/household-coverage.ts';
import { thresholdSeconds } from '../../coverage/coverage-rollup.ts';
import type { AccessModel } from '../../coverage/access-model.ts';
import type { EdgeIndex } from '../../routing/graph/edge-index.ts';
import type { WalkGraph } from '../../routing/graph/walk-graph.ts';
import type { SearchScratch } from '../../routing/search/search-state.ts';
import type { SnapColumns } from '../../routing/search/snap.ts';
import { demandReach, generateCandidates, givenCandidates, type CandidateSites } from './candidate-sites.ts';
import { lagrangianBound, lagrangianSitesBound, submodularBound } from './coverage-bound.ts';
import { buildCoverageSets, coverageSetBytes, searchLimit, type CoverageSets } from './coverage-sets.ts';
import { CoverageTracker, coveredWeight } from './coverage-tracker.ts';
import { buildDemand, type Demand, type UnitCounts } from './demand.ts';
import { groupDemand } from './demand-groups.ts';
import { dropDominated } from './dominated-sites.ts';
import { solveExact, type ExactResult } from './exact-ilp.ts';
import { fewestSites, greedyWithBounds } from './fewest-sites.ts';
import { orderSites, swapImprove } from './greedy-swap.ts';
import { MAX_SITES, resolveSuggestOptions, type ResolvedSuggestOptions, type SuggestOptions } from './suggest-options.ts';
import type { Amounts, CoveredAmounts, CurvePoint, SuggestBound, SuggestedSite, SuggestResult } from './suggest-result.ts';

/** How long swaps may run before the answer is taken as it is, ms. */
const SWAP_BUDGET_MS = 2000;
/** How long the Lagrangian bound may step, ms (for target_share: all its probes together). */
const BOUND_BUDGET_MS = 2000;

/** What the engine needs of a data version (all typed arrays; sent to the worker once per graph). */
export interface SuggestNetwork {
  graph: WalkGraph;
  index: EdgeIndex;
  units: LinkedUnits;
  counts: UnitCounts;
}

export interface SuggestInput {
  network: SuggestNetwork;
  /** The fixed centers (live or a scenario's, of the kind asked; edge -1 = left out). */
  centers: SnapColumns;
  /** householdCoverage(graph, units, centers).seconds when the caller has it; computed otherwise. */
  currentSeconds?: Float32Array;
  options: SuggestOptions;
}

/** The network of an access model. */
export function suggestNetworkOf(model: AccessModel): SuggestNetwork {
  const { households, persons } = model.data.households;
  return { graph: model.loaded.graph, index: model.loaded.index, units: model.units, counts: { households, persons } };
}

/** Runs a suggestion (see the module header). Throws InvalidOption, OutsideData or OffNetwork on bad input. */
export async function suggestSites(input: SuggestInput, scratch?: SearchScratch): Promise<SuggestResult> {
  const started = performance.now();
  const options = resolveSuggestOptions(input.options);
  const { graph, index, units, counts } = input.network;
  const threshold = thresholdSeconds(options.minutes, options.speedKmh);
  if (input.currentSeconds && input.currentSeconds.length !== units.count) {
    throw new Error(`currentSeconds has ${input.currentSeconds.length} times for ${units.count} household units`);
  }
  let t = performance.now();
  const current = input.currentSeconds ?? householdCoverage(graph, units, input.centers, scratch).seconds;
  const currentMs = performance.now() - t;

  const demand = buildDemand(units, counts, current, threshold, options.weight, graph.nodeCount);
  t = performance.now();
  const reach = demandReach(graph, units, demand, searchLimit(threshold), scratch);
  const { sites, rule } = options.candidates
    ? givenCandidates(graph, index, options.candidates)
    : generateCandidates(graph, index, units, demand, searchLimit(threshold), options.spacingM, scratch, undefined, reach);
  const candidatesMs = performance.now() - t;
  t = performance.now();
  const sets = dropDominated(buildCoverageSets(graph, units, demand, sites, threshold, scratch, undefined, reach));
  const coverageSetsMs = performance.now() - t;

  const solved = options.objective === 'max_coverage' ? await maxCoverage(sets, demand, options, started) : await targetShare(sets, demand, options, started);
  const answer = describe(sets, demand, sites, counts, solved.rows);
  const gained = answer.after.weight - demand.covered.weight;
  const bound: SuggestBound =
    solved.kind === 'max_coverage'
      ? {
          objective: 'max_coverage',
          weight: solved.bound,
          share: share(demand.covered.weight + solved.bound, demand.total.weight),
          gap: solved.bound > 0 ? (solved.bound - gained) / solved.bound : 0,
          source: solved.boundSource,
        }
      : { objective: 'target_share', sites: solved.bound, gap: answer.sites.length - solved.bound, source: solved.boundSource };
  return {
    objective: options.objective,
    method: options.method,
    status: solved.status,
    weight: options.weight,
    minutes: options.minutes,
    speedKmh: options.speedKmh,
    thresholdSeconds: threshold,
    k: options.objective === 'max_coverage' ? options.k : null,
    target: solved.kind === 'target_share' ? { share: options.targetShare!, weightToGain: solved.need, reached: gained >= solved.need } : null,
    sites: answer.sites,
    curve: answer.curve,
    totals: {
      all: { ...demand.total },
      before: { ...demand.covered, share: share(demand.covered.weight, demand.total.weight) },
      after: answer.after,
      gained: { weight: gained, households: answer.after.households - demand.covered.households, persons: answer.after.persons - demand.covered.persons },
    },
    bound,
    candidates: {
      generated: rule.generated,
      rule: rule.rule,
      spacingM: rule.spacingM,
      count: sites.count,
      used: sets.candidateCount,
      droppedEmpty: sets.dropped.empty,
      droppedDuplicate: sets.dropped.duplicate,
      droppedDominated: sets.dropped.dominated,
    },
    coverageSets: { demandUnits: demand.count, entries: sets.candidateDemands.length, bytes: coverageSetBytes(sets) },
    solver: {
      swaps: solved.swaps,
      swapPasses: solved.swapPasses,
      lagrangianSteps: solved.lagrangianSteps,
      exact: solved.exact ? { status: solved.exact.status, ...solved.exact.model, ms: solved.exact.ms } : null,
    },
    timings: { currentMs, candidatesMs, coverageSetsMs, heuristicMs: solved.heuristicMs, boundMs: solved.boundMs, exactMs: solved.exact?.ms ?? 0, totalMs: performance.now() - started },
  };
}

const share = (covered: number, total: number) => (total > 0 ? covered / total : 0);

interface Solved {
  kind: 'max_coverage' | 'target_share';
  rows: number[];
  status: SuggestResult['status'];
  /** max_coverage: upper bound on the weight gained; target_share: lower bound on sites. */
  bound: number;
  boundSource: string;
  need: number;
  swaps: number;
  swapPasses: number;
  lagrangianSteps: number;
  exact: ExactResult | null;
  heuristicMs: number;
  boundMs: number;
}

/** Seconds left of the request's time limit, for the exact solve. */
const secondsLeft = (options: ResolvedSuggestOptions, started: number) => options.timeLimitS - (performance.now() - started) / 1000;

/** k sites covering the most: greedy, swaps, bounds, and (exact) HiGHS from the greedy answer. */
async function maxCoverage(sets: CoverageSets, demand: Demand, options: ResolvedSuggestOptions, started: number): Promise<Solved> {
  const k = options.k;
  let t = performance.now();
  const tracker = new CoverageTracker(sets, demand.weight);
  const run = greedyWithBounds(tracker, k);
  let rows = run.rows;
  const swap = swapImprove(tracker, rows, performance.now() + SWAP_BUDGET_MS);
  let value = tracker.value;
  const heuristicMs = performance.now() - t;

  t = performance.now();
  let bound = Math.min(run.bounds[k]!, submodularBound(tracker, k));
  let boundSource = 'submodular';
  let lagrangianSteps = 0;
  // Units merged by their covering candidates: the bound and the program are the same problem, smaller.
  const groups = bound > value ? groupDemand(sets, demand.weight) : null;
  if (groups) {
    const lagrangian = lagrangianBound(groups, k, value, performance.now() + BOUND_BUDGET_MS);
    lagrangianSteps = lagrangian.steps;
    if (lagrangian.bound < bound) {
      bound = lagrangian.bound;
      boundSource = 'lagrangian';
    }
  }
  const boundMs = performance.now() - t;

  let exact: ExactResult | null = null;
  if (options.method === 'exact' && groups && bound > value) {
    exact = await solveExact({ groups, k, start: rows, timeLimitS: secondsLeft(options, started) });
    const exactValue = coveredWeight(sets, demand.weight, exact.rows);
    if (exact.rows.length > 0 && exactValue > value) {
      rows = exact.rows;
      value = exactValue;
    }
    if (exact.status === 'optimal') {
      bound = value;
      boundSource = 'exact';
    } else if (Number.isFinite(exact.bound) && Math.floor(exact.bound + 1e-6) < bound) {
      bound = Math.floor(exact.bound + 1e-6);
      boundSource = 'exact (dual bound)';
    }
  }
  bound = Math.max(bound, value);
  const status = value >= bound ? 'optimal' : options.method === 'exact' ? 'time_limit' : 'heuristic';
  return { kind: 'max_coverage', rows, status, bound, boundSource, need: 0, swaps: swap.swaps, swapPasses: swap.passes, lagrangianSteps, exact, heuristicMs, boundMs };
}

/** The fewest sites reaching the target share: greedy then fewer by swaps, Lagrangian probes below, and (exact) HiGHS. */
async function targetShare(sets: CoverageSets, demand: Demand, options: ResolvedSuggestOptions, started: number): Promise<Solved> {
  const goal = options.targetShare! * demand.total.weight - demand.covered.weight;
  // Whole weights: gaining ceil(goal) reaches the share (a hair of float noise forgiven).
  const need = Math.max(0, Math.ceil(goal - 1e-9 * Math.max(1, Math.abs(goal))));
  let t = performance.now();
  const tracker = new CoverageTracker(sets, demand.weight);
  const heuristic = fewestSites(tracker, need, MAX_SITES, performance.now() + SWAP_BUDGET_MS);
  const heuristicMs = performance.now() - t;
  let rows = heuristic.rows;
  let reached = heuristic.reached;
  let lowerBound = heuristic.lowerBound;
  let boundSource = 'submodular';
  let lagrangianSteps = 0;
  t = performance.now();
  const groups = need > 0 ? groupDemand(sets, demand.weight) : null;
  if (groups && reached && rows.length > lowerBound) {
    const lagrangian = lagrangianSitesBound(groups, need, lowerBound, rows.length, performance.now() + BOUND_BUDGET_MS);
    lagrangianSteps = lagrangian.steps;
    if (lagrangian.sites > lowerBound) {
      lowerBound = lagrangian.sites;
      boundSource = 'lagrangian';
    }
  }
  const boundMs = performance.now() - t;
  let exact: ExactResult | null = null;
  if (options.method === 'exact' && groups && !(reached && rows.length <= lowerBound) && lowerBound <= MAX_SITES) {
    exact = await solveExact({ groups, k: MAX_SITES, need, start: reached ? rows : undefined, timeLimitS: secondsLeft(options, started) });
    if (exact.status === 'infeasible') {
      lowerBound = MAX_SITES + 1;
      boundSource = 'exact';
    } else {
      const exactReaches = exact.rows.length > 0 && coveredWeight(sets, demand.weight, exact.rows) >= need;
      if (exactReaches && (!reached || exact.rows.length < rows.length)) {
        rows = exact.rows;
        reached = true;
      }
      if (exact.status === 'optimal' && exactReaches) {
        lowerBound = rows.length;
        boundSource = 'exact';
      } else if (Number.isFinite(exact.bound) && Math.ceil(exact.bound - 1e-6) > lowerBound) {
        lowerBound = Math.ceil(exact.bound - 1e-6);
        boundSource = 'exact (dual bound)';
      }
    }
  }
  const status = !reached ? 'unreachable' : rows.length <= lowerBound ? 'optimal' : options.method === 'exact' ? 'time_limit' : 'heuristic';
  return { kind: 'target_share', rows, status, bound: lowerBound, boundSource, need, swaps: heuristic.swaps, swapPasses: 0, lagrangianSteps, exact, heuristicMs, boundMs };
}

/** The answer's sites in order with their marginal gains, the curve and the totals after. */
function describe(sets: CoverageSets, demand: Demand, sites: CandidateSites, counts: UnitCounts, chosen: number[]): { sites: SuggestedSite[]; curve: CurvePoint[]; after: CoveredAmounts } {
  const { rows, gains } = orderSites(sets, demand.weight, chosen);
  const covered = new Uint8Array(demand.count);
  const running: Amounts = { ...demand.covered };
  const out: SuggestedSite[] = [];
  const curve: CurvePoint[] = [];
  rows.forEach((r, i) => {
    // A site that adds nothing to those before it (an exact answer may hold spare ones) is left out.
    if (gains[i]! <= 0) return;
    const gained: Amounts = { weight: 0, households: 0, persons: 0 };
    for (let q = sets.candidateOffset[r]!, end = sets.candidateOffset[r + 1]!; q < end; q++) {
      const d = sets.candidateDemands[q]!;
      if (covered[d] !== 0) continue;
      covered[d] = 1;
      const u = demand.unit[d]!;
      gained.weight += demand.weight[d]!;
      gained.households += counts.households[u]!;
      gained.persons += Math.max(0, counts.persons[u]!);
    }
    running.weight += gained.weight;
    running.households += gained.households;
    running.persons += gained.persons;
    const c = sets.candidateOf[r]!;
    out.push({
      rank: out.length + 1,
      lon: sites.lon[c]!,
      lat: sites.lat[c]!,
      street: { lon: sites.streetLon[c]!, lat: sites.streetLat[c]!, edge: sites.edge[c]!, fraction: sites.fraction[c]!, accessM: sites.distanceM[c]! },
      candidate: c,
      gained,
    });
    curve.push({ sites: out.length, ...running, share: share(running.weight, demand.total.weight) });
  });
  return { sites: out, curve, after: { ...running, share: share(running.weight, demand.total.weight) } };
}
