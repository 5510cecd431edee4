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
}

export function createDataChanges(): DataChanges {
  const listeners = new Set<DataChangeListener>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async publish(change) {
      for (const listener of [...listeners]) await listener(change);
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
