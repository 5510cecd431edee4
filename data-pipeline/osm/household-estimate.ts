/**
 * Household units estimated from OSM buildings, for cities imported without a
 * household file. All rules and constants are here, in one commented place.
 *
 * One residential building = one household unit (one row), placed at the
 * building's area-weighted centroid, with an estimated number of households:
 *   - building:flats (or a count parsed from addr:flats, e.g. "1-12") wins
 *     whenever present, on any building type;
 *   - single-family types (house, detached, bungalow, semidetached_house) = 1;
 *   - terrace = one house per TERRACE_HOUSE_M2 of footprint (6 m frontage x
 *     10 m depth);
 *   - multi-dwelling types (apartments, residential, dormitory) =
 *     footprint x levels x USABLE_SHARE / M2_PER_HOUSEHOLD, at least 1;
 *   - building=yes (untyped, the most common tag) only when it carries no
 *     tag that says it is something else (shop, amenity, office...) and its
 *     footprint is house-to-block sized (YES_MIN_M2..YES_MAX_M2); then the
 *     multi-dwelling formula scaled by YES_RESIDENTIAL_SHARE, at least 1.
 * Persons = households x PERSONS_PER_HOUSEHOLD.
 * It is an estimate for planning what-ifs, not a census: a household file
 * (the ingest CLI's --households) replaces it where one exists.
 */
import type { HouseholdColumns } from '../../kernel/import-bundle.ts';
import type { Tags } from './osm-elements.ts';
import { localScale } from '../../kernel/geo.ts';

/**
 * Floor area per household, m² (gross dwelling size). China's urban average is
 * about 100 m² per household (~40 m² per person x 2.6), the EU's about 90 m²;
 * 90 keeps dense European extracts such as Monaco plausible.
 */
export const M2_PER_HOUSEHOLD = 90;
/** Share of gross floor area (footprint x levels) that is dwelling: walls, stairs, lifts, corridors and ground-floor shops take the rest. */
export const USABLE_SHARE = 0.75;
/**
 * Average household size. China's 2020 census: 2.62 persons per household;
 * the EU: 2.3. 2.6 is used for both: one factor, documented, easy to override
 * with a household file that carries persons.
 */
export const PERSONS_PER_HOUSEHOLD = 2.6;
/** Footprint of one house in a terrace: 6 m frontage x 10 m depth. */
export const TERRACE_HOUSE_M2 = 60;
/**
 * building=yes counts as residential only in this footprint band: smaller is
 * a shed, garage or kiosk, larger is a mall, hall or factory.
 */
export const YES_MIN_M2 = 40;
export const YES_MAX_M2 = 2000;
/**
 * Expected share of the floor area of a building=yes in the size band that is
 * housing: untyped buildings in towns are mostly housing but also offices,
 * hotels, schools and shops without tags. Scales its household estimate.
 */
export const YES_RESIDENTIAL_SHARE = 0.5;

/** Default levels where building:levels is absent, per type. */
const DEFAULT_LEVELS: Record<string, number> = {
  apartments: 5,
  residential: 3,
  dormitory: 4,
  yes: 3,
  house: 2,
  detached: 2,
  semidetached_house: 2,
  terrace: 2,
  bungalow: 1,
};

/**
 * One household per building: each OSM way of these types is one dwelling.
 * semidetached_house is one half of a pair per the OSM wiki ("shares a common
 * wall with another on one side"), so also one.
 */
const SINGLE_FAMILY = new Set(['house', 'detached', 'bungalow', 'semidetached_house']);
const MULTI_DWELLING = new Set(['apartments', 'residential', 'dormitory']);

/** Tags that make a building=yes a non-dwelling (a shop, a school, an office...). */
const NON_RESIDENTIAL_KEYS = new Set(['shop', 'amenity', 'office', 'tourism', 'craft', 'industrial', 'healthcare', 'leisure', 'man_made', 'public_transport', 'religion']);

/** What the estimate needs from a building's tags. */
export interface BuildingInfo {
  /** The building=* value. */
  kind: string;
  /** building:levels when given (may be fractional), else null. */
  levels: number | null;
  /** Dwellings from building:flats or addr:flats, else null. */
  flats: number | null;
  /** height in metres when given as a plain number (optionally "m"), else null; grid totals turn it into levels. */
  heightM: number | null;
  /** Has a tag that says it is not (only) housing. */
  nonResidential: boolean;
}

function positiveNumber(value: string | undefined, max: number): number | null {
  if (value === undefined) return null;
  const n = Number.parseFloat(value);
  return Number.isFinite(n) && n > 0 && n <= max ? n : null;
}

/** Counts the flat numbers in an addr:flats value: "1-12" -> 12, "1;2;5" -> 3, "A-C" -> 1 per part. */
export function countFlats(value: string): number {
  let total = 0;
  for (const part of value.split(/[;,]/)) {
    const p = part.trim();
    if (p === '') continue;
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(p);
    if (range) {
      const a = Number(range[1]);
      const b = Number(range[2]);
      total += b >= a && b - a < 1000 ? b - a + 1 : 1;
    } else {
      total += 1;
    }
  }
  return total;
}

