/**
 * The limits of the walking searches, in one place: the HTTP schemas take
 * them for validation and the OpenAPI document, the routing service guards
 * its other callers with them.
 */

/** Fastest accepted walking speed, km/h: a brisk run; anything above is not walking. */
export const MAX_SPEED_KMH = 20;
/** The longest search the service runs, seconds: two hours of walking. */
export const MAX_SEARCH_SECONDS = 2 * 3600;
/** Longest accepted contour or threshold, minutes: four 15-minute circles. */
export const MAX_MINUTES = 60;
/** Contours an isochrone request may ask for at once. */
export const MAX_MINUTES_COUNT = 12;
/** GB 50180-2018's 5-, 10- and 15-minute life circles. */
export const DEFAULT_MINUTES: readonly number[] = [5, 10, 15];
/** The 15-minute circle: the coverage threshold when none is given. */
export const DEFAULT_COVERAGE_MINUTES = 15;
