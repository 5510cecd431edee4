/**
 * The coordinate systems of Chinese map providers, converted to WGS84.
 *
 * - GCJ-02 ("Mars coordinates", used by Amap/Gaode, Tencent, Google Maps in
 *   China): WGS84 plus a smooth offset of a few hundred metres. The offset is
 *   the published (leaked, widely reimplemented) algorithm: a polynomial and
 *   sine series in (lon - 105, lat - 35), turned into degrees on the
 *   Krasovsky 1940 ellipsoid (a = 6378245 m, e² = 0.00669342162296594323).
 *   Reference implementations: googollee/eviltransform, wandergis/
 *   coordtransform, hujiulong/gcoord; chinese-crs.test.ts reproduces the
 *   point pairs their tests and docs publish.
 * - BD-09 (Baidu): GCJ-02 turned by a small rotation and scaling around the
 *   origin (2e-5 deg · sin, 3e-6 rad · cos at a frequency of 3000π/180) and
 *   shifted by (+0.0065, +0.006) deg, per the same implementations.
 * - CGCS2000 (China's official datum, used by surveying and government
 *   data) is read as WGS84: both are aligned to the ITRF, their ellipsoids
 *   share the semi-major axis and differ by 0.1 mm in the semi-minor one,
 *   and positions agree within centimetres at CGCS2000's epoch 2000.0. (Its
 *   coordinates stay fixed to that epoch while WGS84 follows the plates, a
 *   few cm a year in China, so by now they can be up to about a metre apart:
 *   still below OSM's own accuracy and what a walk analysis can notice.)
 *
 * Out of China: GCJ-02 leaves points outside a rectangle around China
 * (lon 72.004..137.8347, lat 0.8293..55.8271) unchanged, the rule the
 * implementations above apply; we apply it to BD-09 too (as eviltransform
 * does). The rectangle is not the border: parts of neighbouring countries
 * inside it are shifted like China.
 *
 * The inverse GCJ-02 -> WGS84 has no closed form. The usual one-step
 * approximation (subtract the offset computed at the GCJ point) is off by up
 * to a few metres, because the offset differs between the two points; we
 * iterate w <- w - (gcj(w) - g) instead, which converges to well under a
 * millimetre in a few steps since the offset changes slowly (its gradient is
 * below 0.01 across China, so each step gains two digits). BD-09 -> GCJ-02 uses the standard closed-form inverse, which is
 * not the exact inverse of the forward one: off by up to ~0.2 m in China
 * (it evaluates the small rotation at the shifted point), less than the
 * 2 m by which Baidu's geoconv documentation says its own results vary.
 *
 * Here and not in kernel/: only the import reads such files; should the
 * server ever accept GCJ-02 points, the module moves to kernel/ unchanged.
 */
import type { Position } from '../../kernel/import-bundle.ts';

/** The coordinate systems an input file may be in. */
export const CRS_NAMES = ['wgs84', 'gcj02', 'bd09'] as const;
export type Crs = (typeof CRS_NAMES)[number];
/** Other names accepted for a system: CGCS2000 differs from WGS84 by centimetres. */
const CRS_ALIASES: Readonly<Record<string, Crs>> = { cgcs2000: 'wgs84' };

/** Converts one [lon, lat] of some system to WGS84. */
export type ToWgs84 = (lon: number, lat: number) => Position;

/** Krasovsky 1940 semi-major axis (m) and first eccentricity squared, as GCJ-02 uses them. */
const KRASOVSKY_A = 6378245.0;
const KRASOVSKY_EE = 0.00669342162296594323;
/** BD-09's rotation frequency (rad per degree) and its shift (deg). */
const BD_FREQ = (Math.PI * 3000.0) / 180.0;
const BD_DLON = 0.0065;
const BD_DLAT = 0.006;
/** The inverse iterates until the residual is below this (deg, ~0.1 µm), or MAX_STEPS. */
const INVERSE_TOLERANCE = 1e-12;
const MAX_STEPS = 20;

