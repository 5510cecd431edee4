/**
 * Response pieces every route's schema uses: the one error shape (a
 * component, `Error`) narrowed per answer to the codes that answer can
 * carry, the 500 of a bug or an outage, JSON content, and the caching
 * headers of cacheable GETs (ETag, Cache-Control, 304 on If-None-Match).
 */
import { z } from '@hono/zod-openapi';
import { ERROR_CODES, type ErrorCode } from './error-codes.ts';

const errorDetail = {
  code: z.string().openapi({ examples: ['bad_request'] }),
  message: z.string().openapi({ description: 'What went wrong and what to do about it.' }),
  field: z.string().optional().openapi({ description: 'The parameter or body field at fault, e.g. `lat` or `origins[2][0]`.' }),
};

/** Every error answer: a stable machine code, a message that says what to fix, and the field at fault where there is one. */
export const ErrorBody = z
  .strictObject({ error: z.strictObject(errorDetail) })
  .openapi('Error', { description: 'Every error answer: a stable machine code, a message that says what to fix, and the field at fault where there is one.' });

/** An error answer with the codes this operation gives for its status (an answer with another code fails validation). */
export function errorResponse(description: string, codes: readonly [ErrorCode, ...ErrorCode[]]) {
  const status = ERROR_CODES[codes[0]].status;
  for (const code of codes) if (ERROR_CODES[code].status !== status) throw new Error(`error code ${code} is not a ${status}`);
  return {
    description: `${description} Codes: ${codes.map((c) => `\`${c}\``).join(', ')}.`,
    content: {
      'application/json': {
        schema: ErrorBody.extend({ error: z.strictObject({ ...errorDetail, code: z.enum(codes) }) }).openapi({ description: `An Error whose code is ${codes.join(' or ')}.` }),
      },
    },
  };
}

/** An unexpected failure: a bug or an outage, never the caller's input. */
export const internalError = errorResponse('An unexpected failure (a bug or an outage); the server log has details.', ['internal']);

/** A 400 for parameters or a body that fail their schema. */
export const badRequest = (description = 'A parameter is missing, malformed or out of range (the message and `field` name it).') =>
  errorResponse(description, ['bad_request']);

/** JSON content with a schema. */
export function json(schema: z.ZodType) {
  return { 'application/json': { schema } };
}

/** Headers of cacheable GET answers. */
export const etagHeader = { description: 'Strong validator of this representation; send it back in If-None-Match.', required: true, schema: { type: 'string' as const } };
export const cacheControlHeader = {
  description: 'Storable by shared caches; revalidate with the ETag.',
  required: true,
  schema: { type: 'string' as const, examples: ['public, max-age=0, must-revalidate'] },
};

/** The If-None-Match request header of cacheable GETs (read by the handler). */
export const ifNoneMatchHeader = z.object({
  'If-None-Match': z.string().optional().openapi({ description: 'ETags the client holds (weak comparison, `*` matches any): 304 when one matches.' }),
});

/** 304: the client's copy is current. */
export const notModified = {
  description: "The client's copy is current (If-None-Match matched). No body.",
  headers: { ETag: etagHeader, 'Cache-Control': cacheControlHeader },
};
