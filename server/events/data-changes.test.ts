import { describe, expect, it } from 'vitest';
import { createDataChanges } from './data-changes.ts';

describe('the data-change bus', () => {
  it('tells listeners in subscription order and waits for each', async () => {
    const changes = createDataChanges();
    const seen: string[] = [];
    changes.subscribe(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      seen.push('first');
    });
    const off = changes.subscribe(() => void seen.push('second'));
    await changes.publish({ type: 'replaced', version: '1-00000000' });
    off();
    await changes.publish({ type: 'replaced', version: '2-00000000' });
    expect(seen).toEqual(['first', 'second', 'first']);
  });

  it('keeps reads waiting while a change is between its commit and its publish', async () => {
    const changes = createDataChanges();
    expect(changes.settled()).toBeUndefined();
    const releaseA = changes.hold();
    const releaseB = changes.hold();
    let settled = false;
    const waiting = changes.settled()!.then(() => (settled = true));
    expect(changes.settled()).toBe(changes.settled());
    releaseA();
    releaseA(); // twice is once
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(settled).toBe(false);
    releaseB();
    await waiting;
    expect(settled).toBe(true);
    expect(changes.settled()).toBeUndefined();
  });
});
