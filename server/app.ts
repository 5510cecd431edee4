/**
 * Wires the service: takes the opened database and a logger, builds each
 * feature's routes and mounts them on one Hono app. The only place that knows
 * every feature; no module below reaches for globals or the environment.
 */
import { Hono } from 'hono';
import type { Database } from './db/database.ts';
import type { Logger } from './logger.ts';
import { handleError, handleNotFound } from './http/errors.ts';
import { healthRoutes } from './health/health-routes.ts';

export interface AppDeps {
  db: Database;
  logger: Logger;
  /** Folder for graph snapshots and other derived files; undefined keeps them in memory. */
  dataDir: string | undefined;
}

export interface App {
  /** The HTTP app: `app.fetch` for a server, `app.request` for tests. */
  http: Hono;
  /** Releases what the features hold (caches, timers); the caller closes the database. */
  close(): Promise<void>;
}

export async function createApp(deps: AppDeps): Promise<App> {
  const http = new Hono();
  http.onError(handleError(deps.logger));
  http.notFound(handleNotFound);
  http.route('/', healthRoutes(deps.db));
  return {
    http,
    async close() {},
  };
}
