/**
 * Household units (one point per building) along the streets of each patch:
 * apartment blocks (dozens to a couple of hundred households) and houses
 * (urban-village houses with rented floors, town shop-houses, village houses
 * of 1-3 households), set back from the street by their
 * footprint depth plus a gap, so every unit is within ~30 m of the network,
 * clear of other streets, of each other and of the river. Candidates are laid out densely, then
 * thinned per patch to its household target, denser where a noise field says
 * so, so neighbourhoods differ.
 */
import type { CellLattice } from './cell-lattice.ts';
import type { LandMask } from './land.ts';
import type { LocalEdges } from './network-builder.ts';
import { NoiseField } from './noise.ts';
import type { River } from './river.ts';
import type { SeededRandom } from './seeded-random.ts';
import type { Patch, PatchKind } from './settlements.ts';
import { CircleHash, type SegmentGrid } from './spatial-index.ts';

export interface HouseholdUnits {
  count: number;
  /** Local metres. */
  x: Float64Array;
  y: Float64Array;
  households: Int32Array;
  patch: Int32Array;
  apartment: Uint8Array;
  /** Footprint: orientation (radians, along the street), half length and half depth, metres. */
  angle: Float64Array;
  halfLength: Float64Array;
  halfDepth: Float64Array;
  cell: Int32Array;
}

export interface HouseholdContext {
  lattice: CellLattice;
  land: LandMask;
  river: River;
  streetOfCell: Int32Array;
  segments: SegmentGrid;
}

interface UnitStyle {
  step: number;
  aptShare: (noise: number) => number;
  house: (rng: SeededRandom) => number;
  apartment: (rng: SeededRandom) => number;
}

const STYLES: Record<PatchKind, UnitStyle> = {
  urban: {
    step: 25,
    aptShare: (noise) => 0.15 + 0.55 * noise,
    // Urban-village houses: 4-7 storeys, floors let to separate households.
    house: (rng) => 2 + rng.int(7),
    // Walk-ups (12-36), mid-rise (40-90), high-rise (100-200).
    apartment: (rng) => {
      const r = rng.next();
      if (r < 0.5) return 12 + rng.int(25);
      if (r < 0.88) return 40 + rng.int(51);
      return 100 + rng.int(101);
    },
  },
  town: {
    step: 22,
    aptShare: (noise) => 0.08 + 0.3 * noise,
    // Shop-houses: a shop below, two to eight households above.
    house: (rng) => 2 + rng.int(7),
    apartment: (rng) => 12 + rng.int(37),
  },
  village: {
    step: 21,
    aptShare: () => 0,
    // 1: 30%, 2: 45%, 3: 25%.
    house: (rng) => {
      const r = rng.next();
      return r < 0.3 ? 1 : r < 0.75 ? 2 : 3;
    },
    apartment: () => 0,
  },
};

