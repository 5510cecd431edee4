/**
 * The worker: it loads under vitest (TypeScript through tsx), answers what
 * suggestSites answers on the request thread, sends the network once per
 * graph, brings domain errors back as their classes, can be aborted, and
 * leaves the request thread free while it works.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidOption, OutsideData } from '../../domain-errors.ts';
import { runSearch, seedAtEdgePoint } from '../../routing/search/bounded-search.ts';
import { SearchScratch } from '../../routing/search/search-state.ts';
import { runSuggestion, SuggestRunner } from './suggest-runner.ts';
import { suggestSites } from './suggest-sites.ts';
import { randomCandidates, syntheticCase, withoutTimings } from './suggest-test-fixture.ts';
import { fromWire, toWire } from './worker-protocol.ts';

describe('SuggestRunner', () => {
  const c = syntheticCase({ seed: 7, cols: 24, rows: 24, households: 1500, centers: 2 });
  const big = syntheticCase({ seed: 9, cols: 60, rows: 60, households: 12000, centers: 4 });
  const runner = new SuggestRunner();
  afterAll(() => runner.close());

  it('answers in the worker what suggestSites answers here, greedy and exact, and reuses the network', async () => {
    for (const options of [{ k: 5, minutes: 5 }, { k: 3, minutes: 4, method: 'exact' as const, weight: 'persons' as const }, { targetShare: 0.3, minutes: 5 }]) {
      const here = await suggestSites({ network: c.network, centers: c.centers, options });
      const there = await runner.run({ network: c.network, centers: c.centers, options });
      expect(withoutTimings(there)).toEqual(withoutTimings(here));
    }
    // Another graph is sent in its turn; the answer follows it.
    const other = await runner.run({ network: big.network, centers: big.centers, options: { k: 2, minutes: 5 } });
    expect(withoutTimings(other)).toEqual(withoutTimings(await suggestSites({ network: big.network, centers: big.centers, options: { k: 2, minutes: 5 } })));
  });

  it('brings errors back as their domain classes', async () => {
    await expect(runner.run({ network: c.network, centers: c.centers, options: { k: 0 } })).rejects.toMatchObject({ field: 'k' });
    await expect(runner.run({ network: c.network, centers: c.centers, options: { k: 3, targetShare: 0.5 } })).rejects.toBeInstanceOf(InvalidOption);
    const far = { lon: Float64Array.of(c.bounds[0], c.bounds[2] + 1), lat: Float64Array.of(c.bounds[1], c.bounds[3]) };
    const error = await runner.run({ network: c.network, centers: c.centers, options: { k: 1, candidates: far } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutsideData);
    expect((error as Error).message).toMatch(/^candidates\[1\]/);
    const wired = fromWire(toWire(new InvalidOption('time_limit_s', 'too long')));
    expect(wired).toBeInstanceOf(InvalidOption);
    expect(wired).toMatchObject({ field: 'time_limit_s', message: 'too long' });
  });

  it('stops a running suggestion on abort and serves the next one with a fresh worker', async () => {
    const controller = new AbortController();
    const running = runner.run({ network: big.network, centers: big.centers, options: { k: 20, minutes: 8, method: 'exact' } }, { signal: controller.signal });
    const queued = runner.run({ network: c.network, centers: c.centers, options: { k: 2, minutes: 5 } });
    setTimeout(() => controller.abort(new Error('client went away')), 300);
    await expect(running).rejects.toThrow('client went away');
    const next = await queued;
    expect(next.sites.length).toBe(2);
    expect(runner.pending).toBe(0);
  });

  it('leaves the request thread free: searches here keep their speed while the worker works', async () => {
    const scratch = new SearchScratch(big.graph);
    const search = () => {
      const t0 = performance.now();
      scratch.use((state) => {
        seedAtEdgePoint(big.graph, state, 100, 0.5, 0, 0, 'from');
        runSearch(big.graph, state, 900, 'from');
      });
      return performance.now() - t0;
    };
    for (let i = 0; i < 50; i++) search();
    const job = runner.run({ network: big.network, centers: big.centers, options: { k: 10, minutes: 8 } });
    let done = false;
    void job.finally(() => (done = true));
    let longest = 0;
    let searches = 0;
    const started = performance.now();
    while (!done) {
      longest = Math.max(longest, search());
      searches++;
      // Yield to the event loop so the worker's answer can arrive.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const result = await job;
    expect(result.sites.length).toBe(10);
    // The request thread ran searches the whole time (none held up for long).
    expect(searches).toBeGreaterThan(10);
    expect(longest).toBeLessThan(Math.max(250, (performance.now() - started) / 4));
  });

  it('runs one suggestion in a worker of its own with runSuggestion', async () => {
    const options = { k: 2, minutes: 5, candidates: randomCandidates(c, 30, 5) };
    const result = await runSuggestion({ network: c.network, centers: c.centers, options });
    expect(withoutTimings(result)).toEqual(withoutTimings(await suggestSites({ network: c.network, centers: c.centers, options })));
  });
});
