/**
 * Where people live: the urban patches (the central city, 涵江, the 仙游 county
 * town), a town seat per town-level unit, and villages scattered over each
 * unit's territory. A patch is a blob (a wobbly ellipse) that later gets its
 * own street lattice; patches keep clear of each other and of the river.
 */
import type { AdminAreas } from './admin-areas.ts';
import type { CellLattice } from './cell-lattice.ts';
import type { LandMask } from './land.ts';
import { PUTIAN_STREETS, streetKind } from './putian-divisions.ts';
import { STREET_SITES_KM, URBAN_PATCHES } from './putian-layout.ts';
import type { River } from './river.ts';
import type { SeededRandom } from './seeded-random.ts';

export type PatchKind = 'urban' | 'town' | 'village';

export interface Patch {
  index: number;
  kind: PatchKind;
  name: string;
  /** The town-level unit the patch was planned for (-1 for urban patches spanning several). */
  streetIndex: number;
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  /** Orientation of the ellipse and of the street lattice, radians. */
  rotation: number;
  spacing: number;
  householdTarget: number;
  bridges: number;
  diagonals: number;
  hill: { x: number; y: number; r: number } | null;
  wobble: [number, number, number, number];
}

/** Whether (x, y) is inside the patch's blob. */
export function insidePatch(p: Patch, x: number, y: number, scale = 1): boolean {
  const dx = x - p.cx;
  const dy = y - p.cy;
  const c = Math.cos(p.rotation);
  const s = Math.sin(p.rotation);
  const u = (dx * c + dy * s) / p.rx;
  const v = (-dx * s + dy * c) / p.ry;
  const r = Math.sqrt(u * u + v * v);
  if (r < 0.75 * scale) return true;
  const [a1, p1, a2, p2] = p.wobble;
  if (r >= scale * (1 + a1 + a2)) return false;
  const a = Math.atan2(v, u);
  return r < scale * (1 + a1 * Math.sin(3 * a + p1) + a2 * Math.sin(5 * a + p2));
}

export function patchRadius(p: Patch): number {
  return Math.max(p.rx, p.ry) * 1.15;
}

const TOWN_HOUSEHOLDS_PER_SIZE = 3600;
const VILLAGE_AREA_KM2 = 3.1;

