/**
 * Reading the audit trail (planners):
 *   GET /api/audit?since=&limit=       records after `since` (a record id, or
 *                                      an ISO time), oldest first
 *   GET /api/centers/{id}/history      every record of one center, oldest
 *                                      first: a removed center's last record
 *                                      holds the row to restore (README, "Who may change what")
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Database } from '../../kernel/db/database.ts';
import { defineRoute } from '../http/define-route.ts';
import { badRequest, internalError, json } from '../http/responses.ts';
import { entityHistory, readAudit } from './audit-log.ts';
import { CenterIdParams } from '../centers/center-schemas.ts';

const AuditRecord = z
  .object({
    id: z.number().int(),
    at: z.string().openapi({ description: 'When, ISO 8601 (UTC).' }),
    actor: z.string().openapi({ description: "The token's name (never the token); `cli` for the command line." }),
    token_id: z.number().int().nullable(),
    action: z.string().openapi({ examples: ['center.remove'] }),
    entity: z.enum(['center', 'scenario', 'token']),
    entity_id: z.string().nullable(),
    before: z.unknown().openapi({ description: 'The row before the write (null for a creation).' }),
    after: z.unknown().openapi({ description: 'The row after the write (null for a removal).' }),
  })
  .openapi('AuditRecord');

export const AUDIT_PAGE_MAX = 1000;

const AuditQuery = z.object({
  since: z
    .union([z.string().regex(/^\d{1,15}$/), z.iso.datetime({ offset: true })])
    .optional()
    .openapi({ description: 'Records after this record id, or at or after this ISO 8601 time (e.g. 2026-12-07T08:00:00Z).' }),
  limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(100).openapi({ description: `At most this many records (1 to ${AUDIT_PAGE_MAX}).` }),
});

export function auditRoutes(db: Database) {
  const app = new OpenAPIHono();
  defineRoute(
    app,
    {
      method: 'get',
      path: '/api/audit',
      operationId: 'listAudit',
      access: 'planner',
      tags: ['audit'],
      summary: 'The audit trail: who changed what, with the row before and after',
      query: AuditQuery,
      responses: {
        200: { description: 'Records oldest first; `next` is the `since` of the following page (null at the end).', content: json(z.object({ records: z.array(AuditRecord), next: z.string().nullable() })) },
        400: badRequest(),
        500: internalError,
      },
    },
    async (c, { query }) => {
      const since = query.since;
      const bound = since === undefined ? {} : /^\d+$/.test(since) ? { afterId: Number(since) } : { from: new Date(since) };
      const records = await readAudit(db, bound, query.limit);
      const next = records.length === query.limit ? String(records[records.length - 1]!.id) : null;
      return c.json({ records, next });
    },
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/api/centers/{id}/history',
      operationId: 'centerHistory',
      access: 'planner',
      tags: ['audit'],
      summary: "One center's audit records, oldest first (also after it was removed)",
      params: CenterIdParams,
      responses: {
        200: { description: "The center's records (empty when nothing was ever recorded for this id).", content: json(z.object({ id: z.number().int(), records: z.array(AuditRecord) })) },
        400: badRequest('The id is not a positive whole number.'),
        500: internalError,
      },
    },
    async (c, { params }) => c.json({ id: params.id, records: await entityHistory(db, 'center', params.id) }),
  );
  return app;
}
