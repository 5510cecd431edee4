/**
 * First view benchmark: `npm start` on the embedded default (the demo city),
 * then Debian's chromium opens the client and we time how long until the map
 * is complete (MapLibre idle with every tile loaded), with the tile warmer
 * off (the reference, same run, same data folder) and on (WARM_TILES, the
 * embedded default), for the main page (/) and the embeddable map (/embed).
 * Each view is a new server (its caches empty, as after a restart) measured
 * once it is settled (graph, coverage and warming done, the tile cache no
 * longer growing), as a visitor who arrives a little after the start would
 * find it, and a new browser (a fresh profile: nothing cached). The machine
 * may be shared, so the median of the runs is the figure to read
 * (FIRST_VIEW_RUNS, default 5). Needs /usr/bin/chromium (CHROMIUM_PATH).
 *
 * Two lines say where the time goes on this machine: the same browser
 * opening MapLibre alone with a background-only style (what any map pays
 * here), and one traced view of the main page: how long its main thread
 * waited for WebGL commands and how long the GPU process ran them. Without
 * a GPU, chromium runs WebGL in software (SwiftShader), which a visitor's
 * machine with a GPU does not.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { formatMs, summarize } from './stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const RUNS = Math.max(1, Number(process.env.FIRST_VIEW_RUNS) || 5);
/** The pages timed with the warmer on; the reference (warmer off) is the main page. */
const PAGES = ['/', '/embed'] as const;
const VIEWPORT = { width: 1440, height: 900 };

/** A port no one listens on now (the machine may run other benches). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let PORT = 0;

async function health(): Promise<any | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${PORT}/health`);
    return res.ok ? await res.json() : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the server and waits until it is ready and its tile cache has stopped changing for 2 s. */
async function startSettled(dataDir: string, warmTiles: 'on' | 'off'): Promise<ChildProcess> {
  PORT = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: String(PORT), LOG_LEVEL: 'warn', WARM_TILES: warmTiles },
    stdio: 'ignore',
  });
  let last = '';
  let stableSince = 0;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const h = await health();
    if (h?.graph?.ready && h?.coverage?.ready) {
      const now = JSON.stringify([h.tiles.cache.entries, h.tiles.cache.misses]);
      if (now !== last) {
        last = now;
        stableSince = performance.now();
      } else if (performance.now() - stableSince > 2000) {
        return child;
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
}

/** Opens a page of the client in a fresh browser and returns ms until its map is complete, and the slowest tile. */
async function firstView(pathname: string): Promise<{ ms: number; slowestTileMs: number; tiles: number }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    const started = new Map<string, number>();
    const tileMs: number[] = [];
    page.on('request', (r) => {
      if (r.url().includes('.mvt')) started.set(r.url(), performance.now());
    });
    page.on('requestfinished', (r) => {
      const t = started.get(r.url());
      if (t !== undefined) tileMs.push(performance.now() - t);
    });
    const t0 = performance.now();
    await page.goto(`http://127.0.0.1:${PORT}${pathname}`);
    await untilMapComplete(page);
    return { ms: performance.now() - t0, slowestTileMs: Math.max(0, ...tileMs), tiles: tileMs.length };
  } finally {
    await browser.close();
  }
}

/** Waits until the page's map (window.__map) is loaded with every tile. */
async function untilMapComplete(page: import('playwright-core').Page): Promise<void> {
  // A function, not a string: Playwright evaluates a string predicate with eval(), which the page's CSP
  // forbids; an anonymous arrow gets no tsx helper (__name) that the page would lack.
  await page.waitForFunction(() => (window as { __map?: unknown }).__map !== undefined, undefined, { timeout: 60_000 });
  // A string, not a function: the page must not see tsx's helpers (page.evaluate is not subject to the CSP).
  await page.evaluate(`new Promise((resolve) => {
    const map = window.__map;
    const check = () => (map.loaded() && map.areTilesLoaded() ? resolve() : map.once('idle', check));
    check();
  })`);
}

/** ms until a page with MapLibre alone (from our server) and a background-only style is complete, in a fresh browser. */
async function bareMapView(): Promise<number> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    const vendor = `http://127.0.0.1:${PORT}/vendor`;
    const t0 = performance.now();
    await page.setContent(`<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="${vendor}/maplibre-gl.css"><script src="${vendor}/maplibre-gl.js"></script>
      <style>html, body, #map { margin: 0; height: 100%; }</style></head><body><div id="map"></div><script>
      window.__map = new maplibregl.Map({ container: 'map', center: [119.0, 25.4], zoom: 10,
        style: { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f2efe9' } }] } });
      </script></body></html>`);
    await untilMapComplete(page);
    return performance.now() - t0;
  } finally {
    await browser.close();
  }
}

