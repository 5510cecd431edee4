/**
 * How long the instance takes to get ready after a change: the walk graph
 * (read from its snapshot or built from the tables, plus its edge index)
 * after an import, and the live coverage (households loaded and linked,
 * centers snapped, every unit's walk time) after an import or a center
 * edit, and its write-back to the tables. Observed as each finishes, from
 * the routing and coverage services' own timings. Subscribe before the
 * first load can finish (app.ts does, right after creating the services),
 * or the first graph and coverage go uncounted.
 */
import { Histogram, type Registry } from 'prom-client';
import type { CoverageService } from '../coverage/coverage-service.ts';
import type { RoutingService } from '../routing/routing-service.ts';

/** Seconds: Monaco's graph loads in tens of milliseconds, a province's coverage may take a minute. */
export const BUILD_SECONDS_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** Observes every graph load and coverage step from now on; returns the unsubscriber. */
export function observeBuilds(registry: Registry, routing: RoutingService, coverage: CoverageService): () => void {
  const graph = new Histogram<'source'>({
    name: 'living_circle_graph_build_seconds',
    help: 'Time to get the walk graph of a new data version and its edge index, by source: snapshot (a saved file) or table (built from walk_edges).',
    labelNames: ['source'],
    buckets: BUILD_SECONDS_BUCKETS,
    registers: [registry],
  });
  const computed = new Histogram<'reason'>({
    name: 'living_circle_coverage_build_seconds',
    help: 'Time to compute the live coverage, by reason: graph (a new data version: households loaded and linked too) or centers (a center edit).',
    labelNames: ['reason'],
    buckets: BUILD_SECONDS_BUCKETS,
    registers: [registry],
  });
  const written = new Histogram({
    name: 'living_circle_coverage_write_seconds',
    help: "Time to write a coverage computation's changed rows back to the tables.",
    buckets: BUILD_SECONDS_BUCKETS,
    registers: [registry],
  });
  const stopGraph = routing.onGraph((loaded) => graph.observe({ source: loaded.source }, (loaded.loadMs + loaded.indexMs) / 1000));
  const stopCoverage = coverage.onStep((step) => {
    if (step.step === 'written') {
      written.observe(step.ms / 1000);
    } else {
      const t = step.timings;
      computed.observe({ reason: step.reason }, (t.loadMs + t.snapHouseholdsMs + t.centersMs + t.coverageMs) / 1000);
    }
  });
  return () => {
    stopGraph();
    stopCoverage();
  };
}
