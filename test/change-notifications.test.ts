/**
 * Two server instances on one PostGIS database, as behind a load balancer: a
 * center changed through one reaches the other's caches at once through
 * LISTEN/NOTIFY (the version poller is set to an hour here, so only the
 * announcement can deliver it), an import reloads both, a lost LISTEN
 * connection comes back, and foreign payloads on the channel are ignored.
 * Needs a PostGIS server (DATABASE_URL or TEST_DATABASE_URL); skipped without one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { writeBundle } from '../data-pipeline/write-bundle.ts';
import { createApp, type App } from '../server/app.ts';
import type { DataChange } from '../kernel/data-change.ts';
import { CHANGES_CHANNEL } from '../kernel/change-announcements.ts';
import { silentLogger } from '../server/logger.ts';
import { latToTileY, lonToTileX } from '../server/tiles/tile-envelope.ts';
import { openTestDatabase, serverUrl, type TestDatabase } from './backends.ts';
import { smallCityBundle } from './tiles-fixture.ts';
import { bearer, testToken } from './auth-fixture.ts';

const HOUR = 3_600_000;

/** Resolves with the first change on `app` that `match` accepts; rejects after `ms`. */
function nextChange(app: App, match: (c: DataChange) => boolean, ms = 5000): Promise<DataChange> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no matching change within ${ms} ms`));
    }, ms);
    const stop = app.changes.subscribe((change) => {
      if (!match(change)) return;
      clearTimeout(timer);
      stop();
      resolve(change);
    });
  });
}

describe.skipIf(!serverUrl)('changes between instances through LISTEN/NOTIFY [postgis]', () => {
  let t: TestDatabase;
  let a: App;
  let b: App;
  const seen: { a: DataChange[]; b: DataChange[] } = { a: [], b: [] };

  beforeAll(async () => {
    t = await openTestDatabase('postgis');
    await writeBundle(t.db, smallCityBundle());
    a = await createApp({ db: t.db, logger: silentLogger, dataDir: undefined, pollIntervalMs: HOUR });
    b = await createApp({ db: t.db, logger: silentLogger, dataDir: undefined, pollIntervalMs: HOUR });
    a.changes.subscribe((c) => void seen.a.push(c));
    b.changes.subscribe((c) => void seen.b.push(c));
    await Promise.all([a.idle(), b.idle()]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await t?.dispose();
  });

  it('a center moved through one instance drops exactly its tiles in the other', async () => {
    const center = await (await a.http.request('/api/centers/1')).json();
    const tile = (lon: number, lat: number) => `/tiles/centers/14/${Math.floor(lonToTileX(lon, 14))}/${Math.floor(latToTileY(lat, 14))}.mvt`;
    const before = (await b.http.request(tile(center.lon, center.lat))).headers.get('etag');
    expect(before).toMatch(/^"/);
    const to = { lon: center.lon + 0.01, lat: center.lat };

    const arrived = nextChange(b, (c) => c.type === 'features');
    const res = await a.http.request('/api/centers/1', { method: 'PATCH', headers: { 'content-type': 'application/json', ...bearer(await testToken(t.db)) }, body: JSON.stringify(to) });
    expect(res.status).toBe(200);
    const change = await arrived;
    expect(change).toMatchObject({ type: 'features', layers: ['centers'] });
    expect((change as { boxes: unknown }).boxes).toEqual([
      [center.lon, center.lat, center.lon, center.lat],
      [to.lon, to.lat, to.lon, to.lat],
    ]);
    // B serves the moved center at once: the old tile changed, the new one shows it.
    expect((await b.http.request(tile(center.lon, center.lat))).headers.get('etag')).not.toBe(before);
    expect((await b.http.request(tile(to.lon, to.lat))).status).toBe(200);
    // A published its own change once: its announcement did not come back to it.
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.a.filter((c) => c.version === change.version && c.type === 'features' && c.layers.includes('centers'))).toHaveLength(1);
  });

  it('both write the coverage of a change back when their writes collide, so households tiles at its version are final on both', async () => {
    const center = await (await a.http.request('/api/centers/2')).json();
    const admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
    let change: DataChange;
    try {
      // Every grid row locked: the first write-back updates its households and waits here, the second waits on
      // those households; once the grids are let go the first commits and the second collides with it.
      await admin.query('BEGIN');
      await admin.query('SELECT id FROM grids FOR UPDATE');
      const arrived = nextChange(b, (c) => c.type === 'features' && c.layers.includes('centers'));
      const res = await a.http.request('/api/centers/2', { method: 'PATCH', headers: { 'content-type': 'application/json', ...bearer(await testToken(t.db)) }, body: JSON.stringify({ lon: center.lon + 0.004 }) });
      expect(res.status).toBe(200);
      change = await arrived;
      for (let i = 0; i < 200; i++) {
        // (A statement of the extended protocol may show as its transaction's BEGIN here.)
        const { rows } = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
        if (rows[0].n >= 2) break;
        await new Promise((r) => setTimeout(r, 25));
      }
    } finally {
      await admin.query('ROLLBACK');
      await admin.end();
    }
    // Not app.idle(): it reloads the graph of a new data version, and that reload's own write-back would hide a failed one.
    const households = `/tiles/households/14/${Math.floor(lonToTileX(center.lon, 14))}/${Math.floor(latToTileY(center.lat, 14))}.mvt?v=${change!.version}`;
    const final = async (app: App) => {
      for (let i = 0; i < 200; i++) {
        if ((await app.http.request(households)).headers.get('cache-control') === 'public, max-age=31536000, immutable') return true;
        await new Promise((r) => setTimeout(r, 25));
      }
      return false;
    };
    expect([await final(a), await final(b)]).toEqual([true, true]);
    await Promise.all([a.idle(), b.idle()]);
  });

  it('an import by another process reloads both instances', async () => {
    const both = Promise.all([nextChange(a, (c) => c.type === 'replaced'), nextChange(b, (c) => c.type === 'replaced')]);
    const { version } = await writeBundle(t.db, smallCityBundle(8));
    const [ca, cb] = await both;
    expect(ca.version).toBe(version);
    expect(cb.version).toBe(version);
    await Promise.all([a.idle(), b.idle()]);
    const health = await (await b.http.request('/health')).json();
    expect(health.data.version).toBe(version);
  });

  it('ignores foreign payloads and comes back after its LISTEN connection is lost', async () => {
    const admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
    try {
      const before = seen.b.length;
      await admin.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, 'not json']);
      await admin.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify({ origin: 'x', change: { type: 'nope' } })]);
      await new Promise((r) => setTimeout(r, 300));
      expect(seen.b.length).toBe(before);

      // Cut every LISTEN connection on this database; the instances reconnect.
      const cut = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
      );
      expect(cut.rowCount).toBe(2);
      for (let i = 0; i < 50; i++) {
        const { rows } = await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'`);
        if (rows[0].n === 2) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const arrived = nextChange(b, (c) => c.type === 'features');
      const res = await a.http.request('/api/centers/2', { method: 'DELETE', headers: bearer(await testToken(t.db)) });
      expect(res.status).toBe(200);
      expect(await arrived).toMatchObject({ type: 'features', layers: ['centers'] });
    } finally {
      await admin.end();
    }
  });
});
