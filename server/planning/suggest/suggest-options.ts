/**
 * What a site suggestion asks for: the objective (k new sites covering the
 * most, or the fewest sites reaching a share), the threshold, the weight, the
 * method and the candidates, with their limits and defaults in one place.
 * The HTTP route validates first; `resolveSuggestOptions` guards every other
 * caller (and the worker) with the same limits, throwing InvalidOption that
 * names the API's field.
 */
import { DEFAULT_SPEED_KMH } from '../../../kernel/walk-speed.ts';
import { InvalidOption } from '../../domain-errors.ts';
import { DEFAULT_COVERAGE_MINUTES, MAX_MINUTES, MAX_SPEED_KMH } from '../../routing/routing-limits.ts';

/** Most new sites one suggestion may place (k, and the cap of a target_share answer). */
export const MAX_SITES = 50;
/** Most candidates a request may give. */
export const MAX_CANDIDATES = 20_000;
/** Longest time limit a request may set, seconds. */
export const MAX_TIME_LIMIT_S = 120;
/** The exact method's time limit when none is given, seconds (the 60 s budget). */
export const DEFAULT_TIME_LIMIT_S = 60;
/** Generated candidates: one per square of this side, metres (candidate-sites.ts says why). */
export const DEFAULT_CANDIDATE_SPACING_M = 100;

export const SUGGEST_WEIGHTS = ['households', 'persons'] as const;
/** What a site gains: households, or persons (units whose persons are unknown count 0). */
export type SuggestWeight = (typeof SUGGEST_WEIGHTS)[number];

export const SUGGEST_METHODS = ['greedy', 'exact'] as const;
/** greedy: greedy plus swaps, with an upper bound; exact: the integer program (HiGHS) within the time limit. */
export type SuggestMethod = (typeof SUGGEST_METHODS)[number];

/** Candidate points as columns (typed arrays travel to the worker without an object per point). */
export interface CandidatePoints {
  lon: Float64Array;
  lat: Float64Array;
}

/** A suggestion request as the engine takes it (the route's body, converted). */
export interface SuggestOptions {
  /** Choose this many new sites covering the most uncovered weight. Exactly one of k and targetShare. */
  k?: number;
  /** Choose the fewest new sites that bring the covered share of all weight to this (0 < share <= 1). */
  targetShare?: number;
  /** The walk threshold, minutes (default 15). */
  minutes?: number;
  /** Walking speed, km/h (default 4). */
  speedKmh?: number;
  /** Default households. */
  weight?: SuggestWeight;
  /** Default greedy. */
  method?: SuggestMethod;
  /** Budget of the exact solve, seconds (default DEFAULT_TIME_LIMIT_S, at most MAX_TIME_LIMIT_S). */
  timeLimitS?: number;
  /** Sites to choose from; generated on the network when absent (at most MAX_CANDIDATES). */
  candidates?: CandidatePoints;
  /** Spacing of generated candidates, metres (default DEFAULT_CANDIDATE_SPACING_M). */
  spacingM?: number;
}

