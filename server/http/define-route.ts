/**
 * The one way a route is mounted: `defineRoute(app, spec, handler)` takes a
 * route's schemas (query, path parameters, JSON body, responses) and from
 * them registers the operation in the app's OpenAPI registry and mounts a
 * handler that gets its input parsed, checked and defaulted by the same
 * schemas. A failed check is a 400 `bad_request` whose message names the
 * field and says what it must be; a body that is not a JSON object is a 400
 * `bad_body`, one over the route's limit a 413. So the document, the
 * validation, the defaults, the limits and the messages cannot disagree.
 *
 * Why not @hono/zod-openapi's own `app.openapi()`: its body validator turns
 * a request whose Content-Type is not JSON into a 415 and words its own
 * errors; clients such as `curl -d` send form encoding by default, and
 * this API has always read the body as JSON whatever the header says. The
 * registry and the document generator are @hono/zod-openapi's.
 */
import { z, type OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { readJsonBody } from './json-body.ts';
import { HttpError } from './error-codes.ts';
import { authorize, type RouteAccess } from './route-access.ts';
import { errorResponse } from './responses.ts';

/** The answers every token-protected operation can give, documented once here. */
const ACCESS_RESPONSES = {
  401: errorResponse('No token, or one that is not valid (wrong, expired or revoked); `WWW-Authenticate: Bearer` is set.', ['unauthorized']),
  403: errorResponse("The token's role may not do this, or the page's origin may not write.", ['forbidden', 'origin_not_allowed']),
};

type Schema = z.ZodType | undefined;
type Parsed<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<Q extends Schema, P extends Schema, B extends Schema> {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** The OpenAPI path template, e.g. `/api/centers/{id}`. */
  path: string;
  /** The Hono pattern when a template parameter shares its segment, e.g. `/tiles/:layers/:z/:x/:file` for `{y}.mvt`. */
  honoPath?: string;
  /** Path parameters by template name when honoPath differs; throws a `not_found` HttpError when a segment does not fit. */
  paramsFrom?: (c: Context) => Record<string, string>;
  operationId: string;
  /**
   * Who may call it: 'read' is public unless the deployment makes reads need a
   * token; 'planner' and 'admin' need a token of that role (admin covers
   * planner). Default: 'read' for GET, 'planner' for every other method, so a
   * new write is protected unless it says otherwise.
   */
  access?: RouteAccess;
  /**
   * false leaves the operation out of the OpenAPI document, which describes
   * the API for apps: for operators' routes only (GET /metrics), mounted
   * with the same access check and input rules. Default true.
   */
  documented?: boolean;
  tags: string[];
  summary: string;
  description?: string;
  /** Query parameters: an object schema, unknown parameters ignored. */
  query?: Q;
  /** Path parameters: an object schema. */
  params?: P;
  /** The JSON body: an object schema. */
  body?: B;
  /** Largest body accepted, bytes (default DEFAULT_BODY_LIMIT). */
  bodyLimitBytes?: number;
  /** A short example body, quoted in the message for a body that is not a JSON object. */
  bodyExample?: string;
  /**
   * A hand-written check for a hot route without a body (the tile route): the
   * path parameters and query exactly as the schemas would give them, or
   * undefined to let the schemas decide, so every error and its wording stay
   * theirs. Zod's generic steps cost about 0.1 ms a request until the JIT
   * has seen thousands of them.
   */
  fastInput?: (c: Context) => { params: Parsed<P>; query: Parsed<Q> } | undefined;
  /** Extra request parameters documented but read by the handler itself (headers such as If-None-Match). */
  extraParameters?: NonNullable<RouteConfig['request']>['headers'];
  responses: RouteConfig['responses'];
}

/** Bodies above this are refused (413): the largest accepted request, 5,000 isochrone origins, fits in about 250 kB. */
export const DEFAULT_BODY_LIMIT = 1 << 20;

export interface RouteInput<Q extends Schema, P extends Schema, B extends Schema> {
  query: Parsed<Q>;
  params: Parsed<P>;
  body: Parsed<B>;
}

/** `origins[3][1]` from ['origins', 3, 1]. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`)).join('');
}

/**
 * The 400 for a failed check: the first issue (an unknown field before
 * any other), its message behind the field's name. A query parameter is named as the caller wrote it (one
 * text, even when it holds a list); body fields by their full path.
 */
function validationError(error: z.ZodError, where: 'query' | 'params' | 'body'): HttpError {
  // An unknown field first: a typo ("lng") is what makes the real field look missing.
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    return new HttpError('bad_request', issue.message, fieldPath([...issue.path, issue.keys[0]!]));
  }
  const field = where === 'query' ? String(issue.path[0] ?? '') : fieldPath(issue.path);
  return new HttpError('bad_request', field ? `${field} ${issue.message}` : issue.message, field || undefined);
}

