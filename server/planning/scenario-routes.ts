/**
 * The scenarios API:
 *   GET    /api/scenarios                 the stored scenarios
 *   POST   /api/scenarios                 store one -> 201, with its summary against the live data
 *   GET    /api/scenarios/{id}            one, evaluated now (409 when a change names a center gone from the live data)
 *   PATCH  /api/scenarios/{id}            replace name, description or changes; the revision goes up
 *   DELETE /api/scenarios/{id}            remove; answers the removed scenario
 *   POST   /api/scenarios/{id}/apply      write the changes to the live centers, if the live data is what the
 *                                         scenario was last evaluated against (else 409)
 * A scenario never touches the live data but through apply.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { defineRoute } from '../http/define-route.ts';
import { actorOf } from '../http/route-access.ts';
import { badRequest, errorResponse, internalError, json } from '../http/responses.ts';
import { coverageNotReady, coverageNotReadyOrBusy } from '../routing/routing-responses.ts';
import { exportContent, exportHeaders, exportParams, isoDay, tableResponse } from '../exports/export-format.ts';
import type { XlsxRenderer } from '../exports/xlsx-runner.ts';
import { scenarioTable } from '../exports/export-tables.ts';
import { Applied, NewScenario, Scenario, ScenarioIdParams, ScenarioList, ScenarioPatch } from './scenario-schemas.ts';
import type { ScenarioEvaluation, ScenarioService } from './scenario-service.ts';

/** A scenario with a few hundred changes stays far below this. */
const SCENARIO_BODY_LIMIT = 256 * 1024;
const BODY_EXAMPLE = '{"name": "A center by the river", "changes": [{"op": "add", "name": "...", "kind": "neighborhood", "lon": 119.0, "lat": 25.45}]}';

/** The answer for an evaluated scenario. */
function bodyOf(evaluation: ScenarioEvaluation) {
  return { ...evaluation.scenario, data_version: evaluation.model.version, evaluation_ms: Math.round(evaluation.ms * 100) / 100, summary: evaluation.summary };
}

function answer(c: Context, evaluation: ScenarioEvaluation, status: 200 | 201 = 200) {
  const body = bodyOf(evaluation);
  return status === 201 ? c.json(body, 201, { Location: `/api/scenarios/${body.id}` }) : c.json(body);
}

