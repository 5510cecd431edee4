/**
 * Content negotiation for the table exports: the `format` and `lang` query
 * parameters a route adds to its schema, the 200's content in the OpenAPI
 * document (JSON, CSV, xlsx), and the answer in the asked-for format as a
 * download (Content-Disposition with an ASCII file name for old clients and
 * the UTF-8 one, RFC 6266 and RFC 8187). The format is a query parameter,
 * not an Accept header, so an export is a plain link a planner can share or
 * bookmark; JSON stays the default and is unchanged.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { oneOf } from '../http/schema-rules.ts';
import { EXPORT_LANGS, type ExportLang } from './column-dictionaries.ts';
import { csvBytes } from './csv-writer.ts';
import type { Table, TableFormat } from './table.ts';
import type { XlsxRenderer } from './xlsx-runner.ts';
import { XLSX_TYPE } from './xlsx-writer.ts';

export const ANSWER_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type AnswerFormat = (typeof ANSWER_FORMATS)[number];

/** RFC 4180's media type; `header=present` says the first record names the columns. */
export const CSV_TYPE = 'text/csv; charset=utf-8; header=present';

/** The query parameters of an operation that exports a table. */
export const exportParams = {
  format: oneOf(ANSWER_FORMATS, 'json').openapi({
    description: '`json` (the default): the answer as described; `csv` (UTF-8 with a byte-order mark, CRLF lines) or `xlsx` (an Excel workbook): the same figures as a table to download.',
  }),
  lang: oneOf(EXPORT_LANGS, 'zh').openapi({ description: 'The language of the headers (and file name) of a `csv` or `xlsx` export: `zh` (the default) or `en`. The data (names) stay as they are.' }),
};

/** The 200's content: the JSON answer, or the table as CSV or xlsx. */
export function exportContent(schema: z.ZodType) {
  return {
    'application/json': { schema },
    'text/csv': { schema: { type: 'string', contentMediaType: 'text/csv' } as never },
    [XLSX_TYPE]: { schema: { type: 'string', contentMediaType: XLSX_TYPE } as never },
  };
}

/** The 200's headers with an export. */
export const exportHeaders = {
  'Content-Disposition': {
    description: 'With `format=csv` or `xlsx`: `attachment` with the file name, in ASCII (`filename`) and in UTF-8 (`filename*`, in the headers\' language).',
    required: false,
    schema: { type: 'string' as const, examples: ["attachment; filename=\"coverage-district-15min-2026-12-07.csv\"; filename*=UTF-8''%E8%A6%86%E7%9B%96%E7%8E%87-%E5%8C%BA%E5%8E%BF-15%E5%88%86%E9%92%9F-2026-12-07.csv"] },
  },
};

/** A file name in both forms: ASCII (the English one) and in the headers' language. */
export interface ExportFileName {
  ascii: string;
  utf8: string;
}

/** Only these stay in the ASCII fallback; anything else becomes `_` (quotes and backslashes would need escaping, and some clients mishandle them). */
function asciiFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** RFC 8187 ext-value: UTF-8, percent-encoded beyond attr-char. */
function extValue(name: string): string {
  return `UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** The Content-Disposition of a download named `name` (without extension) with `extension`. */
export function contentDisposition(name: ExportFileName, extension: TableFormat): string {
  return `attachment; filename="${asciiFileName(name.ascii)}.${extension}"; filename*=${extValue(`${name.utf8}.${extension}`)}`;
}

/** Today as yyyy-mm-dd in the server's time zone, for file names. */
export function isoDay(when = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}`;
}

export interface TableExport {
  format: TableFormat;
  table: Table;
  fileName: ExportFileName;
  /** The data version the figures are of. */
  dataVersion: string;
}

/**
 * The table as a download in its format: CSV written here (a few ms for
 * thousands of rows), xlsx by `xlsx` (the app's worker, xlsx-runner.ts). A
 * workbook says which request and data version it holds.
 */
export async function tableResponse(c: Context, out: TableExport, xlsx: XlsxRenderer): Promise<Response> {
  const url = new URL(c.req.url);
  const description = `GET ${url.pathname}${url.search}, data version ${out.dataVersion}`;
  const bytes = out.format === 'csv' ? csvBytes(out.table) : await xlsx(out.table, { title: out.fileName.utf8, description });
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
    'Content-Type': out.format === 'csv' ? CSV_TYPE : XLSX_TYPE,
    'Content-Disposition': contentDisposition(out.fileName, out.format),
  });
}
