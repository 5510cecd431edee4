/**
 * The limits on expensive requests (http/request-limits.ts) as metrics:
 * requests refused 429 by rate class, refused 503 busy by queue, and the
 * heavy work running and waiting now. A rising rate-limited count says a
 * client (or a map embedding us) asks more than the limits allow; a rising
 * busy count says the instance is short of CPU for the work it is given.
 */
import type { Registry } from 'prom-client';
import type { LimitClass, RequestLimitStats } from '../http/request-limits.ts';
import { scrapedCounter, scrapedGauge } from './scraped-metrics.ts';

/** Label values as the settings name them (LIMIT_ISOCHRONES_PER_MIN, LIMIT_SUGGESTIONS_PER_MIN, LIMIT_EXACT_PER_MIN). */
const CLASS_LABELS: Record<LimitClass, string> = { isochroneMany: 'isochrones', suggest: 'suggestions', exact: 'exact_suggestions' };

export function registerLimitMetrics(registry: Registry, stats: () => RequestLimitStats): void {
  scrapedCounter({
    registry,
    name: 'living_circle_rate_limited_total',
    help: "Requests refused 429 because their client was over its rate, by class (isochrones of many origins, suggestions, exact suggestions).",
    labelNames: ['class'],
    read: () => Object.entries(stats().refused.rateLimited).map(([cls, value]) => ({ labels: { class: CLASS_LABELS[cls as LimitClass] }, value })),
  });
  scrapedCounter({
    registry,
    name: 'living_circle_busy_refused_total',
    help: 'Requests refused 503 busy because their queue was full (heavy: the request thread; suggestions: the suggestion worker).',
    labelNames: ['queue'],
    read: () => Object.entries(stats().refused.busy).map(([queue, value]) => ({ labels: { queue }, value })),
  });
  scrapedGauge({
    registry,
    name: 'living_circle_heavy_work_running',
    help: 'Heavy requests running now, by queue.',
    labelNames: ['queue'],
    read: () => {
      const s = stats();
      return [{ labels: { queue: 'heavy' }, value: s.heavy.running }, { labels: { queue: 'suggestions' }, value: s.suggestions.running }];
    },
  });
  scrapedGauge({
    registry,
    name: 'living_circle_heavy_work_waiting',
    help: 'Heavy requests waiting now, by queue.',
    labelNames: ['queue'],
    read: () => {
      const s = stats();
      return [{ labels: { queue: 'heavy' }, value: s.heavy.waiting }, { labels: { queue: 'suggestions' }, value: s.suggestions.waiting }];
    },
  });
}
