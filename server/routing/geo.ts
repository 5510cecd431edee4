/**
 * Small geodesy for routing: great-circle distance for reported metres, and a
 * local equirectangular projection (metres east/north of a reference point)
 * for the spatial index and snapping, where a city-sized area makes the
 * projection's error (well under 1 %) irrelevant next to GPS and OSM error.
 */

/** Mean Earth radius (IUGG), metres. */
export const EARTH_RADIUS_M = 6371008.8;
const RAD = Math.PI / 180;
/** Metres per degree of latitude on the mean sphere. */
export const METRES_PER_DEGREE = EARTH_RADIUS_M * RAD;

/** Great-circle distance in metres between two lon/lat points. */
export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const s1 = Math.sin(dLat / 2);
  const s2 = Math.sin(dLon / 2);
  const a = s1 * s1 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * s2 * s2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Metres east (kx) and north (ky) per degree of lon and lat around latitude `lat0`. */
export function localScale(lat0: number): { kx: number; ky: number } {
  return { kx: METRES_PER_DEGREE * Math.cos(lat0 * RAD), ky: METRES_PER_DEGREE };
}

/** Length in metres of the polyline coords[2*from .. 2*to) (vertex units), by haversine. */
export function polylineLengthM(coords: ArrayLike<number>, fromVertex: number, toVertex: number): number {
  let total = 0;
  for (let i = fromVertex + 1; i < toVertex; i++) {
    total += haversineM(coords[2 * i - 2]!, coords[2 * i - 1]!, coords[2 * i]!, coords[2 * i + 1]!);
  }
  return total;
}
