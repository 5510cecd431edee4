/**
 * The process: config, database (migrated), the demo city on first start of
 * an empty embedded database, the app, the HTTP server, and a graceful
 * shutdown that stops accepting, lets requests finish and closes the database.
 */
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { openDatabase } from './db/open-database.ts';
import { readDataState } from '../kernel/db/data-state.ts';
import { createApp } from './app.ts';
import { serverTimeoutOptions } from './http/server-timeouts.ts';
import { answerUnparsableRequests } from './http/client-errors.ts';
import { buildDemoCity } from '../data-pipeline/build-demo-city.ts';
import { createTokenStore } from './auth/token-store.ts';
import { firstStartToken, signInNotice } from './auth/first-start-token.ts';
import { openReadReplicas, replicaName } from './db/read-replicas.ts';
import { startMetricsServer } from './metrics/metrics-server.ts';

async function main(): Promise<void> {
  const started = performance.now();
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  logger.info('opening database', { backend: config.databaseUrl ? 'postgis' : 'pglite', dataDir: config.dataDir });
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.poolSize,
    statementTimeoutMs: config.statementTimeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
  });

  const state = await readDataState(db);
  const wantDemo = config.demoOnEmpty === 'always' || (config.demoOnEmpty === 'auto' && db.kind === 'pglite');
  if (state.revision === 0 && wantDemo) {
    logger.info('empty database: building the demo city (first start only)');
    const result = await buildDemoCity(db, { onStage: (stage) => logger.info(stage) });
    logger.info('demo city ready', { version: result.version, ...result.counts });
  }

  // The embedded default's first start: a planner token, shown once as a sign-in link (never logged).
  const firstToken = db.kind === 'pglite' ? await firstStartToken(createTokenStore(db)) : undefined;

  // Read replicas, opened after anything start-up writes (the demo city): the fence starts at the primary's WAL end.
  const replicas =
    config.databaseReadUrls.length > 0
      ? await openReadReplicas(db, config.databaseReadUrls, {
          maxLagMs: config.replicaMaxLagMs,
          poolSize: config.poolSize,
          statementTimeoutMs: config.statementTimeoutMs,
          connectTimeoutMs: config.connectTimeoutMs,
          logger,
        })
      : undefined;
  if (replicas) {
    await replicas.catchUp();
    logger.info('read replicas', { replicas: config.databaseReadUrls.map(replicaName), maxLagMs: config.replicaMaxLagMs });
  }

  const warmTiles = config.warmTiles === 'on' || (config.warmTiles === 'auto' && db.kind === 'pglite');
  const app = await createApp({ db, replicas, logger, dataDir: config.dataDir, warmTiles, bundleClientAtStart: true, cors: { writeOrigins: config.corsWriteOrigins }, access: { readsNeedToken: config.readsNeedToken }, limits: config.limits, metrics: { access: config.metrics, processMetrics: true } });
  // Slow clients (a head or body that trickles in) are dropped at the configured deadlines.
  const serverOptions = serverTimeoutOptions(config);
  // METRICS=port:N: GET /metrics on a listener of its own, before the main port opens (a port in use stops the start).
  const metricsServer =
    app.metricsHttp && config.metrics.mode === 'port'
      ? await startMetricsServer(app.metricsHttp, { port: config.metrics.port, host: config.metrics.host ?? config.host, serverOptions })
      : undefined;
  if (metricsServer) logger.info('metrics listening', { port: metricsServer.port, path: '/metrics' });
  const server = serve({ fetch: app.http.fetch, port: config.port, hostname: config.host, serverOptions }, (info) => {
    logger.info('listening', { url: `http://localhost:${info.port}`, readyMs: Math.round(performance.now() - started) });
    if (firstToken) process.stdout.write(signInNotice(`http://localhost:${info.port}`, firstToken));
  });

  // What Node's parser refuses (a 16 KB+ head, a missed deadline) is answered in the API's error shape too.
  answerUnparsableRequests(server as Server);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    // Give in-flight requests a moment; then close regardless.
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close(async () => {
      await metricsServer?.close();
      await app.close();
      await replicas?.close();
      await db.close();
      logger.info('stopped');
      process.exit(0);
    });
    // Event streams never end by themselves: end them so the server can close.
    app.endStreams();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: Error) => {
  process.stderr.write(`failed to start: ${error.message}\n`);
  process.exit(1);
});
