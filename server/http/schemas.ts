/**
 * One rule per concept, shared by every route that takes it: a coordinate, a
 * point, a walking speed, a minutes value and a minutes list, a center kind,
 * a level, an id. Each is a zod schema (schema-rules.ts) that validates,
 * defaults, limits and documents itself; route schemas are put together
 * from these, so a concept cannot mean two things on two routes.
 */
import { z } from '@hono/zod-openapi';
import { WALK_PROFILES, WALK_PROFILE_NAMES, type WalkProfileName } from '../../kernel/walk-speed.ts';
import { LEVELS } from '../coverage/coverage-data.ts';
import { DEFAULT_MINUTES, MAX_MINUTES, MAX_MINUTES_COUNT, MAX_SPEED_KMH } from '../routing/routing-limits.ts';
import { absentIfBlank, numberFromText, numberIn, numberParam, numberParamOr, oneOf, shown, textMatching } from './schema-rules.ts';

/** WGS84 longitude and latitude, degrees. */
export const LON = { min: -180, max: 180 } as const;
export const LAT = { min: -90, max: 90 } as const;
/** Web Mercator's latitude limit: a stored point beyond it could not be drawn on any tile. */
export const MERCATOR_MAX_LAT = 85.0511;

/** Longitude as a query parameter (or a body mirroring one): a number or decimal text. */
export const lonParam = numberParam(LON).openapi({ description: 'Longitude, WGS84 degrees.', examples: [119.0] });
/** Latitude as a query parameter. */
export const latParam = numberParam(LAT).openapi({ description: 'Latitude, WGS84 degrees.', examples: [25.45] });

/** A [lon, lat] pair, numbers or decimal text; messages name the element, as "origins[3][1] (lat)". */
export const lonLatPair = z
  .preprocess(
    (value) => (Array.isArray(value) ? value.map(numberFromText) : value),
    z.tuple([numberIn({ ...LON, label: '(lon)' }), numberIn({ ...LAT, label: '(lat)' })], {
      error: (iss) => `must be a [lon, lat] pair, got ${shown(iss.input)}`,
    }),
  )
  .openapi({ description: '[lon, lat], WGS84 degrees.', minItems: 2, maxItems: 2 });

/** A stored point's longitude: a JSON number (a resource field, not a parameter). */
export const lonField = numberIn({ ...LON, text: false });
/** A stored point's latitude: a JSON number within Web Mercator, so the point can be drawn on a tile. */
export const mercatorLatField = numberIn({ min: -MERCATOR_MAX_LAT, max: MERCATOR_MAX_LAT, text: false }).openapi({
  description: 'Within Web Mercator, so the point can be drawn on a tile.',
});

const SPEED_RULE = { min: 0, max: MAX_SPEED_KMH, exclusiveMin: true, what: `a walking speed in km/h above 0 and at most ${MAX_SPEED_KMH}` } as const;

const profileText = WALK_PROFILE_NAMES.map((p) => `${p} ${WALK_PROFILES[p].speedKmh} km/h, steps x${WALK_PROFILES[p].stepsFactor}`).join('; ');

/** profile: who walks (kernel/walk-speed.ts): the default speed and how much slower steps are. */
export const profileParam = oneOf(WALK_PROFILE_NAMES as [WalkProfileName, ...WalkProfileName[]], 'default').openapi({
  description: `Who walks: ${profileText} (steps: times as long per metre of their length). Sources in kernel/walk-speed.ts.`,
});

/** speed_kmh: walking speed on the flat; the profile's when left out (default 4 km/h: 15 minutes = 1,000 m). */
export const speedParam = numberParam(SPEED_RULE)
  .optional()
  .openapi({ description: `Walking speed on the flat, km/h; when left out, the profile's (${profileText}).` });

/** The speed a request walks at: speed_kmh when given, else its profile's. */
export function speedOf(profile: WalkProfileName, speedKmh: number | undefined): number {
  return speedKmh ?? WALK_PROFILES[profile].speedKmh;
}

const MINUTES_RULE = { min: 0, max: MAX_MINUTES, exclusiveMin: true, what: `a number of minutes above 0 and at most ${MAX_MINUTES}` } as const;

