/**
 * Site-suggestion benchmark (`runSuggestBench`, called from bench/run.ts), on
 * the demo city built in memory (generator, CSR graph, linked units; no
 * database):
 *   - the generated candidates: the rule and how many, and the coverage
 *     sets' size and memory;
 *   - greedy with swaps for k = 10 from all generated candidates: time
 *     (target <= 1 s), value, its own upper bound and gap, on the request
 *     thread (min and mean of seeded repeats: the same work every run);
 *   - the exact solve (HiGHS, 60 s limit): time, status, value or bound, and
 *     greedy's gap to the exact optimum (target <= 2%);
 *   - the worker: its start (TypeScript loads in it) and the network's first
 *     transfer, then the latency of a 15-minute bounded search (the
 *     isochrone's and the tiles' kind of work) on the request thread, idle
 *     against while a suggestion runs in the worker (target <= 2x).
 */
import { generateDemoCity } from '../data-pipeline/demo-city/generate-demo-city.ts';
import { linkUnits } from '../server/coverage/household-coverage.ts';
import { buildEdgeIndex } from '../server/routing/graph/edge-index.ts';
import { buildWalkGraph, inputFromNetwork } from '../server/routing/graph/graph-builder.ts';
import { runSearch, seedFromSnap } from '../server/routing/search/bounded-search.ts';
import { SearchScratch } from '../server/routing/search/search-state.ts';
import { snapMany, snapToEdge, type Snap } from '../server/routing/search/snap.ts';
import { SuggestRunner } from '../server/planning/suggest/suggest-runner.ts';
import { suggestSites, type SuggestInput } from '../server/planning/suggest/suggest-sites.ts';
import type { SuggestResult } from '../server/planning/suggest/suggest-result.ts';
import { formatMs, formatSummary, seededRandom, summarize } from './stats.ts';

/** Timed greedy repeats on the request thread. */
const GREEDY_RUNS = 5;
/** Seeded search origins for the latency measurement. */
const ORIGINS = 200;
const FIFTEEN_MINUTES = 900;

