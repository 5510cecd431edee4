/**
 * Geodesy for the whole project, on one sphere: the importers measure edge
 * lengths on it, routing reports metres on it, and the isochrone, the
 * spatial indexes and the demo city work in a local plane tied to it.
 *
 * - `haversineM`: great-circle distance, for metres anyone reads.
 * - A local equirectangular projection (metres east and north of a
 *   reference point): for a city-sized area its error (well under 1 %) is
 *   irrelevant next to GPS and OSM error, and `relativeError` bounds it for
 *   callers that subtract it from a metric guarantee (the isochrone).
 */

/** Mean Earth radius (IUGG), metres. */
export const EARTH_RADIUS_M = 6371008.8;
/** Radians per degree. */
export const RAD = Math.PI / 180;
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

/** Length in metres of the polyline coords[2*from .. 2*to) (vertex units), by haversine. */
export function polylineLengthM(coords: ArrayLike<number>, fromVertex: number, toVertex: number): number {
  let total = 0;
  for (let i = fromVertex + 1; i < toVertex; i++) {
    total += haversineM(coords[2 * i - 2]!, coords[2 * i - 1]!, coords[2 * i]!, coords[2 * i + 1]!);
  }
  return total;
}

/**
 * Length in metres between two lon/lat points in the local plane at their
 * mean latitude: within 0.1 % of haversine for segments of a few km, and
 * cheaper (the demo city measures its generated streets this way).
 */
export function equirectangularDistanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dx = (lon2 - lon1) * Math.cos(((lat1 + lat2) / 2) * RAD) * METRES_PER_DEGREE;
  const dy = (lat2 - lat1) * METRES_PER_DEGREE;
  return Math.sqrt(dx * dx + dy * dy);
}

/** Metres east (x) and north (y) of (lon0, lat0): x = (lon - lon0) * kx, y = (lat - lat0) * ky. */
export interface LocalProjection {
  readonly lon0: number;
  readonly lat0: number;
  /** Metres per degree of longitude at lat0. */
  readonly kx: number;
  /** Metres per degree of latitude. */
  readonly ky: number;
}

/** The projection centred on (lon0, lat0). */
export function localProjection(lon0: number, lat0: number): LocalProjection {
  return { lon0, lat0, kx: METRES_PER_DEGREE * Math.cos(lat0 * RAD), ky: METRES_PER_DEGREE };
}

/** Metres east (kx) and north (ky) per degree of lon and lat around latitude `lat0`. */
export function localScale(lat0: number): { kx: number; ky: number } {
  return { kx: METRES_PER_DEGREE * Math.cos(lat0 * RAD), ky: METRES_PER_DEGREE };
}

/** Longitude of plane x. */
export function toLon(p: LocalProjection, x: number): number {
  return p.lon0 + x / p.kx;
}

/** Latitude of plane y. */
export function toLat(p: LocalProjection, y: number): number {
  return p.lat0 + y / p.ky;
}

/**
 * Upper bound of the relative error of plane distances against distances on
 * the sphere, for segments short next to the Earth (a few hundred metres)
 * lying between latitudes latMin and latMax (degrees). North-south distances
 * are exact; east-west ones are scaled by cos(lat0) instead of cos(lat)
 * (1 km at 45 deg: 0.016 %; a 30 km city at 25 deg: 0.2 %).
 */
export function relativeError(p: LocalProjection, latMin: number, latMax: number): number {
  const c0 = Math.cos(p.lat0 * RAD);
  let worst = 0;
  for (const lat of [latMin, latMax]) {
    worst = Math.max(worst, Math.abs(Math.cos(lat * RAD) / c0 - 1));
  }
  // cos is monotone on each side of the equator; a range across it peaks at 0.
  if (latMin < 0 && latMax > 0) worst = Math.max(worst, Math.abs(1 / c0 - 1));
  // Curvature of the meridians and parallels over a few hundred metres: < 1e-8.
  return worst + 1e-6;
}
