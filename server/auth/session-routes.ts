/**
 * Who a token is, for a client that signs a planner in:
 *   GET /api/session     the calling planner or admin token's name and role
 * The map's sign-in checks a pasted token with it (401: not valid, 403: not a
 * planner's) and shows whose it is; it reads nothing but the caller itself.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { defineRoute } from '../http/define-route.ts';
import { internalError, json } from '../http/responses.ts';
import { principalOf } from '../http/route-access.ts';

const Session = z
  .strictObject({
    token_id: z.int().min(1),
    name: z.string().openapi({ description: "The token's name, as the audit trail records its writes." }),
    role: z.enum(['planner', 'admin']),
  })
  .openapi('Session');

export function sessionRoutes() {
  const app = new OpenAPIHono();
  defineRoute(
    app,
    {
      method: 'get',
      path: '/api/session',
      operationId: 'getSession',
      access: 'planner',
      tags: ['tokens'],
      summary: 'Whose token this is (a planner or admin token)',
      responses: { 200: { description: "The token's id, name and role (never the token).", content: json(Session) }, 500: internalError },
    },
    async (c) => {
      // A planner route: the gate has set the principal (or answered 401/403) before this runs.
      const principal = principalOf(c)!;
      return c.json({ token_id: principal.tokenId, name: principal.name, role: principal.role as 'planner' | 'admin' });
    },
  );
  return app;
}
