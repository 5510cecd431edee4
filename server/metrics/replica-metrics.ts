/**
 * Read replicas (db/read-replicas.ts) as metrics, registered only when the
 * instance has some: per replica, whether it answers, its lag in WAL bytes
 * behind the primary, how long it has been behind what this instance knows
 * (the lag as reads see it), whether it has caught up and whether replay is
 * paused; and where reads went (replica or primary), how many waited for a
 * replica and how many fell back to the primary. The same report as
 * /health's `replicas`, read once per scrape. Replicas are named
 * host:port/database, never with credentials.
 */
import type { Registry } from 'prom-client';
import type { ReplicaHealth } from '../db/read-replicas.ts';
import { scrapedCounter, scrapedGauge, sharedRead } from './scraped-metrics.ts';

type Server = ReplicaHealth['servers'][number];

export function registerReplicaMetrics(registry: Registry, health: () => Promise<ReplicaHealth>): void {
  const read = sharedRead(health);
  const perReplica = (name: string, help: string, value: (s: Server) => number | null) =>
    scrapedGauge({
      registry,
      name,
      help,
      labelNames: ['replica'],
      read: async () =>
        (await read()).servers.flatMap((s) => {
          const v = value(s);
          return v === null ? [] : [{ labels: { replica: s.name }, value: v }];
        }),
    });
  perReplica('living_circle_replica_up', 'Whether the replica answered: 1 or 0.', (s) => (s.ok ? 1 : 0));
  perReplica('living_circle_replica_lag_bytes', "WAL the primary has written that the replica has not replayed (absent when either does not answer).", (s) => s.lag_bytes);
  perReplica(
    'living_circle_replica_behind_seconds',
    'How long the replica has been behind the newest change this instance knows of (0 when caught up); past REPLICA_MAX_LAG_MS reads go to the primary.',
    (s) => s.behind_ms / 1000,
  );
  perReplica('living_circle_replica_caught_up', 'Whether the replica has replayed every change this instance knows of (reads may go to it): 1 or 0.', (s) => (s.caught_up ? 1 : 0));
  perReplica('living_circle_replica_replay_paused', 'Whether replay is paused on the replica (pg_wal_replay_pause()): 1 or 0.', (s) => (s.paused ? 1 : 0));
  scrapedGauge({
    registry,
    name: 'living_circle_replica_max_lag_seconds',
    help: 'REPLICA_MAX_LAG_MS: how long a read waits after a change for a replica before it reads from the primary.',
    read: async () => [{ value: (await read()).max_lag_ms / 1000 }],
  });
  scrapedCounter({
    registry,
    name: 'living_circle_replica_reads_total',
    help: 'Reads meant for the replicas (tiles, graph and coverage loads), by where they ran: replica or primary.',
    labelNames: ['target'],
    read: async () => {
      const { reads } = await read();
      return [{ labels: { target: 'replica' }, value: reads.replica }, { labels: { target: 'primary' }, value: reads.primary }];
    },
  });
  scrapedCounter({ registry, name: 'living_circle_replica_reads_waited_total', help: 'Reads that waited for a replica to replay a change.', read: async () => [{ value: (await read()).reads.waited }] });
  scrapedCounter({
    registry,
    name: 'living_circle_replica_reads_fell_back_total',
    help: 'Reads that went to the primary because no replica had caught up within REPLICA_MAX_LAG_MS.',
    read: async () => [{ value: (await read()).reads.fell_back }],
  });
}