/** SuggestOptions checked, with every default filled in. */
export interface ResolvedSuggestOptions {
  objective: 'max_coverage' | 'target_share';
  /** max_coverage: the sites asked for; target_share: the most sites the answer may use (MAX_SITES). */
  k: number;
  targetShare: number | null;
  minutes: number;
  speedKmh: number;
  weight: SuggestWeight;
  method: SuggestMethod;
  timeLimitS: number;
  candidates: CandidatePoints | null;
  spacingM: number;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Checks `options` against the limits and fills in the defaults; throws InvalidOption naming the field. */
export function resolveSuggestOptions(options: SuggestOptions): ResolvedSuggestOptions {
  const { k, targetShare } = options;
  if ((k === undefined) === (targetShare === undefined)) {
    throw new InvalidOption(k === undefined ? 'k' : 'target_share', 'give exactly one of k (sites to add) and target_share (share of all weight to reach)');
  }
  if (k !== undefined && (!Number.isInteger(k) || k < 1 || k > MAX_SITES)) {
    throw new InvalidOption('k', `k must be a whole number of sites from 1 to ${MAX_SITES}, got ${String(k)}`);
  }
  if (targetShare !== undefined && (!isNumber(targetShare) || targetShare <= 0 || targetShare > 1)) {
    throw new InvalidOption('target_share', `target_share must be a share above 0 and at most 1, got ${String(targetShare)}`);
  }
  const minutes = options.minutes ?? DEFAULT_COVERAGE_MINUTES;
  if (!isNumber(minutes) || minutes <= 0 || minutes > MAX_MINUTES) {
    throw new InvalidOption('minutes', `minutes must be above 0 and at most ${MAX_MINUTES}, got ${String(minutes)}`);
  }
  const speedKmh = options.speedKmh ?? DEFAULT_SPEED_KMH;
  if (!isNumber(speedKmh) || speedKmh <= 0 || speedKmh > MAX_SPEED_KMH) {
    throw new InvalidOption('speed_kmh', `speed_kmh must be above 0 and at most ${MAX_SPEED_KMH}, got ${String(speedKmh)}`);
  }
  const weight = options.weight ?? 'households';
  if (!SUGGEST_WEIGHTS.includes(weight)) throw new InvalidOption('weight', `weight must be one of ${SUGGEST_WEIGHTS.join(', ')}, got ${String(weight)}`);
  const method = options.method ?? 'greedy';
  if (!SUGGEST_METHODS.includes(method)) throw new InvalidOption('method', `method must be one of ${SUGGEST_METHODS.join(', ')}, got ${String(method)}`);
  const timeLimitS = options.timeLimitS ?? DEFAULT_TIME_LIMIT_S;
  if (!isNumber(timeLimitS) || timeLimitS <= 0 || timeLimitS > MAX_TIME_LIMIT_S) {
    throw new InvalidOption('time_limit_s', `time_limit_s must be above 0 and at most ${MAX_TIME_LIMIT_S} seconds, got ${String(timeLimitS)}`);
  }
  const spacingM = options.spacingM ?? DEFAULT_CANDIDATE_SPACING_M;
  if (!isNumber(spacingM) || spacingM < 10 || spacingM > 5000) {
    throw new InvalidOption('spacing_m', `spacing_m must be from 10 to 5000 metres, got ${String(spacingM)}`);
  }
  const candidates = options.candidates ?? null;
  if (candidates) {
    const n = candidates.lon.length;
    if (candidates.lat.length !== n) throw new InvalidOption('candidates', `candidates have ${n} longitudes but ${candidates.lat.length} latitudes`);
    if (n === 0) throw new InvalidOption('candidates', 'candidates, when given, must list at least one [lon, lat]');
    if (n > MAX_CANDIDATES) throw new InvalidOption('candidates', `at most ${MAX_CANDIDATES} candidates may be given, got ${n}`);
    for (let i = 0; i < n; i++) {
      if (!isNumber(candidates.lon[i]) || !isNumber(candidates.lat[i])) throw new InvalidOption('candidates', `candidates[${i}] is not a finite [lon, lat]`);
    }
  }
  return {
    objective: k !== undefined ? 'max_coverage' : 'target_share',
    k: k ?? MAX_SITES,
    targetShare: targetShare ?? null,
    minutes,
    speedKmh,
    weight,
    method,
    timeLimitS,
    candidates,
    spacingM,
  };
}

/** [[lon, lat], ...] (a request body's candidates) as columns. */
export function candidatePoints(pairs: readonly (readonly [number, number])[]): CandidatePoints {
  const lon = new Float64Array(pairs.length);
  const lat = new Float64Array(pairs.length);
  pairs.forEach(([x, y], i) => {
    lon[i] = x;
    lat[i] = y;
  });
  return { lon, lat };
}
