/**
 * Roads between settlements: a spanning tree over the patches (shortest
 * feasible links first, Kruskal), a few extra links where the tree makes a
 * long detour, and a few rural bridges over the Mulan. A link must stay on
 * land inside the city, keep clear of the river (unless it is a bridge) and
 * of other patches, and cross no earlier link, so the road graph stays
 * planar. Links are gently curved polylines between two patch nodes. A
 * last pass joins any piece still cut off (a village behind the river, half a
 * town) by its best link found with wider limits, so the mainland network is
 * one component; only the islands stay on their own.
 */
import type { NetworkBuilder, RoadClass } from './network-builder.ts';
import { pointSegmentDistance2, segmentsIntersect } from '../../kernel/plane-geometry.ts';
import type { River } from './river.ts';
import type { SeededRandom } from './seeded-random.ts';
import { patchRadius, type Patch } from './settlements.ts';

export interface ConnectorContext {
  builder: NetworkBuilder;
  river: River;
  inCity: (x: number, y: number) => boolean;
}

interface Link {
  p: number;
  q: number;
  a: number;
  b: number;
  length: number;
  bridge: boolean;
}

const MAX_LINK_M = 9000;
const NEIGHBOURS = 7;
const RURAL_BRIDGES = 3;

export function connectSettlements(
  patches: readonly Patch[],
  patchNodes: readonly number[][],
  ctx: ConnectorContext,
  rng: SeededRandom,
  minPiece: number,
): number {
  const { builder, river } = ctx;
  const usable = patches.filter((p) => patchNodes[p.index].length > 0);
  const radius = patches.map(patchRadius);
  const nearestNode = (p: number, x: number, y: number): number => nearestNodeWhere(p, x, y, () => true);
  function nearestNodeWhere(p: number, x: number, y: number, accept: (node: number) => boolean): number {
    let best = -1;
    let bestD = Infinity;
    for (const node of patchNodes[p]) {
      if (!accept(node)) continue;
      const dx = builder.x(node) - x;
      const dy = builder.y(node) - y;
      const d = dx * dx + dy * dy;
      if (d < bestD) {
        bestD = d;
        best = node;
      }
    }
    return best;
  }

  // Candidate links: each patch to its nearest neighbours.
  const seen = new Set<number>();
  const candidates: Link[] = [];
  // Nearest neighbours by gap between blobs: a small sorted insertion list per patch.
  const cx = Float64Array.from(usable, (p) => p.cx);
  const cy = Float64Array.from(usable, (p) => p.cy);
  const cr = Float64Array.from(usable, (p) => radius[p.index]);
  for (let pi = 0; pi < usable.length; pi++) {
    const p = usable[pi];
    const near: { q: Patch; d: number }[] = [];
    for (let qi = 0; qi < usable.length; qi++) {
      if (qi === pi) continue;
      const dx = cx[qi] - cx[pi];
      const dy = cy[qi] - cy[pi];
      const d = Math.sqrt(dx * dx + dy * dy) - cr[qi] - cr[pi];
      if (d >= MAX_LINK_M || (near.length === NEIGHBOURS && d >= near[NEIGHBOURS - 1].d)) continue;
      let k = near.length;
      if (k === NEIGHBOURS) k--;
      while (k > 0 && near[k - 1].d > d) {
        near[k] = near[k - 1];
        k--;
      }
      near[k] = { q: usable[qi], d };
    }
    for (const { q } of near) {
      const key = Math.min(p.index, q.index) * 100000 + Math.max(p.index, q.index);
      if (seen.has(key)) continue;
      seen.add(key);
      const a = nearestNode(p.index, q.cx, q.cy);
      const b = nearestNode(q.index, builder.x(a), builder.y(a));
      const a2 = nearestNode(p.index, builder.x(b), builder.y(b));
      const link = feasible(p, q, a2, b, MAX_LINK_M);
      if (link) candidates.push(link);
    }
  }

  function feasible(p: Patch, q: Patch, a: number, b: number, maxLength: number): Link | null {
    const ax = builder.x(a);
    const ay = builder.y(a);
    const bx = builder.x(b);
    const by = builder.y(b);
    const length = Math.hypot(bx - ax, by - ay);
    if (length < 30 || length > maxLength) return null;
    const xLo = Math.min(ax, bx);
    const xHi = Math.max(ax, bx);
    const yLo = Math.min(ay, by);
    const yHi = Math.max(ay, by);
    for (const o of patches) {
      if (o === p || o === q) continue;
      const r = radius[o.index] + 120;
      if (o.cx < xLo - r || o.cx > xHi + r || o.cy < yLo - r || o.cy > yHi + r) continue;
      if (Math.sqrt(pointSegmentDistance2(o.cx, o.cy, ax, ay, bx, by)) < r) return null;
    }
    const samples = Math.ceil(length / 80);
    for (let k = 1; k < samples; k++) {
      const t = k / samples;
      if (!ctx.inCity(ax + (bx - ax) * t, ay + (by - ay) * t)) return null;
    }
    let bridge = false;
    if (river.segmentNear(ax, ay, bx, by, 25)) {
      if (river.side(ax, ay) === river.side(bx, by)) return null;
      bridge = true;
    }
    return { p: p.index, q: q.index, a, b, length, bridge };
  }

  candidates.sort((l1, l2) => l1.length - l2.length || l1.p - l2.p || l1.q - l2.q);
  const accepted: Link[] = [];
  const crossesAccepted = (l: Link): boolean => {
    const ax = builder.x(l.a);
    const ay = builder.y(l.a);
    const bx = builder.x(l.b);
    const by = builder.y(l.b);
    for (const o of accepted) {
      if (o.a === l.a || o.a === l.b || o.b === l.a || o.b === l.b) continue;
      if (segmentsIntersect(ax, ay, bx, by, builder.x(o.a), builder.y(o.a), builder.x(o.b), builder.y(o.b))) return true;
    }
    return false;
  };

  // Spanning forest without bridges.
  const parent = patches.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  for (const l of candidates) {
    if (l.bridge) continue;
    const rp = find(l.p);
    const rq = find(l.q);
    if (rp === rq || crossesAccepted(l)) continue;
    parent[rp] = rq;
    accepted.push(l);
  }

  // A few rural bridges, spread along the river.
  const bridgeXs: number[] = [];
  for (const l of candidates) {
    if (!l.bridge || bridgeXs.length >= RURAL_BRIDGES || l.length > 3500) continue;
    const mx = (builder.x(l.a) + builder.x(l.b)) / 2;
    if (bridgeXs.some((x) => Math.abs(x - mx) < 6000)) continue;
    if (patches[l.p].kind === 'urban' || patches[l.q].kind === 'urban') continue;
    if (crossesAccepted(l)) continue;
    bridgeXs.push(mx);
    parent[find(l.p)] = find(l.q);
    accepted.push(l);
  }

  // Loops where the tree detours a lot.
  const adjacency: Map<number, { to: number; w: number }[]> = new Map();
  const link = (l: Link) => {
    for (const [u, v] of [
      [l.p, l.q],
      [l.q, l.p],
    ]) {
      let list = adjacency.get(u);
      if (!list) adjacency.set(u, (list = []));
      list.push({ to: v, w: l.length });
    }
  };
  accepted.forEach(link);
  const treeCount = accepted.length;
  for (const l of candidates) {
    if (l.bridge || accepted.length - treeCount >= treeCount * 0.3) continue;
    if (accepted.includes(l) || l.length > 5000) continue;
    if (graphDistance(adjacency, l.p, l.q, l.length * 2.2) <= l.length * 2.2) continue;
    if (crossesAccepted(l)) continue;
    accepted.push(l);
    link(l);
  }

  let bridges = 0;
  const emit = (l: Link) => {
    const p = patches[l.p];
    const q = patches[l.q];
    const cls = roadClass(p, q);
    const ax = builder.x(l.a);
    const ay = builder.y(l.a);
    const bx = builder.x(l.b);
    const by = builder.y(l.b);
    let via = roadShape(ax, ay, bx, by, l.length, rng);
    const polyline = [ax, ay, ...via, bx, by];
    if (!l.bridge && river.polylineNear(polyline, 25)) via = straight(ax, ay, bx, by, l.length);
    if (builder.addEdge(l.a, l.b, l.bridge ? 'secondary' : cls, -1, via, l.bridge) && l.bridge) bridges++;
  };
  accepted.forEach(emit);

  // Rescue: join every remaining piece of the network (a settlement cut off
  // by the river or by the rules above, or a part of one) to the rest by its
  // best feasible link, searched more widely (longer links, a rural bridge as
  // a last resort). Islands stay apart: no link may cross the sea.
  const failed = new Set<number>();
  for (let round = 0; round < 100; round++) {
    const roots = builder.componentRoots();
    const size = new Map<number, number>();
    for (const p of usable) for (const node of patchNodes[p.index]) size.set(roots[node], (size.get(roots[node]) ?? 0) + 1);
    let main = -1;
    for (const [root, n] of size) if (main < 0 || n > size.get(main)! || (n === size.get(main)! && root < main)) main = root;
    const pieces = [...size].filter(([root, n]) => root !== main && n >= minPiece && !failed.has(root)).map(([root]) => root);
    pieces.sort((x, y) => x - y);
    if (pieces.length === 0) break;
    for (const piece of pieces) {
      const inPiece = (node: number) => roots[node] === piece;
      const own = usable.filter((p) => patchNodes[p.index].some(inPiece));
      const pairs: { p: Patch; q: Patch; d: number }[] = [];
      for (const p of own) {
        for (let qi = 0; qi < usable.length; qi++) {
          const q = usable[qi];
          const d = q === p ? 0 : Math.hypot(cx[qi] - p.cx, cy[qi] - p.cy) - radius[p.index] - cr[qi];
          if (d > 2 * MAX_LINK_M) continue;
          if (q !== p && patchNodes[q.index].every(inPiece)) continue;
          pairs.push({ p, q, d });
        }
      }
      pairs.sort((x, y) => x.d - y.d || x.p.index - y.p.index || x.q.index - y.q.index);
      let best: Link | null = null;
      for (const allowBridge of [false, true]) {
        for (const { p, q } of pairs.slice(0, 60)) {
          const a = nearestNodeWhere(p.index, q.cx, q.cy, inPiece);
          const b = nearestNodeWhere(q.index, builder.x(a), builder.y(a), (node) => !inPiece(node));
          if (a < 0 || b < 0) continue;
          const a2 = nearestNodeWhere(p.index, builder.x(b), builder.y(b), inPiece);
          const l = feasible(p, q, a2, b, 2 * MAX_LINK_M);
          if (!l || (l.bridge && !allowBridge) || crossesAccepted(l)) continue;
          best = l;
          break;
        }
        if (best) break;
      }
      if (!best) {
        failed.add(piece);
        continue;
      }
      accepted.push(best);
      emit(best);
    }
  }
  return bridges;
}

