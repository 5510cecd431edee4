/**
 * WAL positions (LSNs) as numbers, and the two readings the replica fence
 * compares: where the primary's WAL ends now, and how far a standby has
 * replayed it. PostgreSQL prints an LSN as two hex halves, `16/B374D848`;
 * as a bigint the comparison is plain.
 */
import type { Queryable } from '../../kernel/db/database.ts';

/** `16/B374D848` as a bigint; throws on anything else. */
export function parseLsn(text: string): bigint {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text);
  if (!match) throw new Error(`not a WAL position: ${JSON.stringify(text)}`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** The bigint as PostgreSQL prints it. */
export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** WAL page headers: the first page of a segment has the long one. */
const SHORT_PAGE_HEADER = 24n;
const LONG_PAGE_HEADER = 40n;

/**
 * The primary's insert position as the end of the last record written.
 * pg_current_wal_insert_lsn() includes every record inserted so far, commit
 * records of asynchronous commits too (pg_current_wal_lsn(), the write
 * position, may not yet), but when the last record ended exactly at a page
 * boundary it points past the next page's header, where no record ends: a
 * standby that replayed everything reports the boundary and would look 24
 * (or 40) bytes behind until the next record. Moved back to the boundary in
 * that one case.
 */
export function insertPositionAsRecordEnd(lsn: bigint, blockSize: bigint, segmentSize: bigint): bigint {
  const inPage = lsn % blockSize;
  const segmentStart = lsn % segmentSize === inPage;
  if (inPage === (segmentStart ? LONG_PAGE_HEADER : SHORT_PAGE_HEADER)) return lsn - inPage;
  return lsn;
}

/** Page and segment sizes of a server, read once: they are fixed when the cluster is made. */
export interface WalGeometry {
  blockSize: bigint;
  segmentSize: bigint;
}

export async function readWalGeometry(db: Queryable): Promise<WalGeometry> {
  const [row] = await db.query<{ block: string; segment: string }>(
    `SELECT current_setting('wal_block_size') AS block,
            (SELECT setting FROM pg_settings WHERE name = 'wal_segment_size') AS segment`,
  );
  return { blockSize: BigInt(row!.block), segmentSize: BigInt(row!.segment) };
}

/** Where the primary's WAL ends now: every change committed so far is at or before it. */
export async function readPrimaryPosition(db: Queryable, geometry: WalGeometry): Promise<bigint> {
  const [row] = await db.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
  return insertPositionAsRecordEnd(parseLsn(row!.lsn), geometry.blockSize, geometry.segmentSize);
}

/** What a read replica has applied: its replay position, and whether replay is paused. */
export interface ReplayState {
  /** null: not a standby (a primary has everything it has). */
  replayed: bigint | null;
  paused: boolean;
}

export async function readReplayState(db: Queryable): Promise<ReplayState> {
  const [row] = await db.query<{ standby: boolean; lsn: string | null; paused: boolean | null }>(
    `SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS lsn,
            CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() END AS paused`,
  );
  if (!row!.standby) return { replayed: null, paused: false };
  // A standby that has not replayed anything yet reports NULL: it has nothing.
  return { replayed: row!.lsn ? parseLsn(row!.lsn) : 0n, paused: row!.paused === true };
}
