/**
 * Builds the CSR walk graph (walk-graph.ts): from flat columns (a bundle's
 * WalkNetwork, a synthetic test graph) with `buildWalkGraph`, or from the
 * walk_edges and walk_nodes tables with `loadWalkGraph`, which reads both in
 * two queries inside one REPEATABLE READ transaction together with the data
 * version, so the graph and its version always describe the same data.
 *
 * Geometry comes as WKB (ST_AsBinary): binary doubles parse faster than any
 * text form and work the same on both backends (pg gives a Buffer, PGlite a
 * Uint8Array).
 */
import type { Database } from '../db/database.ts';
import type { WalkNetwork } from '../../data-pipeline/import-bundle.ts';
import { ARC_REVERSED, type WalkGraph } from './walk-graph.ts';

/** Columns a graph is built from; node references are node INDICES (0..nodeCount-1). */
export interface WalkGraphInput {
  version: string;
  nodeCount: number;
  /** External (walk_nodes) id per node index; default: the index. */
  nodeId?: ArrayLike<number>;
  nodeLon: ArrayLike<number>;
  nodeLat: ArrayLike<number>;
  edgeCount: number;
  /** External (walk_edges) id per edge; default: index + 1, as the bundle writer numbers them. */
  edgeId?: ArrayLike<number>;
  source: ArrayLike<number>;
  target: ArrayLike<number>;
  cost: ArrayLike<number>;
  reverseCost: ArrayLike<number>;
  lengthM: ArrayLike<number>;
  /** Edge j's vertices are coords[2*geomOffset[j] .. 2*geomOffset[j+1]). */
  geomOffset: ArrayLike<number>;
  coords: ArrayLike<number>;
}

/** The input for a bundle's network, numbered the way writeBundle stores it. */
export function inputFromNetwork(network: WalkNetwork, version: string): WalkGraphInput {
  return {
    version,
    nodeCount: network.nodeCount,
    nodeLon: network.nodeLon,
    nodeLat: network.nodeLat,
    edgeCount: network.edgeCount,
    source: network.source,
    target: network.target,
    cost: network.cost,
    reverseCost: network.reverseCost,
    lengthM: network.lengthM,
    geomOffset: network.geomOffset,
    coords: network.coords,
  };
}

function sq(x: number): number {
  return x * x;
}

/**
 * Builds the CSR graph. Edges no walker may use in either direction keep
 * their row (ids stay aligned) but get no arcs. An edge whose geometry runs
 * from its target to its source is flipped, so `source first` always holds.
 */
export function buildWalkGraph(input: WalkGraphInput): WalkGraph {
  const n = input.nodeCount;
  const m = input.edgeCount;
  const nodeId = new Int32Array(n);
  const nodeLon = new Float64Array(n);
  const nodeLat = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    nodeId[i] = input.nodeId ? input.nodeId[i]! : i;
    nodeLon[i] = input.nodeLon[i]!;
    nodeLat[i] = input.nodeLat[i]!;
  }

  const edgeId = new Int32Array(m);
  const edgeSource = new Uint32Array(m);
  const edgeTarget = new Uint32Array(m);
  const edgeLengthM = new Float32Array(m);
  const edgeCost = new Float32Array(m);
  const edgeReverseCost = new Float32Array(m);
  const geomOffset = new Uint32Array(m + 1);
  geomOffset[m] = input.geomOffset[m]! - input.geomOffset[0]!;
  const coords = new Float64Array(2 * geomOffset[m]!);
  const degree = new Uint32Array(n + 1);
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;

  for (let e = 0; e < m; e++) {
    const s = input.source[e]!;
    const t = input.target[e]!;
    if (!(s >= 0 && s < n && t >= 0 && t < n)) throw new Error(`edge ${e} refers to a node outside 0..${n - 1}`);
    edgeId[e] = input.edgeId ? input.edgeId[e]! : e + 1;
    edgeSource[e] = s;
    edgeTarget[e] = t;
    edgeLengthM[e] = input.lengthM[e]!;
    const cost = input.cost[e]!;
    const reverse = input.reverseCost[e]!;
    edgeCost[e] = cost;
    edgeReverseCost[e] = reverse;
    if (cost >= 0 || reverse >= 0) {
      degree[s]!++;
      degree[t]!++;
    }

    const from = input.geomOffset[e]! - input.geomOffset[0]!;
    const to = input.geomOffset[e + 1]! - input.geomOffset[0]!;
    geomOffset[e] = from;
    const last = to - 1;
    // Flip a geometry stored target-first (closer end decides; loops never flip).
    const firstToSource = sq(input.coords[2 * from]! - nodeLon[s]!) + sq(input.coords[2 * from + 1]! - nodeLat[s]!);
    const lastToSource = sq(input.coords[2 * last]! - nodeLon[s]!) + sq(input.coords[2 * last + 1]! - nodeLat[s]!);
    const flip = lastToSource < firstToSource;
    for (let k = from; k < to; k++) {
      const src = flip ? from + last - k : k;
      const lon = input.coords[2 * src]!;
      const lat = input.coords[2 * src + 1]!;
      coords[2 * k] = lon;
      coords[2 * k + 1] = lat;
      if (lon < minLon) minLon = lon;
      if (lon > maxLon) maxLon = lon;
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
    }
  }

  // CSR: prefix sums of degrees, then each usable edge adds one arc at each end.
  const arcOffset = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) arcOffset[i + 1] = arcOffset[i]! + degree[i]!;
  const arcCount = arcOffset[n]!;
  const arcTarget = new Uint32Array(arcCount);
  const arcCost = new Float32Array(arcCount);
  const arcReverseCost = new Float32Array(arcCount);
  const arcEdge = new Uint32Array(arcCount);
  const fill = degree; // reused as the write cursor per node
  for (let i = 0; i < n; i++) fill[i] = arcOffset[i]!;
  for (let e = 0; e < m; e++) {
    const cost = edgeCost[e]!;
    const reverse = edgeReverseCost[e]!;
    if (!(cost >= 0 || reverse >= 0)) continue;
    const s = edgeSource[e]!;
    const t = edgeTarget[e]!;
    let a = fill[s]!++;
    arcTarget[a] = t;
    arcCost[a] = cost;
    arcReverseCost[a] = reverse;
    arcEdge[a] = e;
    a = fill[t]!++;
    arcTarget[a] = s;
    arcCost[a] = reverse;
    arcReverseCost[a] = cost;
    arcEdge[a] = (e | ARC_REVERSED) >>> 0;
  }

  if (m === 0) {
    minLon = minLat = maxLon = maxLat = 0;
  }
  return {
    version: input.version,
    nodeCount: n,
    nodeId,
    nodeLon,
    nodeLat,
    arcOffset,
    arcTarget,
    arcCost,
    arcReverseCost,
    arcEdge,
    edgeCount: m,
    edgeId,
    edgeSource,
    edgeTarget,
    edgeLengthM,
    edgeCost,
    edgeReverseCost,
    geomOffset,
    coords,
    bounds: [minLon, minLat, maxLon, maxLat],
  };
}

