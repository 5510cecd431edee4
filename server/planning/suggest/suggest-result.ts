/**
 * What a site suggestion answers: the sites in order with what each adds,
 * the coverage curve, the totals before and after, the bound on the optimum
 * and the gap to it, the candidates it chose from, and where the time went.
 * Plain data (numbers, strings, arrays), so it crosses from the worker by
 * structured clone and goes out as JSON as it is.
 */
import type { SuggestMethod, SuggestWeight } from './suggest-options.ts';

/** Weight, households and persons (unknown persons as 0). */
export interface Amounts {
  weight: number;
  households: number;
  persons: number;
}

/** Amounts covered, with the share of all weight. */
export interface CoveredAmounts extends Amounts {
  share: number;
}

export interface SuggestedSite {
  /** 1 for the site that adds most, then each next adds most to those before it. */
  rank: number;
  /** Where the center would stand: the candidate as given, or the generated street point (1e-7 degrees). */
  lon: number;
  lat: number;
  /** Where it joins the walk network: the snapped street point, its edge (graph row) and fraction, and the access leg. */
  street: { lon: number; lat: number; edge: number; fraction: number; accessM: number };
  /** Index of the candidate: into the request's candidates, or into the generated ones. */
  candidate: number;
  /** What this site adds to the sites ranked before it (marginal). */
  gained: Amounts;
}

/** Coverage after the first `sites` sites of the answer. */
export interface CurvePoint extends CoveredAmounts {
  sites: number;
}

export type SuggestBound =
  /** max_coverage: no k sites gain more than `weight`; gap = (bound - gained) / bound. */
  | { objective: 'max_coverage'; weight: number; share: number; gap: number; source: string }
  /**
   * target_share: no fewer than `sites` sites reach the target (MAX_SITES + 1:
   * no MAX_SITES sites can); gap = the answer's sites - bound (meaningless,
   * and <= 0, when the status is unreachable).
   */
  | { objective: 'target_share'; sites: number; gap: number; source: string };

export interface SuggestResult {
  objective: 'max_coverage' | 'target_share';
  method: SuggestMethod;
  /**
   * optimal: proved (exact, or the bound meets the answer); time_limit: the
   * exact solve stopped with the best answer found and its bound; heuristic:
   * greedy with swaps, with its bound; unreachable: target_share cannot be
   * reached with the candidates within the site limit (best effort shown).
   */
  status: 'optimal' | 'time_limit' | 'heuristic' | 'unreachable';
  weight: SuggestWeight;
  minutes: number;
  speedKmh: number;
  /** The threshold in graph units (seconds at 4 km/h). */
  thresholdSeconds: number;
  /** k asked (max_coverage), or null. */
  k: number | null;
  target: { share: number; weightToGain: number; reached: boolean } | null;
  sites: SuggestedSite[];
  /** Coverage after 1, 2, ... n sites of the answer (in its order); before is totals.before. */
  curve: CurvePoint[];
  totals: { all: Amounts; before: CoveredAmounts; after: CoveredAmounts; gained: Amounts };
  bound: SuggestBound;
  candidates: {
    generated: boolean;
    rule: string;
    spacingM: number | null;
    /** Candidates given or generated. */
    count: number;
    /** Left after dropping those that cover nobody uncovered, the same units as an earlier one, or units all inside another's set. */
    used: number;
    droppedEmpty: number;
    droppedDuplicate: number;
    /** Dropped because their set lies inside another candidate's (never better than it). */
    droppedDominated: number;
  };
  /** Demand units (uncovered, on the network) and the coverage sets' size. */
  coverageSets: { demandUnits: number; entries: number; bytes: number };
  solver: {
    swaps: number;
    swapPasses: number;
    lagrangianSteps: number;
    exact: { status: string; columns: number; rows: number; nonzeros: number; ms: number } | null;
  };
  timings: { currentMs: number; candidatesMs: number; coverageSetsMs: number; heuristicMs: number; boundMs: number; exactMs: number; totalMs: number };
}
