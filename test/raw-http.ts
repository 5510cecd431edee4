/**
 * A raw HTTP/1.1 client for tests that must see what a real socket sees: the
 * request goes out byte for byte as given (path not normalized, any method,
 * any header, any body), over a keep-alive agent, and the answer comes back
 * only when it is complete (its body ended); a connection dropped before that
 * is a rejected promise with the socket error. Each answer says whether it
 * came on a new connection and whether the server closed that connection
 * after it, so a test can check that a `Connection: close` answer is followed
 * by a clean new connection.
 */
import http from 'node:http';
import type { Socket } from 'node:net';

export interface RawRequest {
  method: string;
  /** Sent as is: already percent-encoded, query included. */
  path: string;
  headers?: Record<string, string | string[]>;
  /** Written whole (Content-Length set) unless `chunked`. */
  body?: string | Buffer;
  /** Send the body in chunks with Transfer-Encoding: chunked (no Content-Length). */
  chunked?: boolean;
  /** An event stream never ends: take its first chunk as the answer and close the connection. */
  firstChunkOfStream?: boolean;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** True when this answer came on a connection opened for it. */
  newConnection: boolean;
  /** Milliseconds from the request to the end of the answer. */
  ms: number;
}

/** Why a request got no complete answer (a dropped connection, a timeout). */
export class NoResponseError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    /** True when a status line had arrived before the connection broke. */
    readonly partial: boolean,
  ) {
    super(message);
    this.name = 'NoResponseError';
  }
}

const seen = new WeakSet<Socket>();

export interface RawClient {
  send(request: RawRequest, timeoutMs?: number): Promise<RawResponse>;
  /** Connections opened so far. */
  readonly connections: number;
  close(): void;
}

/** A client for one server, with at most `maxSockets` keep-alive connections. */
export function rawClient(host: string, port: number, maxSockets = 1): RawClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  let connections = 0;
  return {
    get connections() {
      return connections;
    },
    close: () => agent.destroy(),
    send(request, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const started = performance.now();
        let settled = false;
        const fail = (error: Error & { code?: string }, partial: boolean) => {
          if (settled) return;
          settled = true;
          reject(new NoResponseError(`${request.method} ${request.path.slice(0, 200)}: ${error.message}`, error.code, partial));
        };
        const headers: Record<string, string | string[]> = { ...request.headers };
        if (request.body !== undefined && !request.chunked) headers['content-length'] = String(Buffer.byteLength(request.body));
        // Said outright: Node frames a GET or DELETE body in chunks only when told to (else it goes out unframed).
        if (request.body !== undefined && request.chunked) headers['transfer-encoding'] = 'chunked';
        const req = http.request({ host, port, method: request.method, path: request.path, headers, agent, setHost: true });
        let newConnection = false;
        req.on('socket', (socket: Socket) => {
          if (!seen.has(socket)) {
            seen.add(socket);
            // A socket error reaches the request ('error' below); on an idle pooled socket it must not crash the process.
            socket.on('error', () => {});
            connections++;
            newConnection = true;
          }
        });
        req.setTimeout(timeoutMs, () => {
          req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'TIMEOUT' }));
        });
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          const stream = request.firstChunkOfStream && String(res.headers['content-type']).startsWith('text/event-stream');
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            if (!stream || settled) return;
            settled = true;
            resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks), newConnection, ms: performance.now() - started });
            res.destroy();
          });
          res.on('error', (error) => fail(error, true));
          res.on('aborted', () => fail(Object.assign(new Error('the answer was cut off'), { code: 'ABORTED' }), true));
          res.on('end', () => {
            if (settled) return;
            // 'end' after 'aborted' does not happen; a body shorter than its Content-Length is an abort.
            settled = true;
            resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks), newConnection, ms: performance.now() - started });
          });
        });
        // An error after a complete answer (the server closing while a large body was still going out) changes nothing.
        req.on('error', (error) => fail(error, false));
        if (request.body === undefined) {
          req.end();
        } else if (request.chunked) {
          const body = Buffer.from(request.body);
          const step = 64 * 1024;
          for (let i = 0; i < body.length; i += step) req.write(body.subarray(i, i + step));
          req.end();
        } else {
          req.end(request.body);
        }
      });
    },
  };
}
