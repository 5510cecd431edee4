/**
 * The optimizers against brute force and against each other:
 *   - on small instances (random set systems, and 12 candidates on a
 *     synthetic network, k <= 3) the exact answer equals brute force over
 *     all k-subsets, and the fewest sites equal the brute-force minimum;
 *   - greedy with swaps is never above the exact optimum and never below the
 *     best of 1,000 random site sets;
 *   - every reported bound (submodular, Lagrangian, and the answer's) is at
 *     least the exact optimum; target_share answers reach the share;
 *   - the same input gives the same answer.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/synthetic-graph.ts';
import { thresholdSeconds } from '../../coverage/coverage-rollup.ts';
import { householdCoverage } from '../../coverage/household-coverage.ts';
import { generateCandidates, givenCandidates } from './candidate-sites.ts';
import { lagrangianBound, submodularBound } from './coverage-bound.ts';
import { buildCoverageSets, searchLimit, type CoverageSets } from './coverage-sets.ts';
import { CoverageTracker, coveredWeight } from './coverage-tracker.ts';
import { buildDemand } from './demand.ts';
import { groupDemand } from './demand-groups.ts';
import { solveExact } from './exact-ilp.ts';
import { fewestSites, greedyWithBounds } from './fewest-sites.ts';
import { swapImprove } from './greedy-swap.ts';
import { InvalidOption } from '../../domain-errors.ts';
import { suggestSites } from './suggest-sites.ts';
import type { SuggestOptions, SuggestWeight } from './suggest-options.ts';
import { bruteForce, randomCandidates, randomSets, syntheticCase, withoutTimings } from './suggest-test-fixture.ts';

/** n choose k. */
function subsets(n: number, k: number): number {
  let r = 1;
  for (let i = 0; i < k; i++) r = (r * (n - i)) / (i + 1);
  return r;
}

/** The fewest rows whose union reaches `need` (brute force by size), or Infinity. */
function bruteFewest(sets: CoverageSets, weight: Float64Array, need: number, max: number): number {
  for (let p = 0; p <= max; p++) if (bruteForce(sets, weight, p) >= need) return p;
  return Infinity;
}

describe('optimizers on random set systems', () => {
  it('exact equals brute force; greedy + swaps and every bound bracket it; fewest sites match', async () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { sets, weight } = randomSets(seed, 12, 40, 0.12 + 0.02 * (seed % 4));
      for (const k of [1, 2, 3]) {
        const best = bruteForce(sets, weight, k);
        const exact = await solveExact({ groups: groupDemand(sets, weight), k, timeLimitS: 10 });
        expect(exact.status).toBe('optimal');
        expect(coveredWeight(sets, weight, exact.rows), `seed ${seed} k ${k}`).toBe(best);

        const tracker = new CoverageTracker(sets, weight);
        const run = greedyWithBounds(tracker, k);
        expect(run.bounds[k]).toBeGreaterThanOrEqual(best);
        swapImprove(tracker, run.rows);
        expect(tracker.value).toBe(coveredWeight(sets, weight, run.rows));
        expect(tracker.value).toBeLessThanOrEqual(best);
        expect(submodularBound(tracker, k)).toBeGreaterThanOrEqual(best);
        expect(lagrangianBound(groupDemand(sets, weight), k, tracker.value).bound).toBeGreaterThanOrEqual(best);
      }
      const all = coveredWeight(sets, weight, Array.from({ length: sets.candidateCount }, (_, c) => c));
      for (const part of [0.3, 0.6, 0.9]) {
        const need = Math.ceil(part * all);
        const fewest = bruteFewest(sets, weight, need, 6);
        const heuristic = fewestSites(new CoverageTracker(sets, weight), need, 6);
        if (fewest === Infinity) {
          expect(heuristic.reached).toBe(false);
          continue;
        }
        expect(heuristic.reached).toBe(true);
        expect(coveredWeight(sets, weight, heuristic.rows)).toBeGreaterThanOrEqual(need);
        expect(heuristic.rows.length).toBeGreaterThanOrEqual(fewest);
        expect(heuristic.lowerBound).toBeLessThanOrEqual(fewest);
        const exact = await solveExact({ groups: groupDemand(sets, weight), k: 6, need, start: heuristic.rows, timeLimitS: 10 });
        expect(exact.status).toBe('optimal');
        expect(exact.rows.length, `seed ${seed} need ${need}`).toBe(fewest);
        expect(coveredWeight(sets, weight, exact.rows)).toBeGreaterThanOrEqual(need);
      }
    }
  });
});

