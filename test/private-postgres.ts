/**
 * A PostgreSQL cluster of the test's own, for fault tests that stop, start
 * and kill the database: the shared cluster on 5432 serves every other test
 * and must never be touched. initdb into a temporary folder owned by the
 * postgres user, started on a free loopback port with its socket in that
 * folder; each database made in it gets PostGIS. Needs root (to run the
 * server as postgres) and the PostgreSQL 15 binaries with PostGIS; without
 * them `describeWithPrivatePostgres` skips with the reason, and with CI set
 * it fails instead, so a CI machine cannot pass by skipping.
 * `startStreamingReplica` makes a hot standby of such a cluster with
 * pg_basebackup, as operators do (the scale-out test's read replica).
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, it } from 'vitest';

const run = promisify(execFile);

/** Where initdb and pg_ctl are (Debian's postgresql-15). */
const BIN_DIR = process.env.PG_BIN_DIR || '/usr/lib/postgresql/15/bin';
const POSTGIS_CONTROL = process.env.PG_POSTGIS_CONTROL || '/usr/share/postgresql/15/extension/postgis.control';
/**
 * Server settings: light on memory, no fsync (the data is thrown away), and
 * enough connections for an app's pool, its LISTEN client and a test's own.
 * synchronous_commit stays on, as operators run it: a commit's WAL is
 * written (and streamed to a replica) at once, not at the WAL writer's next
 * round, which would add up to 200 ms to every change's way to a replica.
 */
const SERVER_SETTINGS = ['-c fsync=off', '-c full_page_writes=off', '-c shared_buffers=32MB', '-c max_connections=40', "-c listen_addresses='127.0.0.1'"];

/** The postgres user's uid and gid, from /etc/passwd; undefined when there is none. */
function postgresUser(): { uid: number; gid: number } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Why a private cluster cannot be made here, or undefined when it can. */
export function privatePostgresUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'fault tests need root (to run a private PostgreSQL as the postgres user)';
  for (const tool of ['initdb', 'pg_ctl']) {
    if (!existsSync(path.join(BIN_DIR, tool))) return `no ${tool} in ${BIN_DIR} (apt-get install postgresql-15, or set PG_BIN_DIR)`;
  }
  if (!existsSync(POSTGIS_CONTROL)) return `no PostGIS at ${POSTGIS_CONTROL} (apt-get install postgresql-15-postgis-3)`;
  if (!existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser')) return 'no runuser (util-linux)';
  if (!postgresUser()) return 'no postgres user';
  return undefined;
}

/**
 * describe() for tests that need a private cluster: runs when one can be
 * made, skips with the reason in its name otherwise, and with CI set
 * replaces the suite with one failing test.
 */
export function describeWithPrivatePostgres(name: string, body: () => void): void {
  const reason = privatePostgresUnavailable();
  if (!reason) {
    describe(name, body);
  } else if (process.env.CI) {
    describe(name, () => {
      it('can run a private PostgreSQL', () => {
        throw new Error(`${reason}: CI must run the fault tests as root on a machine with PostgreSQL 15 and PostGIS (.ci/run installs them)`);
      });
    });
  } else {
    console.warn(`PostgreSQL fault tests skipped: ${reason}`);
    describe.skip(`${name} (skipped: ${reason})`, body);
  }
}

/** A loopback port nobody listens on now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface PrivatePostgres {
  port: number;
  /** A connection URL for database `name` on this cluster. */
  url(name: string): string;
  /** Creates database `name` with PostGIS; returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** pg_ctl stop: 'fast' ends sessions cleanly (57P01), 'immediate' drops them like a crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** pg_ctl start, waiting until it accepts connections. */
  start(): Promise<void>;
  running(): boolean;
  /** Stops the cluster and removes its folder. */
  dispose(): Promise<void>;
}

/** Runs a PostgreSQL tool as the postgres user. */
const asPostgres = (tool: string, args: string[]) => run('runuser', ['-u', 'postgres', '--', path.join(BIN_DIR, tool), ...args], { timeout: 60_000 });

/** A temporary folder owned by the postgres user, for a cluster's data, socket and log. */
function clusterFolder(prefix: string): string {
  const user = postgresUser()!;
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  chownSync(dir, user.uid, user.gid);
  return dir;
}

