/**
 * OSM file -> ImportBundle in ONE streaming pass. The handler keeps every
 * node's coordinates (node-store.ts: ways come after nodes, so any node may
 * be needed later), the tagged nodes that are centers or places, and from the
 * ways only what the bundle needs: walkable ways (network-builder.ts),
 * buildings, water and center ways, as node refs in typed arrays. `finish`
 * then resolves refs and runs the separable steps, each also usable with data
 * from elsewhere (the ingest CLI's --households / --centers / --grids):
 *   network      NetworkBuilder.build
 *   households   estimateHouseholds (household-estimate.ts) from buildings
 *   centers      centerKind / centerRow (osm-centers.ts)
 *   grids        assignGrids (grid-generator.ts) over the household units
 *   admin chain  adminChain (below): city, communities from place nodes
 * Everything it left out is counted in the report's `skipped` list.
 */
import { basename } from 'node:path';
import type {
  AdminUnit,
  BuildingRow,
  CenterRow,
  GridRow,
  HouseholdColumns,
  ImportBundle,
  MultiPolygonCoords,
  Position,
  WaterRow,
  FlatRing,
} from '../../kernel/import-bundle.ts';
import { assignGrids } from './grid-generator.ts';
import { buildingInfo, estimateHouseholds, ringAreaCentroid, type BuildingFootprints, type BuildingInfo } from './household-estimate.ts';
import { NetworkBuilder, type NetworkBuildResult } from './network-builder.ts';
import { NodeStore, WayRefs } from './node-store.ts';
import { centerKind, centerRow } from './osm-centers.ts';
import type { OsmHandler, OsmMember, ReadProgress, Tags } from './osm-elements.ts';
import { readOsm } from './read-osm.ts';
import { walkAccess } from './walk-model.ts';

/** How many example ids a skipped entry keeps. */
const EXAMPLES = 5;

/** The city's admin code when the caller gives none. */
export const CITY_CODE = 'city';

/**
 * place=* values that become communities. suburb, quarter and neighbourhood
 * are parts of a town; village (and town, in extracts that reach into
 * neighbouring municipalities) are the village-level units of the design's
 * "community (village)". city is the city itself; locality is unpopulated.
 */
const COMMUNITY_PLACES = new Set(['suburb', 'quarter', 'neighbourhood', 'village', 'town']);

/** The water kind of a closed way that is a water area (lakes, ponds, river areas, reservoirs), or null. */
function waterAreaKind(tags: Tags): string | null {
  if (tags.natural === 'water') return 'water';
  if (tags.waterway === 'riverbank') return 'riverbank';
  if (tags.landuse === 'reservoir') return 'reservoir';
  return null;
}
/** Line waterways drawn on the basemap (ditches and drains are too small to matter). */
const WATER_LINES = new Set(['river', 'stream', 'canal']);

export interface SkippedEntry {
  reason: string;
  count: number;
  examples: string[];
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
  ms: { read: number; build: number; total: number };
}

export interface Place {
  name: string;
  place: string;
  osmId: number;
  lon: number;
  lat: number;
}

/** What one pass collected, refs resolved: the inputs of the separable steps. */
export interface OsmCollected {
  nodes: number;
  ways: number;
  relations: number;
  network: NetworkBuildResult;
  footprints: BuildingFootprints;
  buildings: BuildingRow[];
  water: WaterRow[];
  centers: CenterRow[];
  places: Place[];
  skipped: SkippedEntry[];
}

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

export interface OsmCollector {
  handler: OsmHandler;
  /** Resolves what was collected; call once, after the whole file has been read. */
  collect(): OsmCollected;
  /** collect() then assemble(): the bundle and its report (ms.read is left 0). A string is the city name. */
  finish(options?: AssembleOptions | string): { bundle: ImportBundle; report: OsmImportReport };
}

class Skips {
  private readonly entries = new Map<string, SkippedEntry>();
  add(reason: string, example: string, count = 1): void {
    let e = this.entries.get(reason);
    if (!e) {
      e = { reason, count: 0, examples: [] };
      this.entries.set(reason, e);
    }
    e.count += count;
    if (e.examples.length < EXAMPLES && !e.examples.includes(example)) e.examples.push(example);
  }
  list(): SkippedEntry[] {
    return [...this.entries.values()];
  }
}

const MISSING_REFS = 'way-node refs to nodes missing from the file (ways cut there)';

function isClosed(refs: ArrayLike<number>): boolean {
  return refs.length >= 4 && refs[0] === refs[refs.length - 1];
}

/** A closed ring as [lon, lat] positions from flat coords[2*from .. 2*to). */
function ring(coords: Float64Array, from: number, to: number): Position[] {
  const out: Position[] = [];
  for (let v = from; v < to; v++) out.push([coords[2 * v]!, coords[2 * v + 1]!]);
  const first = out[0]!;
  const last = out[out.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) out.push([first[0], first[1]]);
  return out;
}

