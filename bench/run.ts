/**
 * npm run bench [-- ingest|tiles|routing|client|planning|fragments|load|scale|metrics|exports ...]: runs the named benchmarks (all
 * when none is named). Each prints its own figures and ratios against a
 * reference measured in the same run. Benchmarks that need a PostGIS server
 * read DATABASE_URL and say so when it is missing.
 */
const BENCHES: Record<string, () => Promise<void>> = {
  ingest: async () => (await import('./ingest.ts')).runIngestBench(),
  tiles: async () => (await import('./tiles.ts')).runTilesBench(),
  routing: async () => (await import('./routing.ts')).runRoutingBench(),
  client: async () => (await import('./first-view.ts')).runFirstViewBench(),
  planning: async () => (await import('./planning.ts')).runPlanningBench(),
  fragments: async () => (await import('./fragments.ts')).runFragmentsBench(),
  load: async () => (await import('./load.ts')).runLoadBench(),
  scale: async () => (await import('./scale.ts')).runScaleBench(),
  metrics: async () => (await import('./metrics.ts')).runMetricsBench(),
  exports: async () => (await import('./exports.ts')).runExportsBench(),
};

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = names.filter((n) => !(n in BENCHES));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}\n`);
    process.exit(2);
  }
  for (const name of names.length > 0 ? names : Object.keys(BENCHES)) {
    process.stdout.write(`\n=== ${name} ===\n`);
    await BENCHES[name]!();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`benchmark failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
