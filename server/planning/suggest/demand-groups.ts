/**
 * Demand units merged by the candidates that cover them: units covered by
 * exactly the same candidates are one group (weights added), and units of
 * weight 0 are left out. Every site set covers a group wholly or not at
 * all, so both the integer program (exact-ilp.ts) and the Lagrangian bound
 * (coverage-bound.ts) are the same problem on groups, with a third fewer
 * entries on the demo city.
 */
import type { CoverageSets } from './coverage-sets.ts';

export interface DemandGroups {
  count: number;
  weight: Float64Array;
  /** Per demand unit: its group, -1 when left out (weight 0). */
  groupOf: Int32Array;
  /** Candidate row r covers groups candidateGroups[candidateOffset[r] .. candidateOffset[r+1]). */
  candidateOffset: Uint32Array;
  candidateGroups: Uint32Array;
}

/** Groups the demand of `sets` (see the module header). */
export function groupDemand(sets: CoverageSets, weight: Float64Array): DemandGroups {
  const { demandOffset, demandCandidates, demandCount } = sets;
  const groupOf = new Int32Array(demandCount).fill(-1);
  const groupWeight: number[] = [];
  const representative: number[] = [];
  const byHash = new Map<number, number[]>();
  const sameCandidates = (a: number, b: number) => {
    const a0 = demandOffset[a]!;
    const b0 = demandOffset[b]!;
    const n = demandOffset[a + 1]! - a0;
    if (demandOffset[b + 1]! - b0 !== n) return false;
    for (let q = 0; q < n; q++) if (demandCandidates[a0 + q] !== demandCandidates[b0 + q]) return false;
    return true;
  };
  for (let d = 0; d < demandCount; d++) {
    const a = demandOffset[d]!;
    const b = demandOffset[d + 1]!;
    if (a === b || weight[d] === 0) continue;
    let h = 0x811c9dc5 ^ (b - a);
    for (let q = a; q < b; q++) h = Math.imul(h ^ demandCandidates[q]!, 0x01000193);
    const list = byHash.get(h);
    let g = list?.find((other) => sameCandidates(representative[other]!, d)) ?? -1;
    if (g < 0) {
      g = groupWeight.length;
      groupWeight.push(0);
      representative.push(d);
      if (list) list.push(g);
      else byHash.set(h, [g]);
    }
    groupOf[d] = g;
    groupWeight[g]! += weight[d]!;
  }

  // Candidate -> groups, each group once (a candidate covers all of a group's units or none).
  const count = groupWeight.length;
  const candidateOffset = new Uint32Array(sets.candidateCount + 1);
  const entries = new Uint32Array(sets.candidateDemands.length);
  const seen = new Int32Array(count).fill(-1);
  let n = 0;
  for (let c = 0; c < sets.candidateCount; c++) {
    for (let q = sets.candidateOffset[c]!, end = sets.candidateOffset[c + 1]!; q < end; q++) {
      const g = groupOf[sets.candidateDemands[q]!]!;
      if (g < 0 || seen[g] === c) continue;
      seen[g] = c;
      entries[n++] = g;
    }
    candidateOffset[c + 1] = n;
  }
  return { count, weight: Float64Array.from(groupWeight), groupOf, candidateOffset, candidateGroups: entries.slice(0, n) };
}
