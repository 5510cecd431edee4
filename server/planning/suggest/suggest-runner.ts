/**
 * Runs site suggestions off the request thread, in a worker_threads Worker,
 * so tiles and isochrones keep answering while one runs (a suggestion is
 * seconds of CPU; HiGHS up to its time limit).
 *
 * A SuggestRunner owns one worker, started on first use and kept (starting
 * one costs about half a second: the worker loads TypeScript through tsx,
 * registered by suggest-worker-boot.mjs, the same under `npm start` and
 * under vitest). Requests run
 * one at a time in arrival order; `pending` tells how many wait. The network
 * (graph, edge index, linked units, counts) is sent once per graph, by
 * identity of its arrays (a center edit keeps them; an import replaces
 * them); each request then sends only its centers, current times and
 * options. The worker is unref'd while idle, so it never keeps the process
 * alive.
 *
 * A request whose signal aborts is dropped from the queue, or, when it is
 * running, its worker is stopped (a fresh one starts for the next request).
 * A worker that outlives a request's time limit by `graceMs` is stopped the
 * same way, and the request fails. The owner (the app) creates the runner
 * and closes it on shutdown; `runSuggestion` is the one-shot form.
 */
import { Worker } from 'node:worker_threads';
import { resolveSuggestOptions } from './suggest-options.ts';
import type { SuggestInput } from './suggest-sites.ts';
import type { SuggestResult } from './suggest-result.ts';
import { fromWire, type SuggestReplyMessage, type SuggestRequestMessage } from './worker-protocol.ts';

export interface SuggestRunnerOptions {
  /** How long a request may run beyond its time limit before its worker is stopped, ms (default 120,000). */
  graceMs?: number;
}

export interface RunOptions {
  signal?: AbortSignal;
}

interface Job {
  id: number;
  input: SuggestInput;
  timeLimitS: number;
  signal?: AbortSignal;
  resolve(result: SuggestResult): void;
  reject(error: unknown): void;
  onAbort?: () => void;
  timer?: ReturnType<typeof setTimeout>;
}

export class SuggestRunner {
  private worker: Worker | null = null;
  /** The arrays of the network the worker holds (compared by identity). */
  private sent: readonly unknown[] | null = null;
  private networkId = 0;
  private nextId = 1;
  private readonly queue: Job[] = [];
  private running: Job | null = null;
  private closed = false;
  private readonly graceMs: number;

  constructor(options: SuggestRunnerOptions = {}) {
    this.graceMs = options.graceMs ?? 120_000;
  }

  /** Requests waiting, plus the one running. */
  get pending(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  /**
   * Runs `input` in the worker. The options are checked here first (an
   * InvalidOption rejects at once); the engine's own errors arrive as their
   * domain classes (worker-protocol.ts).
   */
  run(input: SuggestInput, options: RunOptions = {}): Promise<SuggestResult> {
    if (this.closed) return Promise.reject(new Error('the suggestion runner is closed'));
    let timeLimitS: number;
    try {
      timeLimitS = resolveSuggestOptions(input.options).timeLimitS;
    } catch (error) {
      return Promise.reject(error);
    }
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<SuggestResult>((resolve, reject) => {
      const job: Job = { id: this.nextId++, input, timeLimitS, signal, resolve, reject };
      if (signal) {
        job.onAbort = () => this.abort(job);
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.pump();
    });
  }

  /** Starts the worker now (it otherwise starts with the first request). */
  warm(): void {
    if (!this.closed) this.ensureWorker().unref();
  }

  /** Fails waiting and running requests and stops the worker. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new Error('the suggestion runner was closed');
    for (const job of this.queue.splice(0)) this.settle(job, error);
    if (this.running) this.settle(this.running, error);
    this.running = null;
    await this.stopWorker();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // The boot module registers tsx in the thread, then loads the TypeScript entry; no inherited loader flags.
    const worker = new Worker(new URL('./suggest-worker-boot.mjs', import.meta.url), {
      workerData: { entry: new URL('./suggest-worker.ts', import.meta.url).href },
      execArgv: [],
    });
    worker.on('message', (reply: SuggestReplyMessage) => this.onReply(reply));
    worker.on('error', (error) => this.onWorkerGone(worker, error));
    worker.on('exit', (code) => this.onWorkerGone(worker, new Error(`the site-suggestion worker stopped (exit code ${code})`)));
    this.worker = worker;
    this.sent = null;
    return worker;
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    this.running = job;
    const worker = this.ensureWorker();
    worker.ref();
    const { network, centers, currentSeconds, options } = job.input;
    const arrays = [network.graph, network.index, network.units, network.counts.households, network.counts.persons];
    const fresh = !this.sent || arrays.some((a, i) => a !== this.sent![i]);
    if (fresh) {
      this.networkId++;
      this.sent = arrays;
    }
    const message: SuggestRequestMessage = { id: job.id, networkId: this.networkId, network: fresh ? network : undefined, centers, currentSeconds, options };
    job.timer = setTimeout(() => this.expire(job), job.timeLimitS * 1000 + this.graceMs);
    job.timer.unref();
    worker.postMessage(message);
  }

  private onReply(reply: SuggestReplyMessage): void {
    const job = this.running;
    if (!job || job.id !== reply.id) return;
    this.running = null;
    if (reply.ok) this.settle(job, null, reply.result);
    else this.settle(job, fromWire(reply.error));
    this.worker?.unref();
    this.pump();
  }

  private settle(job: Job, error: unknown, result?: SuggestResult): void {
    if (job.timer) clearTimeout(job.timer);
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    if (error) job.reject(error);
    else job.resolve(result!);
  }

  private abort(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.settle(job, job.signal!.reason);
    } else if (this.running === job) {
      this.running = null;
      this.settle(job, job.signal!.reason);
      void this.stopWorker().then(() => this.pump());
    }
  }

  private expire(job: Job): void {
    if (this.running !== job) return;
    this.running = null;
    this.settle(job, new Error(`the site suggestion did not finish within its time limit (${job.timeLimitS} s) plus ${this.graceMs / 1000} s; its worker was stopped`));
    void this.stopWorker().then(() => this.pump());
  }

  /** The worker died (or was stopped): the running request fails, the next one gets a fresh worker. */
  private onWorkerGone(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.sent = null;
    const job = this.running;
    this.running = null;
    if (job) this.settle(job, error);
    if (!this.closed) this.pump();
  }

  private async stopWorker(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.sent = null;
    if (worker) await worker.terminate();
  }
}

/** One suggestion in a worker of its own, stopped afterwards (a server keeps a SuggestRunner instead). */
export async function runSuggestion(input: SuggestInput, options: RunOptions & SuggestRunnerOptions = {}): Promise<SuggestResult> {
  const runner = new SuggestRunner(options);
  try {
    return await runner.run(input, options);
  } finally {
    await runner.close();
  }
}
