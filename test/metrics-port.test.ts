/**
 * METRICS=port:HOST:N through the real process (server/main.ts in a child,
 * on an empty database: the PostGIS server when DATABASE_URL is set, else
 * the embedded one in a temporary folder): the metrics port serves
 * /metrics, with the process's own metrics and the main port's requests,
 * and nothing else; the main port answers /metrics 404; SIGTERM still stops
 * the process cleanly with a scraper's connection open. A port that is
 * taken stops the metrics listener from starting, with the port named.
 */
import type { ErrorAnswer } from './answer-types.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerDatabase, serverUrl } from './backends.ts';
import { freePort } from './private-postgres.ts';
import { parsePrometheusText, sampleValue } from './prometheus-text.ts';
import { waitUntil } from './scale-out-cluster.ts';
import { startMetricsServer } from '../server/metrics/metrics-server.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('METRICS=port: in the server process', () => {
  let child: ChildProcess;
  const output: string[] = [];
  let main: string;
  let metrics: string;
  let dropDatabase: (() => Promise<void>) | undefined;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'lc-metrics-port-'));
    const env: Record<string, string> = { DATA_DIR: dataDir };
    if (serverUrl) {
      const made = await createServerDatabase(serverUrl);
      env.DATABASE_URL = made.url;
      dropDatabase = made.drop;
    } else {
      console.warn('metrics port test on the embedded database (slower start): set DATABASE_URL to use the PostGIS server');
    }
    const [port, metricsPort] = [await freePort(), await freePort()];
    main = `http://127.0.0.1:${port}`;
    metrics = `http://127.0.0.1:${metricsPort}`;
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', PORT: String(port), METRICS: `port:127.0.0.1:${metricsPort}`, DEMO_ON_EMPTY: 'never', WARM_TILES: 'off', LOG_LEVEL: 'info', PG_POOL_SIZE: '2', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    await waitUntil('the server to answer', 240_000, async () => {
      if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output.join('')}`);
      return (await fetch(`${main}/health`).then((r) => r.status === 200).catch(() => false)) || undefined;
    });
  }, 270_000);
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves /metrics on the metrics port only, with the process and the main port in it', async () => {
    expect(output.join('')).toMatch(/"message":"metrics listening","port":\d+/);
    const onMain = await fetch(`${main}/metrics`);
    expect(onMain.status).toBe(404);
    expect(((await onMain.json()) as ErrorAnswer).error.code).toBe('not_found');
    for (let i = 0; i < 3; i++) expect((await fetch(`${main}/health`)).status).toBe(200);

    const res = await fetch(`${metrics}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const families = parsePrometheusText(await res.text(), { declaredOnly: true });
    expect(sampleValue(families, 'living_circle_http_requests_total', { method: 'GET', route: '/health', status: '200' })).toBeGreaterThanOrEqual(4);
    expect(sampleValue(families, 'living_circle_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    // The process's own metrics, which main.ts asks for.
    expect(families.get('process_cpu_seconds_total')?.type).toBe('counter');
    expect(families.get('nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
    expect(sampleValue(families, 'process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
    expect(sampleValue(families, 'living_circle_database_up')).toBe(1);

    expect((await fetch(`${metrics}/health`)).status).toBe(404);
    expect((await fetch(`${metrics}/`)).status).toBe(404);
  });

  it('stops on SIGTERM with a scraper connection open', async () => {
    // fetch keeps its connection to the metrics port alive.
    expect((await fetch(`${metrics}/metrics`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    // main.ts forces exit 1 after 10 s when the servers do not close.
    expect(await exited).toBe(0);
  }, 15_000);
});

describe('the metrics listener', () => {
  it('refuses a port that is taken, naming it', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      await expect(startMetricsServer({ fetch: () => new Response('') }, { port, host: '127.0.0.1' })).rejects.toThrow(`metrics port 127.0.0.1:${port}: listen EADDRINUSE`);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
