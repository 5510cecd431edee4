/**
 * What a scenario changes, in the figures a planner compares: for the 5-,
 * 10- and 15-minute life circles the households and persons covered before
 * and after, gained, lost and the shares; and the walk-time distribution
 * before and after (p50, p90, max, households beyond 15 and 30 minutes,
 * unreachable). All at the default 4 km/h, household-weighted.
 *
 * The baseline's figures are computed once per live evaluation; a
 * scenario's are the baseline's plus what its changed units moved, so a
 * summary costs about as much as the units the scenario touched.
 */
import type { HouseholdData } from '../coverage/coverage-data.ts';
import { thresholdSeconds } from '../coverage/coverage-rollup.ts';
import type { HouseholdCoverage } from '../coverage/household-coverage.ts';
import { DEFAULT_SPEED_KMH } from '../../kernel/walk-speed.ts';
import { orderByTime } from '../coverage/unit-equity.ts';
import { binBounds, movedHistogram, percentile, walkTimeHistogram, type UnitsInBin, type WalkTimeHistogram } from './walk-time-histogram.ts';

/** The life circles the summary reports, minutes (GB 50180-2018). */
export const SUMMARY_MINUTES = [5, 10, 15] as const;
/** Thresholds counted for every summary: the circles, and 30 minutes for the far tail. */
const COUNTED_MINUTES = [...SUMMARY_MINUTES, 30] as const;

export interface CircleFigures {
  minutes: number;
  households_before: number;
  households_after: number;
  persons_before: number;
  persons_after: number;
  gained: number;
  lost: number;
  share_before: number | null;
  share_after: number | null;
}

export interface WalkDistribution {
  /** Seconds at 4 km/h (to 0.1 s); null when no household can reach a center. */
  p50: number | null;
  p90: number | null;
  max: number | null;
  beyond_15: number;
  beyond_30: number;
  unreachable: number;
}

export interface ScenarioSummary {
  households: number;
  /** Persons where the data knows them. */
  persons: number;
  circles: CircleFigures[];
  walk_seconds: { before: WalkDistribution; after: WalkDistribution };
}

/** The baseline's figures, kept with the live evaluation. */
export interface BaselineFigures {
  histogram: WalkTimeHistogram;
  /** Households and persons within each of COUNTED_MINUTES. */
  households: number[];
  persons: number[];
  unreachable: number;
  max: number;
  totalHouseholds: number;
  totalPersons: number;
  /** The distribution, once a summary asked for it. */
  distribution?: WalkDistribution;
  /** The baseline's units in order of walk time: a bin's units are a run of it. */
  order: Uint32Array;
  seconds: Float32Array;
}

const THRESHOLDS = COUNTED_MINUTES.map((m) => thresholdSeconds(m, DEFAULT_SPEED_KMH));
const personsOf = (h: HouseholdData, i: number) => Math.max(0, h.persons[i]!);

export function baselineFigures(households: HouseholdData, coverage: HouseholdCoverage): BaselineFigures {
  const within = THRESHOLDS.map(() => 0);
  const persons = THRESHOLDS.map(() => 0);
  let unreachable = 0;
  let max = -Infinity;
  let totalPersons = 0;
  for (let i = 0; i < households.count; i++) {
    const s = coverage.seconds[i]!;
    const h = households.households[i]!;
    const p = personsOf(households, i);
    totalPersons += p;
    if (s === Infinity) unreachable += h;
    else if (s > max) max = s;
    THRESHOLDS.forEach((t, k) => {
      if (s <= t) {
        within[k]! += h;
        persons[k]! += p;
      }
    });
  }
  const histogram = walkTimeHistogram(coverage.seconds, households.households);
  const order = orderByTime(coverage.seconds);
  return { histogram, households: within, persons, unreachable, max, totalHouseholds: histogram.total, totalPersons, order, seconds: coverage.seconds };
}

