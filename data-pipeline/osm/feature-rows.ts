/**
 * The feature steps of an OSM import, run once the whole file is read: the
 * collected building, water and center ways, their refs resolved to
 * coordinates (way-geometry.ts), become bundle rows, and the buildings also
 * the footprints the household estimate measures. A way that cannot be drawn
 * is counted in the skipped list instead of kept.
 */
import type { BuildingRow, CenterRow, Position, WaterRow } from '../../kernel/import-bundle.ts';
import { ringAreaCentroid, type BuildingFootprints, type BuildingInfo } from './household-estimate.ts';
import type { WayRefs } from './node-store.ts';
import { centerRow } from './osm-centers.ts';
import type { Tags } from './osm-elements.ts';
import type { SkippedFeatures } from './skipped-features.ts';
import { closedRing, distinctVertices, endsMeet, FlatPolygonRow, isValidRing, type ResolvedWays } from './way-geometry.ts';

/** What the way pass keeps of a water way, parallel to its WayRefs. */
export interface WaterWay {
  kind: string;
  name: string | null;
  /** A line waterway (river, stream, canal) rather than an area. */
  line: boolean;
}

/** What the way pass keeps of a center way, parallel to its WayRefs. */
export interface CenterWay {
  kind: string;
  tags: Tags;
}

/**
 * Building rows and their footprints (area and centroid, for the household
 * estimate). Keeps the buildings whose ring has at least 3 distinct vertices
 * and some area; `infos` is parallel to `ways`.
 */
export function buildingRows(
  ways: WayRefs,
  infos: readonly BuildingInfo[],
  resolved: ResolvedWays,
  skips: SkippedFeatures,
): { buildings: BuildingRow[]; footprints: BuildingFootprints } {
  const { offset, coords } = resolved;
  const buildings: BuildingRow[] = [];
  // Footprint columns sized for every building, cut to the kept ones at the end.
  const areaM2 = new Float64Array(ways.count);
  const centroidLon = new Float64Array(ways.count);
  const centroidLat = new Float64Array(ways.count);
  const osmId = new Float64Array(ways.count);
  const keptInfos: BuildingInfo[] = [];
  let kept = 0;
  for (let k = 0; k < ways.count; k++) {
    const from = offset[k]!;
    const to = offset[k + 1]!;
    const m = ringAreaCentroid(coords, from, to);
    if (!(m.areaM2 > 0) || distinctVertices(coords, from, to) < 3) {
      skips.add('degenerate building polygons (< 3 distinct resolvable vertices or no area)', `way/${ways.id(k)}`);
      continue;
    }
    const info = infos[k]!;
    buildings.push(new FlatPolygonRow(info.kind, info.levels, coords, from, to));
    areaM2[kept] = m.areaM2;
    centroidLon[kept] = m.lon;
    centroidLat[kept] = m.lat;
    osmId[kept] = ways.id(k);
    keptInfos.push(info);
    kept++;
  }
  const footprints: BuildingFootprints = {
    count: kept,
    info: keptInfos,
    areaM2: areaM2.subarray(0, kept),
    lon: centroidLon.subarray(0, kept),
    lat: centroidLat.subarray(0, kept),
    osmId: osmId.subarray(0, kept),
  };
  return { buildings, footprints };
}

/** Water rows: areas as polygons (valid rings only), waterways as lines of at least 2 nodes. */
export function waterRows(ways: WayRefs, meta: readonly WaterWay[], resolved: ResolvedWays, skips: SkippedFeatures): WaterRow[] {
  const { offset, coords } = resolved;
  const water: WaterRow[] = [];
  for (let k = 0; k < ways.count; k++) {
    const from = offset[k]!;
    const to = offset[k + 1]!;
    const way = meta[k]!;
    if (way.line) {
      if (to - from < 2) {
        skips.add('water ways with < 2 resolvable nodes', `way/${ways.id(k)}`);
        continue;
      }
      const coordinates: Position[] = [];
      for (let i = from; i < to; i++) coordinates.push([coords[2 * i]!, coords[2 * i + 1]!]);
      water.push({ kind: way.kind, name: way.name, geom: { type: 'LineString', coordinates } });
    } else {
      if (!isValidRing(coords, from, to)) {
        skips.add('degenerate water polygons', `way/${ways.id(k)}`);
        continue;
      }
      water.push({ kind: way.kind, name: way.name, geom: { type: 'MultiPolygon', coordinates: [[closedRing(coords, from, to)]] } });
    }
  }
  return water;
}

/** Center rows from ways: at the centroid of a closed way with some area, else at the vertex mean. */
export function centerWayRows(ways: WayRefs, meta: readonly CenterWay[], resolved: ResolvedWays, skips: SkippedFeatures): CenterRow[] {
  const { offset, coords } = resolved;
  const centers: CenterRow[] = [];
  for (let k = 0; k < ways.count; k++) {
    const from = offset[k]!;
    const to = offset[k + 1]!;
    const { kind, tags } = meta[k]!;
    const id = ways.id(k);
    if (to - from === 0) {
      skips.add('center ways with no resolvable nodes', `way/${id}`);
      continue;
    }
    let lon = 0;
    let lat = 0;
    const closed = to - from >= 4 && endsMeet(coords, from, to);
    const m = closed ? ringAreaCentroid(coords, from, to) : null;
    if (m && m.areaM2 > 0) {
      lon = m.lon;
      lat = m.lat;
    } else {
      for (let i = from; i < to; i++) {
        lon += coords[2 * i]!;
        lat += coords[2 * i + 1]!;
      }
      lon /= to - from;
      lat /= to - from;
    }
    centers.push(centerRow(kind, tags, 'way', id, lon, lat));
  }
  return centers;
}
