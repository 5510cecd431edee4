/**
 * Seeded synthetic walk networks for routing tests and benchmarks: a jittered
 * lattice with some streets missing, some one-way footpaths, bent edges with
 * intermediate vertices and a few steps, near Putian's coordinates. The same
 * seed always gives the same network, so failures reproduce.
 */
import type { WalkGraphInput } from '../server/routing/graph/graph-builder.ts';
import { haversineM, polylineLengthM } from '../kernel/geo.ts';
import { edgeSeconds } from '../kernel/walk-speed.ts';

export { seededRandom } from './seeded-random.ts';
import { seededRandom } from './seeded-random.ts';

export interface SyntheticOptions {
  cols: number;
  rows: number;
  seed: number;
  /** Lattice spacing, metres. */
  spacingM?: number;
  /** Share of lattice edges left out. */
  dropShare?: number;
  /** Share of edges that are one-way for walkers. */
  oneWayShare?: number;
  /** Share of edges that are steps. */
  stepsShare?: number;
  /** South-west corner. */
  lon0?: number;
  lat0?: number;
}

/** A jittered lattice network as graph-builder input (node ids = indices, edge ids = index + 1). */
export function syntheticNetwork(options: SyntheticOptions): WalkGraphInput {
  const { cols, rows, seed, spacingM = 80, dropShare = 0.15, oneWayShare = 0.05, stepsShare = 0.03, lon0 = 119.0, lat0 = 25.4 } = options;
  const random = seededRandom(seed);
  const dLat = spacingM / 111195;
  const dLon = dLat / Math.cos((lat0 * Math.PI) / 180);
  const n = cols * rows;
  const nodeLon = new Float64Array(n);
  const nodeLat = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      nodeLon[r * cols + c] = lon0 + (c + (random() - 0.5) * 0.4) * dLon;
      nodeLat[r * cols + c] = lat0 + (r + (random() - 0.5) * 0.4) * dLat;
    }
  }
  const source: number[] = [];
  const target: number[] = [];
  const cost: number[] = [];
  const reverseCost: number[] = [];
  const lengthM: number[] = [];
  const steps: number[] = [];
  const geomOffset: number[] = [0];
  const coords: number[] = [];
  const addEdge = (a: number, b: number) => {
    if (random() < dropShare) return;
    // Geometry: straight, or bent through one or two intermediate vertices.
    const bends = Math.floor(random() * 3);
    const first = coords.length / 2;
    coords.push(nodeLon[a]!, nodeLat[a]!);
    for (let k = 1; k <= bends; k++) {
      const f = k / (bends + 1);
      coords.push(
        nodeLon[a]! + f * (nodeLon[b]! - nodeLon[a]!) + (random() - 0.5) * 0.2 * dLon,
        nodeLat[a]! + f * (nodeLat[b]! - nodeLat[a]!) + (random() - 0.5) * 0.2 * dLat,
      );
    }
    coords.push(nodeLon[b]!, nodeLat[b]!);
    const last = coords.length / 2;
    const length = polylineLengthM(coords, first, last);
    const isSteps = random() < stepsShare;
    const seconds = edgeSeconds(length, isSteps ? 'steps' : 'footway');
    const oneWay = random() < oneWayShare;
    const backwards = oneWay && random() < 0.5;
    source.push(backwards ? b : a);
    target.push(backwards ? a : b);
    if (backwards) {
      // Keep the geometry source-first for a reversed one-way edge.
      const part = coords.splice(first * 2);
      for (let k = part.length / 2 - 1; k >= 0; k--) coords.push(part[2 * k]!, part[2 * k + 1]!);
    }
    cost.push(seconds);
    reverseCost.push(oneWay ? -1 : seconds);
    lengthM.push(length);
    steps.push(isSteps ? 1 : 0);
    geomOffset.push(last);
  };
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      if (c + 1 < cols) addEdge(i, i + 1);
      if (r + 1 < rows) addEdge(i, i + cols);
      // Occasional diagonal, so the network is not a pure lattice.
      if (c + 1 < cols && r + 1 < rows && random() < 0.1) addEdge(i, i + cols + 1);
    }
  }
  return {
    version: `synthetic-${seed}`,
    nodeCount: n,
    nodeLon,
    nodeLat,
    edgeCount: source.length,
    source,
    target,
    cost,
    reverseCost,
    lengthM,
    steps,
    geomOffset,
    coords,
  };
}

/** [minLon, minLat, maxLon, maxLat] of the network's nodes. */
export function networkBounds(input: WalkGraphInput): [number, number, number, number] {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (let i = 0; i < input.nodeCount; i++) {
    minLon = Math.min(minLon, input.nodeLon[i]!);
    maxLon = Math.max(maxLon, input.nodeLon[i]!);
    minLat = Math.min(minLat, input.nodeLat[i]!);
    maxLat = Math.max(maxLat, input.nodeLat[i]!);
  }
  return [minLon, minLat, maxLon, maxLat];
}

/** A random point within the network's extent (may be off the network near the edges). */
export function randomPointIn(input: WalkGraphInput, random: () => number): [number, number] {
  const [minLon, minLat, maxLon, maxLat] = networkBounds(input);
  return [minLon + random() * (maxLon - minLon), minLat + random() * (maxLat - minLat)];
}

/** `n` random points within the network's extent, as coordinate columns (snapMany's input). */
export function randomPoints(input: WalkGraphInput, random: () => number, n: number): { lon: number[]; lat: number[] } {
  const lon: number[] = [];
  const lat: number[] = [];
  for (let i = 0; i < n; i++) {
    const [x, y] = randomPointIn(input, random);
    lon.push(x);
    lat.push(y);
  }
  return { lon, lat };
}

export { haversineM };

/** `input` plus a straight two-node footway of `lengthM` metres starting at (lon, lat), eastwards. */
export function withFootway(input: WalkGraphInput, lon: number, lat: number, lengthM: number): WalkGraphInput {
  const n = input.nodeCount;
  const dLon = lengthM / (111195 * Math.cos((lat * Math.PI) / 180));
  const coordsStart = input.coords.length / 2;
  const seconds = lengthM / (4 / 3.6);
  const list = (a: ArrayLike<number>) => Array.from(a);
  return {
    version: input.version,
    nodeCount: n + 2,
    edgeCount: input.edgeCount + 1,
    nodeLon: Float64Array.from([...list(input.nodeLon), lon, lon + dLon]),
    nodeLat: Float64Array.from([...list(input.nodeLat), lat, lat]),
    source: Int32Array.from([...list(input.source), n]),
    target: Int32Array.from([...list(input.target), n + 1]),
    cost: Float64Array.from([...list(input.cost), seconds]),
    reverseCost: Float64Array.from([...list(input.reverseCost), seconds]),
    lengthM: Float64Array.from([...list(input.lengthM), lengthM]),
    steps: Uint8Array.from([...list(input.steps ?? new Uint8Array(input.edgeCount)), 0]),
    geomOffset: Uint32Array.from([...list(input.geomOffset), coordsStart + 2]),
    coords: Float64Array.from([...list(input.coords), lon, lat, lon + dLon, lat]),
  };
}