/** Vertices of a ring, not counting a closing repeat of the first (consecutive repeats are already gone). */
function distinctVertices(coords: Float64Array, from: number, to: number): number {
  const n = to - from;
  return n > 1 && coords[2 * from] === coords[2 * to - 2] && coords[2 * from + 1] === coords[2 * to - 1] ? n - 1 : n;
}

/**
 * A building row kept as its flat coordinates: the writer encodes `ring`
 * directly, and `geom` builds [lon, lat] arrays only for other readers.
 * Holding such arrays for every vertex of every building through the import
 * would keep ~10 small objects per building alive and cost more in garbage
 * collection than the rest of the conversion. `geom` is a prototype getter:
 * read it, do not rely on spreading the row.
 */
class FlatPolygonRow implements BuildingRow {
  readonly ring: FlatRing;

  constructor(
    readonly kind: string,
    readonly levels: number | null,
    coords: Float64Array,
    from: number,
    to: number,
  ) {
    this.ring = { coords, from, to };
  }

  get geom(): MultiPolygonCoords {
    return [[ring(this.ring.coords, this.ring.from, this.ring.to)]];
  }

  toJSON(): BuildingRow {
    return { kind: this.kind, levels: this.levels, geom: this.geom };
  }
}

/**
 * A collector that can be driven by any element stream: readOsm in
 * osmToBundle, synthetic calls in tests.
 */
