/**
 * From collected ways to geometry: resolves the node refs of a WayRefs
 * against the NodeStore into flat lon,lat coordinates, plus the ring checks
 * and the building row the feature steps share. Rings stay vertex ranges
 * [from, to) of one flat array until someone asks for GeoJSON-style
 * [lon, lat] positions.
 */
import type { BuildingRow, FlatRing, MultiPolygonCoords, Position } from '../../kernel/import-bundle.ts';
import { ringAreaCentroid } from './household-estimate.ts';
import type { NodeStore, WayRefs } from './node-store.ts';

/** Way k's vertices are coords[2*offset[k] .. 2*offset[k+1]) as lon,lat pairs. */
export interface ResolvedWays {
  offset: Int32Array;
  coords: Float64Array;
}

/**
 * Resolves ways' refs to flat lon,lat coords, dropping refs to nodes missing
 * from the file and repeated consecutive nodes. Ways with missing refs are
 * recorded in `missingByWay` (way id -> how many), shared by every
 * collection so a way in two of them counts once.
 */
export function resolveWays(ways: WayRefs, store: NodeStore, missingByWay: Map<number, number>): ResolvedWays {
  const offset = new Int32Array(ways.count + 1);
  // Upper bound: every ref resolves.
  const coords = new Float64Array(ways.totalRefs * 2);
  let v = 0;
  const refs = ways.refs;
  for (let k = 0; k < ways.count; k++) {
    offset[k] = v;
    let missing = 0;
    let prev = -1;
    for (let r = ways.start(k), end = ways.end(k); r < end; r++) {
      const idx = store.indexOf(refs[r]!, prev);
      if (idx < 0) {
        missing++;
        continue;
      }
      if (idx === prev) continue;
      prev = idx;
      coords[2 * v] = store.lon(idx);
      coords[2 * v + 1] = store.lat(idx);
      v++;
    }
    if (missing > 0) missingByWay.set(ways.id(k), missing);
  }
  offset[ways.count] = v;
  return { offset, coords };
}

/** Whether a way's refs close on themselves (a ring of at least 3 distinct nodes). */
export function isClosed(refs: ArrayLike<number>): boolean {
  return refs.length >= 4 && refs[0] === refs[refs.length - 1];
}

/** Whether the last vertex of coords[2*from .. 2*to) repeats the first. */
export function endsMeet(coords: Float64Array, from: number, to: number): boolean {
  return coords[2 * from] === coords[2 * to - 2] && coords[2 * from + 1] === coords[2 * to - 1];
}

/** Vertices of a ring, not counting a closing repeat of the first (consecutive repeats are already gone). */
export function distinctVertices(coords: Float64Array, from: number, to: number): number {
  const n = to - from;
  return n > 1 && endsMeet(coords, from, to) ? n - 1 : n;
}

/** A ring with at least 3 distinct vertices and some area. */
export function isValidRing(coords: Float64Array, from: number, to: number): boolean {
  return distinctVertices(coords, from, to) >= 3 && ringAreaCentroid(coords, from, to).areaM2 > 0;
}

/** A closed ring as [lon, lat] positions from flat coords[2*from .. 2*to). */
export function closedRing(coords: Float64Array, from: number, to: number): Position[] {
  const out: Position[] = [];
  for (let v = from; v < to; v++) out.push([coords[2 * v]!, coords[2 * v + 1]!]);
  const first = out[0]!;
  const last = out[out.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) out.push([first[0], first[1]]);
  return out;
}

/**
 * A building row kept as its flat coordinates: the writer encodes `ring`
 * directly, and `geom` builds [lon, lat] arrays only for other readers.
 * Holding such arrays for every vertex of every building through the import
 * would keep ~10 small objects per building alive and cost more in garbage
 * collection than the rest of the conversion. `geom` is a prototype getter:
 * read it, do not rely on spreading the row.
 */
export class FlatPolygonRow implements BuildingRow {
  readonly ring: FlatRing;

  constructor(
    readonly kind: string,
    readonly levels: number | null,
    coords: Float64Array,
    from: number,
    to: number,
  ) {
    this.ring = { coords, from, to };
  }

  get geom(): MultiPolygonCoords {
    return [[closedRing(this.ring.coords, this.ring.from, this.ring.to)]];
  }

  toJSON(): BuildingRow {
    return { kind: this.kind, levels: this.levels, geom: this.geom };
  }
}
