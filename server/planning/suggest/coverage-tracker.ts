/**
 * The state of a set of chosen sites over the coverage sets, kept up to date
 * site by site: how many chosen sites cover each demand unit, the covered
 * weight, and every candidate's gain (the weight of the still uncovered
 * units in its set). Adding or removing a site touches only the units of its
 * set, and, through the transpose, the candidates of the units whose
 * coverage flips; so a whole greedy run costs at most the sets' size twice,
 * and a swap is priced without a search (greedy-swap.ts).
 *
 * Weights are whole numbers (households or persons), so every sum here is
 * exact in float64 and ties are real ties, broken by candidate index.
 */
import type { CoverageSets } from './coverage-sets.ts';

export class CoverageTracker {
  /** Chosen sites covering each demand unit. */
  readonly coverCount: Uint16Array;
  /** Per candidate row: weight of the uncovered demand units in its set. */
  readonly gain: Float64Array;
  /** 1 for chosen rows. */
  readonly chosen: Uint8Array;
  /** Weight of the demand units covered by the chosen sites. */
  value = 0;

  constructor(
    readonly sets: CoverageSets,
    readonly weight: Float64Array,
  ) {
    this.coverCount = new Uint16Array(sets.demandCount);
    this.chosen = new Uint8Array(sets.candidateCount);
    this.gain = new Float64Array(sets.candidateCount);
    const { candidateOffset, candidateDemands } = sets;
    for (let c = 0; c < sets.candidateCount; c++) {
      let g = 0;
      for (let k = candidateOffset[c]!, end = candidateOffset[c + 1]!; k < end; k++) g += weight[candidateDemands[k]!]!;
      this.gain[c] = g;
    }
  }

  /** Adds row c to the chosen sites (it must not be chosen). */
  add(c: number): void {
    const { candidateOffset, candidateDemands, demandOffset, demandCandidates } = this.sets;
    const { coverCount, gain, weight } = this;
    this.chosen[c] = 1;
    for (let k = candidateOffset[c]!, end = candidateOffset[c + 1]!; k < end; k++) {
      const d = candidateDemands[k]!;
      if (coverCount[d]!++ !== 0) continue;
      const w = weight[d]!;
      this.value += w;
      for (let q = demandOffset[d]!, stop = demandOffset[d + 1]!; q < stop; q++) gain[demandCandidates[q]!]! -= w;
    }
  }

  /** Removes row c from the chosen sites (it must be chosen). */
  remove(c: number): void {
    const { candidateOffset, candidateDemands, demandOffset, demandCandidates } = this.sets;
    const { coverCount, gain, weight } = this;
    this.chosen[c] = 0;
    for (let k = candidateOffset[c]!, end = candidateOffset[c + 1]!; k < end; k++) {
      const d = candidateDemands[k]!;
      if (--coverCount[d]! !== 0) continue;
      const w = weight[d]!;
      this.value -= w;
      for (let q = demandOffset[d]!, stop = demandOffset[d + 1]!; q < stop; q++) gain[demandCandidates[q]!]! += w;
    }
  }

  /** The weight only row c covers among the chosen (lost if c were removed). */
  loss(c: number): number {
    const { candidateOffset, candidateDemands } = this.sets;
    let lost = 0;
    for (let k = candidateOffset[c]!, end = candidateOffset[c + 1]!; k < end; k++) {
      const d = candidateDemands[k]!;
      if (this.coverCount[d] === 1) lost += this.weight[d]!;
    }
    return lost;
  }

  /** The unchosen row with the largest gain (lowest index on ties), -1 when every gain is 0. */
  bestAddition(): number {
    let best = -1;
    let bestGain = 0;
    const { gain, chosen } = this;
    for (let c = 0; c < gain.length; c++) {
      if (gain[c]! > bestGain && chosen[c] === 0) {
        best = c;
        bestGain = gain[c]!;
      }
    }
    return best;
  }
}

/** Covered weight of a site set (rows), from scratch. */
export function coveredWeight(sets: CoverageSets, weight: Float64Array, rows: ArrayLike<number>): number {
  const seen = new Uint8Array(sets.demandCount);
  let value = 0;
  for (let r = 0; r < rows.length; r++) {
    const c = rows[r]!;
    for (let k = sets.candidateOffset[c]!, end = sets.candidateOffset[c + 1]!; k < end; k++) {
      const d = sets.candidateDemands[k]!;
      if (seen[d] === 0) {
        seen[d] = 1;
        value += weight[d]!;
      }
    }
  }
  return value;
}
