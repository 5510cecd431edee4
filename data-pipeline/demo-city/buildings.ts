/**
 * Building footprints for the urban patches only (a basemap touch, capped so
 * the store stays small): a rectangle per household unit, oriented along its
 * street; apartment blocks get storeys from their household count.
 */
import type { BuildingRow } from '../../kernel/import-bundle.ts';
import type { HouseholdUnits } from './households.ts';
import type { LocalProjection } from './local-projection.ts';
import type { Patch } from './settlements.ts';

export const MAX_DEMO_BUILDINGS = 30_000;

export function buildingFootprints(units: HouseholdUnits, patches: readonly Patch[], projection: LocalProjection): BuildingRow[] {
  const rows: BuildingRow[] = [];
  for (let u = 0; u < units.count && rows.length < MAX_DEMO_BUILDINGS; u++) {
    if (patches[units.patch[u]].kind !== 'urban') continue;
    const c = Math.cos(units.angle[u]);
    const s = Math.sin(units.angle[u]);
    const hl = units.halfLength[u];
    const hd = units.halfDepth[u];
    const ring = (
      [
        [-hl, -hd],
        [hl, -hd],
        [hl, hd],
        [-hl, hd],
        [-hl, -hd],
      ] as const
    ).map(([a, b]) => projection.position(units.x[u] + a * c - b * s, units.y[u] + a * s + b * c));
    const households = units.households[u];
    const apartment = units.apartment[u] === 1;
    const levels = apartment ? (households <= 36 ? 6 : Math.min(33, Math.ceil(households / 4))) : Math.min(7, 3 + Math.ceil(households / 3));
    rows.push({ kind: apartment ? 'apartments' : 'house', levels, geom: [[ring]] });
  }
  return rows;
}