function print(label: string, text: string): void {
  console.log(`${label.padEnd(44)} ${text}`);
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

function boundText(result: SuggestResult): string {
  const b = result.bound;
  return b.objective === 'max_coverage' ? `bound ${b.weight} (${b.source}), gap ${pct(b.gap)}` : `bound ${b.sites} sites`;
}

export async function runSuggestBench(): Promise<void> {
  let t0 = performance.now();
  const bundle = generateDemoCity();
  const graph = buildWalkGraph(inputFromNetwork(bundle.network, 'demo'));
  const index = buildEdgeIndex(graph);
  const units = linkUnits(graph, snapMany(graph, index, bundle.households.lon, bundle.households.lat));
  const centers = snapMany(graph, index, Float64Array.from(bundle.centers, (c) => c.lon), Float64Array.from(bundle.centers, (c) => c.lat));
  const network = { graph, index, units, counts: { households: bundle.households.households, persons: bundle.households.persons } };
  print('demo city in memory', `${graph.nodeCount} nodes, ${graph.edgeCount} edges, ${units.count} household units, ${centers.count} centers (${formatMs(performance.now() - t0)})`);
  print('network for the worker (sent once per graph)', `${(typedBytes(network) / 1e6).toFixed(1)} MB of typed arrays (graph, edge index, linked units, counts)`);

  // Greedy with swaps, k = 10, all generated candidates, on this thread.
  const input: SuggestInput = { network, centers, options: { k: 10 } };
  const scratch = new SearchScratch(graph);
  await suggestSites(input, scratch); // warm-up (JIT)
  const runs: SuggestResult[] = [];
  for (let i = 0; i < GREEDY_RUNS; i++) runs.push(await suggestSites(input, scratch));
  const greedy = runs.at(-1)!;
  const c = greedy.candidates;
  print('candidate rule', c.rule);
  print('candidates (generated)', `${c.count}; ${c.used} used (${c.droppedDuplicate} cover the same units as an earlier one, ${c.droppedDominated} only units inside another's set, ${c.droppedEmpty} nobody)`);
  print('demand', `${greedy.coverageSets.demandUnits} household units outside ${greedy.minutes} min (${greedy.totals.all.households - greedy.totals.before.households} households)`);
  print('coverage sets', `${greedy.coverageSets.entries} entries, ${(greedy.coverageSets.bytes / 1e6).toFixed(1)} MB with the transpose`);
  const timing = (key: keyof SuggestResult['timings']) => formatSummary(summarize(runs.map((r) => r.timings[key])));
  print('  current coverage (fixed centers)', timing('currentMs'));
  print('  candidate generation', timing('candidatesMs'));
  print('  coverage sets (one search each)', timing('coverageSetsMs'));
  const heuristic = summarize(runs.map((r) => r.timings.heuristicMs));
  print('  greedy + swaps', `${formatSummary(heuristic)}  (target <= 1 s: ${heuristic.max <= 1000 ? 'met' : 'NOT met'})`);
  print('  Lagrangian bound', `${timing('boundMs')}  (${greedy.solver.lagrangianSteps} steps)`);
  print('  whole suggestion', timing('totalMs'));
  print('greedy k = 10', `+${greedy.totals.gained.households} households (${pct(greedy.totals.before.share)} -> ${pct(greedy.totals.after.share)}), ${greedy.solver.swaps} swaps; ${boundText(greedy)}`);

  // Exact, 60 s.
  t0 = performance.now();
  const exact = await suggestSites({ ...input, options: { k: 10, method: 'exact', timeLimitS: 60 } }, scratch);
  const exactMs = performance.now() - t0;
  const solver = exact.solver.exact;
  print(
    'exact k = 10 (HiGHS, 60 s limit)',
    `${exact.status} in ${formatMs(exactMs)} (HiGHS ${solver ? formatMs(solver.ms) : 'not needed'}${solver ? `, ${solver.columns} columns, ${solver.rows} rows, ${solver.nonzeros} nonzeros` : ''}): ` +
      `+${exact.totals.gained.households} households; ${boundText(exact)} (target <= 60 s: ${exactMs <= 60_000 ? 'met' : 'NOT met'})`,
  );
  if (exact.status === 'optimal') {
    const gap = (exact.totals.gained.weight - greedy.totals.gained.weight) / exact.totals.gained.weight;
    print('greedy against the exact optimum', `${pct(gap)} below (target <= 2%: ${gap <= 0.02 ? 'met' : 'NOT met'})`);
  }

  // The worker, and the request thread's latency while it works.
  // Origins where people ask: at seeded household units (the isochrone of a home, the circle of a center).
  const random = seededRandom(21);
  const origins: Snap[] = [];
  while (origins.length < ORIGINS) {
    const i = Math.floor(random() * units.count);
    const snap = snapToEdge(graph, index, bundle.households.lon[i]!, bundle.households.lat[i]!);
    if (snap) origins.push(snap);
  }
  let settled = 0;
  const search = (origin: Snap) => {
    const t = performance.now();
    scratch.use((state) => {
      seedFromSnap(graph, state, origin, 0);
      runSearch(graph, state, FIFTEEN_MINUTES);
      settled += state.settledCount;
    });
    return performance.now() - t;
  };
  const yieldNow = () => new Promise((resolve) => setImmediate(resolve));
  const runner = new SuggestRunner();
  try {
    t0 = performance.now();
    const pending = runner.run(input);
    // The request thread's own share: starting the worker and cloning the network into the message.
    const sendMs = performance.now() - t0;
    const first = await pending;
    print('worker: start + network sent + suggestion', `${formatMs(performance.now() - t0)} (the suggestion itself ${formatMs(first.timings.totalMs)}; request thread busy ${formatMs(sendMs)} sending)`);
    t0 = performance.now();
    await runner.run(input);
    print('worker: next suggestion (network kept)', formatMs(performance.now() - t0));

    // Idle: a warm-up pass, then whole passes over the origins, yielding between searches as a server does.
    for (const origin of origins) search(origin);
    settled = 0;
    const idle: number[] = [];
    for (let i = 0; i < 10; i++) {
      for (const origin of origins) {
        idle.push(search(origin));
        await yieldNow();
      }
    }
    const nodesPerSearch = Math.round(settled / idle.length);
    for (const [label, options] of [
      ['greedy k = 10', { k: 10 }],
      ['exact k = 10', { k: 10, method: 'exact' as const, timeLimitS: 60 }],
    ] as const) {
      const busy: number[] = [];
      let done = false;
      const job = runner.run({ ...input, options }).finally(() => (done = true));
      for (let i = 0; !done; i++) {
        busy.push(search(origins[i % origins.length]!));
        await yieldNow();
      }
      await job;
      const a = summarize(idle);
      const b = summarize(busy);
      print('bounded search 15 min, idle', `${formatSummary(a)}  (${nodesPerSearch} nodes each)`);
      print(`  while the worker runs ${label}`, formatSummary(b));
      const ratio = b.p50 / a.p50;
      print('  ratio', `${ratio.toFixed(2)}x at p50, ${(b.p95 / a.p95).toFixed(2)}x at p95, ${(b.mean / a.mean).toFixed(2)}x mean (target <= 2x: ${ratio <= 2 ? 'met' : 'NOT met'})`);
    }
  } finally {
    await runner.close();
  }
}

/** Bytes of the typed arrays reachable from `value` (each buffer once). */
function typedBytes(value: unknown, seen = new Set<unknown>()): number {
  if (value === null || typeof value !== 'object' || seen.has(value)) return 0;
  seen.add(value);
  if (ArrayBuffer.isView(value)) {
    if (seen.has(value.buffer)) return 0;
    seen.add(value.buffer);
    return value.buffer.byteLength;
  }
  let total = 0;
  for (const child of Object.values(value)) total += typedBytes(child, seen);
  return total;
}