/** initdb and start a private cluster; throws with pg_ctl's log when it does not start. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = clusterFolder('lc-faults-pg-');
  const data = path.join(dir, 'data');
  const control = await clusterControl(dir, await freePort());
  try {
    await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--locale=C.UTF-8']);
    await control.start();
  } catch (error) {
    await control.dispose();
    throw error;
  }
  return control;
}

/** Why a streaming replica cannot be made here (beyond privatePostgresUnavailable), or undefined. */
export function streamingReplicaUnavailable(): string | undefined {
  return privatePostgresUnavailable() ?? (existsSync(path.join(BIN_DIR, 'pg_basebackup')) ? undefined : `no pg_basebackup in ${BIN_DIR} (apt-get install postgresql-15)`);
}

/** A private cluster that is a streaming standby of another. */
export interface StreamingReplica extends PrivatePostgres {
  /** pg_wal_replay_pause(): the standby keeps receiving WAL but applies none of it; resolves once paused. */
  pauseReplay(): Promise<void>;
  /** pg_wal_replay_resume(). */
  resumeReplay(): Promise<void>;
  /** Resolves once the standby has replayed everything the primary has written so far. */
  caughtUp(timeoutMs?: number): Promise<void>;
}

/**
 * A hot standby of `primary`, made as operators make one: pg_basebackup
 * with -R (standby.signal and primary_conninfo) and WAL streamed during the
 * copy, then started on a port of its own. Resolves once it accepts
 * read-only connections.
 */
export async function startStreamingReplica(primary: PrivatePostgres): Promise<StreamingReplica> {
  const dir = clusterFolder('lc-replica-pg-');
  const data = path.join(dir, 'data');
  const control = await clusterControl(dir, await freePort(), ['-c hot_standby=on', '-c hot_standby_feedback=on']);
  try {
    await asPostgres('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', data, '-R', '-X', 'stream', '-c', 'fast', '--no-sync']);
    await control.start();
  } catch (error) {
    await control.dispose();
    throw error;
  }
  const onReplica = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client({ connectionString: control.url('postgres') });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  };
  const [standby] = await onReplica<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
  if (!standby?.standby) throw new Error('the pg_basebackup copy did not start as a standby');
  return {
    ...control,
    async pauseReplay() {
      await onReplica('SELECT pg_wal_replay_pause()');
      for (let i = 0; i < 200; i++) {
        const [row] = await onReplica<{ state: string }>('SELECT pg_get_wal_replay_pause_state() AS state');
        if (row?.state === 'paused') return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error('replay did not pause within 5 s');
    },
    async resumeReplay() {
      await onReplica('SELECT pg_wal_replay_resume()');
    },
    async caughtUp(timeoutMs = 15_000) {
      const admin = new pg.Client({ connectionString: primary.url('postgres') });
      await admin.connect();
      let target: string;
      try {
        target = (await admin.query<{ lsn: string }>('SELECT pg_current_wal_flush_lsn()::text AS lsn')).rows[0]!.lsn;
      } finally {
        await admin.end();
      }
      const end = performance.now() + timeoutMs;
      while (performance.now() < end) {
        const [row] = await onReplica<{ behind: boolean }>('SELECT pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn()) > 0 AS behind', [target]);
        if (row && !row.behind) return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`the standby did not replay up to ${target} within ${timeoutMs} ms`);
    },
  };
}

/** Start, stop and the rest for a cluster whose data folder is `<dir>/data`. */
async function clusterControl(dir: string, port: number, extraSettings: string[] = []): Promise<PrivatePostgres> {
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  const options = [`-p ${port}`, `-k ${dir}`, ...SERVER_SETTINGS, ...extraSettings].join(' ');
  let up = false;

  const start = async () => {
    try {
      await asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', log, '-w', '-t', '60', 'start']);
    } catch (error) {
      const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-20).join('\n') : '(no log)';
      throw new Error(`private PostgreSQL did not start: ${(error as Error).message}\n${tail}`);
    }
    up = true;
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    await asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
    up = false;
  };
  const dispose = async () => {
    if (up) await stop('immediate').catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };

  const url = (name: string) => `postgres://postgres@127.0.0.1:${port}/${name}`;
  return {
    port,
    url,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      const admin = new pg.Client({ connectionString: url('postgres') });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      // The migrations create PostGIS too; made here so the database is ready for any client.
      const client = new pg.Client({ connectionString: url(name) });
      await client.connect();
      try {
        await client.query('CREATE EXTENSION IF NOT EXISTS postgis');
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop,
    start,
    running: () => up,
    dispose,
  };
}
