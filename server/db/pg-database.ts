/**
 * The PostGIS server backend: a `pg` pool. The pool stays below the server's
 * max_connections (see config) and every connection gets a statement timeout
 * so that one runaway query cannot hold a connection forever. The pool
 * outlives a database restart: a broken connection is dropped (never handed
 * out again), a request waits for a connection no longer than the connect
 * timeout, and a lost connection never crashes the process (every client has
 * an 'error' listener, checked out or idle).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyStatement } from '../../kernel/db/binary-copy.ts';
import type { Database, Queryable } from '../../kernel/db/database.ts';

export interface PgDatabaseOptions {
  connectionString: string;
  /** Upper bound of pooled connections. */
  poolSize: number;
  /** Milliseconds before the server cancels a statement; 0 disables. */
  statementTimeoutMs: number;
  /** Milliseconds to wait for a connection (a new one, or a free one of a full pool) before failing; 0 waits forever. */
  connectTimeoutMs: number;
  /** Fail the open when the server does not answer (default true); a read replica may come later. */
  checkOnOpen?: boolean;
}

// int8 (bigint) and numeric come back as strings by default; our ids and
// counts fit in a double, and both backends must give the same JS values.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/** Streams binary COPY chunks through one connection. */
async function copyBinary(client: pg.PoolClient, table: string, columns: readonly string[], chunks: Iterable<Uint8Array<ArrayBuffer>>): Promise<void> {
  const stream = client.query(copyFrom(copyStatement(table, columns, 'STDIN')));
  await pipeline(Readable.from(chunks, { objectMode: false }), stream);
}

/**
 * A connection of the pool, checked out for `fn`. pg emits 'error' on a
 * client whose connection breaks, and the pool listens only while it is
 * idle: without a listener here a restart during a transaction would crash
 * the process. A client whose connection failed is released with the error,
 * so the pool ends it instead of handing it out again.
 */
async function withConnection<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken ??= error;
  };
  client.on('error', onError);
  try {
    return await fn(client);
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}

function wrap(client: pg.PoolClient | pg.Pool): Queryable {
  return {
    async copyBinary(table, columns, chunks) {
      if (!(client instanceof pg.Pool)) return copyBinary(client, table, columns, chunks);
      await withConnection(client, (connection) => copyBinary(connection, table, columns, chunks));
    },
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query(sql, params as unknown[]);
      return result.rows as T[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}

/**
 * Milliseconds between attempts to re-establish a lost LISTEN connection:
 * doubling, capped so that a restarted database is noticed within seconds.
 */
const LISTEN_RETRY_MS = { first: 500, max: 10_000 };

/**
 * LISTEN on a connection of its own (a pooled one would be handed to other
 * queries). A lost connection is re-established with backoff; notifications
 * sent while it was down are lost, which callers cover by also polling.
 */
async function listenOn(connection: pg.ClientConfig, channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a plain channel name: ${JSON.stringify(channel)}`);
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let delay = LISTEN_RETRY_MS.first;

  const scheduleReconnect = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch(() => scheduleReconnect());
    }, delay);
    retry.unref();
    delay = Math.min(delay * 2, LISTEN_RETRY_MS.max);
  };

  async function connect(): Promise<void> {
    const c = new pg.Client(connection);
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      if (client === c) client = undefined;
      scheduleReconnect();
    };
    c.on('error', onLost);
    c.on('end', onLost);
    c.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) onNotify(message.payload);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
    } catch (error) {
      onLost();
      await c.end().catch(() => {});
      throw error;
    }
    if (stopped) {
      await c.end().catch(() => {});
      return;
    }
    client = c;
    delay = LISTEN_RETRY_MS.first;
  }

  // A first failure is not fatal: the caller's polling still works, and we keep trying.
  await connect().catch(() => {});
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}

export async function openPgDatabase(options: PgDatabaseOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize,
    statement_timeout: options.statementTimeoutMs || undefined,
    connectionTimeoutMillis: options.connectTimeoutMs || undefined,
    // TCP keepalive: a server that vanished without closing the socket is noticed.
    keepAlive: true,
  });
  // An idle client that loses its connection (a restart, pg_terminate_backend)
  // must not crash the process; the pool has already dropped it, and the next
  // query opens a new one.
  pool.on('error', () => {});
  if (options.checkOnOpen !== false) await pool.query('SELECT 1');
  return {
    ...wrap(pool),
    kind: 'postgis',
    hasMvt: true,
    transaction(fn) {
      return withConnection(pool, async (client) => {
        try {
          await client.query('BEGIN');
          const result = await fn(wrap(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          // A failed ROLLBACK means the connection is gone: the server rolls back by itself.
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
      });
    },
    listen(channel, onNotify) {
      return listenOn({ connectionString: options.connectionString, connectionTimeoutMillis: options.connectTimeoutMs || undefined, keepAlive: true }, channel, onNotify);
    },
    async close() {
      await pool.end();
    },
  };
}
