/**
 * Walking speed: the one place that says how fast people walk and how much
 * slower steps are. The importer stores edge costs at the default speed; the
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
