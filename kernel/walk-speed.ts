/**
 * Walking speed: the one place that says how fast people walk (by profile:
 * default, elderly, child) and how much slower steps are. The importer stores edge costs at the default speed; the
 * routing APIs rescale by `speed_kmh` (cost scales with 1 / speed).
 */

/** 4 km/h makes 15 minutes exactly 1,000 m, GB 50180-2018's upper bound for the 15-minute circle. */
export const DEFAULT_SPEED_KMH = 4;

/**
 * Steps take twice as long per metre of horizontal length: typical stair
 * ascent is ~0.5 m/s against ~1.1 m/s on the flat, and OSM measures steps by
 * their horizontal length, so a factor of 2 is a fair middle of up and down.
 */
export const STEPS_FACTOR = 2;

/** Metres per second at a speed in km/h. */
export function metresPerSecond(speedKmh: number): number {
  return speedKmh / 3.6;
}

/** Seconds to walk `lengthM` metres of an edge of the given OSM highway class at the default speed. */
export function edgeSeconds(lengthM: number, highway: string, speedKmh = DEFAULT_SPEED_KMH): number {
  const seconds = lengthM / metresPerSecond(speedKmh);
  return highway === 'steps' ? seconds * STEPS_FACTOR : seconds;
}

/**
 * Walking profiles: who walks. Each has a speed on the flat and a steps
 * factor (how many times longer a metre of steps takes than a metre on the
 * flat). Sources:
 *   - default: 4 km/h (1.11 m/s), GB 50180-2018's 15 minutes = 1,000 m; close
 *     to the 3.5 ft/s (1.07 m/s) the US MUTCD (2009, section 4E.06) assumes
 *     for pedestrians in general. Steps x2 (STEPS_FACTOR, above).
 *   - elderly: 3.3 km/h (0.91 m/s), the MUTCD's 3.0 ft/s for places where
 *     "pedestrians who walk slower than normal" routinely cross, and the
 *     15th-percentile speed of pedestrians over 65 measured by Knoblauch,
 *     Pietrucha and Nitzburg (Transportation Research Record 1538, 1996:
 *     0.97 m/s). Steps x3: stair speeds fall with age faster than flat
 *     speeds (Fruin, Pedestrian Planning and Design, 1971, measured stair
 *     speeds by age and direction), so an older walker loses more on steps
 *     than the default walker's x2.
 *   - child: 3.6 km/h (1.0 m/s), a primary-school child walking with others
 *     (MUTCD's slower-pedestrian value rounded up: children walk about as
 *     fast as adults but stop and wait). Steps x2.5.
 * The steps factors are our reading of those measurements, not a table of
 * any one of them; they are data here, in one place, so a city can change them.
 */
export const WALK_PROFILES = {
  default: { speedKmh: DEFAULT_SPEED_KMH, stepsFactor: STEPS_FACTOR },
  elderly: { speedKmh: 3.3, stepsFactor: 3 },
  child: { speedKmh: 3.6, stepsFactor: 2.5 },
} as const satisfies Record<string, { speedKmh: number; stepsFactor: number }>;

export type WalkProfileName = keyof typeof WALK_PROFILES;
export const WALK_PROFILE_NAMES = Object.keys(WALK_PROFILES) as WalkProfileName[];
