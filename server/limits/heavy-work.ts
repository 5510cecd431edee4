/**
 * A cap on CPU-heavy work done on the request thread (an isochrone of many
 * origins, say): at most `concurrent` jobs run, at most `queued` wait, and
 * every job starts on a fresh turn of the event loop, so the cheap requests
 * that arrived meanwhile (tiles, a nearest center) are answered between two
 * heavy ones instead of after all of them. Beyond the queue a job is refused
 * at once (503 busy with Retry-After) rather than left to wait for minutes.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

export class HeavyWorkFull extends Error {
  constructor(readonly retryAfterS: number) {
    super('too much heavy work is queued');
  }
}

export class HeavyWork {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrent: number,
    private readonly queued: number,
  ) {}

  /** Jobs running and waiting, for /health. */
  stats(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /** Runs `job` when a slot is free; throws HeavyWorkFull when the queue is full. */
  async run<T>(job: () => Promise<T> | T): Promise<T> {
    if (this.running >= this.concurrent) {
      if (this.waiting.length >= this.queued) throw new HeavyWorkFull(1 + this.waiting.length);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      await nextTurn();
      return await job();
    } finally {
      const next = this.waiting.shift();
      // The slot passes to the next waiter as it is (running stays counted).
      if (next) next();
      else this.running--;
    }
  }
}
