/**
 * The scale-out deployment of docs/scale-out.md on loopback ports, for the
 * scale-out test and `npm run bench -- scale`: a private PostgreSQL primary
 * and a streaming replica made with pg_basebackup (private-postgres.ts; the
 * cluster on 5432 is never touched), server instances (server/main.ts as
 * child processes) writing to the primary and reading from the replica,
 * and nginx with its cache in front (a non-daemon child, its prefix in a
 * temporary folder).
 *
 * nginx runs deploy/nginx/ as it is: the folder is copied and only its two
 * site files are rewritten, upstream.conf with the instances' ports (the
 * `server` lines of the deploy file, their parameters kept) and listen.conf
 * with nginx's own port. Without nginx or the PostgreSQL binaries
 * `describeScaleOut` skips with the reason; with CI set it fails instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import type { Database } from '../kernel/db/database.ts';
import { openDatabase } from '../server/db/open-database.ts';
import { testToken } from './auth-fixture.ts';
import { freePort, startPrivatePostgres, startStreamingReplica, streamingReplicaUnavailable, type PrivatePostgres, type StreamingReplica } from './private-postgres.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NGINX = process.env.NGINX_BIN || '/usr/sbin/nginx';
const DEPLOY_NGINX = path.join(ROOT, 'deploy/nginx');

/** Why the scale-out deployment cannot run here, or undefined when it can. */
export function scaleOutUnavailable(): string | undefined {
  return streamingReplicaUnavailable() ?? (existsSync(NGINX) ? undefined : `no nginx at ${NGINX} (apt-get install nginx, or set NGINX_BIN)`);
}

