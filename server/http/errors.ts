/**
 * The one error shape of the API, `{ "error": { "code", "message" } }`, and
 * the one place that maps errors to status codes. Handlers throw ApiError
 * (or Hono's HTTPException); anything else is a bug and becomes a logged 500.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from '../logger.ts';

/** A caller-facing error with a stable machine code and a message that says what to fix. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string, code = 'bad_request') => new ApiError(400, code, message);
export const notFound = (message: string, code = 'not_found') => new ApiError(404, code, message);

const CODES: Partial<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  503: 'unavailable',
};

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

/** Hono onError handler: ApiError and HTTPException keep their status; the rest is a 500. */
export function handleError(logger: Logger) {
  return (err: Error, c: Context) => {
    if (err instanceof ApiError) return c.json(errorBody(err.code, err.message), err.status);
    if (err instanceof HTTPException) {
      const status = err.status as ContentfulStatusCode;
      return c.json(errorBody(CODES[status] ?? 'error', err.message || 'request failed'), status);
    }
    logger.error('unhandled error', { path: c.req.path, error: err.stack ?? String(err) });
    return c.json(errorBody('internal', 'internal error; the server log has details'), 500);
  };
}

export function handleNotFound(c: Context) {
  return c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404);
}