/** The system named `name` (case and hyphens ignored: "GCJ-02" is gcj02), or undefined. */
export function parseCrs(name: string): Crs | undefined {
  const key = name.trim().toLowerCase().replace(/[-_]/g, '');
  if ((CRS_NAMES as readonly string[]).includes(key)) return key as Crs;
  return CRS_ALIASES[key];
}

/** True outside the rectangle where GCJ-02 (and BD-09) apply an offset. */
export function outOfChina(lon: number, lat: number): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

/** The GCJ-02 series in metres-like units, for x = lon - 105, y = lat - 35. */
function seriesLat(x: number, y: number): number {
  let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320.0 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return r;
}

function seriesLon(x: number, y: number): number {
  let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return r;
}

/** GCJ-02 minus WGS84 at the WGS84 point (lon, lat), degrees, ignoring the out-of-China rule. */
function gcjOffset(lon: number, lat: number): Position {
  const x = lon - 105.0;
  const y = lat - 35.0;
  const radLat = (lat / 180.0) * Math.PI;
  const s = Math.sin(radLat);
  const magic = 1 - KRASOVSKY_EE * s * s;
  const sqrtMagic = Math.sqrt(magic);
  // Metres to degrees on the ellipsoid: meridian and prime-vertical radii of curvature.
  const dLat = (seriesLat(x, y) * 180.0) / (((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLon = (seriesLon(x, y) * 180.0) / ((KRASOVSKY_A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [dLon, dLat];
}

/** WGS84 -> GCJ-02 (the forward transform, exact by definition). */
export function wgs84ToGcj02(lon: number, lat: number): Position {
  if (outOfChina(lon, lat)) return [lon, lat];
  const [dLon, dLat] = gcjOffset(lon, lat);
  return [lon + dLon, lat + dLat];
}

/** GCJ-02 -> WGS84 by fixed-point iteration on the forward transform (error far below 1 mm). */
export function gcj02ToWgs84(lon: number, lat: number): Position {
  if (outOfChina(lon, lat)) return [lon, lat];
  let wLon = lon;
  let wLat = lat;
  // The raw offset, not wgs84ToGcj02: near the rectangle's edge an iterate
  // stepping outside must not switch the transform off and oscillate.
  for (let step = 0; step < MAX_STEPS; step++) {
    const [dLon, dLat] = gcjOffset(wLon, wLat);
    const eLon = wLon + dLon - lon;
    const eLat = wLat + dLat - lat;
    wLon -= eLon;
    wLat -= eLat;
    if (Math.abs(eLon) < INVERSE_TOLERANCE && Math.abs(eLat) < INVERSE_TOLERANCE) break;
  }
  return [wLon, wLat];
}

/** GCJ-02 -> BD-09 (the forward transform). */
export function gcj02ToBd09(lon: number, lat: number): Position {
  if (outOfChina(lon, lat)) return [lon, lat];
  const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * BD_FREQ);
  const theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * BD_FREQ);
  return [z * Math.cos(theta) + BD_DLON, z * Math.sin(theta) + BD_DLAT];
}

/** BD-09 -> GCJ-02 by the standard closed-form inverse (off by up to ~0.2 m). */
export function bd09ToGcj02(lon: number, lat: number): Position {
  if (outOfChina(lon, lat)) return [lon, lat];
  const x = lon - BD_DLON;
  const y = lat - BD_DLAT;
  const z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * BD_FREQ);
  const theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * BD_FREQ);
  return [z * Math.cos(theta), z * Math.sin(theta)];
}

/** BD-09 -> WGS84: through GCJ-02. */
export function bd09ToWgs84(lon: number, lat: number): Position {
  if (outOfChina(lon, lat)) return [lon, lat];
  const [gLon, gLat] = bd09ToGcj02(lon, lat);
  return gcj02ToWgs84(gLon, gLat);
}

const identity: ToWgs84 = (lon, lat) => [lon, lat];

/** The conversion to WGS84 of points in `crs`. */
export function toWgs84(crs: Crs): ToWgs84 {
  switch (crs) {
    case 'wgs84':
      return identity;
    case 'gcj02':
      return gcj02ToWgs84;
    case 'bd09':
      return bd09ToWgs84;
  }
}
