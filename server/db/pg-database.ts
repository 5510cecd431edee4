/**
 * The PostGIS server backend: a `pg` pool. The pool stays below the server's
 * max_connections (see config) and every connection gets a statement timeout
 * so that one runaway query cannot hold a connection forever.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyStatement } from './binary-copy.ts';
import type { Database, Queryable } from './database.ts';

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

export async function openPgDatabase(options: PgDatabaseOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize,
    statement_timeout: options.statementTimeoutMs || undefined,
  });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => {});
  await pool.query('SELECT 1');
  const base = wrap(pool);
  return {
    kind: 'postgis',
    hasMvt: true,
    query: base.query,
    exec: base.exec,
    copyBinary: base.copyBinary,
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
    async close() {
      await pool.end();
    },
  };
}
