/**
 * The one place where errors become HTTP answers: domain errors from below
 * the edge (domain-errors.ts) get their status and code here, HttpErrors
 * from the edge itself keep theirs, Hono's own HTTPExceptions (a malformed
 * request Hono rejects) get the code of their status, a database that
 * cannot be reached or took too long (db/database-unavailable.ts) is a 503
 * with Retry-After, so is a full queue of heavy work (limits/heavy-work.ts:
 * 503 busy), and anything else is a bug: logged, and answered 500
 * without details.
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
  UnknownToken,
  UnknownKind,
  UnknownLayer,
} from '../domain-errors.ts';
import type { Logger } from '../logger.ts';
import { HeavyWorkFull } from '../limits/heavy-work.ts';
import { DATABASE_RETRY_AFTER_SECONDS, databaseFailure, describeDatabaseError } from '../db/database-unavailable.ts';
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
  [UnknownToken, () => 'unknown_token'],
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
  // A queue of heavy work below the edge (the xlsx worker's) is full: try again shortly.
  if (error instanceof HeavyWorkFull) {
    return new HttpError('busy', `${error.message}: try again in ${error.retryAfterS} s`, undefined, { cause: error, headers: { 'Retry-After': String(error.retryAfterS) } });
  }
  // An outage, not a bug: the same request works once the database is back.
  const failure = databaseFailure(error);
  if (failure) {
    const message = failure === 'timeout' ? 'the database took too long to answer; try again later' : 'the database cannot be reached; try again shortly';
    return new HttpError('database_unavailable', message, undefined, { cause: error, headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) } });
  }
  return undefined;
}

/** Milliseconds between two log lines about requests failed by the database. */
const DATABASE_WARN_INTERVAL_MS = 10_000;

/** Hono onError handler: known errors keep their status and code; the rest is a logged 500. */
export function handleError(logger: Logger) {
  // Logged, unlike other known errors: an operator wants to see an outage or
  // a slow query. At most one line per interval: an outage fails every request.
  let lastWarned = -Infinity;
  let unlogged = 0;
  const warnUnavailable = (path: string, error: unknown) => {
    const now = performance.now();
    if (now - lastWarned < DATABASE_WARN_INTERVAL_MS) return void unlogged++;
    logger.warn('database unavailable', { path, error: describeDatabaseError(error), ...(unlogged ? { alsoFailedSinceLastLine: unlogged } : {}) });
    lastWarned = now;
    unlogged = 0;
  };
  return (err: Error, c: Context) => {
    const known = httpErrorOf(err);
    if (known?.code === 'database_unavailable') warnUnavailable(c.req.path, known.cause);
    if (known) return c.json(errorBody(known.code, known.message, known.field), known.status as ContentfulStatusCode, known.headers);
    logger.error('unhandled error', { path: c.req.path, error: err.stack ?? String(err) });
    return c.json(errorBody('internal', 'internal error; the server log has details'), 500);
  };
}

export function handleNotFound(c: Context) {
  return c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404);
}
