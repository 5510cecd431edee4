/**
 * An input table, whatever its format: a CSV (UTF-8, or GB18030 as Chinese
 * Excel saves "CSV"), a sheet of an .xlsx workbook, or the Point features of
 * a GeoJSON, read into rows of cells keyed by field through the one header
 * dictionary (column-names.ts). Each row keeps where it is in its file, so
 * the validators (center-rows.ts, household-rows.ts, grid-attribute-rows.ts)
 * name it in their problems. Reading never stops at a bad row: problems of
 * the file itself (a missing column, an unknown sheet) come back in
 * `problems`, and the rows are checked by the validators.
 */
import { readFileSync } from 'node:fs';
import type { Position } from '../../kernel/import-bundle.ts';
import type { ToWgs84 } from './chinese-crs.ts';
import { COLUMN_NAMES, fieldLabel, fieldOfHeader, TABLE_FIELDS, type Field, type TableKind } from './column-names.ts';
import { parseCsvRecords } from './csv.ts';
import { featurePoint, type CheckedFeature } from './geojson.ts';
import { InputError } from './input-error.ts';
import { fileProblem, type RowPlace, type RowProblem } from './row-problems.ts';
import { columnLetter, readSheet, type CellValue } from './xlsx-sheet.ts';

export interface TableCell {
  value: CellValue;
  /** The column's header as the file writes it. */
  header: string;
  /** The column's letter (workbooks). */
  letter?: string;
}

export interface TableRow extends RowPlace {
  cells: Partial<Record<Field, TableCell>>;
  /** A GeoJSON feature's position, already in WGS84 (its lon/lat cells are then absent). */
  point?: Position;
}

export interface Table {
  format: 'csv' | 'xlsx' | 'geojson';
  /** The sheet read (workbooks). */
  sheet?: string;
  /** Fields some column (or property) gives. */
  fields: ReadonlySet<Field>;
  /** Headers the dictionary does not know for this table: not read, listed in the summary. */
  ignored: string[];
  rows: TableRow[];
  /** Problems of the file as a whole; rows are checked by the validators. */
  problems: RowProblem[];
}

/** How many leading rows may come before the header (a title row, a note). */
const HEADER_SEARCH_ROWS = 10;

/** CSV bytes as text: UTF-8 when they are valid UTF-8, else GB18030 (what Chinese Excel writes for "CSV"). */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

const tableFields = (kind: TableKind): readonly Field[] => [...TABLE_FIELDS[kind].required, ...TABLE_FIELDS[kind].optional];

interface RawRow {
  row: number;
  values: CellValue[];
}

/** Rows of a CSV or sheet into a table: finds the header, maps its columns, keys each row's cells by field. */
function fromGrid(kind: TableKind, raw: RawRow[], format: 'csv' | 'xlsx', sheet: string | undefined): Table {
  const allowed = new Set(tableFields(kind));
  const required = TABLE_FIELDS[kind].required as readonly Field[];
  const place = (row: number) => (sheet === undefined ? `line ${row}` : `sheet "${sheet}" row ${row}`);
  const table: Table = { format, sheet, fields: new Set(), ignored: [], rows: [], problems: [] };
  if (raw.length === 0) {
    table.problems.push(fileProblem('is empty: expected a header row'));
    return table;
  }
  const fieldsOf = (values: CellValue[]) => values.map((v) => (v === null ? undefined : fieldOfHeader(String(v))));
  // The header is the first row naming every required field; else the first row (and the missing ones are reported).
  let h = raw.slice(0, HEADER_SEARCH_ROWS).findIndex((r) => required.every((f) => fieldsOf(r.values).includes(f)));
  if (h < 0) h = 0;
  const header = raw[h]!.values;
  const columns: (Field | undefined)[] = [];
  const seen = new Map<Field, string>();
  header.forEach((cell, c) => {
    if (cell === null) return;
    const text = String(cell).trim();
    const field = fieldOfHeader(text);
    if (!field || !allowed.has(field)) {
      table.ignored.push(text);
      return;
    }
    const other = seen.get(field);
    if (other !== undefined) {
      table.problems.push({ ...(sheet === undefined ? {} : { sheet }), row: 0, where: `${place(raw[h]!.row)} (the header)`, problem: `columns "${other}" and "${text}" both name ${fieldLabel(field)}` });
      return;
    }
    seen.set(field, text);
    columns[c] = field;
  });
  table.fields = new Set(seen.keys());
  for (const field of required) {
    if (!seen.has(field)) {
      const names = [...COLUMN_NAMES[field].zh, ...COLUMN_NAMES[field].en].map((n) => `"${n}"`).join(', ');
      table.problems.push(fileProblem(`has no column for ${fieldLabel(field)} (headers read: ${header.filter((v) => v !== null).map((v) => `"${v}"`).join(', ')}; accepted for it: ${names})`));
    }
  }
  for (const r of raw.slice(h + 1)) {
    const row: TableRow = { ...(sheet === undefined ? {} : { sheet }), row: r.row, where: place(r.row), cells: {} };
    if (format === 'csv' && r.values.length > header.length) {
      table.problems.push({ ...row, problem: `has ${r.values.length} fields, the header has ${header.length}` });
    }
    columns.forEach((field, c) => {
      if (!field) return;
      const value = r.values[c] ?? null;
      row.cells[field] = { value, header: seen.get(field)!, ...(format === 'xlsx' ? { letter: columnLetter(c) } : {}) };
    });
    table.rows.push(row);
  }
  return table;
}

