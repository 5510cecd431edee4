/**
 * The walk network's typed columns while a builder fills them, declared once
 * for both network builders (OSM ways and the demo city): allocated for a
 * capacity, grown by doubling where the builder only has an estimate,
 * trimmed to the final counts, and put together as the ImportBundle's
 * WalkNetwork.
 */
import { ensureCapacity, trimmed } from '../kernel/growable-array.ts';
import type { WalkNetwork } from '../kernel/import-bundle.ts';

/** Per-node columns: node i is at (nodeLon[i], nodeLat[i]). */
export type NodeColumns = Pick<WalkNetwork, 'nodeLon' | 'nodeLat' | 'nodeOsmId'>;

/** Per-edge columns; geomOffset holds one entry more than there are edges. */
export type EdgeColumns = Pick<WalkNetwork, 'source' | 'target' | 'lengthM' | 'cost' | 'reverseCost' | 'classIndex' | 'edgeOsmId' | 'geomOffset'>;

/** Node columns with room for `capacity` nodes, zero-filled. */
export function nodeColumns(capacity: number): NodeColumns {
  return { nodeLon: new Float64Array(capacity), nodeLat: new Float64Array(capacity), nodeOsmId: new Float64Array(capacity) };
}

/** Edge columns with room for `capacity` edges, zero-filled. */
export function edgeColumns(capacity: number): EdgeColumns {
  return {
    source: new Int32Array(capacity),
    target: new Int32Array(capacity),
    lengthM: new Float64Array(capacity),
    cost: new Float64Array(capacity),
    reverseCost: new Float64Array(capacity),
    classIndex: new Uint8Array(capacity),
    edgeOsmId: new Float64Array(capacity),
    geomOffset: new Int32Array(capacity + 1),
  };
}

/** Makes room for at least `need` nodes (contents kept). */
export function growNodeColumns(nodes: NodeColumns, need: number): void {
  nodes.nodeLon = ensureCapacity(nodes.nodeLon, need);
  nodes.nodeLat = ensureCapacity(nodes.nodeLat, need);
  nodes.nodeOsmId = ensureCapacity(nodes.nodeOsmId, need);
}

/** Makes room for at least `need` edges (contents kept). */
export function growEdgeColumns(edges: EdgeColumns, need: number): void {
  edges.source = ensureCapacity(edges.source, need);
  edges.target = ensureCapacity(edges.target, need);
  edges.lengthM = ensureCapacity(edges.lengthM, need);
  edges.cost = ensureCapacity(edges.cost, need);
  edges.reverseCost = ensureCapacity(edges.reverseCost, need);
  edges.classIndex = ensureCapacity(edges.classIndex, need);
  edges.edgeOsmId = ensureCapacity(edges.edgeOsmId, need);
  edges.geomOffset = ensureCapacity(edges.geomOffset, need + 1);
}

/**
 * The first `nodeCount` nodes and `edgeCount` edges as copies of exactly
 * that size: growth by doubling leaves up to half of each buffer empty, and
 * the network lives on in the bundle.
 */
export function trimColumns(nodes: NodeColumns, nodeCount: number, edges: EdgeColumns, edgeCount: number): { nodes: NodeColumns; edges: EdgeColumns } {
  return {
    nodes: { nodeLon: trimmed(nodes.nodeLon, nodeCount), nodeLat: trimmed(nodes.nodeLat, nodeCount), nodeOsmId: trimmed(nodes.nodeOsmId, nodeCount) },
    edges: {
      source: trimmed(edges.source, edgeCount),
      target: trimmed(edges.target, edgeCount),
      lengthM: trimmed(edges.lengthM, edgeCount),
      cost: trimmed(edges.cost, edgeCount),
      reverseCost: trimmed(edges.reverseCost, edgeCount),
      classIndex: trimmed(edges.classIndex, edgeCount),
      edgeOsmId: trimmed(edges.edgeOsmId, edgeCount),
      geomOffset: trimmed(edges.geomOffset, edgeCount + 1),
    },
  };
}

/**
 * The WalkNetwork of filled columns (used as they are: trim them first if
 * they were grown). Fields in the interface's order, so networks from
 * either builder share one object shape.
 */
export function walkNetwork(
  nodeCount: number,
  nodes: NodeColumns,
  edgeCount: number,
  edges: EdgeColumns,
  classNames: string[],
  coords: Float64Array,
): WalkNetwork {
  return {
    nodeCount,
    nodeLon: nodes.nodeLon,
    nodeLat: nodes.nodeLat,
    nodeOsmId: nodes.nodeOsmId,
    edgeCount,
    source: edges.source,
    target: edges.target,
    lengthM: edges.lengthM,
    cost: edges.cost,
    reverseCost: edges.reverseCost,
    classIndex: edges.classIndex,
    classNames,
    edgeOsmId: edges.edgeOsmId,
    geomOffset: edges.geomOffset,
    coords,
  };
}
