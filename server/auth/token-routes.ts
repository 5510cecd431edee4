/**
 * Token management for admins (the same store as `npm run token`):
 *   GET    /api/tokens          every token: id, name, role, dates (never a secret)
 *   POST   /api/tokens          {role, name, expires_at?} -> 201 with the token, shown this once
 *   DELETE /api/tokens/{id}     revoke
 * Each change is audited as the calling admin.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { defineRoute } from '../http/define-route.ts';
import { idParam } from '../http/schemas.ts';
import { InvalidOption, UnknownToken } from '../domain-errors.ts';
import { actorOf } from '../http/route-access.ts';
import { badRequest, errorResponse, internalError, json } from '../http/responses.ts';
import { isStorableText, UNSTORABLE_TEXT } from '../http/schema-rules.ts';
import { ROLES, type TokenStore } from './token-store.ts';

const TokenRecord = z
  .object({
    id: z.number().int(),
    name: z.string(),
    role: z.enum(['reader', 'planner', 'admin']),
    created_at: z.string(),
    expires_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
  })
  .openapi('TokenRecord');

const NewToken = z.strictObject({
  role: z.enum(ROLES as ['reader', 'planner', 'admin']),
  // Stored as text: U+0000 (refused by PostgreSQL: a 500) or an unpaired surrogate (kept as U+FFFD) is a 400.
  name: z.string().refine(isStorableText, { error: UNSTORABLE_TEXT }).trim().min(1).max(200),
  expires_at: z.iso.datetime({ offset: true }).optional().openapi({ description: 'When it stops working (ISO 8601, in the future); none: until revoked.' }),
});

export function tokenRoutes(tokens: TokenStore) {
  const app = new OpenAPIHono();
  const tags = ['tokens'];
  defineRoute(
    app,
    { method: 'get', path: '/api/tokens', operationId: 'listTokens', access: 'admin', tags, summary: 'The tokens (never their secrets)', responses: { 200: { description: 'By id.', content: json(z.object({ tokens: z.array(TokenRecord) })) }, 500: internalError } },
    async (c) => c.json({ tokens: await tokens.list() }),
  );
  defineRoute(
    app,
    {
      method: 'post',
      path: '/api/tokens',
      operationId: 'createToken',
      access: 'admin',
      tags,
      summary: 'Make a token; the answer is the only time it is shown',
      body: NewToken,
      bodyExample: '{"role": "planner", "name": "城厢区规划科"}',
      bodyLimitBytes: 4096,
      responses: {
        201: { description: 'The token (keep it: only its hash is stored) and its record.', content: json(z.object({ token: z.string(), record: TokenRecord })) },
        400: errorResponse('The body is not a JSON object, or a field is missing or invalid.', ['bad_request', 'bad_body']),
        413: errorResponse('The body is larger than 4096 bytes.', ['payload_too_large']),
        500: internalError,
      },
    },
    async (c, { body }) => {
      const expiresAt = body.expires_at === undefined ? undefined : new Date(body.expires_at);
      if (expiresAt && expiresAt.getTime() <= Date.now()) throw new InvalidOption('expires_at', 'expires_at must be in the future');
      const made = await tokens.create({ role: body.role, name: body.name, expiresAt }, actorOf(c));
      return c.json(made, 201);
    },
  );
  defineRoute(
    app,
    {
      method: 'delete',
      path: '/api/tokens/{id}',
      operationId: 'revokeToken',
      access: 'admin',
      tags,
      summary: 'Revoke a token (it stays listed, with revoked_at)',
      params: z.object({ id: idParam(2_147_483_647).openapi({ description: 'Token id (GET /api/tokens lists them).' }) }),
      responses: {
        200: { description: 'The token as it is now.', content: json(TokenRecord) },
        400: badRequest('The id is not a positive whole number.'),
        404: errorResponse('No token has this id.', ['unknown_token']),
        500: internalError,
      },
    },
    async (c, { params }) => {
      const record = await tokens.revoke(params.id, actorOf(c));
      if (!record) throw new UnknownToken(params.id);
      return c.json(record);
    },
  );
  return app;
}
