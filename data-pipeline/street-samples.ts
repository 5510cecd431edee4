/**
 * Street lines cut into short pieces of equal length, each kept as its
 * midpoint and its length. Putting the midpoints into grid polygons (a
 * point-in-polygon test, assign-to-grids.ts) then measures each grid's street
 * length to within a piece at its edge, and lets units be placed along the
 * streets inside a grid at a spacing, without clipping lines to polygons.
 */
import { equirectangularDistanceM } from '../kernel/geo.ts';

/** Polylines over one shared flat lon,lat array. */
export interface StreetLines {
  count: number;
  /** Line i's vertices are coords[2 * start[i] .. 2 * end[i]). */
  start: Int32Array;
  end: Int32Array;
  coords: Float64Array;
  /** Preference of line i's street class: 0 first; higher ranks are used only where a grid has none of a lower one. */
  rank: Uint8Array;
  /** OSM way id of line i, or -1. */
  osmId: Float64Array;
}

/** Piece midpoints, in line order and along each line. */
export interface StreetSamples {
  count: number;
  lon: Float64Array;
  lat: Float64Array;
  /** Length of the piece, metres. */
  lengthM: Float64Array;
  /** The line the piece is on. */
  line: Int32Array;
}

function lineLengthM(coords: Float64Array, from: number, to: number): number {
  let total = 0;
  for (let v = from + 1; v < to; v++) total += equirectangularDistanceM(coords[2 * v - 2]!, coords[2 * v - 1]!, coords[2 * v]!, coords[2 * v + 1]!);
  return total;
}

/**
 * Cuts every line into ceil(length / stepM) pieces of equal length (a line of
 * no length gives none) and returns their midpoints and lengths.
 */
export function sampleStreets(lines: StreetLines, stepM: number): StreetSamples {
  if (!(stepM > 0)) throw new RangeError(`stepM must be > 0, got ${stepM}`);
  const { coords } = lines;
  const lengths = new Float64Array(lines.count);
  let total = 0;
  for (let i = 0; i < lines.count; i++) {
    lengths[i] = lineLengthM(coords, lines.start[i]!, lines.end[i]!);
    if (lengths[i]! > 0) total += Math.ceil(lengths[i]! / stepM);
  }
  const out: StreetSamples = {
    count: total,
    lon: new Float64Array(total),
    lat: new Float64Array(total),
    lengthM: new Float64Array(total),
    line: new Int32Array(total),
  };
  let s = 0;
  for (let i = 0; i < lines.count; i++) {
    const length = lengths[i]!;
    if (!(length > 0)) continue;
    const pieces = Math.ceil(length / stepM);
    const piece = length / pieces;
    // Walk the segments once, the pieces' midpoints in order along the line.
    let v = lines.start[i]!;
    let segFrom = 0; // distance along the line where segment v -> v + 1 starts
    let segLength = equirectangularDistanceM(coords[2 * v]!, coords[2 * v + 1]!, coords[2 * v + 2]!, coords[2 * v + 3]!);
    const last = lines.end[i]! - 2; // the last segment starts at this vertex
    for (let k = 0; k < pieces; k++) {
      const at = (k + 0.5) * piece;
      while (at > segFrom + segLength && v < last) {
        segFrom += segLength;
        v++;
        segLength = equirectangularDistanceM(coords[2 * v]!, coords[2 * v + 1]!, coords[2 * v + 2]!, coords[2 * v + 3]!);
      }
      const t = segLength > 0 ? Math.min(1, Math.max(0, (at - segFrom) / segLength)) : 0;
      out.lon[s] = coords[2 * v]! + t * (coords[2 * v + 2]! - coords[2 * v]!);
      out.lat[s] = coords[2 * v + 1]! + t * (coords[2 * v + 3]! - coords[2 * v + 1]!);
      out.lengthM[s] = piece;
      out.line[s] = i;
      s++;
    }
  }
  return out;
}
