/**
 * Accumulates the walk network while patches and roads are generated (in
 * local metres), then finalises it into the ImportBundle's typed arrays:
 * drops duplicates, loops and tiny disconnected fragments, renumbers nodes
 * 0..n-1 in creation order, projects every vertex once and measures lengths
 * along the projected geometry, so lengths agree with what a consumer
 * measuring the stored lon/lat would get.
 */
import { equirectangularDistanceM } from '../../kernel/geo.ts';
import type { WalkNetwork } from '../../kernel/import-bundle.ts';
import { edgeSeconds } from '../../kernel/walk-speed.ts';
import { edgeColumns, nodeColumns, walkNetwork } from '../walk-network-columns.ts';
import type { LocalProjection } from './local-projection.ts';

/** Highway classes of generated edges; classIndex refers to this list. */
export const DEMO_CLASS_NAMES = [
  'primary',
  'secondary',
  'tertiary',
  'unclassified',
  'residential',
  'service',
  'pedestrian',
  'footway',
  'path',
  'steps',
  'track',
] as const;

export type RoadClass = (typeof DEMO_CLASS_NAMES)[number];

export function classIndex(cls: RoadClass): number {
  return DEMO_CLASS_NAMES.indexOf(cls);
}

/** The finished network's edges in local metres, for placing households along them. */
export interface LocalEdges {
  count: number;
  /** Edge j's vertices are xy[2*offsets[j] .. 2*offsets[j+1]). */
  offsets: Int32Array;
  xy: Float64Array;
  patch: Int32Array;
  classIndex: Uint8Array;
  bridge: Uint8Array;
}

export interface FinishedNetwork {
  network: WalkNetwork;
  local: LocalEdges;
  nodeX: Float64Array;
  nodeY: Float64Array;
  bridges: number;
}

export class NetworkBuilder {
  private readonly nodeX: number[] = [];
  private readonly nodeY: number[] = [];
  private readonly edgeA: number[] = [];
  private readonly edgeB: number[] = [];
  private readonly edgeClass: number[] = [];
  private readonly edgePatch: number[] = [];
  private readonly edgeBridge: number[] = [];
  private readonly viaStart: number[] = [0];
  private readonly viaXY: number[] = [];

  get nodeCount(): number {
    return this.nodeX.length;
  }

  get edgeCount(): number {
    return this.edgeA.length;
  }

  addNode(x: number, y: number): number {
    this.nodeX.push(x);
    this.nodeY.push(y);
    return this.nodeX.length - 1;
  }

  x(node: number): number {
    return this.nodeX[node];
  }

  y(node: number): number {
    return this.nodeY[node];
  }

  /** Connected components of the edges so far: a root node id per node (isolated nodes are their own root). */
  componentRoots(): Int32Array {
    const parent = new Int32Array(this.nodeX.length);
    for (let i = 0; i < parent.length; i++) parent[i] = i;
    const find = (i: number): number => {
      while (parent[i] !== i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
      }
      return i;
    };
    for (let e = 0; e < this.edgeA.length; e++) {
      const ra = find(this.edgeA[e]);
      const rb = find(this.edgeB[e]);
      if (ra !== rb) parent[ra < rb ? rb : ra] = ra < rb ? ra : rb;
    }
    for (let i = 0; i < parent.length; i++) parent[i] = find(i);
    return parent;
  }

  /**
   * Adds an edge a -> b with intermediate vertices `via` (flat x,y pairs);
   * false (nothing added) for a loop. A second edge between the same two
   * nodes is dropped when the network is finished (the first one stays).
   */
  addEdge(a: number, b: number, cls: RoadClass, patch: number, via: readonly number[] = [], bridge = false): boolean {
    if (a === b) return false;
    this.edgeA.push(a);
    this.edgeB.push(b);
    this.edgeClass.push(classIndex(cls));
    this.edgePatch.push(patch);
    this.edgeBridge.push(bridge ? 1 : 0);
    for (const v of via) this.viaXY.push(v);
    this.viaStart.push(this.viaXY.length / 2);
    return true;
  }

