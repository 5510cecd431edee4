/**
 * The demo city: a deterministic, Putian-like ImportBundle built from a seed.
 * Real city, district and town-level names and codes at Putian's real
 * coordinates; generated communities, 2,408 grids with 3,096 officers,
 * ~1M households in ~100k building units, hundreds of centers of the two
 * kinds the city plans by and facilities of every living-circle tier, and
 * a walk network with arterials, local streets, alleys, steps and the Mulan
 * crossed by few bridges. Same seed, byte-identical output; runs in a few
 * seconds. Each stage lives in its own module; this one wires them in order.
 */
import type { AdminUnit, CenterRow, GridRow, ImportBundle } from '../../kernel/import-bundle.ts';
import { buildAdminAreas } from './admin-areas.ts';
import { buildingFootprints } from './buildings.ts';
import { CellLattice } from './cell-lattice.ts';
import { placeCenters } from './centers.ts';
import { placeFacilities } from './service-facilities.ts';
import { buildCommunities, riverCells } from './communities.ts';
import { connectSettlements } from './connectors.ts';
import { buildGrids } from './grids.ts';
import { placeHouseholds } from './households.ts';
import { LandMask } from './land.ts';
import { LocalProjection } from './local-projection.ts';
import { NamePool } from './names.ts';
import { NetworkBuilder } from './network-builder.ts';
import { PUTIAN_CITY, PUTIAN_DISTRICTS, PUTIAN_STREETS } from './putian-divisions.ts';
import { EXTENT_M } from './putian-layout.ts';
import { traceOutlines } from './region-outline.ts';
import { River } from './river.ts';
import { SeededRandom } from './seeded-random.ts';
import { planSettlements } from './settlements.ts';
import { SegmentGrid } from './spatial-index.ts';
import { buildPatchNetwork } from './street-network.ts';
import { waterRows } from './water.ts';

/** Putian's city code as the default seed. */
export const DEFAULT_DEMO_SEED = 3503;
/** Fine cell size of the admin lattice, metres. */
const CELL_SIZE_M = 100;
/** Network fragments smaller than this are dropped (a patch's stray corner). */
const MIN_COMPONENT_NODES = 40;

