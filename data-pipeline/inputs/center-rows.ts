/**
 * Centers from a table (CSV, sheet or GeoJSON; table-file.ts): every row
 * checked (name, a known kind, a position inside the city, a code used
 * once), every problem recorded with its row and column. When the table has
 * a code column ("编码/code", or "id"), every row needs one: the update
 * matches stored centers by it.
 */
import type { ToWgs84 } from './chinese-crs.ts';
import type { KindResolver } from './center-kinds.ts';
import type { RowCounts, RowProblem } from './row-problems.ts';
import { refusedRows } from './row-problems.ts';
import { flaggedRows, RowReader, type CityBounds } from './row-values.ts';
import { lacksRequired, type Table } from './table-file.ts';

export interface CenterInput {
  /** Where the row is (for reports). */
  where: string;
  /** The stable code (source_id) when the table has a code column; null otherwise. */
  code: string | null;
  name: string;
  kind: string;
  /** Undefined when the table has no services column: a merge then keeps the stored ones. */
  services?: string[];
  lon: number;
  lat: number;
}

export interface CheckedCenters {
  centers: CenterInput[];
  /** Whether the table has a code column (merge by code) or not (replace). */
  byCode: boolean;
  problems: RowProblem[];
  counts: RowCounts;
}

/** Services as a list: separated by |, ; or , (ASCII or Chinese 、，；). */
export function splitServices(value: string | undefined): string[] {
  if (!value) return [];
  return value.split(/[|;,、，；]/).map((s) => s.trim()).filter(Boolean);
}

/**
 * Checks every row. `codeRequired` (default true): with a code column, a row
 * without a code is refused (a partial update matches by it); a full import
 * names such a row by where it is instead.
 */
export function checkCenterRows(
  table: Table,
  options: { toWgs84: ToWgs84; kinds: KindResolver; bounds?: CityBounds; codeRequired?: boolean },
): CheckedCenters {
  const problems: RowProblem[] = [...table.problems];
  const flagged = flaggedRows(table.problems);
  const byCode = table.fields.has('code');
  const centers: CenterInput[] = [];
  const firstOf = new Map<string, string>();
  // A missing column is one problem, not one per row.
  if (lacksRequired(table, 'centers')) return { centers, byCode, problems, counts: { read: table.rows.length, accepted: 0, refused: 0 } };
  for (const row of table.rows) {
    if (flagged.has(row.where)) continue;
    const r = new RowReader(row, problems);
    const code = !byCode
      ? null
      : options.codeRequired === false
        ? (r.text('code') ?? null)
        : (r.requiredText('code', ': every row needs one when the file has a code column (centers are matched by it)') ?? null);
    if (code !== null) {
      const first = firstOf.get(code);
      if (first !== undefined) r.fail('code', `${r.label('code')} "${code}" is a duplicate: already on ${first}`);
      else firstOf.set(code, row.where);
    }
    const name = r.requiredText('name');
    const kindText = r.requiredText('kind');
    const kind = kindText === undefined ? undefined : options.kinds.kindOf(kindText);
    if (kindText !== undefined && kind === undefined) {
      r.fail('kind', `${r.label('kind')} "${kindText}" is not a known center kind; known: ${options.kinds.accepted()}`);
    }
    const position = r.position(options.toWgs84, options.bounds);
    if (!r.ok || !name || !kind || !position) continue;
    centers.push({ where: row.where, code, name, kind, services: table.fields.has('services') ? splitServices(r.text('services')) : undefined, lon: position[0], lat: position[1] });
  }
  const refused = refusedRows(problems);
  return { centers, byCode, problems, counts: { read: table.rows.length, accepted: centers.length, refused } };
}
