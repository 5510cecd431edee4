/**
 * Metrics whose values live with their owner (the tile cache's counters,
 * the rate limiter's refusals, the replicas' lag) and are read when
 * Prometheus scrapes, instead of being pushed into prom-client as they
 * happen: the owners stay free of prom-client, and /health and /metrics
 * read the same numbers. A read runs first, then the values are replaced
 * in one synchronous step, so a concurrent scrape never sees half of them.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

/** One sample: its labels (none for a metric without labels) and its value. */
export interface Reading<L extends string> {
  labels?: Partial<Record<L, string>>;
  value: number;
}

export interface ScrapedMetric<L extends string> {
  registry: Registry;
  name: string;
  help: string;
  labelNames?: readonly L[];
  /** The current values; an empty list leaves the metric without samples (gauges; a counter without labels shows 0). */
  read(): readonly Reading<L>[] | Promise<readonly Reading<L>[]>;
}

/** A counter read from its owner's running total (which only ever rises while the app lives). */
export function scrapedCounter<L extends string>(spec: ScrapedMetric<L>): Counter<L> {
  return new Counter<L>({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labelNames ?? [],
    registers: [spec.registry],
    async collect() {
      const readings = await spec.read();
      this.reset();
      for (const r of readings) this.inc(r.labels ?? {}, r.value);
    },
  });
}

/** A gauge read from its owner's current value. */
export function scrapedGauge<L extends string>(spec: ScrapedMetric<L>): Gauge<L> {
  return new Gauge<L>({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labelNames ?? [],
    registers: [spec.registry],
    async collect() {
      const readings = await spec.read();
      this.reset();
      // reset() gives a metric without labels a 0; an empty reading means "unknown", which is no sample.
      if (readings.length === 0) this.remove({});
      for (const r of readings) this.set(r.labels ?? {}, r.value);
    },
  });
}

/**
 * One read shared by every metric that asks while it runs: prom-client
 * collects all metrics of a scrape at once, and several of them come from
 * one query (the data state, the replicas' health).
 */
export function sharedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () => {
    running ??= read().finally(() => {
      running = undefined;
    });
    return running;
  };
}