export interface DemoCityOptions {
  seed?: number;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface DemoCityStats {
  seed: number;
  nodes: number;
  edges: number;
  householdUnits: number;
  households: number;
  communities: number;
  villages: number;
  grids: number;
  officers: number;
  /** Centers by kind: the two planning kinds and the facilities of every tier. */
  centers: Record<string, number>;
  bridges: number;
  buildings: number;
  /** Household units and households by kind of settlement. */
  byPatchKind: Record<'urban' | 'town' | 'village', { patches: number; units: number; households: number }>;
  timingsMs: Record<string, number>;
}

const STAGES = [
  'land',
  'admin areas',
  'settlements',
  'streets',
  'connectors',
  'network',
  'households',
  'communities',
  'grids',
  'outlines',
  'centers',
  'facilities',
  'assemble',
] as const;

function countKinds(centers: readonly CenterRow[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of centers) counts[c.kind] = (counts[c.kind] ?? 0) + 1;
  return counts;
}

/** The bundle plus counts and per-stage timings (for tests and logs). */
export function buildDemoCity(options: DemoCityOptions = {}): { bundle: ImportBundle; stats: DemoCityStats } {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const root = new SeededRandom(seed);
  const timingsMs: Record<string, number> = {};
  let stageIndex = 0;
  let t0 = performance.now();
  const stage = (name: (typeof STAGES)[number]) => {
    const now = performance.now();
    timingsMs[name] = Math.round(now - t0);
    t0 = now;
    stageIndex++;
    options.onProgress?.(name, stageIndex, STAGES.length);
  };

  const projection = new LocalProjection(root.fork('projection'));
  const land = new LandMask(root.fork('land'));
  const river = new River(root.fork('river'));
  const lattice = new CellLattice(EXTENT_M, CELL_SIZE_M, projection);
  stage('land');

  const areas = buildAdminAreas(lattice, land, root.fork('admin'));
  const inCity = (x: number, y: number): boolean => {
    const cell = lattice.cellAt(x, y);
    return cell >= 0 && areas.streetOfCell[cell] >= 0 && land.isLand(x, y);
  };
  stage('admin areas');

  const patches = planSettlements(lattice, areas, land, river, root.fork('settlements'));
  stage('settlements');

  const builder = new NetworkBuilder();
  const patchNodes: number[][] = [];
  for (const patch of patches) {
    const result = buildPatchNetwork(patch, { builder, river, inCity }, root.fork(`streets-${patch.index}`));
    patchNodes.push(result.nodes);
  }
  stage('streets');

  connectSettlements(patches, patchNodes, { builder, river, inCity }, root.fork('connectors'), MIN_COMPONENT_NODES);
  stage('connectors');

  const finished = builder.finish(projection, MIN_COMPONENT_NODES);
  const { network, local } = finished;
  stage('network');

  const segments = new SegmentGrid(local.xy, local.offsets, EXTENT_M, 50);
  const units = placeHouseholds(local, patches, { lattice, land, river, streetOfCell: areas.streetOfCell, segments }, root.fork('households'));
  stage('households');

  const names = new NamePool(root.fork('names'));
  const onRiver = riverCells(lattice, river, areas.streetOfCell);
  const plan = buildCommunities(lattice, areas, patches, units, onRiver, names, root.fork('communities'));
  stage('communities');

  const grids = buildGrids(lattice, plan, units, onRiver, root.fork('grids'));
  stage('grids');

  const districtShapes = traceOutlines(lattice, areas.districtOfCell, PUTIAN_DISTRICTS.length);
  const streetShapes = traceOutlines(lattice, areas.streetOfCell, PUTIAN_STREETS.length);
  const communityShapes = traceOutlines(lattice, plan.communityOfCell, plan.communities.length);
  const gridShapes = traceOutlines(lattice, grids.gridOfCell, grids.code.length);
  stage('outlines');

  const localCenters = placeCenters(lattice, areas, plan, units, root.fork('centers'));
  stage('centers');

  // After the centers and from a stream of their own, so the centers stay exactly as they were.
  const facilities = placeFacilities(lattice, areas, plan, units, root.fork('facilities'));
  stage('facilities');

  const admin: AdminUnit[] = [];
  PUTIAN_DISTRICTS.forEach((d, i) =>
    admin.push({ code: d.code, level: 'district', name: d.name, parentCode: PUTIAN_CITY.code, geom: districtShapes[i] }),
  );
  PUTIAN_STREETS.forEach((s, i) => admin.push({ code: s.code, level: 'street', name: s.name, parentCode: s.districtCode, geom: streetShapes[i] }));
  plan.communities.forEach((c, i) =>
    admin.push({ code: c.code, level: 'community', name: c.name, parentCode: PUTIAN_STREETS[c.streetIndex].code, geom: communityShapes[i] }),
  );

  const gridRows: GridRow[] = grids.code.map((code, g) => {
    const comm = plan.communities[grids.community[g]];
    const street = PUTIAN_STREETS[comm.streetIndex];
    return {
      code,
      name: grids.name[g],
      districtCode: street.districtCode,
      streetCode: street.code,
      communityCode: comm.code,
      officers: grids.officers[g],
      geom: gridShapes[g],
    };
  });

  const centers: CenterRow[] = [...localCenters, ...facilities].map((c, i) => ({
    name: c.name,
    kind: c.kind,
    services: c.services,
    source: 'demo',
    sourceId: `demo/center/${i}`,
    lon: projection.lon(c.x, c.y),
    lat: projection.lat(c.x, c.y),
  }));

  const count = units.count;
  const lon = new Float64Array(count);
  const lat = new Float64Array(count);
  const persons = new Int32Array(count);
  const sourceIds: string[] = new Array(count);
  let householdTotal = 0;
  for (let u = 0; u < count; u++) {
    lon[u] = projection.lon(units.x[u], units.y[u]);
    lat[u] = projection.lat(units.x[u], units.y[u]);
    // The unit keeps 3 m inside its cell; check containment exactly anyway.
    if (!lattice.containsLonLat(units.cell[u], lon[u], lat[u])) throw new Error(`demo city: unit ${u} left its cell`);
    persons[u] = Math.round(units.households[u] * 2.8);
    sourceIds[u] = `demo/${u}`;
    householdTotal += units.households[u];
  }

  const bundle: ImportBundle = {
    city: { code: PUTIAN_CITY.code, name: PUTIAN_CITY.name },
    source: seed === DEFAULT_DEMO_SEED ? 'demo:putian' : `demo:putian:seed=${seed}`,
    admin,
    grids: gridRows,
    centers,
    households: {
      count,
      lon,
      lat,
      households: Int32Array.from(units.households),
      persons,
      gridIndex: Int32Array.from(grids.unitGrid),
      source: 'demo',
      sourceIds,
    },
    network,
    buildings: buildingFootprints(units, patches, projection),
    water: waterRows(river, land, projection),
  };
  stage('assemble');

  const byPatchKind: DemoCityStats['byPatchKind'] = {
    urban: { patches: 0, units: 0, households: 0 },
    town: { patches: 0, units: 0, households: 0 },
    village: { patches: 0, units: 0, households: 0 },
  };
  for (const p of patches) byPatchKind[p.kind].patches++;
  for (let u = 0; u < count; u++) {
    const k = byPatchKind[patches[units.patch[u]].kind];
    k.units++;
    k.households += units.households[u];
  }
  let officers = 0;
  for (const o of grids.officers) officers += o;
  const stats: DemoCityStats = {
    seed,
    nodes: network.nodeCount,
    edges: network.edgeCount,
    householdUnits: count,
    households: householdTotal,
    communities: plan.communities.filter((c) => c.kind === 'community').length,
    villages: plan.communities.filter((c) => c.kind === 'village').length,
    grids: gridRows.length,
    officers,
    centers: countKinds(centers),
    bridges: finished.bridges,
    buildings: bundle.buildings.length,
    byPatchKind,
    timingsMs,
  };
  return { bundle, stats };
}

/** The demo city as an ImportBundle (see buildDemoCity for counts and timings). */
export function generateDemoCity(options: DemoCityOptions = {}): ImportBundle {
  return buildDemoCity(options).bundle;
}
