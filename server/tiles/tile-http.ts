/**
 * HTTP semantics of a tile response, apart from routing and sources: content
 * negotiation (br or gzip by Accept-Encoding, identity otherwise), strong
 * ETags from the tile's content hash (one per encoding, as RFC 9110 wants for
 * different representations), 304 on If-None-Match, 204 for an empty tile,
 * and a Cache-Control that shared caches may trust: revalidate every time at
 * a plain URL, keep for good at a versioned one whose version is final
 * (docs/scale-out.md says why not a short lifetime).
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { CachedTile, TileEncoding } from './tile-cache.ts';
import { ifNoneMatchHas } from '../http/conditional.ts';

export const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';

const ETAG_SUFFIX: Record<TileEncoding, string> = { br: '-br', gzip: '-gz' };

/** Parses Accept-Encoding and picks br or gzip (higher q wins, br on a tie), or null for identity. */
export function negotiateEncoding(header: string | undefined): TileEncoding | null {
  if (!header) return null;
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [rawName, ...rawParams] = part.split(';');
    let name = rawName!.trim().toLowerCase();
    if (name === 'x-gzip') name = 'gzip';
    let q = 1;
    for (const param of rawParams) {
      const [k, v] = param.split('=');
      if (k?.trim().toLowerCase() === 'q') {
        const n = Number(v?.trim());
        // A malformed weight counts as "not acceptable": never guess an encoding the client may not read.
        q = Number.isFinite(n) && n >= 0 && n <= 1 ? n : 0;
      }
    }
    weights.set(name, q);
  }
  // "*" stands for every encoding the header does not name.
  const weight = (name: string) => weights.get(name) ?? weights.get('*') ?? 0;
  const br = weight('br');
  const gz = weight('gzip');
  if (br > 0 && br >= gz) return 'br';
  if (gz > 0) return 'gzip';
  return null;
}

/** The strong ETag of a tile in an encoding. */
export function tileEtag(hash: string, encoding: TileEncoding | null): string {
  return `"${hash}${encoding ? ETAG_SUFFIX[encoding] : ''}"`;
}

/**
 * If-None-Match against a tile (weak comparison, as RFC 9110 says for this
 * header): matches any encoding's ETag of the same content, since a proxy
 * may have stored another representation of the same bytes.
 */
export function matchesIfNoneMatch(header: string | undefined, hash: string): boolean {
  return ifNoneMatchHas(header, [hash, hash + ETAG_SUFFIX.br, hash + ETAG_SUFFIX.gzip]);
}

/** Cache-Control for tiles: storable by shared caches, revalidated after maxAge seconds (0: every time). */
export function tileCacheControl(maxAgeSeconds: number): string {
  return maxAgeSeconds > 0 ? `public, max-age=${maxAgeSeconds}` : 'public, max-age=0, must-revalidate';
}

/**
 * Cache-Control of a tile at a final data version: its URL names the
 * version, and a change gives new URLs, so it never goes stale (a year is
 * RFC 9111's customary "never expires").
 */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

export interface TileResponseOptions {
  /** The Cache-Control header: tileCacheControl(...) or IMMUTABLE_CACHE_CONTROL. */
  cacheControl: string;
  /** The tile's bytes in an encoding, or null when that encoding does not pay. */
  variant(tile: CachedTile, encoding: TileEncoding): Promise<Uint8Array | null>;
}

/**
 * CORS of the tile answers (reads from any origin), set with the other
 * headers: the tile routes' CORS middleware answers only preflights.
 */
export const TILE_CORS_HEADERS = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'ETag,Content-Encoding' } as const;

/**
 * A request header (lower-case name). On @hono/node-server, from node's own
 * parsed headers (its bindings, c.env.incoming): c.req.header() would first
 * build a fetch Headers of every header the request has, about 20 us a tile
 * before the JIT knows that code. Both join a repeated header with ", ".
 */
function requestHeader(c: Context, name: 'accept-encoding' | 'if-none-match'): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming?.headers) return c.req.header(name);
  const value = incoming.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The response for a tile: 200 with the negotiated bytes, 204 when empty,
 * 304 when the client has it. Made as a Response with a plain header record
 * (not through the context's Headers): on @hono/node-server that goes to
 * the socket without a Headers object built and read back per tile.
 */
export async function tileResponse(c: Context, tile: CachedTile, options: TileResponseOptions): Promise<Response> {
  const wanted = tile.data.byteLength > 0 ? negotiateEncoding(requestHeader(c, 'accept-encoding')) : null;
  const compressed = wanted ? await options.variant(tile, wanted) : null;
  const encoding = compressed ? wanted : null;
  const headers: Record<string, string> = {
    'Cache-Control': options.cacheControl,
    Vary: 'Accept-Encoding',
    ETag: tileEtag(tile.hash, encoding),
    ...TILE_CORS_HEADERS,
  };
  const ifNoneMatch = requestHeader(c, 'if-none-match');
  if (ifNoneMatch && matchesIfNoneMatch(ifNoneMatch, tile.hash)) return new Response(null, { status: 304, headers });
  if (tile.data.byteLength === 0) return new Response(null, { status: 204, headers });
  headers['Content-Type'] = MVT_CONTENT_TYPE;
  if (encoding) headers['Content-Encoding'] = encoding;
  const body = compressed ?? tile.data;
  return new Response(body as Uint8Array<ArrayBuffer>, { status: 200, headers });
}
