/**
 * Read replicas (DATABASE_READ_URL): streaming standbys of the primary that
 * serve the heavy reads (tiles, graph loads, coverage loads) through
 * `reader`, a Database that picks, for every statement or transaction, a
 * replica the fence allows (replica-fence.ts) or the primary. Writes,
 * migrations, LISTEN and everything else stay on the primary.
 *
 * `catchUp()` raises the fence to where the primary's WAL ends now: app.ts
 * calls it first thing for every change the instance learns of, and once at
 * start, so nothing read afterwards is older than what the instance knows.
 * A replica read that cannot reach its server, or that a standby cancels
 * for a conflict with recovery, is run again on the primary.
 */
import type { Database, Queryable } from '../../kernel/db/database.ts';
import type { Logger } from '../logger.ts';
import { databaseFailure, describeDatabaseError } from './database-unavailable.ts';
import { openPgDatabase } from './pg-database.ts';
import { createReplicaFence, type FenceStats } from './replica-fence.ts';
import { formatLsn, readPrimaryPosition, readReplayState, readWalGeometry } from './wal-position.ts';

export interface ReadReplicaOptions {
  /** Longest wait after a change for a replica to replay it (ms); then the primary (config: REPLICA_MAX_LAG_MS). */
  maxLagMs: number;
  /** Pooled connections per replica. */
  poolSize: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  logger?: Logger;
}

/** /health's view of the replicas (a type, not an interface: /health takes it as a plain record). */
export type ReplicaHealth = {
  max_lag_ms: number;
  /** The newest change this instance knows of, as a primary WAL position; null when unknown (reads on the primary). */
  fence_lsn: string | null;
  primary_lsn: string | null;
  reads: { replica: number; primary: number; waited: number; fell_back: number };
  servers: {
    name: string;
    ok: boolean;
    error: string | null;
    replay_lsn: string | null;
    /** Bytes of WAL the primary has that the replica has not replayed. */
    lag_bytes: number | null;
    paused: boolean;
    /** Replayed everything this instance knows of. */
    caught_up: boolean;
    /** How long it has been behind that (ms). */
    behind_ms: number;
  }[];
};

export interface ReadReplicas {
  /** Reads on a replica that has what this instance knows of, else on the primary. */
  readonly reader: Database;
  /** Raises the fence to the primary's WAL end now; never throws (an unknown position sends reads to the primary). */
  catchUp(): Promise<void>;
  health(): Promise<ReplicaHealth>;
  /** Closes the replicas' pools (the primary is the caller's). */
  close(): Promise<void>;
}

/** host:port/database of a URL: what logs and /health show (no user, no password). */
export function replicaName(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
}

/** SQLSTATE of a standby cancelling a query that conflicts with replay; the primary has no such conflict. */
const RECOVERY_CONFLICT = '40001';
const retryOnPrimary = (error: unknown) =>
  databaseFailure(error) === 'unreachable' || ((error as { code?: unknown })?.code === RECOVERY_CONFLICT && /recovery/i.test(String((error as Error).message)));

export async function openReadReplicas(primary: Database, urls: readonly string[], options: ReadReplicaOptions): Promise<ReadReplicas> {
  const geometry = await readWalGeometry(primary);
  const replicas = urls.map((url) =>
    openPgDatabase({
      connectionString: url,
      poolSize: options.poolSize,
      statementTimeoutMs: options.statementTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs,
      // A replica that is down at start is skipped until it answers.
      checkOnOpen: false,
    }),
  );
  const dbs = await Promise.all(replicas);
  const fence = createReplicaFence(
    dbs.map((db, i) => ({ name: replicaName(urls[i]!), replayState: () => readReplayState(db) })),
    { maxLagMs: options.maxLagMs },
  );

  /** Runs `read` where the fence says; on the primary again if the replica failed it. */
  async function on<T>(read: (db: Queryable & Pick<Database, 'transaction'>) => Promise<T>): Promise<T> {
    const index = await fence.choose();
    if (index < 0) return read(primary);
    try {
      return await read(dbs[index]!);
    } catch (error) {
      if (!retryOnPrimary(error)) throw error;
      if (databaseFailure(error)) fence.unreachable(index, error);
      options.logger?.warn('replica read failed; read again on the primary', { replica: replicaName(urls[index]!), error: describeDatabaseError(error) });
      return read(primary);
    }
  }

  const reader: Database = {
    kind: primary.kind,
    hasMvt: primary.hasMvt,
    query: (sql, params) => on((db) => db.query(sql, params)),
    exec: (sql) => on((db) => db.exec(sql)),
    copyBinary() {
      return Promise.reject(new Error('the read replicas take no writes: copy into the primary'));
    },
    transaction: (fn) => on((db) => db.transaction(fn)),
    // The primary and the replicas are closed by their owners.
    async close() {},
  };

  async function catchUp(): Promise<void> {
    try {
      fence.raise(await readPrimaryPosition(primary, geometry));
    } catch (error) {
      fence.unknown();
      options.logger?.warn('primary WAL position unknown; reads go to the primary', { error: describeDatabaseError(error) });
    }
  }

  function report(stats: FenceStats, primaryLsn: bigint | null): ReplicaHealth {
    return {
      max_lag_ms: options.maxLagMs,
      fence_lsn: stats.fence === null ? null : formatLsn(stats.fence),
      primary_lsn: primaryLsn === null ? null : formatLsn(primaryLsn),
      reads: { replica: stats.reads.replica, primary: stats.reads.primary, waited: stats.reads.waited, fell_back: stats.reads.fellBack },
      servers: stats.replicas.map((r) => ({
        name: r.name,
        ok: r.reachable,
        error: r.error,
        replay_lsn: r.replayed === null ? null : formatLsn(r.replayed),
        lag_bytes: primaryLsn === null || !r.reachable ? null : r.replayed === null ? 0 : Math.max(0, Number(primaryLsn - r.replayed)),
        paused: r.paused,
        caught_up: r.caughtUp,
        behind_ms: r.behindMs,
      })),
    };
  }

  return {
    reader,
    catchUp,
    async health() {
      const primaryLsn = await readPrimaryPosition(primary, geometry).catch(() => null);
      return report(await fence.refresh(), primaryLsn);
    },
    async close() {
      await Promise.all(dbs.map((db) => db.close()));
    },
  };
}
