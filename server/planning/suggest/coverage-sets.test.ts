/**
 * Coverage sets against the definition: what householdCoverage says the
 * fixed centers plus the candidate cover, minus what they covered before,
 * unit by unit, with one-way paths, candidates on the units' own edges, given
 * and generated candidates, several thresholds and speeds, with the searches
 * pruned by the demand's reach and without. A set of chosen
 * sites, added as centers (also re-snapped from their reported points, as a
 * scenario would add them), covers exactly the union of their sets.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/synthetic-graph.ts';
import { thresholdSeconds } from '../../coverage/coverage-rollup.ts';
import { householdCoverage } from '../../coverage/household-coverage.ts';
import { localScale } from '../../../kernel/geo.ts';
import { snapMany } from '../../routing/search/snap.ts';
import { demandReach, generateCandidates, givenCandidates, sliceSites, type CandidateSites } from './candidate-sites.ts';
import { buildCoverageSets, searchLimit, type CoverageSets } from './coverage-sets.ts';
import { buildDemand, type Demand } from './demand.ts';
import { dominatedRows, dropDominated } from './dominated-sites.ts';
import { newlyCovered, randomCandidates, syntheticCase, type SuggestCase } from './suggest-test-fixture.ts';

/** Household units of row r's set, ascending. */
function unitsOf(sets: CoverageSets, demand: Demand, r: number): number[] {
  return [...sets.candidateDemands.subarray(sets.candidateOffset[r]!, sets.candidateOffset[r + 1]!)].map((d) => demand.unit[d]!);
}

function setup(c: SuggestCase, minutes: number, speedKmh: number) {
  const threshold = thresholdSeconds(minutes, speedKmh);
  const current = householdCoverage(c.graph, c.units, c.centers).seconds;
  const demand = buildDemand(c.units, c.network.counts, current, threshold, 'households', c.graph.nodeCount);
  return { threshold, demand };
}

/** Checks every candidate's set (or, for a dropped one, that it is empty or repeats a kept set) against householdCoverage. */
function checkEachCandidate(c: SuggestCase, sites: CandidateSites, demand: Demand, threshold: number): { sets: CoverageSets; sameEdge: number } {
  const sets = buildCoverageSets(c.graph, c.units, demand, sites, threshold);
  // Searches pruned by the demand's reach find the same sets.
  const pruned = buildCoverageSets(c.graph, c.units, demand, sites, threshold, undefined, undefined, demandReach(c.graph, c.units, demand, searchLimit(threshold)));
  expect(pruned).toEqual(sets);
  const rowOf = new Map<number, number>();
  sets.candidateOf.forEach((j, r) => rowOf.set(j, r));
  const kept = Array.from({ length: sets.candidateCount }, (_, r) => unitsOf(sets, demand, r).join());
  let sameEdge = 0;
  for (let j = 0; j < sites.count; j++) {
    const expected = newlyCovered(c, sliceSites(sites, 0, [j]), threshold);
    if (expected.some((i) => c.units.snaps.edge[i] === sites.edge[j])) sameEdge++;
    const row = rowOf.get(j);
    if (row !== undefined) expect(unitsOf(sets, demand, row), `candidate ${j}`).toEqual(expected);
    else expect(expected.length === 0 || kept.includes(expected.join()), `dropped candidate ${j}`).toBe(true);
  }
  return { sets, sameEdge };
}

