/**
 * Household unit row ids to their index in HouseholdData, made once per
 * loaded data (a feature row of a tile names its unit by id; evaluations
 * are indexed by position). Each caller keeps its own memo.
 */
import type { HouseholdData } from './coverage-data.ts';

/** A memoised lookup: households -> (row id -> index), built on first use for each HouseholdData. */
export function unitIndexMemo(): (households: HouseholdData) => Map<number, number> {
  const indexes = new WeakMap<HouseholdData, Map<number, number>>();
  return (households) => {
    let index = indexes.get(households);
    if (!index) {
      index = new Map();
      for (let i = 0; i < households.count; i++) index.set(households.id[i]!, i);
      indexes.set(households, index);
    }
    return index;
  };
}
