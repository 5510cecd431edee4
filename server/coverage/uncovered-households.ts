/**
 * The household units a set of centers leaves outside the walk threshold, as
 * GeoJSON points: what a planner takes away to plan or check on the ground.
 * One pass over the households' typed arrays and the evaluation's walk times
 * (the same arrays the coverage roll-up reads), so a unit is listed here
 * exactly when GET /api/coverage counts it as not covered. The names of the
 * unit's district, street and community come from the roll-up levels.
 */
import type { CoverageData } from './coverage-data.ts';

/** [west, south, east, north], WGS84 degrees. */
export type Bbox = readonly [number, number, number, number];

export interface UncoveredOptions {
  /** The threshold in the evaluation's units (graph seconds at the default speed; coverage-rollup.ts thresholdSeconds). */
  threshold: number;
  /** Graph seconds to seconds at the request's speed (DEFAULT_SPEED_KMH / speed). */
  scale: number;
  /** Only units inside this box (edges included). */
  bbox?: Bbox;
}

export interface UncoveredFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: {
    id: number;
    households: number;
    persons: number | null;
    walk_s: number | null;
    grid: string | null;
    community: string | null;
    street: string | null;
    district: string | null;
  };
}

export interface UncoveredHouseholds {
  features: UncoveredFeature[];
  /** Units, households and persons (where known) listed. */
  units: number;
  households: number;
  persons: number;
}

/**
 * Every household unit whose walk time exceeds the threshold (or that reaches
 * no center), in id order, with its walk at the request's speed (rounded to
 * 0.1 s; null when it reaches none).
 */
export function uncoveredHouseholds(data: CoverageData, seconds: Float32Array, options: UncoveredOptions): UncoveredHouseholds {
  const { households: h, levels, grids } = data;
  const { threshold, scale, bbox } = options;
  const name = (level: 'district' | 'street' | 'community', i: number) => {
    const units = levels[level];
    // Units the data does not place at this level have a null code and a placeholder name.
    const u = units.unitOf[i]!;
    return units.codes[u] === null ? null : units.names[u]!;
  };
  const features: UncoveredFeature[] = [];
  let households = 0;
  let persons = 0;
  for (let i = 0; i < h.count; i++) {
    const s = seconds[i]!;
    // NaN never passes `<=`: a unit without a time is not covered, as in the roll-up.
    if (s <= threshold) continue;
    const lon = h.lon[i]!;
    const lat = h.lat[i]!;
    if (bbox && (lon < bbox[0] || lat < bbox[1] || lon > bbox[2] || lat > bbox[3])) continue;
    const grid = h.gridIndex[i]!;
    const known = h.persons[i]! >= 0;
    households += h.households[i]!;
    if (known) persons += h.persons[i]!;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lon, lat] },
      properties: {
        id: h.id[i]!,
        households: h.households[i]!,
        persons: known ? h.persons[i]! : null,
        walk_s: Number.isFinite(s) ? Math.round(s * scale * 10) / 10 : null,
        grid: grid >= 0 ? grids.code[grid]! : null,
        community: name('community', i),
        street: name('street', i),
        district: name('district', i),
      },
    });
  }
  return { features, units: features.length, households, persons };
}
