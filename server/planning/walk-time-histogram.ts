/**
 * Household-weighted walk times as a histogram of 0.1 s bins, so a
 * scenario's distribution is the baseline's with only its changed units
 * moved between bins (no sort of 100,000 times per evaluation), and p50 and
 * p90 are read off in one pass. A scenario's histogram is the baseline's
 * bins plus a small map of what moved (no copy of the bins). Times past the
 * last bin are kept apart and sorted only when a percentile falls among them.
 */

/** Bin width, seconds. */
const BIN_S = 0.1;
/** Two hours of walking at 0.1 s (the longest search of the API): beyond that the few units are handled one by one. */
const BINS = 2 * 3600 * 10;

export interface WalkTimeHistogram {
  /** Households per bin (the baseline's; shared by the scenarios built on it). */
  bins: Float64Array;
  /** Households moved into (positive) or out of (negative) bins against `bins`. */
  delta: Map<number, number>;
  /** Households (and their times) past the last bin; Infinity for no center reachable. */
  over: Map<number, { seconds: number; weight: number }>;
  total: number;
}

const binOf = (seconds: number) => Math.floor(seconds / BIN_S);

/** The histogram of `seconds` weighted by `weight` (per unit). */
export function walkTimeHistogram(seconds: Float32Array, weight: Int32Array): WalkTimeHistogram {
  const bins = new Float64Array(BINS);
  const over = new Map<number, { seconds: number; weight: number }>();
  let total = 0;
  for (let i = 0; i < seconds.length; i++) {
    const w = weight[i]!;
    total += w;
    const b = binOf(seconds[i]!);
    if (b < BINS) bins[b]! += w;
    else over.set(i, { seconds: seconds[i]!, weight: w });
  }
  return { bins, delta: new Map(), over, total };
}

/** `base` with units `changed` moved from their times in `before` to those in `after`. */
export function movedHistogram(base: WalkTimeHistogram, changed: ArrayLike<number>, before: Float32Array, after: Float32Array, weight: Int32Array): WalkTimeHistogram {
  const delta = new Map(base.delta);
  const move = (bin: number, w: number) => delta.set(bin, (delta.get(bin) ?? 0) + w);
  const over = new Map(base.over);
  for (let k = 0; k < changed.length; k++) {
    const i = changed[k]!;
    const w = weight[i]!;
    const from = binOf(before[i]!);
    const to = binOf(after[i]!);
    if (from < BINS) move(from, -w);
    else over.delete(i);
    if (to < BINS) move(to, w);
    else over.set(i, { seconds: after[i]!, weight: w });
  }
  return { bins: base.bins, delta, over, total: base.total };
}

/** The units whose time falls in a bin, as [seconds, weight] pairs in any order. */
export type UnitsInBin = (bin: number) => [number, number][];

/** The bin of a time (for callers that list a bin's units). */
export const binOfSeconds = binOf;

/** The bounds of bin b, seconds: [b * 0.1, (b + 1) * 0.1). */
export function binBounds(b: number): [number, number] {
  return [b * BIN_S, (b + 1) * BIN_S];
}

/**
 * The smallest walk time that a share `q` of the households are within (as
 * unit-equity.ts defines it), Infinity when they cannot reach a center. The
 * histogram finds the bin; `inBin` lists that bin's units, which give the
 * exact time within it.
 */
export function percentile(h: WalkTimeHistogram, q: number, inBin: UnitsInBin): number {
  const target = q * h.total;
  let seen = 0;
  for (let b = 0; b < BINS; b++) {
    const next = seen + h.bins[b]! + (h.delta.size > 0 ? (h.delta.get(b) ?? 0) : 0);
    if (next >= target && next > 0) {
      const units = inBin(b).sort((x, y) => x[0] - y[0]);
      for (const [t, w] of units) {
        seen += w;
        if (seen >= target) return t;
      }
      return (b + 1) * BIN_S;
    }
    seen = next;
  }
  const rest = [...h.over.values()].sort((a, b) => a.seconds - b.seconds);
  for (const r of rest) {
    seen += r.weight;
    if (seen >= target) return r.seconds;
  }
  return rest.length ? rest[rest.length - 1]!.seconds : 0;
}
