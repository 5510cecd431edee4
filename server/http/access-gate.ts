/**
 * The access check of every route (route-access.ts), on bearer tokens from
 * the token store. Writes verify the token against the database on every
 * request, so a revoked token stops working at once; a token sent with a
 * public read is looked up through a short cache (it only names the client
 * for rate limits), and a read never fails because of it.
 *
 * Answers: no token or a malformed header is 401 with `WWW-Authenticate:
 * Bearer`; a wrong, unknown, revoked or expired token is the same 401 (with
 * error="invalid_token"), never saying which; a valid token whose role is
 * too low is 403.
 */
import type { Context } from 'hono';
import { HttpError } from './error-codes.ts';
import type { AccessGate, Principal, RouteAccess, Role } from './route-access.ts';
import type { TokenStore } from '../auth/token-store.ts';

export interface AccessGateOptions {
  /** Private deployments: reads need a token too (any role). */
  readsNeedToken: boolean;
  /** How long a token verified for a read is trusted without asking the database again (ms). */
  readCacheMs: number;
}

export const defaultAccessGateOptions: AccessGateOptions = { readsNeedToken: false, readCacheMs: 5_000 };

const RANK: Record<Role, number> = { reader: 0, planner: 1, admin: 2 };
const NEEDS: Record<RouteAccess, Role> = { read: 'reader', planner: 'planner', admin: 'admin' };
const REALM = 'Bearer realm="living-circle"';

/** The bearer token of a request: undefined when there is no Authorization header, null when it is not a bearer token. */
export function bearerToken(c: Context): string | undefined | null {
  const header = c.req.header('authorization');
  if (header === undefined) return undefined;
  const match = /^Bearer[ ]+([^ ]+)[ ]*$/i.exec(header);
  return match ? match[1]! : null;
}

export function createAccessGate(tokens: TokenStore, options: Partial<AccessGateOptions> = {}): AccessGate {
  const opts = { ...defaultAccessGateOptions, ...options };
  const cache = new Map<string, { principal: Principal | undefined; until: number }>();

  async function verifyCached(token: string): Promise<Principal | undefined> {
    const now = Date.now();
    const hit = cache.get(token);
    if (hit && hit.until > now) return hit.principal;
    const principal = await tokens.verify(token);
    if (cache.size > 10_000) cache.clear();
    cache.set(token, { principal, until: now + opts.readCacheMs });
    return principal;
  }

  return {
    async authorize(c, access) {
      const token = bearerToken(c);
      if (access === 'read' && !opts.readsNeedToken) {
        if (!token) return undefined;
        // Only to name the client: a token that does not verify, or a database that does not answer, leaves the read anonymous.
        return verifyCached(token).catch(() => undefined);
      }
      if (token === undefined) {
        throw new HttpError('unauthorized', `this needs a ${NEEDS[access]} token: send Authorization: Bearer <token> (make one with npm run token -- create)`, undefined, {
          headers: { 'WWW-Authenticate': REALM },
        });
      }
      const principal = token === null ? undefined : access === 'read' ? await verifyCached(token) : await tokens.verify(token);
      if (!principal) {
        throw new HttpError('unauthorized', 'the token is not valid: check it, or ask for a new one', undefined, {
          headers: { 'WWW-Authenticate': `${REALM}, error="invalid_token"` },
        });
      }
      if (RANK[principal.role] < RANK[NEEDS[access]]) {
        throw new HttpError('forbidden', `this needs a ${NEEDS[access]} token; "${principal.name}" is a ${principal.role} token`);
      }
      return principal;
    },
  };
}
