/**
 * mulberry32: a tiny, fast, seeded PRNG in [0, 1), so fixtures, fuzz inputs
 * and benchmark queries repeat exactly from run to run. The one copy shared
 * by tests and benchmarks (the demo city has its own forked streams).
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
