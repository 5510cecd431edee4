/**
 * Data changes between processes, through PostgreSQL itself: a writer (an
 * import, a center edit) announces its change with NOTIFY inside its
 * transaction, so it is delivered only if the transaction commits. This is
 * the announcement's channel and wire format, shared by the writers and by
 * the server's relay (server/events/change-relay.ts), which publishes what
 * other processes announced on its own bus.
 *
 * Notifications are best effort (a listener that was disconnected misses
 * them): the server's data-version poller stays as the safety net.
 */
import type { Queryable } from './db/database.ts';
import type { BBox, DataChange } from './data-change.ts';

export const CHANGES_CHANNEL = 'living_circle_changes';
/** PostgreSQL refuses payloads of 8,000 bytes or more. */
const MAX_PAYLOAD = 7900;

interface Announcement {
  /** Which process made the change: an instance ignores its own. */
  origin: string;
  change: DataChange;
}

/** All boxes as one covering box: what a too-long payload falls back to. */
function union(boxes: readonly BBox[]): BBox {
  const u: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const b of boxes) {
    u[0] = Math.min(u[0], b[0]);
    u[1] = Math.min(u[1], b[1]);
    u[2] = Math.max(u[2], b[2]);
    u[3] = Math.max(u[3], b[3]);
  }
  return u;
}

export function encodeAnnouncement(origin: string, change: DataChange): string {
  const payload = JSON.stringify({ origin, change } satisfies Announcement);
  if (payload.length <= MAX_PAYLOAD || change.type !== 'features') return payload;
  // Many scattered boxes: listeners drop a little more than needed, never less.
  return JSON.stringify({ origin, change: { ...change, boxes: [union(change.boxes)] } } satisfies Announcement);
}

const isBox = (b: unknown): b is BBox => Array.isArray(b) && b.length === 4 && b.every((v) => typeof v === 'number' && Number.isFinite(v));

/** The announcement in a payload, or undefined for anything malformed (another app on the channel, say). */
export function decodeAnnouncement(payload: string): Announcement | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { origin, change } = parsed as { origin?: unknown; change?: Record<string, unknown> };
  if (typeof origin !== 'string' || typeof change !== 'object' || change === null || typeof change.version !== 'string') return undefined;
  if (change.type === 'replaced') return { origin, change: { type: 'replaced', version: change.version } };
  if (change.type !== 'features') return undefined;
  const { layers, boxes } = change;
  if (!Array.isArray(layers) || !layers.every((l) => typeof l === 'string')) return undefined;
  if (!Array.isArray(boxes) || !boxes.every(isBox)) return undefined;
  return { origin, change: { type: 'features', version: change.version, layers, boxes } };
}

/** Announces a change to the other processes; delivered when `tx` commits, dropped if it rolls back. */
export async function announceChange(tx: Queryable, origin: string, change: DataChange): Promise<void> {
  await tx.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, encodeAnnouncement(origin, change)]);
}