export function createOsmCollector(): OsmCollector {
  const store = new NodeStore();
  const network = new NetworkBuilder();
  const skips = new Skips();
  let wayCount = 0;
  let relationCount = 0;

  // Buildings: closed ways; attributes in parallel arrays (one entry per building, not per node).
  const buildingRefs = new WayRefs();
  const buildingInfos: BuildingInfo[] = [];
  // Water: closed-way areas and line waterways.
  const waterRefs = new WayRefs();
  const waterMeta: { kind: string; name: string | null; line: boolean }[] = [];
  // Centers: nodes are placed at once; ways after their refs resolve.
  const nodeCenters: CenterRow[] = [];
  const centerWayRefs = new WayRefs();
  const centerWayMeta: { kind: string; tags: Tags }[] = [];
  const places: Place[] = [];

  const handler: OsmHandler = {
    node(id, lon, lat, tags) {
      store.add(id, lon, lat);
      if (tags === null) return;
      const kind = centerKind(tags);
      if (kind !== null) nodeCenters.push(centerRow(kind, tags, 'node', id, lon, lat));
      const place = tags.place;
      if (place !== undefined && COMMUNITY_PLACES.has(place)) {
        places.push({ name: tags.name ?? `${place} node/${id}`, place, osmId: id, lon, lat });
      }
    },
    way(id, refs, tags) {
      wayCount++;
      const access = walkAccess(tags);
      if (access !== null) network.addWay(id, refs, access);
      const closed = isClosed(refs);
      const building = tags.building;
      if (building !== undefined && building !== 'no') {
        if (closed) {
          buildingRefs.add(id, refs);
          buildingInfos.push(buildingInfo(tags));
        } else {
          skips.add('building ways that are not closed rings', `way/${id}`);
        }
      }
      const waterArea = closed ? waterAreaKind(tags) : null;
      if (waterArea !== null) {
        waterRefs.add(id, refs);
        waterMeta.push({ kind: waterArea, name: tags.name ?? null, line: false });
      }
      const waterway = tags.waterway;
      if (waterway !== undefined && WATER_LINES.has(waterway)) {
        waterRefs.add(id, refs);
        waterMeta.push({ kind: waterway, name: tags.name ?? null, line: true });
      }
      const kind = centerKind(tags);
      if (kind !== null) {
        centerWayRefs.add(id, refs);
        centerWayMeta.push({ kind, tags });
      }
    },
    relation(id: number, _members: OsmMember[], tags: Tags) {
      relationCount++;
      if (tags.type !== 'multipolygon') return;
      let what: string | null = null;
      if (tags.building !== undefined) what = 'building';
      else if (waterAreaKind(tags) !== null) what = 'water';
      else if (centerKind(tags) !== null) what = 'center';
      if (what !== null) skips.add('multipolygon relations not handled (buildings, water, centers)', `relation/${id} (${what})`);
    },
  };

  // Way ids with missing refs, merged over the collections a way may be in, so a ref counts once.
  const missingByWay = new Map<number, number>();

  /**
   * Resolves ways' refs to flat lon,lat coords, dropping refs to missing
   * nodes and repeated consecutive nodes. Returns per-way vertex offsets.
   */
  function resolveWays(ways: WayRefs): { offset: Int32Array; coords: Float64Array } {
    const offset = new Int32Array(ways.count + 1);
    // Upper bound: every ref resolves.
    const coords = new Float64Array(ways.totalRefs * 2);
    let v = 0;
    const refs = ways.refs;
    for (let k = 0; k < ways.count; k++) {
      offset[k] = v;
      let missing = 0;
      let prev = -1;
      for (let r = ways.start(k), end = ways.end(k); r < end; r++) {
        const idx = store.indexOf(refs[r]!, prev);
        if (idx < 0) {
          missing++;
          continue;
        }
        if (idx === prev) continue;
        prev = idx;
        coords[2 * v] = store.lon(idx);
        coords[2 * v + 1] = store.lat(idx);
        v++;
      }
      if (missing > 0) missingByWay.set(ways.id(k), missing);
    }
    offset[ways.count] = v;
    return { offset, coords };
  }

  /** A ring with at least 3 distinct vertices and some area. */
  function validRing(coords: Float64Array, from: number, to: number): boolean {
    return distinctVertices(coords, from, to) >= 3 && ringAreaCentroid(coords, from, to).areaM2 > 0;
  }

  function collect(): OsmCollected {
    store.seal();
    const built = network.build(store);

    // Buildings.
    const b = resolveWays(buildingRefs);
    const buildings: BuildingRow[] = [];
    const n = buildingRefs.count;
    const areaM2 = new Float64Array(n);
    const cLon = new Float64Array(n);
    const cLat = new Float64Array(n);
    const keptId = new Float64Array(n);
    const keptInfo: BuildingInfo[] = [];
    let kept = 0;
    for (let k = 0; k < n; k++) {
      const from = b.offset[k]!;
      const to = b.offset[k + 1]!;
      const m = ringAreaCentroid(b.coords, from, to);
      if (!(m.areaM2 > 0) || distinctVertices(b.coords, from, to) < 3) {
        skips.add('degenerate building polygons (< 3 distinct resolvable vertices or no area)', `way/${buildingRefs.id(k)}`);
        continue;
      }
      const info = buildingInfos[k]!;
      buildings.push(new FlatPolygonRow(info.kind, info.levels, b.coords, from, to));
      areaM2[kept] = m.areaM2;
      cLon[kept] = m.lon;
      cLat[kept] = m.lat;
      keptId[kept] = buildingRefs.id(k);
      keptInfo.push(info);
      kept++;
    }
    const footprints: BuildingFootprints = {
      count: kept,
      info: keptInfo,
      areaM2: areaM2.subarray(0, kept),
      lon: cLon.subarray(0, kept),
      lat: cLat.subarray(0, kept),
      osmId: keptId.subarray(0, kept),
    };

    // Water.
    const w = resolveWays(waterRefs);
    const water: WaterRow[] = [];
    for (let k = 0; k < waterRefs.count; k++) {
      const from = w.offset[k]!;
      const to = w.offset[k + 1]!;
      const meta = waterMeta[k]!;
      if (meta.line) {
        if (to - from < 2) {
          skips.add('water ways with < 2 resolvable nodes', `way/${waterRefs.id(k)}`);
          continue;
        }
        const line: Position[] = [];
        for (let i = from; i < to; i++) line.push([w.coords[2 * i]!, w.coords[2 * i + 1]!]);
        water.push({ kind: meta.kind, name: meta.name, geom: { type: 'LineString', coordinates: line } });
      } else {
        if (!validRing(w.coords, from, to)) {
          skips.add('degenerate water polygons', `way/${waterRefs.id(k)}`);
          continue;
        }
        water.push({ kind: meta.kind, name: meta.name, geom: { type: 'MultiPolygon', coordinates: [[ring(w.coords, from, to)]] } });
      }
    }

    // Centers: nodes as they came, ways at their centroid (closed) or vertex mean (open).
    const centers = nodeCenters.slice();
    const c = resolveWays(centerWayRefs);
    for (let k = 0; k < centerWayRefs.count; k++) {
      const from = c.offset[k]!;
      const to = c.offset[k + 1]!;
      const meta = centerWayMeta[k]!;
      const id = centerWayRefs.id(k);
      if (to - from === 0) {
        skips.add('center ways with no resolvable nodes', `way/${id}`);
        continue;
      }
      let lon = 0;
      let lat = 0;
      const closed = to - from >= 4 && c.coords[2 * from] === c.coords[2 * to - 2] && c.coords[2 * from + 1] === c.coords[2 * to - 1];
      const m = closed ? ringAreaCentroid(c.coords, from, to) : null;
      if (m && m.areaM2 > 0) {
        lon = m.lon;
        lat = m.lat;
      } else {
        for (let i = from; i < to; i++) {
          lon += c.coords[2 * i]!;
          lat += c.coords[2 * i + 1]!;
        }
        lon /= to - from;
        lat /= to - from;
      }
      centers.push(centerRow(meta.kind, meta.tags, 'way', id, lon, lat));
    }

    // Missing refs, once per way even when a way is in two collections (a walkable building outline).
    built.missingRefWays.forEach((id, i) => missingByWay.set(id, built.missingRefCounts[i]!));
    if (missingByWay.size > 0) {
      let total = 0;
      for (const n of missingByWay.values()) total += n;
      const examples = [...missingByWay.keys()].slice(0, EXAMPLES).map((id) => `way/${id}`);
      skips.add(MISSING_REFS, examples[0]!, total);
      for (const e of examples) skips.add(MISSING_REFS, e, 0);
    }
    const skipped = skips.list();
    if (built.shortWays > 0) {
      skipped.push({ reason: 'walkable ways with < 2 resolvable nodes', count: built.shortWays, examples: built.shortWayExamples.map((id) => `way/${id}`) });
    }
    if (built.zeroLengthDropped > 0) {
      skipped.push({ reason: 'zero-length walk edges (repeated node refs), dropped', count: built.zeroLengthDropped, examples: [] });
    }

    return {
      nodes: store.count,
      ways: wayCount,
      relations: relationCount,
      network: built,
      footprints,
      buildings,
      water,
      centers,
      places,
      skipped,
    };
  }

  return {
    handler,
    collect,
    finish(options = {}) {
      const t0 = performance.now();
      const collected = collect();
      const result = assemble(collected, typeof options === 'string' ? { city: options } : options);
      result.report.ms.build = performance.now() - t0;
      result.report.ms.total = result.report.ms.build;
      return result;
    },
  };
}

