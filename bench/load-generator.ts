/**
 * A closed-loop HTTP load generator: `connections` workers on one keep-alive
 * agent (maxSockets = connections), each sending its next request as soon as
 * the last one's answer is complete, until the time is up or the requests
 * run out. Records per route the latency of every answer (request written to
 * body ended) and the errors: any status but 2xx and 304, or no complete
 * answer (a dropped connection, a timeout).
 */
import { rawClient, type RawClient } from '../test/raw-http.ts';

export interface LoadRequest {
  /** The name figures are reported under, e.g. "tiles". */
  route: string;
  path: string;
  headers?: Record<string, string>;
}

export interface RouteFigures {
  /** Latency of every answer, ms (errors included). */
  ms: number[];
  errors: number;
  /** Answers by status ("network" for none). */
  statuses: Map<string, number>;
}

export interface LoadResult {
  seconds: number;
  requests: number;
  errors: number;
  byRoute: Map<string, RouteFigures>;
  /** A few failed requests, for the report. */
  errorSamples: string[];
  /** Connections opened during the run (a keep-alive run opens at most `connections`; none on a warm client). */
  connections: number;
}

export interface LoadOptions {
  host: string;
  port: number;
  connections: number;
  /** Stop after this long; without it, when `next` runs out. */
  seconds?: number;
  /** The next request to send; undefined when there are no more. */
  next(): LoadRequest | undefined;
  timeoutMs?: number;
  /** Connections to use (kept open afterwards): the warm-up's, so the load starts with them open. */
  client?: RawClient;
}

/** A client for `runLoad` whose connections outlive one run. */
export function loadClient(host: string, port: number, connections: number): RawClient {
  return rawClient(host, port, connections);
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const client = options.client ?? rawClient(options.host, options.port, options.connections);
  const opened = client.connections;
  const byRoute = new Map<string, RouteFigures>();
  const errorSamples: string[] = [];
  let requests = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = options.seconds === undefined ? Infinity : started + options.seconds * 1000;
  const figures = (route: string) => {
    let f = byRoute.get(route);
    if (!f) byRoute.set(route, (f = { ms: [], errors: 0, statuses: new Map() }));
    return f;
  };

  async function worker(): Promise<void> {
    while (performance.now() < deadline) {
      const request = options.next();
      if (!request) return;
      const f = figures(request.route);
      const t0 = performance.now();
      let status: string;
      try {
        const res = await client.send({ method: 'GET', path: request.path, headers: request.headers }, options.timeoutMs ?? 30_000);
        status = String(res.status);
      } catch (error) {
        status = 'network';
        if (errorSamples.length < 5) errorSamples.push(`${request.path}: ${(error as Error).message}`);
      }
      f.ms.push(performance.now() - t0);
      f.statuses.set(status, (f.statuses.get(status) ?? 0) + 1);
      requests++;
      const ok = status === '304' || (status.length === 3 && status.startsWith('2'));
      if (!ok) {
        f.errors++;
        errors++;
        if (status !== 'network' && errorSamples.length < 5) errorSamples.push(`${request.path}: ${status}`);
      }
    }
  }

  await Promise.all(Array.from({ length: options.connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  const connections = client.connections - opened;
  if (!options.client) client.close();
  return { seconds, requests, errors, byRoute, errorSamples, connections };
}
