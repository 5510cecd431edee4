/**
 * GET /api/nearest?lon=&lat=&kind=&speed_kmh=
 * The nearest center (of `kind`, or any) by walking time from a point: the
 * center, walk_seconds, distance_m, and the route as a GeoJSON LineString
 * Feature along the streets, both access legs included. 422 for a point
 * off the network or outside the data; 404 when no center of that kind is
 * within MAX_SEARCH_SECONDS.
 */
import { Hono } from 'hono';
import { ApiError } from '../http/errors.ts';
import type { CoverageService } from '../coverage/coverage-service.ts';
import { parseKind, parseLonLat, parseSpeed } from '../routing/routing-params.ts';
import { MAX_SEARCH_SECONDS, type RoutingService } from '../routing/routing-service.ts';
import { lineLengthM, routeLine, routeToNearest } from '../routing/search/route.ts';
import type { Snap } from '../routing/search/snap.ts';
import { DEFAULT_SPEED_KMH } from '../../kernel/walk-speed.ts';

/** Rounds coordinates to 7 decimals (about 1 cm): smaller responses, no false precision. */
const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

export function nearestRoutes(routing: RoutingService, coverage: CoverageService) {
  const app = new Hono();
  app.get('/api/nearest', async (c) => {
    const { lon, lat } = parseLonLat(c.req.query('lon'), c.req.query('lat'));
    const speedKmh = parseSpeed(c.req.query('speed_kmh'));
    const kind = parseKind(c.req.query('kind'));
    const state = await coverage.ready();
    const targets = coverage.targetsFor(state, kind);
    const { graph } = state.loaded;
    const origin = routing.snap(state.loaded, lon, lat, speedKmh);
    const costScale = DEFAULT_SPEED_KMH / speedKmh;
    const route = routeToNearest(graph, origin.snap, targets, MAX_SEARCH_SECONDS / costScale);
    if (!route) {
      throw new ApiError(
        404,
        'no_center_reachable',
        `no ${kind ? `"${kind}" ` : ''}center is reachable within ${MAX_SEARCH_SECONDS / 3600} h of walking at ${speedKmh} km/h from (${lon}, ${lat})`,
      );
    }
    const i = route.target;
    const centers = state.centers;
    const snaps = state.centerSnaps;
    const targetSnap: Snap = { edge: snaps.edge[i]!, fraction: snaps.fraction[i]!, lon: 0, lat: 0, distanceM: snaps.distanceM[i]! };
    const centerPoint: [number, number] = [centers.lon[i]!, centers.lat[i]!];
    const line = routeLine(graph, [lon, lat], origin.snap, route, centerPoint, targetSnap).map(([x, y]) => [round7(x), round7(y)]);
    const walkSeconds = route.cost * costScale;
    const distanceM = lineLengthM(line as [number, number][]);
    return c.json({
      center: { id: centers.id[i], name: centers.name[i], kind: centers.kind[i], services: centers.services[i], lon: round7(centerPoint[0]), lat: round7(centerPoint[1]) },
      walk_seconds: Math.round(walkSeconds * 10) / 10,
      distance_m: Math.round(distanceM * 10) / 10,
      speed_kmh: speedKmh,
      origin: { lon, lat, snapped: [round7(origin.snap.lon), round7(origin.snap.lat)], access_m: Math.round(origin.snap.distanceM * 10) / 10 },
      route: {
        type: 'Feature',
        properties: { walk_seconds: Math.round(walkSeconds * 10) / 10, distance_m: Math.round(distanceM * 10) / 10 },
        geometry: { type: 'LineString', coordinates: line },
      },
    });
  });
  return app;
}
