/**
 * Builds the CSR walk graph (walk-graph.ts): from flat columns (a bundle's
 * WalkNetwork, a synthetic test graph) with `buildWalkGraph`, or from the
 * walk_edges and walk_nodes tables with `loadWalkGraph`, which reads both in
 * two queries inside one REPEATABLE READ transaction together with the data
 * version, so the graph and its version always describe the same data.
 *
 * The tables come as packed binary records with the geometry as WKB
 * (packed-rows.ts): binary doubles parse faster than any text form, with no
 * object per row, and work the same on both backends.
 */
import type { Database } from '../../../kernel/db/database.ts';
import { byteaBytes, PackedReader } from '../../db/packed-rows.ts';
import type { WalkNetwork } from '../../../kernel/import-bundle.ts';
import { GrowableArray } from '../../../kernel/growable-array.ts';
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
  /** 1 where edge j is steps; none given: no steps. */
  steps?: ArrayLike<number>;
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
    steps: stepsOf(network),
    geomOffset: network.geomOffset,
    coords: network.coords,
  };
}

/** 1 per edge of the network whose class is steps. */
function stepsOf(network: WalkNetwork): Uint8Array {
  const stepsClass = network.classNames.indexOf('steps');
  const steps = new Uint8Array(network.edgeCount);
  if (stepsClass >= 0) for (let e = 0; e < network.edgeCount; e++) steps[e] = network.classIndex[e] === stepsClass ? 1 : 0;
  return steps;
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
  const edgeSteps = new Uint8Array(m);
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
    edgeSteps[e] = input.steps?.[e] ? 1 : 0;
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
    edgeSteps,
    geomOffset,
    coords,
    bounds: [minLon, minLat, maxLon, maxLat],
  };
}

/**
 * Appends the vertices of the WKB LineString at `offset` in `view` (either
 * byte order, optional EWKB SRID) to `out`; returns the WKB's length in bytes.
 */
export function readWkbLineString(view: DataView, offset: number, out: GrowableArray<Float64Array>): number {
  const start = offset;
  const little = view.getUint8(offset) === 1;
  const type = view.getUint32(offset + 1, little);
  offset += 5;
  if (type & 0x20000000) offset += 4; // EWKB SRID
  if ((type & 0xffff) % 1000 !== 2) throw new Error(`walk_edges.geom must be a LineString, got WKB type ${type}`);
  const count = view.getUint32(offset, little);
  offset += 4;
  for (let i = 0; i < count; i++, offset += 16) out.push2(view.getFloat64(offset, little), view.getFloat64(offset + 8, little));
  return offset - start;
}

/**
 * Reads walk_nodes and walk_edges (and the data version) and builds the graph.
 * Each table comes back as ONE packed bytea (packed-rows.ts): nodes as
 * (id int4, lon float8, lat float8) records, edges as (id, source, target
 * int4, cost, reverse_cost, length_m float8, steps int4) followed by the
 * edge's WKB.
 */
export async function loadWalkGraph(db: Database): Promise<WalkGraph> {
  const { version, nodeCount, nodeBytes, edgeCount, edgeBytes } = await db.transaction(async (tx) => {
    // One snapshot for all three reads: an import committing in between must not mix versions.
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const [state] = await tx.query<{ version: string }>('SELECT version FROM data_state WHERE id = 1');
    const [nodes] = await tx.query<{ n: number; rows: unknown }>(
      `SELECT count(*)::int AS n,
              string_agg(int4send(id) || float8send(ST_X(geom)) || float8send(ST_Y(geom)), ''::bytea ORDER BY id) AS rows
       FROM walk_nodes`,
    );
    const [edges] = await tx.query<{ n: number; rows: unknown }>(
      `SELECT count(*)::int AS n,
              string_agg(int4send(id) || int4send(source) || int4send(target) || float8send(cost) || float8send(reverse_cost)
                         || float8send(length_m) || int4send((class = 'steps')::int) || ST_AsBinary(geom), ''::bytea ORDER BY id) AS rows
       FROM walk_edges`,
    );
    return {
      version: state?.version ?? 'empty',
      nodeCount: nodes!.n,
      nodeBytes: byteaBytes(nodes!.rows),
      edgeCount: edges!.n,
      edgeBytes: byteaBytes(edges!.rows),
    };
  });

  // Node ids -> dense indices; ids edges use without a walk_nodes row get their geometry's end.
  const index = new Map<number, number>();
  const nodeId: number[] = [];
  const nodeLon: number[] = [];
  const nodeLat: number[] = [];
  const nodes = new PackedReader(nodeBytes);
  for (let i = 0; i < nodeCount; i++) {
    const id = nodes.int32();
    index.set(id, nodeId.length);
    nodeId.push(id);
    nodeLon.push(nodes.float64());
    nodeLat.push(nodes.float64());
  }

  const m = edgeCount;
  const source = new Int32Array(m);
  const target = new Int32Array(m);
  const cost = new Float64Array(m);
  const reverseCost = new Float64Array(m);
  const lengthM = new Float64Array(m);
  const steps = new Uint8Array(m);
  const edgeId = new Int32Array(m);
  const geomOffset = new Int32Array(m + 1);
  const sourceId = new Int32Array(m);
  const targetId = new Int32Array(m);
  // Coordinates of every edge, lon,lat pairs; the total is known only at the end.
  const coords = new GrowableArray(new Float64Array(1 << 16));
  const edges = new PackedReader(edgeBytes);
  for (let e = 0; e < m; e++) {
    edgeId[e] = edges.int32();
    sourceId[e] = edges.int32();
    targetId[e] = edges.int32();
    cost[e] = edges.float64();
    reverseCost[e] = edges.float64();
    lengthM[e] = edges.float64();
    steps[e] = edges.int32();
    geomOffset[e] = coords.length / 2;
    edges.offset += readWkbLineString(edges.dataView, edges.offset, coords);
    geomOffset[e + 1] = coords.length / 2;
  }
  const nodeFor = (id: number, vertex: number): number => {
    let i = index.get(id);
    if (i === undefined) {
      i = nodeId.length;
      index.set(id, i);
      nodeId.push(id);
      nodeLon.push(coords.data[2 * vertex]!);
      nodeLat.push(coords.data[2 * vertex + 1]!);
    }
    return i;
  };
  for (let e = 0; e < m; e++) {
    source[e] = nodeFor(sourceId[e]!, geomOffset[e]!);
    target[e] = nodeFor(targetId[e]!, geomOffset[e + 1]! - 1);
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
    steps,
    geomOffset,
    coords: coords.view(),
  });
}