  finish(projection: LocalProjection, minComponentNodes: number): FinishedNetwork {
    const nodeTotal = this.nodeX.length;
    const edgeTotal = this.edgeA.length;
    // Duplicates: sort edges by their unordered node pair, keep the earliest of each pair.
    const pairKey = new Float64Array(edgeTotal);
    for (let e = 0; e < edgeTotal; e++) {
      const a = this.edgeA[e];
      const b = this.edgeB[e];
      pairKey[e] = a < b ? a * 4194304 + b : b * 4194304 + a;
    }
    const order = new Int32Array(edgeTotal);
    for (let e = 0; e < edgeTotal; e++) order[e] = e;
    order.sort((x, y) => pairKey[x] - pairKey[y] || x - y);
    const duplicate = new Uint8Array(edgeTotal);
    for (let k = 1; k < edgeTotal; k++) if (pairKey[order[k]] === pairKey[order[k - 1]]) duplicate[order[k]] = 1;
    // Components over all edges (union-find with path halving).
    const parent = new Int32Array(nodeTotal);
    for (let i = 0; i < nodeTotal; i++) parent[i] = i;
    const find = (i: number): number => {
      while (parent[i] !== i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
      }
      return i;
    };
    for (let e = 0; e < edgeTotal; e++) {
      if (duplicate[e]) continue;
      const ra = find(this.edgeA[e]);
      const rb = find(this.edgeB[e]);
      if (ra !== rb) parent[ra < rb ? rb : ra] = ra < rb ? ra : rb;
    }
    const compSize = new Int32Array(nodeTotal);
    const degree = new Int32Array(nodeTotal);
    for (let e = 0; e < edgeTotal; e++) {
      if (duplicate[e]) continue;
      degree[this.edgeA[e]]++;
      degree[this.edgeB[e]]++;
    }
    for (let i = 0; i < nodeTotal; i++) if (degree[i] > 0) compSize[find(i)]++;

    const newId = new Int32Array(nodeTotal).fill(-1);
    let nodeCount = 0;
    for (let i = 0; i < nodeTotal; i++) {
      if (degree[i] > 0 && compSize[find(i)] >= minComponentNodes) newId[i] = nodeCount++;
    }
    // Generated nodes and edges have no OSM id.
    const nodes = nodeColumns(nodeCount);
    const { nodeLon, nodeLat } = nodes;
    nodes.nodeOsmId.fill(-1);
    const nodeX = new Float64Array(nodeCount);
    const nodeY = new Float64Array(nodeCount);
    for (let i = 0; i < nodeTotal; i++) {
      const k = newId[i];
      if (k < 0) continue;
      nodeX[k] = this.nodeX[i];
      nodeY[k] = this.nodeY[i];
      nodeLon[k] = projection.lon(nodeX[k], nodeY[k]);
      nodeLat[k] = projection.lat(nodeX[k], nodeY[k]);
    }

    const kept: number[] = [];
    for (let e = 0; e < edgeTotal; e++) if (!duplicate[e] && newId[this.edgeA[e]] >= 0) kept.push(e);
    const edgeCount = kept.length;
    const edges = edgeColumns(edgeCount);
    const { source, target, lengthM, cost, reverseCost, classIndex: cls, geomOffset } = edges;
    edges.edgeOsmId.fill(-1);
    const patch = new Int32Array(edgeCount);
    const bridge = new Uint8Array(edgeCount);
    const coords: number[] = [];
    const localXY: number[] = [];
    let bridges = 0;
    for (let k = 0; k < edgeCount; k++) {
      const e = kept[k];
      const a = newId[this.edgeA[e]];
      const b = newId[this.edgeB[e]];
      source[k] = a;
      target[k] = b;
      cls[k] = this.edgeClass[e];
      patch[k] = this.edgePatch[e];
      bridge[k] = this.edgeBridge[e];
      bridges += bridge[k];
      geomOffset[k] = coords.length / 2;
      coords.push(nodeLon[a], nodeLat[a]);
      localXY.push(nodeX[a], nodeY[a]);
      for (let v = this.viaStart[e]; v < this.viaStart[e + 1]; v++) {
        const x = this.viaXY[2 * v];
        const y = this.viaXY[2 * v + 1];
        const lon = projection.lon(x, y);
        const lat = projection.lat(x, y);
        // Skip a vertex that rounds onto its predecessor.
        if (lon === coords[coords.length - 2] && lat === coords[coords.length - 1]) continue;
        coords.push(lon, lat);
        localXY.push(x, y);
      }
      if (nodeLon[b] === coords[coords.length - 2] && nodeLat[b] === coords[coords.length - 1] && coords.length / 2 - geomOffset[k] > 1) {
        coords.length -= 2;
        localXY.length -= 2;
      }
      coords.push(nodeLon[b], nodeLat[b]);
      localXY.push(nodeX[b], nodeY[b]);
      let len = 0;
      for (let v = geomOffset[k]; v < coords.length / 2 - 1; v++) {
        len += equirectangularDistanceM(coords[2 * v], coords[2 * v + 1], coords[2 * v + 2], coords[2 * v + 3]);
      }
      if (!(len > 0)) throw new Error(`demo network: zero-length edge ${e}`);
      lengthM[k] = len;
      const seconds = edgeSeconds(len, DEMO_CLASS_NAMES[cls[k]]);
      cost[k] = seconds;
      reverseCost[k] = seconds;
    }
    geomOffset[edgeCount] = coords.length / 2;
    return {
      network: walkNetwork(nodeCount, nodes, edgeCount, edges, [...DEMO_CLASS_NAMES], Float64Array.from(coords)),
      local: {
        count: edgeCount,
        offsets: geomOffset.slice(),
        xy: Float64Array.from(localXY),
        patch,
        classIndex: cls,
        bridge,
      },
      nodeX,
      nodeY,
      bridges,
    };
  }
}
