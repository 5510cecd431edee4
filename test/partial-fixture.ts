/**
 * Shared by the partial update tests: table digests (what "byte for byte"
 * compares), the stored centers as rows, a running app that has followed a
 * change, and small file writers (CSV, xlsx through exceljs).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Database } from '../kernel/db/database.ts';
import type { DataChange } from '../kernel/data-change.ts';
import type { App } from '../server/app.ts';

/**
 * The columns an import writes, per table: every column but the coverage the
 * server derives and writes back (002_coverage.sql), which follows centers
 * by design. Compared as the text of every row in id order.
 */
export const IMPORTED_COLUMNS: Record<string, string> = {
  walk_nodes: 'id, osm_id, geom',
  walk_edges: 'id, source, target, cost, reverse_cost, length_m, class, osm_id, geom',
  buildings: 'id, kind, levels, geom',
  water: 'id, kind, name, geom',
  households: 'id, households, persons, grid_id, city_code, district_code, street_code, community_code, source, source_id, geom',
  grids: 'id, code, name, city_code, district_code, street_code, community_code, officers, geom',
  centers: 'id, name, kind, services, source, source_id, geom',
};

/** md5 of every row's text (imported columns, in id order), per table; admin_units by code. */
export async function tableDigests(db: Database): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [table, columns] of Object.entries(IMPORTED_COLUMNS)) {
    const [row] = await db.query<{ d: string | null; n: number }>(
      `SELECT md5(COALESCE(string_agg(t::text, E'\\n' ORDER BY t.id), '')) AS d, count(*)::int AS n FROM (SELECT ${columns} FROM ${table}) t`,
    );
    out[table] = `${row!.n}:${row!.d}`;
  }
  const [admin] = await db.query<{ d: string }>(`SELECT md5(COALESCE(string_agg(a::text, E'\\n' ORDER BY a.code), '')) AS d FROM admin_units a`);
  out.admin_units = admin!.d;
  return out;
}

export interface CenterText {
  id: number;
  code: string | null;
  name: string;
  kind: string;
  lon: number;
  lat: number;
  /** The whole row as text: what "unchanged" compares. */
  text: string;
}

export async function storedCenters(db: Database): Promise<Map<number, CenterText>> {
  const rows = await db.query<{ id: number; source_id: string | null; name: string; kind: string; lon: number; lat: number; text: string }>(
    `SELECT t.id, t.source_id, t.name, t.kind, ST_X(t.geom) AS lon, ST_Y(t.geom) AS lat, t::text AS text
     FROM (SELECT ${IMPORTED_COLUMNS.centers} FROM centers) t ORDER BY t.id`,
  );
  return new Map(rows.map((r) => [Number(r.id), { id: Number(r.id), code: r.source_id, name: r.name, kind: r.kind, lon: Number(r.lon), lat: Number(r.lat), text: r.text }]));
}

export async function revision(db: Database): Promise<number> {
  const [row] = await db.query<{ revision: number }>('SELECT revision FROM data_state WHERE id = 1');
  return Number(row!.revision);
}

/** The app's city coverage answer. */
export async function cityCoverage(app: App): Promise<{ data_version: string; total: { households: number; covered: number; share: number | null } }> {
  const res = await app.http.request('/api/coverage?level=city');
  if (res.status !== 200) throw new Error(`coverage answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/**
 * Waits until the running app has followed the change of `version`: on the
 * embedded database the caller publishes it (one process), on PostGIS it
 * arrives by NOTIFY alone (the app polls once an hour in these tests).
 */
export async function followed(app: App, version: string, publish?: DataChange): Promise<void> {
  if (publish) await app.changes.publish(publish);
  const deadline = Date.now() + 15_000;
  for (;;) {
    await app.idle();
    const answer = await cityCoverage(app).catch(() => undefined);
    if (answer?.data_version === version) return;
    if (Date.now() > deadline) throw new Error(`the app did not follow version ${version} (it answers ${answer?.data_version})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A CSV file of `rows` under `dir`. */
export function writeCsv(dir: string, name: string, rows: (string | number | null)[][]): string {
  const file = path.join(dir, name);
  const cell = (v: string | number | null) => (v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  writeFileSync(file, rows.map((r) => r.map(cell).join(',')).join('\n') + '\n');
  return file;
}

/** An .xlsx workbook with the given sheets (name -> rows), written by exceljs as Excel would. */
export async function writeXlsx(dir: string, name: string, sheets: Record<string, (string | number | null)[][]>): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  for (const [sheet, rows] of Object.entries(sheets)) {
    const ws = workbook.addWorksheet(sheet);
    for (const r of rows) ws.addRow(r);
  }
  const file = path.join(dir, name);
  await workbook.xlsx.writeFile(file);
  return file;
}
