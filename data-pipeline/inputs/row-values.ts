/**
 * Reading one table row's cells as the values an input needs (text, whole
 * counts, a position in WGS84 inside the city), recording a problem that
 * names the row and column for every cell that is not, and carrying on: the
 * validators check every row and report them all.
 */
import type { Position } from '../../kernel/import-bundle.ts';
import type { ToWgs84 } from './chinese-crs.ts';
import type { Field } from './column-names.ts';
import type { RowProblem } from './row-problems.ts';
import type { TableCell, TableRow } from './table-file.ts';

/** [minLon, minLat, maxLon, maxLat] in WGS84. */
export type Bounds = readonly [number, number, number, number];

/** Where points may be: the city's extent, and how it reads in messages. */
export interface CityBounds {
  box: Bounds;
  /** "its walk network, with 500 m around": what the box is. */
  what: string;
}

const show = (v: unknown) => JSON.stringify(v);

/** A number written in a cell: digits in any width, thousands separators allowed ("1,234"). */
function parseNumber(value: string | number): number {
  if (typeof value === 'number') return value;
  const s = value.normalize('NFKC').trim();
  const plain = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s) ? s.replace(/,/g, '') : s;
  return plain === '' ? NaN : Number(plain);
}

export class RowReader {
  private readonly start: number;
  /** Reads `row`, adding its problems to `problems`. */
  constructor(
    readonly row: TableRow,
    private readonly problems: RowProblem[],
  ) {
    this.start = problems.length;
  }

  /** True while this row has no problem. */
  get ok(): boolean {
    return this.problems.length === this.start;
  }

  cell(field: Field): TableCell | undefined {
    return this.row.cells[field];
  }

  /** Records a problem on this row, at `field`'s column when given. */
  fail(field: Field | undefined, problem: string): void {
    const cell = field && this.cell(field);
    const { sheet, row, where } = this.row;
    this.problems.push({ sheet, row, where, ...(cell ? { column: cell.header, columnLetter: cell.letter } : {}), problem });
  }

  /** The column's header in quotes, for messages. */
  label(field: Field): string {
    return `"${this.cell(field)?.header ?? field}"`;
  }

  /** The cell as trimmed text; undefined when empty or absent. */
  text(field: Field): string | undefined {
    const v = this.cell(field)?.value;
    if (v === null || v === undefined) return undefined;
    const s = String(v).trim();
    return s === '' ? undefined : s;
  }

  /** Text that must be there. */
  requiredText(field: Field, why = ''): string | undefined {
    const s = this.text(field);
    if (s === undefined) this.fail(field, `${this.label(field)} is missing${why}`);
    return s;
  }

  /** A whole count >= 0; -1 when optional and empty. */
  count(field: Field, required: boolean): number {
    const v = this.cell(field)?.value;
    if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) {
      if (required) this.fail(field, `${this.label(field)} is missing`);
      return -1;
    }
    const n = parseNumber(v);
    if (!Number.isInteger(n) || n < 0 || n > 2_147_483_647) {
      this.fail(field, `${this.label(field)} must be a whole number >= 0, got ${show(v)}`);
      return -1;
    }
    return n;
  }

  /** A coordinate in degrees, or undefined (recorded) when missing, not a number or out of range. */
  private degrees(field: 'lon' | 'lat'): number | undefined {
    const v = this.cell(field)?.value;
    if (v === null || v === undefined) {
      this.fail(field, `${this.label(field)} is missing`);
      return undefined;
    }
    const n = parseNumber(v);
    const limit = field === 'lon' ? 180 : 90;
    if (!Number.isFinite(n)) this.fail(field, `${this.label(field)} is not a number: ${show(v)}`);
    else if (Math.abs(n) > limit) this.fail(field, `${this.label(field)} ${n} is not a ${field === 'lon' ? 'longitude' : 'latitude'} in degrees (-${limit} to ${limit})`);
    else return n;
    return undefined;
  }

  /**
   * The row's position in WGS84: a GeoJSON feature's, or its lon/lat cells
   * converted from the file's system; inside `bounds` when given.
   */
  position(toWgs84: ToWgs84, bounds?: CityBounds): Position | undefined {
    let p = this.row.point;
    if (!p) {
      const lon = this.degrees('lon');
      const lat = this.degrees('lat');
      if (lon === undefined || lat === undefined) return undefined;
      p = toWgs84(lon, lat);
    }
    if (bounds) {
      const [x0, y0, x1, y1] = bounds.box;
      const [lon, lat] = p;
      if (lon < x0 || lon > x1 || lat < y0 || lat > y1) {
        const field = lon < x0 || lon > x1 ? 'lon' : 'lat';
        const box = `lon ${x0.toFixed(4)} to ${x1.toFixed(4)}, lat ${y0.toFixed(4)} to ${y1.toFixed(4)}`;
        const which = this.row.point ? 'the point' : `${this.label(field)}: the point`;
        this.fail(field, `${which} (${lon.toFixed(6)}, ${lat.toFixed(6)}) is outside the city: ${bounds.what} covers ${box}`);
        return undefined;
      }
    }
    return p;
  }
}

/**
 * The rows (by `where`) the table reader found a problem on (a feature
 * without a usable geometry, a CSV line with too many fields): reported
 * already, and not checked further (their cells may not be what they seem).
 */
export function flaggedRows(problems: readonly RowProblem[]): Set<string> {
  return new Set(problems.filter((p) => p.row > 0).map((p) => p.where));
}