function readCsvTable(file: string, kind: TableKind): Table {
  let text: string;
  try {
    text = decodeCsv(readFileSync(file));
  } catch {
    return { format: 'csv', fields: new Set(), ignored: [], rows: [], problems: [fileProblem('not found or unreadable')] };
  }
  let records;
  try {
    records = parseCsvRecords(text, file);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { format: 'csv', fields: new Set(), ignored: [], rows: [], problems: [{ row: 0, where: error.where, problem: error.problem }] };
  }
  const raw = records.map((r) => ({ row: r.line, values: r.fields.map((f) => (f.trim() === '' ? null : f.trim())) }));
  return fromGrid(kind, raw, 'csv', undefined);
}

/** Point features (or building footprints, by their vertex mean) with their properties through the dictionary. */
function readGeojsonTable(file: string, kind: TableKind, toWgs84: ToWgs84): Table {
  const table: Table = { format: 'geojson', fields: new Set(), ignored: [], rows: [], problems: [] };
  let doc: { type?: unknown; features?: unknown };
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    table.problems.push(code === 'ENOENT' ? fileProblem('not found') : { row: 0, where: 'JSON', problem: (error as Error).message });
    return table;
  }
  if (doc?.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    table.problems.push({ row: 0, where: 'top level', problem: 'expected a GeoJSON FeatureCollection with a "features" array' });
    return table;
  }
  const allowed = new Set(tableFields(kind));
  const fields = new Set<Field>(['lon', 'lat']);
  const ignored = new Set<string>();
  doc.features.forEach((f: unknown, i: number) => {
    const feature = f as { type?: unknown; id?: unknown; properties?: unknown; geometry?: { type?: unknown; coordinates?: unknown } | null };
    const where = feature && feature.id !== undefined ? `feature ${i} (id ${String(feature.id)})` : `feature ${i}`;
    const row: TableRow = { row: i + 1, where, cells: {} };
    table.rows.push(row);
    if (!feature || feature.type !== 'Feature') return table.problems.push({ ...row, problem: 'is not a GeoJSON Feature' });
    const properties = (feature.properties && typeof feature.properties === 'object' ? feature.properties : {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(properties)) {
      const field = fieldOfHeader(key);
      if (!field || !allowed.has(field) || field === 'lon' || field === 'lat') {
        ignored.add(key);
        continue;
      }
      fields.add(field);
      const cell = value === null || value === undefined ? null : typeof value === 'number' ? value : Array.isArray(value) ? value.join('|') : String(value);
      row.cells[field] = { value: cell, header: key };
    }
    const geometry = feature.geometry;
    if (!geometry || typeof geometry.type !== 'string' || !Array.isArray(geometry.coordinates)) {
      return table.problems.push({ ...row, problem: 'has no geometry with coordinates' });
    }
    try {
      row.point = featurePoint({ where, properties, geometry: geometry as CheckedFeature['geometry'] }, file, toWgs84);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      table.problems.push({ ...row, problem: error.problem });
    }
  });
  table.fields = fields;
  table.ignored = [...ignored];
  for (const field of TABLE_FIELDS[kind].required as readonly Field[]) {
    if (!fields.has(field) && table.rows.length > 0) {
      const names = [...COLUMN_NAMES[field].zh, ...COLUMN_NAMES[field].en].map((n) => `"${n}"`).join(', ');
      table.problems.push(fileProblem(`no feature has a property for ${fieldLabel(field)} (accepted for it: ${names})`));
    }
  }
  return table;
}

/**
 * Reads `file` as a table of `kind`: .xlsx (the first sheet, or `sheet`),
 * .geojson/.json, else CSV. `toWgs84` converts GeoJSON geometries here; the
 * lon/lat cells of CSV and sheets are converted by the validators.
 */
export async function readTable(file: string, kind: TableKind, options: { sheet?: string; toWgs84?: ToWgs84 } = {}): Promise<Table> {
  if (/\.xlsx?$/i.test(file)) {
    const { sheet, problems } = await readSheet(file, options.sheet);
    if (!sheet) return { format: 'xlsx', fields: new Set(), ignored: [], rows: [], problems };
    return fromGrid(kind, sheet.rows, 'xlsx', sheet.name);
  }
  if (options.sheet !== undefined) {
    return { format: 'csv', fields: new Set(), ignored: [], rows: [], problems: [fileProblem('--sheet names a sheet of an .xlsx workbook; this file is not one')] };
  }
  if (/\.(geo)?json$/i.test(file)) return readGeojsonTable(file, kind, options.toWgs84 ?? ((lon, lat) => [lon, lat]));
  return readCsvTable(file, kind);
}

/** True when the table lacks a column its kind needs (reported in its problems): its rows are then not checked one by one. */
export function lacksRequired(table: Table, kind: TableKind): boolean {
  return (TABLE_FIELDS[kind].required as readonly Field[]).some((f) => !table.fields.has(f));
}
