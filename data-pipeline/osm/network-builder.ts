/**
 * Builds the walk network (routable graph) from walkable ways. During the way
 * pass it only collects each way's node refs, class and directions in typed
 * arrays; `build` runs once the node coordinates are complete and
 *   1. resolves refs to node-store indices (refs to nodes missing from a
 *      clipped extract are counted and cut the way there),
 *   2. marks split points: nodes used twice or more (shared by two ways, or
 *      twice by one way) and the ends of every way part,
 *   3. emits one edge per stretch between split points, keeping every
 *      intermediate vertex as geometry, measured by haversine.
 * Network nodes are only the split points, numbered 0..n-1 in order of first
 * use. Costs are seconds at the default speed (walk-speed.ts); a direction
 * walkers may not take costs -1 (pgRouting's "no travel" convention), and the
 * geometry keeps the way's own direction.
 */
import { haversineM } from '../../kernel/geo.ts';
import { ensureCapacity, trimmed } from '../../kernel/growable-array.ts';
import type { WalkNetwork } from '../../kernel/import-bundle.ts';
import { edgeSeconds } from '../../kernel/walk-speed.ts';
import { edgeColumns, growEdgeColumns, growNodeColumns, nodeColumns, trimColumns, walkNetwork } from '../walk-network-columns.ts';
import { NodeStore, WayRefs } from './node-store.ts';
import { EXAMPLES } from './skipped-features.ts';
import type { WalkAccess } from './walk-model.ts';


export interface NetworkBuildResult {
  network: WalkNetwork;
  /** Walkable ways collected. */
  ways: number;
  /** Refs (occurrences) in walkable ways to nodes not in the file. */
  missingNodeRefs: number;
  /** Ids of the ways with missing refs, and how many each (parallel arrays). */
  missingRefWays: number[];
  missingRefCounts: number[];
  /** Walkable ways with fewer than 2 resolvable nodes (no edge at all). */
  shortWays: number;
  shortWayExamples: number[];
  /** Edges from a node back to itself with zero length (repeated refs), dropped. */
  zeroLengthDropped: number;
  /** Edges of class "steps". */
  stepsEdges: number;
}

/** Direction bits per way. */
const FORWARD = 1;
const BACKWARD = 2;

/*
 * A way's refs fall into parts: runs of refs that resolved to a stored node
 * (resolved[r] >= 0), cut where the extract lost a node. These two find the
 * runs; steps 2 and 3 of build() walk them the same way.
 */

/** The first ref at or after r that resolved, or end. */
function nextResolved(resolved: Int32Array, r: number, end: number): number {
  while (r < end && resolved[r]! < 0) r++;
  return r;
}

/** Just past the run of resolved refs that starts at r. */
function runEnd(resolved: Int32Array, r: number, end: number): number {
  while (r < end && resolved[r]! >= 0) r++;
  return r;
}

export class NetworkBuilder {
  private readonly ways = new WayRefs();
  private wayClass = new Uint8Array(256);
  private wayDirs = new Uint8Array(256);
  private readonly classNames: string[] = [];
  private readonly classIds = new Map<string, number>();

  get wayCount(): number {
    return this.ways.count;
  }

  /** Collects a walkable way; refs are copied. */
  addWay(id: number, refs: ArrayLike<number>, access: WalkAccess): void {
    let cls = this.classIds.get(access.class);
    if (cls === undefined) {
      cls = this.classNames.length;
      if (cls > 255) throw new Error('more than 256 walkable classes');
      this.classNames.push(access.class);
      this.classIds.set(access.class, cls);
    }
    const k = this.ways.add(id, refs);
    if (k >= this.wayClass.length) {
      this.wayClass = ensureCapacity(this.wayClass, k + 1);
      this.wayDirs = ensureCapacity(this.wayDirs, k + 1);
    }
    this.wayClass[k] = cls;
    this.wayDirs[k] = (access.forward ? FORWARD : 0) | (access.backward ? BACKWARD : 0);
  }

