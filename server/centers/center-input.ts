/**
 * Checks center request bodies at the HTTP edge: every problem is a 400 that
 * names the field and says what it must be, so the store below can trust its
 * input. Unknown fields are rejected too, so that a typo ("lng") is an error
 * instead of a silently ignored move.
 */
import { badRequest } from '../http/errors.ts';
import type { CenterPatch, NewCenter } from './center-store.ts';

const FIELDS = ['name', 'kind', 'services', 'lon', 'lat'] as const;
/** Web Mercator's latitude limit: a center beyond it could not be drawn on any tile. */
const MAX_LAT = 85.0511;
const MAX_NAME = 200;
const MAX_SERVICES = 50;
const MAX_SERVICE = 100;
/** Kinds are short machine names: 'neighborhood', 'governance' or an OSM service kind. */
const KIND = /^[a-z][a-z0-9_]{0,63}$/;

/** Checks a center kind (also the ?kind= filter). */
export function checkKind(value: unknown, field = 'kind'): string {
  if (typeof value !== 'string' || !KIND.test(value)) {
    throw badRequest(`${field} must be a lower-case name of letters, digits and _ (such as "neighborhood" or "governance"), at most 64 characters`, 'bad_field');
  }
  return value;
}

function checkName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_NAME) {
    throw badRequest(`name must be a non-empty string of at most ${MAX_NAME} characters`, 'bad_field');
  }
  return value.trim();
}

function checkServices(value: unknown): string[] {
  if (!Array.isArray(value) || value.length > MAX_SERVICES || !value.every((s) => typeof s === 'string' && s.trim() !== '' && s.length <= MAX_SERVICE)) {
    throw badRequest(`services must be an array of at most ${MAX_SERVICES} non-empty strings of at most ${MAX_SERVICE} characters`, 'bad_field');
  }
  return value.map((s: string) => s.trim());
}

function checkCoordinate(value: unknown, field: 'lon' | 'lat'): number {
  const limit = field === 'lon' ? 180 : MAX_LAT;
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > limit) {
    throw badRequest(`${field} must be a number from ${-limit} to ${limit} (WGS84 degrees)`, 'bad_field');
  }
  return value;
}

function checkObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body must be a JSON object', 'bad_body');
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(FIELDS as readonly string[]).includes(key)) throw badRequest(`unknown field "${key.slice(0, 64)}"; a center has ${FIELDS.join(', ')}`, 'bad_field');
  }
  return record;
}

/** A POST body: name, kind, lon and lat required; services optional. */
export function parseNewCenter(body: unknown): NewCenter {
  const b = checkObject(body);
  for (const field of ['name', 'kind', 'lon', 'lat'] as const) {
    if (b[field] === undefined) throw badRequest(`${field} is required`, 'bad_field');
  }
  return {
    name: checkName(b.name),
    kind: checkKind(b.kind),
    services: b.services === undefined ? [] : checkServices(b.services),
    lon: checkCoordinate(b.lon, 'lon'),
    lat: checkCoordinate(b.lat, 'lat'),
  };
}

/** A PATCH body: any of the fields, at least one. */
export function parseCenterPatch(body: unknown): CenterPatch {
  const b = checkObject(body);
  const patch: CenterPatch = {};
  if (b.name !== undefined) patch.name = checkName(b.name);
  if (b.kind !== undefined) patch.kind = checkKind(b.kind);
  if (b.services !== undefined) patch.services = checkServices(b.services);
  if (b.lon !== undefined) patch.lon = checkCoordinate(b.lon, 'lon');
  if (b.lat !== undefined) patch.lat = checkCoordinate(b.lat, 'lat');
  if (Object.keys(patch).length === 0) throw badRequest(`nothing to change: give at least one of ${FIELDS.join(', ')}`, 'bad_body');
  return patch;
}

/** A center id from the path: a positive whole number. */
export function parseCenterId(text: string): number {
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1) throw badRequest(`id must be a positive whole number, got "${text.slice(0, 32)}"`, 'bad_field');
  return Number(text);
}
