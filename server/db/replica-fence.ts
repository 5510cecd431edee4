/**
 * The lag rule for read replicas: an instance never reads older data than
 * the newest change it knows of. Whenever it learns of a change (its own
 * write, an announcement relayed from another process, the version poller)
 * the fence rises to the primary's WAL position at that moment, which is at
 * or after the change's commit. A read goes to a replica that has replayed
 * up to the fence; while none has, it waits, asking the replicas again every
 * few milliseconds, for at most `maxLagMs` after the fence rose; then it
 * reads from the primary, and so do later reads, through later changes too,
 * until a replica has replayed what it was behind on (asked again every
 * `recheckMs` meanwhile); from then the lag limit counts afresh. A replica
 * that cannot be reached is skipped until it answers again.
 *
 * Pure bookkeeping over injected probes, so the rule is tested without a
 * standby (replica-fence.test.ts); read-replicas.ts gives it real ones.
 */
import type { ReplayState } from './wal-position.ts';

export interface ReplicaProbe {
  /** For logs and /health: host, port and database, never credentials. */
  readonly name: string;
  /** The replica's replay state now; throws when it cannot be reached. */
  replayState(): Promise<ReplayState>;
}

export interface ReplicaFenceOptions {
  /** Longest wait after a change for a replica to replay it (ms); then the primary. */
  maxLagMs: number;
  /** How often a behind replica is asked again while reads wait (ms). */
  pollMs?: number;
  /** How often, while reads go to the primary, a behind or unreachable replica is asked again (ms). */
  recheckMs?: number;
  now?: () => number;
}

/** What a replica was last seen to be. */
export interface ReplicaSeen {
  name: string;
  reachable: boolean;
  error: string | null;
  /** Replay position; null for a server that is not a standby (always current). */
  replayed: bigint | null;
  paused: boolean;
  /** Has it replayed everything this instance knows of? */
  caughtUp: boolean;
  /** How long it has been behind the fence (ms); 0 when caught up. */
  behindMs: number;
}

export interface FenceStats {
  /** The newest change known, as a primary WAL position; null when unknown (reads go to the primary). */
  fence: bigint | null;
  reads: { replica: number; primary: number; waited: number; fellBack: number };
  replicas: ReplicaSeen[];
}

export interface ReplicaFence {
  /** Every change known so far is at or before `lsn` on the primary. */
  raise(lsn: bigint): void;
  /** The position of a known change could not be read: the primary serves reads until the next raise. */
  unknown(): void;
  /** Where to read: a replica's index, or -1 for the primary. Waits at most until the lag limit. */
  choose(): Promise<number>;
  /** A read could not reach replica `index`: skip it until a probe reaches it again. */
  unreachable(index: number, error: unknown): void;
  /** Asks every replica now (for /health), then reports. */
  refresh(): Promise<FenceStats>;
  stats(): FenceStats;
}

interface Replica {
  probe: ReplicaProbe;
  reachable: boolean;
  error: string | null;
  replayed: bigint | null;
  paused: boolean;
  /** When it was last asked (ms, options.now's clock). */
  askedAt: number;
}

