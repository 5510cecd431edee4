/**
 * The app's connections over real sockets (the small city on PGlite, served
 * by @hono/node-server on an ephemeral port): a 413 closes its connection so
 * a keep-alive client never reuses a socket with an unread body on it, and
 * ordinary answers keep theirs.
 */
import { Agent } from 'node:http';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../server/app.ts';
import { MAX_BODY_BYTES } from '../server/routing/isochrone/isochrone-routes.ts';
import type { TestDatabase } from './backends.ts';
import { close, listen, rawConnection, send } from './http-sockets.ts';
import { openSmallCityApp } from './small-city-app.ts';
import { SMALL_CITY_CENTER } from './tiles-fixture.ts';

const [LON, LAT] = SMALL_CITY_CENTER;

describe('connections', () => {
  let t: TestDatabase;
  let app: App;

  beforeAll(async () => {
    ({ t, app } = await openSmallCityApp('pglite'));
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  describe('a 413 closes its connection', () => {
    let server: ServerType;
    let port: number;
    beforeAll(async () => ({ server, port } = await listen(app)));
    afterAll(() => close(server));

    it.each([
      ['declared (Content-Length)', false, MAX_BODY_BYTES + 1],
      ['chunked', true, 2 * MAX_BODY_BYTES],
      ['chunked, much larger', true, 16 * MAX_BODY_BYTES],
    ])('%s: 413 JSON with Connection: close, and the next request on the keep-alive agent works', async (_name, chunked, size) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const warm = await send(agent, port, 'GET', '/health');
        expect(warm.status).toBe(200);
        const tooLarge = await send(agent, port, 'POST', '/api/isochrone', Buffer.alloc(size, 0x20), chunked);
        expect(tooLarge.status).toBe(413);
        expect(tooLarge.headers.connection).toBe('close');
        expect(JSON.parse(tooLarge.body).error.code).toBe('payload_too_large');
        const next = await send(agent, port, 'POST', '/api/isochrone', Buffer.from(JSON.stringify({ origins: [[LON, LAT]], minutes: [5] })));
        expect(next.status).toBe(200);
        // The agent opened a new socket: the old one was closed, not reused half-read.
        expect(next.reusedSocket).toBe(false);
        expect(JSON.parse(next.body).type).toBe('FeatureCollection');
      } finally {
        agent.destroy();
      }
    });

    it('answers a raw socket that sends part of an over-limit body with 413, then closes it', async () => {
      const { socket, received, closed } = await rawConnection(port);
      socket.write(`POST /api/isochrone HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${2 * MAX_BODY_BYTES}\r\n\r\n{"origins": [`);
      const ms = await closed;
      expect(ms).toBeLessThan(5_000);
      const text = received();
      expect(text).toMatch(/^HTTP\/1\.1 413 /);
      expect(text).toMatch(/\r\nconnection: close\r\n/i);
      expect(text).toContain('"payload_too_large"');
    });

    it('leaves ordinary answers keep-alive', async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        await send(agent, port, 'GET', '/health');
        const again = await send(agent, port, 'GET', '/health');
        expect(again.status).toBe(200);
        expect(again.reusedSocket).toBe(true);
      } finally {
        agent.destroy();
      }
    });
  });
});
