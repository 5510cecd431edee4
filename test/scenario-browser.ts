/**
 * What the scenario tests in the browser share beyond the fixture: metres
 * between two places, a live center worth moving (tried through the API:
 * a move that both drops households out of the 15-minute circle and brings
 * others in), and a drag of a scenario marker to a place on the map.
 */
import type { Page } from 'playwright-core';
import { bearer } from './auth-fixture.ts';

/** Metres per degree of latitude on the mean earth radius (6,371,008.8 m). */
export const METRES_PER_DEGREE = (6_371_008.8 * Math.PI) / 180;

type LonLat = { lon: number; lat: number };

/** How far `b` lies from `a`, east and north, in metres (a local plane: fine for a few kilometres). */
export function offsetMetres(a: LonLat, b: LonLat): { east: number; north: number; distance: number } {
  const east = (b.lon - a.lon) * METRES_PER_DEGREE * Math.cos((a.lat * Math.PI) / 180);
  const north = (b.lat - a.lat) * METRES_PER_DEGREE;
  return { east, north, distance: Math.hypot(east, north) };
}

/** The place `east` and `north` metres from `a`. */
function offsetBy(a: LonLat, east: number, north: number): LonLat {
  return { lon: a.lon + east / (METRES_PER_DEGREE * Math.cos((a.lat * Math.PI) / 180)), lat: a.lat + north / METRES_PER_DEGREE };
}

type Center = { id: number; name: string; kind: string; lon: number; lat: number };
export interface LiveMove {
  center: Center;
  to: LonLat;
  gained: number;
  lost: number;
}

/**
 * A live neighbourhood center near `near` and a place `distanceM` away
 * (east, west, north or south) such that moving it there both loses and
 * gains households at 15 minutes: the move with the most of the smaller of
 * the two, among the `tries` nearest centers that stand alone (no other
 * center within `aloneM`, so a click on the map hits it and nothing else).
 * Each try is a scenario stored and deleted through the API.
 */
export async function chooseLiveMove(
  base: string,
  token: string,
  near: LonLat,
  { distanceM = 700, tries = 8, aloneM = 120 } = {},
): Promise<LiveMove> {
  const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${base}${path}`, { ...init, headers: { 'content-type': 'application/json', ...bearer(token) } });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const { centers } = await call<{ centers: Center[] }>('/api/centers');
  const alone = (c: Center) => centers.every((o) => o.id === c.id || offsetMetres(c, o).distance > aloneM);
  const nearest = centers
    .filter((c) => c.kind === 'neighborhood' && alone(c))
    .sort((a, b) => offsetMetres(near, a).distance - offsetMetres(near, b).distance)
    .slice(0, tries);
  let best: LiveMove | undefined;
  for (const center of nearest) {
    for (const [east, north] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) {
      const to = offsetBy(center, east * distanceM, north * distanceM);
      const res = await fetch(`${base}/api/scenarios`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(token) },
        body: JSON.stringify({ name: 'try', changes: [{ op: 'move', center_id: center.id, lon: to.lon, lat: to.lat }] }),
      });
      // A place off the walk network or outside the data (422): not a move to try.
      if (res.status === 422) continue;
      if (!res.ok) throw new Error(`POST /api/scenarios: ${res.status} ${await res.text()}`);
      const tried = (await res.json()) as { id: number; summary: { circles: { minutes: number; gained: number; lost: number }[] } };
      await call(`/api/scenarios/${tried.id}`, { method: 'DELETE' });
      const fifteen = tried.summary.circles.find((c) => c.minutes === 15)!;
      if (!best || Math.min(fifteen.gained, fifteen.lost) > Math.min(best.gained, best.lost)) best = { center, to, gained: fifteen.gained, lost: fifteen.lost };
    }
  }
  if (!best || best.gained === 0 || best.lost === 0) throw new Error(`no move of ${nearest.length} centers both gains and loses households`);
  return best;
}

/** Drags a scenario marker (the first `selector` matches) with the mouse to a place on the map. */
export async function dragMarkerTo(page: Page, selector: string, to: LonLat): Promise<void> {
  const box = (await page.locator(selector).first().boundingBox())!;
  const canvas = (await page.locator('#map canvas.maplibregl-canvas').boundingBox())!;
  const target = await page.evaluate(([lon, lat]) => window.__map.project([lon, lat]), [to.lon, to.lat] as const);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(canvas.x + target.x, canvas.y + target.y, { steps: 12 });
  await page.mouse.up();
}

/**
 * A live neighbourhood center more than `minM` from `site` whose removal
 * drops households out of the 15-minute circle (the most, among the `tries`
 * nearest that stand alone). Each try is a scenario stored and deleted
 * through the API.
 */
export async function chooseRemoval(base: string, token: string, site: LonLat, { minM = 500, tries = 6, aloneM = 120 } = {}): Promise<Center> {
  const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${base}${path}`, { ...init, headers: { 'content-type': 'application/json', ...bearer(token) } });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const { centers } = await call<{ centers: Center[] }>('/api/centers');
  const alone = (c: Center) => centers.every((o) => o.id === c.id || offsetMetres(c, o).distance > aloneM);
  const near = centers
    .filter((c) => c.kind === 'neighborhood' && offsetMetres(site, c).distance > minM && alone(c))
    .sort((a, b) => offsetMetres(site, a).distance - offsetMetres(site, b).distance)
    .slice(0, tries);
  let best: { center: Center; lost: number } | undefined;
  for (const center of near) {
    const tried = await call<{ id: number; summary: { circles: { minutes: number; lost: number }[] } }>('/api/scenarios', {
      method: 'POST',
      body: JSON.stringify({ name: 'try', changes: [{ op: 'remove', center_id: center.id }] }),
    });
    await call(`/api/scenarios/${tried.id}`, { method: 'DELETE' });
    const lost = tried.summary.circles.find((c) => c.minutes === 15)!.lost;
    if (!best || lost > best.lost) best = { center, lost };
  }
  if (!best || best.lost === 0) throw new Error(`removing none of ${near.length} centers near the site loses households`);
  return best.center;
}