interface Waiter {
  resolve(index: number): void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
const message = (error: unknown) => (error instanceof Error && error.message ? error.message : String(error));

export function createReplicaFence(probes: readonly ReplicaProbe[], options: ReplicaFenceOptions): ReplicaFence {
  const now = options.now ?? (() => performance.now());
  const pollMs = options.pollMs ?? 5;
  const recheckMs = options.recheckMs ?? 250;
  const replicas: Replica[] = probes.map((probe) => ({ probe, reachable: true, error: null, replayed: 0n, paused: false, askedAt: -Infinity }));
  let fence: bigint | null = 0n;
  /** When the fence last rose: the lag limit counts from here. */
  let raisedAt = now();
  /** The fence the replicas were behind when reads went to the primary; null while they keep up. */
  let fellBackAt: bigint | null = null;
  let next = 0;
  const waiters: Waiter[] = [];
  let polling = false;
  let asking: Promise<void> | undefined;
  const reads = { replica: 0, primary: 0, waited: 0, fellBack: 0 };

  const caughtUp = (r: Replica) => fence !== null && r.reachable && (r.replayed === null || r.replayed >= fence);

  /** A caught-up replica, taking turns; -1 when none is. */
  function pick(): number {
    for (let k = 0; k < replicas.length; k++) {
      const i = (next + k) % replicas.length;
      if (caughtUp(replicas[i]!)) {
        next = (i + 1) % replicas.length;
        return i;
      }
    }
    return -1;
  }

  async function askOne(r: Replica): Promise<void> {
    r.askedAt = now();
    try {
      const state = await r.probe.replayState();
      r.replayed = state.replayed;
      r.paused = state.paused;
      r.reachable = true;
      r.error = null;
    } catch (error) {
      r.reachable = false;
      r.error = message(error);
    }
    // It replayed what reads fell back on: it moves again, and gets the lag limit for what came since.
    if (fellBackAt !== null && r.reachable && (r.replayed === null || r.replayed >= fellBackAt)) {
      fellBackAt = null;
      raisedAt = now();
    }
  }

  /** Reads go to the primary from here until a replica replays the fence as it is now. */
  function fallBack(): number {
    fellBackAt ??= fence;
    reads.fellBack++;
    return -1;
  }

  /** Asks every replica once; concurrent callers share the round. */
  function askAll(): Promise<void> {
    asking ??= Promise.all(replicas.map(askOne)).then(() => {
      asking = undefined;
    });
    return asking;
  }

  const overdue = () => now() >= raisedAt + options.maxLagMs;

  /** While reads wait: ask, hand caught-up replicas out, send the rest to the primary at the limit. */
  async function poll(): Promise<void> {
    if (polling) return;
    polling = true;
    try {
      while (waiters.length > 0) {
        // A replica that does not answer (a connect hanging) must not hold reads past the limit.
        await Promise.race([askAll(), sleep(raisedAt + options.maxLagMs - now())]);
        for (let w = waiters.shift(); w; w = waiters.shift()) {
          const index = pick();
          if (index < 0 && !overdue() && fence !== null) {
            waiters.unshift(w);
            break;
          }
          w.resolve(index < 0 && fence !== null ? fallBack() : index);
        }
        if (waiters.length > 0) await sleep(Math.max(1, Math.min(pollMs, raisedAt + options.maxLagMs - now())));
      }
    } finally {
      polling = false;
    }
  }

  function count(index: number): number {
    if (index < 0) reads.primary++;
    else reads.replica++;
    return index;
  }

  function seen(r: Replica): ReplicaSeen {
    const ok = caughtUp(r);
    return {
      name: r.probe.name,
      reachable: r.reachable,
      error: r.error,
      replayed: r.replayed,
      paused: r.paused,
      caughtUp: ok,
      behindMs: ok ? 0 : Math.max(0, Math.round(now() - raisedAt)),
    };
  }

  const stats = (): FenceStats => ({ fence, reads: { ...reads }, replicas: replicas.map(seen) });

  return {
    raise(lsn) {
      if (fence !== null && lsn <= fence) return;
      fence = lsn;
      // Already reading from the primary: a later change does not buy the replicas more time.
      if (fellBackAt === null) raisedAt = now();
    },
    unknown() {
      fence = null;
      raisedAt = now();
    },
    async choose() {
      if (fence === null || replicas.length === 0) return count(-1);
      const ready = pick();
      if (ready >= 0) return count(ready);
      if (overdue()) {
        // Behind past the limit: the primary, and a look now and then whether a replica caught up.
        if (replicas.some((r) => now() - r.askedAt >= recheckMs)) void askAll();
        return count(fallBack());
      }
      reads.waited++;
      const index = await new Promise<number>((resolve) => {
        waiters.push({ resolve });
        void poll();
      });
      return count(index);
    },
    unreachable(index, error) {
      const r = replicas[index];
      if (!r) return;
      r.reachable = false;
      r.error = message(error);
      r.askedAt = now();
    },
    async refresh() {
      await askAll();
      return stats();
    },
    stats,
  };
}