/** Reads the tags the estimate uses. */
export function buildingInfo(tags: Tags): BuildingInfo {
  const kind = tags.building ?? 'yes';
  const levels = positiveNumber(tags['building:levels'], 200);
  let flats: number | null = null;
  const bf = positiveNumber(tags['building:flats'], 100_000);
  if (bf !== null) flats = Math.round(bf);
  else if (tags['addr:flats'] !== undefined) flats = countFlats(tags['addr:flats']) || null;
  // Only metres: "12", "12 m", "12.5m". Feet and other units are rare and left out, not misread.
  const heightM = tags.height !== undefined && /^\s*\d+(\.\d+)?\s*m?\s*$/.test(tags.height) ? positiveNumber(tags.height, 1000) : null;
  let nonResidential = false;
  // A building has a handful of tags: walking them beats probing a dozen keys.
  for (const key in tags) {
    if (NON_RESIDENTIAL_KEYS.has(key)) {
      nonResidential = true;
      break;
    }
  }
  return { kind, levels, flats, heightM, nonResidential };
}

/** Estimated households in a building with this footprint (m²); 0 = not housing. */
export function householdsInBuilding(info: BuildingInfo, footprintM2: number): number {
  if (info.flats !== null) return info.flats;
  const kind = info.kind;
  if (SINGLE_FAMILY.has(kind)) return 1;
  if (kind === 'terrace') return Math.max(1, Math.round(footprintM2 / TERRACE_HOUSE_M2));
  const levels = Math.max(1, info.levels ?? DEFAULT_LEVELS[kind] ?? 1);
  const dwellingsByArea = (footprintM2 * levels * USABLE_SHARE) / M2_PER_HOUSEHOLD;
  if (MULTI_DWELLING.has(kind)) return Math.max(1, Math.round(dwellingsByArea));
  if (kind === 'yes') {
    if (info.nonResidential || footprintM2 < YES_MIN_M2 || footprintM2 > YES_MAX_M2) return 0;
    return Math.max(1, Math.round(dwellingsByArea * YES_RESIDENTIAL_SHARE));
  }
  return 0;
}

export interface RingMeasure {
  areaM2: number;
  lon: number;
  lat: number;
}


/**
 * Area (m², unsigned) and area-weighted centroid of a ring given as flat
 * lon,lat pairs coords[2*start .. 2*end), closed or not. Projects to a local
 * equirectangular plane around the first vertex (exact enough for building
 * sizes); falls back to the vertex mean when the area is zero.
 */
export function ringAreaCentroid(coords: Float64Array, start: number, end: number): RingMeasure {
  let n = end - start;
  // A closed ring repeats its first vertex; count it once (matters for the vertex mean).
  if (n > 1 && coords[2 * start] === coords[2 * end - 2] && coords[2 * start + 1] === coords[2 * end - 1]) n--;
  if (n === 0) return { areaM2: 0, lon: NaN, lat: NaN };
  const lon0 = coords[2 * start]!;
  const lat0 = coords[2 * start + 1]!;
  const { kx, ky } = localScale(lat0);
  let a2 = 0;
  let cx = 0;
  let cy = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    const x1 = (coords[2 * (start + i)]! - lon0) * kx;
    const y1 = (coords[2 * (start + i) + 1]! - lat0) * ky;
    const x2 = (coords[2 * (start + j)]! - lon0) * kx;
    const y2 = (coords[2 * (start + j) + 1]! - lat0) * ky;
    const cross = x1 * y2 - x2 * y1;
    a2 += cross;
    cx += (x1 + x2) * cross;
    cy += (y1 + y2) * cross;
    sx += x1;
    sy += y1;
  }
  if (Math.abs(a2) < 1e-9) return { areaM2: 0, lon: lon0 + sx / n / kx, lat: lat0 + sy / n / ky };
  return { areaM2: Math.abs(a2) / 2, lon: lon0 + cx / (3 * a2) / kx, lat: lat0 + cy / (3 * a2) / ky };
}

/** Buildings as measured from the file, one entry per building (footprint area and centroid precomputed). */
export interface BuildingFootprints {
  count: number;
  info: BuildingInfo[];
  /** Footprint area, m². */
  areaM2: Float64Array;
  /** Area-weighted centroid. */
  lon: Float64Array;
  lat: Float64Array;
  /** OSM way id per building. */
  osmId: Float64Array;
}

export interface HouseholdEstimate {
  households: HouseholdColumns;
  /** Buildings that produced a unit. */
  residentialBuildings: number;
  householdsTotal: number;
  personsTotal: number;
}

/** One household unit per residential building; gridIndex is left at -1 for assignGrids. */
export function estimateHouseholds(buildings: BuildingFootprints, source = 'osm-estimate'): HouseholdEstimate {
  const n = buildings.count;
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  const households = new Int32Array(n);
  const persons = new Int32Array(n);
  const sourceIds: string[] = [];
  let count = 0;
  let householdsTotal = 0;
  let personsTotal = 0;
  for (let k = 0; k < n; k++) {
    const h = householdsInBuilding(buildings.info[k]!, buildings.areaM2[k]!);
    const x = buildings.lon[k]!;
    const y = buildings.lat[k]!;
    if (h <= 0 || !Number.isFinite(x) || !Number.isFinite(y)) continue;
    const p = Math.round(h * PERSONS_PER_HOUSEHOLD);
    lon[count] = x;
    lat[count] = y;
    households[count] = h;
    persons[count] = p;
    sourceIds.push(`way/${buildings.osmId[k]}`);
    householdsTotal += h;
    personsTotal += p;
    count++;
  }
  return {
    households: {
      count,
      lon: lon.slice(0, count),
      lat: lat.slice(0, count),
      households: households.slice(0, count),
      persons: persons.slice(0, count),
      gridIndex: new Int32Array(count).fill(-1),
      source,
      sourceIds,
    },
    residentialBuildings: count,
    householdsTotal,
    personsTotal,
  };
}
