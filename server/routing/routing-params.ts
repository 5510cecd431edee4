/**
 * Parameters shared by the routing APIs (isochrone, nearest, coverage):
 * parsing and validation at the HTTP edge, each error a 400 naming the
 * parameter and what it accepts. Accepts query-string values and JSON body
 * values alike (`unknown` in), so GET and POST handlers share one set of rules.
 */
import { badRequest } from '../http/errors.ts';
import { DEFAULT_SPEED_KMH } from '../../kernel/walk-speed.ts';

/** Fastest accepted walking speed, km/h: a brisk run; anything above is not walking. */
export const MAX_SPEED_KMH = 20;
/** Longest accepted contour or threshold, minutes: four 15-minute circles. */
export const MAX_MINUTES = 60;
/** Contours an isochrone request may ask for at once. */
export const MAX_MINUTES_COUNT = 12;
/** GB 50180-2018's 5-, 10- and 15-minute life circles. */
export const DEFAULT_MINUTES: readonly number[] = [5, 10, 15];

function present(value: unknown): boolean {
  return value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');
}

/** A finite number from a number or a numeric string; undefined when it is neither. */
function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  // Number('') is 0 and Number('0x10') is 16: accept plain decimals only.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** A required number in [min, max]; `name` goes into the message. */
export function parseNumber(value: unknown, name: string, min: number, max: number): number {
  if (!present(value)) throw badRequest(`${name} is required: a number between ${min} and ${max}`);
  const n = toNumber(value);
  if (n === undefined) throw badRequest(`${name} must be a number between ${min} and ${max}, got "${String(value)}"`);
  if (n < min || n > max) throw badRequest(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** WGS84 lon and lat, both required. */
export function parseLonLat(lon: unknown, lat: unknown): { lon: number; lat: number } {
  return { lon: parseNumber(lon, 'lon', -180, 180), lat: parseNumber(lat, 'lat', -90, 90) };
}

/** speed_kmh: default 4 (15 minutes = 1,000 m); must be > 0 and at most MAX_SPEED_KMH. */
export function parseSpeed(value: unknown): number {
  if (!present(value)) return DEFAULT_SPEED_KMH;
  const n = toNumber(value);
  const rule = `a walking speed in km/h above 0 and at most ${MAX_SPEED_KMH}`;
  if (n === undefined) throw badRequest(`speed_kmh must be ${rule}, got "${String(value)}"`);
  if (n <= 0 || n > MAX_SPEED_KMH) throw badRequest(`speed_kmh must be ${rule}, got ${n}`);
  return n;
}

function checkMinutes(n: number | undefined, raw: unknown, name: string): number {
  const rule = `minutes above 0 and at most ${MAX_MINUTES}`;
  if (n === undefined) throw badRequest(`${name} must be ${rule}, got "${String(raw)}"`);
  if (n <= 0 || n > MAX_MINUTES) throw badRequest(`${name} must be ${rule}, got ${n}`);
  return n;
}

/** One `minutes` value (default 15), > 0 and at most MAX_MINUTES. */
export function parseMinutes(value: unknown, fallback = 15, name = 'minutes'): number {
  if (!present(value)) return fallback;
  return checkMinutes(toNumber(value), value, name);
}

/**
 * A list of minutes: "5,10,15" or [5, 10, 15]; default DEFAULT_MINUTES.
 * Sorted ascending without duplicates; each > 0 and at most MAX_MINUTES.
 */
export function parseMinutesList(value: unknown, name = 'minutes'): number[] {
  if (!present(value)) return [...DEFAULT_MINUTES];
  const parts: unknown[] = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
  if (parts.length === 0) throw badRequest(`${name} must list at least one value`);
  if (parts.length > MAX_MINUTES_COUNT) throw badRequest(`${name} may list at most ${MAX_MINUTES_COUNT} values, got ${parts.length}`);
  const list = parts.map((part) => checkMinutes(present(part) ? toNumber(part) : undefined, part, name));
  return [...new Set(list)].sort((a, b) => a - b);
}

/** Optional center kind ("neighborhood", "governance", an OSM service kind): letters, digits, _ and -. */
export function parseKind(value: unknown, name = 'kind'): string | undefined {
  if (!present(value)) return undefined;
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(value.trim())) {
    throw badRequest(`${name} must be a center kind such as "neighborhood" or "governance" (letters, digits, _ or -), got "${String(value)}"`);
  }
  return value.trim();
}
