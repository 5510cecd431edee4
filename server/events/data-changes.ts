/**
 * Data-change events, so caches and derived state (tile cache, routing graph,
 * coverage) follow the data exactly. One instance per app, created in app.ts
 * and passed to the features that publish or listen; no module-level bus.
 *
 * A change says what it touched as precisely as it can: `replaced` (an import:
 * everything), or a set of places per layer (a center added, moved or removed;
 * household coverage that changed), so listeners drop only what is affected.
 */
import type { Database } from '../db/database.ts';
import { readDataState } from '../db/data-state.ts';

/** [minLon, minLat, maxLon, maxLat] */
export type BBox = [number, number, number, number];

export type DataChange =
  | { type: 'replaced'; version: string }
  | {
      type: 'features';
      version: string;
      /** Tile layer ids whose features changed (e.g. 'centers', 'households', 'grids'). */
      layers: string[];
      /** Where they changed: old and new extents of every changed feature. */
      boxes: BBox[];
    };

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
