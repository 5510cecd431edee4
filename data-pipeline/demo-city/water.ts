/** Water rows: the Mulan as a polygon of its banks, and the sea east of the coast (islands as holes). */
import type { PolygonCoords, WaterRow } from '../../kernel/import-bundle.ts';
import type { LandMask } from './land.ts';
import type { LocalProjection } from './local-projection.ts';
import type { River } from './river.ts';

function projectRing(flat: readonly number[], projection: LocalProjection): PolygonCoords[number] {
  const ring: PolygonCoords[number] = [];
  for (let k = 0; k < flat.length; k += 2) ring.push(projection.position(flat[k], flat[k + 1]));
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) ring.push([first[0], first[1]]);
  return ring;
}

export function waterRows(river: River, land: LandMask, projection: LocalProjection): WaterRow[] {
  return [
    { kind: 'river', name: river.name, geom: { type: 'MultiPolygon', coordinates: [[projectRing(river.ring(), projection)]] } },
    {
      kind: 'sea',
      name: null,
      geom: { type: 'MultiPolygon', coordinates: [land.seaRings().map((r) => projectRing(r, projection))] },
    },
  ];
}
