/**
 * Renders xlsx exports off the request thread, in one worker_threads Worker
 * (xlsx-worker.ts): exceljs takes about a second to import and some 0.2 ms
 * a cell to render and zip, so the GB 50180 check of 2,408 grids (85,000
 * cells) would hold every tile and isochrone request behind it for seconds.
 * The worker starts with the first xlsx and is kept, unref'd while idle so
 * it never keeps the process alive; tables render one at a time, and at
 * most `queued` wait (HeavyWork: beyond that 503 busy with Retry-After).
 * A worker that dies fails its table and the next one gets a fresh worker.
 * The app owns the runner and closes it on shutdown.
 */
import { Worker } from 'node:worker_threads';
import { HeavyWork } from '../limits/heavy-work.ts';
import type { Table } from './table.ts';
import type { WorkbookInfo } from './xlsx-writer.ts';

/** Runner -> worker: one table to render. */
export interface XlsxRequest {
  id: number;
  table: Table;
  info: WorkbookInfo;
}

/** Worker -> runner: its bytes, or why it failed. */
export type XlsxReply = { id: number; bytes: Uint8Array; error?: undefined } | { id: number; error: string; bytes?: undefined };

/** Renders a table as xlsx bytes (the routes' view of the runner). */
export type XlsxRenderer = (table: Table, info: WorkbookInfo) => Promise<Uint8Array>;

export class XlsxRunner {
  private worker: Worker | null = null;
  private nextId = 1;
  private running: { id: number; resolve(bytes: Uint8Array): void; reject(error: Error): void } | null = null;
  private readonly queue: HeavyWork;
  private closed = false;

  /** `queued`: tables that may wait behind the one rendering (default 8). */
  constructor(queued = 8) {
    this.queue = new HeavyWork(1, queued);
  }

  /** The table as xlsx bytes; throws HeavyWorkFull when too many wait. */
  render: XlsxRenderer = (table, info) => this.queue.run(() => this.renderNow(table, info));

  private renderNow(table: Table, info: WorkbookInfo): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new Error('the xlsx runner was closed'));
    const worker = this.ensureWorker();
    worker.ref();
    const id = this.nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      this.running = { id, resolve, reject };
      worker.postMessage({ id, table, info } satisfies XlsxRequest);
    });
  }

  /** Stops the worker; a table rendering fails. */
  async close(): Promise<void> {
    this.closed = true;
    this.fail(new Error('the xlsx runner was closed'));
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // The suggestion worker's boot module registers tsx in the thread, then loads the TypeScript entry named in workerData.
    const worker = new Worker(new URL('../planning/suggest/suggest-worker-boot.mjs', import.meta.url), {
      workerData: { entry: new URL('./xlsx-worker.ts', import.meta.url).href },
      execArgv: [],
    });
    worker.on('message', (reply: XlsxReply) => this.onReply(reply));
    worker.on('error', (error) => this.onWorkerGone(worker, error));
    worker.on('exit', (code) => this.onWorkerGone(worker, new Error(`the xlsx worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private onReply(reply: XlsxReply): void {
    const job = this.running;
    if (!job || job.id !== reply.id) return;
    this.running = null;
    this.worker?.unref();
    if (reply.error !== undefined) job.reject(new Error(`the xlsx export failed: ${reply.error}`));
    else job.resolve(reply.bytes);
  }

  private fail(error: Error): void {
    const job = this.running;
    this.running = null;
    job?.reject(error);
  }

  private onWorkerGone(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.fail(error);
  }
}
