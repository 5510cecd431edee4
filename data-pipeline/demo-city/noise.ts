/**
 * Smooth value noise in [0, 1]: varies densities, region costs and shapes so
 * that neighbourhoods and boundaries look organic rather than uniform. Pure
 * function of (seed, position): no state, no draws from a stream.
 */
import { hash2 } from './seeded-random.ts';

function smooth(t: number): number {
  return t * t * (3 - 2 * t);
}

/** Bilinear value noise on the integer lattice, smoothstep-interpolated. */
export function valueNoise(seed: number, gx: number, gy: number): number {
  const ix = Math.floor(gx);
  const iy = Math.floor(gy);
  const sx = smooth(gx - ix);
  const sy = smooth(gy - iy);
  const a = hash2(seed, ix, iy);
  const b = hash2(seed, ix + 1, iy);
  const c = hash2(seed, ix, iy + 1);
  const d = hash2(seed, ix + 1, iy + 1);
  const top = a + (b - a) * sx;
  const bottom = c + (d - c) * sx;
  return top + (bottom - top) * sy;
}

/** A few octaves of value noise with features about `scale` metres across. */
export class NoiseField {
  constructor(
    private readonly seed: number,
    private readonly scale: number,
    private readonly octaves = 2,
  ) {}

  at(x: number, y: number): number {
    let sum = 0;
    let norm = 0;
    let amp = 1;
    let scale = this.scale;
    for (let o = 0; o < this.octaves; o++) {
      sum += amp * valueNoise(this.seed + o * 1013, x / scale, y / scale);
      norm += amp;
      amp *= 0.5;
      scale *= 0.5;
    }
    return sum / norm;
  }
}
