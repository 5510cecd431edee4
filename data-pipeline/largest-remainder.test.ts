import { describe, expect, it } from 'vitest';
import { seededRandom } from '../test/seeded-random.ts';
import { evenSplit, largestRemainder } from './largest-remainder.ts';

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0);

describe('largestRemainder', () => {
  it('sums exactly to the total where rounding each share would not', () => {
    // 10 over three equal weights: rounding gives 3 + 3 + 3 = 9.
    expect(Array.from(largestRemainder(10, [1, 1, 1]))).toEqual([4, 3, 3]);
    expect(Array.from(largestRemainder(2, [1, 1, 1]))).toEqual([1, 1, 0]);
    // Exact shares stay exact.
    expect(Array.from(largestRemainder(100, [1, 3, 6]))).toEqual([10, 30, 60]);
  });

  it('on 2,000 random cases: exact sum, each part within 1 of its share, larger weights never get less, same answer twice', () => {
    const random = seededRandom(14);
    // Failures are collected and compared once: an expect() per pair would take most of the run.
    const failures: string[] = [];
    for (let c = 0; c < 2000; c++) {
      const n = 1 + Math.floor(random() * 40);
      const weights = Array.from({ length: n }, () => (random() < 0.1 ? 0 : random() * (random() < 0.5 ? 10 : 5000)));
      const total = Math.floor(random() * (random() < 0.5 ? n : 20_000));
      const parts = largestRemainder(total, weights);
      if (sum(parts) !== total) failures.push(`case ${c}: sum ${sum(parts)} != ${total}`);
      const w = sum(weights);
      weights.forEach((x, i) => {
        const share = w > 0 ? (total * x) / w : total / n;
        if (!(Math.abs(parts[i]! - share) < 1) || parts[i]! < 0) failures.push(`case ${c}: part ${i} = ${parts[i]} for share ${share}`);
      });
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) if (weights[i]! > weights[j]! && parts[i]! < parts[j]!) failures.push(`case ${c}: weight ${i} > ${j} but part smaller`);
      }
      if (largestRemainder(total, weights).join() !== parts.join()) failures.push(`case ${c}: a second run differs`);
    }
    expect(failures).toEqual([]);
  });

  it('gives zero weights nothing, and splits equally when no weight is positive', () => {
    expect(Array.from(largestRemainder(7, [0, 2, 0, 5]))).toEqual([0, 2, 0, 5]);
    expect(Array.from(largestRemainder(7, [0, 0, 0]))).toEqual([3, 2, 2]);
    expect(Array.from(largestRemainder(5, [Number.NaN, -1, 1]))).toEqual([0, 0, 5]);
  });

  it('breaks equal remainders towards the lower index', () => {
    expect(Array.from(largestRemainder(1, [2, 2, 2, 2]))).toEqual([1, 0, 0, 0]);
    expect(Array.from(largestRemainder(3, [1, 1, 1, 1]))).toEqual([1, 1, 1, 0]);
  });

  it('refuses a total it cannot split', () => {
    expect(() => largestRemainder(-1, [1])).toThrow(/whole number >= 0/);
    expect(() => largestRemainder(2.5, [1])).toThrow(/whole number >= 0/);
    expect(() => largestRemainder(3, [])).toThrow(/no weights/);
    expect(Array.from(largestRemainder(0, []))).toEqual([]);
  });
});

describe('evenSplit', () => {
  it('sums exactly, parts differ by at most 1, and the larger parts are spread along the row', () => {
    for (let n = 1; n <= 30; n++) {
      for (const total of [0, 1, n - 1, n, n + 1, 3 * n + 2, 1000]) {
        if (total < 0) continue;
        const parts = evenSplit(total, n);
        expect(sum(parts)).toBe(total);
        expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
      }
    }
    // 2 over 4 slots: not [1, 1, 0, 0] but every other one.
    expect(Array.from(evenSplit(2, 4))).toEqual([0, 1, 0, 1]);
    expect(Array.from(evenSplit(10, 4))).toEqual([2, 3, 2, 3]);
  });
});
