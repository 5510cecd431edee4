/**
 * The isochrone's plane: an equirectangular projection around a reference
 * point (the origin, or the middle of several), in metres east and north on
 * the same mean sphere the importer measures lengths on. All raster and
 * polygon work happens in this plane; only the final rings go back to lon/lat.
 *
 * Why it is good enough, and how much it is off: north-south distances are
 * exact on the sphere; east-west ones are scaled by cos(lat0) instead of
 * cos(lat), a relative error of |cos(lat)/cos(lat0) - 1| that grows with the
 * latitude span (1 km at 45 deg: 0.016 %; a 30 km city at 25 deg: 0.2 %).
 * `relativeError` bounds it for a latitude range, so callers can subtract the
 * error from their metric guarantees instead of ignoring it.
 */

/** Mean Earth radius (IUGG), metres: the importer's haversine sphere. */
export const EARTH_RADIUS_M = 6371008.8;
const RAD = Math.PI / 180;
/** Metres per degree of latitude on that sphere. */
export const METRES_PER_DEGREE = EARTH_RADIUS_M * RAD;

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
 * lying between latitudes latMin and latMax (degrees).
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