/** One view of `pathname` under Chrome's tracer: the page's wait for WebGL and the GPU process's work, in ms. */
async function tracedView(pathname: string): Promise<{ ms: number; waitedForGpuMs: number; gpuBusyMs: number; renderer: string }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await browser.startTracing(page, { categories: ['gpu', 'devtools.timeline'] });
    const t0 = performance.now();
    await page.goto(`http://127.0.0.1:${PORT}${pathname}`);
    await untilMapComplete(page);
    const ms = performance.now() - t0;
    const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: { ph: string; name: string; pid: number; tid: number; dur?: number; args?: { name?: string } }[] };
    const renderer = String(await page.evaluate(`(() => { const gl = window.__map.painter.context.gl; const info = gl.getExtension('WEBGL_debug_renderer_info'); return info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER); })()`));
    const threadName = new Map<string, string>();
    for (const e of trace.traceEvents) if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
    let waitedForGpuMs = 0;
    let gpuBusyMs = 0;
    for (const e of trace.traceEvents) {
      if (e.ph !== 'X' || !e.dur) continue;
      const thread = threadName.get(`${e.pid}:${e.tid}`);
      if (thread === 'CrRendererMain' && e.name === 'CommandBufferProxyImpl::WaitForGetOffset') waitedForGpuMs += e.dur / 1000;
      if (thread === 'CrGpuMain' && e.name === 'CommandBufferService:PutChanged') gpuBusyMs += e.dur / 1000;
    }
    return { ms, waitedForGpuMs, gpuBusyMs, renderer };
  } finally {
    await browser.close();
  }
}

async function measure(dataDir: string, warmTiles: 'on' | 'off', page: string): Promise<{ ms: number[]; slowest: number[]; tiles: number }> {
  const ms: number[] = [];
  const slowest: number[] = [];
  let tiles = 0;
  for (let i = 0; i < RUNS; i++) {
    // A new server each time: its tile cache starts empty, as after a restart.
    const server = await startSettled(dataDir, warmTiles);
    try {
      const view = await firstView(page);
      ms.push(view.ms);
      slowest.push(view.slowestTileMs);
      tiles = view.tiles;
    } finally {
      await stop(server);
    }
  }
  return { ms, slowest, tiles };
}

export async function runFirstViewBench(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`skipped: no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
    return;
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lc-bench-view-'));
  try {
    // The first start builds the demo city; not measured.
    await stop(await startSettled(dataDir, 'off'));
    const cold = await measure(dataDir, 'off', '/');
    const warm = new Map<string, Awaited<ReturnType<typeof measure>>>();
    for (const page of PAGES) warm.set(page, await measure(dataDir, 'on', page));
    const c = summarize(cold.ms);
    const line = (label: string, r: Awaited<ReturnType<typeof measure>>) => {
      const s = summarize(r.ms);
      console.log(`${label.padEnd(40)} median ${formatMs(s.p50).padStart(8)}  min ${formatMs(s.min).padStart(8)}  max ${formatMs(s.max).padStart(8)}  slowest tile ${formatMs(Math.max(...r.slowest))}  (${r.tiles} tiles)`);
    };
    console.log(`Client first view of the demo city on the embedded default, ${VIEWPORT.width}x${VIEWPORT.height}, until the map is complete, ${RUNS} runs each:`);
    line(`${'/'.padEnd(7)} tiles made on request (WARM_TILES=off)`, cold);
    for (const [page, result] of warm) line(`${page.padEnd(7)} tiles made ahead (WARM_TILES=auto)`, result);
    for (const [page, result] of warm) console.log(`ratio ${page} made ahead / main page on request: ${(summarize(result.ms).p50 / c.p50).toFixed(2)} (medians)`);
    // Where the time goes here: a server as the warm runs had it, then MapLibre alone and one traced view.
    const server = await startSettled(dataDir, 'on');
    try {
      const bare: number[] = [];
      for (let i = 0; i < RUNS; i++) bare.push(await bareMapView());
      console.log(`${'MapLibre alone, background-only style'.padEnd(40)} median ${formatMs(summarize(bare).p50).padStart(8)}  (what any map costs in this browser here)`);
      const traced = await tracedView('/');
      console.log(
        `${'/ traced once (tiles made ahead)'.padEnd(40)} ${formatMs(traced.ms)}: the page waited ${formatMs(traced.waitedForGpuMs)} for WebGL commands, ` +
          `which the GPU process ran for ${formatMs(traced.gpuBusyMs)} (WebGL renderer: ${traced.renderer})`,
      );
    } finally {
      await stop(server);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
