/**
 * OSM file -> ImportBundle in ONE streaming pass: readOsm (PBF or XML) feeds
 * the collector, which keeps what the bundle needs and then runs the
 * separable steps, each also usable with data from elsewhere (the ingest
 * CLI's --households / --centers / --grids):
 *   network      NetworkBuilder.build (network-builder.ts)
 *   rows         buildings, water, center ways (feature-rows.ts)
 *   households   estimateHouseholds (household-estimate.ts) from buildings
 *   centers      centerKind / centerRow (osm-centers.ts)
 *   grids        assignGrids (grid-generator.ts) over the household units
 *   admin chain  adminChain (admin-chain.ts): city, communities from place nodes
 * Everything it left out is counted in the report's `skipped` list.
 */
import { basename } from 'node:path';
import type { OsmImport } from './assemble-bundle.ts';
import { createOsmCollector } from './osm-collector.ts';
import type { ReadProgress } from './osm-elements.ts';
import { readOsm } from './read-osm.ts';

/** A readable city name from a file name: "monaco.osm.pbf" -> "Monaco". */
export function cityFromFile(file: string): string {
  const base = basename(file).replace(/\.(osm\.pbf|pbf|osm|xml)$/i, '').replace(/[-_]+/g, ' ').trim();
  return base ? base.charAt(0).toUpperCase() + base.slice(1) : 'City';
}

/** Reads an OSM PBF or XML file in one pass and builds the import bundle with its report. */
export async function osmToBundle(
  file: string,
  options: { city?: string; onProgress?: (p: ReadProgress) => void; signal?: AbortSignal } = {},
): Promise<OsmImport> {
  const t0 = performance.now();
  const collector = createOsmCollector();
  await readOsm(file, collector.handler, { onProgress: options.onProgress, signal: options.signal });
  const t1 = performance.now();
  options.signal?.throwIfAborted();
  const result = collector.finish({ city: options.city ?? cityFromFile(file), source: `osm:${basename(file)}` });
  const t2 = performance.now();
  result.report.ms = { read: t1 - t0, build: t2 - t1, total: t2 - t0 };
  return result;
}
