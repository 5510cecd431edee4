/**
 * What a change to the data touched, as both sides say it: the importer and
 * the center store announce changes, the server's caches and derived state
 * (tile cache, routing graph, coverage) follow them. A change is as precise
 * as it can be: `replaced` (an import: everything), or a set of places per
 * layer (a center added, moved or removed; household coverage that changed),
 * so listeners drop only what is affected.
 */

/** [minLon, minLat, maxLon, maxLat] */
export type BBox = [number, number, number, number];

export type DataChange =
  | { type: 'replaced'; version: string }
  | {
      type: 'features';
      version: string;
      /** Tile layer ids whose features changed (e.g. 'centers', 'households', 'grids'). */
      layers: string[];
      /** Where they changed: old and new extents of every changed feature. */
      boxes: BBox[];
    };
