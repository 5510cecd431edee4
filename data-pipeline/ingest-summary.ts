/**
 * What `npm run ingest` prints after a full import: the counts of every
 * table, the side files' coordinate system, what was skipped, and the time
 * each stage took.
 */
import type { BackendKind } from '../kernel/db/database.ts';
import type { IngestOptions, IngestResult } from './ingest.ts';
import { thousands } from './progress.ts';
import { gridTotalsSummary } from './grid-totals-import.ts';

export function importSummary(result: IngestResult, backend: BackendKind, options: IngestOptions): string {
  const c = result.report.counts;
  const sideFiles = [options.grids && 'grids', options.centers && 'centers', options.households && 'households'].filter(Boolean);
  const lines = [
    `imported ${result.report.source} into ${backend} as data version ${result.write.version}`,
    `  walk network   ${thousands(c.networkNodes)} nodes, ${thousands(c.networkEdges)} edges (${c.stepsEdges} steps) from ${thousands(c.walkableWays)} walkable ways`,
    `  households     ${thousands(c.householdsTotal)} households in ${thousands(c.householdUnits)} units`,
    ...(result.report.gridTotals ? gridTotalsSummary(result.report.gridTotals) : []),
    `  centers        ${c.centers} (${Object.entries(c.centersByKind).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'})`,
    `  grids          ${c.grids} with ${c.officers} officers; ${c.communities} communities`,
    ...(result.crs === 'wgs84' || sideFiles.length === 0 ? [] : [`  coordinates    ${sideFiles.join(', ')} converted from ${result.crs} to wgs84`]),
    `  basemap        ${thousands(c.buildings)} buildings, ${c.water} water features`,
  ];
  if (result.report.skipped.length > 0) {
    lines.push('  skipped:');
    for (const s of result.report.skipped) {
      lines.push(`    ${thousands(s.count)} ${s.reason}${s.examples.length ? ` (e.g. ${s.examples.join(', ')})` : ''}`);
    }
  }
  const ms = result.ms;
  const secs = (n: number) => `${(n / 1000).toFixed(2)} s`;
  // The database opens while the file is read; only a wait beyond the read is shown.
  const open = ms.open >= 10 ? `, waiting for the database ${secs(ms.open)}` : '';
  lines.push(`  time           ${secs(ms.total)} (read ${secs(ms.read)}${open}, build ${secs(ms.build)}, write ${secs(ms.write)})`);
  return lines.join('\n');
}
