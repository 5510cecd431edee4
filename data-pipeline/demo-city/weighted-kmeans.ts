/**
 * Weighted k-means (k-means++ start, a few Lloyd rounds) over points given by
 * index: splits a street's or a community's households into communities or
 * grids of similar size around where people actually live.
 */
import type { SeededRandom } from './seeded-random.ts';

const MAX_FIT_POINTS = 2500;

export interface Clusters {
  cx: Float64Array;
  cy: Float64Array;
}

export function weightedKMeans(
  xs: Float64Array,
  ys: Float64Array,
  weights: ArrayLike<number>,
  allMembers: readonly number[],
  k: number,
  rng: SeededRandom,
  rounds = 6,
): Clusters {
  const cx = new Float64Array(k);
  const cy = new Float64Array(k);
  let members = allMembers;
  if (members.length === 0) return { cx, cy };
  // Large sets are fitted on an evenly strided sample (deterministic):
  // centres move little, the cost stays linear in the sample.
  if (members.length > MAX_FIT_POINTS) {
    const stride = Math.ceil(members.length / MAX_FIT_POINTS);
    members = members.filter((_, i) => i % stride === 0);
  }
  const m = members.length;
  // k-means++: each next centre drawn by weight x squared distance.
  const d2 = new Float64Array(m).fill(Infinity);
  let total = 0;
  for (const i of members) total += weights[i];
  let r = rng.next() * total;
  let first = members[m - 1];
  for (const i of members) {
    r -= weights[i];
    if (r < 0) {
      first = i;
      break;
    }
  }
  cx[0] = xs[first];
  cy[0] = ys[first];
  for (let c = 1; c < k; c++) {
    let sum = 0;
    for (let a = 0; a < m; a++) {
      const i = members[a];
      const dx = xs[i] - cx[c - 1];
      const dy = ys[i] - cy[c - 1];
      const d = dx * dx + dy * dy;
      if (d < d2[a]) d2[a] = d;
      sum += d2[a] * weights[i];
    }
    let pickAt = members[rng.int(m)];
    if (sum > 0) {
      let t = rng.next() * sum;
      for (let a = 0; a < m; a++) {
        t -= d2[a] * weights[members[a]];
        if (t < 0) {
          pickAt = members[a];
          break;
        }
      }
    }
    cx[c] = xs[pickAt];
    cy[c] = ys[pickAt];
  }
  const sx = new Float64Array(k);
  const sy = new Float64Array(k);
  const sw = new Float64Array(k);
  for (let round = 0; round < rounds; round++) {
    sx.fill(0);
    sy.fill(0);
    sw.fill(0);
    for (const i of members) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const dx = xs[i] - cx[c];
        const dy = ys[i] - cy[c];
        const d = dx * dx + dy * dy;
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      sx[best] += xs[i] * weights[i];
      sy[best] += ys[i] * weights[i];
      sw[best] += weights[i];
    }
    for (let c = 0; c < k; c++) {
      if (sw[c] > 0) {
        cx[c] = sx[c] / sw[c];
        cy[c] = sy[c] / sw[c];
      }
    }
  }
  return { cx, cy };
}

/** The member nearest to (x, y). */
export function nearestMember(xs: Float64Array, ys: Float64Array, members: readonly number[], x: number, y: number): number {
  let best = -1;
  let bestD = Infinity;
  for (const i of members) {
    const dx = xs[i] - x;
    const dy = ys[i] - y;
    const d = dx * dx + dy * dy;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}
