/**
 * The embedded backend: PGlite (PostgreSQL compiled to WASM) with PostGIS,
 * persisted in a folder. It is single-connection, so transactions run through
 * PGlite's own transaction() which holds its lock for their duration.
 */
import { mkdirSync } from 'node:fs';
import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { copyStatement } from '../../kernel/db/binary-copy.ts';

export interface PgliteDatabaseOptions {
  /** Folder for the database files; undefined keeps it in memory (tests). */
  dataDir: string | undefined;
  /** A data directory dump (from `dumpDataDir`) to start from: skips initdb, for tests. */
  loadDataDir?: Blob;
}

// Same value shapes as the pg backend: int8 and numeric as JS numbers.
const parsers = {
  [types.INT8]: (v: string) => Number(v),
  [types.NUMERIC]: (v: string) => Number(v),
};

function wrap(target: PGlite | Transaction): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const result = await target.query<T>(sql, params as unknown[]);
      return result.rows;
    },
    async exec(sql: string) {
      await target.exec(sql);
    },
    async copyBinary(table, columns, chunks) {
      // PGlite reads COPY input from a Blob mounted as /dev/blob.
      await target.query(copyStatement(table, columns, "'/dev/blob'"), [], { blob: new Blob([...chunks]) });
    },
  };
}

export async function openPgliteDatabase(options: PgliteDatabaseOptions): Promise<Database & { dump(): Promise<Blob> }> {
  let unlock = () => {};
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    unlock = lockDataDir(options.dataDir);
  }
  let db: PGlite;
  try {
    db = await PGlite.create({ dataDir: options.dataDir, extensions: { postgis }, parsers, loadDataDir: options.loadDataDir });
  } catch (error) {
    unlock();
    throw error;
  }
  return {
    ...wrap(db),
    kind: 'pglite',
    hasMvt: false,
    transaction(fn) {
      return db.transaction((tx) => fn(wrap(tx)));
    },
    async dump() {
      return db.dumpDataDir('gzip');
    },
    async close() {
      try {
        await db.close();
      } finally {
        unlock();
      }
    },
  };
}
