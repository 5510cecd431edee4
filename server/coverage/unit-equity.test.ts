/**
 * Equity figures per unit against a brute force: for each unit, sort its
 * households' walk times and walk up the households to 90 %; the longest
 * finite walk; the households that reach no center. Seeded random times
 * with ties, unreachable units and empty units.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/seeded-random.ts';
import type { HouseholdData, LevelUnits } from './coverage-data.ts';
import { orderByTime, unitEquity } from './unit-equity.ts';

function randomCase(seed: number, n: number, k: number) {
  const random = seededRandom(seed);
  const seconds = new Float32Array(n);
  const weight = new Int32Array(n);
  const unitOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = random();
    // Some ties (whole seconds), some unreachable, some zero-household units.
    seconds[i] = r < 0.05 ? Infinity : r < 0.3 ? Math.floor(random() * 50) : random() * 3000;
    weight[i] = random() < 0.05 ? 0 : 1 + Math.floor(random() * 20);
    unitOf[i] = Math.floor(random() * (k - 1)); // the last unit stays empty
  }
  const households = { count: n, households: weight } as unknown as HouseholdData;
  const units: LevelUnits = { level: 'grid', codes: Array.from({ length: k }, (_, u) => `u${u}`), names: [], unitOf };
  return { seconds, households, units, weight };
}

describe('unit equity', () => {
  it('orders household units by walk time, ties by index', () => {
    const { seconds } = randomCase(3, 5000, 10);
    const order = Array.from(orderByTime(seconds));
    const expected = Array.from(seconds.keys()).sort((a, b) => (seconds[a]! === seconds[b]! ? a - b : seconds[a]! < seconds[b]! ? -1 : 1));
    expect(order).toEqual(expected);
  });

  it('equals a brute force per unit', () => {
    for (const seed of [1, 2, 3]) {
      const { seconds, households, units, weight } = randomCase(seed, 4000, 37);
      const equity = unitEquity(households, units, seconds);
      for (let u = 0; u < 37; u++) {
        const members = [...units.unitOf.keys()].filter((i) => units.unitOf[i] === u).sort((a, b) => seconds[a]! - seconds[b]! || a - b);
        const total = members.reduce((s, i) => s + weight[i]!, 0);
        let running = 0;
        let p90 = NaN;
        for (const i of members) {
          running += weight[i]!;
          if (total > 0 && running >= 0.9 * total) {
            p90 = seconds[i]!;
            break;
          }
        }
        const finite = members.filter((i) => Number.isFinite(seconds[i]!));
        const max = finite.length ? Math.max(...finite.map((i) => seconds[i]!)) : NaN;
        const unreachable = members.filter((i) => !Number.isFinite(seconds[i]!)).reduce((s, i) => s + weight[i]!, 0);
        expect([seed, u, equity.p90[u], equity.max[u], equity.unreachable[u]]).toEqual([seed, u, p90, max, unreachable]);
      }
    }
  });
});
