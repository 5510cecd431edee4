/**
 * GET /api/coverage?level=city|district|street|community|grid&minutes=15&kind=&speed_kmh=
 * Households and those within `minutes` walk of a center (of `kind`, or any),
 * per unit of the level, with the total. Answered from the in-memory
 * coverage (typed arrays), so any speed and threshold costs one pass.
 */
import { Hono } from 'hono';
import { badRequest } from '../http/errors.ts';
import { parseKind, parseMinutes, parseSpeed } from '../routing/routing-params.ts';
import { LEVELS, type Level } from './coverage-data.ts';
import { rollup, thresholdSeconds } from './coverage-rollup.ts';
import type { CoverageService } from './coverage-service.ts';

function parseLevel(value: string | undefined): Level {
  if (value === undefined || value === '') return 'city';
  if (!(LEVELS as readonly string[]).includes(value)) throw badRequest(`level must be one of ${LEVELS.join(', ')}, got "${value}"`);
  return value as Level;
}

export function coverageRoutes(coverage: CoverageService) {
  const app = new Hono();
  app.get('/api/coverage', async (c) => {
    const level = parseLevel(c.req.query('level'));
    const minutes = parseMinutes(c.req.query('minutes'), 15);
    const speedKmh = parseSpeed(c.req.query('speed_kmh'));
    const kind = parseKind(c.req.query('kind'));
    if (c.req.query('scenario') !== undefined) throw badRequest('scenario coverage is answered by GET /api/scenarios/{id}; /api/coverage gives the baseline');
    const state = await coverage.ready();
    const times = coverage.forKind(state, kind);
    const result = rollup(state.data.households, state.data.levels[level], times.seconds, thresholdSeconds(minutes, speedKmh));
    return c.json({
      level,
      minutes,
      kind: kind ?? null,
      speed_kmh: speedKmh,
      data_version: state.data.version,
      units: result.units,
      total: result.total,
    });
  });
  return app;
}
