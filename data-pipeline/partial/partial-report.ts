/**
 * A partial update's report as the CLI prints it: the rows read, accepted
 * and refused; what is added, changed, moved (and how far) and removed,
 * each listed by its code and row; the households before and after; on a
 * dry run the city's coverage before and after. A dry run lists every
 * change; a real run lists the first few of each and counts the rest.
 */
import { gridTotalsSummary } from '../grid-totals-import.ts';
import { thousands } from '../progress.ts';
import type { CityCoverage, PartialReport } from './partial-update.ts';
import type { HouseholdTotals } from './stored-city.ts';

/** How many changes of each kind a real run lists (a dry run lists all). */
const LISTED = 10;

const pct = (share: number | null) => (share === null ? 'n/a' : `${(share * 100).toFixed(1)}%`);
const metres = (m: number) => (m >= 1000 ? `${(m / 1000).toFixed(2)} km` : `${m.toFixed(m < 10 ? 2 : 0)} m`);

function list<T>(lines: string[], items: readonly T[], limit: number, line: (item: T) => string): void {
  for (const item of items.slice(0, limit)) lines.push(`      ${line(item)}`);
  if (items.length > limit) lines.push(`      … and ${thousands(items.length - limit)} more`);
}

function households(t: HouseholdTotals): string {
  return `${thousands(t.households)} households${t.persons > 0 ? `, ${thousands(t.persons)} persons` : ''} in ${thousands(t.units)} units`;
}

function coverage(c: CityCoverage): string {
  return `${pct(c.share)} (${thousands(c.covered)} of ${thousands(c.households)} households within ${c.minutes} min)`;
}

export function formatPartialReport(r: PartialReport): string {
  const limit = r.dryRun ? Infinity : LISTED;
  const lines: string[] = [];
  const source = [r.sheet !== undefined ? `sheet "${r.sheet}"` : r.format, r.crs === 'wgs84' ? '' : `converted from ${r.crs}`].filter(Boolean).join(', ');
  lines.push(`${r.dryRun ? 'dry run (nothing written): ' : ''}${r.table} from ${r.file} (${source})`);
  lines.push(`  rows           ${thousands(r.rows.read)} read, ${thousands(r.rows.accepted)} accepted, ${thousands(r.rows.refused)} refused`);
  if (r.ignoredColumns.length > 0) lines.push(`  not read       columns ${r.ignoredColumns.map((c) => `"${c}"`).join(', ')} (not in the header dictionary)`);
  const c = r.centers;
  if (c) {
    const mode = c.mode === 'merge' ? 'merged by code' : 'replaced (the file has no code column)';
    lines.push(`  centers        ${mode}: ${thousands(c.before)} before, ${thousands(c.after)} after`);
    lines.push(`    added        ${thousands(c.added.length)}`);
    list(lines, c.added, limit, (a) => `${a.code ?? a.where} ${a.name} (${a.kind}) at ${a.lon.toFixed(6)}, ${a.lat.toFixed(6)}`);
    lines.push(`    moved        ${thousands(c.moved.length)}${c.moved.length ? `, by up to ${metres(Math.max(...c.moved.map((m) => m.movedM)))}` : ''}`);
    list(lines, c.moved, limit, (m) => `${m.code} ${m.name} (id ${m.id}) moved ${metres(m.movedM)}${m.fields.length > 1 ? `; also ${m.fields.filter((f) => f !== 'position').join(', ')}` : ''}`);
    lines.push(`    changed      ${thousands(c.changed.length)}`);
    list(lines, c.changed, limit, (u) => `${u.code} ${u.name} (id ${u.id}): ${u.fields.join(', ')}`);
    lines.push(`    removed      ${thousands(c.removed.length)}`);
    list(lines, c.removed, limit, (x) => `${x.code ?? `id ${x.id}`} ${x.name} (${x.kind})`);
    if (c.mode === 'merge') lines.push(`    unchanged    ${thousands(c.unchanged)}`);
    if (c.mode === 'merge' && c.before > 0 && c.moved.length + c.changed.length + c.unchanged === 0) {
      lines.push('    note: no row\'s code matches a stored center\'s, so every center is replaced; the stored codes look like ' +
        `${c.removed.slice(0, 3).map((x) => `"${x.code ?? `id ${x.id}`}"`).join(', ')}`);
    }
  }
  const g = r.grids;
  if (g) {
    const mode = g.mode === 'shapes' ? 'replaced by the file\'s polygons' : 'attributes updated by code';
    lines.push(`  grids          ${mode}: ${thousands(g.before)} before, ${thousands(g.after)} after`);
    if (g.mode === 'shapes') {
      lines.push(`    added        ${thousands(g.added.length)}`);
      list(lines, g.added, limit, (code) => code);
      lines.push(`    removed      ${thousands(g.removed.length)}`);
      list(lines, g.removed, limit, (code) => code);
    }
    lines.push(`    changed      ${thousands(g.changed.length)}`);
    list(lines, g.changed, limit, (x) => `${x.code}: ${x.fields.join(', ')}`);
    lines.push(`    unchanged    ${thousands(g.unchanged)}`);
    lines.push(`    units        ${thousands(g.unitsChanged)} household units ${g.mode === 'shapes' ? 'move to another grid' : 'take a new parent chain'}`);
  }
  // The grids whose total found neither buildings nor streets are named here, dry run or not.
  if (r.gridTotals) lines.push(...gridTotalsSummary(r.gridTotals));
  const h = r.households;
  const same = h.before.units === h.after.units && h.before.households === h.after.households && h.before.persons === h.after.persons;
  lines.push(`  households     before ${households(h.before)}`);
  lines.push(`                 after  ${same ? 'the same' : households(h.after)}`);
  if (r.coverage) {
    const d = r.coverage.after.covered - r.coverage.before.covered;
    lines.push(`  coverage       city, before ${coverage(r.coverage.before)}`);
    lines.push(`                 after  ${coverage(r.coverage.after)}; ${d >= 0 ? '+' : ''}${thousands(d)} households`);
  }
  if (r.unchanged) lines.push('  nothing to change: the file matches the stored data');
  else if (!r.dryRun && r.version) lines.push(`  data version   ${r.version} (announced to running servers)`);
  return lines.join('\n');
}
