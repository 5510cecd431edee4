/**
 * Bridges of a patch's street lattice over the river (street-network.ts
 * drops the lattice nodes near the water): on a few lattice lines that meet
 * the river, an edge joins the last node before the water to the first one
 * after it, over the dropped nodes' positions.
 */
import type { NetworkBuilder, RoadClass } from './network-builder.ts';
import type { River } from './river.ts';
import type { Patch } from './settlements.ts';
import type { LineClass } from './street-styles.ts';

/** What the bridges need of a patch's lattice: node (i, j) is slot idx(i, j), i and j in -n..n. */
export interface LatticeView {
  n: number;
  idx: (i: number, j: number) => number;
  px: Float64Array;
  py: Float64Array;
  inPatch: Uint8Array;
  included: Uint8Array;
  lineClass: (line: number, off: number) => LineClass;
  offI: number;
  latticeNode: (k: number) => number;
}

/**
 * Bridges on a few lattice lines that meet the river: each joins the last
 * node before the water to the first one after it, over the dropped nodes.
 * Arterial lines are preferred and the chosen lines are spread evenly.
 */
export function addBridges(patch: Patch, ctx: { builder: NetworkBuilder; river: River }, view: LatticeView): number {
  const { n, idx, px, py, inPatch, included, river } = { ...view, river: ctx.river };
  interface Candidate {
    line: number;
    from: number;
    to: number;
    rank: number;
  }
  const candidates: Candidate[] = [];
  for (let i = -n; i <= n; i++) {
    // j of the last included node on this line since leaving the patch (NaN: none).
    let last = NaN;
    for (let j = -n; j <= n; j++) {
      const k = idx(i, j);
      if (!inPatch[k]) {
        last = NaN;
        continue;
      }
      if (!included[k]) continue;
      if (j - last >= 2 && j - last <= 5) {
        const a = idx(i, last);
        if (river.side(px[a], py[a]) !== river.side(px[k], py[k])) {
          candidates.push({ line: i, from: a, to: k, rank: view.lineClass(i, view.offI).rank });
        }
      }
      last = j;
    }
  }
  if (candidates.length === 0) return 0;
  const arterials = candidates.filter((c) => c.rank === 0);
  const pool = arterials.length >= patch.bridges ? arterials : candidates;
  const chosen: Candidate[] = [];
  for (let b = 0; b < patch.bridges && b < pool.length; b++) {
    const at = Math.round(((b + 0.5) * pool.length) / patch.bridges - 0.5);
    const c = pool[Math.min(pool.length - 1, Math.max(0, at))];
    if (!chosen.includes(c)) chosen.push(c);
  }
  let count = 0;
  for (const c of chosen) {
    // Intermediate vertices: the lattice positions over the water.
    const via: number[] = [];
    const ja = Math.round((c.from - idx(c.line, -n)) / (2 * n + 1)) - n;
    const jb = Math.round((c.to - idx(c.line, -n)) / (2 * n + 1)) - n;
    for (let j = ja + 1; j < jb; j++) {
      const k = idx(c.line, j);
      via.push(px[k], py[k]);
    }
    const cls: RoadClass = view.lineClass(c.line, view.offI).cls === 'primary' ? 'primary' : 'secondary';
    if (ctx.builder.addEdge(view.latticeNode(c.from), view.latticeNode(c.to), cls, patch.index, via, true)) count++;
  }
  return count;
}
