/**
 * What every answer of the API must be, whatever was sent, judged against
 * the OpenAPI document: never a 5xx; a status the operation documents, or
 * one of the few every operation may give (GENERIC_STATUSES says which and
 * why); every error the one JSON shape with a known code of that status (and
 * of the codes the document lists for it); every JSON answer valid against
 * its documented schema. Returns the problems as text, none when it is fine.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { ERROR_CODES, type ErrorCode } from '../server/http/error-codes.ts';
import type { FuzzOperation } from './api-fuzz-requests.ts';
import type { RawResponse } from './raw-http.ts';

type Doc = Record<string, any>;

/**
 * Statuses an operation may answer without listing them, and the one code
 * each must carry. They come from the edge, not from the operation:
 *  - 401/403: the access gate, on operations that need a token (x-access
 *    planner or admin; the bearer scheme in `security` says so). A public
 *    read never gives them (a bad token on a read is ignored).
 *  - 404 not_found: a hostile path parameter can make a path no route has
 *    (an encoded slash, an empty segment), which is "no such route".
 *  - 413: the body limit, on any operation that takes a body.
 *  - 429: rate limits, which may cover any operation.
 * 405 is not allowed: the fuzzer sends only documented methods, and an
 * undocumented one is a 404 here.
 */
const GENERIC_STATUSES: Record<number, { codes: ErrorCode[]; applies(op: FuzzOperation): boolean }> = {
  401: { codes: ['unauthorized'], applies: (op) => op.access !== 'read' },
  403: { codes: ['forbidden', 'origin_not_allowed'], applies: (op) => op.access !== 'read' },
  404: { codes: ['not_found'], applies: () => true },
  413: { codes: ['payload_too_large'], applies: (op) => op.body !== undefined },
  429: { codes: ['rate_limited'], applies: () => true },
};

const JSON_TYPES = ['application/json', 'application/geo+json'];

export function createAnswerChecker(doc: Doc) {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  for (const key of Object.keys(doc)) ajv.addKeyword(key);
  ajv.addKeyword('discriminator');
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  ajv.addSchema(doc, 'urn:api-fuzz:openapi');
  const compiled = new Map<string, ValidateFunction>();
  const validate = (pointer: string, value: unknown): string => {
    let fn = compiled.get(pointer);
    if (!fn) compiled.set(pointer, (fn = ajv.compile({ $ref: `urn:api-fuzz:openapi#${pointer}` })));
    return fn(value) ? '' : ajv.errorsText(fn.errors, { dataVar: 'body' });
  };
  const pointerOf = (op: FuzzOperation, status: string, type: string) =>
    `/paths/${op.path.replace(/~/g, '~0').replace(/\//g, '~1')}/${op.method.toLowerCase()}/responses/${status}/content/${type.replace(/\//g, '~1')}/schema`;

  /** The problems with one answer. */
  return function check(op: FuzzOperation, res: RawResponse): string[] {
    const problems: string[] = [];
    const status = String(res.status);
    const contentType = String(res.headers['content-type'] ?? '').split(';')[0]!.trim();
    const documented = op.responses[status];
    const generic = GENERIC_STATUSES[res.status];
    if (res.status >= 500) problems.push(`a ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
    else if (!documented && !generic?.applies(op)) problems.push(`status ${status} is not documented for ${op.id}`);

    if (res.status >= 400) {
      let body: any;
      try {
        body = JSON.parse(res.body.toString('utf8'));
      } catch {
        problems.push(`an error that is not JSON (${contentType || 'no Content-Type'}): ${res.body.toString('utf8').slice(0, 120)}`);
        return problems;
      }
      if (contentType !== 'application/json') problems.push(`an error with Content-Type "${contentType}"`);
      const error = body?.error;
      const keys = body && typeof body === 'object' ? Object.keys(body) : [];
      if (keys.length !== 1 || keys[0] !== 'error' || !error || typeof error !== 'object') {
        problems.push(`not the error shape: ${JSON.stringify(body).slice(0, 200)}`);
        return problems;
      }
      const extra = Object.keys(error).filter((k) => !['code', 'message', 'field'].includes(k));
      if (extra.length > 0) problems.push(`error has extra keys ${extra.join(', ')}`);
      if (!(error.code in ERROR_CODES)) problems.push(`unknown error code ${JSON.stringify(error.code)}`);
      else if (ERROR_CODES[error.code as ErrorCode].status !== res.status) problems.push(`code ${error.code} is a ${ERROR_CODES[error.code as ErrorCode].status}, answered ${status}`);
      if (typeof error.message !== 'string' || error.message.trim() === '') problems.push(`error.message is not a non-empty string: ${JSON.stringify(error.message)}`);
      if ('field' in error && typeof error.field !== 'string') problems.push(`error.field is not a string: ${JSON.stringify(error.field)}`);
      // "No such route" is the router's answer, not the operation's: generic even where the operation documents its own 404.
      const routerNotFound = res.status === 404 && error.code === 'not_found';
      if (documented?.content?.['application/json'] && !routerNotFound) {
        const invalid = validate(pointerOf(op, status, 'application/json'), body);
        if (invalid) problems.push(`error not as documented for ${status}: ${invalid} (${JSON.stringify(body).slice(0, 200)})`);
      } else if (generic && !generic.codes.includes(error.code)) {
        problems.push(`a ${status} must carry ${generic.codes.join(' or ')}, got ${error.code}`);
      }
      if (res.status === 401 && !res.headers['www-authenticate']) problems.push('a 401 without WWW-Authenticate');
      return problems;
    }

    // A success: the documented content type, and JSON valid against the documented schema.
    const content = documented?.content as Record<string, unknown> | undefined;
    if (!content) {
      if (res.body.length > 0) problems.push(`a ${status} with a body of ${res.body.length} bytes where none is documented`);
      return problems;
    }
    if (!(contentType in content)) {
      problems.push(`Content-Type "${contentType}" is not one documented for ${status} (${Object.keys(content).join(', ')})`);
      return problems;
    }
    if (JSON_TYPES.includes(contentType)) {
      let body: unknown;
      try {
        body = JSON.parse(res.body.toString('utf8'));
      } catch {
        problems.push(`a ${status} ${contentType} that is not JSON`);
        return problems;
      }
      const invalid = validate(pointerOf(op, status, contentType), body);
      if (invalid) problems.push(`answer not as documented for ${status}: ${invalid}`);
    }
    return problems;
  };
}
