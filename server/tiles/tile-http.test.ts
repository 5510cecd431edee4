import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { layerIndex } from './layers.ts';
import { makeCachedTile } from './tile-cache.ts';
import { matchesIfNoneMatch, negotiateEncoding, tileCacheControl, tileEtag, tileResponse } from './tile-http.ts';

describe('tile HTTP helpers', () => {
  it('negotiates br before gzip, by q-value, with * and malformed weights', () => {
    expect(negotiateEncoding(undefined)).toBeNull();
    expect(negotiateEncoding('')).toBeNull();
    expect(negotiateEncoding('identity')).toBeNull();
    expect(negotiateEncoding('gzip')).toBe('gzip');
    expect(negotiateEncoding('gzip, deflate, br')).toBe('br');
    expect(negotiateEncoding('br;q=0.5, gzip')).toBe('gzip');
    expect(negotiateEncoding('br;q=0, gzip;q=0')).toBeNull();
    expect(negotiateEncoding('*')).toBe('br');
    expect(negotiateEncoding('br;q=0, *')).toBe('gzip');
    expect(negotiateEncoding('GZIP')).toBe('gzip');
    expect(negotiateEncoding('x-gzip')).toBe('gzip');
    expect(negotiateEncoding('br;q=abc, gzip;q=2')).toBeNull();
    expect(negotiateEncoding(';;;,,,=')).toBeNull();
  });

  it('gives each encoding its own strong ETag and matches any of them on If-None-Match', () => {
    expect(tileEtag('abc', null)).toBe('"abc"');
    expect(tileEtag('abc', 'br')).toBe('"abc-br"');
    expect(tileEtag('abc', 'gzip')).toBe('"abc-gz"');
    expect(matchesIfNoneMatch('"abc"', 'abc')).toBe(true);
    expect(matchesIfNoneMatch('W/"abc-gz"', 'abc')).toBe(true);
    expect(matchesIfNoneMatch('"x", "abc-br"', 'abc')).toBe(true);
    expect(matchesIfNoneMatch('*', 'abc')).toBe(true);
    expect(matchesIfNoneMatch('"abcd"', 'abc')).toBe(false);
    expect(matchesIfNoneMatch('', 'abc')).toBe(false);
    expect(matchesIfNoneMatch(undefined, 'abc')).toBe(false);
  });

  it('lets shared caches store tiles and revalidate them', () => {
    expect(tileCacheControl(0)).toBe('public, max-age=0, must-revalidate');
    expect(tileCacheControl(60)).toBe('public, max-age=60');
  });

  it('reads Accept-Encoding and If-None-Match the same on @hono/node-server (node\'s headers) as through a fetch Request', async () => {
    const grids = layerIndex().get('grids')!;
    const data = new TextEncoder().encode('tile '.repeat(200));
    const tile = makeCachedTile('grids/14/1/2', 14, 1, 2, [grids], data);
    const variant = async (_: unknown, encoding: 'gzip' | 'br') => new Uint8Array(encoding === 'gzip' ? gzipSync(data) : brotliCompressSync(data));
    const app = new Hono().get('/t', (c) => tileResponse(c, tile, { cacheControl: tileCacheControl(0), variant }));
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as AddressInfo).port;
    // Over a socket, a header given as a list goes out as repeated lines: node joins them as fetch's Headers do.
    const overHttp = (headers: Record<string, string | string[]>) =>
      new Promise<{ status: number; etag: string | null; encoding: string | null; bytes: number }>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path: '/t', headers }, (res) => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => (bytes += chunk.length));
          res.on('end', () =>
            resolve({ status: res.statusCode!, etag: (res.headers.etag as string) ?? null, encoding: (res.headers['content-encoding'] as string) ?? null, bytes }),
          );
        })
          .on('error', reject)
          .end();
      });
    const inProcess = async (headers: Record<string, string | string[]>) => {
      const init = new Headers();
      for (const [name, value] of Object.entries(headers)) for (const v of [value].flat()) init.append(name, v);
      const res = await app.request('/t', { headers: init });
      const body = await res.arrayBuffer();
      return { status: res.status, etag: res.headers.get('etag'), encoding: res.headers.get('content-encoding'), bytes: body.byteLength };
    };
    try {
      const etag = tileEtag(tile.hash, null);
      const cases: Record<string, string | string[]>[] = [
        {},
        { 'accept-encoding': 'gzip' },
        { 'accept-encoding': 'gzip, deflate, br' },
        { 'accept-encoding': ['br;q=0', 'gzip'] },
        { 'accept-encoding': 'br;q=0, gzip;q=0' },
        { 'if-none-match': etag },
        { 'if-none-match': ['"other"', `W/${etag}`] },
        { 'if-none-match': '"other"', 'accept-encoding': 'br' },
        { 'if-none-match': tileEtag(tile.hash, 'gzip'), 'accept-encoding': 'gzip' },
      ];
      const seen = new Set<string>();
      for (const headers of cases) {
        const got = await overHttp(headers);
        expect(got, JSON.stringify(headers)).toEqual(await inProcess(headers));
        seen.add(`${got.status} ${got.encoding}`);
      }
      // The cases reach every outcome: 200 in each encoding, and 304 (which names no encoding).
      expect(seen).toEqual(new Set(['200 null', '200 gzip', '200 br', '304 null']));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