/** `xlsx` renders the xlsx exports (the app's XlsxRunner). */
export function scenarioRoutes(scenarios: ScenarioService, xlsx: XlsxRenderer) {
  const app = new OpenAPIHono();
  const tags = ['planning'];
  const missing = errorResponse('No scenario has this id.', ['unknown_scenario']);
  const conflict = errorResponse('A change names a center the live data no longer has: edit the scenario.', ['scenario_conflict']);
  const offNetwork = errorResponse('An added or moved center is outside the data or too far from any walkway (the message names the change).', [
    'outside_data_bounds',
    'off_network',
  ]);
  const bodyErrors = errorResponse('The body is not a JSON object, or a field is unknown, missing or invalid, or a change names a center that does not exist (the message and `field` name it).', [
    'bad_request',
    'bad_body',
  ]);
  const tooLarge = errorResponse(`The body is larger than ${SCENARIO_BODY_LIMIT} bytes.`, ['payload_too_large']);
  const one = (description: string) => ({ description, content: json(Scenario) });

  defineRoute(
    app,
    { method: 'get', path: '/api/scenarios', operationId: 'listScenarios', access: 'planner', tags, summary: 'The stored scenarios', responses: { 200: { description: 'By id.', content: json(ScenarioList) }, 500: internalError } },
    async (c) => c.json({ scenarios: await scenarios.list() }),
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/api/scenarios',
      operationId: 'createScenario',
      tags,
      summary: 'Store a what-if and evaluate it',
      description: 'The changes are checked against the live centers and the walk network, then evaluated in memory; the live data is not touched.',
      body: NewScenario,
      bodyLimitBytes: SCENARIO_BODY_LIMIT,
      bodyExample: BODY_EXAMPLE,
      responses: {
        201: { ...one('The stored scenario with its summary.'), headers: { Location: { description: "The scenario's URL.", required: true, schema: { type: 'string' } } } },
        400: bodyErrors,
        413: tooLarge,
        422: offNetwork,
        503: coverageNotReady,
        500: internalError,
      },
    },
    async (c, { body }) => answer(c, await scenarios.create(body, actorOf(c)), 201),
  );

  defineRoute(
    app,
    {
      method: 'get',
      path: '/api/scenarios/{id}',
      operationId: 'getScenario',
      tags,
      summary: 'One scenario, evaluated against the live data now',
      description:
        'With `format=csv` or `xlsx`: its comparison with the live centers as a table to download, a row per life circle of its summary (households covered before and after, gained, lost, the shares, persons).',
      params: ScenarioIdParams,
      query: z.object(exportParams),
      responses: {
        200: { description: 'The scenario and its summary, or its comparison as a table.', content: exportContent(Scenario), headers: exportHeaders },
        400: badRequest('The id is not a positive whole number, or format or lang is not one of their values.'),
        404: missing,
        409: conflict,
        503: coverageNotReadyOrBusy,
        500: internalError,
      },
    },
    async (c, { params, query }) => {
      const evaluation = await scenarios.evaluate(params.id);
      if (query.format === 'json') return answer(c, evaluation);
      const body = bodyOf(evaluation);
      const { table, fileName } = scenarioTable(body, { format: query.format, lang: query.lang, day: isoDay() });
      return tableResponse(c, { format: query.format, table, fileName, dataVersion: body.data_version }, xlsx);
    },
  );

  defineRoute(
    app,
    {
      method: 'patch',
      path: '/api/scenarios/{id}',
      operationId: 'updateScenario',
      tags,
      summary: 'Replace the name, description or changes of a scenario',
      description:
        'The revision goes up; the tiles of this scenario (and only of it) are made again. A patch that keeps changes naming a center the live data lost is a 409 and stores nothing.',
      params: ScenarioIdParams,
      body: ScenarioPatch,
      bodyLimitBytes: SCENARIO_BODY_LIMIT,
      bodyExample: '{"changes": [{"op": "remove", "center_id": 7}]}',
      responses: {
        200: one('The scenario as it is now, evaluated.'),
        400: bodyErrors,
        404: missing,
        409: errorResponse('The patch keeps changes that name a center the live data no longer has: send new changes. Nothing is stored.', ['scenario_conflict']),
        413: tooLarge,
        422: offNetwork,
        503: coverageNotReady,
        500: internalError,
      },
    },
    async (c, { params, body }) => answer(c, await scenarios.update(params.id, body, actorOf(c))),
  );

  defineRoute(
    app,
    {
      method: 'delete',
      path: '/api/scenarios/{id}',
      operationId: 'deleteScenario',
      tags,
      summary: 'Remove a scenario',
      params: ScenarioIdParams,
      responses: { 200: { description: 'The removed scenario.', content: json(ScenarioList.shape.scenarios.element) }, 400: badRequest('The id is not a positive whole number.'), 404: missing, 500: internalError },
    },
    async (c, { params }) => c.json(await scenarios.remove(params.id, actorOf(c))),
  );

  defineRoute(
    app,
    {
      method: 'post',
      path: '/api/scenarios/{id}/apply',
      operationId: 'applyScenario',
      tags,
      summary: 'Write a scenario to the live centers',
      description:
        'All changes in one transaction with one data version bump; tiles, coverage and other instances follow as after any center change. ' +
        'Only while the live data is the version the scenario was last evaluated against (its `data_version`): otherwise 409 `stale_scenario`, and nothing is written.',
      params: ScenarioIdParams,
      responses: {
        200: { description: 'What was written.', content: json(Applied) },
        400: badRequest('The id is not a positive whole number.'),
        404: missing,
        409: errorResponse('The live data changed since the last evaluation, or a change names a center that is gone.', ['stale_scenario', 'scenario_conflict']),
        503: coverageNotReady,
        500: internalError,
      },
    },
    async (c, { params }) => {
      const applied = await scenarios.apply(params.id, actorOf(c));
      return c.json({
        scenario: params.id,
        data_version: applied.version,
        added: applied.added.map((x) => x.id),
        moved: applied.moved.map((x) => x.id),
        removed: applied.removed.map((x) => x.id),
      });
    },
  );
  return app;
}
