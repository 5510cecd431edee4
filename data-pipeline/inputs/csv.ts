/**
 * A small RFC 4180 CSV parser (quotes, escaped quotes, CRLF), enough for the
 * center and household tables planners export from spreadsheets. Rows come
 * back with their 1-based line number so errors can point at them.
 */
import { readFileSync } from 'node:fs';
import { InputError } from './input-error.ts';

export interface CsvRecord {
  line: number;
  fields: string[];
}

export interface CsvRow {
  line: number;
  values: Record<string, string>;
}

/** The records of a CSV text with the line each starts on (1-based); blank lines are skipped. */
export function parseCsvRecords(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // spreadsheet BOM
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.length > 1 || fields[0] !== '') records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      line++;
      recordLine = line;
    } else field += ch;
  }
  if (quoted) throw new InputError(file, `line ${recordLine}`, 'unterminated quoted field');
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  return records;
}

export function parseCsv(text: string, file: string): CsvRow[] {
  const records = parseCsvRecords(text, file);
  if (records.length === 0) throw new InputError(file, 'line 1', 'empty file: expected a header row');
  const header = records[0]!.fields.map((h) => h.trim().toLowerCase());
  return records.slice(1).map(({ line: l, fields: f }) => {
    if (f.length !== header.length) {
      throw new InputError(file, `line ${l}`, `has ${f.length} fields, the header has ${header.length}`);
    }
    const values: Record<string, string> = {};
    header.forEach((h, i) => (values[h] = f[i]!.trim()));
    return { line: l, values };
  });
}

/** Reads and parses a CSV file; a file that cannot be read is an InputError like bad content. */
export function readCsvFile(file: string): CsvRow[] {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(file, 'file', 'not found or unreadable');
  }
  return parseCsv(content, file);
}
