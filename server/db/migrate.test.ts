import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends, openTestDatabase, type TestDatabase } from '../../test/backends.ts';
import { listMigrations, migrate } from './migrate.ts';
import { readDataState, bumpDataVersion } from '../../kernel/db/data-state.ts';

describeBackends('migrations', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
  });
  afterAll(() => t?.dispose());

  it('applies every migration from empty', async () => {
    const rows = await t.db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(listMigrations().map((m) => m.version));
    const tables = await t.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    const names = tables.map((r) => r.table_name);
    for (const table of ['admin_units', 'grids', 'centers', 'households', 'walk_nodes', 'walk_edges', 'buildings', 'water', 'data_state']) {
      expect(names).toContain(table);
    }
  });

  it('re-applying is a no-op', async () => {
    const before = await t.db.query('SELECT version, applied_at FROM schema_migrations ORDER BY version');
    expect(await migrate(t.db)).toEqual([]);
    const after = await t.db.query('SELECT version, applied_at FROM schema_migrations ORDER BY version');
    expect(after).toEqual(before);
  });

  it('walk_edges has the pgRouting columns', async () => {
    const cols = await t.db.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'walk_edges'`,
    );
    const byName = Object.fromEntries(cols.map((c) => [c.column_name, c.data_type]));
    expect(byName).toMatchObject({ id: 'integer', source: 'integer', target: 'integer', cost: 'double precision', reverse_cost: 'double precision', length_m: 'double precision' });
  });

  it('a failing migration is rolled back whole and named', async () => {
    const bad = [{ version: 9999, name: 'broken', sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();' }];
    await expect(migrate(t.db, bad)).rejects.toThrow(/9999_broken/);
    const half = await t.db.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`);
    expect(half).toHaveLength(0);
    const recorded = await t.db.query('SELECT 1 FROM schema_migrations WHERE version = 9999');
    expect(recorded).toHaveLength(0);
  });

  it('the data version changes on every bump and survives in data_state', async () => {
    const a = await readDataState(t.db);
    const v1 = await t.db.transaction((tx) => bumpDataVersion(tx, { city: 'X' }));
    const v2 = await t.db.transaction((tx) => bumpDataVersion(tx));
    expect(new Set([a.version, v1, v2]).size).toBe(3);
    const b = await readDataState(t.db);
    expect(b.version).toBe(v2);
    expect(b.revision).toBe(a.revision + 2);
    expect(b.city).toBe('X');
  });
});