/**
 * The admin chain as far as OSM place nodes allow: the city, and communities
 * from place nodes, each grid in the community of the place node nearest its
 * centre. OSM extracts rarely carry district and street (town) units in a
 * usable form, so those stay null and communities hang directly under the
 * city. Only communities that receive at least one grid are kept.
 */
export function adminChain(
  city: { code: string; name: string },
  places: readonly Place[],
  grids: GridRow[],
  gridCenterLon: ArrayLike<number>,
  gridCenterLat: ArrayLike<number>,
): AdminUnit[] {
  if (places.length === 0 || grids.length === 0) return [];
  const codes = places.map((p) => `community-${p.osmId}`);
  const used = new Uint8Array(places.length);
  const RAD = Math.PI / 180;
  for (let g = 0; g < grids.length; g++) {
    const lon = gridCenterLon[g]!;
    const lat = gridCenterLat[g]!;
    const kx = Math.cos(lat * RAD);
    let best = -1;
    let bestD = Infinity;
    for (let p = 0; p < places.length; p++) {
      const dx = (places[p]!.lon - lon) * kx;
      const dy = places[p]!.lat - lat;
      const d = dx * dx + dy * dy;
      if (d < bestD) {
        bestD = d;
        best = p;
      }
    }
    grids[g]!.communityCode = codes[best]!;
    used[best] = 1;
  }
  const admin: AdminUnit[] = [];
  for (let p = 0; p < places.length; p++) {
    if (used[p]) admin.push({ code: codes[p]!, level: 'community', name: places[p]!.name, parentCode: city.code, geom: null });
  }
  return admin;
}

/** The bundle from collected data: households, grids, admin chain, report. */
export function assemble(collected: OsmCollected, options: AssembleOptions = {}): { bundle: ImportBundle; report: OsmImportReport } {
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

/** A readable city name from a file name: "monaco.osm.pbf" -> "Monaco". */
function cityFromFile(file: string): string {
  const base = basename(file).replace(/\.(osm\.pbf|pbf|osm|xml)$/i, '').replace(/[-_]+/g, ' ').trim();
  return base ? base.charAt(0).toUpperCase() + base.slice(1) : 'City';
}

/** Reads an OSM PBF or XML file in one pass and builds the import bundle with its report. */
export async function osmToBundle(
  file: string,
  options: { city?: string; onProgress?: (p: ReadProgress) => void; signal?: AbortSignal } = {},
): Promise<{ bundle: ImportBundle; report: OsmImportReport }> {
  const t0 = performance.now();
  const collector = createOsmCollector();
  await readOsm(file, collector.handler, { onProgress: options.onProgress, signal: options.signal });
  const t1 = performance.now();
  options.signal?.throwIfAborted();
  const result = collector.finish({ city: options.city ?? cityFromFile(file), source: `osm:${basename(file)}` });
  const t2 = performance.now();
  result.report.ms = { read: t1 - t0, build: t2 - t1, total: t2 - t0 };
  return result;
}
