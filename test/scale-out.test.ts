/**
 * The scale-out deployment of docs/scale-out.md on real parts
 * (scale-out-cluster.ts): a PostgreSQL primary and a streaming replica made
 * with pg_basebackup, two server instances reading from the replica, nginx
 * with its cache in front, configured by the files in deploy/nginx/.
 *
 * - Through nginx a client reads TileJSON, a tile (at the versioned URL and
 *   the plain one), coverage and the nearest center; a center is added
 *   through instance A; from the moment instance B's event stream announces
 *   it, every read through nginx shows it, and none shows the old content.
 * - The same with the replica's replay paused (pg_wal_replay_pause()): the
 *   replica does not have the change, reads wait for it up to the lag limit
 *   and then read from the primary, and still none shows the old content;
 *   B's /health reports the replica behind.
 * - Instance A is killed (SIGKILL) under load through nginx: no 5xx and no
 *   failed request apart from those in flight at the kill; a center added
 *   meanwhile through B is served by A once it has started again, and A's
 *   event stream follows changes again.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { latToTileY, lonToTileX } from '../server/tiles/tile-envelope.ts';
import { bearer } from './auth-fixture.ts';
import { describeScaleOut, startScaleOut, waitUntil, type Instance, type ScaleOut } from './scale-out-cluster.ts';
import { decodeTile, SMALL_CITY_CENTER, storeSmallCity } from './tiles-fixture.ts';

const [LON, LAT] = SMALL_CITY_CENTER;
/** The lag limit the instances run with (REPLICA_MAX_LAG_MS). */
const MAX_LAG_MS = 1_000;
const Z = 14;
const ROUNDS = 8;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A data change as /api/events sends it. */
interface ChangeEvent {
  type: 'features' | 'replaced';
  version: string;
  layers?: string[];
}

