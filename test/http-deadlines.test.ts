/**
 * The server's deadlines for slow clients (server/http/server-timeouts.ts),
 * over real sockets to the app (the small city on PGlite, served by
 * @hono/node-server with short timeouts on an ephemeral port): a client whose
 * head or body trickles in is dropped within a bounded time, and so is an
 * idle keep-alive connection, while the server keeps answering everyone else.
 */
import { Agent } from 'node:http';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../server/app.ts';
import { serverTimeoutOptions, type ServerTimeouts } from '../server/http/server-timeouts.ts';
import type { TestDatabase } from './backends.ts';
import { close, listen, rawConnection, send, trickle } from './http-sockets.ts';
import { openSmallCityApp } from './small-city-app.ts';
import { SMALL_CITY_CENTER } from './tiles-fixture.ts';

const [LON, LAT] = SMALL_CITY_CENTER;

describe('slow clients', () => {
  let t: TestDatabase;
  let app: App;

  beforeAll(async () => {
    ({ t, app } = await openSmallCityApp('pglite'));
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  describe('served with 400/800/300 ms deadlines', () => {
    const TIMEOUTS: ServerTimeouts = { headersTimeoutMs: 400, requestTimeoutMs: 800, keepAliveTimeoutMs: 300 };
    /** Deadline plus Node's check interval (a quarter of the shortest deadline) plus slack for 2 busy cores. */
    const bound = (deadlineMs: number) => deadlineMs + 100 + 1_500;
    let server: ServerType;
    let port: number;
    // Applied as main.ts applies them.
    beforeAll(async () => ({ server, port } = await listen(app, serverTimeoutOptions(TIMEOUTS))));
    afterAll(() => close(server));

    it('closes a connection whose head trickles in (slowloris) with a 408, and keeps serving others', async () => {
      const { socket, received, closed } = await rawConnection(port);
      socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n');
      // A header line every 100 ms, forever: the head never ends.
      const headers = Array.from({ length: 200 }, (_, i) => `X-Slow-${i}: ${'a'.repeat(10)}\r\n`);
      const writing = trickle(socket, headers, 100);
      // Meanwhile another client is answered.
      const agent = new Agent({ keepAlive: false });
      const other = await send(agent, port, 'GET', '/health');
      expect(other.status).toBe(200);
      const ms = await closed;
      await writing;
      expect(ms).toBeLessThan(bound(TIMEOUTS.headersTimeoutMs));
      expect(received()).toMatch(/^HTTP\/1\.1 408 /);
      // In the API's one error shape, like every other 4xx.
      expect(JSON.parse(received().split('\r\n\r\n')[1]!)).toMatchObject({ error: { code: 'request_timeout' } });
      expect((await send(agent, port, 'GET', '/health')).status).toBe(200);
    });

    it('answers a head over 16 KB (a very long URL) with 431 in the error shape, closes, and keeps serving', async () => {
      const { socket, received, closed } = await rawConnection(port);
      socket.write(`GET /api/nearest?lon=${LON}&lat=${LAT}&x=${'9'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
      await closed;
      const [head, body] = received().split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 431 /);
      expect(head).toMatch(/content-type: application\/json/i);
      expect(head).toMatch(/connection: close/i);
      expect(JSON.parse(body!)).toMatchObject({ error: { code: 'headers_too_large', message: expect.stringMatching(/16 KB/) } });
      const agent = new Agent({ keepAlive: false });
      expect((await send(agent, port, 'GET', '/health')).status).toBe(200);
    });

    it('answers bytes that are not HTTP with 400 in the error shape', async () => {
      const { socket, received, closed } = await rawConnection(port);
      socket.write('HELLO THERE\r\n\r\n');
      await closed;
      expect(received()).toMatch(/^HTTP\/1\.1 400 /);
      expect(JSON.parse(received().split('\r\n\r\n')[1]!)).toMatchObject({ error: { code: 'bad_request' } });
    });

    it('closes a connection whose body trickles in, within the request deadline', async () => {
      const { socket, closed } = await rawConnection(port);
      const body = JSON.stringify({ origins: [[LON, LAT]], minutes: [5] });
      socket.write(`POST /api/isochrone HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
      // A byte every 100 ms: the body would take seconds.
      const writing = trickle(socket, body.split(''), 100);
      const ms = await closed;
      await writing;
      expect(ms).toBeLessThan(bound(TIMEOUTS.requestTimeoutMs));
      expect(ms).toBeGreaterThanOrEqual(TIMEOUTS.headersTimeoutMs / 2);
      const agent = new Agent({ keepAlive: false });
      expect((await send(agent, port, 'GET', '/health')).status).toBe(200);
    });

    it('closes an idle keep-alive connection after its timeout', async () => {
      const { socket, received, closed } = await rawConnection(port);
      socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
      const ms = await closed;
      expect(received()).toMatch(/^HTTP\/1\.1 200 /);
      // Node keeps an idle connection one second past keepAliveTimeout (what it announces in Keep-Alive: timeout=).
      expect(ms).toBeGreaterThanOrEqual(TIMEOUTS.keepAliveTimeoutMs);
      expect(ms).toBeLessThan(bound(TIMEOUTS.keepAliveTimeoutMs) + 1_000);
    });
  });
});

describe('serverTimeoutOptions', () => {
  it('gives Node the three timeouts and a check interval of a quarter of the shortest deadline, at most 1 s', () => {
    expect(serverTimeoutOptions({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000 })).toEqual({
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      keepAliveTimeout: 5_000,
      connectionsCheckingInterval: 1_000,
    });
    expect(serverTimeoutOptions({ headersTimeoutMs: 400, requestTimeoutMs: 0, keepAliveTimeoutMs: 300 }).connectionsCheckingInterval).toBe(100);
  });

  it('refuses a head deadline later than the request deadline', () => {
    expect(() => serverTimeoutOptions({ headersTimeoutMs: 5_000, requestTimeoutMs: 1_000, keepAliveTimeoutMs: 5_000 })).toThrow(/must not exceed/);
  });
});
