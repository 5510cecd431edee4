/**
 * The one place where errors become HTTP answers: domain errors from below
 * the edge (domain-errors.ts) get their status and code here, HttpErrors
 * from the edge itself keep theirs, Hono's own HTTPExceptions (a malformed
 * request Hono rejects) get the code of their status, and anything else is a
 * bug: logged, and answered 500 without details.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  AreaTooLarge,
  CoverageNotReady,
  DomainError,
  GraphNotReady,
  InvalidOption,
  NoCenterReachable,
  OffNetwork,
  OutsideData,
  ScenarioConflict,
  StaleScenario,
  UnknownCenter,
  UnknownScenario,
  UnknownKind,
  UnknownLayer,
} from '../domain-errors.ts';
import type { Logger } from '../logger.ts';
import { errorBody, HttpError, type ErrorCode } from './error-codes.ts';

type DomainErrorClass = abstract new (...args: never[]) => DomainError;

/** Each domain error's code (which fixes its status). */
const DOMAIN_CODES: readonly [DomainErrorClass, (error: DomainError) => ErrorCode][] = [
  [OutsideData, () => 'outside_data_bounds'],
  [OffNetwork, () => 'off_network'],
  [AreaTooLarge, () => 'area_too_large'],
  [NoCenterReachable, () => 'no_center_reachable'],
  [GraphNotReady, (e) => ((e as GraphNotReady).reason === 'no_network' ? 'no_walk_network' : 'graph_unavailable')],
  [CoverageNotReady, () => 'coverage_unavailable'],
  [UnknownKind, () => 'unknown_kind'],
  [UnknownCenter, () => 'unknown_center'],
  [UnknownLayer, () => 'unknown_layer'],
  [UnknownScenario, () => 'unknown_scenario'],
  [ScenarioConflict, () => 'scenario_conflict'],
  [StaleScenario, () => 'stale_scenario'],
  [InvalidOption, () => 'bad_request'],
];

/** Codes for the statuses Hono itself answers with. */
const HONO_STATUS_CODES: Partial<Record<number, ErrorCode>> = { 400: 'bad_request', 404: 'not_found', 413: 'payload_too_large' };

/** The HTTP error an error stands for, or undefined for an unexpected one (a bug). */
export function httpErrorOf(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof DomainError) {
    for (const [type, code] of DOMAIN_CODES) {
      if (error instanceof type) return new HttpError(code(error), error.message, error instanceof InvalidOption ? error.field : undefined, { cause: error });
    }
    return undefined;
  }
  if (error instanceof HTTPException) {
    const code = HONO_STATUS_CODES[error.status];
    return code ? new HttpError(code, error.message || 'the request was rejected', undefined, { cause: error }) : undefined;
  }
  return undefined;
}

/** Hono onError handler: known errors keep their status and code; the rest is a logged 500. */
export function handleError(logger: Logger) {
  return (err: Error, c: Context) => {
    const known = httpErrorOf(err);
    if (known) return c.json(errorBody(known.code, known.message, known.field), known.status as ContentfulStatusCode, known.headers);
    logger.error('unhandled error', { path: c.req.path, error: err.stack ?? String(err) });
    return c.json(errorBody('internal', 'internal error; the server log has details'), 500);
  };
}

export function handleNotFound(c: Context) {
  return c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404);
}