export function planSettlements(lattice: CellLattice, areas: AdminAreas, land: LandMask, river: River, rng: SeededRandom): Patch[] {
  const patches: Patch[] = [];
  const wobble = (r: SeededRandom): [number, number, number, number] => [
    r.range(0.05, 0.12),
    r.range(0, 2 * Math.PI),
    r.range(0.02, 0.07),
    r.range(0, 2 * Math.PI),
  ];
  const add = (p: Omit<Patch, 'index'>): Patch => {
    const patch = { ...p, index: patches.length };
    patches.push(patch);
    return patch;
  };
  const clearOfOthers = (x: number, y: number, r: number, gap: number): Patch | null => {
    for (const o of patches) {
      const dx = x - o.cx;
      const dy = y - o.cy;
      const lim = r + patchRadius(o) + gap;
      if (dx * dx + dy * dy < lim * lim) return o;
    }
    return null;
  };

  const urbanRng = rng.fork('urban');
  for (const u of URBAN_PATCHES) {
    add({
      kind: 'urban',
      name: u.name,
      streetIndex: -1,
      cx: u.x * 1000,
      cy: u.y * 1000,
      rx: u.rx * 1000,
      ry: u.ry * 1000,
      rotation: (u.rotationDeg * Math.PI) / 180,
      spacing: u.spacing,
      householdTarget: u.households,
      bridges: u.bridges,
      diagonals: u.diagonals,
      hill: u.hill ? { x: u.hill.x * 1000, y: u.hill.y * 1000, r: u.hill.r * 1000 } : null,
      wobble: wobble(urbanRng),
    });
  }

  // Town seats at each town-level unit's seed, pushed clear of earlier patches.
  const townRng = rng.fork('towns');
  PUTIAN_STREETS.forEach((street, s) => {
    const size = STREET_SITES_KM[street.code].size;
    if (size <= 0) return;
    let r = 420 + 210 * size;
    const seed = areas.streetSeedCell[s];
    let x = lattice.centerX(seed);
    let y = lattice.centerY(seed);
    for (let iter = 0; iter < 40; iter++) {
      // 1.38 r bounds the blob (rx up to 1.2 r, wobble up to 15%).
      const o = clearOfOthers(x, y, r * 1.38, 400);
      if (!o) break;
      const dx = x - o.cx;
      const dy = y - o.cy;
      const d = Math.sqrt(dx * dx + dy * dy) || 1;
      const push = r * 1.38 + patchRadius(o) + 400 - d + 50;
      x += (dx / d) * push * 0.5;
      y += (dy / d) * push * 0.5;
      r = Math.max(350, r * 0.96);
    }
    const rot = townRng.range(-0.6, 0.6);
    add({
      kind: 'town',
      name: street.name.replace(/(镇|乡|街道)$/, ''),
      streetIndex: s,
      cx: x,
      cy: y,
      rx: r * townRng.range(1.0, 1.2),
      ry: r * townRng.range(0.8, 1.0),
      rotation: rot,
      spacing: townRng.range(75, 90),
      householdTarget: Math.round(TOWN_HOUSEHOLDS_PER_SIZE * size * townRng.range(0.85, 1.15)),
      // A town seat on the river gets a bridge of its own.
      bridges: river.pointNear(x, y, r * 1.5) ? 1 : 0,
      diagonals: size >= 2.2 ? 1 : 0,
      hill: null,
      wobble: wobble(townRng),
    });
  });

  // Villages over each unit's territory, by area outside the urban patches.
  const villageRng = rng.fork('villages');
  const urban = patches.filter((p) => p.kind === 'urban');
  PUTIAN_STREETS.forEach((street, s) => {
    const lo = areas.streetCells.offsets[s];
    const hi = areas.streetCells.offsets[s + 1];
    let outside = 0;
    for (let k = lo; k < hi; k++) {
      const c = areas.streetCells.cells[k];
      const x = lattice.centerX(c);
      const y = lattice.centerY(c);
      let inside = false;
      for (const p of urban) {
        const reach = patchRadius(p) * 1.2;
        if (Math.abs(x - p.cx) < reach && Math.abs(y - p.cy) < reach && insidePatch(p, x, y, 1.2)) inside = true;
      }
      if (!inside) outside++;
    }
    const areaKm2 = (outside * lattice.size * lattice.size) / 1e6;
    const kind = streetKind(street.name);
    let want = Math.round(areaKm2 / VILLAGE_AREA_KM2);
    if (kind === 'subdistrict') want = Math.round(areaKm2 / (VILLAGE_AREA_KM2 * 1.5));
    else want = Math.max(2, Math.min(24, want));
    let placed = 0;
    for (let attempt = 0; attempt < want * 80 && placed < want && hi > lo; attempt++) {
      const c = areas.streetCells.cells[lo + villageRng.int(hi - lo)];
      const x = lattice.centerX(c) + villageRng.range(-40, 40);
      const y = lattice.centerY(c) + villageRng.range(-40, 40);
      const target = Math.round(villageRng.range(80, 280));
      const r = 110 + 0.45 * target;
      if (!land.isLand(x, y) || lattice.cellAt(x, y) !== c) continue;
      if (river.pointNear(x, y, r + 120)) continue;
      if (clearOfOthers(x, y, r * 1.45, 350)) continue;
      placed++;
      add({
        kind: 'village',
        name: '',
        streetIndex: s,
        cx: x,
        cy: y,
        rx: r * villageRng.range(1.0, 1.25),
        ry: r * villageRng.range(0.75, 1.0),
        rotation: villageRng.range(0, Math.PI),
        spacing: villageRng.range(50, 62),
        householdTarget: target,
        bridges: 0,
        diagonals: 0,
        hill: null,
        wobble: wobble(villageRng),
      });
    }
  });
  return patches;
}