/** One minutes value: a threshold, with its default. */
export function minutesParam(fallback: number) {
  return numberParamOr(MINUTES_RULE, fallback);
}

/** One contour, minutes (no default: the element of a minutes list). */
export const minutesValue = numberParam(MINUTES_RULE);

/** Sorted ascending, duplicates dropped: contours and thresholds in the order they nest. */
const sortedUnique = (list: number[]) => [...new Set(list)].sort((a, b) => a - b);

/** 1 to MAX_MINUTES_COUNT minutes values. */
const minutesArray = z
  .array(minutesValue, { error: (iss) => `must be ${MINUTES_RULE.what}, or a list of them, got ${shown(iss.input)}` })
  .min(1, { error: 'must list at least one value' })
  .max(MAX_MINUTES_COUNT, {
    error: (iss) => `may list at most ${MAX_MINUTES_COUNT} values, got ${Array.isArray(iss.input) ? iss.input.length : shown(iss.input)}`,
  });

/** "5,10,15" split at the commas (the list in a query string). */
const splitList = (value: unknown) => {
  value = absentIfBlank(value);
  return typeof value === 'string' ? value.split(',') : value;
};

/** ?minutes=5,10,15: contours as a comma list; default the 5-, 10- and 15-minute life circles. */
export const minutesQuery = z
  .preprocess(splitList, minutesArray.default([...DEFAULT_MINUTES]))
  .transform(sortedUnique)
  .openapi({ param: { style: 'form', explode: false } });

/**
 * `minutes` in a body: a list [5, 10, 15], one number 5, or a comma list
 * "5,10,15" (as the query takes it); the default is added by the body.
 */
export const minutesBody = z
  .union([minutesArray, minutesValue, z.string().transform((text) => text.split(',')).pipe(minutesArray as unknown as z.ZodType<number[], string[]>)], {
    // The branch the value's type selects says what is wrong with it.
    error: (iss) => {
      const input = (iss as { input?: unknown }).input;
      const branch = Array.isArray(input) ? 0 : typeof input === 'string' ? 2 : 1;
      const errors = (iss as { errors?: { message: string }[][] }).errors;
      return errors?.[branch]?.[0]?.message ?? `must be ${MINUTES_RULE.what}, or a list of them, got ${shown(input)}`;
    },
  })
  .default([...DEFAULT_MINUTES])
  .transform((value) => sortedUnique(Array.isArray(value) ? value : [value]))
  .openapi({ description: 'Contours, minutes: a list, one number, or a comma list such as "5,10,15". Sorted, duplicates dropped.' });

/** A center kind: 'neighborhood' (Party Building +), 'governance' (Comprehensive Management +) or a service kind from OSM. */
export const KIND_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
const KIND_TEXT = 'a center kind: a lower-case name of letters, digits and _ (such as "neighborhood" or "governance"), at most 64 characters';

/** A center kind as stored and as a filter; surrounding spaces are trimmed in a query. */
export const kindField = textMatching(KIND_PATTERN, KIND_TEXT).openapi({
  description: '`neighborhood` (Party Building +), `governance` (Comprehensive Management +) or a service kind.',
  examples: ['neighborhood', 'governance'],
});

/** ?kind=: only centers of this kind; absent or empty: every kind. */
export const kindFilter = z.preprocess((v) => (typeof v === 'string' ? absentIfBlank(v.trim()) : absentIfBlank(v)), kindField.optional());

/** ?level=: the level whose units a roll-up lists. */
export const levelParam = oneOf(LEVELS, 'city').openapi({ description: 'The level whose units are listed.' });

/** A positive whole number id in a path segment (digits only). */
export function idParam(max: number) {
  const what = `a positive whole number`;
  return z
    .string()
    .regex(/^\d{1,10}$/, { error: (iss) => `must be ${what}, got ${shown(iss.input)}` })
    .transform(Number)
    .pipe(numberIn({ min: 1, max, integer: true, what, text: false }))
    .openapi({ type: 'integer', minimum: 1, maximum: max });
}
