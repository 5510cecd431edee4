/**
 * The city's coverage now and with a proposed change, for `npm run ingest
 * -- --dry-run`: the same steps the live coverage takes (the walk graph as
 * the routing service loads it, the access model, evaluateCoverage, the
 * city roll-up at 15 minutes), once with what is stored and once with the
 * proposed centers or household units in their place. Nothing is written
 * and no service is started. The importer's entry point
 * (data-pipeline/ingest-cli.ts) passes this in, as data-pipeline/ never
 * imports the server.
 */
import type { Database } from '../../kernel/db/database.ts';
import { DEFAULT_SPEED_KMH } from '../../kernel/walk-speed.ts';
import { buildEdgeIndex } from '../routing/graph/edge-index.ts';
import { loadWalkGraph } from '../routing/graph/graph-builder.ts';
import { walkComponents } from '../routing/graph/walk-components.ts';
import { withProfiles, type LoadedGraph } from '../routing/routing-service.ts';
import { SearchScratch } from '../routing/search/search-state.ts';
import { DEFAULT_COVERAGE_MINUTES } from '../routing/routing-limits.ts';
import { buildAccessModel, linkHouseholds } from './access-model.ts';
import { loadCentersAt, loadCoverageData, type CenterData, type CoverageData, type HouseholdData } from './coverage-data.ts';
import { rollup, thresholdSeconds } from './coverage-rollup.ts';
import { evaluateCoverage } from './evaluate-coverage.ts';

/** The city's households and those within `minutes` walk of a service center, as GET /api/coverage?level=city totals them. */
export interface CityCoverage {
  minutes: number;
  households: number;
  covered: number;
  share: number | null;
}

/** What a dry run would put in place of the stored rows. */
export interface CoverageProposal {
  /** The whole set of centers after the change. */
  centers?: { lon: Float64Array; lat: Float64Array; kind: readonly string[] };
  /** The whole set of household units after the change. */
  households?: { lon: Float64Array; lat: Float64Array; households: Int32Array };
}

async function loadGraph(db: Database): Promise<LoadedGraph> {
  const started = performance.now();
  const graph = await loadWalkGraph(db);
  const loadMs = performance.now() - started;
  const components = walkComponents(graph);
  const index = buildEdgeIndex(graph, components.usableEdge);
  return withProfiles({ graph, index, components, scratch: new SearchScratch(graph), version: graph.version, source: 'table', loadMs, indexMs: performance.now() - started - loadMs });
}

function proposedCenters(p: NonNullable<CoverageProposal['centers']>): CenterData {
  const n = p.lon.length;
  return {
    count: n,
    id: Int32Array.from({ length: n }, (_, i) => i + 1),
    name: new Array<string>(n).fill(''),
    kind: [...p.kind],
    services: Array.from({ length: n }, () => []),
    source: new Array<string>(n).fill('proposed'),
    lon: p.lon,
    lat: p.lat,
    kinds: [...new Set(p.kind)].sort(),
  };
}

/** The proposed units as the whole city's households (one city unit: only the city total is asked for). */
function proposedHouseholds(data: CoverageData, p: NonNullable<CoverageProposal['households']>): CoverageData {
  const n = p.lon.length;
  const households: HouseholdData = {
    count: n,
    id: Int32Array.from({ length: n }, (_, i) => i + 1),
    households: p.households,
    persons: new Int32Array(n).fill(-1),
    gridIndex: new Int32Array(n).fill(-1),
    lon: p.lon,
    lat: p.lat,
  };
  const city = { level: 'city' as const, codes: [data.levels.city.codes[0] ?? null], names: [data.levels.city.names[0] ?? ''], unitOf: new Int32Array(n) };
  return { ...data, households, levels: { ...data.levels, city } };
}

/**
 * City coverage at `minutes` (default 15, at the default walking speed)
 * with the stored data (`before`) and with the proposal (`after`).
 */
export async function cityCoverageChange(db: Database, proposal: CoverageProposal, minutes = DEFAULT_COVERAGE_MINUTES): Promise<{ before: CityCoverage; after: CityCoverage }> {
  const loaded = await loadGraph(db);
  const { data } = await loadCoverageData(db);
  const { centers } = await loadCentersAt(db);
  const threshold = thresholdSeconds(minutes, DEFAULT_SPEED_KMH);
  const cityOf = (model: ReturnType<typeof buildAccessModel>): CityCoverage => {
    const { total } = rollup(model.data.households, model.data.levels.city, evaluateCoverage(model, model.serviceSnaps).seconds, threshold);
    return { minutes, ...total };
  };
  const units = linkHouseholds(loaded, data);
  const before = cityOf(buildAccessModel(data.version, loaded, data, units, centers));
  const afterData = proposal.households ? proposedHouseholds(data, proposal.households) : data;
  const afterUnits = proposal.households ? linkHouseholds(loaded, afterData) : units;
  const afterCenters = proposal.centers ? proposedCenters(proposal.centers) : centers;
  const after = cityOf(buildAccessModel(data.version, loaded, afterData, afterUnits, afterCenters));
  return { before, after };
}
