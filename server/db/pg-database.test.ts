/**
 * The pg pool's limits and faults that do not need the server stopped, on a
 * fresh database of the shared PostGIS server (DATABASE_URL; skipped with
 * the reason without it): the statement timeout cancels a slow query, which
 * is answered 503 database_unavailable; a pool of 2 queues 10 slow queries
 * and finishes them all, or fails the queued ones at the connect timeout as
 * the same 503; a connection killed inside a transaction does not crash the
 * process and is replaced; a killed LISTEN connection comes back.
 * test/faults-postgis.test.ts stops a private server under a running app.
 */
import { Hono } from 'hono';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerDatabase, serverUrl } from '../../test/backends.ts';
import type { Database } from '../../kernel/db/database.ts';
import { handleError, httpErrorOf } from '../http/error-mapping.ts';
import { silentLogger } from '../logger.ts';
import { databaseFailure } from './database-unavailable.ts';
import { openDatabase } from './open-database.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (!serverUrl) console.warn('pg pool limit and fault tests skipped: set DATABASE_URL or TEST_DATABASE_URL to run them');
const describeServer = serverUrl ? describe : describe.skip;

describeServer('pg pool limits and faults [postgis]', () => {
  let server: Awaited<ReturnType<typeof createServerDatabase>>;
  /** A connection of the test's own, to watch and kill the pool's. */
  let admin: pg.Client;
  const opened: Database[] = [];
  const crashes: string[] = [];
  const onRejection = (reason: unknown) => void crashes.push(`unhandledRejection: ${String(reason)}`);
  const onException = (error: Error) => void crashes.push(`uncaughtException: ${error.stack ?? String(error)}`);

  /** A pool whose connections carry `name` as their application_name, so the server can count them. */
  const open = async (options: { poolSize: number; statementTimeoutMs: number; connectTimeoutMs: number }, name = 'lc_pool_test') => {
    const db = await openDatabase({ databaseUrl: `${server.url}?application_name=${name}`, dataDir: undefined, ...options });
    opened.push(db);
    return db;
  };

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtException', onException);
    server = await createServerDatabase(serverUrl!);
    // Migrated once here, so the databases opened by each test start at once.
    opened.push(await openDatabase({ databaseUrl: server.url, dataDir: undefined }));
    admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    for (const db of opened) await db.close();
    await server?.drop();
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  });

  it('cancels a statement over the statement timeout; the answer is a 503 database_unavailable', async () => {
    const db = await open({ poolSize: 2, statementTimeoutMs: 200, connectTimeoutMs: 5_000 });
    const started = performance.now();
    const error = await db.query('SELECT pg_sleep(2)').then(
      () => undefined,
      (e: unknown) => e,
    );
    const ms = performance.now() - started;
    expect((error as { code?: string }).code).toBe('57014');
    expect(ms).toBeLessThan(1_500);
    expect(databaseFailure(error)).toBe('timeout');
    expect(httpErrorOf(error)).toMatchObject({ status: 503, code: 'database_unavailable', headers: { 'Retry-After': '5' } });

    // Through the HTTP edge, as a route that runs the query would answer.
    const app = new Hono();
    app.onError(handleError(silentLogger));
    app.get('/slow', async (c) => c.json(await db.query('SELECT pg_sleep(2)')));
    const res = await app.request('/slow');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'database_unavailable', message: expect.stringMatching(/took too long/) });

    // Inside a transaction: cancelled, rolled back, and the connection serves the next query.
    await expect(db.transaction((tx) => tx.query('SELECT pg_sleep(2)'))).rejects.toMatchObject({ code: '57014' });
    expect(await db.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('queues 10 slow queries on a pool of 2: never more than 2 connections, and all finish', async () => {
    const db = await open({ poolSize: 2, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000 }, 'lc_pool_of_two');
    let most = 0;
    let connections = 0;
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const { rows } = await admin.query<{ active: number; open: number }>(
          "SELECT count(*) FILTER (WHERE state = 'active')::int AS active, count(*)::int AS open FROM pg_stat_activity WHERE application_name = 'lc_pool_of_two'",
        );
        most = Math.max(most, rows[0]!.active);
        connections = Math.max(connections, rows[0]!.open);
        await sleep(25);
      }
    })();
    const started = performance.now();
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => db.query<{ i: number }>('SELECT pg_sleep(0.25), $1::int AS i', [i])));
    const ms = performance.now() - started;
    watching = false;
    await watch;
    console.log('pool of 2, 10 x pg_sleep(0.25):', { ms: Math.round(ms), mostActive: most, mostOpen: connections });

    expect(results.map((r) => r.status)).toEqual(Array(10).fill('fulfilled'));
    // Five rounds of two: the queue, not ten at once.
    expect(ms).toBeGreaterThanOrEqual(1_200);
    expect(most).toBeLessThanOrEqual(2);
    expect(most).toBeGreaterThanOrEqual(1);
    expect(connections).toBeLessThanOrEqual(2);
  });

  it('fails the queued queries at the connect timeout as 503, and the pool keeps working', async () => {
    const db = await open({ poolSize: 2, statementTimeoutMs: 10_000, connectTimeoutMs: 300 });
    const started = performance.now();
    const settled = await Promise.all(
      Array.from({ length: 10 }, () =>
        db.query('SELECT pg_sleep(1)').then(
          () => ({ ok: true, ms: performance.now() - started, error: undefined as unknown }),
          (error: unknown) => ({ ok: false, ms: performance.now() - started, error }),
        ),
      ),
    );
    const failed = settled.filter((s) => !s.ok);
    console.log('pool of 2, connect timeout 300 ms, 10 x pg_sleep(1):', {
      finished: settled.length - failed.length,
      timedOut: failed.length,
      timedOutAfterMs: failed.map((s) => Math.round(s.ms)),
    });
    expect(settled.length - failed.length).toBe(2);
    expect(failed).toHaveLength(8);
    for (const { error, ms } of failed) {
      expect((error as Error).message).toBe('timeout exceeded when trying to connect');
      expect(httpErrorOf(error)).toMatchObject({ status: 503, code: 'database_unavailable' });
      expect(ms).toBeLessThan(900); // at the timeout, not after the slow queries
    }
    expect(await db.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('survives its connection being killed inside a transaction, and the pool replaces it', async () => {
    const db = await open({ poolSize: 2, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000 });
    const error = await db
      .transaction(async (tx) => {
        const [{ pid }] = (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        // Idle in the transaction while its connection dies: pg emits 'error' on the client now.
        await sleep(300);
        await tx.query('SELECT 1');
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(databaseFailure(error)).toBe('unreachable');
    expect(crashes).toEqual([]);
    // Both pooled connections work (the dead one is not handed out again).
    const pids = await Promise.all([0, 1].map(() => db.transaction(async (tx) => ((await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid, pg_sleep(0.05)')) as [{ pid: number }])[0].pid)));
    expect(pids).toHaveLength(2);
    expect(crashes).toEqual([]);
  });

  it('re-establishes a killed LISTEN connection by itself', async () => {
    const db = await open({ poolSize: 1, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000 });
    const payloads: string[] = [];
    const unlisten = await db.listen!('fault_probe', (payload) => payloads.push(payload));
    try {
      const listenerPid = async () =>
        (await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN fault_probe'")).rows[0]?.pid;
      const first = await listenerPid();
      expect(first).toBeDefined();
      await admin.query('SELECT pg_terminate_backend($1)', [first]);
      const killedAt = performance.now();
      let second: number | undefined;
      while (!(second = await listenerPid()) || second === first) {
        if (performance.now() - killedAt > 10_000) throw new Error('the LISTEN connection did not come back in 10 s');
        await sleep(50);
      }
      console.log('LISTEN connection back after', Math.round(performance.now() - killedAt), 'ms');
      await admin.query("SELECT pg_notify('fault_probe', 'back')");
      const deadline = performance.now() + 5_000;
      while (!payloads.includes('back') && performance.now() < deadline) await sleep(20);
      expect(payloads).toContain('back');
      expect(crashes).toEqual([]);
    } finally {
      await unlisten();
    }
  });
});
