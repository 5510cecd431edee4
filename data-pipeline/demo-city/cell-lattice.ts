/**
 * The fine cell lattice (100 m cells over the whole extent) that every admin
 * unit is built from: each grid is a 4-connected set of cells, each community a
 * union of grids, and so on up, so every parent is exactly the union of its
 * children and household containment is a cell lookup. Regions are grown by a
 * multi-source Dijkstra over cells with noisy costs (organic boundaries); each
 * label's cells form its seed's shortest-path tree, hence are connected.
 */
import type { LocalProjection } from './local-projection.ts';

export interface LatticeExtent {
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

export class CellLattice {
  readonly nx: number;
  readonly ny: number;
  readonly cellCount: number;
  readonly x0: number;
  readonly y0: number;
  /** Projected lon/lat of lattice vertex (i, j) at j * (nx + 1) + i. */
  readonly vertexLon: Float64Array;
  readonly vertexLat: Float64Array;

  constructor(
    extent: LatticeExtent,
    readonly size: number,
    projection: LocalProjection,
  ) {
    this.x0 = extent.xMin;
    this.y0 = extent.yMin;
    this.nx = Math.ceil((extent.xMax - extent.xMin) / size);
    this.ny = Math.ceil((extent.yMax - extent.yMin) / size);
    this.cellCount = this.nx * this.ny;
    const nv = (this.nx + 1) * (this.ny + 1);
    this.vertexLon = new Float64Array(nv);
    this.vertexLat = new Float64Array(nv);
    for (let j = 0; j <= this.ny; j++) {
      const y = this.y0 + j * size;
      for (let i = 0; i <= this.nx; i++) {
        const x = this.x0 + i * size;
        const v = j * (this.nx + 1) + i;
        this.vertexLon[v] = projection.lon(x, y);
        this.vertexLat[v] = projection.lat(x, y);
      }
    }
  }

  cellAt(x: number, y: number): number {
    const i = Math.floor((x - this.x0) / this.size);
    const j = Math.floor((y - this.y0) / this.size);
    if (i < 0 || j < 0 || i >= this.nx || j >= this.ny) return -1;
    return j * this.nx + i;
  }

  centerX(cell: number): number {
    return this.x0 + ((cell % this.nx) + 0.5) * this.size;
  }

  centerY(cell: number): number {
    return this.y0 + (Math.floor(cell / this.nx) + 0.5) * this.size;
  }

  vertex(i: number, j: number): number {
    return j * (this.nx + 1) + i;
  }

