/**
 * Small helpers shared by the benchmarks: timing summaries and a seeded PRNG,
 * so every run measures the same data and queries.
 */

export interface Summary {
  n: number;
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
  return {
    n: s.length,
    min: s[0]!,
    mean: s.reduce((a, b) => a + b, 0) / s.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: s[s.length - 1]!,
  };
}

export function formatMs(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(0)} µs`;
}

export function formatSummary(s: Summary): string {
  return `min ${formatMs(s.min)}  mean ${formatMs(s.mean)}  p50 ${formatMs(s.p50)}  p95 ${formatMs(s.p95)}  (n=${s.n})`;
}

export { seededRandom } from '../test/seeded-random.ts';