describe('suggestSites on a synthetic network', () => {
  const c = syntheticCase({ seed: 11, cols: 20, rows: 20, households: 800, centers: 2 });
  const base: SuggestOptions = { minutes: 4 };

  /** The coverage sets suggestSites builds for these options (to brute-force them). */
  function setsFor(options: SuggestOptions, weight: SuggestWeight) {
    const threshold = thresholdSeconds(options.minutes ?? 15, options.speedKmh ?? 4);
    const current = householdCoverage(c.graph, c.units, c.centers).seconds;
    const demand = buildDemand(c.units, c.network.counts, current, threshold, weight, c.graph.nodeCount);
    const { sites } = givenCandidates(c.graph, c.index, options.candidates!);
    return { sets: buildCoverageSets(c.graph, c.units, demand, sites, threshold), demand };
  }

  it('with 12 candidates and k <= 3, exact equals brute force over all k-subsets, for both weights', async () => {
    for (const weight of ['households', 'persons'] as const) {
      for (const seed of [1, 2, 3]) {
        const options = { ...base, weight, candidates: randomCandidates(c, 12, seed * 13) };
        const { sets, demand } = setsFor(options, weight);
        for (const k of [1, 2, 3]) {
          const best = bruteForce(sets, demand.weight, k);
          const exact = await suggestSites({ network: c.network, centers: c.centers, options: { ...options, k, method: 'exact' } });
          expect(exact.status).toBe('optimal');
          expect(exact.totals.gained.weight, `${weight} seed ${seed} k ${k}`).toBe(best);
          const greedy = await suggestSites({ network: c.network, centers: c.centers, options: { ...options, k } });
          expect(greedy.totals.gained.weight).toBeLessThanOrEqual(best);
          expect(greedy.bound.objective === 'max_coverage' && greedy.bound.weight).toBeGreaterThanOrEqual(best);
          // The answer's parts add up: marginal gains, the curve, the totals.
          const sum = greedy.sites.reduce((s, site) => s + site.gained.weight, 0);
          expect(sum).toBe(greedy.totals.gained.weight);
          expect(greedy.curve.at(-1)?.weight ?? greedy.totals.before.weight).toBe(greedy.totals.after.weight);
        }
      }
    }
  });

  it('greedy with swaps (generated candidates) lies between the best of 1,000 random site sets and the exact optimum, below its bound', async () => {
    const big = syntheticCase({ seed: 6, cols: 30, rows: 30, households: 2500, centers: 3 });
    let solved = 0;
    for (const k of [4, 8, 12]) {
      const options: SuggestOptions = { minutes: 5, k };
      const greedy = await suggestSites({ network: big.network, centers: big.centers, options });
      const exact = await suggestSites({ network: big.network, centers: big.centers, options: { ...options, method: 'exact' } });
      expect(exact.status).toBe('optimal');
      // Where greedy's bound did not already prove it optimal, HiGHS ran.
      if (exact.solver.exact) solved++;
      const optimum = exact.totals.gained.weight;
      expect(greedy.totals.gained.weight).toBeLessThanOrEqual(optimum);
      expect(greedy.bound.objective === 'max_coverage' && greedy.bound.weight).toBeGreaterThanOrEqual(optimum);
      expect(greedy.candidates.count).toBeGreaterThan(100);

      // 1,000 random sets of k of the same candidates, evaluated on the same sets.
      const threshold = thresholdSeconds(5, 4);
      const current = householdCoverage(big.graph, big.units, big.centers).seconds;
      const demand = buildDemand(big.units, big.network.counts, current, threshold, 'households', big.graph.nodeCount);
      const random = seededRandom(k);
      const { sites } = generateCandidates(big.graph, big.index, big.units, demand, searchLimit(threshold), 100);
      const sets = buildCoverageSets(big.graph, big.units, demand, sites, threshold);
      // Random sets are drawn from every candidate, those inside another's set included.
      const rows = sets.candidateCount;
      expect(greedy.candidates.used + greedy.candidates.droppedDominated).toBe(rows);
      let bestRandom = 0;
      for (let trial = 0; trial < 1000; trial++) {
        const pick = new Set<number>();
        while (pick.size < Math.min(k, rows)) pick.add(Math.floor(random() * rows));
        bestRandom = Math.max(bestRandom, coveredWeight(sets, demand.weight, [...pick]));
      }
      expect(greedy.totals.gained.weight).toBeGreaterThanOrEqual(bestRandom);
    }
    expect(solved).toBeGreaterThanOrEqual(1);
  });

  it('target_share answers reach the share; greedy never uses fewer sites than exact, whose count is the bound', async () => {
    let bruteForced = 0;
    for (const add of [0.05, 0.2, 0.3, 0.4]) {
      const probe = await suggestSites({ network: c.network, centers: c.centers, options: { ...base, k: 1 } });
      const target = Math.min(1, probe.totals.before.share + add);
      const options: SuggestOptions = { ...base, targetShare: target, candidates: randomCandidates(c, 40, 99) };
      const greedy = await suggestSites({ network: c.network, centers: c.centers, options });
      const exact = await suggestSites({ network: c.network, centers: c.centers, options: { ...options, method: 'exact' } });
      if (exact.status === 'unreachable') {
        expect(greedy.status).toBe('unreachable');
        continue;
      }
      for (const answer of [greedy, exact]) {
        expect(answer.target?.reached).toBe(true);
        expect(answer.totals.after.share).toBeGreaterThanOrEqual(target - 1e-12);
      }
      expect(exact.status).toBe('optimal');
      expect(greedy.sites.length).toBeGreaterThanOrEqual(exact.sites.length);
      const lower = greedy.bound.objective === 'target_share' ? greedy.bound.sites : NaN;
      expect(lower).toBeLessThanOrEqual(exact.sites.length);
      // One site fewer than the exact answer cannot reach the target (brute force, where the subsets are few).
      const { sets, demand } = setsFor(options, 'households');
      if (subsets(sets.candidateCount, exact.sites.length - 1) <= 100_000) {
        expect(bruteForce(sets, demand.weight, exact.sites.length - 1)).toBeLessThan(exact.target!.weightToGain);
        bruteForced++;
      }
    }
    expect(bruteForced).toBeGreaterThanOrEqual(2);
  });

  it('target_share where the greedy bound leaves a gap: HiGHS closes it, with no more sites than greedy', async () => {
    const big = syntheticCase({ seed: 8, cols: 24, rows: 24, households: 1500, centers: 2 });
    const probe = await suggestSites({ network: big.network, centers: big.centers, options: { minutes: 5, k: 1 } });
    const options: SuggestOptions = { minutes: 5, targetShare: probe.totals.before.share + 0.6 };
    const greedy = await suggestSites({ network: big.network, centers: big.centers, options });
    const exact = await suggestSites({ network: big.network, centers: big.centers, options: { ...options, method: 'exact' } });
    expect(greedy.status).toBe('heuristic');
    expect(exact.solver.exact).not.toBeNull();
    expect(exact.status).toBe('optimal');
    for (const answer of [greedy, exact]) expect(answer.totals.after.share).toBeGreaterThanOrEqual(options.targetShare! - 1e-12);
    expect(exact.sites.length).toBeLessThan(greedy.sites.length);
    expect(greedy.bound.objective === 'target_share' ? greedy.bound.sites : NaN).toBeLessThanOrEqual(exact.sites.length);
    expect(exact.bound).toMatchObject({ sites: exact.sites.length, gap: 0 });
  });

  it('a share the candidates cannot reach is answered as unreachable, with the best effort', async () => {
    const answer = await suggestSites({ network: c.network, centers: c.centers, options: { ...base, targetShare: 1, candidates: randomCandidates(c, 5, 3) } });
    expect(answer.status).toBe('unreachable');
    expect(answer.target?.reached).toBe(false);
    expect(answer.sites.length).toBeGreaterThan(0);
  });

  it('answers with no sites when every household is covered already, and guards its limits', async () => {
    const zero = new Float32Array(c.units.count);
    const all = await suggestSites({ network: c.network, centers: c.centers, currentSeconds: zero, options: { k: 3 } });
    expect(all.sites).toEqual([]);
    expect(all.status).toBe('optimal');
    expect(all.totals.after).toEqual(all.totals.before);
    const reached = await suggestSites({ network: c.network, centers: c.centers, options: { targetShare: 0.01, minutes: 4 } });
    expect(reached.sites).toEqual([]);
    expect(reached.target?.reached).toBe(true);
    const bad: [SuggestOptions, string][] = [
      [{ k: 0 }, 'k'],
      [{ k: 51 }, 'k'],
      [{ k: 2.5 }, 'k'],
      [{}, 'k'],
      [{ k: 3, targetShare: 0.9 }, 'target_share'],
      [{ targetShare: 1.2 }, 'target_share'],
      [{ k: 3, timeLimitS: 121 }, 'time_limit_s'],
      [{ k: 3, minutes: 0 }, 'minutes'],
      [{ k: 3, speedKmh: 25 }, 'speed_kmh'],
      [{ k: 3, candidates: { lon: new Float64Array(20_001), lat: new Float64Array(20_001) } }, 'candidates'],
      [{ k: 3, candidates: { lon: Float64Array.of(NaN), lat: Float64Array.of(1) } }, 'candidates'],
    ];
    for (const [options, field] of bad) {
      await expect(suggestSites({ network: c.network, centers: c.centers, options }), JSON.stringify(options)).rejects.toMatchObject({ field });
    }
    const threshold = thresholdSeconds(4, 4);
    const current = householdCoverage(c.graph, c.units, c.centers).seconds;
    const demand = buildDemand(c.units, c.network.counts, current, threshold, 'households', c.graph.nodeCount);
    const { sites } = givenCandidates(c.graph, c.index, randomCandidates(c, 30, 1));
    expect(() => buildCoverageSets(c.graph, c.units, demand, sites, threshold, undefined, 50)).toThrow(InvalidOption);
  });

  it('gives the same answer for the same input', async () => {
    const options: SuggestOptions = { ...base, k: 6, weight: 'persons' };
    const a = await suggestSites({ network: c.network, centers: c.centers, options });
    const b = await suggestSites({ network: c.network, centers: c.centers, options });
    expect(withoutTimings(b)).toEqual(withoutTimings(a));
  });
});
