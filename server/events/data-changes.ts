/**
 * The data-change bus, so caches and derived state (tile cache, routing graph,
 * coverage) follow the data exactly (kernel/data-change.ts says what a change
 * is). One instance per app, created in app.ts and passed to the features that
 * publish or listen; no module-level bus. Also the data-version poller, the
 * safety net for announcements missed between processes.
 */
import type { Database } from '../../kernel/db/database.ts';
import { readDataState } from '../../kernel/db/data-state.ts';
import type { DataChange } from '../../kernel/data-change.ts';

export type DataChangeListener = (change: DataChange) => void | Promise<void>;

export interface DataChanges {
  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: DataChangeListener): () => void;
  /** Tells every listener, in subscription order, and waits for them. */
  publish(change: DataChange): Promise<void>;
  /**
   * Marks a change of this process about to commit; call the returned
   * function after its publish (or its failure). Meanwhile `settled()`
   * waits: the change is visible to other instances from its commit (their
   * LISTEN), and a client that heard of it from one of them must not get
   * what it replaced from this one, which has not published it yet.
   */
  hold(): () => void;
  /** undefined when no change is between its commit and its publish; else resolves when none is. */
  settled(): Promise<void> | undefined;
}

export function createDataChanges(): DataChanges {
  const listeners = new Set<DataChangeListener>();
  let held = 0;
  let quiet: { promise: Promise<void>; resolve(): void } | undefined;
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async publish(change) {
      for (const listener of [...listeners]) await listener(change);
    },
    hold() {
      held++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (--held > 0 || !quiet) return;
        quiet.resolve();
        quiet = undefined;
      };
    },
    settled() {
      if (held === 0) return undefined;
      if (!quiet) {
        let resolve!: () => void;
        const promise = new Promise<void>((r) => (resolve = r));
        quiet = { promise, resolve };
      }
      return quiet.promise;
    },
  };
}

/** Longest wait between two polls while the database does not answer (ms): the backoff's cap. */
const POLL_BACKOFF_MAX_MS = 10_000;

/**
 * Polls data_state so that a change by another process (npm run ingest
 * against the same PostGIS server, another instance) reaches this one as a
 * `replaced` change even when its announcement (change-notifications.ts) was
 * missed. Changes this process publishes reach `noteVersion`, so the watcher
 * does not publish them twice. While the database does not answer, the
 * polls back off (doubling up to 10 s) and resume their pace at the first
 * answer: a restart costs a few refused connects, not a stream of them.
 */
export function watchDataVersion(db: Database, changes: DataChanges, initialVersion: string, intervalMs = 2000) {
  let known = initialVersion;
  let stopped = false;
  let delay = intervalMs;
  let timer: NodeJS.Timeout | undefined;

  const poll = async () => {
    let version: string;
    try {
      version = (await readDataState(db)).version;
    } catch {
      // The database may be restarting (/health reports it): wait longer, then try again.
      delay = Math.min(delay * 2, Math.max(intervalMs, POLL_BACKOFF_MAX_MS));
      return;
    }
    delay = intervalMs;
    if (version === known) return;
    known = version;
    // A listener that fails reports its own error; the poller keeps going.
    await changes.publish({ type: 'replaced', version }).catch(() => {});
  };
  const schedule = () => {
    if (stopped) return;
    // One poll at a time: the next is timed from the end of the last.
    timer = setTimeout(() => void poll().finally(schedule), delay);
    timer.unref();
  };
  schedule();
  return {
    noteVersion(version: string) {
      known = version;
    },
    /** True for the version this process last saw. */
    isCurrent(version: string) {
      return version === known;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
