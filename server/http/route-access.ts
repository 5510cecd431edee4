/**
 * The access rule of a route, checked at the edge before its input is read:
 * `read` routes are public unless the deployment makes reads need a token,
 * `planner` and `admin` routes need a bearer token of that role. The check
 * itself lives in an AccessGate (server/http/access-gate.ts) that app.ts
 * installs on the app; a route mounted where no gate is installed refuses
 * everything but public reads (fail closed), so a forgotten wiring can never
 * open a write.
 *
 * The rule is also written into the OpenAPI document as `x-access`, so the
 * CORS layer, the docs and the tests read one table: `accessTable(document)`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { HttpError } from './error-codes.ts';

export type RouteAccess = 'read' | 'planner' | 'admin';
export type Role = 'reader' | 'planner' | 'admin';

/** Who called: the token's id, name and role (never the token). */
export interface Principal {
  tokenId: number;
  name: string;
  role: Role;
}

export interface AccessGate {
  /** The caller if it may do `access`; throws an HttpError (401 or 403) if not; undefined for an anonymous public read. */
  authorize(c: Context, access: RouteAccess): Promise<Principal | undefined>;
}

const GATE = 'accessGate';
const PRINCIPAL = 'principal';

/** Middleware that makes `gate` the app's access check. */
export function installAccessGate(gate: AccessGate): MiddlewareHandler {
  return async (c, next) => {
    c.set(GATE as never, gate as never);
    await next();
  };
}

/** Checks the route's rule (define-route.ts calls it first); the caller is kept for principalOf. */
export async function authorize(c: Context, access: RouteAccess): Promise<void> {
  const gate = c.get(GATE as never) as AccessGate | undefined;
  if (!gate) {
    if (access === 'read') return;
    throw new HttpError('unauthorized', 'this route needs a token, and this server has no token check configured', undefined, {
      headers: { 'WWW-Authenticate': 'Bearer realm="living-circle"' },
    });
  }
  const principal = await gate.authorize(c, access);
  if (principal) c.set(PRINCIPAL as never, principal as never);
}

/** The authorized caller of this request, undefined for an anonymous read. */
export function principalOf(c: Context): Principal | undefined {
  return c.get(PRINCIPAL as never) as Principal | undefined;
}

/** One operation's rule, as the OpenAPI document carries it. */
export interface AccessEntry {
  method: string;
  /** The path template, e.g. /api/centers/{id}. */
  path: string;
  access: RouteAccess;
  /** Matches a concrete path. */
  pattern: RegExp;
}

/** The access rule of every operation in an OpenAPI document. */
export function accessTable(document: Record<string, unknown>): AccessEntry[] {
  const paths = (document.paths ?? {}) as Record<string, Record<string, { 'x-access'?: RouteAccess }>>;
  const out: AccessEntry[] = [];
  for (const [path, operations] of Object.entries(paths)) {
    const pattern = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    for (const [method, operation] of Object.entries(operations)) {
      out.push({ method: method.toUpperCase(), path, access: operation['x-access'] ?? 'read', pattern });
    }
  }
  return out;
}

/** The rule for a concrete method and path, undefined when no operation matches. */
export function accessFor(table: readonly AccessEntry[], method: string, path: string): RouteAccess | undefined {
  const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  return table.find((e) => e.method === m && e.pattern.test(path))?.access;
}

/** Who a write is recorded as: the authorized caller's token name and id (never the token). */
export function actorOf(c: Context): { name: string; tokenId: number | null } {
  const principal = principalOf(c);
  // Writes are planner routes, so the gate has set a principal; without one, refuse rather than record nobody.
  if (!principal) throw new HttpError('unauthorized', 'this needs a token', undefined, { headers: { 'WWW-Authenticate': 'Bearer realm="living-circle"' } });
  return { name: principal.name, tokenId: principal.tokenId };
}
