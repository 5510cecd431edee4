/**
 * Limits on expensive work: the token buckets (seeded clock), the heavy-work
 * cap that lets cheap requests in between heavy ones, and over HTTP: a burst
 * of isochrones of many origins or of suggestions over the client's rate is
 * 429 with Retry-After while another client and cheap requests go on; a full
 * queue is 503 busy; and while an exact suggestion runs, cheap requests keep
 * being answered (asserted on counts and order, not on times: the times are
 * for the bench).
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../server/app.ts';
import { silentLogger } from '../server/logger.ts';
import { HeavyWork, HeavyWorkFull } from '../server/limits/heavy-work.ts';
import { RateLimiter } from '../server/limits/rate-limiter.ts';
import { bearer, testToken } from './auth-fixture.ts';
import { openTestDatabase, type TestDatabase } from './backends.ts';
import { SMALL_CITY_CENTER, storeSmallCity } from './tiles-fixture.ts';

const [LON, LAT] = SMALL_CITY_CENTER;

/** Keeps the thread busy for `ms`, as a heavy synchronous computation does. */
function burn(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('token buckets', () => {
  it('let a burst through, then refuse with the seconds until the next one, and refill at the rate', () => {
    let now = 0;
    const limiter = new RateLimiter({ a: { burst: 3, perMinute: 6 }, off: { burst: 0, perMinute: 0 } }, () => now);
    expect([1, 2, 3].map(() => limiter.take('a', 'x').ok)).toEqual([true, true, true]);
    expect(limiter.take('a', 'x')).toEqual({ ok: false, retryAfterS: 10 });
    // Another client has its own bucket.
    expect(limiter.take('a', 'y').ok).toBe(true);
    now += 4_000;
    expect(limiter.take('a', 'x')).toEqual({ ok: false, retryAfterS: 6 });
    now += 6_000;
    expect(limiter.take('a', 'x').ok).toBe(true);
    expect(limiter.take('a', 'x').ok).toBe(false);
    now += 3_600_000;
    expect([1, 2, 3, 4].map(() => limiter.take('a', 'x').ok)).toEqual([true, true, true, false]);
    // A rule of 0 is no limit.
    expect(Array.from({ length: 100 }, () => limiter.take('off', 'x').ok).every(Boolean)).toBe(true);
  });
});

describe('heavy-work cap', () => {
  it('runs one heavy job at a time, lets work that arrived meanwhile run between two, and refuses beyond the queue', async () => {
    const work = new HeavyWork(1, 2);
    const order: string[] = [];
    const heavy = (name: string) =>
      work.run(() => {
        order.push(`${name} start`);
        // A cheap request arriving while this one computes.
        setImmediate(() => order.push(`cheap during ${name}`));
        burn(20);
        order.push(`${name} end`);
        return name;
      });
    const jobs = [heavy('A'), heavy('B'), heavy('C')];
    await expect(heavy('D')).rejects.toBeInstanceOf(HeavyWorkFull);
    expect(await Promise.all(jobs)).toEqual(['A', 'B', 'C']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['A start', 'A end', 'cheap during A', 'B start', 'B end', 'cheap during B', 'C start', 'C end', 'cheap during C']);
    expect(work.stats()).toEqual({ running: 0, waiting: 0 });
  });
});

describe('request limits over HTTP', () => {
  let t: TestDatabase;
  let app: App;
  let planner: string;
  let other: string;

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    await storeSmallCity(t.db);
    app = await createApp({
      db: t.db,
      logger: silentLogger,
      dataDir: undefined,
      limits: { manyOrigins: 2, isochroneMany: { burst: 3, perMinute: 3 }, suggest: { burst: 2, perMinute: 2 }, exact: { burst: 5, perMinute: 5 } },
    });
    await app.idle();
    planner = await testToken(t.db);
    other = await testToken(t.db, 'reader');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const post = (path: string, body: unknown, token?: string) =>
    app.http.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? bearer(token) : {}) }, body: JSON.stringify(body) });
  const many = { origins: [[LON, LAT], [LON + 0.002, LAT], [LON, LAT + 0.002]], minutes: [5] };
  const few = { origins: [[LON, LAT]], minutes: [5] };

  it('answers a burst of isochrones of many origins over the rate with 429 and Retry-After, per client', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await post('/api/isochrone', many, planner);
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get('retry-after');
        expect((await res.json()).error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('try again in') });
      } else await res.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    // Another client (another token, or no token: the address) has its own allowance; few origins are never limited.
    expect((await post('/api/isochrone', many, other)).status).toBe(200);
    expect((await post('/api/isochrone', many)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await post('/api/isochrone', few, planner)).status).toBe(200);
    expect((await app.http.request(`/api/nearest?lon=${LON}&lat=${LAT}`)).status).toBe(200);
  });

  it('answers suggestions over the rate with 429, an exact one counting against both rates', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post('/api/plan/suggest', { k: 1 }, other)).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('keeps answering cheap requests while an exact suggestion runs', async () => {
    // Over real sockets, as clients call: in-process requests would never leave the microtask queue.
    const server = serve({ fetch: app.http.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      let done = false;
      const exact = fetch(`${base}/api/plan/suggest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(planner) },
        body: JSON.stringify({ k: 20, minutes: 10, method: 'exact', time_limit_s: 20 }),
      }).then(async (res) => {
        const body = await res.json();
        done = true;
        return { status: res.status, body };
      });
      const answered: number[] = [];
      let cheapWhileRunning = 0;
      // Bounded, so a suggestion that never ends fails the test instead of spinning.
      const giveUp = Date.now() + 60_000;
      while (!done && Date.now() < giveUp) {
        const res = await fetch(`${base}/api/nearest?lon=${LON + (answered.length % 7) * 0.0003}&lat=${LAT}`);
        answered.push(res.status);
        await res.arrayBuffer();
        if (!done) cheapWhileRunning++;
      }
      const result = await exact;
      expect(result.status).toBe(200);
      expect(result.body.method).toBe('exact');
      // Order: cheap requests were answered one after another while the suggestion was still running.
      expect(cheapWhileRunning).toBeGreaterThanOrEqual(10);
      expect(answered.every((s) => s === 200)).toBe(true);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 90_000);
});
