/**
 * Where a scenario's changes are: the live centers its moves and removals
 * name (their names, kinds and places, read once each from the API, so the
 * panel and the markers can name them), and the box around all the changes
 * (a scenario opened from the list is framed on the map). planner.js keeps
 * the map of known centers; these functions fill and read it.
 */
import { fetchCenter } from './api.js';

/**
 * @typedef {import('./api.js').ScenarioChange} ScenarioChange
 * @typedef {Map<number, { name: string, kind: string, lon?: number, lat?: number }>} KnownCenters
 */

/**
 * Reads the live centers the changes name that `centers` does not know yet, into it.
 * @param {ScenarioChange[]} changes
 * @param {KnownCenters} centers
 */
export async function learnCenters(changes, centers) {
  const unknown = [...new Set(changes.flatMap((c) => (c.op === 'add' || centers.has(c.center_id) ? [] : [c.center_id])))];
  await Promise.all(
    unknown.map(async (id) => {
      try {
        const center = await fetchCenter(id);
        centers.set(id, { name: center.name, kind: center.kind, lon: center.lon, lat: center.lat });
      } catch {
        // A center gone from the live data: the change names it by id (the API says the conflict).
      }
    }),
  );
}

/**
 * The box around the changes' places (a removal at its live center's), or null when none has a place.
 * @param {ScenarioChange[]} changes
 * @param {KnownCenters} centers
 * @returns {[[number, number], [number, number]] | null}
 */
export function changesBounds(changes, centers) {
  const points = changes.flatMap((c) => {
    if (c.op !== 'remove') return [[c.lon, c.lat]];
    const center = centers.get(c.center_id);
    return center?.lon !== undefined && center.lat !== undefined ? [[center.lon, center.lat]] : [];
  });
  if (points.length === 0) return null;
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  return [[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]];
}
