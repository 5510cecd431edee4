/**
 * What spreading grid totals (grid-totals.ts) needs, taken from an OSM
 * import: the residential buildings, by the building estimate's own rule of
 * what is housing (household-estimate.ts), and the residential streets, from
 * the walk network's edges (so only streets walkers may use: a gated
 * compound's access=private lanes are not in it).
 */
import type { WalkNetwork } from '../../kernel/import-bundle.ts';
import { METRES_PER_LEVEL, STREET_RANKS, type ResidentialBuildings, type StreetLines } from '../grid-totals.ts';
import { householdsInBuilding, type BuildingFootprints } from './household-estimate.ts';

/** Buildings the estimate counts as housing, with levels from building:levels, else height / METRES_PER_LEVEL (at least 1), else NaN. */
export function residentialBuildingsFrom(footprints: BuildingFootprints): ResidentialBuildings {
  const keep: number[] = [];
  for (let k = 0; k < footprints.count; k++) {
    const ok = Number.isFinite(footprints.lon[k]!) && Number.isFinite(footprints.lat[k]!);
    if (ok && householdsInBuilding(footprints.info[k]!, footprints.areaM2[k]!) > 0) keep.push(k);
  }
  const n = keep.length;
  const out: ResidentialBuildings = {
    count: n,
    lon: new Float64Array(n),
    lat: new Float64Array(n),
    footprintM2: new Float64Array(n),
    levels: new Float64Array(n),
    osmId: new Float64Array(n),
  };
  keep.forEach((k, i) => {
    const info = footprints.info[k]!;
    out.lon[i] = footprints.lon[k]!;
    out.lat[i] = footprints.lat[k]!;
    out.footprintM2[i] = footprints.areaM2[k]!;
    out.levels[i] = info.levels ?? (info.heightM !== null ? Math.max(1, info.heightM / METRES_PER_LEVEL) : NaN);
    out.osmId[i] = footprints.osmId[k]!;
  });
  return out;
}

/** The walk network's edges of the STREET_RANKS classes, as lines over its own coordinates (nothing copied). */
export function residentialStreetsFrom(network: WalkNetwork): StreetLines {
  const rankOfClass = network.classNames.map((name) => STREET_RANKS.findIndex((classes) => classes.includes(name)));
  const edges: number[] = [];
  for (let e = 0; e < network.edgeCount; e++) if (rankOfClass[network.classIndex[e]!]! >= 0) edges.push(e);
  const n = edges.length;
  const lines: StreetLines = {
    count: n,
    start: new Int32Array(n),
    end: new Int32Array(n),
    coords: network.coords,
    rank: new Uint8Array(n),
    osmId: new Float64Array(n),
  };
  edges.forEach((e, i) => {
    lines.start[i] = network.geomOffset[e]!;
    lines.end[i] = network.geomOffset[e + 1]!;
    lines.rank[i] = rankOfClass[network.classIndex[e]!]!;
    lines.osmId[i] = network.edgeOsmId[e]!;
  });
  return lines;
}