function roadClass(p: Patch, q: Patch): RoadClass {
  const rank = (x: Patch) => (x.kind === 'urban' ? 2 : x.kind === 'town' ? 1 : 0);
  const lo = Math.min(rank(p), rank(q));
  const hi = Math.max(rank(p), rank(q));
  if (lo === 2 || (lo === 1 && hi === 2)) return 'primary';
  if (lo === 1) return 'secondary';
  if (hi >= 1) return 'tertiary';
  return 'unclassified';
}

/** Vertices every ~150 m along a gentle bend plus a small wiggle, zero at both ends. */
function roadShape(ax: number, ay: number, bx: number, by: number, length: number, rng: SeededRandom): number[] {
  const m = Math.max(1, Math.ceil(length / 150));
  const nx = -(by - ay) / length;
  const ny = (bx - ax) / length;
  const bend = rng.range(-1, 1) * Math.min(0.04 * length, 150);
  const wiggle = rng.range(-1, 1) * Math.min(0.01 * length, 18);
  const waves = 1 + rng.int(3);
  const via: number[] = [];
  for (let k = 1; k < m; k++) {
    const t = k / m;
    const off = bend * Math.sin(Math.PI * t) + wiggle * Math.sin(Math.PI * t) * Math.sin(2 * Math.PI * waves * t);
    via.push(ax + (bx - ax) * t + nx * off, ay + (by - ay) * t + ny * off);
  }
  return via;
}

function straight(ax: number, ay: number, bx: number, by: number, length: number): number[] {
  const m = Math.max(1, Math.ceil(length / 150));
  const via: number[] = [];
  for (let k = 1; k < m; k++) via.push(ax + ((bx - ax) * k) / m, ay + ((by - ay) * k) / m);
  return via;
}

/** Shortest path length between patches over accepted links, giving up past `limit`. */
function graphDistance(adjacency: Map<number, { to: number; w: number }[]>, from: number, to: number, limit: number): number {
  const dist = new Map<number, number>([[from, 0]]);
  const open: number[] = [from];
  while (open.length > 0) {
    let bi = 0;
    for (let k = 1; k < open.length; k++) if (dist.get(open[k])! < dist.get(open[bi])!) bi = k;
    const u = open[bi];
    open.splice(bi, 1);
    const du = dist.get(u)!;
    if (u === to) return du;
    if (du > limit) break;
    for (const { to: v, w } of adjacency.get(u) ?? []) {
      const nd = du + w;
      if (nd < (dist.get(v) ?? Infinity)) {
        if (!dist.has(v)) open.push(v);
        dist.set(v, nd);
      }
    }
  }
  return Infinity;
}