/** Growable Float64Array for coordinates of unknown total size. */
class CoordBuffer {
  data = new Float64Array(1 << 16);
  length = 0;
  push(x: number, y: number): void {
    if (this.length + 2 > this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
    this.data[this.length++] = y;
  }
}

/**
 * Appends a WKB LineString's vertices (either byte order, optional EWKB SRID)
 * to `out`; returns the vertex count.
 */
export function readWkbLineString(wkb: Uint8Array, out: CoordBuffer): number {
  const view = new DataView(wkb.buffer, wkb.byteOffset, wkb.byteLength);
  const little = view.getUint8(0) === 1;
  const type = view.getUint32(1, little);
  let offset = 5;
  if (type & 0x20000000) offset += 4; // EWKB SRID
  if ((type & 0xffff) % 1000 !== 2) throw new Error(`walk_edges.geom must be a LineString, got WKB type ${type}`);
  const count = view.getUint32(offset, little);
  offset += 4;
  for (let i = 0; i < count; i++, offset += 16) out.push(view.getFloat64(offset, little), view.getFloat64(offset + 8, little));
  return count;
}

interface EdgeRow {
  id: number;
  source: number;
  target: number;
  cost: number;
  reverse_cost: number;
  length_m: number;
  wkb: Uint8Array;
}

/** Reads walk_nodes and walk_edges (and the data version) and builds the graph. */
export async function loadWalkGraph(db: Database): Promise<WalkGraph> {
  const { version, nodes, edges } = await db.transaction(async (tx) => {
    // One snapshot for all three reads: an import committing in between must not mix versions.
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const [state] = await tx.query<{ version: string }>('SELECT version FROM data_state WHERE id = 1');
    const nodes = await tx.query<{ id: number; x: number; y: number }>(
      'SELECT id, ST_X(geom) AS x, ST_Y(geom) AS y FROM walk_nodes ORDER BY id',
    );
    const edges = await tx.query<EdgeRow>(
      'SELECT id, source, target, cost, reverse_cost, length_m, ST_AsBinary(geom) AS wkb FROM walk_edges ORDER BY id',
    );
    return { version: state?.version ?? 'empty', nodes, edges };
  });

  // Node ids -> dense indices; ids edges use without a walk_nodes row get their geometry's end.
  const index = new Map<number, number>();
  const nodeId: number[] = [];
  const nodeLon: number[] = [];
  const nodeLat: number[] = [];
  for (const row of nodes) {
    index.set(row.id, nodeId.length);
    nodeId.push(row.id);
    nodeLon.push(row.x);
    nodeLat.push(row.y);
  }

  const m = edges.length;
  const source = new Int32Array(m);
  const target = new Int32Array(m);
  const cost = new Float64Array(m);
  const reverseCost = new Float64Array(m);
  const lengthM = new Float64Array(m);
  const edgeId = new Int32Array(m);
  const geomOffset = new Int32Array(m + 1);
  const coords = new CoordBuffer();
  const nodeFor = (id: number, x: number, y: number): number => {
    let i = index.get(id);
    if (i === undefined) {
      i = nodeId.length;
      index.set(id, i);
      nodeId.push(id);
      nodeLon.push(x);
      nodeLat.push(y);
    }
    return i;
  };
  for (let e = 0; e < m; e++) {
    const row = edges[e]!;
    const first = coords.length;
    const count = readWkbLineString(row.wkb, coords);
    const last = first + 2 * (count - 1);
    geomOffset[e] = first / 2;
    geomOffset[e + 1] = first / 2 + count;
    edgeId[e] = row.id;
    source[e] = nodeFor(row.source, coords.data[first]!, coords.data[first + 1]!);
    target[e] = nodeFor(row.target, coords.data[last]!, coords.data[last + 1]!);
    cost[e] = row.cost;
    reverseCost[e] = row.reverse_cost;
    lengthM[e] = row.length_m;
  }

  return buildWalkGraph({
    version,
    nodeCount: nodeId.length,
    nodeId,
    nodeLon,
    nodeLat,
    edgeCount: m,
    edgeId,
    source,
    target,
    cost,
    reverseCost,
    lengthM,
    geomOffset,
    coords: coords.data.subarray(0, coords.length),
  });
}

export type { CoordBuffer };
