/**
 * Picks the backend: the PostGIS server when a URL is given, otherwise the
 * embedded PGlite in `<dataDir>/pglite`. Applies the migrations either way.
 */
import path from 'node:path';
import type { Database } from '../../kernel/db/database.ts';
import { migrate } from './migrate.ts';

export interface OpenDatabaseOptions {
  databaseUrl: string | undefined;
  /** Embedded database folder's parent; undefined keeps PGlite in memory. */
  dataDir: string | undefined;
  poolSize?: number;
  statementTimeoutMs?: number;
  /** How long a query waits for a pooled connection before it fails as database_unavailable (ms). */
  connectTimeoutMs?: number;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  // Imported on demand: each backend's driver takes a while to load, and a
  // process (the ingest CLI, say) needs only one of them.
  const db = options.databaseUrl
    ? await (await import('./pg-database.ts')).openPgDatabase({
        connectionString: options.databaseUrl,
        poolSize: options.poolSize ?? 10,
        statementTimeoutMs: options.statementTimeoutMs ?? 30_000,
        connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      })
    : await (await import('./pglite-database.ts')).openPgliteDatabase({ dataDir: options.dataDir ? path.join(options.dataDir, 'pglite') : undefined });
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
