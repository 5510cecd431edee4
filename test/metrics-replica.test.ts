/**
 * Replica lag in GET /metrics, on a real streaming replica (a private
 * PostgreSQL primary and a pg_basebackup standby, private-postgres.ts): a
 * healthy replica is up, caught up and serves the reads; with its replay
 * paused, a change through the API shows as WAL bytes not replayed, time
 * behind, paused, not caught up, and a tile read that waited and fell back
 * to the primary; resumed, it is caught up again. Every replica metric is in
 * the operators' guide, and the replica is named without credentials.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer, testToken } from './auth-fixture.ts';
import { describeWithPrivatePostgres, startPrivatePostgres, startStreamingReplica, streamingReplicaUnavailable, type PrivatePostgres, type StreamingReplica } from './private-postgres.ts';
import { parsePrometheusText, sampleValue, type Family } from './prometheus-text.ts';
import { SMALL_CITY_CENTER, storeSmallCity } from './tiles-fixture.ts';
import { waitUntil } from './scale-out-cluster.ts';
import type { Database } from '../kernel/db/database.ts';
import { createApp, type App } from '../server/app.ts';
import { openDatabase } from '../server/db/open-database.ts';
import { openReadReplicas, type ReadReplicas } from '../server/db/read-replicas.ts';
import { silentLogger } from '../server/logger.ts';
import { latToTileY, lonToTileX } from '../server/tiles/tile-envelope.ts';

const GUIDE = readFileSync(new URL('../docs/scale-out.md', import.meta.url), 'utf8');
const MAX_LAG_MS = 300;
const [LON, LAT] = SMALL_CITY_CENTER;
const tile = (z: number, dx: number) => `/tiles/households,centers/${z}/${Math.floor(lonToTileX(LON, z)) + dx}/${Math.floor(latToTileY(LAT, z))}.mvt`;

describeWithPrivatePostgres('metrics of a read replica', () => {
  let primary: PrivatePostgres;
  let replica: StreamingReplica;
  let db: Database;
  let replicas: ReadReplicas;
  let app: App;
  let name: string;
  let planner: string;

  const scrape = async (): Promise<Map<string, Family>> => {
    const res = await app.http.request('/metrics');
    expect(res.status).toBe(200);
    return parsePrometheusText(await res.text(), { declaredOnly: true });
  };
  const of = (f: Map<string, Family>, metric: string, labels: Record<string, string> = { replica: name }) => sampleValue(f, metric, labels);

  beforeAll(async () => {
    const missing = streamingReplicaUnavailable();
    if (missing) throw new Error(missing);
    primary = await startPrivatePostgres();
    const url = await primary.createDatabase('living_metrics');
    db = await openDatabase({ databaseUrl: url, dataDir: undefined, poolSize: 4 });
    await storeSmallCity(db);
    planner = await testToken(db, 'planner');
    replica = await startStreamingReplica(primary);
    name = `127.0.0.1:${replica.port}/living_metrics`;
    replicas = await openReadReplicas(db, [replica.url('living_metrics')], { maxLagMs: MAX_LAG_MS, poolSize: 2, statementTimeoutMs: 30_000, connectTimeoutMs: 5_000 });
    await replicas.catchUp();
    app = await createApp({ db, replicas, logger: silentLogger, dataDir: undefined, metrics: { access: { mode: 'public' } } });
    await app.idle();
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await replicas?.close();
    await db?.close();
    await replica?.dispose();
    await primary?.dispose();
  });

  it('reports a healthy replica that serves the reads', async () => {
    await replica.caughtUp();
    // The fence is the primary's WAL insert position at the last change, which
    // can run ahead of what is flushed and streamed until the WAL writer's next
    // round (wal_writer_delay, 200 ms): a healthy replica reaches it within that.
    let families = await scrape();
    for (let i = 0; i < 50 && of(families, 'living_circle_replica_caught_up') !== 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      families = await scrape();
    }
    const text = [...families.values()].flatMap((f) => f.samples).map((s) => JSON.stringify(s.labels)).join('\n');
    expect(text).not.toContain('postgres@');
    const names = [...families.keys()].filter((n) => n.startsWith('living_circle_replica_'));
    expect(names.length).toBeGreaterThanOrEqual(9);
    expect(names.filter((n) => !GUIDE.includes(n))).toEqual([]);
    expect(of(families, 'living_circle_replica_up')).toBe(1);
    expect(of(families, 'living_circle_replica_caught_up')).toBe(1);
    expect(of(families, 'living_circle_replica_replay_paused')).toBe(0);
    expect(of(families, 'living_circle_replica_behind_seconds')).toBe(0);
    expect(of(families, 'living_circle_replica_lag_bytes')).toBeGreaterThanOrEqual(0);
    expect(of(families, 'living_circle_replica_max_lag_seconds', {})).toBe(MAX_LAG_MS / 1000);
    // The graph and coverage loads went to the replica.
    expect(of(families, 'living_circle_replica_reads_total', { target: 'replica' })).toBeGreaterThan(0);
  });

  it('shows the lag of a paused replica, and the reads that fell back to the primary', async () => {
    const before = await scrape();
    await replica.pauseReplay();
    try {
      const added = await app.http.request('/api/centers', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(planner) },
        body: JSON.stringify({ name: '副本延迟测试', kind: 'neighborhood', lon: LON + 0.001, lat: LAT }),
      });
      expect(added.status).toBe(201);
      // A tile no one has read: it waits for the replica, then reads from the primary.
      const t0 = performance.now();
      expect((await app.http.request(tile(15, 2))).status).toBeLessThan(300);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(MAX_LAG_MS - 10);
      const behind = await scrape();
      expect(of(behind, 'living_circle_replica_up')).toBe(1);
      expect(of(behind, 'living_circle_replica_replay_paused')).toBe(1);
      expect(of(behind, 'living_circle_replica_caught_up')).toBe(0);
      expect(of(behind, 'living_circle_replica_lag_bytes')).toBeGreaterThan(0);
      expect(of(behind, 'living_circle_replica_behind_seconds')).toBeGreaterThanOrEqual((MAX_LAG_MS - 10) / 1000);
      const rise = (metric: string, labels: Record<string, string> = {}) => (sampleValue(behind, metric, labels) ?? 0) - (sampleValue(before, metric, labels) ?? 0);
      expect(rise('living_circle_replica_reads_fell_back_total')).toBeGreaterThanOrEqual(1);
      expect(rise('living_circle_replica_reads_waited_total')).toBeGreaterThanOrEqual(1);
      expect(rise('living_circle_replica_reads_total', { target: 'primary' })).toBeGreaterThanOrEqual(1);
    } finally {
      await replica.resumeReplay();
    }
    await app.idle();
    await replica.caughtUp();
    // Asked again on every scrape: caught up once it has replayed what this instance knows of.
    const after = await waitUntil('the replica to be caught up in /metrics', 10_000, async () => {
      const families = await scrape();
      return of(families, 'living_circle_replica_caught_up') === 1 ? families : undefined;
    });
    expect(of(after, 'living_circle_replica_replay_paused')).toBe(0);
    expect(of(after, 'living_circle_replica_behind_seconds')).toBe(0);
  });
});