/** describe() that runs where the deployment can, skips with the reason elsewhere, and fails with CI set. */
export function describeScaleOut(name: string, body: () => void): void {
  const reason = scaleOutUnavailable();
  if (!reason) {
    describe(name, body);
  } else if (process.env.CI) {
    describe(name, () => {
      it('can run nginx and a PostgreSQL primary with a streaming replica', () => {
        throw new Error(`${reason}: CI must run the scale-out test as root with nginx and PostgreSQL 15 with PostGIS (.ci/run installs them)`);
      });
    });
  } else {
    console.warn(`scale-out test skipped: ${reason}`);
    describe.skip(`${name} (skipped: ${reason})`, body);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every child this module started, killed on exit whatever happens to the test. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function track(child: ChildProcess, output: string[]): ChildProcess {
  children.add(child);
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 400) output.splice(0, output.length - 400);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('exit', () => children.delete(child));
  return child;
}

async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** One server instance: server/main.ts in a child process on its own port. */
export interface Instance {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  /** Starts it (again); resolves once /health says the graph and coverage are ready. */
  start(): Promise<void>;
  /** Sends a signal and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  running(): boolean;
  /** What it printed lately. */
  output(): string;
}

export interface ScaleOutOptions {
  /** How many instances (default 2). */
  instances?: number;
  /** Stores the city in the primary's empty, migrated database. */
  city(db: Database): Promise<void>;
  /** Extra environment of every instance (REPLICA_MAX_LAG_MS, ...). */
  env?: Record<string, string>;
  /** Longest wait for an instance to be ready (ms). */
  readyTimeoutMs?: number;
}

export interface ScaleOut {
  primary: PrivatePostgres;
  replica: StreamingReplica;
  /** The city database on the primary and on the replica. */
  primaryUrl: string;
  replicaUrl: string;
  instances: Instance[];
  /** nginx, e.g. http://127.0.0.1:41234 */
  nginxUrl: string;
  /** A planner token in the city database. */
  token: string;
  /** nginx's access log so far (the living_circle format: cache=, upstream=). */
  accessLog(): string;
  /** Rewrites upstream.conf with these instances only and reloads nginx (SIGHUP); resolves once the new workers answer. */
  useInstances(which: readonly Instance[]): Promise<void>;
  dispose(): Promise<void>;
}

/** The deploy upstream file with its `server host:port` lines pointing at `ports`, in order. */
export function upstreamFor(deployed: string, ports: readonly number[]): string {
  const lines = deployed.split('\n');
  const servers = lines.map((line, i) => (/^\s*server\s+\S+/.test(line) ? i : -1)).filter((i) => i >= 0);
  if (servers.length === 0) throw new Error('deploy/nginx/living-circle/upstream.conf has no server line');
  const template = lines[servers[0]!]!;
  const made = ports.map((port) => template.replace(/server\s+\S+/, `server 127.0.0.1:${port}`));
  return [...lines.slice(0, servers[0]), ...made, ...lines.filter((_, i) => i > servers[0]! && !servers.includes(i))].join('\n');
}

/** Starts the whole deployment; on failure, stops what it started. */
export async function startScaleOut(options: ScaleOutOptions): Promise<ScaleOut> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lc-scale-out-'));
  const started: { primary?: PrivatePostgres; replica?: StreamingReplica; nginx?: ChildProcess; instances: Instance[] } = { instances: [] };
  const nginxOutput: string[] = [];

  const dispose = async () => {
    await Promise.all(started.instances.map((i) => i.stop('SIGKILL')));
    await stopChild(started.nginx, 'SIGTERM');
    await started.replica?.dispose();
    await started.primary?.dispose();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const primary = (started.primary = await startPrivatePostgres());
    const primaryUrl = await primary.createDatabase('living_scale');
    const db = await openDatabase({ databaseUrl: primaryUrl, dataDir: undefined, poolSize: 2 });
    let token: string;
    try {
      await options.city(db);
      token = await testToken(db);
    } finally {
      await db.close();
    }
    const replica = (started.replica = await startStreamingReplica(primary));
    const replicaUrl = replica.url('living_scale');

    const count = options.instances ?? 2;
    for (let i = 0; i < count; i++) {
      const instance = makeInstance(String.fromCharCode(65 + i), await freePort(), {
        ...options.env,
        DATABASE_URL: primaryUrl,
        DATABASE_READ_URL: replicaUrl,
        DATA_DIR: path.join(dir, `instance-${i}`),
      }, options.readyTimeoutMs ?? 90_000);
      started.instances.push(instance);
    }
    await Promise.all(started.instances.map((i) => i.start()));

    // nginx: the deploy folder as it is, with the two site files that say where things are.
    const prefix = path.join(dir, 'nginx');
    mkdirSync(prefix);
    // Its workers run as the configured user: they must reach the prefix (the cache and temp folders are theirs).
    chmodSync(dir, 0o755);
    chmodSync(prefix, 0o755);
    cpSync(DEPLOY_NGINX, path.join(prefix, 'conf'), { recursive: true });
    const nginxPort = await freePort();
    const site = path.join(prefix, 'conf/living-circle');
    const deployedUpstream = readFileSync(path.join(DEPLOY_NGINX, 'living-circle/upstream.conf'), 'utf8');
    const writeUpstream = (which: readonly Instance[]) => writeFileSync(path.join(site, 'upstream.conf'), upstreamFor(deployedUpstream, which.map((i) => i.port)));
    writeUpstream(started.instances);
    writeFileSync(path.join(site, 'listen.conf'), readFileSync(path.join(DEPLOY_NGINX, 'living-circle/listen.conf'), 'utf8').replace(/^listen\s+[^;]+;/m, `listen 127.0.0.1:${nginxPort};`));
    const nginx = (started.nginx = track(spawn(NGINX, ['-p', `${prefix}/`, '-c', 'conf/nginx.conf', '-e', 'stderr', '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] }), nginxOutput));
    const nginxUrl = `http://127.0.0.1:${nginxPort}`;
    await waitUntil('nginx to answer', 15_000, async () => {
      if (nginx.exitCode !== null) throw new Error(`nginx exited (${nginx.exitCode}): ${nginxOutput.join('')}`);
      return (await fetch(`${nginxUrl}/health`).then((r) => r.ok).catch(() => false)) || undefined;
    });

    return {
      primary,
      replica,
      primaryUrl,
      replicaUrl,
      instances: started.instances,
      nginxUrl,
      token,
      accessLog: () => (existsSync(path.join(prefix, 'access.log')) ? readFileSync(path.join(prefix, 'access.log'), 'utf8') : ''),
      async useInstances(which) {
        writeUpstream(which);
        nginx.kill('SIGHUP');
        // The old workers finish their requests; new ones take the new upstreams within a moment.
        await sleep(500);
      },
      dispose,
    };
  } catch (error) {
    const logs = started.instances.map((i) => `--- instance ${i.name}:\n${i.output()}`).join('\n');
    await dispose();
    throw new Error(`${(error as Error).message}\n${logs}\n--- nginx:\n${nginxOutput.join('')}`);
  }
}

function makeInstance(name: string, port: number, env: Record<string, string>, readyTimeoutMs: number): Instance {
  const url = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  let child: ChildProcess | undefined;
  return {
    name,
    port,
    url,
    async start() {
      output.length = 0;
      mkdirSync(env.DATA_DIR!, { recursive: true });
      const proc = (child = track(
        spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
          cwd: ROOT,
          env: {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            MALLOC_ARENA_MAX: '2',
            HOST: '127.0.0.1',
            PORT: String(port),
            DEMO_ON_EMPTY: 'never',
            WARM_TILES: 'off',
            LOG_LEVEL: 'warn',
            PG_POOL_SIZE: '4',
            ...env,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
        output,
      ));
      await waitUntil(`instance ${name} to be ready`, readyTimeoutMs, async () => {
        if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`instance ${name} exited (${proc.exitCode ?? proc.signalCode}):\n${output.join('')}`);
        const health = await fetch(`${url}/health`)
          .then((r) => r.json() as Promise<{ graph?: { ready: boolean }; coverage?: { ready: boolean } }>)
          .catch(() => undefined);
        return health?.graph?.ready && health.coverage?.ready ? true : undefined;
      });
    },
    stop: (signal = 'SIGTERM') => stopChild(child, signal),
    running: () => !!child && child.exitCode === null && child.signalCode === null,
    output: () => output.join(''),
  };
}

/** Polls `check` every 50 ms until it gives a value; throws with `what` after `timeoutMs`. */
export async function waitUntil<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}
