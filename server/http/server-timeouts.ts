/**
 * Deadlines for slow clients, on the Node HTTP server: a client that sends
 * its request head a byte at a time (slowloris), or a body slower than any
 * real client, holds a socket and its memory for as long as it likes unless
 * the server gives up first. Node answers 408 and closes the connection when
 * the head is not complete within `headersTimeoutMs`, or the whole request
 * within `requestTimeoutMs`; an idle keep-alive connection is closed after
 * `keepAliveTimeoutMs` (Node 20 waits one second more than it announces in
 * `Keep-Alive: timeout=`, so a client never races the close). config.ts has
 * the defaults.
 *
 * Node checks the two request deadlines on a timer (every 30 s by default),
 * so a 10 s deadline could hold a socket for 40 s: the check runs here every
 * second, or more often for shorter deadlines.
 */
import type { ServerOptions } from 'node:http';

export interface ServerTimeouts {
  /** The request head must arrive within this (ms). */
  headersTimeoutMs: number;
  /** The whole request, body included, must arrive within this (ms); 0: no limit. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (ms). */
  keepAliveTimeoutMs: number;
}

/** Longest time between two checks of the request deadlines (ms). */
const MAX_CHECK_INTERVAL_MS = 1_000;

/** Options for `http.createServer` (serve's `serverOptions`) that apply the timeouts. */
export function serverTimeoutOptions(timeouts: ServerTimeouts): ServerOptions {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs } = timeouts;
  if (requestTimeoutMs > 0 && headersTimeoutMs > requestTimeoutMs) {
    throw new RangeError(`the headers timeout (${headersTimeoutMs} ms) must not exceed the request timeout (${requestTimeoutMs} ms)`);
  }
  const shortest = requestTimeoutMs > 0 ? Math.min(headersTimeoutMs, requestTimeoutMs) : headersTimeoutMs;
  return {
    headersTimeout: headersTimeoutMs,
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    // A quarter of the shortest deadline: a slow client is dropped within 125% of it.
    connectionsCheckingInterval: Math.max(10, Math.min(MAX_CHECK_INTERVAL_MS, Math.floor(shortest / 4))),
  };
}
