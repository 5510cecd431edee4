/**
 * POST /api/plan/suggest: where to build. With `k`, the k new sites that
 * cover the most households (or persons) not yet within `minutes` of a
 * center; with `target_share`, the fewest new sites that reach that share.
 * The live centers (or a scenario's) stay fixed. Every answer carries an
 * upper bound on the optimum and its gap; `method: "exact"` solves the
 * integer program with HiGHS within `time_limit_s`. The work runs in a
 * worker thread (suggest-service.ts); the answer's `changes` can be posted
 * to /api/scenarios as they are.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { defineRoute } from '../http/define-route.ts';
import { errorResponse, internalError, json } from '../http/responses.ts';
import { coverageNotReadyOrBusy, rateLimited } from '../routing/routing-responses.ts';
import type { RequestLimits } from '../http/request-limits.ts';
import { SuggestAnswer, SuggestRequest } from './suggest-schemas.ts';
import type { SuggestService } from './suggest-service.ts';
import { MAX_CANDIDATES } from './suggest/suggest-options.ts';

/** 20,000 candidates as [lon, lat] text take about 800 kB. */
const SUGGEST_BODY_LIMIT = 2 * 1024 * 1024;

/** With `limits`, each suggestion counts against its client's rate (an exact one against both rates) and waits in a capped queue. */
export function suggestRoutes(suggestions: SuggestService, limits?: RequestLimits) {
  const app = new OpenAPIHono();
  defineRoute(
    app,
    {
      method: 'post',
      path: '/api/plan/suggest',
      // It stores nothing: a read, open to anyone, limited per client (server/limits).
      access: 'read',
      operationId: 'suggestSites',
      tags: ['planning'],
      summary: 'Suggest sites for new centers, with the gap to the optimum',
      description:
        'Maximal covering (`k`) or fewest sites for a share (`target_share`) on the walk network, the existing centers (live, or of `scenario`) fixed. ' +
        'Greedy with swaps by default, with an upper bound (Lagrangian or LP) so the answer states its gap; `exact` solves the integer program with HiGHS. ' +
        `Candidates are given (at most ${MAX_CANDIDATES}) or generated where an uncovered household could walk to them. ` +
        'Runs in a worker thread; one suggestion at a time, others wait their turn. Store the answer with `POST /api/scenarios {"name": ..., "changes": answer.changes}`.',
      body: SuggestRequest,
      bodyLimitBytes: SUGGEST_BODY_LIMIT,
      bodyExample: '{"k": 5, "minutes": 15}',
      responses: {
        200: { description: 'The sites in order, what each adds, the coverage curve, the totals, the bound and gap.', content: json(SuggestAnswer) },
        400: errorResponse('The body is not a JSON object, a field is unknown or out of range, neither or both of k and target_share are given, or no center has the kind (the message and `field` name it).', [
          'bad_request',
          'bad_body',
          'unknown_kind',
        ]),
        404: errorResponse('No scenario has this id.', ['unknown_scenario']),
        409: errorResponse('The scenario names a center the live data no longer has: edit the scenario.', ['scenario_conflict']),
        413: errorResponse(`The body is larger than ${SUGGEST_BODY_LIMIT} bytes.`, ['payload_too_large']),
        422: errorResponse('A candidate is outside the data or too far from any walkway (the message names it).', ['outside_data_bounds', 'off_network']),
        429: rateLimited,
        503: coverageNotReadyOrBusy,
        500: internalError,
      },
    },
    async (c, { body }) => {
      if (!limits) return c.json(await suggestions.suggest(body, c.req.raw.signal));
      limits.charge(c, 'suggest');
      if (body.method === 'exact') limits.charge(c, 'exact');
      return c.json(await limits.suggestion(() => suggestions.suggest(body, c.req.raw.signal)));
    },
  );
  return app;
}