function check<S extends Schema>(schema: S, value: unknown, where: 'query' | 'params' | 'body'): Parsed<S> {
  if (!schema) return undefined as Parsed<S>;
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, where);
  return result.data as Parsed<S>;
}

/**
 * Checks input a handler reads itself as a route would check it (the same
 * 400 and message). With `name`, the value is that one field. Schemas are
 * built once by the caller: building one per request would cost more than
 * the check.
 */
export function checkInput<S extends z.ZodType>(schema: S, value: unknown, where: 'query' | 'params' | 'body', name?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data as z.output<S>;
  if (name === undefined) throw validationError(result.error, where);
  throw validationError(new z.ZodError(result.error.issues.map((issue) => ({ ...issue, path: [name, ...issue.path] }))), where);
}

/** Registers the operation in `app`'s OpenAPI registry and mounts its handler with checked input. */
export function defineRoute<Q extends Schema = undefined, P extends Schema = undefined, B extends Schema = undefined>(
  app: OpenAPIHono,
  spec: RouteSpec<Q, P, B>,
  handler: (c: Context, input: RouteInput<Q, P, B>) => Response | Promise<Response>,
): void {
  if (spec.fastInput && spec.body) throw new Error(`${spec.operationId}: fastInput is for routes without a body`);
  const request: NonNullable<RouteConfig['request']> = {};
  if (spec.query) request.query = spec.query as never;
  if (spec.params) request.params = spec.params as never;
  if (spec.extraParameters) request.headers = spec.extraParameters;
  if (spec.body) request.body = { required: true, content: { 'application/json': { schema: spec.body } } };
  const access: RouteAccess = spec.access ?? (spec.method === 'get' ? 'read' : 'planner');
  if (spec.documented !== false) app.openAPIRegistry.registerPath({
    // The access rule, for people (security) and for the edge's own CORS and tests (x-access).
    'x-access': access,
    security: access === 'read' ? [{}, { bearer: [] }] : [{ bearer: [] }],
    method: spec.method,
    path: spec.path,
    operationId: spec.operationId,
    tags: spec.tags,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    request,
    responses: access === 'read' ? spec.responses : { ...ACCESS_RESPONSES, ...spec.responses },
  });
  const honoPath = spec.honoPath ?? spec.path.replace(/\{([^}]+)\}/g, ':$1');
  const limit = spec.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
  app.on(spec.method.toUpperCase(), honoPath, async (c) => {
    await authorize(c, access);
    const fast = spec.fastInput?.(c);
    if (fast) return handler(c, { params: fast.params, query: fast.query, body: undefined as Parsed<B> });
    const input = {
      params: check(spec.params, spec.paramsFrom ? spec.paramsFrom(c) : c.req.param(), 'params'),
      query: spec.query ? check(spec.query, c.req.query(), 'query') : undefined,
      body: spec.body ? check(spec.body, await readJsonBody(c, limit, spec.bodyExample), 'body') : undefined,
    } as RouteInput<Q, P, B>;
    return handler(c, input);
  });
}
