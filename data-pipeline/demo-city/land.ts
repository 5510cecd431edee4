/**
 * The land of the demo city: the mainland (west, north and south borders with
 * the neighbouring cities, the east coast on the sea) and the islands. Used to
 * keep streets, households and admin cells on land, and to draw the sea.
 */
import { NoiseField } from './noise.ts';
import { COAST_CONTROL_KM, EXTENT_M, ISLANDS_KM } from './putian-layout.ts';
import type { SeededRandom } from './seeded-random.ts';

interface Wiggle {
  amplitude: number;
  k: number;
  phase: number;
}

interface Island {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  cos: number;
  sin: number;
  p1: number;
  p2: number;
}

function wiggles(rng: SeededRandom, specs: [number, number][]): Wiggle[] {
  return specs.map(([amplitude, wavelength]) => ({ amplitude, k: (2 * Math.PI) / wavelength, phase: rng.range(0, 2 * Math.PI) }));
}

function sumWiggles(ws: Wiggle[], t: number): number {
  let s = 0;
  for (const w of ws) s += w.amplitude * Math.sin(w.k * t + w.phase);
  return s;
}

/** Piecewise-linear interpolation over sorted [t, value] pairs (km), clamped at the ends; returns metres. */
function interpolateKm(points: readonly (readonly [number, number])[], tM: number): number {
  const t = tM / 1000;
  if (t <= points[0][0]) return points[0][1] * 1000;
  for (let i = 1; i < points.length; i++) {
    const [t1, v1] = points[i];
    if (t <= t1) {
      const [t0, v0] = points[i - 1];
      return (v0 + ((v1 - v0) * (t - t0)) / (t1 - t0)) * 1000;
    }
  }
  return points[points.length - 1][1] * 1000;
}

/** Borders are tabulated every 10 m and interpolated: isLand is called a few million times. */
const TABLE_STEP_M = 10;

class BorderTable {
  private readonly values: Float64Array;
  constructor(
    private readonly t0: number,
    t1: number,
    f: (t: number) => number,
  ) {
    const n = Math.ceil((t1 - t0) / TABLE_STEP_M) + 2;
    this.values = new Float64Array(n);
    for (let i = 0; i < n; i++) this.values[i] = f(t0 + i * TABLE_STEP_M);
  }
  at(t: number): number {
    let f = (t - this.t0) / TABLE_STEP_M;
    if (f < 0) f = 0;
    else if (f > this.values.length - 1.000001) f = this.values.length - 1.000001;
    const i = Math.floor(f);
    return this.values[i] + (this.values[i + 1] - this.values[i]) * (f - i);
  }
}

export class LandMask {
  private readonly coastTable: BorderTable;
  private readonly westTable: BorderTable;
  private readonly northTable: BorderTable;
  private readonly southTable: BorderTable;
  private readonly coastWiggle: Wiggle[];
  private readonly coastNoise: NoiseField;
  private readonly islands: Island[];
  /** West of this no island reaches: skips the island test for most points. */
  private readonly islandMinX: number;

  constructor(rng: SeededRandom) {
    this.coastWiggle = wiggles(rng, [
      [350, 3700],
      [180, 1500],
    ]);
    this.coastNoise = new NoiseField(rng.fork('coast').seed, 2500, 3);
    // Land borders with the neighbouring cities: irregular (noise, not waves).
    const border = (label: string, base: number, amplitude: number) => {
      const field = new NoiseField(rng.fork(label).seed, 4500, 4);
      return (t: number) => base + amplitude * (field.at(t, 0) - 0.5) * 2;
    };
    const west = border('west', EXTENT_M.xMin + 2200, 1800);
    const north = border('north', EXTENT_M.yMax - 2200, 1800);
    const south = border('south', EXTENT_M.yMin + 2000, 1600);
    this.islands = ISLANDS_KM.map((isl) => {
      const a = (isl.rotationDeg * Math.PI) / 180;
      return {
        cx: isl.x * 1000,
        cy: isl.y * 1000,
        rx: isl.rx * 1000,
        ry: isl.ry * 1000,
        cos: Math.cos(a),
        sin: Math.sin(a),
        p1: rng.range(0, 2 * Math.PI),
        p2: rng.range(0, 2 * Math.PI),
      };
    });
    this.islandMinX = Math.min(...this.islands.map((isl) => isl.cx - Math.max(isl.rx, isl.ry) * 1.2));
    const margin = 5000;
    this.coastTable = new BorderTable(EXTENT_M.yMin - margin, EXTENT_M.yMax + margin, (y) => this.exactCoastX(y));
    this.westTable = new BorderTable(EXTENT_M.yMin - margin, EXTENT_M.yMax + margin, west);
    this.northTable = new BorderTable(EXTENT_M.xMin - margin, EXTENT_M.xMax + margin, north);
    this.southTable = new BorderTable(EXTENT_M.xMin - margin, EXTENT_M.xMax + margin, south);
  }

  private exactCoastX(y: number): number {
    return interpolateKm(COAST_CONTROL_KM, y) + sumWiggles(this.coastWiggle, y) + 900 * (this.coastNoise.at(y, 0) - 0.5);
  }

  /** x of the east coast at y. */
  coastX(y: number): number {
    return this.coastTable.at(y);
  }

  private islandRadius(island: Island, angle: number): number {
    return 1 + 0.1 * Math.sin(3 * angle + island.p1) + 0.06 * Math.sin(5 * angle + island.p2);
  }

  /** Index of the island containing (x, y), or -1. */
  islandAt(x: number, y: number): number {
    for (let i = 0; i < this.islands.length; i++) {
      const isl = this.islands[i];
      const dx = x - isl.cx;
      const dy = y - isl.cy;
      const u = (dx * isl.cos + dy * isl.sin) / isl.rx;
      const v = (-dx * isl.sin + dy * isl.cos) / isl.ry;
      const r = Math.sqrt(u * u + v * v);
      if (r < this.islandRadius(isl, Math.atan2(v, u))) return i;
    }
    return -1;
  }

  isLand(x: number, y: number): boolean {
    if (x < this.coastTable.at(y) && x > this.westTable.at(y) && y < this.northTable.at(x) && y > this.southTable.at(x)) return true;
    return x > this.islandMinX && this.islandAt(x, y) >= 0;
  }

  /**
   * The sea east of the coast as one polygon in local metres, flat [x, y, ...]
   * rings closed, outer ring counter-clockwise, island holes clockwise.
   */
  seaRings(): number[][] {
    const outer: number[] = [];
    const step = 150;
    const yLo = EXTENT_M.yMin;
    const yHi = EXTENT_M.yMax;
    const xFar = EXTENT_M.xMax + 1500;
    // Counter-clockwise: south along the far edge is clockwise, so go
    // north along the far edge first, then south along the coast.
    outer.push(xFar, yLo, xFar, yHi);
    for (let y = yHi; y >= yLo; y -= step) outer.push(this.coastX(y), y);
    outer.push(xFar, yLo);
    const rings = [outer];
    for (const isl of this.islands) {
      const ring: number[] = [];
      const n = 96;
      // Clockwise: decreasing angle.
      for (let k = 0; k <= n; k++) {
        const angle = -((k % n) / n) * 2 * Math.PI;
        const r = this.islandRadius(isl, angle) * 1.01;
        const u = Math.cos(angle) * r * isl.rx;
        const v = Math.sin(angle) * r * isl.ry;
        ring.push(isl.cx + u * isl.cos - v * isl.sin, isl.cy + u * isl.sin + v * isl.cos);
      }
      rings.push(ring);
    }
    return rings;
  }
}
