/**
 * The server under load, as it runs in production: server/main.ts in a child
 * process (node --import tsx, with load-probe.ts preloaded for memory
 * figures), on an ephemeral port, on a database the caller prepared. Started,
 * waited on until /health says the graph and coverage are ready, asked for
 * its memory, and stopped with SIGTERM (its graceful shutdown).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PROBE = fileURLToPath(new URL('./load-probe.ts', import.meta.url));

export interface MemoryFigures {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  /** C++ objects bound to JS, including arrayBuffers (tiles in the cache are Buffers). */
  external: number;
  arrayBuffers: number;
  /** WebAssembly memories (PGlite's PostgreSQL), bytes: grown, never given back. */
  wasm: number;
}

export interface LoadServer {
  host: string;
  port: number;
  pid: number;
  /** Memory after a full collection. */
  memory(): Promise<MemoryFigures>;
  stop(): Promise<void>;
  /** The server's last log lines (for a failure message). */
  log(): string;
}

export interface LoadServerOptions {
  /** PostGIS server database; undefined for embedded PGlite in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Give up when not ready within this (ms). */
  readyTimeoutMs?: number;
}

/** Starts server/main.ts and resolves when it listens and its graph and coverage are ready. */
export async function startLoadServer(options: LoadServerOptions): Promise<LoadServer> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: options.dataDir,
    DEMO_ON_EMPTY: 'never',
    LOG_LEVEL: 'info',
    // As `npm start` runs it (package.json): glibc's malloc otherwise gives each thread that allocates (libuv's
    // pool compressing tiles) an arena of its own that keeps what it freed; measured, RSS grew 7 to 12% under
    // the load with the default and 1% with two arenas, V8's heap and PGlite's memory flat in both.
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
  };
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  else delete env.DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', '--import', PROBE, 'server/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const lines: string[] = [];
  let exited: string | undefined;
  child.on('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  const port = await new Promise<number>((resolve, reject) => {
    let pending = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (lines.length > 50) lines.shift();
        const listening = /"message":"listening".*"url":"http:\/\/[^:]+:(\d+)"/.exec(line);
        if (listening) resolve(Number(listening[1]));
      }
    });
    child.on('exit', () => reject(new Error(`the server ${exited} before listening:\n${lines.join('\n')}`)));
  });
  const host = '127.0.0.1';
  const deadline = Date.now() + (options.readyTimeoutMs ?? 300_000);
  for (;;) {
    const health = await fetch(`http://${host}:${port}/health`).then((r) => r.json() as Promise<{ graph?: { ready: boolean }; coverage?: { ready: boolean } }>, () => undefined);
    if (health?.graph?.ready && health.coverage?.ready) break;
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server was not ready (${exited ?? 'timed out'}):\n${lines.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    host,
    port,
    pid: child.pid!,
    memory() {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the server did not report its memory')), 10_000);
        child.once('message', (m: { memory?: MemoryFigures }) => {
          clearTimeout(timer);
          if (m.memory) resolve(m.memory);
        });
        child.send('memory');
      });
    },
    async stop() {
      if (exited) return;
      const done = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await done;
      clearTimeout(force);
    },
    log: () => lines.join('\n'),
  };
}
