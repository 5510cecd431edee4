/**
 * Real sockets to an app, for the tests of connections and deadlines: the
 * app served on an ephemeral loopback port (with Node server options such as
 * timeouts), requests through an http.Agent (to see keep-alive reuse), and
 * raw connections that write exactly what a test says, when it says.
 */
import { Agent, request, type Server, type ServerOptions } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { App } from '../server/app.ts';
import { answerUnparsableRequests } from '../server/http/client-errors.ts';

/** Serves `app` on 127.0.0.1 and an ephemeral port. */
export function listen(app: App, serverOptions: ServerOptions = {}): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.http.fetch, port: 0, hostname: '127.0.0.1', serverOptions }, (info: AddressInfo) => resolve({ server, port: info.port }));
    // As main.ts serves it.
    answerUnparsableRequests(server as Server);
  });
}

/** Closes the server and any connection still open. */
export function close(server: ServerType | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!server) return resolve();
    (server as Server).closeAllConnections?.();
    server.close(() => resolve());
  });
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** True when the agent sent this request on a socket an earlier request used. */
  reusedSocket: boolean;
}

/** One request through `agent`; `body` is sent chunked when `chunked` (no Content-Length to refuse it by). */
export function send(agent: Agent, port: number, method: string, path: string, body?: Buffer, chunked = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (body && !chunked) headers['content-length'] = body.length;
    const req = request({ agent, host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text, reusedSocket: req.reusedSocket }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/** A raw connection, once connected: what the server sent so far, and when it closed (ms after opening). */
export async function rawConnection(port: number): Promise<{ socket: Socket; received: () => string; closed: Promise<number> }> {
  const opened = Date.now();
  const socket = connect(port, '127.0.0.1');
  let data = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk) => (data += chunk));
  socket.on('error', () => {}); // a reset after the server gives up is one way of closing
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - opened)));
  await new Promise((resolve) => socket.once('connect', resolve));
  return { socket, received: () => data, closed };
}

/** Writes `parts` one every `everyMs`, while the socket is open. */
export async function trickle(socket: Socket, parts: string[], everyMs: number): Promise<void> {
  for (const part of parts) {
    if (socket.destroyed || socket.writableEnded) return;
    socket.write(part);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
