/**
 * Tokens for tests: a planner (or other role) token made in the test's own
 * database, and the header that sends it.
 */
import type { Database } from '../kernel/db/database.ts';
import { CLI_ACTOR } from '../server/auth/audit-log.ts';
import { createTokenStore } from '../server/auth/token-store.ts';
import type { Role } from '../server/http/route-access.ts';

const made = new WeakMap<Database, Map<Role, Promise<string>>>();

/** A token of `role` in `db` (one per database and role, made on first ask). */
export function testToken(db: Database, role: Role = 'planner'): Promise<string> {
  let byRole = made.get(db);
  if (!byRole) made.set(db, (byRole = new Map()));
  let token = byRole.get(role);
  if (!token) {
    token = createTokenStore(db).create({ role, name: `test ${role}` }, CLI_ACTOR).then((r) => r.token);
    byRole.set(role, token);
  }
  return token;
}

/** The Authorization header for a token. */
export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}
