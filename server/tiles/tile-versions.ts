/**
 * Which data version the tile cache has caught up with, for versioned tile
 * URLs: TileJSON names it in its tile URLs (`?v=`), and a tile asked for at
 * that version is final (a shared cache may keep it for good). The version
 * moves only after the cache has dropped what a change touched, and only
 * forward: a late coverage write-back announcing an older version leaves it.
 * A request for a newer version than this instance has heard of yet (its
 * LISTEN is a few milliseconds behind another instance's) waits for it.
 */

/** A data version as kernel/db/data-state.ts makes it: revision, dash, 8 hex digits. */
const DATA_VERSION = /^(\d{1,15})-[0-9a-f]{8}$/;

/** The revision of a data version; undefined for anything else (a client's own cache-buster). */
export function revisionOf(version: string | undefined): number | undefined {
  const match = version === undefined ? null : DATA_VERSION.exec(version);
  return match ? Number(match[1]) : undefined;
}

export class AppliedVersion {
  private version: string;
  private readonly waiters = new Set<{ revision: number; resolve(): void }>();

  constructor(initial: string) {
    this.version = initial;
  }

  get current(): string {
    return this.version;
  }

  /** Notes a change the cache has applied; an older version than the current is ignored. */
  apply(version: string): void {
    const next = revisionOf(version);
    const now = revisionOf(this.version);
    if (next !== undefined && now !== undefined && next < now) return;
    this.version = version;
    for (const waiter of this.waiters) {
      if (next === undefined || next >= waiter.revision) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  /**
   * Resolves once the current version is `version` or newer, or after
   * `timeoutMs` (the poller's interval: a lost notification is caught up
   * by then). At once for what is not a data version or is not newer.
   */
  reach(version: string, timeoutMs: number): Promise<void> {
    const wanted = revisionOf(version);
    const now = revisionOf(this.version);
    if (wanted === undefined || now === undefined || wanted <= now) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        revision: wanted,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve();
      }, timeoutMs);
      timer.unref();
      this.waiters.add(waiter);
    });
  }
}
