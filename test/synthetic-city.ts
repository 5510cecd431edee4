/**
 * A small seeded city as an ImportBundle, for coverage and HTTP tests on both
 * backends: the synthetic walk network (synthetic-graph.ts), a 2-district /
 * 4-street / 8-community admin chain, a 4 x 4 block of grids over it,
 * household units at random places (some beyond the network, "in the sea"),
 * and centers of two kinds.
 */
import type { AdminUnit, GridRow, ImportBundle, CenterRow } from '../kernel/import-bundle.ts';
import { networkBounds, seededRandom, syntheticNetwork, type SyntheticOptions } from './synthetic-graph.ts';

export interface SyntheticCityOptions extends Partial<SyntheticOptions> {
  households?: number;
  centers?: number;
}

export function syntheticCity(options: SyntheticCityOptions = {}): ImportBundle {
  const seed = options.seed ?? 1;
  const input = syntheticNetwork({ cols: options.cols ?? 24, rows: options.rows ?? 24, seed, ...options });
  const random = seededRandom(seed * 7 + 1);
  const [minLon, minLat, maxLon, maxLat] = networkBounds(input);

  const admin: AdminUnit[] = [];
  for (let d = 0; d < 2; d++) {
    admin.push({ code: `D${d}`, level: 'district', name: `District ${d}`, parentCode: 'C', geom: null });
    for (let s = 0; s < 2; s++) {
      admin.push({ code: `D${d}S${s}`, level: 'street', name: `Street ${d}.${s}`, parentCode: `D${d}`, geom: null });
      for (let c = 0; c < 2; c++) admin.push({ code: `D${d}S${s}C${c}`, level: 'community', name: `Community ${d}.${s}.${c}`, parentCode: `D${d}S${s}`, geom: null });
    }
  }
  // 4 x 4 grids; column pairs are districts, rows pairs streets, single columns communities.
  const grids: GridRow[] = [];
  const gw = (maxLon - minLon) / 4;
  const gh = (maxLat - minLat) / 4;
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      const x0 = minLon + c * gw;
      const y0 = minLat + r * gh;
      const d = c >> 1;
      const s = r >> 1;
      grids.push({
        code: `G${r}${c}`,
        name: `Grid ${r}.${c}`,
        districtCode: `D${d}`,
        streetCode: `D${d}S${s}`,
        communityCode: `D${d}S${s}C${c & 1}`,
        officers: 1,
        geom: [[[[x0, y0], [x0 + gw, y0], [x0 + gw, y0 + gh], [x0, y0 + gh], [x0, y0]]]],
      });
    }
  }

  const count = options.households ?? 400;
  const lon = new Float64Array(count);
  const lat = new Float64Array(count);
  const households = new Int32Array(count);
  const gridIndex = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    // A few units lie well beyond the network (more than the snap limit away).
    const far = i % 50 === 49;
    lon[i] = far ? maxLon + 0.02 : minLon + random() * (maxLon - minLon);
    lat[i] = far ? maxLat - random() * (maxLat - minLat) : minLat + random() * (maxLat - minLat);
    households[i] = 1 + Math.floor(random() * 40);
    const c = Math.min(3, Math.floor((Math.min(lon[i]!, maxLon - 1e-9) - minLon) / gw));
    const r = Math.min(3, Math.floor((lat[i]! - minLat) / gh));
    gridIndex[i] = r * 4 + c;
  }
  const centers: CenterRow[] = [];
  for (let i = 0; i < (options.centers ?? 6); i++) {
    centers.push({
      name: `Center ${i}`,
      kind: i % 3 === 0 ? 'governance' : 'neighborhood',
      services: ['party-building'],
      source: 'synthetic',
      sourceId: null,
      lon: minLon + (0.1 + 0.8 * random()) * (maxLon - minLon),
      lat: minLat + (0.1 + 0.8 * random()) * (maxLat - minLat),
    });
  }

  const classIndex = new Uint8Array(input.edgeCount);
  return {
    city: { code: 'C', name: 'Synthetic' },
    source: `synthetic:${seed}`,
    admin,
    grids,
    centers,
    households: {
      count,
      lon,
      lat,
      households,
      persons: new Int32Array(count).fill(-1),
      gridIndex,
      source: 'synthetic',
      sourceIds: new Array(count).fill(''),
    },
    network: {
      nodeCount: input.nodeCount,
      nodeLon: Float64Array.from(input.nodeLon),
      nodeLat: Float64Array.from(input.nodeLat),
      nodeOsmId: new Float64Array(input.nodeCount).fill(-1),
      edgeCount: input.edgeCount,
      source: Int32Array.from(input.source),
      target: Int32Array.from(input.target),
      lengthM: Float64Array.from(input.lengthM),
      cost: Float64Array.from(input.cost),
      reverseCost: Float64Array.from(input.reverseCost),
      classIndex,
      classNames: ['footway'],
      edgeOsmId: new Float64Array(input.edgeCount).fill(-1),
      geomOffset: Int32Array.from(input.geomOffset),
      coords: Float64Array.from(input.coords),
    },
    buildings: [],
    water: [],
  };
}
