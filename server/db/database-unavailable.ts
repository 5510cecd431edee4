/**
 * Tells an outage from a bug: which errors mean the database cannot be
 * reached right now (stopped, restarting, connections killed, the pool out
 * of connections) or took too long (statement timeout). Those are answered
 * 503 `database_unavailable` with Retry-After (http/error-mapping.ts), not a
 * logged 500, because the same request succeeds once the database is back.
 * Only what a driver or the server says is looked at: error codes and
 * SQLSTATEs, and pg's fixed messages for a connection it lost or never got.
 */

/** Why the database did not answer: it cannot be reached now, or the statement ran too long. */
export type DatabaseFailure = 'unreachable' | 'timeout';

/** Seconds a client should wait before asking again: about a PostgreSQL restart. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Socket and DNS errors of a connection that failed or broke (Node's `code`). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * SQLSTATEs of a server that is going away or not there yet: 57P01 admin
 * shutdown (pg_ctl stop, pg_terminate_backend), 57P02 crash shutdown, 57P03
 * cannot connect now (starting up, shutting down), 53300 too many
 * connections. Class 08 (connection exception) is matched by its prefix.
 */
const UNREACHABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** query_canceled: the statement timeout (the only canceller we have). */
const TIMEOUT_STATE = '57014';

/**
 * pg's own errors carry no code, only these fixed messages: a connection
 * that ended under a query ("Connection terminated unexpectedly"), a new
 * one over connectionTimeoutMillis ("Connection terminated due to
 * connection timeout"), a pool whose queue wait ran over it, and a client
 * used after its connection broke or closed.
 */
const PG_MESSAGES = [/^Connection terminated\b/, /^timeout exceeded when trying to connect$/, /is not queryable$/];

/** Errors nested in one another are followed this deep (cause chains, AggregateError). */
const MAX_DEPTH = 5;

function classify(error: unknown, depth: number): DatabaseFailure | undefined {
  if (typeof error !== 'object' || error === null || depth > MAX_DEPTH) return undefined;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') {
    if (code === TIMEOUT_STATE) return 'timeout';
    if (UNREACHABLE_STATES.has(code) || SOCKET_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return 'unreachable';
  }
  if (typeof message === 'string' && PG_MESSAGES.some((pattern) => pattern.test(message))) return 'unreachable';
  // Node reports a connect to several addresses (localhost: ::1 and 127.0.0.1) as an AggregateError.
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const found = classify(inner, depth + 1);
      if (found) return found;
    }
  }
  return classify(cause, depth + 1);
}

/** 'unreachable' or 'timeout' when `error` (or an error it wraps) is a database outage; undefined otherwise. */
export function databaseFailure(error: unknown): DatabaseFailure | undefined {
  return classify(error, 0);
}

/**
 * One line for logs and /health: the message, or the code where the message
 * is empty (an AggregateError of refused connects has none).
 */
export function describeDatabaseError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { message, code, errors } = error as { message?: unknown; code?: unknown; errors?: unknown };
  if (typeof message === 'string' && message !== '') return message;
  if (Array.isArray(errors) && errors.length > 0) return describeDatabaseError(errors[0]);
  return typeof code === 'string' ? code : 'unknown database error';
}
