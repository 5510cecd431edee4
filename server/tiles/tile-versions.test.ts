import { describe, expect, it } from 'vitest';
import { AppliedVersion, revisionOf } from './tile-versions.ts';

describe('tile versions', () => {
  it('reads the revision of a data version and nothing else', () => {
    expect(revisionOf('12-9f3a0c1b')).toBe(12);
    for (const other of [undefined, '', '1767000000000', '12-9F3A0C1B', '12-9f3a0c1', 'osm', '-1-00000000']) expect(revisionOf(other), String(other)).toBeUndefined();
  });

  it('moves forward only, and lets waiters for a newer version through when it comes or at the timeout', async () => {
    const applied = new AppliedVersion('5-00000000');
    applied.apply('4-11111111');
    expect(applied.current).toBe('5-00000000');
    let reached = false;
    const waiting = applied.reach('7-22222222', 5_000).then(() => (reached = true));
    applied.apply('6-33333333');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(reached).toBe(false);
    applied.apply('7-22222222');
    await waiting;
    expect(applied.current).toBe('7-22222222');
    const t0 = performance.now();
    await applied.reach('99-44444444', 50);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    // Not a data version (a test's own marker): taken as it is, and never waited for.
    applied.apply('replaced-by-test');
    expect(applied.current).toBe('replaced-by-test');
    await applied.reach('100-55555555', 10_000);
  });
});
