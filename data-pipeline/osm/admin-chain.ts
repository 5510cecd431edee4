/**
 * The admin chain of an OSM import, as far as OSM place nodes allow: the
 * city, and communities from place nodes, each grid in the community of the
 * place node nearest its centre. OSM extracts rarely carry district and
 * street (town) units in a usable form, so those stay null and communities
 * hang directly under the city.
 */
import { RAD } from '../../kernel/geo.ts';
import type { AdminUnit, GridRow } from '../../kernel/import-bundle.ts';
import type { Place } from './osm-collector.ts';

/**
 * Sets each grid's communityCode to its nearest place's community and
 * returns the communities that received at least one grid (the others are
 * left out). Distances are compared in a plane scaled at each grid's
 * latitude, enough to pick the nearest of a few places.
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