  /** Exact point-in-cell test in projected lon/lat (the cell as the quad of its four projected corners). */
  containsLonLat(cell: number, lon: number, lat: number): boolean {
    const i = cell % this.nx;
    const j = Math.floor(cell / this.nx);
    const v0 = this.vertex(i, j);
    const row = this.nx + 1;
    let inside = false;
    for (let a = 0, b = 3; a < 4; b = a++) {
      // Corners counter-clockwise: (i,j), (i+1,j), (i+1,j+1), (i,j+1).
      const va = a === 0 ? v0 : a === 1 ? v0 + 1 : a === 2 ? v0 + row + 1 : v0 + row;
      const vb = b === 0 ? v0 : b === 1 ? v0 + 1 : b === 2 ? v0 + row + 1 : v0 + row;
      const xa = this.vertexLon[va];
      const ya = this.vertexLat[va];
      const xb = this.vertexLon[vb];
      const yb = this.vertexLat[vb];
      if (ya > lat !== yb > lat && lon < ((xb - xa) * (lat - ya)) / (yb - ya) + xa) inside = !inside;
    }
    return inside;
  }
}

export interface GrowSeed {
  cell: number;
  label: number;
}

export interface GrowOptions {
  /** Per-cell step cost (>0, at most ~50). */
  cost: Float32Array;
  /** Cells a region may take: either any cell with valid[c] = 1 ... */
  valid?: Uint8Array;
  /** ... or only cells whose parent label equals the label's parent. */
  parent?: Int32Array;
  labelParent?: Int32Array;
}

/** Step costs are quantised to 1/16 so the search can use a bucket queue (Dial's algorithm). */
const COST_QUANTUM = 16;

/**
 * Multi-source Dijkstra over 4-neighbour cells. Returns the label per cell
 * (-1 where no seed reaches). Seeds must be on distinct, allowed cells.
 * Integer step costs and a circular bucket queue make it linear in the
 * number of cells, which matters at ~200k cells and four levels.
 */
export function growRegions(lattice: CellLattice, seeds: readonly GrowSeed[], options: GrowOptions): Int32Array {
  const n = lattice.cellCount;
  const nx = lattice.nx;
  const labels = new Int32Array(n).fill(-1);
  const dist = new Int32Array(n).fill(0x7fffffff);
  const { cost, valid, parent, labelParent } = options;
  const byParent = parent !== undefined && labelParent !== undefined;
  let maxCost = 0;
  for (let c = 0; c < n; c++) if (cost[c] > maxCost) maxCost = cost[c];
  const bucketCount = Math.ceil(maxCost * COST_QUANTUM) + 2;
  // Bucket lists as linked entries in growable typed arrays.
  const head = new Int32Array(bucketCount).fill(-1);
  let next = new Int32Array(1 << 16);
  let cellOf = new Int32Array(1 << 16);
  let distOf = new Int32Array(1 << 16);
  let entries = 0;
  let pending = 0;
  const push = (cell: number, d: number) => {
    if (entries === next.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      next = grow(next);
      cellOf = grow(cellOf);
      distOf = grow(distOf);
    }
    const b = d % bucketCount;
    cellOf[entries] = cell;
    distOf[entries] = d;
    next[entries] = head[b];
    head[b] = entries++;
    pending++;
  };
  for (const s of seeds) {
    if (dist[s.cell] === 0) continue;
    dist[s.cell] = 0;
    labels[s.cell] = s.label;
    push(s.cell, 0);
  }
  for (let d = 0; pending > 0; d++) {
    const b = d % bucketCount;
    while (head[b] >= 0) {
      const e = head[b];
      head[b] = next[e];
      pending--;
      const c = cellOf[e];
      if (distOf[e] !== dist[c]) continue;
      const label = labels[c];
      const wantParent = byParent ? labelParent![label] : 0;
      const i = c % nx;
      const base = cost[c];
      for (let k = 0; k < 4; k++) {
        let nb: number;
        if (k === 0) {
          if (i === nx - 1) continue;
          nb = c + 1;
        } else if (k === 1) {
          if (i === 0) continue;
          nb = c - 1;
        } else if (k === 2) {
          nb = c + nx;
          if (nb >= n) continue;
        } else {
          nb = c - nx;
          if (nb < 0) continue;
        }
        if (byParent ? parent![nb] !== wantParent : valid !== undefined && valid[nb] !== 1) continue;
        const nd = d + Math.max(1, Math.round((base + cost[nb]) * 0.5 * COST_QUANTUM));
        if (nd < dist[nb]) {
          dist[nb] = nd;
          labels[nb] = label;
          push(nb, nd);
        }
      }
    }
  }
  return labels;
}

/** 4-connected components of equal labels: component id per cell (-1 for unlabeled) and component sizes. */
export function labelComponents(lattice: CellLattice, labels: Int32Array): { component: Int32Array; sizes: number[] } {
  const n = lattice.cellCount;
  const nx = lattice.nx;
  const component = new Int32Array(n).fill(-1);
  const sizes: number[] = [];
  const stack = new Int32Array(n);
  for (let start = 0; start < n; start++) {
    if (labels[start] < 0 || component[start] >= 0) continue;
    const id = sizes.length;
    const label = labels[start];
    let top = 0;
    stack[top++] = start;
    component[start] = id;
    let size = 0;
    while (top > 0) {
      const c = stack[--top];
      size++;
      const i = c % nx;
      for (let k = 0; k < 4; k++) {
        const nb = k === 0 ? (i < nx - 1 ? c + 1 : -1) : k === 1 ? (i > 0 ? c - 1 : -1) : k === 2 ? (c + nx < n ? c + nx : -1) : c - nx;
        if (nb < 0 || labels[nb] !== label || component[nb] >= 0) continue;
        component[nb] = id;
        stack[top++] = nb;
      }
    }
    sizes.push(size);
  }
  return { component, sizes };
}

/**
 * Makes each label one connected piece where it can: every component but a
 * label's largest is given to the neighbouring label it shares most border
 * with. Components with no labelled neighbour (islands) stay as they are.
 */
export function absorbExclaves(lattice: CellLattice, labels: Int32Array, labelCount: number): void {
  const n = lattice.cellCount;
  const nx = lattice.nx;
  for (let round = 0; round < 8; round++) {
    const { component, sizes } = labelComponents(lattice, labels);
    const largest = new Int32Array(labelCount).fill(-1);
    const compLabel = new Int32Array(sizes.length);
    for (let c = 0; c < n; c++) {
      const comp = component[c];
      if (comp < 0) continue;
      compLabel[comp] = labels[c];
    }
    for (let comp = 0; comp < sizes.length; comp++) {
      const l = compLabel[comp];
      if (largest[l] < 0 || sizes[comp] > sizes[largest[l]]) largest[l] = comp;
    }
    // Border counts per (component, neighbour label).
    const border = new Map<number, Map<number, number>>();
    for (let c = 0; c < n; c++) {
      const comp = component[c];
      if (comp < 0 || largest[labels[c]] === comp) continue;
      const i = c % nx;
      const nbs = [i < nx - 1 ? c + 1 : -1, i > 0 ? c - 1 : -1, c + nx < n ? c + nx : -1, c - nx];
      for (const nb of nbs) {
        if (nb < 0 || labels[nb] < 0 || labels[nb] === labels[c]) continue;
        let m = border.get(comp);
        if (!m) border.set(comp, (m = new Map()));
        m.set(labels[nb], (m.get(labels[nb]) ?? 0) + 1);
      }
    }
    if (border.size === 0) return;
    const target = new Map<number, number>();
    for (const [comp, m] of border) {
      let best = -1;
      let bestCount = -1;
      for (const [l, count] of m) {
        if (count > bestCount || (count === bestCount && l < best)) {
          best = l;
          bestCount = count;
        }
      }
      target.set(comp, best);
    }
    for (let c = 0; c < n; c++) {
      const t = target.get(component[c]);
      if (t !== undefined) labels[c] = t;
    }
  }
}

/** Cells grouped by label (CSR): cells of label l are cells[offsets[l] .. offsets[l+1]). */
export function cellsByLabel(labels: Int32Array, labelCount: number): { offsets: Int32Array; cells: Int32Array } {
  const offsets = new Int32Array(labelCount + 1);
  for (let c = 0; c < labels.length; c++) if (labels[c] >= 0) offsets[labels[c] + 1]++;
  for (let l = 0; l < labelCount; l++) offsets[l + 1] += offsets[l];
  const cells = new Int32Array(offsets[labelCount]);
  const fill = offsets.slice(0, labelCount);
  for (let c = 0; c < labels.length; c++) if (labels[c] >= 0) cells[fill[labels[c]]++] = c;
  return { offsets, cells };
}

/**
 * Nearest cell to `start` (by breadth-first steps over the lattice) that
 * satisfies `accept`; -1 if none among the first `maxCells` visited.
 */
export function nearestCell(lattice: CellLattice, start: number, accept: (cell: number) => boolean, maxCells = 2_000_000): number {
  if (start >= 0 && accept(start)) return start;
  const nx = lattice.nx;
  const n = lattice.cellCount;
  // A set, not an array over all cells: searches are short and frequent.
  const seen = new Set<number>([start]);
  const queue: number[] = [start];
  for (let head = 0; head < queue.length && head < maxCells; head++) {
    const c = queue[head];
    const i = c % nx;
    const nbs = [i < nx - 1 ? c + 1 : -1, i > 0 ? c - 1 : -1, c + nx < n ? c + nx : -1, c - nx];
    for (const nb of nbs) {
      if (nb < 0 || seen.has(nb)) continue;
      seen.add(nb);
      if (accept(nb)) return nb;
      queue.push(nb);
    }
  }
  return -1;
}
