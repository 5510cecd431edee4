/**
 * A small migrator: applies sql/migrations/NNN_name.sql in order, each in its
 * own transaction together with its row in schema_migrations, so a migration
 * is applied whole or not at all and re-running is a no-op. On the server an
 * advisory lock keeps two starting instances from migrating at once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from '../../kernel/db/database.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../sql/migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations on disk, sorted by version; throws on a badly named or duplicated file. */
export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = /^(\d+)_([\w-]+)\.sql$/.exec(file);
      if (!match) throw new Error(`migration file "${file}" must be named NNN_name.sql`);
      return { version: Number(match[1]), name: match[2]!, sql: readFileSync(`${dir}/${file}`, 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version === migrations[i - 1]!.version) throw new Error(`two migrations have version ${migrations[i]!.version}`);
  }
  return migrations;
}

// An arbitrary constant: the advisory lock that serialises migrators.
const MIGRATION_LOCK = 151_515;

/** Applies the pending migrations; returns the versions it applied. */
export async function migrate(db: Database, migrations = listMigrations()): Promise<number[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  // One query decides whether there is anything to do: the common case on start.
  const appliedBefore = new Set((await db.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
  const applied: number[] = [];
  for (const migration of migrations) {
    if (appliedBefore.has(migration.version)) continue;
    const done = await db.transaction(async (tx) => {
      if (db.kind === 'postgis') await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const rows = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (rows.length > 0) return false;
      try {
        await tx.exec(migration.sql);
      } catch (error) {
        throw new Error(`migration ${migration.version}_${migration.name} failed: ${(error as Error).message}`, { cause: error });
      }
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}
