/**
 * Wires the service: takes the opened database and a logger, builds each
 * feature's routes and mounts them on one Hono app. The only place that knows
 * every feature; no module below reaches for globals or the environment.
 */
import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Database } from '../kernel/db/database.ts';
import type { Logger } from './logger.ts';
import { handleError, handleNotFound } from './http/error-mapping.ts';
import { healthRoutes } from './health/health-routes.ts';
import { clientAssetRoutes } from './client-assets/client-asset-routes.ts';
import { readDataState } from '../kernel/db/data-state.ts';
import { createDataChanges, watchDataVersion, type DataChanges } from './events/data-changes.ts';
import { relayAnnouncedChanges } from './events/change-relay.ts';
import { eventRoutes } from './events/event-routes.ts';
import { createRoutingService } from './routing/routing-service.ts';
import { nearestRoutes } from './nearest/nearest-routes.ts';
import { isochroneRoutes } from './routing/isochrone/isochrone-routes.ts';
import { searchReach } from './coverage/search-reach.ts';
import { createCoverageService } from './coverage/coverage-service.ts';
import { coverageRoutes } from './coverage/coverage-routes.ts';
import { uncoveredRoutes } from './coverage/uncovered-routes.ts';
import { createStandardService } from './standard/standard-service.ts';
import { standardRoutes } from './standard/standard-routes.ts';
import { placeRoutes } from './place/place-routes.ts';
import { createSearchService } from './search/search-service.ts';
import { searchRoutes } from './search/search-routes.ts';
import { createStandardTiles } from './standard/standard-tiles.ts';
import { createTileService, type TileServiceOptions } from './tiles/tile-service.ts';
import { tileRoutes } from './tiles/tile-routes.ts';
import { startTileWarmer } from './tiles/tile-warmer.ts';
import { createCenterStore } from './centers/center-store.ts';
import { centerRoutes } from './centers/center-routes.ts';
import { createScenarioService } from './planning/scenario-service.ts';
import { snapOrigin } from './routing/snap-origin.ts';
import { createScenarioStore } from './planning/scenario-store.ts';
import { scenarioRoutes } from './planning/scenario-routes.ts';
import { createSuggestService } from './planning/suggest-service.ts';
import { suggestRoutes } from './planning/suggest-routes.ts';
import { SuggestRunner } from './planning/suggest/suggest-runner.ts';
import { XlsxRunner } from './exports/xlsx-runner.ts';
import { createScenarioTiles } from './planning/scenario-tiles.ts';
import { openApiRoutes } from './openapi/openapi-routes.ts';
import { accessTable, installAccessGate } from './http/route-access.ts';
import { corsByAccess, type CorsOptions } from './http/cors.ts';
import { noSniff } from './http/security-headers.ts';
import { createAccessGate, type AccessGateOptions } from './http/access-gate.ts';
import { createTokenStore } from './auth/token-store.ts';
import { auditRoutes } from './auth/audit-routes.ts';
import { tokenRoutes } from './auth/token-routes.ts';
import { sessionRoutes } from './auth/session-routes.ts';
import { createRequestLimits, type RequestLimitOptions } from './http/request-limits.ts';
import { createOpenApiDocument } from './openapi/openapi-document.ts';
import type { ReadReplicas } from './db/read-replicas.ts';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { defaultMetricsAccess, type MetricsAccess } from './metrics/metrics-access.ts';
import { requestMetrics } from './metrics/http-metrics.ts';
import { observeBuilds } from './metrics/build-metrics.ts';
import { registerTileCacheMetrics } from './metrics/tile-cache-metrics.ts';
import { registerLimitMetrics } from './metrics/limit-metrics.ts';
import { registerDataMetrics } from './metrics/data-metrics.ts';
import { registerReplicaMetrics } from './metrics/replica-metrics.ts';
import { metricsPortApp, metricsRoutes } from './metrics/metrics-routes.ts';

export interface AppDeps {
  /** The database (the primary, with read replicas): writes, LISTEN, and every read but the heavy ones below. */
  db: Database;
  /**
   * Read replicas of a PostGIS primary (db/read-replicas.ts): tiles, graph
   * loads and coverage loads read through them, never older than the newest
   * change this instance knows of.
   */
  replicas?: ReadReplicas;
  logger: Logger;
  /** Folder for graph snapshots and other derived files; undefined keeps them in memory. */
  dataDir: string | undefined;
  /** The data-change bus; created here when not given. */
  changes?: DataChanges;
  /** Tile cache budget and HTTP cache lifetime (tile-service.ts has the defaults). */
  tiles?: Partial<TileServiceOptions>;
  /** How often to poll the data version for changes whose announcement was missed (default 2 s). */
  pollIntervalMs?: number;
  /**
   * Make the client's first-view tiles in the background, and again after
   * changes (tile-warmer.ts). Off by default; main.ts turns it on for the
   * embedded database, where a low-zoom tile takes up to a second to make.
   */
  warmTiles?: boolean;
  /**
   * Bundle the client's page scripts at start (client-assets/client-bundles.ts)
   * rather than when a page is first asked for: main.ts does, so the first
   * visitor does not wait for esbuild; tests leave it to the first request.
   */
  bundleClientAtStart?: boolean;
  /** Who may read and write (auth/access-gate.ts has the defaults: reads public, writes need a planner token). */
  access?: Partial<AccessGateOptions>;
  /** Per-client rates and heavy-work caps (limits/request-limits.ts has the defaults). */
  limits?: Partial<RequestLimitOptions>;
  /** Which web origins may write from the browser (http/cors.ts has the defaults: reads from any origin, writes from none but ours). */
  cors?: Partial<CorsOptions>;
  /**
   * GET /metrics (metrics/): who may read it (METRICS; default admin, see
   * metrics-access.ts), and whether to add the process's own metrics (CPU,
   * memory, event loop, GC): main.ts does, once per process, since
   * prom-client's monitors for them are never stopped.
   */
  metrics?: { access?: MetricsAccess; processMetrics?: boolean };
}