  /** Builds the network; call after the node phase is complete. */
  build(store: NodeStore): NetworkBuildResult {
    const ways = this.ways;
    const wayCount = ways.count;
    const totalRefs = ways.totalRefs;
    const refs = ways.refs;

    // 1. Resolve every ref once; -1 marks a node the file does not have.
    const resolved = new Int32Array(totalRefs);
    let missingNodeRefs = 0;
    const missingRefWays: number[] = [];
    const missingRefCounts: number[] = [];
    for (let k = 0; k < wayCount; k++) {
      let missingHere = 0;
      let hint = -1;
      for (let r = ways.start(k), end = ways.end(k); r < end; r++) {
        const idx = store.indexOf(refs[r]!, hint);
        resolved[r] = idx;
        if (idx < 0) missingHere++;
        else hint = idx;
      }
      if (missingHere > 0) {
        missingNodeRefs += missingHere;
        missingRefWays.push(ways.id(k));
        missingRefCounts.push(missingHere);
      }
    }

    // 2. Split points. usage[i] counts uses of store node i, saturating at 2
    // ("split here"); the ends of every part (a run of resolvable refs with at
    // least two nodes) are set to 2 as well.
    const usage = new Uint8Array(store.count);
    for (let r = 0; r < totalRefs; r++) {
      const idx = resolved[r]!;
      if (idx >= 0 && usage[idx]! < 2) usage[idx]!++;
    }
    let shortWays = 0;
    const shortWayExamples: number[] = [];
    for (let k = 0; k < wayCount; k++) {
      const end = ways.end(k);
      let edgeful = false;
      let partEnd = 0;
      for (let first = nextResolved(resolved, ways.start(k), end); first < end; first = nextResolved(resolved, partEnd, end)) {
        partEnd = runEnd(resolved, first, end);
        if (partEnd - first < 2) continue;
        usage[resolved[first]!] = 2;
        usage[resolved[partEnd - 1]!] = 2;
        edgeful = true;
      }
      if (!edgeful) {
        shortWays++;
        if (shortWayExamples.length < EXAMPLES) shortWayExamples.push(ways.id(k));
      }
    }

    // 3. Emit edges. Arrays grow by doubling from an estimate: ways usually
    // split into a few edges each.
    const netIndex = new Int32Array(store.count).fill(-1);
    let nodeCount = 0;
    const nodes = nodeColumns(wayCount * 2 + 16);
    const networkNode = (s: number): number => {
      let v = netIndex[s]!;
      if (v < 0) {
        v = nodeCount++;
        netIndex[s] = v;
        if (v >= nodes.nodeLon.length) growNodeColumns(nodes, v + 1);
        nodes.nodeLon[v] = store.lon(s);
        nodes.nodeLat[v] = store.lat(s);
        nodes.nodeOsmId[v] = store.id(s);
      }
      return v;
    };

    const edgeCap = wayCount * 3 + 16;
    let edgeCount = 0;
    const edges = edgeColumns(edgeCap);
    let coords = new Float64Array((totalRefs + edgeCap) * 2);
    let vertexCount = 0;
    let zeroLengthDropped = 0;
    let stepsEdges = 0;
    const stepsClass = this.classIds.get('steps') ?? -1;

    const pushVertex = (s: number) => {
      if (2 * vertexCount + 2 > coords.length) coords = ensureCapacity(coords, 2 * vertexCount + 2);
      coords[2 * vertexCount] = store.lon(s);
      coords[2 * vertexCount + 1] = store.lat(s);
      vertexCount++;
    };

    for (let k = 0; k < wayCount; k++) {
      const end = ways.end(k);
      const cls = this.wayClass[k]!;
      const className = this.classNames[cls]!;
      const dirs = this.wayDirs[k]!;
      const osmId = ways.id(k);
      let partEnd = 0;
      for (let first = nextResolved(resolved, ways.start(k), end); first < end; first = nextResolved(resolved, partEnd, end)) {
        partEnd = runEnd(resolved, first, end);
        if (partEnd - first < 2) continue;

        // Walk the part, cutting at split points.
        let from = resolved[first]!;
        let edgeStartVertex = vertexCount;
        pushVertex(from);
        let length = 0;
        let prevLon = store.lon(from);
        let prevLat = store.lat(from);
        for (let q = first + 1; q < partEnd; q++) {
          const s = resolved[q]!;
          const lon = store.lon(s);
          const lat = store.lat(s);
          length += haversineM(prevLon, prevLat, lon, lat);
          prevLon = lon;
          prevLat = lat;
          pushVertex(s);
          if (usage[s]! < 2) continue;
          // Edge from `from` to `s`.
          if (length === 0 && s === from) {
            zeroLengthDropped++;
            vertexCount = edgeStartVertex;
          } else {
            if (edgeCount + 1 >= edges.source.length) growEdgeColumns(edges, edgeCount + 2);
            const e = edgeCount++;
            edges.source[e] = networkNode(from);
            edges.target[e] = networkNode(s);
            edges.lengthM[e] = length;
            const seconds = edgeSeconds(length, className);
            edges.cost[e] = dirs & FORWARD ? seconds : -1;
            edges.reverseCost[e] = dirs & BACKWARD ? seconds : -1;
            edges.classIndex[e] = cls;
            edges.edgeOsmId[e] = osmId;
            edges.geomOffset[e] = edgeStartVertex;
            edges.geomOffset[e + 1] = vertexCount;
            if (cls === stepsClass) stepsEdges++;
          }
          from = s;
          length = 0;
          edgeStartVertex = vertexCount;
          if (q + 1 < partEnd) pushVertex(s);
        }
        // The last vertex of a part is a split point, so no stretch is left open.
      }
    }
    edges.geomOffset[edgeCount] = vertexCount;

    const trim = trimColumns(nodes, nodeCount, edges, edgeCount);
    const network = walkNetwork(nodeCount, trim.nodes, edgeCount, trim.edges, this.classNames.slice(), trimmed(coords, 2 * vertexCount));
    return {
      network,
      ways: wayCount,
      missingNodeRefs,
      missingRefWays,
      missingRefCounts,
      shortWays,
      shortWayExamples,
      zeroLengthDropped,
      stepsEdges,
    };
  }
}
