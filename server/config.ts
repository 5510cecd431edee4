/**
 * Configuration from the environment (and matching --flags), with every
 * default in this one place. Nothing below server/ reads process.env: app.ts
 * passes the parts each module needs.
 */
import path from 'node:path';
import { defaultRequestLimits, ruleOf, type RequestLimitOptions } from './http/request-limits.ts';
import { defaultMetricsAccess, parseMetricsAccess, type MetricsAccess } from './metrics/metrics-access.ts';

export interface Config {
  /** HTTP port. */
  port: number;
  /** Interface to listen on; 0.0.0.0 so a container or LAN can reach it. */
  host: string;
  /** PostGIS server URL; undefined means the embedded PGlite database. */
  databaseUrl: string | undefined;
  /**
   * Streaming replicas of that server (DATABASE_READ_URL, a comma list): tiles,
   * graph loads and coverage loads read from them; writes, migrations and
   * LISTEN stay on DATABASE_URL. Empty: everything on DATABASE_URL.
   */
  databaseReadUrls: string[];
  /**
   * How long a read waits after a change for a replica to replay it (ms);
   * past this the read goes to the primary, and so do the next ones until a
   * replica has caught up (db/replica-fence.ts). Never an older answer.
   */
  replicaMaxLagMs: number;
  /** Folder for the embedded database and graph snapshots. */
  dataDir: string;
  /** debug | info | warn | error */
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Pooled connections to the PostGIS server; keep below its max_connections (100 by default). */
  poolSize: number;
  /** A statement running longer than this is cancelled by the server (ms). */
  statementTimeoutMs: number;
  /**
   * How long a query waits for a pooled connection, a new one or a free one
   * of a full pool (ms): past it the request is a 503, not a hang, when the
   * database is down or overloaded. 0 waits forever.
   */
  connectTimeoutMs: number;
  /**
   * Build the demo city into an empty database on start: 'auto' does it for
   * the embedded database only (never fills a server database unasked).
   */
  demoOnEmpty: 'auto' | 'always' | 'never';
  /**
   * Make the client's first-view tiles ahead (tile-warmer.ts): 'auto' does it
   * on the embedded database, where a low-zoom tile takes up to a second; a
   * PostGIS server makes one in milliseconds.
   */
  warmTiles: 'auto' | 'on' | 'off';
  /** Private deployments: every read (tiles, isochrones, coverage, ...) needs a token too; writes always do. */
  readsNeedToken: boolean;
  /**
   * Limits on expensive requests (limits/request-limits.ts): per client, a
   * minute's isochrones of many origins (LIMIT_ISOCHRONES_PER_MIN, "many" is
   * more than LIMIT_MANY_ORIGINS), suggestions (LIMIT_SUGGESTIONS_PER_MIN)
   * and exact suggestions (LIMIT_EXACT_PER_MIN), half of each at once, 0
   * for none; heavy requests waiting (HEAVY_QUEUE) and suggestions waiting
   * (SUGGEST_QUEUE) before 503 busy.
   */
  limits: RequestLimitOptions;
  /**
   * Web pages on these origins (e.g. https://planning.example.org) may call
   * the planner and admin routes from the browser; pages elsewhere may only
   * read (http/cors.ts). Empty: only this server's own page may write.
   */
  corsWriteOrigins: string[];
  /** A client must send the whole request head within this (ms), or Node answers 408 and closes: slowloris. */
  headersTimeoutMs: number;
  /** ...and the whole request, body included, within this (ms); 0 turns it off. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (ms). */
  keepAliveTimeoutMs: number;
  /**
   * GET /metrics (METRICS): off, admin (an admin token), public, or
   * port:N / port:HOST:N (a listener of its own, not the main port);
   * metrics/metrics-access.ts says why admin is the default.
   */
  metrics: MetricsAccess;
}

export const defaultConfig: Config = {
  port: 8080,
  host: '0.0.0.0',
  databaseUrl: undefined,
  databaseReadUrls: [],
  // A healthy streaming replica replays a change in milliseconds; a second is lag worth a primary read.
  replicaMaxLagMs: 1_000,
  dataDir: './data',
  logLevel: 'info',
  poolSize: 10,
  statementTimeoutMs: 30_000,
  connectTimeoutMs: 5_000,
  demoOnEmpty: 'auto',
  warmTiles: 'auto',
  readsNeedToken: false,
  limits: defaultRequestLimits,
  corsWriteOrigins: [],
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  metrics: defaultMetricsAccess,
};

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** Reads a `--name value` or `--name=value` flag from argv. */
function flag(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === `--${name}`) return argv[i + 1];
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}