/** Follows an instance's /api/events: every `change` event, as it arrives. */
function followEvents(base: string) {
  const seen: ChangeEvent[] = [];
  const waiters = new Set<() => void>();
  const abort = new AbortController();
  const opened = fetch(`${base}/api/events`, { signal: abort.signal }).then(async (res) => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          text += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = text.indexOf('\n\n')) >= 0) {
            const block = text.slice(0, end);
            text = text.slice(end + 2);
            if (!/^event: change$/m.test(block)) continue;
            seen.push(JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as ChangeEvent);
            for (const wake of [...waiters]) wake();
          }
        }
      } catch {
        // aborted
      }
    })();
  });
  return {
    opened,
    /** The first change event (from now on) that `match` accepts. */
    async next(match: (e: ChangeEvent) => boolean, timeoutMs = 15_000): Promise<ChangeEvent> {
      const from = seen.length;
      const end = performance.now() + timeoutMs;
      for (;;) {
        const found = seen.slice(from).find(match);
        if (found) return found;
        const left = end - performance.now();
        if (left <= 0) throw new Error(`no matching change event within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, left);
          waiters.add(wake);
        });
      }
    },
    close: () => abort.abort(),
  };
}

const tileOf = (lon: number, lat: number) => `${Z}/${Math.floor(lonToTileX(lon, Z))}/${Math.floor(latToTileY(lat, Z))}`;

/** What one round of reads through nginx shows about a center named `name` at (lon, lat). */
async function readAll(base: string, name: string, lon: number, lat: number) {
  const get = (path: string) => fetch(base + path, { headers: { 'accept-encoding': 'identity' } });
  const names = async (res: Response) => (res.status === 200 ? (decodeTile(new Uint8Array(await res.arrayBuffer())).centers?.features ?? []).map((f) => f.properties.name) : []);
  const [tileJson, plainTile, coverage, nearest] = await Promise.all([
    get('/tiles/centers.json').then(async (r) => ({ status: r.status, body: (await r.json()) as { tiles: string[] } })),
    get(`/tiles/centers/${tileOf(lon, lat)}.mvt`).then(async (r) => ({ status: r.status, cache: r.headers.get('x-cache-status'), names: await names(r) })),
    get('/api/coverage?level=district').then(async (r) => ({ status: r.status, body: (await r.json()) as { data_version: string } })),
    get(`/api/nearest?lon=${lon}&lat=${lat}&kind=neighborhood`).then(async (r) => ({ status: r.status, body: (await r.json()) as { center: { name: string } } })),
  ]);
  // The tile at the URL TileJSON gives: the one a map would load.
  const template = new URL(tileJson.body.tiles[0]!.replace('{z}/{x}/{y}', tileOf(lon, lat)));
  const versioned = await get(template.pathname + template.search);
  return {
    statuses: [tileJson.status, plainTile.status, coverage.status, nearest.status, versioned.status],
    version: template.searchParams.get('v'),
    versionedCache: versioned.headers.get('x-cache-status'),
    versionedCacheControl: versioned.headers.get('cache-control'),
    versionedNames: await names(versioned),
    plainNames: plainTile.names,
    coverageVersion: coverage.body.data_version,
    nearest: nearest.body.center?.name,
    /** Does every read show the center, at the data version of the change (or later)? */
    shows(version: string) {
      return (
        this.version === version &&
        this.versionedNames.includes(name) &&
        this.plainNames.includes(name) &&
        this.coverageVersion === version &&
        this.nearest === name
      );
    },
  };
}

describeScaleOut('scale-out: nginx, two instances, a primary and a streaming replica', () => {
  let s: ScaleOut;
  let a: Instance;
  let b: Instance;
  let probe = 0;

  beforeAll(async () => {
    const started = performance.now();
    s = await startScaleOut({ city: storeSmallCity, env: { REPLICA_MAX_LAG_MS: String(MAX_LAG_MS) } });
    [a, b] = s.instances as [Instance, Instance];
    console.log(`scale-out deployment up in ${Math.round(performance.now() - started)} ms`);
  }, 300_000);

  afterAll(async () => {
    await s?.dispose();
  }, 60_000);

  /** Where the n-th probe center goes: spread over the small city, each in a tile of its own. */
  const spot = (n: number) => ({ name: `Scale-out probe ${n}`, lon: LON - 0.01 + 0.004 * n, lat: LAT + 0.002 * (n % 3) });

  /** Adds the next probe center through instance `via`; resolves with its name and place. */
  async function addCenter(via: Instance) {
    const { name, lon, lat } = spot(++probe);
    const res = await fetch(`${via.url}/api/centers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(s.token) },
      body: JSON.stringify({ name, kind: 'neighborhood', lon, lat }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return { name, lon, lat };
  }

  /** Reads through nginx, ROUNDS times back to back; every read must show the change. */
  async function everyReadShows(name: string, lon: number, lat: number, version: string) {
    const rounds = [];
    for (let i = 0; i < ROUNDS; i++) {
      const t0 = performance.now();
      const round = await readAll(s.nginxUrl, name, lon, lat);
      rounds.push({ ms: Math.round(performance.now() - t0), ...round });
    }
    const stale = rounds.filter((r) => !r.shows(version));
    expect(stale.map(({ shows: _, ...r }) => r), 'reads after the announcement that did not show the change').toEqual([]);
    for (const r of rounds) expect(r.statuses).toEqual([200, 200, 200, 200, 200]);
    return rounds;
  }

  it('reads through nginx show a change made through A from the moment B announces it, and never the old content', async () => {
    const events = followEvents(b.url);
    await events.opened;
    const next = spot(probe + 1);
    // Before: warm nginx's cache at the current version's URL, so the old tile is there to be (wrongly) served.
    const before = await readAll(s.nginxUrl, 'none', next.lon, next.lat);
    expect(before.statuses).toEqual([200, 200, 200, 200, 200]);
    expect(before.versionedCacheControl).toBe('public, max-age=31536000, immutable');
    const again = await readAll(s.nginxUrl, 'none', next.lon, next.lat);
    expect(again.versionedCache).toBe('HIT');

    const announced = events.next((e) => e.type === 'features' && !!e.layers?.includes('centers'));
    const center = await addCenter(a);
    const change = await announced;
    const rounds = await everyReadShows(center.name, center.lon, center.lat, change.version);
    events.close();
    expect(change.version).not.toBe(before.version);
    expect(before.versionedNames).not.toContain(center.name);
    // nginx serves the new versioned tile from its cache after the first read; the plain URL always goes to an instance.
    expect(rounds.slice(1).every((r) => r.versionedCache === 'HIT')).toBe(true);
    expect(rounds.every((r) => r.versionedCacheControl === 'public, max-age=31536000, immutable')).toBe(true);
    const upstreams = new Set([...s.accessLog().matchAll(/upstream=(\S+)/g)].map((m) => m[1]));
    expect([a, b].map((i) => upstreams.has(`127.0.0.1:${i.port}`)), 'nginx sent reads to both instances').toEqual([true, true]);
    console.log('healthy replica, reads after the announcement (ms per round of 5 reads):', rounds.map((r) => r.ms).join(' '));
  });

  it('holds the lag rule with the replica paused: reads wait for it, then read from the primary, and never show the old content', async () => {
    await s.replica.pauseReplay();
    const replica = new pg.Client({ connectionString: s.replicaUrl });
    await replica.connect();
    try {
      const events = followEvents(b.url);
      await events.opened;
      const announced = events.next((e) => e.type === 'features' && !!e.layers?.includes('centers'));
      const center = await addCenter(a);
      const change = await announced;
      const announcedAt = performance.now();
      const rounds = await everyReadShows(center.name, center.lon, center.lat, change.version);
      events.close();
      // The replica really is behind: it has not got the center the reads show.
      const onReplica = await replica.query('SELECT count(*)::int AS n FROM centers WHERE name = $1', [center.name]);
      expect(onReplica.rows[0].n).toBe(0);
      const health = (await (await fetch(`${b.url}/health`)).json()) as {
        replicas: { max_lag_ms: number; reads: { fell_back: number; waited: number }; servers: { paused: boolean; caught_up: boolean; lag_bytes: number; behind_ms: number }[] };
      };
      expect(health.replicas.max_lag_ms).toBe(MAX_LAG_MS);
      expect(health.replicas.servers[0]).toMatchObject({ paused: true, caught_up: false });
      expect(health.replicas.servers[0]!.lag_bytes).toBeGreaterThan(0);
      expect(health.replicas.servers[0]!.behind_ms).toBeGreaterThanOrEqual(MAX_LAG_MS);
      expect(health.replicas.reads.fell_back).toBeGreaterThan(0);
      console.log(
        'replica paused, reads after the announcement (ms per round):',
        rounds.map((r) => r.ms).join(' '),
        `; first round ended ${Math.round(rounds[0]!.ms)} ms after it began, ${Math.round(performance.now() - announcedAt)} ms for all;`,
        'B /health replicas:',
        JSON.stringify(health.replicas),
      );
    } finally {
      await s.replica.resumeReplay();
      await replica.end();
    }
    await s.replica.caughtUp();
    // Back on the replica once it has caught up.
    await waitUntil('B to see the replica caught up', 10_000, async () => {
      const h = (await (await fetch(`${b.url}/health`)).json()) as { replicas: { servers: { caught_up: boolean; paused: boolean }[] } };
      return h.replicas.servers[0]!.caught_up && !h.replicas.servers[0]!.paused ? true : undefined;
    });
  });

  it('takes a killed instance out with no 5xx beyond requests in flight; the restarted instance catches up by itself', async () => {
    const paths = [
      '/tiles/centers.json',
      `/tiles/centers,households/${tileOf(LON, LAT)}.mvt`,
      `/tiles/grids,streets/${tileOf(LON + 0.01, LAT)}.mvt`,
      `/tiles/centers/${tileOf(LON - 0.01, LAT)}.mvt?v=${(await readAll(s.nginxUrl, 'none', LON, LAT)).version}`,
      '/api/coverage?level=street',
      `/api/nearest?lon=${LON}&lat=${LAT}`,
      `/api/isochrone?lon=${LON}&lat=${LAT}&minutes=5`,
    ];
    type Answer = { path: string; sentAt: number; endedAt: number; status: number; error?: string };
    const answers: Answer[] = [];
    let loading = true;
    const worker = async (k: number) => {
      for (let i = k; loading; i++) {
        const path = paths[i % paths.length]!;
        const sentAt = performance.now();
        try {
          const res = await fetch(s.nginxUrl + path);
          await res.arrayBuffer();
          answers.push({ path, sentAt, endedAt: performance.now(), status: res.status });
        } catch (error) {
          answers.push({ path, sentAt, endedAt: performance.now(), status: 0, error: String((error as Error).cause ?? error) });
        }
      }
    };
    const workers = Array.from({ length: 6 }, (_, k) => worker(k));
    await sleep(1_500);
    const killAt = performance.now();
    await a.stop('SIGKILL');
    const killedAt = performance.now();
    // A change while A is down: A must find it by itself when it starts.
    const center = await addCenter(b);
    await sleep(1_000);
    const restartAt = performance.now();
    await a.start();
    const readyAt = performance.now();
    await sleep(1_500);
    loading = false;
    await Promise.all(workers);

    const inFlight = (x: Answer) => x.sentAt <= killedAt && x.endedAt >= killAt;
    const failed = answers.filter((x) => x.status === 0 || x.status >= 500);
    const report = {
      requests: answers.length,
      failed: failed.length,
      failedInFlight: failed.filter(inFlight).length,
      inFlightAtKill: answers.filter(inFlight).length,
      whileADown: answers.filter((x) => x.sentAt > killedAt && x.sentAt < readyAt).length,
      restartMs: Math.round(readyAt - restartAt),
      statuses: Object.fromEntries([...new Set(answers.map((x) => x.status))].map((st) => [st, answers.filter((x) => x.status === st).length])),
    };
    console.log('instance A killed under load through nginx:', JSON.stringify(report));
    expect(failed.filter((x) => !inFlight(x))).toEqual([]);
    expect(report.whileADown).toBeGreaterThan(20);
    // nginx sent requests to A again once it was back.
    const log = s.accessLog().split('\n');
    expect(log.some((line) => line.includes(`upstream=127.0.0.1:${a.port}`))).toBe(true);

    // A serves what changed while it was down, read from the database at start.
    const direct = await readAll(a.url, center.name, center.lon, center.lat);
    const current = (await (await fetch(`${b.url}/health`)).json()) as { data: { version: string } };
    expect(direct.shows(current.data.version)).toBe(true);
    // And it follows the change stream again: a change through B reaches A's event stream and A's reads.
    const events = followEvents(a.url);
    await events.opened;
    const announced = events.next((e) => e.type === 'features' && !!e.layers?.includes('centers'));
    const later = await addCenter(b);
    const change = await announced;
    events.close();
    expect((await readAll(a.url, later.name, later.lon, later.lat)).shows(change.version)).toBe(true);
  });
});
