/**
 * GET /api/session: a planner or admin token gets its own name and role
 * (never the token); no token or a bad one is 401, a reader's 403.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../test/backends.ts';
import { createAccessGate } from '../http/access-gate.ts';
import { handleError } from '../http/error-mapping.ts';
import { installAccessGate } from '../http/route-access.ts';
import { silentLogger } from '../logger.ts';
import { CLI_ACTOR } from './audit-log.ts';
import { sessionRoutes } from './session-routes.ts';
import { createTokenStore } from './token-store.ts';

let t: TestDatabase;
let http: OpenAPIHono;
const tokens: Record<string, { token: string; id: number }> = {};

beforeAll(async () => {
  t = await openTestDatabase('pglite');
  const store = createTokenStore(t.db);
  for (const [role, name] of [['planner', '城厢区规划科'], ['admin', 'admin one'], ['reader', 'an app']] as const) {
    const made = await store.create({ role, name }, CLI_ACTOR);
    tokens[role] = { token: made.token, id: made.record.id };
  }
  http = new OpenAPIHono();
  http.onError(handleError(silentLogger));
  http.use('*', installAccessGate(createAccessGate(store)));
  http.route('/', sessionRoutes());
});
afterAll(() => t?.dispose());

const get = async (headers: Record<string, string> = {}) => {
  const res = await http.request('/api/session', { headers });
  return { status: res.status, body: await res.json() };
};
const as = (token: string) => ({ authorization: `Bearer ${token}` });

it("answers a planner's and an admin's token with its id, name and role", async () => {
  expect(await get(as(tokens.planner!.token))).toEqual({ status: 200, body: { token_id: tokens.planner!.id, name: '城厢区规划科', role: 'planner' } });
  expect(await get(as(tokens.admin!.token))).toEqual({ status: 200, body: { token_id: tokens.admin!.id, name: 'admin one', role: 'admin' } });
});

it('is 401 without a token or with a wrong one, 403 for a reader token', async () => {
  expect((await get()).status).toBe(401);
  expect((await get(as(tokens.planner!.token.slice(0, -4) + 'AAAA'))).body.error.code).toBe('unauthorized');
  expect(await get(as(tokens.reader!.token))).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
});
