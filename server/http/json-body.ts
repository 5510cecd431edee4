/**
 * The one body reader: the request body as a JSON object, whatever its
 * Content-Type says (clients such as `curl -d` send form encoding by
 * default). Over the limit is a 413 `payload_too_large` that closes the
 * connection (the unread rest of the body is still on it); empty, not JSON, or
 * JSON that is not an object is a 400 `bad_body` that shows an example.
 */
import type { Context } from 'hono';
import { HttpError } from './error-codes.ts';

/** What the body holds, for the message. */
function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : `a ${typeof value}`;
}

async function readText(c: Context, limit: number): Promise<string> {
  // The rest of the body is never read, so this connection cannot carry another request:
  // Connection: close makes Node close it after the answer, and tells a keep-alive client not to reuse it.
  const tooLarge = () => new HttpError('payload_too_large', `the request body is larger than ${limit} bytes`, undefined, { headers: { Connection: 'close' } });
  const declared = Number(c.req.header('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const body = c.req.raw.body;
  if (!body) return '';
  // Count while reading: a chunked body has no Content-Length to trust.
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The body as a JSON object; `example` is quoted in the message when it is not one. */
export async function readJsonBody(c: Context, limit: number, example = '{...}'): Promise<Record<string, unknown>> {
  const text = await readText(c, limit);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError('bad_body', `the body must be a JSON object such as ${example}; it must be JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError('bad_body', `the body must be a JSON object such as ${example}, got ${kindOf(value)}`);
  }
  return value as Record<string, unknown>;
}
