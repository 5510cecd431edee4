/**
 * Faults on the PostGIS backend, on a private PostgreSQL cluster of this
 * test's own (private-postgres.ts; the shared one is never touched):
 * - PostgreSQL stopped for 3 s under a steady load of mixed requests, then
 *   started again: no 500 and no crash; every database route fails as a 503
 *   `database_unavailable` with Retry-After, routes served from memory
 *   answer 200 throughout, and the same pool, LISTEN relay and version
 *   poller recover by themselves (no restart of the app);
 * - every connection of the app killed (pg_terminate_backend) under load:
 *   the same, and the LISTEN connection comes back;
 * - `npm run ingest` killed with SIGKILL midway (paused before its commit by
 *   a lock this test holds, so "midway" is deterministic): the previous data
 *   and its version are intact and the running app serves them; a complete
 *   import afterwards works and the app follows it.
 * Without root or the PostgreSQL binaries the suite skips with the reason
 * (fails with CI set); without the Monaco extract the import test skips
 * (fails with REQUIRE_SHARED_DATA=1).
 */
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../kernel/db/database.ts';
import type { DataChange } from '../kernel/data-change.ts';
import { bumpDataVersion, readDataState } from '../kernel/db/data-state.ts';
import { announceChange, CHANGES_CHANNEL } from '../kernel/change-announcements.ts';
import { createApp, type App } from '../server/app.ts';
import { openDatabase } from '../server/db/open-database.ts';
import { readCounts } from '../server/health/health-routes.ts';
import type { Logger } from '../server/logger.ts';
import { bearer, testToken } from './auth-fixture.ts';
import { ruleBreakers, SMALL_CITY_ROUTES, startLoad, succeeded, tally, type Answer } from './fault-load.ts';
import { describeWithPrivatePostgres, startPrivatePostgres, type PrivatePostgres } from './private-postgres.ts';
import { describeWithData, sharedData } from './shared-data.ts';
import { SMALL_CITY_CENTER, storeSmallCity } from './tiles-fixture.ts';
import { latToTileY, lonToTileX } from '../server/tiles/tile-envelope.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MONACO = sharedData('osm/monaco.osm.pbf');
const [LON, LAT] = SMALL_CITY_CENTER;
/** How long the database stays down under load. */
const OUTAGE_MS = 3_000;
/** The app's settings here: a short wait for a connection, and a fast poller so recovery is seen soon. */
const POOL = { poolSize: 4, statementTimeoutMs: 10_000, connectTimeoutMs: 2_000 };
const POLL_INTERVAL_MS = 200;
/** After the database is back, the database routes must answer 200 within this long and this many failed answers. */
const RECOVERY_LIMIT = { ms: 10_000, failures: 30 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 50 ms until it returns a value (not undefined) or `timeoutMs` passes; throws with `what`. */
async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** A logger that keeps its lines, so the test can say what the app logged during the faults. */
function recordingLogger() {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, fields });
  const logger: Logger = { debug() {}, info() {}, warn: at('warn'), error: at('error') };
  return { lines, logger };
}

interface Running {
  url: string;
  db: Database;
  app: App;
  server: ServerType;
  base: string;
  token: string;
  log: ReturnType<typeof recordingLogger>;
  /** Every change the app's bus published. */
  changes: DataChange[];
}

/** The answers of one route kind in one phase. */
const of = (answers: readonly Answer[], phase: string, needs?: Answer['needs']) => answers.filter((a) => a.phase === phase && (!needs || a.needs === needs));

