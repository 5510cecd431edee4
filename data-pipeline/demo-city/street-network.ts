/**
 * The street network inside one settlement patch. Not a lattice: a jittered,
 * rotated grid of blocks where every few lines are arterials (never dropped),
 * local segments are randomly dropped (T-junctions, dead ends, merged
 * blocks), diagonal arterials cut across through block corners, curved
 * alleys cross blocks or end inside them, gated compounds keep few through
 * streets and curving internal roads while old quarters are dense with
 * alleys, a hill park has winding paths and steps, and nothing crosses the
 * river except a few bridges. The result stays planar: every edge keeps
 * inside its own block or runs along a block side.
 */
import type { NetworkBuilder, RoadClass } from './network-builder.ts';
import { NoiseField } from './noise.ts';
import type { River } from './river.ts';
import type { SeededRandom } from './seeded-random.ts';
import { insidePatch, type Patch } from './settlements.ts';
import { addBridges } from './street-bridges.ts';
import { COMPOUND_ROADS, HILL_PATHS, STYLES, type CornerAlleyStyle, type LineClass } from './street-styles.ts';

export interface PatchNetworkContext {
  builder: NetworkBuilder;
  river: River;
  /** Whether a point is on land inside the city. */
  inCity: (x: number, y: number) => boolean;
}

/** Clearance kept between streets and the river banks, metres. */
const RIVER_MARGIN_M = 20;

export interface PatchNetworkResult {
  /** Network nodes made for this patch. */
  nodes: number[];
  bridges: number;
}

function mod(a: number, m: number): number {
  return ((a % m) + m) % m;
}

