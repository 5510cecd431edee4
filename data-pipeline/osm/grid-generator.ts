/**
 * Unit grids for a city imported without a grid file. Method:
 *   - a local equirectangular plane anchored at the south-west corner of the
 *     households' bounding box (x east, y north, metres; the scale of
 *     longitude is taken at the box's middle latitude);
 *   - square cells of GRID_CELL_M metres; household unit i falls in cell
 *     (col, row) = (floor(x / size), floor(y / size)): cells are half-open
 *     [x0, x0 + size) x [y0, y0 + size), so every unit is in exactly one cell,
 *     a unit on a shared edge in the cell to its east / north;
 *   - only cells with at least one unit are kept, so grids cover the
 *     populated area and no grid is empty;
 *   - officers = max(1, round(households / HOUSEHOLDS_PER_OFFICER)).
 * Grid codes are G-<row>-<col> (zero-padded, from the south-west corner),
 * listed row by row from the south. Works for any household source, so it also
 * assigns grids to units from a household file.
 */
import type { GridRow, MultiPolygonCoords } from '../../kernel/import-bundle.ts';
import { METRES_PER_DEGREE, RAD } from '../../kernel/geo.ts';

/** Cell edge, metres. 500 m squares: about the 300-500 households of an urban grid at city densities, and half the 15-minute walk. */
export const GRID_CELL_M = 500;

/**
 * Households per grid officer. Urban grid management in China divides
 * communities into grids of "about 300 households" with one full-time grid
 * officer each (Putian: 3,096 officers for 2,408 grids).
 */
export const HOUSEHOLDS_PER_OFFICER = 300;


export interface GridAssignment {
  grids: GridRow[];
  /** Grid index per household unit. */
  gridIndex: Int32Array;
  /** Cell centres, per grid (for the community lookup). */
  centerLon: Float64Array;
  centerLat: Float64Array;
  /** Households per grid. */
  households: Int32Array;
}

function pad(n: number): string {
  return String(n).padStart(4, '0');
}

/**
 * Generates grids covering the given household units and assigns each unit to
 * one. `households` (per unit) sets the officers; without it each unit counts 1.
 */
export function assignGrids(
  lon: ArrayLike<number>,
  lat: ArrayLike<number>,
  households?: ArrayLike<number>,
  cellM = GRID_CELL_M,
): GridAssignment {
  const n = lon.length;
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLat = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = lon[i]!;
    const y = lat[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`household unit ${i} has no valid coordinates`);
    if (x < minLon) minLon = x;
    if (y < minLat) minLat = y;
    if (y > maxLat) maxLat = y;
  }
  const gridIndex = new Int32Array(n);
  if (n === 0) {
    return { grids: [], gridIndex, centerLon: new Float64Array(0), centerLat: new Float64Array(0), households: new Int32Array(0) };
  }
  // Degrees per cell along each axis.
  const cellLat = cellM / METRES_PER_DEGREE;
  const cellLon = cellM / (METRES_PER_DEGREE * Math.cos(((minLat + maxLat) / 2) * RAD));

  // Cell of every unit; cells keyed col * 2^20 + row (room for 10^6 rows of 500 m).
  const cellKey = new Float64Array(n);
  const keys = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const col = Math.floor((lon[i]! - minLon) / cellLon);
    const row = Math.floor((lat[i]! - minLat) / cellLat);
    const key = row * 1048576 + col;
    cellKey[i] = key;
    keys.set(key, 0);
  }
  // Grid order: by row from the south, then by column from the west.
  const sorted = [...keys.keys()].sort((a, b) => a - b);
  sorted.forEach((key, index) => keys.set(key, index));

  const g = sorted.length;
  const perGrid = new Int32Array(g);
  for (let i = 0; i < n; i++) {
    const index = keys.get(cellKey[i]!)!;
    gridIndex[i] = index;
    perGrid[index]! += households ? households[i]! : 1;
  }

  const grids: GridRow[] = [];
  const centerLon = new Float64Array(g);
  const centerLat = new Float64Array(g);
  for (let index = 0; index < g; index++) {
    const key = sorted[index]!;
    const row = Math.floor(key / 1048576);
    const col = key - row * 1048576;
    const w = minLon + col * cellLon;
    const e = minLon + (col + 1) * cellLon;
    const s = minLat + row * cellLat;
    const nn = minLat + (row + 1) * cellLat;
    const geom: MultiPolygonCoords = [[[[w, s], [e, s], [e, nn], [w, nn], [w, s]]]];
    centerLon[index] = (w + e) / 2;
    centerLat[index] = (s + nn) / 2;
    grids.push({
      code: `G-${pad(row)}-${pad(col)}`,
      name: `Grid ${pad(row)}-${pad(col)}`,
      districtCode: null,
      streetCode: null,
      communityCode: null,
      officers: Math.max(1, Math.round(perGrid[index]! / HOUSEHOLDS_PER_OFFICER)),
      geom,
    });
  }
  return { grids, gridIndex, centerLon, centerLat, households: perGrid };
}
