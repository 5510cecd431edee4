/**
 * The import report's list of what an OSM import left out: one entry per
 * reason, with a count and a few example ids, so a user can look up what was
 * dropped without the report growing with the file.
 */

/** How many example ids a skipped entry keeps. */
export const EXAMPLES = 5;

export interface SkippedEntry {
  reason: string;
  count: number;
  examples: string[];
}

/** Skipped features by reason, in the order the reasons first came up. */
export class SkippedFeatures {
  private readonly entries = new Map<string, SkippedEntry>();

  /** Counts `count` more of `reason`, keeping `example` if there is room and it is new. */
  add(reason: string, example: string, count = 1): void {
    let e = this.entries.get(reason);
    if (!e) {
      e = { reason, count: 0, examples: [] };
      this.entries.set(reason, e);
    }
    e.count += count;
    if (e.examples.length < EXAMPLES && !e.examples.includes(example)) e.examples.push(example);
  }

  list(): SkippedEntry[] {
    return [...this.entries.values()];
  }
}
