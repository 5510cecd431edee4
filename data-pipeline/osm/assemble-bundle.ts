/**
 * The import bundle from what an OSM pass collected (osm-collector.ts):
 * household units (the building estimate, or the user's file), grids over
 * them (grid-generator.ts), the admin chain (admin-chain.ts), the centers
 * (OSM amenities, or the user's file), and the report that counts it all.
 */
import type { CenterRow, HouseholdColumns, ImportBundle } from '../../kernel/import-bundle.ts';
import type { GridTotalsReport } from '../grid-totals-import.ts';
import { adminChain } from './admin-chain.ts';
import { assignGrids } from './grid-generator.ts';
import { estimateHouseholds } from './household-estimate.ts';
import type { OsmCollected } from './osm-collector.ts';
import type { SkippedEntry } from './skipped-features.ts';

/** The city's admin code when the caller gives none. */
export const CITY_CODE = 'city';

export interface AssembleOptions {
  /** City name (the ingest CLI's --city); defaults to the file's base name. */
  city?: string;
  /** "osm:<file name>" for data_state. */
  source?: string;
  /** Household units from a file instead of the building estimate (their gridIndex is reassigned). */
  households?: HouseholdColumns;
  /** Centers from a file instead of OSM amenities. */
  centers?: CenterRow[];
}

export interface OsmImportReport {
  source: string;
  counts: {
    nodes: number;
    ways: number;
    relations: number;
    walkableWays: number;
    networkNodes: number;
    networkEdges: number;
    stepsEdges: number;
    buildings: number;
    residentialBuildings: number;
    householdUnits: number;
    householdsTotal: number;
    personsTotal: number;
    centers: number;
    centersByKind: Record<string, number>;
    grids: number;
    officers: number;
    communities: number;
    water: number;
  };
  skipped: SkippedEntry[];
  /** When the grids file carries household totals: how they were spread, and the grids that could not be. */
  gridTotals?: GridTotalsReport;
  ms: { read: number; build: number; total: number };
}

/** An import's bundle and its report. */
export interface OsmImport {
  bundle: ImportBundle;
  report: OsmImportReport;
}

/** The bundle from collected data: households, grids, admin chain, report. */
export function assemble(collected: OsmCollected, options: AssembleOptions = {}): OsmImport {
  const source = options.source ?? 'osm';
  const city = { code: CITY_CODE, name: options.city ?? 'City' };

  let households: HouseholdColumns;
  let residentialBuildings = 0;
  if (options.households) {
    households = options.households;
  } else {
    const estimate = estimateHouseholds(collected.footprints);
    households = estimate.households;
    residentialBuildings = estimate.residentialBuildings;
  }
  const g = assignGrids(households.lon, households.lat, households.households);
  households.gridIndex = g.gridIndex;
  const admin = adminChain(city, collected.places, g.grids, g.centerLon, g.centerLat);
  const centers = options.centers ?? collected.centers;

  let householdsTotal = 0;
  let personsTotal = 0;
  for (let i = 0; i < households.count; i++) {
    householdsTotal += households.households[i]!;
    if (households.persons[i]! > 0) personsTotal += households.persons[i]!;
  }
  const centersByKind: Record<string, number> = {};
  for (const c of centers) centersByKind[c.kind] = (centersByKind[c.kind] ?? 0) + 1;
  const net = collected.network;

  const bundle: ImportBundle = {
    city,
    source,
    admin,
    grids: g.grids,
    centers,
    households,
    network: net.network,
    buildings: collected.buildings,
    water: collected.water,
  };
  const report: OsmImportReport = {
    source,
    counts: {
      nodes: collected.nodes,
      ways: collected.ways,
      relations: collected.relations,
      walkableWays: net.ways,
      networkNodes: net.network.nodeCount,
      networkEdges: net.network.edgeCount,
      stepsEdges: net.stepsEdges,
      buildings: collected.buildings.length,
      residentialBuildings,
      householdUnits: households.count,
      householdsTotal,
      personsTotal,
      centers: centers.length,
      centersByKind,
      grids: g.grids.length,
      officers: g.grids.reduce((a, x) => a + x.officers, 0),
      communities: admin.length,
      water: collected.water.length,
    },
    skipped: collected.skipped,
    ms: { read: 0, build: 0, total: 0 },
  };
  return { bundle, report };
}