export function placeHouseholds(edges: LocalEdges, patches: readonly Patch[], ctx: HouseholdContext, rng: SeededRandom): HouseholdUnits {
  const { lattice, land, river, streetOfCell, segments } = ctx;
  const circles = new CircleHash(
    { xMin: lattice.x0, yMin: lattice.y0, xMax: lattice.x0 + lattice.nx * lattice.size, yMax: lattice.y0 + lattice.ny * lattice.size },
    40,
  );
  const aptNoise = new NoiseField(rng.fork('apartment-noise').seed, 700, 2);
  const densityNoise = new NoiseField(rng.fork('density-noise').seed, 500, 2);
  const cand = {
    x: [] as number[],
    y: [] as number[],
    hh: [] as number[],
    patch: [] as number[],
    apt: [] as number[],
    angle: [] as number[],
    hl: [] as number[],
    hd: [] as number[],
    weight: [] as number[],
  };
  const size = lattice.size;
  let cum = new Float64Array(64);

  // Pre-thinning: a patch whose streets offer far more frontage than its
  // target needs skips most candidate spots up front (the exact thinning
  // below still sets the total); this keeps the candidate work small.
  const frontage = new Float64Array(patches.length);
  for (let e = 0; e < edges.count; e++) {
    const p = edges.patch[e];
    if (p < 0) continue;
    for (let v = edges.offsets[e]; v < edges.offsets[e + 1] - 1; v++) {
      frontage[p] += Math.hypot(edges.xy[2 * v + 2] - edges.xy[2 * v], edges.xy[2 * v + 3] - edges.xy[2 * v + 1]);
    }
  }
  const preKeep = patches.map((patch) => {
    const style = STYLES[patch.kind];
    const meanHouseholds = patch.kind === 'urban' ? 20 : patch.kind === 'town' ? 7 : 2;
    // Spots x households each x ~half of spots pass the checks.
    const raw = ((2 * frontage[patch.index]) / style.step) * meanHouseholds * 0.5;
    return Math.min(1, (1.8 * patch.householdTarget) / Math.max(1, raw));
  });

  for (let e = 0; e < edges.count; e++) {
    const p = edges.patch[e];
    if (p < 0 || edges.bridge[e]) continue;
    const patch = patches[p];
    const style = STYLES[patch.kind];
    const v0 = edges.offsets[e];
    const v1 = edges.offsets[e + 1];
    const aptShare = style.aptShare(aptNoise.at(edges.xy[2 * v0], edges.xy[2 * v0 + 1]));
    const keepSpot = preKeep[p];
    // Cumulative length along the edge.
    const segCount = v1 - v0 - 1;
    if (cum.length < segCount + 1) cum = new Float64Array(2 * (segCount + 1));
    cum[0] = 0;
    for (let v = v0; v < v1 - 1; v++) {
      const dx = edges.xy[2 * v + 2] - edges.xy[2 * v];
      const dy = edges.xy[2 * v + 3] - edges.xy[2 * v + 1];
      cum[v - v0 + 1] = cum[v - v0] + Math.sqrt(dx * dx + dy * dy);
    }
    const length = cum[segCount];
    let seg = 0;
    for (let s = 10 + rng.range(0, style.step / 2); s < length - 10; s += style.step * rng.range(0.8, 1.2)) {
      while (seg < segCount - 1 && cum[seg + 1] < s) seg++;
      const v = v0 + seg;
      const ax = edges.xy[2 * v];
      const ay = edges.xy[2 * v + 1];
      const dx = edges.xy[2 * v + 2] - ax;
      const dy = edges.xy[2 * v + 3] - ay;
      const segLen = cum[seg + 1] - cum[seg];
      if (segLen <= 0) continue;
      const t = (s - cum[seg]) / segLen;
      const bx = ax + dx * t;
      const by = ay + dy * t;
      const ux = dx / segLen;
      const uy = dy / segLen;
      for (let sideSign = 1; sideSign >= -1; sideSign -= 2) {
        if (keepSpot < 1 && rng.next() >= keepSpot) continue;
        const apt = rng.next() < aptShare;
        const hl = apt ? rng.range(10, 17) : rng.range(4, 7);
        const hd = apt ? rng.range(6, 8) : rng.range(4, 6);
        const offset = hd + (apt ? rng.range(6, 10) : rng.range(3, 8));
        const x = bx - uy * sideSign * offset;
        const y = by + ux * sideSign * offset;
        const r = Math.sqrt(hl * hl + hd * hd) * 0.9;
        if (!land.isLand(x, y)) continue;
        const cell = lattice.cellAt(x, y);
        if (cell < 0 || streetOfCell[cell] < 0) continue;
        if (patch.hill && (x - patch.hill.x) ** 2 + (y - patch.hill.y) ** 2 < (patch.hill.r + 20) ** 2) continue;
        if (river.pointNear(x, y, 15 + r)) continue;
        if (circles.overlaps(x, y, r)) continue;
        if (segments.nearestDistance(x, y, hd + 2) !== Infinity) continue;
        circles.insert(x, y, r);
        cand.x.push(x);
        cand.y.push(y);
        cand.hh.push(apt ? style.apartment(rng) : style.house(rng));
        cand.patch.push(p);
        cand.apt.push(apt ? 1 : 0);
        cand.angle.push(Math.atan2(uy, ux));
        cand.hl.push(hl);
        cand.hd.push(hd);
        cand.weight.push(0.3 + 1.4 * densityNoise.at(x, y));
      }
    }
  }

  // Thin each patch to its target: keep with probability min(1, q * weight),
  // q found by bisection so the expected total matches the target.
  const byPatch: number[][] = patches.map(() => []);
  for (let k = 0; k < cand.x.length; k++) byPatch[cand.patch[k]].push(k);
  const keep = new Uint8Array(cand.x.length);
  const thinRng = rng.fork('thinning');
  for (const patch of patches) {
    const list = byPatch[patch.index];
    const expected = (q: number) => {
      let sum = 0;
      for (const k of list) sum += cand.hh[k] * Math.min(1, q * cand.weight[k]);
      return sum;
    };
    let lo = 0;
    let hi = 20;
    if (expected(hi) <= patch.householdTarget) lo = hi;
    else {
      for (let it = 0; it < 40; it++) {
        const mid = (lo + hi) / 2;
        if (expected(mid) < patch.householdTarget) lo = mid;
        else hi = mid;
      }
    }
    for (const k of list) keep[k] = thinRng.next() < Math.min(1, lo * cand.weight[k]) ? 1 : 0;
  }

  let count = 0;
  for (let k = 0; k < keep.length; k++) count += keep[k];
  const units: HouseholdUnits = {
    count,
    x: new Float64Array(count),
    y: new Float64Array(count),
    households: new Int32Array(count),
    patch: new Int32Array(count),
    apartment: new Uint8Array(count),
    angle: new Float64Array(count),
    halfLength: new Float64Array(count),
    halfDepth: new Float64Array(count),
    cell: new Int32Array(count),
  };
  let u = 0;
  for (let k = 0; k < keep.length; k++) {
    if (!keep[k]) continue;
    // Keep 3 m inside the cell so containment never hinges on rounding.
    let x = cand.x[k];
    let y = cand.y[k];
    const cell = lattice.cellAt(x, y);
    const cx0 = lattice.centerX(cell) - size / 2;
    const cy0 = lattice.centerY(cell) - size / 2;
    x = Math.min(cx0 + size - 3, Math.max(cx0 + 3, x));
    y = Math.min(cy0 + size - 3, Math.max(cy0 + 3, y));
    units.x[u] = x;
    units.y[u] = y;
    units.households[u] = cand.hh[k];
    units.patch[u] = cand.patch[k];
    units.apartment[u] = cand.apt[k];
    units.angle[u] = cand.angle[k];
    units.halfLength[u] = cand.hl[k];
    units.halfDepth[u] = cand.hd[k];
    units.cell[u] = cell;
    u++;
  }
  return units;
}