/** Runs one SQL statement on the private cluster on a connection of its own (the app's pool is what is under test). */
async function adminQuery<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Backends of the app's LISTEN connection (its last statement stays the LISTEN). */
async function listeners(url: string): Promise<number> {
  const [row] = await adminQuery<{ n: number }>(url, 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query = $1', [`LISTEN ${CHANGES_CHANNEL}`]);
  return row!.n;
}

/**
 * True once an announcement by "another process" reaches the app's bus
 * through LISTEN (a `features` change). The poller may see the new version
 * first (it then publishes `replaced` and the relay rightly drops the
 * announcement as current): then it tries again with a new one.
 */
async function relayDelivers(r: Running): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const version = await r.db.transaction(async (tx) => {
      const v = await bumpDataVersion(tx);
      await announceChange(tx, 'fault-test', { type: 'features', version: v, layers: ['water'], boxes: [[LON - 0.001, LAT - 0.001, LON, LAT]] });
      return v;
    });
    const seen = await waitFor(`change ${version}`, 15_000, () => r.changes.find((c) => c.version === version));
    if (seen.type === 'features') return true;
  }
  return false;
}

describeWithPrivatePostgres('PostGIS faults (a private cluster, stopped and killed)', () => {
  let cluster: PrivatePostgres;
  let r: Running;
  /** What would have crashed the process: recorded by listeners of our own (vitest has its own too). */
  const crashes: string[] = [];
  const onRejection = (reason: unknown) => void crashes.push(`unhandledRejection: ${(reason as Error)?.stack ?? String(reason)}`);
  const onException = (error: Error) => void crashes.push(`uncaughtException: ${error.stack ?? String(error)}`);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtException', onException);
    cluster = await startPrivatePostgres();
    const url = await cluster.createDatabase('faults');
    const db = await openDatabase({ databaseUrl: url, dataDir: undefined, ...POOL });
    await storeSmallCity(db);
    const token = await testToken(db);
    const log = recordingLogger();
    const app = await createApp({ db, logger: log.logger, dataDir: undefined, pollIntervalMs: POLL_INTERVAL_MS });
    await app.idle();
    const changes: DataChange[] = [];
    app.changes.subscribe((change) => void changes.push(change));
    const { server, base } = await new Promise<{ server: ServerType; base: string }>((resolve) => {
      const s = serve({ fetch: app.http.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({ server: s, base: `http://127.0.0.1:${info.port}` }));
    });
    r = { url, db, app, server, base, token, log, changes };
  });

  afterAll(async () => {
    if (r) {
      r.app.endStreams();
      await new Promise((resolve) => r.server.close(resolve));
      await r.app.close();
      await r.db.close();
    }
    await cluster?.dispose();
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  });

  // fast: sessions are told (57P01) and the server shuts down cleanly; immediate: they are dropped, as in a crash.
  it.each([
    ['fast', 0],
    ['immediate', 1_000],
  ] as const)('keeps answering while PostgreSQL is stopped (%s) for 3 s under load, and recovers by itself', async (mode, firstIndex) => {
    let phase = 'before';
    const load = startLoad(r.base, SMALL_CITY_ROUTES, () => phase, { firstIndex });
    await sleep(1_000);

    phase = 'stopping';
    const stopAt = performance.now();
    await cluster.stop(mode);
    phase = 'down';
    const downAt = performance.now();
    // A write while the database is down: the token cannot even be checked.
    const refusedWrite = await fetch(`${r.base}/api/centers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(r.token) },
      body: JSON.stringify({ name: 'During the outage', kind: 'governance', lon: LON + 0.002, lat: LAT + 0.002 }),
    });
    const refusedBody = (await refusedWrite.json()) as { error: { code: string } };
    // /health says what is down (its readiness report, not the error shape).
    const downHealth = await fetch(`${r.base}/health`);
    const downHealthBody = (await downHealth.json()) as { status: string; database: { ok: boolean; error: string } };
    await sleep(OUTAGE_MS - (performance.now() - downAt));

    phase = 'starting';
    const startAt = performance.now();
    await cluster.start();
    const upAt = performance.now();
    phase = 'after';
    // Keep the load on until every database route has answered 200 again (and a little longer).
    const recovered = await waitFor('the database routes to answer 200 again', RECOVERY_LIMIT.ms, () => {
      const after = of(load.answers, 'after');
      const ok = ['tile', 'centers', 'health'].map((route) => after.find((a) => a.route === route && succeeded(a)));
      return ok.every(Boolean) ? Math.max(...ok.map((a) => a!.sentMs + a!.ms)) : undefined;
    }).catch(async (error: Error) => {
      throw new Error(`${error.message}: ${JSON.stringify(tally(await load.stop()))}`);
    });
    await sleep(500);
    const answers = await load.stop();

    const counts = tally(answers);
    const down = of(answers, 'down');
    const failedAfter = of(answers, 'after').filter((a) => !succeeded(a));
    const report = {
      requests: answers.length,
      byPhaseRouteStatus: counts,
      stopMs: Math.round(downAt - stopAt),
      downMs: Math.round(startAt - downAt),
      startMs: Math.round(upAt - startAt),
      // From pg_ctl start returning to the last of the first 200s of tile, centers and health.
      recoveredMsAfterStart: Math.round(load.startedAt + recovered - upAt),
      failedAfterStart: failedAfter.length,
      slowestAnswerMs: Math.max(...answers.map((a) => a.ms)),
      warnLines: r.log.lines.filter((l) => l.level === 'warn').length,
    };
    console.log(`outage (stop -m ${mode}) under load:`, JSON.stringify(report, null, 2));

    // Nothing crashed, nothing hung, no 500: every failure is the outage's 503.
    expect(crashes).toEqual([]);
    expect(ruleBreakers(answers), JSON.stringify(counts)).toEqual([]);
    expect(r.log.lines.filter((l) => l.message === 'unhandled error')).toEqual([]);
    // The outage was real: while it lasted every database route failed, and memory kept answering.
    expect(down.filter((a) => a.needs !== 'memory').length).toBeGreaterThan(10);
    expect(down.filter((a) => a.needs !== 'memory' && succeeded(a))).toEqual([]);
    expect(down.filter((a) => a.needs === 'memory').length).toBeGreaterThan(10);
    expect(down.filter((a) => a.needs === 'memory' && !succeeded(a))).toEqual([]);
    expect(refusedWrite.status).toBe(503);
    expect(refusedWrite.headers.get('retry-after')).toBe('5');
    expect(refusedBody.error.code).toBe('database_unavailable');
    expect(downHealth.status).toBe(503);
    expect(downHealthBody).toMatchObject({ status: 'unavailable', database: { backend: 'postgis', ok: false, error: expect.stringMatching(/ECONNREFUSED|shutting down|terminat/) } });
    // Back by itself, soon, on the pool made before the outage.
    expect(failedAfter.length).toBeLessThanOrEqual(RECOVERY_LIMIT.failures);
    const health = (await (await fetch(`${r.base}/health`)).json()) as { status: string; graph: { ready: boolean }; coverage: { ready: boolean } };
    expect(health).toMatchObject({ status: 'ok', graph: { ready: true }, coverage: { ready: true } });

    // A write works again (a new center, with the planner token).
    const write = await fetch(`${r.base}/api/centers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(r.token) },
      body: JSON.stringify({ name: 'After the outage', kind: 'governance', lon: LON + 0.002, lat: LAT + 0.002 }),
    });
    expect(write.status).toBe(201);
    const added = (await write.json()) as { id: number };
    const list = (await (await fetch(`${r.base}/api/centers`)).json()) as { centers: { id: number }[] };
    expect(list.centers.map((c) => c.id)).toContain(added.id);
    await r.app.idle();

    // The LISTEN relay and the version poller came back too.
    await waitFor('the LISTEN connection to come back', 15_000, async () => ((await listeners(r.url)) === 1 ? true : undefined));
    expect(await relayDelivers(r)).toBe(true);
    const polled = await r.db.transaction((tx) => bumpDataVersion(tx)); // no announcement: only the poller can see it
    const pollStarted = performance.now();
    const change = await waitFor('the poller to see a new version', 15_000, () => r.changes.find((c) => c.version === polled));
    console.log('poller saw an unannounced version after', Math.round(performance.now() - pollStarted), 'ms');
    expect(change.type).toBe('replaced');
    await r.app.idle();
    expect(crashes).toEqual([]);
  });

  it('keeps answering while every connection of the app is killed under load, and reconnects', async () => {
    let phase = 'before';
    const load = startLoad(r.base, SMALL_CITY_ROUTES, () => phase, { firstIndex: 2_000 });
    await sleep(800);
    phase = 'killing';
    let killed = 0;
    // Three rounds: pooled connections busy and idle, and the LISTEN connection, each time.
    for (let round = 0; round < 3; round++) {
      const [row] = await adminQuery<{ n: number }>(
        r.url,
        'SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()) AS t',
      );
      killed += row!.n;
      await sleep(300);
    }
    phase = 'after';
    await sleep(1_500);
    const answers = await load.stop();
    const counts = tally(answers);
    console.log('connections killed under load:', JSON.stringify({ requests: answers.length, killed, byPhaseRouteStatus: counts }, null, 2));

    expect(killed).toBeGreaterThanOrEqual(3);
    expect(crashes).toEqual([]);
    expect(ruleBreakers(answers), JSON.stringify(counts)).toEqual([]);
    expect(of(answers, 'killing', 'memory').filter((a) => !succeeded(a))).toEqual([]);
    // Every route's last answers are good again.
    for (const route of SMALL_CITY_ROUTES) {
      const last = of(answers, 'after').filter((a) => a.route === route.name).slice(-3);
      expect(last.length, route.name).toBeGreaterThan(0);
      expect(last.filter((a) => !succeeded(a)), route.name).toEqual([]);
    }
    await waitFor('the LISTEN connection to come back', 15_000, async () => ((await listeners(r.url)) === 1 ? true : undefined));
    expect(await relayDelivers(r)).toBe(true);
    await r.app.idle();
  });

  describeWithData('an import killed midway', MONACO, () => {
    it('leaves the previous data intact and served when npm run ingest is killed (SIGKILL) before its commit; a later import works', async () => {
      const getJson = async <T>(path: string) => (await (await fetch(r.base + path)).json()) as T;
      const before = { state: await readDataState(r.db), counts: await readCounts(r.db) };
      const centersBefore = await getJson<{ centers: { id: number }[] }>('/api/centers');
      const changesBefore = r.changes.length;
      const isochrone = `/api/isochrone?lon=${LON}&lat=${LAT}&minutes=5,10`;

      // The import ends by updating data_state's one row: holding that row
      // pauses it there, with every table replaced inside its open transaction.
      const blocker = new pg.Client({ connectionString: r.url });
      await blocker.connect();
      await blocker.query('BEGIN');
      await blocker.query('SELECT version FROM data_state WHERE id = 1 FOR UPDATE');
      const ingest = startIngest(r.url, MONACO.path);
      let importPid: number;
      let pendingCenters: Promise<{ status: number; body: { centers: { id: number }[] } }>;
      const ingestStarted = performance.now();
      try {
        importPid = await waitFor('the import to reach its commit', 120_000, async () => {
          if (ingest.exit) throw new Error(`the import ended (${JSON.stringify(ingest.exit)}) before its commit:\n${ingest.output()}`);
          const rows = await adminQuery<{ pid: number }>(
            r.url,
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'UPDATE data_state%'",
          );
          return rows[0]?.pid;
        });
        // Midway: memory still answers; a read of the centers waits for the import's locks.
        expect((await fetch(r.base + isochrone)).status).toBe(200);
        pendingCenters = fetch(`${r.base}/api/centers`).then(async (res) => ({ status: res.status, body: (await res.json()) as { centers: { id: number }[] } }));
        await sleep(200);
        ingest.kill();
        await ingest.done;
      } finally {
        ingest.kill();
        await blocker.query('ROLLBACK').catch(() => {});
        await blocker.end();
      }
      expect(ingest.exit).toEqual({ code: null, signal: 'SIGKILL' });
      expect(ingest.output()).toMatch(/writing to the database \(one transaction\)/);
      // PostgreSQL rolls the transaction back when the dead client's backend next reads from it.
      await waitFor("the killed import's backend to end", 15_000, async () =>
        (await adminQuery(r.url, 'SELECT 1 FROM pg_stat_activity WHERE pid = $1', [importPid])).length === 0 ? true : undefined,
      );
      // From spawning npm to the killed import's backend gone (rolled back).
      const rolledBackMs = Math.round(performance.now() - ingestStarted);

      // The previous data, its version and every count are as they were, and the app serves them.
      expect(await readDataState(r.db)).toEqual(before.state);
      expect(await readCounts(r.db)).toEqual(before.counts);
      const during = await pendingCenters!;
      expect(during.status).toBe(200);
      expect(during.body).toEqual(centersBefore);
      expect(r.changes.slice(changesBefore)).toEqual([]);
      const health = await getJson<{ data: { version: string }; counts: Record<string, number> }>('/health');
      expect(health.data.version).toBe(before.state.version);
      expect(health.counts).toEqual(before.counts);
      const z = 14;
      const tile = await fetch(`${r.base}/tiles/centers,households/${z}/${Math.floor(lonToTileX(LON, z))}/${Math.floor(latToTileY(LAT, z))}.mvt`);
      expect(tile.status).toBe(200);
      expect((await tile.arrayBuffer()).byteLength).toBeGreaterThan(100);
      expect(await getJson('/api/centers')).toEqual(centersBefore);
      expect((await fetch(r.base + isochrone)).status).toBe(200);

      // A complete import afterwards commits, and the running app follows it (NOTIFY, else the poller).
      const completeStarted = performance.now();
      const complete = startIngest(r.url, MONACO.path);
      const exit = await complete.done;
      const importedMs = Math.round(performance.now() - completeStarted);
      expect(exit, complete.output()).toEqual({ code: 0, signal: null });
      const followed = await waitFor('the app to load the new city', 120_000, async () => {
        const h = await getJson<{ data: { version: string; source: string }; graph: { version?: string } }>('/health');
        return h.data.source === 'osm:monaco.osm.pbf' && h.graph.version === h.data.version ? h : undefined;
      });
      await r.app.idle();
      console.log('import killed midway:', JSON.stringify({ rolledBackMs, killedOutput: ingest.output().trim().split('\n'), completeImportMs: importedMs, appFollowedMs: Math.round(performance.now() - completeStarted - importedMs) }, null, 2));
      expect(followed.data.version).not.toBe(before.state.version);
      const monaco = await getJson<{ centers: unknown[] }>('/api/centers');
      expect(monaco.centers.length).toBe((await readCounts(r.db)).centers);
      expect(monaco.centers.length).not.toBe(centersBefore.centers.length);
      expect((await fetch(`${r.base}/api/isochrone?lon=7.4246&lat=43.7384&minutes=5`)).status).toBe(200);
      expect(crashes).toEqual([]);
    });
  });
});

interface Ingest {
  /** Exit code and signal once it ended. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What it printed so far (stdout and stderr). */
  output(): string;
  /** SIGKILL to its whole process group (npm, the shell, node), if still running. */
  kill(): void;
}

/**
 * `npm run ingest -- --osm <file>` against `url`, in a process group of its
 * own: npm runs the importer in a child, and only killing the group kills it.
 */
function startIngest(url: string, osm: string): Ingest {
  const child = spawn('npm', ['run', '--silent', 'ingest', '--', '--osm', osm], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const ingest: Ingest = {
    exit: undefined,
    done: new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        ingest.exit = { code, signal };
        resolve(ingest.exit);
      });
    }),
    output: () => text,
    kill() {
      if (ingest.exit || child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    },
  };
  return ingest;
}
