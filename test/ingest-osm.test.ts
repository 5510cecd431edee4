/**
 * Real OSM imports on both backends: Monaco (PBF) and Neukoelln (XML with
 * three dangling node references), the walking model's invariants checked in
 * SQL on what was stored, and the same counts on PGlite and PostGIS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBackends, openTestDatabase, serverUrl, type TestDatabase } from './backends.ts';
import { describeWithData, sharedData } from './shared-data.ts';
import { ingest, type IngestResult } from '../data-pipeline/ingest.ts';
import { readCounts } from '../server/health/health-routes.ts';
import { readDataState } from '../kernel/db/data-state.ts';

const monaco = sharedData('osm/monaco.osm.pbf');
const neukoelln = sharedData('osm/neukoelln.osm');
const countsByBackend = new Map<string, Record<string, number>>();

/** Share of walk nodes in the largest connected component (undirected), by union-find over walk_edges. */
async function largestComponentShare(t: TestDatabase): Promise<number> {
  const edges = await t.db.query<{ source: number; target: number }>('SELECT source, target FROM walk_edges');
  const [{ n }] = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM walk_nodes')) as [{ n: number }];
  const parent = new Int32Array(n).map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  for (const e of edges) parent[find(e.source)] = find(e.target);
  const size = new Map<number, number>();
  for (let i = 0; i < n; i++) size.set(find(i), (size.get(find(i)) ?? 0) + 1);
  return Math.max(...size.values()) / n;
}

describeWithData('Monaco PBF import', monaco, () => {
  describeBackends('Monaco', (kind) => {
    let t: TestDatabase;
    let result: IngestResult;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      result = await ingest(t.db, { osm: monaco.path });
    });
    afterAll(() => t?.dispose());

    it('stores a plausible city and records the counts', async () => {
      const counts = await readCounts(t.db);
      countsByBackend.set(kind, counts);
      expect(counts.walk_edges).toBe(result.report.counts.networkEdges);
      expect(counts.walk_edges).toBeGreaterThan(4000);
      expect(counts.households).toBeGreaterThan(5000);
      expect(counts.buildings).toBeGreaterThan(20000);
      const state = await readDataState(t.db);
      expect(state.version).toBe(result.write.version);
      expect(state.source).toBe('osm:monaco.osm.pbf');
    });

    it("the walk network's largest connected component holds at least 95% of its nodes", async () => {
      expect(await largestComponentShare(t)).toBeGreaterThanOrEqual(0.95);
    });

    it('has steps, and steps are slower per metre than footways', async () => {
      const rows = await t.db.query<{ class: string; n: number; sec_per_m: number }>(
        `SELECT class, count(*)::int AS n, avg(cost / length_m) AS sec_per_m
         FROM walk_edges WHERE class IN ('steps', 'footway') AND cost > 0 GROUP BY class`,
      );
      const by = Object.fromEntries(rows.map((r) => [r.class, r]));
      expect(by.steps?.n).toBeGreaterThan(100);
      expect(by.steps!.sec_per_m).toBeGreaterThan(by.footway!.sec_per_m * 1.5);
      // 4 km/h on the flat: 0.9 s per metre.
      expect(by.footway!.sec_per_m).toBeCloseTo(0.9, 5);
    });

    it('every household unit lies in exactly one grid, its own', async () => {
      const [row] = await t.db.query<{ total: number; own: number; multi: number }>(
        `SELECT count(*)::int AS total,
                count(*) FILTER (WHERE ST_Covers(g.geom, h.geom))::int AS own,
                (SELECT count(*)::int FROM households h2
                   WHERE (SELECT count(*) FROM grids g2 WHERE ST_Contains(g2.geom, h2.geom)) > 1) AS multi
         FROM households h JOIN grids g ON g.id = h.grid_id`,
      );
      expect(row!.total).toBe(result.report.counts.householdUnits);
      expect(row!.own).toBe(row!.total);
      expect(row!.multi).toBe(0);
    });

    it('has centers of several kinds, with the chain of parents on grids', async () => {
      const kinds = await t.db.query<{ kind: string; n: number }>('SELECT kind, count(*)::int AS n FROM centers GROUP BY kind');
      expect(kinds.length).toBeGreaterThanOrEqual(3);
      expect(kinds.find((k) => k.kind === 'townhall')?.n).toBe(5);
      const [chain] = await t.db.query<{ missing: number }>(
        `SELECT count(*)::int AS missing FROM households h WHERE city_code IS NULL OR grid_id IS NULL`,
      );
      expect(chain!.missing).toBe(0);
    });
  });

  describe.skipIf(!serverUrl)('both backends', () => {
    it('give the same counts', () => {
      expect(countsByBackend.get('pglite')).toBeDefined();
      expect(countsByBackend.get('postgis')).toEqual(countsByBackend.get('pglite'));
    });
  });
});

describeWithData('Neukoelln XML import (clipped extract)', neukoelln, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase('pglite');
  });
  afterAll(() => t?.dispose());

  it('succeeds and reports the 3 way-node references to missing nodes', async () => {
    const result = await ingest(t.db, { osm: neukoelln.path, city: 'Berlin-Neukölln' });
    const missing = result.report.skipped.find((s) => /missing from the file/.test(s.reason));
    expect(missing?.count).toBe(3);
    expect(missing?.examples.length).toBeGreaterThan(0);
    const counts = await readCounts(t.db);
    expect(counts.walk_edges).toBeGreaterThan(100);
    expect(counts.households).toBeGreaterThan(0);
    expect((await readDataState(t.db)).city).toBe('Berlin-Neukölln');
  });
});