function integer(value: string | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got "${value}"`);
  return n;
}

function demoSetting(value: string | undefined): Config['demoOnEmpty'] {
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'always' || value === 'true') return 'always';
  if (value === 'never' || value === 'false') return 'never';
  throw new Error(`DEMO_ON_EMPTY must be auto, always or never, got "${value}"`);
}

function warmSetting(value: string | undefined): Config['warmTiles'] {
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'on' || value === 'true' || value === '1') return 'on';
  if (value === 'off' || value === 'false' || value === '0') return 'off';
  throw new Error(`WARM_TILES must be auto, on or off, got "${value}"`);
}

function booleanSetting(value: string | undefined, name: string, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (['1', 'true', 'on', 'yes'].includes(value)) return true;
  if (['0', 'false', 'off', 'no'].includes(value)) return false;
  throw new Error(`${name} must be true or false, got "${value}"`);
}

function limitSettings(pick: (flagName: string, envName: string) => string | undefined): RequestLimitOptions {
  const d = defaultRequestLimits;
  const rate = (flagName: string, envName: string, fallback: RequestLimitOptions['suggest']) => {
    const value = pick(flagName, envName);
    return value === undefined || value === '' ? fallback : ruleOf(integer(value, envName, fallback.perMinute, 0));
  };
  return {
    ...d,
    manyOrigins: integer(pick('limit-many-origins', 'LIMIT_MANY_ORIGINS'), 'LIMIT_MANY_ORIGINS', d.manyOrigins, 1),
    isochroneMany: rate('limit-isochrones-per-min', 'LIMIT_ISOCHRONES_PER_MIN', d.isochroneMany),
    suggest: rate('limit-suggestions-per-min', 'LIMIT_SUGGESTIONS_PER_MIN', d.suggest),
    exact: rate('limit-exact-per-min', 'LIMIT_EXACT_PER_MIN', d.exact),
    heavyQueued: integer(pick('heavy-queue', 'HEAVY_QUEUE'), 'HEAVY_QUEUE', d.heavyQueued, 0),
    suggestQueued: integer(pick('suggest-queue', 'SUGGEST_QUEUE'), 'SUGGEST_QUEUE', d.suggestQueued, 0),
  };
}

/**
 * A comma list of web origins (scheme, host and port only, as a browser
 * sends them in Origin). '*' and 'null' are refused: writes from any page,
 * or from sandboxed and file pages, are exactly what the list is for keeping out.
 */
function originList(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') return [];
  return value.split(',').map((item) => item.trim()).filter(Boolean).map((item) => {
    let url: URL | undefined;
    try {
      url = new URL(item);
    } catch {
      url = undefined;
    }
    const bare = url && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password && !item.includes('*');
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !bare) {
      throw new Error(`CORS_WRITE_ORIGINS must be a comma list of origins such as https://planning.example.org (no path, no '*'), got "${item}"`);
    }
    // As a browser writes it: lower case, no default port, no trailing slash.
    return url.origin;
  });
}

/** A comma list of postgres:// URLs (read replicas); the URL's password is never echoed in the error. */
function replicaUrls(value: string | undefined, primary: string | undefined): string[] {
  if (value === undefined || value.trim() === '') return [];
  if (!primary) throw new Error('DATABASE_READ_URL needs DATABASE_URL: replicas serve reads of a PostGIS primary, not of the embedded database');
  return value.split(',').map((item) => item.trim()).filter(Boolean).map((item, i) => {
    let url: URL | undefined;
    try {
      url = new URL(item);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') || !url.hostname) {
      throw new Error(`DATABASE_READ_URL must be a comma list of postgres:// URLs; item ${i + 1} is not one`);
    }
    return item;
  });
}

/** Builds the config from environment and flags; flags win. Throws with the bad setting's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv.slice(2)): Config {
  const pick = (flagName: string, envName: string) => flag(argv, flagName) ?? env[envName];
  const logLevel = (pick('log-level', 'LOG_LEVEL') ?? defaultConfig.logLevel) as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const databaseUrl = pick('database-url', 'DATABASE_URL') || undefined;
  const headersTimeoutMs = integer(pick('headers-timeout', 'HEADERS_TIMEOUT_MS'), 'HEADERS_TIMEOUT_MS', defaultConfig.headersTimeoutMs, 1);
  const requestTimeoutMs = integer(pick('request-timeout', 'REQUEST_TIMEOUT_MS'), 'REQUEST_TIMEOUT_MS', defaultConfig.requestTimeoutMs, 0);
  // Node refuses a head deadline later than the whole request's.
  if (requestTimeoutMs > 0 && headersTimeoutMs > requestTimeoutMs) {
    throw new Error(`HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  }
  const port = integer(pick('port', 'PORT'), 'PORT', defaultConfig.port, 0);
  const metrics = parseMetricsAccess(pick('metrics', 'METRICS'));
  if (metrics.mode === 'port' && metrics.port === port) throw new Error(`METRICS port ${metrics.port} is the main PORT: give the metrics a port of their own`);
  return {
    port,
    host: pick('host', 'HOST') || defaultConfig.host,
    databaseUrl,
    databaseReadUrls: replicaUrls(pick('database-read-url', 'DATABASE_READ_URL'), databaseUrl),
    replicaMaxLagMs: integer(pick('replica-max-lag', 'REPLICA_MAX_LAG_MS'), 'REPLICA_MAX_LAG_MS', defaultConfig.replicaMaxLagMs, 0),
    dataDir: path.resolve(pick('data-dir', 'DATA_DIR') || defaultConfig.dataDir),
    logLevel,
    poolSize: integer(pick('pool-size', 'PG_POOL_SIZE'), 'PG_POOL_SIZE', defaultConfig.poolSize, 1),
    statementTimeoutMs: integer(pick('statement-timeout', 'STATEMENT_TIMEOUT_MS'), 'STATEMENT_TIMEOUT_MS', defaultConfig.statementTimeoutMs, 0),
    connectTimeoutMs: integer(pick('connect-timeout', 'PG_CONNECT_TIMEOUT_MS'), 'PG_CONNECT_TIMEOUT_MS', defaultConfig.connectTimeoutMs, 0),
    demoOnEmpty: demoSetting(pick('demo', 'DEMO_ON_EMPTY')),
    warmTiles: warmSetting(pick('warm-tiles', 'WARM_TILES')),
    readsNeedToken: booleanSetting(pick('reads-need-token', 'READS_NEED_TOKEN'), 'READS_NEED_TOKEN', defaultConfig.readsNeedToken),
    limits: limitSettings(pick),
    corsWriteOrigins: originList(pick('cors-write-origins', 'CORS_WRITE_ORIGINS')),
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: integer(pick('keep-alive-timeout', 'KEEP_ALIVE_TIMEOUT_MS'), 'KEEP_ALIVE_TIMEOUT_MS', defaultConfig.keepAliveTimeoutMs, 1),
    metrics,
  };
}
