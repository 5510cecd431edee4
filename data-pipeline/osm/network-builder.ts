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
import type { WalkNetwork } from '../../kernel/import-bundle.ts';
import { haversineM } from '../../kernel/geo.ts';
import { edgeSeconds } from '../../kernel/walk-speed.ts';
import { ensureCapacity, NodeStore, WayRefs } from './node-store.ts';
import type { WalkAccess } from './walk-model.ts';

/** How many example ids a report entry keeps. */
const EXAMPLES = 5;

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
      let r = ways.start(k);
      while (r < end) {
        if (resolved[r]! < 0) {
          r++;
          continue;
        }
        const first = r;
        while (r < end && resolved[r]! >= 0) r++;
        if (r - first >= 2) {
          usage[resolved[first]!] = 2;
          usage[resolved[r - 1]!] = 2;
          edgeful = true;
        }
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
    let nodeLon = new Float64Array(wayCount * 2 + 16);
    let nodeLat = new Float64Array(wayCount * 2 + 16);
    let nodeOsmId = new Float64Array(wayCount * 2 + 16);
    const networkNode = (s: number): number => {
      let v = netIndex[s]!;
      if (v < 0) {
        v = nodeCount++;
        netIndex[s] = v;
        if (v >= nodeLon.length) {
          nodeLon = ensureCapacity(nodeLon, v + 1);
          nodeLat = ensureCapacity(nodeLat, v + 1);
          nodeOsmId = ensureCapacity(nodeOsmId, v + 1);
        }
        nodeLon[v] = store.lon(s);
        nodeLat[v] = store.lat(s);
        nodeOsmId[v] = store.id(s);
      }
      return v;
    };

    const edgeCap = wayCount * 3 + 16;
    let edgeCount = 0;
    let source = new Int32Array(edgeCap);
    let target = new Int32Array(edgeCap);
    let lengthM = new Float64Array(edgeCap);
    let cost = new Float64Array(edgeCap);
    let reverseCost = new Float64Array(edgeCap);
    let classIndex = new Uint8Array(edgeCap);
    let edgeOsmId = new Float64Array(edgeCap);
    let geomOffset = new Int32Array(edgeCap + 1);
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
      let r = ways.start(k);
      while (r < end) {
        if (resolved[r]! < 0) {
          r++;
          continue;
        }
        const first = r;
        let partEnd = r;
        while (partEnd < end && resolved[partEnd]! >= 0) partEnd++;
        r = partEnd;
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
            if (edgeCount + 1 >= source.length) {
              const need = edgeCount + 2;
              source = ensureCapacity(source, need);
              target = ensureCapacity(target, need);
              lengthM = ensureCapacity(lengthM, need);
              cost = ensureCapacity(cost, need);
              reverseCost = ensureCapacity(reverseCost, need);
              classIndex = ensureCapacity(classIndex, need);
              edgeOsmId = ensureCapacity(edgeOsmId, need);
              geomOffset = ensureCapacity(geomOffset, need + 1);
            }
            const e = edgeCount++;
            source[e] = networkNode(from);
            target[e] = networkNode(s);
            lengthM[e] = length;
            const seconds = edgeSeconds(length, className);
            cost[e] = dirs & FORWARD ? seconds : -1;
            reverseCost[e] = dirs & BACKWARD ? seconds : -1;
            classIndex[e] = cls;
            edgeOsmId[e] = osmId;
            geomOffset[e] = edgeStartVertex;
            geomOffset[e + 1] = vertexCount;
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
    geomOffset[edgeCount] = vertexCount;

    const network: WalkNetwork = {
      nodeCount,
      nodeLon: nodeLon.slice(0, nodeCount),
      nodeLat: nodeLat.slice(0, nodeCount),
      nodeOsmId: nodeOsmId.slice(0, nodeCount),
      edgeCount,
      source: source.slice(0, edgeCount),
      target: target.slice(0, edgeCount),
      lengthM: lengthM.slice(0, edgeCount),
      cost: cost.slice(0, edgeCount),
      reverseCost: reverseCost.slice(0, edgeCount),
      classIndex: classIndex.slice(0, edgeCount),
      classNames: this.classNames.slice(),
      edgeOsmId: edgeOsmId.slice(0, edgeCount),
      geomOffset: geomOffset.slice(0, edgeCount + 1),
      coords: coords.slice(0, 2 * vertexCount),
    };
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
