import { describe, expect, it } from 'vitest';
import { createReplicaFence, type ReplicaProbe } from './replica-fence.ts';

/** A replica whose replay position the test moves; `hang` makes it never answer, `down` refuse. */
interface FakeReplica {
  replayed: bigint | null;
  paused: boolean;
  down: boolean;
  hang: boolean;
  asked: number;
  probe: ReplicaProbe;
}

function fakeReplica(name: string, replayed: bigint | null = 0n): FakeReplica {
  const replica: FakeReplica = {
    replayed,
    paused: false,
    down: false,
    hang: false,
    asked: 0,
    probe: {
      name,
      async replayState() {
        replica.asked++;
        if (replica.hang) return new Promise<never>(() => {});
        if (replica.down) throw new Error('connect ECONNREFUSED');
        return { replayed: replica.replayed, paused: replica.paused };
      },
    } satisfies ReplicaProbe,
  };
  return replica;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the replica fence', () => {
  it('reads from a replica that has replayed the newest known change, without asking it again', async () => {
    const r = fakeReplica('r1', 500n);
    const fence = createReplicaFence([r.probe], { maxLagMs: 1000 });
    fence.raise(100n);
    // The first read asks it (nothing was known of it yet); later ones do not.
    expect(await fence.choose()).toBe(0);
    r.asked = 0;
    for (let i = 0; i < 5; i++) expect(await fence.choose()).toBe(0);
    expect(r.asked).toBe(0);
    expect(fence.stats().reads).toMatchObject({ replica: 6, primary: 0, waited: 1, fellBack: 0 });
  });

  it('waits after a change until the replica replays it', async () => {
    const r = fakeReplica('r1', 100n);
    const fence = createReplicaFence([r.probe], { maxLagMs: 2000, pollMs: 2 });
    expect(await fence.choose()).toBe(0);
    fence.raise(300n);
    const started = performance.now();
    setTimeout(() => (r.replayed = 300n), 40);
    expect(await fence.choose()).toBe(0);
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(35);
    expect(waited).toBeLessThan(1000);
    expect(fence.stats().reads.waited).toBe(1);
  });

  it('goes to the primary at the lag limit, stays there without waiting, and returns once the replica caught up', async () => {
    const r = fakeReplica('r1', 100n);
    const fence = createReplicaFence([r.probe], { maxLagMs: 60, pollMs: 2, recheckMs: 20 });
    expect(await fence.choose()).toBe(0);
    r.paused = true;
    fence.raise(200n);
    const started = performance.now();
    expect(await fence.choose()).toBe(-1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    const seen = fence.stats().replicas[0]!;
    expect(seen).toMatchObject({ caughtUp: false, paused: true, replayed: 100n });
    expect(seen.behindMs).toBeGreaterThanOrEqual(55);
    // Past the limit: straight to the primary.
    const next = performance.now();
    expect(await fence.choose()).toBe(-1);
    expect(performance.now() - next).toBeLessThan(20);
    r.paused = false;
    r.replayed = 250n;
    await sleep(30);
    await fence.choose(); // starts the recheck
    await sleep(10);
    expect(await fence.choose()).toBe(0);
    expect(fence.stats().reads.fellBack).toBeGreaterThanOrEqual(2);
  });

  it('keeps reading from the primary through later changes while the replica is behind, and gives it the limit afresh once it moves', async () => {
    const r = fakeReplica('r1', 100n);
    const fence = createReplicaFence([r.probe], { maxLagMs: 50, pollMs: 2, recheckMs: 10 });
    fence.raise(200n);
    expect(await fence.choose()).toBe(-1); // waited the limit: paused at 100
    fence.raise(300n); // a coverage write-back, say, while still behind
    const t0 = performance.now();
    expect(await fence.choose()).toBe(-1);
    expect(performance.now() - t0).toBeLessThan(20);
    expect(fence.stats().replicas[0]!.behindMs).toBeGreaterThanOrEqual(45);
    // Replay resumes: it passes what reads fell back on (200) but not yet 300; reads wait for it again, up to the limit.
    r.replayed = 250n;
    await sleep(15);
    await fence.choose();
    await sleep(5);
    setTimeout(() => (r.replayed = 300n), 20);
    const t1 = performance.now();
    expect(await fence.choose()).toBe(0);
    expect(performance.now() - t1).toBeLessThan(45);
  });

  it('never waits with a limit of 0', async () => {
    const r = fakeReplica('r1', 0n);
    const fence = createReplicaFence([r.probe], { maxLagMs: 0 });
    fence.raise(10n);
    expect(await fence.choose()).toBe(-1);
  });

  it('takes turns among the replicas that caught up, and skips one behind', async () => {
    const a = fakeReplica('a', 1000n);
    const b = fakeReplica('b', 1000n);
    const fence = createReplicaFence([a.probe, b.probe], { maxLagMs: 1000, pollMs: 2 });
    fence.raise(500n);
    const picks = [];
    for (let i = 0; i < 4; i++) picks.push(await fence.choose());
    expect(picks).toEqual([0, 1, 0, 1]);
    b.replayed = 1500n;
    fence.raise(1200n);
    setTimeout(() => (a.replayed = 900n), 0);
    // a is behind now: only b serves until a catches up.
    expect([await fence.choose(), await fence.choose()]).toEqual([1, 1]);
  });

  it('skips a replica that cannot be reached, and uses it again once it answers', async () => {
    const r = fakeReplica('r1', 100n);
    const fence = createReplicaFence([r.probe], { maxLagMs: 30, pollMs: 2, recheckMs: 10 });
    fence.raise(50n);
    expect(await fence.choose()).toBe(0);
    r.down = true;
    fence.unreachable(0, new Error('connect ECONNREFUSED 127.0.0.1:5433'));
    expect(fence.stats().replicas[0]).toMatchObject({ reachable: false, error: 'connect ECONNREFUSED 127.0.0.1:5433', caughtUp: false });
    expect(await fence.choose()).toBe(-1);
    r.down = false;
    await sleep(15);
    await fence.choose();
    await sleep(5);
    expect(await fence.choose()).toBe(0);
  });

  it('does not hold a read past the limit when a replica never answers', async () => {
    const r = fakeReplica('r1', 0n);
    r.hang = true;
    const fence = createReplicaFence([r.probe], { maxLagMs: 40, pollMs: 2 });
    fence.raise(10n);
    const started = performance.now();
    expect(await fence.choose()).toBe(-1);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('reads from the primary while the newest change has no known position', async () => {
    const r = fakeReplica('r1', 100n);
    const fence = createReplicaFence([r.probe], { maxLagMs: 1000 });
    fence.unknown();
    expect(await fence.choose()).toBe(-1);
    expect(fence.stats().fence).toBeNull();
    fence.raise(90n);
    expect(await fence.choose()).toBe(0);
  });

  it('counts a server that is not a standby as current', async () => {
    const r = fakeReplica('primary-as-replica', null);
    const fence = createReplicaFence([r.probe], { maxLagMs: 1000 });
    fence.raise(1n << 40n);
    expect(await fence.choose()).toBe(0);
    expect(fence.stats().replicas[0]).toMatchObject({ caughtUp: true, behindMs: 0 });
  });
});