/** Adds the patch's streets, alleys and bridges to the network builder. */
export function buildPatchNetwork(patch: Patch, ctx: PatchNetworkContext, rng: SeededRandom): PatchNetworkResult {
  const { builder, river } = ctx;
  const style = STYLES[patch.kind];
  const s = patch.spacing;
  const n = Math.ceil((Math.max(patch.rx, patch.ry) * 1.2) / s) + 1;
  const side = 2 * n + 1;
  const size = side * side;
  const idx = (i: number, j: number) => (j + n) * side + (i + n);
  const cos = Math.cos(patch.rotation);
  const sin = Math.sin(patch.rotation);

  // Lattice node positions (jittered) and which ones exist.
  const px = new Float64Array(size);
  const py = new Float64Array(size);
  const inPatch = new Uint8Array(size);
  const included = new Uint8Array(size);
  for (let j = -n; j <= n; j++) {
    for (let i = -n; i <= n; i++) {
      const u = i * s + rng.range(-style.jitter, style.jitter) * s;
      const v = j * s + rng.range(-style.jitter, style.jitter) * s;
      const k = idx(i, j);
      px[k] = patch.cx + u * cos - v * sin;
      py[k] = patch.cy + u * sin + v * cos;
      if (insidePatch(patch, px[k], py[k]) && ctx.inCity(px[k], py[k])) {
        inPatch[k] = 1;
        included[k] = river.pointNear(px[k], py[k], RIVER_MARGIN_M + 10) ? 0 : 1;
      }
    }
  }

  const period = style.arterialPeriod;
  const offI = period > 0 ? rng.int(period) : 0;
  const offJ = period > 0 ? rng.int(period) : 0;
  const lineClass = (line: number, off: number): LineClass => {
    if (patch.kind === 'village') return line === 0 ? { cls: 'residential', rank: 1 } : { cls: 'service', rank: 2 };
    const m = mod(line - off, period);
    if (m === 0) {
      if (patch.kind === 'town') return { cls: 'secondary', rank: 0 };
      return { cls: mod(Math.round((line - off) / period), 2) === 0 ? 'primary' : 'secondary', rank: 0 };
    }
    if (m === Math.floor(period / 2)) return { cls: 'tertiary', rank: 1 };
    return { cls: 'residential', rank: 2 };
  };
  // Urban zones from a noise field: gated compounds (小区: few through
  // streets, curving internal paths) and old quarters (dense alleys).
  const zones = new NoiseField(rng.fork('zones').seed, 700, 2);
  const zoneAt = (x: number, y: number): 'compound' | 'old' | 'regular' => {
    if (patch.kind === 'village') return 'regular';
    const z = zones.at(x, y);
    if (z > (patch.kind === 'urban' ? 0.6 : 0.68)) return 'compound';
    if (z < 0.33) return 'old';
    return 'regular';
  };
  // Class of every lattice line, computed once (lines i run north, lines j east).
  const lineI = Array.from({ length: side }, (_, k) => lineClass(k - n, offI));
  const lineJ = Array.from({ length: side }, (_, k) => lineClass(k - n, offJ));
  const hill = patch.hill;
  const inHill = (k: number) => hill !== null && (px[k] - hill.x) ** 2 + (py[k] - hill.y) ** 2 < hill.r * hill.r;

  // Lattice edges: hState/vState hold class index + 1 (0 = absent).
  // h(i,j) joins (i,j)-(i+1,j) on line j; v(i,j) joins (i,j)-(i,j+1) on line i.
  const hCls: (RoadClass | null)[] = new Array(size).fill(null);
  const vCls: (RoadClass | null)[] = new Array(size).fill(null);
  const decideEdge = (a: number, b: number, line: LineClass): RoadClass | null => {
    if (!included[a] || !included[b]) return null;
    if (river.segmentNear(px[a], py[a], px[b], py[b], RIVER_MARGIN_M)) return null;
    if (line.rank > 0 && inHill(a) && inHill(b)) {
      if (!rng.chance(0.3)) return null;
      return rng.chance(0.35) ? 'steps' : 'path';
    }
    const zone = zoneAt((px[a] + px[b]) / 2, (py[a] + py[b]) / 2);
    if (line.rank === 2 && rng.chance(zone === 'compound' ? 0.72 : zone === 'old' ? style.dropLocal * 0.5 : style.dropLocal)) return null;
    if (line.rank === 1 && rng.chance(zone === 'compound' ? 0.25 : style.dropCollector)) return null;
    return line.cls;
  };
  for (let j = -n; j <= n; j++) {
    for (let i = -n; i < n; i++) hCls[idx(i, j)] = decideEdge(idx(i, j), idx(i + 1, j), lineJ[j + n]);
  }
  for (let i = -n; i <= n; i++) {
    for (let j = -n; j < n; j++) vCls[idx(i, j)] = decideEdge(idx(i, j), idx(i, j + 1), lineI[i + n]);
  }

  // Diagonal arterials through block corners; a second one crosses the first at a node.
  const diagCell = new Uint8Array(size);
  const diagonals: [number, number][] = [];
  let firstDiag: { i: number; j: number } | null = null;
  for (let d = 0; d < patch.diagonals; d++) {
    const dir = d % 2 === 0 ? 1 : -1;
    let ci = rng.int(5) - 2;
    let cj = rng.int(5) - 2;
    if (firstDiag && mod(firstDiag.i - firstDiag.j + ci + cj, 2) !== 0) cj += 1;
    if (!firstDiag) firstDiag = { i: ci, j: cj };
    for (let t = -2 * n; t < 2 * n; t++) {
      const i0 = ci + t;
      const j0 = cj + dir * t;
      const i1 = i0 + 1;
      const j1 = j0 + dir;
      if (Math.max(Math.abs(i0), Math.abs(j0), Math.abs(i1), Math.abs(j1)) > n) continue;
      const cell = idx(Math.min(i0, i1), Math.min(j0, j1));
      if (diagCell[cell]) continue;
      const a = idx(i0, j0);
      const b = idx(i1, j1);
      if (!included[a] || !included[b] || inHill(a) || inHill(b)) continue;
      if (river.segmentNear(px[a], py[a], px[b], py[b], RIVER_MARGIN_M)) continue;
      diagCell[cell] = 1;
      diagonals.push([a, b]);
    }
    ci = 0;
  }

  // Alleys: split points on block sides, registered first, nodes made later.
  const splits = new Map<number, number[]>();
  const registerSplit = (key: number, t: number): number => {
    let list = splits.get(key);
    if (!list) splits.set(key, (list = []));
    for (const existing of list) if (Math.abs(existing - t) < 0.12) return existing;
    list.push(t);
    return t;
  };
  // Edge key: 0..size-1 horizontal, size..2*size-1 vertical.
  const endpoints = (key: number): [number, number] => {
    if (key < size) return [key, key + 1];
    const k = key - size;
    return [k, k + side];
  };
  const pointOn = (key: number, t: number): [number, number] => {
    const [a, b] = endpoints(key);
    return [px[a] + (px[b] - px[a]) * t, py[a] + (py[b] - py[a]) * t];
  };
  interface Alley {
    /** through: side to side; dead: side to a new end node; corner: lattice node to lattice node (aKey/bKey are node slots). */
    kind: 'through' | 'dead' | 'corner';
    aKey: number;
    aT: number;
    bKey: number;
    bT: number;
    endX: number;
    endY: number;
    bend: number;
    cls: RoadClass;
  }
  const alleys: Alley[] = [];
  /**
   * Maybe a curving path across block c00-c10-c01-c11 between opposite
   * corners (a diagonal picked at random), as `paths` says, unless it would
   * come near the river.
   */
  const addCornerAlley = (c00: number, c10: number, c01: number, c11: number, paths: CornerAlleyStyle): void => {
    if (!rng.chance(paths.chance)) return;
    const useMain = rng.chance(0.5);
    const a = useMain ? c00 : c10;
    const b = useMain ? c11 : c01;
    const bend = rng.range(-paths.maxBend, paths.maxBend) * s;
    const via = curve(px[a], py[a], px[b], py[b], bend, 5);
    if (river.polylineNear([px[a], py[a], ...via, px[b], py[b]], RIVER_MARGIN_M)) return;
    const cls = rng.chance(paths.firstShare) ? paths.first : paths.second;
    alleys.push({ kind: 'corner', aKey: a, aT: 0, bKey: b, bT: 0, endX: 0, endY: 0, bend, cls });
  };
  for (let j = -n; j < n; j++) {
    for (let i = -n; i < n; i++) {
      const c00 = idx(i, j);
      const c10 = idx(i + 1, j);
      const c01 = idx(i, j + 1);
      const c11 = idx(i + 1, j + 1);
      if (!included[c00] || !included[c10] || !included[c01] || !included[c11] || diagCell[c00]) continue;
      const hillCell = inHill(c00) && inHill(c11);
      if (hillCell) {
        addCornerAlley(c00, c10, c01, c11, HILL_PATHS);
        continue;
      }
      const cx = (px[c00] + px[c10] + px[c01] + px[c11]) / 4;
      const cy = (py[c00] + py[c10] + py[c01] + py[c11]) / 4;
      const zone = zoneAt(cx, cy);
      if (zone === 'compound') {
        addCornerAlley(c00, c10, c01, c11, COMPOUND_ROADS);
        continue;
      }
      if (!rng.chance(zone === 'old' ? Math.min(0.9, style.alleyChance * 1.5) : style.alleyChance)) continue;
      const S = hCls[c00] ? c00 : -1;
      const N = hCls[c01] ? c01 : -1;
      const W = vCls[c00] ? size + c00 : -1;
      const E = vCls[c10] ? size + c10 : -1;
      const cls = rng.weighted(style.alleyClasses);
      const throughWE = W >= 0 && E >= 0;
      const throughSN = S >= 0 && N >= 0;
      if ((throughWE || throughSN) && rng.chance(style.throughShare)) {
        const we = throughWE && (!throughSN || rng.chance(0.5));
        const aKey = we ? W : S;
        const bKey = we ? E : N;
        const aT = registerSplit(aKey, rng.range(0.3, 0.7));
        const bT = registerSplit(bKey, rng.range(0.3, 0.7));
        alleys.push({ kind: 'through', aKey, aT, bKey, bT, endX: 0, endY: 0, bend: rng.range(-0.22, 0.22) * s, cls });
        continue;
      }
      // Dead ends: from one side, maybe also from the opposite side, towards the block centre.
      const sides = [S, N, W, E];
      const first = rng.int(4);
      const picks = [first];
      if (rng.chance(zone === 'old' ? 0.6 : 0.35)) picks.push(first ^ 1);
      for (const p of picks) {
        const key = sides[p];
        if (key < 0) continue;
        const t = rng.range(0.3, 0.7);
        const [sx, sy] = pointOn(key, t);
        const f = rng.range(0.5, 0.75);
        const endX = sx + (cx - sx) * f;
        const endY = sy + (cy - sy) * f;
        if (river.segmentNear(sx, sy, endX, endY, RIVER_MARGIN_M)) continue;
        const aT = registerSplit(key, t);
        alleys.push({ kind: 'dead', aKey: key, aT, bKey: -1, bT: 0, endX, endY, bend: rng.range(-0.06, 0.06) * s, cls });
      }
    }
  }

  // Emit: lattice nodes on demand, split nodes, then edges.
  const created: number[] = [];
  const nodeOf = new Int32Array(size).fill(-1);
  const latticeNode = (k: number): number => {
    if (nodeOf[k] < 0) {
      nodeOf[k] = builder.addNode(px[k], py[k]);
      created.push(nodeOf[k]);
    }
    return nodeOf[k];
  };
  const splitNodes = new Map<number, Map<number, number>>();
  const emitSide = (key: number, cls: RoadClass) => {
    const [a, b] = endpoints(key);
    const ts = (splits.get(key) ?? []).slice().sort((x, y) => x - y);
    const ids = new Map<number, number>();
    let prev = latticeNode(a);
    for (const t of ts) {
      const [x, y] = pointOn(key, t);
      const id = builder.addNode(x, y);
      created.push(id);
      ids.set(t, id);
      builder.addEdge(prev, id, cls, patch.index);
      prev = id;
    }
    builder.addEdge(prev, latticeNode(b), cls, patch.index);
    splitNodes.set(key, ids);
  };
  for (let k = 0; k < size; k++) {
    const h = hCls[k];
    if (h) emitSide(k, h);
    const v = vCls[k];
    if (v) emitSide(size + k, v);
  }
  for (const [a, b] of diagonals) builder.addEdge(latticeNode(a), latticeNode(b), 'primary', patch.index);

  const endpointOf = (key: number, t: number, corner: boolean): { id: number; x: number; y: number } => {
    if (corner) return { id: latticeNode(key), x: px[key], y: py[key] };
    const id = splitNodes.get(key)?.get(t);
    if (id === undefined) throw new Error('street network: unregistered split');
    const [x, y] = pointOn(key, t);
    return { id, x, y };
  };
  for (const alley of alleys) {
    const corner = alley.kind === 'corner';
    const a = endpointOf(alley.aKey, alley.aT, corner);
    if (alley.kind === 'dead') {
      const via = curve(a.x, a.y, alley.endX, alley.endY, alley.bend, 2);
      if (river.polylineNear([a.x, a.y, ...via, alley.endX, alley.endY], RIVER_MARGIN_M)) continue;
      const end = builder.addNode(alley.endX, alley.endY);
      created.push(end);
      builder.addEdge(a.id, end, alley.cls, patch.index, via);
      continue;
    }
    const b = endpointOf(alley.bKey, alley.bT, corner);
    const via = curve(a.x, a.y, b.x, b.y, alley.bend, 5);
    if (river.polylineNear([a.x, a.y, ...via, b.x, b.y], RIVER_MARGIN_M)) continue;
    builder.addEdge(a.id, b.id, alley.cls, patch.index, via);
  }

  const bridges = patch.bridges > 0 ? addBridges(patch, ctx, { n, idx, px, py, inPatch, included, lineClass, offI, latticeNode }) : 0;
  return { nodes: created, bridges };
}

/** Intermediate vertices of a quadratic Bezier from a to b whose control point sits `bend` metres off the chord. */
export function curve(ax: number, ay: number, bx: number, by: number, bend: number, count: number): number[] {
  const dx = bx - ax;
  const dy = by - ay;
  const len = Math.sqrt(dx * dx + dy * dy) || 1;
  const cx = (ax + bx) / 2 - (dy / len) * bend;
  const cy = (ay + by) / 2 + (dx / len) * bend;
  const out: number[] = [];
  for (let k = 1; k <= count; k++) {
    const t = k / (count + 1);
    const u = 1 - t;
    out.push(u * u * ax + 2 * u * t * cx + t * t * bx, u * u * ay + 2 * u * t * cy + t * t * by);
  }
  return out;
}
