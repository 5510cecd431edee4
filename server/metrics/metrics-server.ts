/**
 * The listener of METRICS=port:N: a second HTTP server in the same process
 * serving only the metrics app (metrics-routes.ts), so a firewall or a
 * private interface can keep it for the monitoring network while the main
 * port faces everyone. Resolves once listening; a port that cannot be had
 * (in use, not allowed) rejects, so the process stops at start with the
 * reason instead of running without its metrics.
 */
import { serve } from '@hono/node-server';
import type { Server, ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MetricsServer {
  /** The port it listens on (the one asked for, or the one given for 0). */
  port: number;
  close(): Promise<void>;
}

export function startMetricsServer(app: { fetch: (request: Request) => Response | Promise<Response> }, options: { port: number; host: string; serverOptions?: ServerOptions }): Promise<MetricsServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: options.host, serverOptions: options.serverOptions }) as Server;
    const failed = (error: Error) => reject(new Error(`metrics port ${options.host}:${options.port}: ${error.message}`));
    server.once('error', failed);
    server.once('listening', () => {
      server.off('error', failed);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Scrapers keep their connection alive: end idle ones, or close waits for them.
            server.closeIdleConnections();
          }),
      });
    });
  });
}
