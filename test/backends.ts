/**
 * Test fixtures for the two storage backends. PGlite runs always (in memory);
 * the PostGIS server runs when DATABASE_URL or TEST_DATABASE_URL is set, each
 * test file getting a fresh database of its own so files can run in parallel
 * and imports never collide. `describeBackends` runs a suite on every backend.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe } from 'vitest';
import type { BackendKind, Database } from '../kernel/db/database.ts';
import { openDatabase } from '../server/db/open-database.ts';
import { openPgliteDatabase } from '../server/db/pglite-database.ts';
import { listMigrations, migrate } from '../server/db/migrate.ts';

export const serverUrl: string | undefined = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;

export interface TestDatabase {
  db: Database;
  kind: BackendKind;
  /** The PostGIS database URL (server backend only), for reference tools such as pgRouting. */
  url: string | undefined;
  dispose(): Promise<void>;
}

/** Creates an empty database on the server and returns its URL and a dropper. */
export async function createServerDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `lc_test_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * A migrated, empty PGlite data directory as a gzipped tarball, made once and
 * shared by every test process (keyed by the migrations and the PGlite
 * version): loading it takes ~3 s where initdb plus PostGIS takes ~15 s.
 */
async function pgliteTemplate(): Promise<Blob> {
  const hash = createHash('sha256');
  for (const m of listMigrations()) hash.update(m.sql);
  // A PGlite upgrade changes the on-disk format: its package.json keys the template too.
  hash.update(readFileSync(new URL('../node_modules/@electric-sql/pglite/package.json', import.meta.url)));
  const file = path.join(tmpdir(), `lc-pglite-template-${hash.digest('hex').slice(0, 16)}.tar.gz`);
  if (!existsSync(file)) {
    const db = await openPgliteDatabase({ dataDir: undefined });
    await migrate(db);
    const dump = await db.dump();
    await db.close();
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, file); // atomic: a parallel test process sees all or nothing
  }
  return new Blob([readFileSync(file)]);
}

/** Opens a fresh, migrated database of the given kind. */
export async function openTestDatabase(kind: BackendKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const db = await openPgliteDatabase({ dataDir: undefined, loadDataDir: await pgliteTemplate() });
    await migrate(db);
    return { db, kind, url: undefined, dispose: () => db.close() };
  }
  if (!serverUrl) throw new Error('no DATABASE_URL or TEST_DATABASE_URL for the PostGIS backend');
  const server = await createServerDatabase(serverUrl);
  const db = await openDatabase({ databaseUrl: server.url, dataDir: undefined, poolSize: 4 });
  return {
    db,
    kind,
    url: server.url,
    async dispose() {
      await db.close();
      await server.drop();
    },
  };
}

/** The backends to test on here: PGlite always, PostGIS when a server URL is set. */
export function testBackendKinds(): BackendKind[] {
  if (!serverUrl) {
    console.warn('PostGIS server tests skipped: set DATABASE_URL or TEST_DATABASE_URL to run them');
    return ['pglite'];
  }
  return ['pglite', 'postgis'];
}

/** describe() once per backend, named after it. */
export function describeBackends(name: string, suite: (kind: BackendKind) => void): void {
  for (const kind of testBackendKinds()) describe(`${name} [${kind}]`, () => suite(kind));
}