describe('coverage sets', () => {
  const c = syntheticCase({ seed: 3, cols: 18, rows: 18, households: 500, centers: 2, oneWayShare: 0.25 });

  for (const [minutes, speed] of [
    [4, 4],
    [3, 5.5],
    [6, 2.5],
  ] as const) {
    it(`equal householdCoverage with the candidate added, given candidates, ${minutes} min at ${speed} km/h`, () => {
      const { threshold, demand } = setup(c, minutes, speed);
      const { sites } = givenCandidates(c.graph, c.index, randomCandidates(c, 60, minutes * 10 + 1));
      const { sets, sameEdge } = checkEachCandidate(c, sites, demand, threshold);
      expect(sets.candidateCount).toBeGreaterThan(20);
      // Candidates on units' own edges: the straight along-the-edge case took part.
      expect(sameEdge).toBeGreaterThan(5);
    });
  }

  it('equal householdCoverage for generated candidates, which lie one to a square and all reach someone', () => {
    const { threshold, demand } = setup(c, 4, 4);
    const { sites, rule } = generateCandidates(c.graph, c.index, c.units, demand, searchLimit(threshold), 100);
    expect(rule.generated).toBe(true);
    expect(sites.count).toBeGreaterThan(30);
    // A seeded sample of them, each checked against a full evaluation.
    const random = seededRandom(4);
    const sample = Array.from({ length: 40 }, () => Math.floor(random() * sites.count));
    const { sets } = checkEachCandidate(c, sliceSites(sites, 0, sample), demand, threshold);
    expect(sets.dropped.empty).toBe(0);
    // One per 100 m square of the index's plane.
    const { kx, ky } = localScale(c.index.lat0);
    const squares = new Set<string>();
    for (let j = 0; j < sites.count; j++) {
      squares.add(`${Math.floor(((sites.lon[j]! - c.index.lon0) * kx) / 100)},${Math.floor(((sites.lat[j]! - c.index.lat0) * ky) / 100)}`);
      expect(sites.distanceM[j]).toBeLessThan(0.05);
    }
    expect(squares.size).toBe(sites.count);
  });

  it('grow their squares when there would be too many generated candidates', () => {
    const { threshold, demand } = setup(c, 4, 4);
    const { sites, rule } = generateCandidates(c.graph, c.index, c.units, demand, searchLimit(threshold), 100, undefined, 25);
    expect(sites.count).toBeLessThanOrEqual(25);
    expect(sites.count).toBeGreaterThan(5);
    expect(rule.spacingM).toBeGreaterThan(100);
    expect(rule.rule).toContain('grown from 100 m');
  });

  it('chosen together, added as centers or re-snapped from their points, cover exactly the union of their sets', () => {
    const { threshold, demand } = setup(c, 4, 4);
    const { sites } = givenCandidates(c.graph, c.index, randomCandidates(c, 50, 77));
    const sets = buildCoverageSets(c.graph, c.units, demand, sites, threshold);
    const random = seededRandom(8);
    for (let trial = 0; trial < 25; trial++) {
      const rows = [...new Set(Array.from({ length: 1 + Math.floor(random() * 5) }, () => Math.floor(random() * sets.candidateCount)))];
      const union = [...new Set(rows.flatMap((r) => unitsOf(sets, demand, r)))].sort((a, b) => a - b);
      const chosen = sliceSites(sites, 0, rows.map((r) => sets.candidateOf[r]!));
      expect(newlyCovered(c, chosen, threshold)).toEqual(union);
      expect(newlyCovered(c, snapMany(c.graph, c.index, chosen.lon, chosen.lat), threshold)).toEqual(union);
    }
  });

  it('list only units not covered before, on the network, by each end of their edge', () => {
    const { threshold, demand } = setup(c, 4, 4);
    const current = householdCoverage(c.graph, c.units, c.centers).seconds;
    for (let d = 0; d < demand.count; d++) {
      const i = demand.unit[d]!;
      expect(current[i]! > threshold && c.units.snaps.edge[i]! >= 0).toBe(true);
    }
    expect(demand.count).toBeGreaterThan(50);
    expect(demand.covered.weight + [...demand.weight].reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(demand.total.weight);
  });

  it('drop exactly the sets that lie inside another set (brute force), keeping each dropped set inside a kept one', () => {
    for (const [minutes, seed] of [
      [4, 91],
      [6, 92],
    ] as const) {
      const { threshold, demand } = setup(c, minutes, 4);
      const { sites } = givenCandidates(c.graph, c.index, randomCandidates(c, 80, seed));
      const sets = buildCoverageSets(c.graph, c.units, demand, sites, threshold);
      const rows = Array.from({ length: sets.candidateCount }, (_, r) => new Set(sets.candidateDemands.subarray(sets.candidateOffset[r]!, sets.candidateOffset[r + 1]!)));
      const inside = (a: Set<number>, b: Set<number>) => a.size < b.size && [...a].every((d) => b.has(d));
      const expected = rows.map((a, j) => (rows.some((b, i) => i !== j && inside(a, b)) ? 1 : 0));
      expect([...dominatedRows(sets)]).toEqual(expected);
      const dominated = expected.reduce<number>((n, x) => n + x, 0);
      expect(dominated).toBeGreaterThan(3);
      const kept = dropDominated(sets);
      expect(kept.candidateCount).toBe(sets.candidateCount - dominated);
      expect(kept.dropped.dominated).toBe(dominated);
      const keptSets = Array.from({ length: kept.candidateCount }, (_, r) => new Set(kept.candidateDemands.subarray(kept.candidateOffset[r]!, kept.candidateOffset[r + 1]!)));
      rows.forEach((a, j) => {
        if (expected[j]) expect(keptSets.some((b) => inside(a, b))).toBe(true);
      });
      // Rows keep their candidates, and the transpose matches.
      kept.candidateOf.forEach((j, r) => expect(unitsOf(kept, demand, r)).toEqual(unitsOf(sets, demand, sets.candidateOf.indexOf(j))));
      for (let d = 0; d < kept.demandCount; d++) {
        for (let p = kept.demandOffset[d]!; p < kept.demandOffset[d + 1]!; p++) expect(keptSets[kept.demandCandidates[p]!]!.has(d)).toBe(true);
      }
    }
  });
});
