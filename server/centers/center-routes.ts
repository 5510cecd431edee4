/**
 * The centers API:
 *   GET    /api/centers?kind=      the centers (all, or of one kind)
 *   GET    /api/centers/:id        one center
 *   POST   /api/centers            add {name, kind, services?, lon, lat} -> 201
 *   PATCH  /api/centers/:id        move, rename, change kind or services
 *   DELETE /api/centers/:id        remove; answers the removed center
 * Bodies are checked in center-input.ts (400 naming the field); an unknown
 * id is 404. Changes go through the store, which publishes them to the tile
 * cache and coverage.
 */
import { Hono, type Context } from 'hono';
import { badRequest, notFound } from '../http/errors.ts';
import { checkKind, parseCenterId, parseCenterPatch, parseNewCenter } from './center-input.ts';
import type { CenterStore } from './center-store.ts';

async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw badRequest('the body must be a JSON object (Content-Type: application/json)', 'bad_body');
  }
}

const noSuchCenter = (id: number) => notFound(`no center with id ${id}`, 'unknown_center');

export function centerRoutes(store: CenterStore): Hono {
  const app = new Hono();

  app.get('/api/centers', async (c) => {
    const kind = c.req.query('kind');
    const centers = await store.list(kind === undefined || kind === '' ? {} : { kind: checkKind(kind) });
    return c.json({ centers });
  });

  app.get('/api/centers/:id', async (c) => {
    const id = parseCenterId(c.req.param('id'));
    const center = await store.get(id);
    if (!center) throw noSuchCenter(id);
    return c.json(center);
  });

  app.post('/api/centers', async (c) => {
    const center = await store.add(parseNewCenter(await jsonBody(c)));
    return c.json(center, 201, { Location: `/api/centers/${center.id}` });
  });

  app.patch('/api/centers/:id', async (c) => {
    const id = parseCenterId(c.req.param('id'));
    const patch = parseCenterPatch(await jsonBody(c));
    const center = await store.update(id, patch);
    if (!center) throw noSuchCenter(id);
    return c.json(center);
  });

  app.delete('/api/centers/:id', async (c) => {
    const id = parseCenterId(c.req.param('id'));
    const center = await store.remove(id);
    if (!center) throw noSuchCenter(id);
    return c.json(center);
  });

  return app;
}
