/**
 * Relays changes other processes announce (kernel/change-announcements.ts)
 * to this instance's DataChanges bus: a center moved through one instance
 * drops exactly the affected tiles in all of them, and an import by
 * `npm run ingest` reloads every instance at once instead of at its next poll.
 */
import type { Database } from '../../kernel/db/database.ts';
import { CHANGES_CHANNEL, decodeAnnouncement } from '../../kernel/change-announcements.ts';
import type { DataChanges } from './data-changes.ts';

export interface ChangeRelay {
  stop(): Promise<void>;
}

/**
 * Publishes on `changes` what other processes announce on this database.
 * `isCurrent(version)` tells a version this instance already has (from its
 * own change or the poller): such an announcement is not published twice.
 * A no-op where the backend cannot listen (the embedded database).
 */
export async function relayAnnouncedChanges(
  db: Database,
  changes: DataChanges,
  origin: string,
  isCurrent: (version: string) => boolean,
): Promise<ChangeRelay> {
  if (!db.listen) return { async stop() {} };
  // One at a time, in arrival order, like the changes themselves.
  let queue = Promise.resolve();
  const unlisten = await db.listen(CHANGES_CHANNEL, (payload) => {
    const announcement = decodeAnnouncement(payload);
    if (!announcement || announcement.origin === origin) return;
    queue = queue.then(async () => {
      if (isCurrent(announcement.change.version)) return;
      await changes.publish(announcement.change);
    }).catch(() => {
      // A listener failed; it reports its own errors. Keep relaying.
    });
  });
  return {
    async stop() {
      await unlisten();
      await queue;
    },
  };
}
