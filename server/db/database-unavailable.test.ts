/**
 * Which errors are a database outage (503 database_unavailable with
 * Retry-After) and which stay bugs (500): built here the way pg and Node
 * shape them, so the classification is checked without a database
 * (server/db/pg-database.test.ts and test/faults-postgis.test.ts meet the
 * real ones).
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { handleError, httpErrorOf } from '../http/error-mapping.ts';
import type { Logger } from '../logger.ts';
import { databaseFailure, describeDatabaseError } from './database-unavailable.ts';

/** An error as pg's protocol parser makes it: a message and the server's SQLSTATE. */
function serverError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, severity: 'FATAL' });
}

/** An error as Node's net module makes it. */
function socketError(code: string, message = `connect ${code} 127.0.0.1:5432`): Error {
  return Object.assign(new Error(message), { code, errno: -111, syscall: 'connect' });
}

describe('databaseFailure', () => {
  it('knows a database that cannot be reached', () => {
    for (const error of [
      socketError('ECONNREFUSED'),
      socketError('ECONNRESET', 'read ECONNRESET'),
      socketError('ETIMEDOUT'),
      socketError('EPIPE', 'write EPIPE'),
      new Error('Connection terminated unexpectedly'),
      new Error('Connection terminated'),
      new Error('Connection terminated due to connection timeout', { cause: new Error('Connection terminated unexpectedly') }),
      new Error('timeout exceeded when trying to connect'),
      new Error('Client has encountered a connection error and is not queryable'),
      serverError('57P01', 'terminating connection due to administrator command'),
      serverError('57P02', 'terminating connection because of crash of another server process'),
      serverError('57P03', 'the database system is starting up'),
      serverError('53300', 'sorry, too many clients already'),
      serverError('08006', 'connection failure'),
      serverError('08P01', 'protocol violation'),
    ]) {
      expect(databaseFailure(error), error.message).toBe('unreachable');
    }
  });

  it('knows a statement cancelled by the statement timeout', () => {
    expect(databaseFailure(serverError('57014', 'canceling statement due to statement timeout'))).toBe('timeout');
  });

  it('looks into causes and into an AggregateError of several addresses', () => {
    const refused = new AggregateError([socketError('ECONNREFUSED', 'connect ECONNREFUSED ::1:5432'), socketError('ECONNREFUSED')], '');
    expect(databaseFailure(refused)).toBe('unreachable');
    expect(databaseFailure(new Error('coverage failed', { cause: serverError('57P01', 'terminating connection due to administrator command') }))).toBe('unreachable');
    expect(describeDatabaseError(refused)).toBe('connect ECONNREFUSED ::1:5432');
  });

  it('leaves bugs and bad SQL alone', () => {
    for (const error of [
      new Error('boom'),
      new TypeError("Cannot read properties of undefined (reading 'x')"),
      serverError('42P01', 'relation "nope" does not exist'),
      serverError('23505', 'duplicate key value violates unique constraint'),
      serverError('40001', 'could not serialize access'),
      new Error('Cannot use a pool after calling end on the pool'),
      'a string',
      undefined,
      null,
    ]) {
      expect(databaseFailure(error)).toBeUndefined();
    }
  });

  it('stops at a cause cycle', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(databaseFailure(a)).toBeUndefined();
  });
});

describe('error mapping of an outage', () => {
  it('is a 503 database_unavailable with Retry-After, logged once per interval, not a 500', async () => {
    const warnings: unknown[] = [];
    const errors: unknown[] = [];
    const logger: Logger = { debug() {}, info() {}, warn: (m, f) => warnings.push({ m, f }), error: (m) => errors.push(m) };
    const app = new Hono();
    app.onError(handleError(logger));
    app.get('/down', () => {
      throw socketError('ECONNREFUSED');
    });
    app.get('/slow', () => {
      throw serverError('57014', 'canceling statement due to statement timeout');
    });
    app.get('/bug', () => {
      throw new Error('boom');
    });
    for (const path of ['/down', '/down', '/slow']) {
      const res = await app.request(path);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('database_unavailable');
      expect(body.error.message).toMatch(path === '/slow' ? /took too long/ : /cannot be reached/);
    }
    expect(warnings).toHaveLength(1);
    expect((await app.request('/bug')).status).toBe(500);
    expect(errors).toEqual(['unhandled error']);
    expect(httpErrorOf(new Error('boom'))).toBeUndefined();
  });
});
