/**
 * The PostGIS server backend: a `pg` pool. The pool stays below the server's
 * max_connections (see config) and every connection gets a statement timeout
 * so that one runaway query cannot hold a connection forever.
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

function wrap(client: pg.PoolClient | pg.Pool): Queryable {
  return {
    async copyBinary(table, columns, chunks) {
      if (!(client instanceof pg.Pool)) return copyBinary(client, table, columns, chunks);
      const connection = await client.connect();
      try {
        await copyBinary(connection, table, columns, chunks);
      } finally {
        connection.release();
      }
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

/** Milliseconds between attempts to re-establish a lost LISTEN connection: doubling, capped. */
const LISTEN_RETRY_MS = { first: 500, max: 30_000 };

/**
 * LISTEN on a connection of its own (a pooled one would be handed to other
 * queries). A lost connection is re-established with backoff; notifications
 * sent while it was down are lost, which callers cover by also polling.
 */
async function listenOn(connectionString: string, channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
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
    const c = new pg.Client({ connectionString });
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
  });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => {});
  await pool.query('SELECT 1');
  return {
    ...wrap(pool),
    kind: 'postgis',
    hasMvt: true,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    listen(channel, onNotify) {
      return listenOn(options.connectionString, channel, onNotify);
    },
    async close() {
      await pool.end();
    },
  };
}
