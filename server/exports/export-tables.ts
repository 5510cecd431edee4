/**
 * The three exports as tables, each made from the route's own JSON answer
 * (so a CSV or xlsx can only say what the JSON says) with the words of
 * column-dictionaries.ts: the coverage per unit (GET /api/coverage), the
 * GB 50180 check per unit (GET /api/standard) and a scenario's comparison
 * with the live centers per life circle (GET /api/scenarios/{id}). Units
 * come in the answer's order, the total last where the answer has one.
 */
import {
  COVERAGE_EXPORT,
  headerOf,
  LEVEL_WORDS,
  SCENARIO_EXPORT,
  STANDARD_EXPORT,
  TOTAL_LABEL,
  wordsIn,
  type ColumnWords,
  type ExportLang,
} from './column-dictionaries.ts';
import type { ExportFileName } from './export-format.ts';
import type { Cell, Table, TableColumn, TableFormat } from './table.ts';

/** How the table is asked for. */
export interface TableRequest {
  format: TableFormat;
  lang: ExportLang;
  /** yyyy-mm-dd, the last part of the file name. */
  day: string;
}

/** An answer's object of figures, read by the dictionary's keys. */
type Row = object;
const field = (row: Row, key: string): unknown => (row as Record<string, unknown>)[key];

/** A JSON value as a cell: numbers and text as they are, anything else empty. */
function cell(value: unknown): Cell {
  return typeof value === 'number' || typeof value === 'string' ? value : null;
}

function columnsOf(words: readonly ColumnWords[], request: TableRequest, vars: Record<string, string | number> = {}): TableColumn[] {
  return words.map((w) => ({ header: headerOf(w, request.lang, request.format, vars), type: w.type }));
}

/** Both forms of a file name from its parts' words (the ASCII one is always the English). */
function fileName(parts: (Record<ExportLang, string> | string)[], lang: ExportLang): ExportFileName {
  const join = (l: ExportLang) => parts.map((p) => (typeof p === 'string' ? p : p[l])).join('-');
  return { ascii: join('en'), utf8: join(lang) };
}

const filled = (words: Record<ExportLang, string>, vars: Record<string, string | number>) => ({ zh: wordsIn(words, 'zh', vars), en: wordsIn(words, 'en', vars) });

/** The parts of GET /api/coverage's answer a table shows. */
export interface CoverageAnswer {
  level: string;
  minutes: number;
  kind: string | null;
  scenario: { id: number } | null;
  units: Row[];
  total: Row;
}

/** GET /api/coverage as a table: its columns (with a scenario's three more), a row per unit, the total last. */
export function coverageTable(answer: CoverageAnswer, request: TableRequest): { table: Table; fileName: ExportFileName } {
  const words = answer.scenario ? [...COVERAGE_EXPORT.columns, ...COVERAGE_EXPORT.scenarioColumns] : COVERAGE_EXPORT.columns;
  const rowOf = (figures: Row) => words.map((w) => cell(field(figures, w.key)));
  const rows = answer.units.map(rowOf);
  rows.push(rowOf({ ...answer.total, code: null, name: TOTAL_LABEL[request.lang] }));
  return {
    table: { sheet: COVERAGE_EXPORT.sheet[request.lang], columns: columnsOf(words, request, { minutes: answer.minutes }), rows },
    fileName: fileName(
      [
        COVERAGE_EXPORT.file,
        LEVEL_WORDS[answer.level] ?? answer.level,
        filled(COVERAGE_EXPORT.minutes, { minutes: answer.minutes }),
        ...(answer.kind ? [answer.kind] : []),
        ...(answer.scenario ? [filled(COVERAGE_EXPORT.scenario, { id: answer.scenario.id })] : []),
        request.day,
      ],
      request.lang,
    ),
  };
}

/** The parts of GET /api/standard's answer a table shows. */
export interface StandardAnswer {
  level: string;
  tiers: { minutes: number; kinds: { kind: string; name: string; name_zh: string }[] }[];
  units: ({ code: string | null; name: string } & StandardFigures)[];
  total: StandardFigures;
}

interface StandardFigures {
  households: number;
  tiers: { minutes: number; met: number; share: number | null; kinds: { kind: string; met: number; share: number | null }[] }[];
  all_tiers: { met: number; share: number | null };
}

/** GET /api/standard as a table: per tier its met households and share, then each of its kinds'; every tier last; the total row last. */
export function standardTable(answer: StandardAnswer, request: TableRequest): { table: Table; fileName: ExportFileName } {
  const columns = columnsOf(STANDARD_EXPORT.lead, request);
  for (const tier of answer.tiers) {
    columns.push(...columnsOf(STANDARD_EXPORT.tier, request, { minutes: tier.minutes }));
    for (const kind of tier.kinds) columns.push(...columnsOf(STANDARD_EXPORT.kind, request, { minutes: tier.minutes, kind: request.lang === 'zh' ? kind.name_zh : kind.name }));
  }
  columns.push(...columnsOf(STANDARD_EXPORT.all, request));
  const rowOf = (code: string | null, name: string, figures: StandardFigures): Cell[] => {
    const row: Cell[] = [code, name, figures.households];
    for (const tier of answer.tiers) {
      const own = figures.tiers.find((t) => t.minutes === tier.minutes);
      row.push(cell(own?.met), cell(own?.share));
      for (const kind of tier.kinds) {
        const k = own?.kinds.find((x) => x.kind === kind.kind);
        row.push(cell(k?.met), cell(k?.share));
      }
    }
    row.push(cell(figures.all_tiers.met), cell(figures.all_tiers.share));
    return row;
  };
  const rows = answer.units.map((u) => rowOf(u.code, u.name, u));
  rows.push(rowOf(null, TOTAL_LABEL[request.lang], answer.total));
  return {
    table: { sheet: STANDARD_EXPORT.sheet[request.lang], columns, rows },
    fileName: fileName([STANDARD_EXPORT.file, LEVEL_WORDS[answer.level] ?? answer.level, request.day], request.lang),
  };
}

/** The parts of GET /api/scenarios/{id}'s answer a table shows. */
export interface ScenarioAnswer {
  id: number;
  summary: { circles: Row[] };
}

/** A scenario's comparison with the live centers as a table: one row per life circle of its summary. */
export function scenarioTable(answer: ScenarioAnswer, request: TableRequest): { table: Table; fileName: ExportFileName } {
  const words = SCENARIO_EXPORT.columns;
  return {
    table: { sheet: SCENARIO_EXPORT.sheet[request.lang], columns: columnsOf(words, request), rows: answer.summary.circles.map((c) => words.map((w) => cell(field(c, w.key)))) },
    fileName: fileName([filled(SCENARIO_EXPORT.file, { id: answer.id }), request.day], request.lang),
  };
}