/** The first position in `order` whose time is at least `t` (binary search). */
function firstAtLeast(base: BaselineFigures, t: number): number {
  let lo = 0;
  let hi = base.order.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (base.seconds[base.order[mid]!]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A bin's units: the baseline's run of the bin (less the changed units), and
 * the changed units whose new time falls in it.
 */
function unitsInBin(base: BaselineFigures, weight: Int32Array, changed?: { units: ArrayLike<number>; set: Set<number>; seconds: Float32Array }): UnitsInBin {
  return (b) => {
    const [lo, hi] = binBounds(b);
    const out: [number, number][] = [];
    for (let k = firstAtLeast(base, lo); k < base.order.length; k++) {
      const i = base.order[k]!;
      const t = base.seconds[i]!;
      if (!(t < hi)) break;
      if (!changed?.set.has(i)) out.push([t, weight[i]!]);
    }
    if (changed) {
      for (let k = 0; k < changed.units.length; k++) {
        const i = changed.units[k]!;
        const t = changed.seconds[i]!;
        if (t >= lo && t < hi) out.push([t, weight[i]!]);
      }
    }
    return out;
  };
}

function distribution(f: BaselineFigures, inBin: UnitsInBin): WalkDistribution {
  const reachable = f.totalHouseholds - f.unreachable;
  const at = (q: number) => {
    const t = reachable > 0 ? percentile(f.histogram, q, inBin) : Infinity;
    return Number.isFinite(t) ? Math.round(t * 10) / 10 : null;
  };
  return {
    p50: at(0.5),
    p90: at(0.9),
    max: f.max === -Infinity ? null : Math.round(f.max * 10) / 10,
    beyond_15: f.totalHouseholds - f.households[COUNTED_MINUTES.indexOf(15)]!,
    beyond_30: f.totalHouseholds - f.households[COUNTED_MINUTES.indexOf(30)]!,
    unreachable: f.unreachable,
  };
}

/** The scenario's figures: the baseline's with the changed units' new times. */
export function scenarioFigures(
  households: HouseholdData,
  base: BaselineFigures,
  before: HouseholdCoverage,
  after: HouseholdCoverage,
  changed: ArrayLike<number>,
): { figures: BaselineFigures; gained: number[]; lost: number[]; changed: ArrayLike<number> } {
  const within = [...base.households];
  const persons = [...base.persons];
  const gained = THRESHOLDS.map(() => 0);
  const lost = THRESHOLDS.map(() => 0);
  let unreachable = base.unreachable;
  let rescanMax = false;
  let max = base.max;
  for (let k = 0; k < changed.length; k++) {
    const i = changed[k]!;
    const a = before.seconds[i]!;
    const b = after.seconds[i]!;
    if (a === b) continue;
    const h = households.households[i]!;
    const p = personsOf(households, i);
    if (a === Infinity) unreachable -= h;
    if (b === Infinity) unreachable += h;
    if (a === max) rescanMax = true;
    if (b !== Infinity && b > max) max = b;
    THRESHOLDS.forEach((t, m) => {
      const was = a <= t;
      const is = b <= t;
      if (was === is) return;
      within[m]! += is ? h : -h;
      persons[m]! += is ? p : -p;
      if (is) gained[m]! += h;
      else lost[m]! += h;
    });
  }
  if (rescanMax) {
    max = -Infinity;
    for (let i = 0; i < after.seconds.length; i++) {
      const s = after.seconds[i]!;
      if (s !== Infinity && s > max) max = s;
    }
  }
  const histogram = movedHistogram(base.histogram, changed, before.seconds, after.seconds, households.households);
  return { figures: { ...base, histogram, households: within, persons, unreachable, max, distribution: undefined }, gained, lost, changed };
}

const share = (covered: number, total: number) => (total > 0 ? covered / total : null);

/** The summary of a scenario against the baseline. */
export function scenarioSummary(
  households: HouseholdData,
  base: BaselineFigures,
  before: HouseholdCoverage,
  after: ReturnType<typeof scenarioFigures>,
  afterCoverage: HouseholdCoverage,
): ScenarioSummary {
  const f = after.figures;
  return {
    households: base.totalHouseholds,
    persons: base.totalPersons,
    circles: SUMMARY_MINUTES.map((minutes) => {
      const k = COUNTED_MINUTES.indexOf(minutes);
      return {
        minutes,
        households_before: base.households[k]!,
        households_after: f.households[k]!,
        persons_before: base.persons[k]!,
        persons_after: f.persons[k]!,
        gained: after.gained[k]!,
        lost: after.lost[k]!,
        share_before: share(base.households[k]!, base.totalHouseholds),
        share_after: share(f.households[k]!, base.totalHouseholds),
      };
    }),
    walk_seconds: {
      before: (base.distribution ??= distribution(base, unitsInBin(base, households.households))),
      after: distribution(f, unitsInBin(base, households.households, { units: after.changed, set: new Set(Array.from(after.changed)), seconds: afterCoverage.seconds })),
    },
  };
}
