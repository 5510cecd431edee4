/**
 * What one streaming pass over an OSM file keeps, and what it makes of it
 * once the file is read. The handler keeps every node's coordinates
 * (node-store.ts: ways come after nodes, so any node may be needed later),
 * the tagged nodes that are centers or places, and from the ways only what
 * the bundle needs: walkable ways (network-builder.ts), buildings, water and
 * center ways, as node refs in typed arrays. `collect` then builds the walk
 * network and resolves the other ways into rows (feature-rows.ts); `finish`
 * hands those to `assemble` (assemble-bundle.ts) for the bundle itself.
 */
import type { BuildingRow, CenterRow, WaterRow } from '../../kernel/import-bundle.ts';
import { assemble, type AssembleOptions, type OsmImport } from './assemble-bundle.ts';
import { buildingRows, centerWayRows, waterRows, type CenterWay, type WaterWay } from './feature-rows.ts';
import { buildingInfo, type BuildingFootprints, type BuildingInfo } from './household-estimate.ts';
import { NetworkBuilder, type NetworkBuildResult } from './network-builder.ts';
import { NodeStore, WayRefs } from './node-store.ts';
import { centerKind, centerRow } from './osm-centers.ts';
import type { OsmHandler, OsmMember, Tags } from './osm-elements.ts';
import { EXAMPLES, SkippedFeatures, type SkippedEntry } from './skipped-features.ts';
import { walkAccess } from './walk-model.ts';
import { isClosed, resolveWays } from './way-geometry.ts';

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

const MISSING_REFS = 'way-node refs to nodes missing from the file (ways cut there)';

/** A place node that may become a community. */
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

export interface OsmCollector {
  handler: OsmHandler;
  /** Resolves what was collected; call once, after the whole file has been read. */
  collect(): OsmCollected;
  /** collect() then assemble(): the bundle and its report (ms.read is left 0). A string is the city name. */
  finish(options?: AssembleOptions | string): OsmImport;
}

/**
 * A collector that can be driven by any element stream: readOsm in
 * osmToBundle, synthetic calls in tests.
 */
export function createOsmCollector(): OsmCollector {
  const store = new NodeStore();
  const network = new NetworkBuilder();
  const skips = new SkippedFeatures();
  let wayCount = 0;
  let relationCount = 0;

  // Buildings: closed ways; attributes in parallel arrays (one entry per building, not per node).
  const buildingRefs = new WayRefs();
  const buildingInfos: BuildingInfo[] = [];
  // Water: closed-way areas and line waterways.
  const waterRefs = new WayRefs();
  const waterWays: WaterWay[] = [];
  // Centers: nodes are placed at once; ways after their refs resolve.
  const nodeCenters: CenterRow[] = [];
  const centerWayRefs = new WayRefs();
  const centerWays: CenterWay[] = [];
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
        waterWays.push({ kind: waterArea, name: tags.name ?? null, line: false });
      }
      const waterway = tags.waterway;
      if (waterway !== undefined && WATER_LINES.has(waterway)) {
        waterRefs.add(id, refs);
        waterWays.push({ kind: waterway, name: tags.name ?? null, line: true });
      }
      const kind = centerKind(tags);
      if (kind !== null) {
        centerWayRefs.add(id, refs);
        centerWays.push({ kind, tags });
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

  function collect(): OsmCollected {
    store.seal();
    const built = network.build(store);
    // Way ids with missing refs, merged over the collections a way may be in, so a ref counts once.
    const missingByWay = new Map<number, number>();
    const { buildings, footprints } = buildingRows(buildingRefs, buildingInfos, resolveWays(buildingRefs, store, missingByWay), skips);
    const water = waterRows(waterRefs, waterWays, resolveWays(waterRefs, store, missingByWay), skips);
    // Centers: nodes as they came, then ways.
    const centers = nodeCenters.concat(centerWayRows(centerWayRefs, centerWays, resolveWays(centerWayRefs, store, missingByWay), skips));

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
