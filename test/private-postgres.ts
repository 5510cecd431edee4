/**
 * A PostgreSQL cluster of the test's own, for fault tests that stop, start
 * and kill the database: the shared cluster on 5432 serves every other test
 * and must never be touched. initdb into a temporary folder owned by the
 * postgres user, started on a free loopback port with its socket in that
 * folder; each database made in it gets PostGIS. Needs root (to run the
 * server as postgres) and the PostgreSQL 15 binaries with PostGIS; without
 * them `describeWithPrivatePostgres` skips with the reason, and with CI set
 * it fails instead, so a CI machine cannot pass by skipping.
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
 */
const SERVER_SETTINGS = ['-c fsync=off', '-c full_page_writes=off', '-c synchronous_commit=off', '-c shared_buffers=32MB', '-c max_connections=40', "-c listen_addresses='127.0.0.1'"];

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
async function freePort(): Promise<number> {
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

/** initdb and start a private cluster; throws with pg_ctl's log when it does not start. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const user = postgresUser()!;
  const dir = mkdtempSync(path.join(tmpdir(), 'lc-faults-pg-'));
  chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  const port = await freePort();
  const asPostgres = (tool: string, args: string[]) => run('runuser', ['-u', 'postgres', '--', path.join(BIN_DIR, tool), ...args], { timeout: 60_000 });
  const options = [`-p ${port}`, `-k ${dir}`, ...SERVER_SETTINGS].join(' ');
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

  try {
    await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--locale=C.UTF-8']);
    await start();
  } catch (error) {
    await dispose();
    throw error;
  }
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
