/**
 * Local metric plane <-> WGS84 for the demo city. Everything is generated in
 * metres (x east, y north) around Putian's centre, then mapped once to lon/lat:
 * a gentle smooth warp (a few sine waves, displacement ~100 m over ~10 km) bends
 * the generated lattices so long streets and boundaries are not ruler-straight,
 * followed by an equirectangular projection at the origin's latitude. The warp's
 * gradient stays below ~0.15, so it is a bijection and distorts lengths little.
 * Output coordinates are rounded to 1e-7 degree (~1 cm) so that byte-identical
 * output does not depend on the last bits of floating point.
 */
import { METRES_PER_DEGREE, RAD } from '../../kernel/geo.ts';
import type { Position } from '../../kernel/import-bundle.ts';
import type { SeededRandom } from './seeded-random.ts';

export const ORIGIN_LON = 119.0;
export const ORIGIN_LAT = 25.44;
const COS_ORIGIN = Math.cos(ORIGIN_LAT * RAD);

export function roundDegrees(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

interface WaveTerm {
  amplitude: number;
  kx: number;
  ky: number;
  phase: number;
}

export class LocalProjection {
  private readonly warpX: WaveTerm[];
  private readonly warpY: WaveTerm[];

  constructor(rng: SeededRandom) {
    const wave = (amplitude: number, wavelength: number, dirX: number, dirY: number): WaveTerm => {
      const len = Math.sqrt(dirX * dirX + dirY * dirY);
      const k = (2 * Math.PI) / wavelength;
      return { amplitude, kx: (k * dirX) / len, ky: (k * dirY) / len, phase: rng.range(0, 2 * Math.PI) };
    };
    this.warpX = [wave(110, rng.range(9000, 12000), 0, 1), wave(70, rng.range(10000, 14000), 1, 1)];
    this.warpY = [wave(100, rng.range(9000, 12000), 1, 0), wave(70, rng.range(10000, 14000), 1, -1)];
  }

  private warp(terms: WaveTerm[], x: number, y: number): number {
    let d = 0;
    for (const t of terms) d += t.amplitude * Math.sin(t.kx * x + t.ky * y + t.phase);
    return d;
  }

  lon(x: number, y: number): number {
    const wx = x + this.warp(this.warpX, x, y);
    return roundDegrees(ORIGIN_LON + wx / (METRES_PER_DEGREE * COS_ORIGIN));
  }

  lat(x: number, y: number): number {
    const wy = y + this.warp(this.warpY, x, y);
    return roundDegrees(ORIGIN_LAT + wy / METRES_PER_DEGREE);
  }

  position(x: number, y: number): Position {
    return [this.lon(x, y), this.lat(x, y)];
  }
}
