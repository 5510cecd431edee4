/**
 * `npm run bench -- fragments`: what snapping past walkway fragments changed,
 * on Monaco (OSM) and the demo city, each in an embedded database. For each:
 * the components and fragments (walk-components.ts), how many household
 * units and centers moved to another component than the one they snapped to
 * when every walkable edge could take them, and the 5/10/15-minute coverage
 * before and after (the same centers, the same graph; only the snapping
 * differs; coverage by the service centers, as the live coverage counts).
 * A report more than a race: the "reference" is the old rule.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import type { Database } from '../kernel/db/database.ts';
import { ingest } from '../data-pipeline/ingest.ts';
import { writeBundle } from '../data-pipeline/write-bundle.ts';
import { openDatabase } from '../server/db/open-database.ts';
import { loadCenters, loadCoverageData } from '../server/coverage/coverage-data.ts';
import { buildAccessModel, linkHouseholds } from '../server/coverage/access-model.ts';
import { evaluateCoverage } from '../server/coverage/evaluate-coverage.ts';
import { buildEdgeIndex } from '../server/routing/graph/edge-index.ts';
import { loadWalkGraph } from '../server/routing/graph/graph-builder.ts';
import { walkComponents, walkableEdges } from '../server/routing/graph/walk-components.ts';
import { withProfiles, type LoadedGraph } from '../server/routing/routing-service.ts';
import { SearchScratch } from '../server/routing/search/search-state.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MONACO = path.resolve(ROOT, '../shared/data/osm/monaco.osm.pbf');
const MINUTES = [5, 10, 15];

async function report(label: string, db: Database): Promise<void> {
  const graph = await loadWalkGraph(db);
  const components = walkComponents(graph);
  const { data } = await loadCoverageData(db);
  const centers = await loadCenters(db);
  const loadedWith = (usable: Uint8Array): LoadedGraph =>
    withProfiles({
    graph,
    index: buildEdgeIndex(graph, usable),
    components,
    scratch: new SearchScratch(graph),
    version: graph.version,
    source: 'table',
    loadMs: 0,
    indexMs: 0,
    });
  const before = loadedWith(walkableEdges(graph));
  const after = loadedWith(components.usableEdge);
  const models = [before, after].map((loaded) => buildAccessModel(graph.version, loaded, data, linkHouseholds(loaded, data), centers));
  const [old, now] = models as [ReturnType<typeof buildAccessModel>, ReturnType<typeof buildAccessModel>];

  const componentOf = (edge: number) => (edge < 0 ? -1 : components.nodeComponent[graph.edgeSource[edge]!]!);
  let unitsMoved = 0;
  let householdsMoved = 0;
  let unitsOff = 0;
  for (let i = 0; i < data.households.count; i++) {
    const a = componentOf(old.units.snaps.edge[i]!);
    const b = componentOf(now.units.snaps.edge[i]!);
    if (a !== b) {
      unitsMoved++;
      householdsMoved += data.households.households[i]!;
      if (b < 0) unitsOff++;
    }
  }
  let centersMoved = 0;
  for (let c = 0; c < centers.count; c++) if (componentOf(old.centerSnaps.edge[c]!) !== componentOf(now.centerSnaps.edge[c]!)) centersMoved++;

  const total = data.households.households.reduce((a, b) => a + b, 0);
  const covered = (model: typeof old) => {
    const seconds = evaluateCoverage(model, model.serviceSnaps).seconds;
    return MINUTES.map((m) => {
      let n = 0;
      for (let i = 0; i < seconds.length; i++) if (seconds[i]! <= m * 60) n += data.households.households[i]!;
      return n;
    });
  };
  const [was, is] = [covered(old), covered(now)];
  const pct = (n: number) => `${((100 * n) / Math.max(1, total)).toFixed(2)}%`;
  console.log(`${label}: ${graph.edgeCount} edges in ${components.count} components; ${components.fragments} fragments under ${components.minLengthM} m (${Math.round(components.fragmentLengthM)} m of way)`);
  console.log(`  household units moved to another component: ${unitsMoved} of ${data.households.count} (${householdsMoved} households; ${unitsOff} of them now off the network)`);
  console.log(`  centers moved to another component: ${centersMoved} of ${centers.count}`);
  MINUTES.forEach((m, k) => {
    console.log(`  covered within ${m} min: ${was[k]} -> ${is[k]} households (${pct(was[k]!)} -> ${pct(is[k]!)}, ${is[k]! - was[k]! >= 0 ? '+' : ''}${is[k]! - was[k]!})`);
  });
}

export async function runFragmentsBench(): Promise<void> {
  if (existsSync(MONACO)) {
    const db = await openDatabase({ databaseUrl: undefined, dataDir: undefined });
    await ingest(db, { osm: MONACO });
    await report('Monaco', db);
    await db.close();
  } else {
    console.log(`Monaco: skipped (${MONACO} is missing)`);
  }
  const { generateDemoCity } = await import('../data-pipeline/demo-city/generate-demo-city.ts');
  const db = await openDatabase({ databaseUrl: undefined, dataDir: undefined });
  await writeBundle(db, generateDemoCity());
  await report('demo city (Putian)', db);
  await db.close();
}