export interface App {
  /** The HTTP app: `app.fetch` for a server, `app.request` for tests; its OpenAPI registry holds every operation. */
  http: OpenAPIHono;
  /** With METRICS=port:N: the app main.ts serves on that port (GET /metrics alone); undefined otherwise. */
  metricsHttp: OpenAPIHono | undefined;
  /** Data changes: publish `replaced` after an import in this process so the graph and caches follow. */
  changes: DataChanges;
  /** Resolves when background work (graph load, coverage and its write-back, tile warming) has settled. */
  idle(): Promise<void>;
  /** Ends the long-lived responses (event streams), so that the HTTP server can close. */
  endStreams(): void;
  /** Releases what the features hold (caches, timers); the caller closes the database. */
  close(): Promise<void>;
}

export async function createApp(deps: AppDeps): Promise<App> {
  const http = new OpenAPIHono();
  http.onError(handleError(deps.logger));
  http.notFound(handleNotFound);
  // Operators' metrics: one registry per app, passed to what it measures (no global default registry).
  // Counting requests comes first, so it sees every answer, refusals and errors included, last.
  const metricsAccess = deps.metrics?.access ?? defaultMetricsAccess;
  const registry = metricsAccess.mode === 'off' ? undefined : new Registry();
  if (registry) http.use('*', requestMetrics(registry));
  // Every route checks its access rule (x-access) against this gate before reading its input.
  const tokens = createTokenStore(deps.db);
  http.use('*', installAccessGate(createAccessGate(tokens, deps.access)));
  const limits = createRequestLimits(deps.limits);
  // CORS by the same rules (x-access), read from the OpenAPI document on the first request, when every route is mounted.
  let document: Record<string, unknown> | undefined;
  const openApiDocument = () => (document ??= createOpenApiDocument(http));
  http.use('*', corsByAccess(() => accessTable(openApiDocument()), deps.cors));
  http.use('*', noSniff());
  const changes = deps.changes ?? createDataChanges();
  // Before any other listener: on every change the read fence rises to the
  // primary's WAL end, so caches drop and reloads read only after it.
  const replicas = deps.replicas;
  if (replicas) changes.subscribe(() => replicas.catchUp());
  const readDb = replicas?.reader ?? deps.db;
  // A request waits while a change of this process is between its commit and its publish (data-changes.ts hold).
  http.use('*', async (_c, next) => {
    const pending = changes.settled();
    if (pending) await pending;
    await next();
  });
  // Changes by other processes (imports, other instances) reach this one
  // through PostgreSQL: at once by LISTEN/NOTIFY on the server backend, and
  // by polling the data version as the safety net.
  const origin = randomUUID();
  const watcher = watchDataVersion(deps.db, changes, (await readDataState(deps.db)).version, deps.pollIntervalMs);
  changes.subscribe((change) => watcher.noteVersion(change.version));
  const relay = await relayAnnouncedChanges(deps.db, changes, origin, watcher.isCurrent);

  const routing = createRoutingService({ db: readDb, logger: deps.logger, dataDir: deps.dataDir, changes });
  const coverage = createCoverageService({ db: deps.db, readDb, logger: deps.logger, routing, changes });
  // Before anything awaits: the first graph load and coverage are measured too.
  const stopBuildMetrics = registry ? observeBuilds(registry, routing, coverage) : undefined;
  const centers = createCenterStore(deps.db, changes, origin);
  // Planning: scenarios evaluated on the live coverage, never written to it but by apply.
  const scenarios = createScenarioService(createScenarioStore(deps.db), coverage, centers);
  // The tile cache drops tiles on every data change from here on (it starts empty), and a scenario's on its edits.
  // The GB 50180 living-circle check on the live coverage (GET /api/standard, households tiles by tier).
  const standard = createStandardService(coverage);
  const tiles = await createTileService(deps.db, changes, {
    ...deps.tiles,
    readDb,
    // Households and grids tiles are final at a version once its coverage is written.
    coverageWritten: coverage.writtenVersion,
    scenarios: createScenarioTiles(deps.db, scenarios),
    standard: createStandardTiles(deps.db, standard),
  });
  // The tile functions may have just been (re)installed on the primary: the replicas must have them before a tile is read.
  await replicas?.catchUp();
  scenarios.onEdit((id) => tiles.dropScenario(id));
  if (registry) {
    registerTileCacheMetrics(registry, () => tiles.stats());
    registerLimitMetrics(registry, () => limits.stats());
    registerDataMetrics(registry, deps.db);
    if (replicas) registerReplicaMetrics(registry, () => replicas.health());
    if (deps.metrics?.processMetrics) collectDefaultMetrics({ register: registry });
  }
  // Site suggestions run in one worker thread, started with the first request and stopped on close.
  const suggestRunner = new SuggestRunner();
  // Excel exports (format=xlsx) render in a worker thread of their own, started with the first one and stopped on close.
  const xlsxRunner = new XlsxRunner();

  http.route(
    '/',
    healthRoutes(deps.db, {
      graph: () => routing.health(),
      coverage: () => coverage.health(),
      tiles: () => ({ source: tiles.sourceId, cache: tiles.stats() }),
      ...(replicas ? { replicas: () => replicas.health() } : {}),
    }),
  );
  // The MapLibre client: /, /client/*, /vendor/* (whitelisted files only).
  http.route('/', clientAssetRoutes({ logger: deps.logger, bundleAtStart: deps.bundleClientAtStart }));
  http.route('/', nearestRoutes(coverage));
  // Isochrones search the graph the live coverage describes, so what a contour reaches is counted on the same network.
  http.route(
    '/',
    isochroneRoutes(async (points, options) => {
      const live = (await coverage.ready()).forProfile(options.profile);
      const tree = await routing.searchFromMany(points, options, live.model.loaded);
      return { tree, reach: (seconds) => searchReach(live.model, tree, seconds) };
    }, limits, async () => (await coverage.ready()).model.version),
  );

  http.route('/', tileRoutes(tiles));
  // The warmer waits for loads under way, and never starts one: a center edit
  // moves the data version but not the network (a reload would rebuild the
  // whole graph and coverage after every edit).
  const settled = async () => {
    await routing.idle();
    await coverage.idle();
  };
  const warmer = deps.warmTiles ? startTileWarmer(tiles, changes, settled, deps.logger) : undefined;
  // A center no one can walk to would silently cover nobody: it must snap like a search origin.
  http.route('/', centerRoutes(centers, async (lon, lat, label) => {
    const loaded = await routing.ready();
    snapOrigin(loaded.graph, loaded.index, lon, lat, undefined, label);
  }));
  http.route('/', scenarioRoutes(scenarios, xlsxRunner.render));
  http.route('/', suggestRoutes(createSuggestService(coverage, scenarios, suggestRunner), limits));
  http.route('/', coverageRoutes(coverage, scenarios, xlsxRunner.render));
  // GET /api/households/uncovered: the units coverage counts as left out, as GeoJSON (the client's export).
  http.route('/', uncoveredRoutes(coverage, scenarios));
  http.route('/', standardRoutes(standard, xlsxRunner.render));
  // For residents: places by name or code (an index in memory per data version), and a point's answer card.
  const search = createSearchService(deps.db, changes);
  http.route('/', searchRoutes(search));
  http.route('/', placeRoutes(coverage));
  // Who changed what (planners), and the tokens themselves (admins).
  http.route('/', auditRoutes(deps.db));
  http.route('/', tokenRoutes(tokens));
  // GET /api/session: whose token a client holds (the map's planner sign-in).
  http.route('/', sessionRoutes());
  // GET /api/events: every change as Server-Sent Events, for maps that follow the data.
  const events = eventRoutes(deps.db, changes);
  http.route('/', events.routes);
  // GET /api/openapi.json and /docs: the API as other apps see it.
  http.route('/', openApiRoutes(openApiDocument));
  // GET /metrics: for admins, or for everyone, here; or alone on its own port (main.ts serves metricsHttp).
  if (registry && (metricsAccess.mode === 'admin' || metricsAccess.mode === 'public')) {
    http.route('/', metricsRoutes(registry, metricsAccess.mode === 'admin' ? 'admin' : 'read'));
  }
  const metricsHttp = registry && metricsAccess.mode === 'port' ? metricsPortApp(registry, deps.logger) : undefined;
  return {
    http,
    metricsHttp,
    changes,
    async idle() {
      // Also picks up a data version this process has not heard of yet (an import by another process).
      await routing.reload();
      await settled();
      await warmer?.settled();
    },
    endStreams: events.end,
    async close() {
      events.end();
      search.close();
      watcher.stop();
      await relay.stop();
      await warmer?.stop();
      tiles.close();
      await suggestRunner.close();
      await xlsxRunner.close();
      await coverage.close();
      await routing.close();
      stopBuildMetrics?.();
    },
  };
}
