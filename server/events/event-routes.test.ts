import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../test/backends.ts';
import { storeSmallCity } from '../../test/tiles-fixture.ts';
import { createApp, type App } from '../app.ts';
import { silentLogger } from '../logger.ts';
import { createDataChanges } from './data-changes.ts';
import { eventRoutes } from './event-routes.ts';
import { bearer, testToken } from '../../test/auth-fixture.ts';

interface Sse {
  event: string;
  data: any;
}

/** Reads Server-Sent Events from a response body until `until` says stop; rejects after `ms`. */
async function readEvents(res: Response, until: (events: Sse[]) => boolean, ms = 10_000): Promise<Sse[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: Sse[] = [];
  let buffer = '';
  const deadline = setTimeout(() => void reader.cancel(new Error('timeout')), ms);
  try {
    while (!until(events)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended after ${events.length} events`);
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data !== undefined) events.push({ event, data: JSON.parse(data) });
        else if (block.startsWith(':')) events.push({ event: 'comment', data: block });
      }
    }
    return events;
  } finally {
    clearTimeout(deadline);
    await reader.cancel().catch(() => {});
  }
}

describe('GET /api/events', () => {
  let t: TestDatabase;
  let app: App;

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    await storeSmallCity(t.db);
    app = await createApp({ db: t.db, logger: silentLogger, dataDir: undefined });
    await app.idle();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('streams the version, then a center change and the coverage written after it', async () => {
    const res = await app.http.request('/api/events');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const health = await (await app.http.request('/health')).json();
    const center = await (await app.http.request('/api/centers/1')).json();
    const reading = readEvents(res, (events) => events.some((e) => e.event === 'change' && e.data.layers?.includes('households')));
    const patched = await app.http.request('/api/centers/1', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...bearer(await testToken(t.db)) },
      body: JSON.stringify({ lon: center.lon + 0.004 }),
    });
    expect(patched.status).toBe(200);
    const events = await reading;
    expect(events[0]).toEqual({ event: 'version', data: { version: health.data.version } });
    const changes = events.filter((e) => e.event === 'change').map((e) => e.data);
    expect(changes[0]).toMatchObject({ type: 'features', layers: ['centers'] });
    expect(changes[0].boxes).toEqual([
      [center.lon, center.lat, center.lon, center.lat],
      [center.lon + 0.004, center.lat, center.lon + 0.004, center.lat],
    ]);
    // The coverage write-back: the households and grids whose walk times changed.
    const coverage = changes.find((c) => c.layers.includes('households'))!;
    expect(coverage).toMatchObject({ type: 'features', version: changes[0].version });
    expect(coverage.layers).toEqual(expect.arrayContaining(['households', 'grids']));
    expect(coverage.boxes.length).toBeGreaterThan(0);
  });

  it('keeps an idle stream open with comments, and a listener goes when its client does', async () => {
    const changes = createDataChanges();
    let listeners = 0;
    const counting = {
      subscribe(listener: Parameters<typeof changes.subscribe>[0]) {
        listeners++;
        const off = changes.subscribe(listener);
        return () => {
          listeners--;
          off();
        };
      },
      publish: changes.publish,
      hold: changes.hold,
      settled: changes.settled,
    };
    const events = eventRoutes(t.db, counting, 50);
    const res = await events.routes.request('/api/events');
    const seen = await readEvents(res, (e) => e.filter((x) => x.event === 'comment').length >= 2, 5000);
    expect(seen[0]!.event).toBe('version');
    expect(seen.slice(1).every((e) => e.event === 'comment')).toBe(true);
    // readEvents cancelled the stream: the subscription is gone.
    for (let i = 0; i < 50 && listeners > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(listeners).toBe(0);
  });

  it('ends open streams on shutdown, so the HTTP server can close', async () => {
    const events = eventRoutes(t.db, createDataChanges(), 60_000);
    const res = await events.routes.request('/api/events');
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toMatch(/^event: version/);
    events.end();
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
  });
});
