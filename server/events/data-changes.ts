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

/**
 * Polls data_state so that a change by another process (npm run ingest
 * against the same PostGIS server, another instance) reaches this one as a
 * `replaced` change even when its announcement (change-notifications.ts) was
 * missed. Changes this process publishes reach `noteVersion`, so the watcher
 * does not publish them twice.
 */
export function watchDataVersion(db: Database, changes: DataChanges, initialVersion: string, intervalMs = 2000) {
  let known = initialVersion;
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const state = await readDataState(db);
      if (state.version !== known) {
        known = state.version;
        await changes.publish({ type: 'replaced', version: state.version });
      }
    } catch {
      // The database may be restarting; /health reports it. Try again next tick.
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return {
    noteVersion(version: string) {
      known = version;
    },
    /** True for the version this process last saw. */
    isCurrent(version: string) {
      return version === known;
    },
    stop() {
      clearInterval(timer);
    },
  };
}
