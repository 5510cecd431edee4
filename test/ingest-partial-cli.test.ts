/**
 * `npm run ingest` without --osm, as a process, on a PostGIS server
 * database when there is one, else on an embedded data folder: a tiny
 * street grid in Putian is imported, then a centers workbook with Chinese
 * headers in GCJ-02 is previewed (--dry-run: exit 0, the plan and the
 * coverage printed, nothing written) and applied (stored at its WGS84
 * places); a workbook with bad rows exits 1 naming them, with nothing
 * written; arguments that do not go together exit 2 before anything opens.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerDatabase, serverUrl } from './backends.ts';
import { tableDigests, writeXlsx } from './partial-fixture.ts';
import { wgs84ToGcj02 } from '../data-pipeline/inputs/chinese-crs.ts';
import { openDatabase } from '../server/db/open-database.ts';
import { readDataState } from '../kernel/db/data-state.ts';
import { haversineM } from '../kernel/geo.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'lc-partial-cli-'));

/** A 4 x 4 street grid 0.002 deg (~200 m) apart at (119.0, 25.43), with two residential buildings. */
function streetGridOsm(): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="ingest-partial-cli.test">'];
  const id = (i: number, j: number) => 1 + i * 4 + j;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) lines.push(`<node id="${id(i, j)}" lat="${(25.43 + j * 0.002).toFixed(3)}" lon="${(119.0 + i * 0.002).toFixed(3)}"/>`);
  let way = 100;
  for (let k = 0; k < 4; k++) {
    const along = (f: (m: number) => number) => [0, 1, 2, 3].map((m) => `<nd ref="${f(m)}"/>`).join('');
    lines.push(`<way id="${way++}">${along((m) => id(m, k))}<tag k="highway" v="residential"/></way>`);
    lines.push(`<way id="${way++}">${along((m) => id(k, m))}<tag k="highway" v="residential"/></way>`);
  }
  // Two buildings: households for coverage to count.
  let node = 1000;
  for (const [x, y] of [[119.0012, 25.4312], [119.0052, 25.4352]]) {
    const ids = [[0, 0], [0.0002, 0], [0.0002, 0.0002], [0, 0.0002]].map(([dx, dy]) => {
      lines.push(`<node id="${node}" lat="${(y! + dy!).toFixed(7)}" lon="${(x! + dx!).toFixed(7)}"/>`);
      return node++;
    });
    lines.push(`<way id="${way++}">${[...ids, ids[0]].map((n) => `<nd ref="${n}"/>`).join('')}<tag k="building" v="apartments"/><tag k="building:levels" v="6"/></way>`);
  }
  lines.push('</osm>');
  return lines.join('\n');
}

describe('npm run ingest -- --centers FILE (the CLI)', () => {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'error', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'lc-partial-cli-data-')) };
  let drop = async () => {};
  beforeAll(async () => {
    if (!serverUrl) return;
    const server = await createServerDatabase(serverUrl);
    env.DATABASE_URL = server.url;
    drop = server.drop;
  });
  afterAll(() => drop());
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'data-pipeline/ingest-cli.ts', ...args], { cwd: ROOT, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
  const withDb = async <T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> => {
    const db = await openDatabase({ databaseUrl: env.DATABASE_URL || undefined, dataDir: env.DATA_DIR });
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  };
  const state = () => withDb(async (db) => ({ digests: await tableDigests(db), version: (await readDataState(db)).version }));

  it('previews, applies and refuses a centers workbook; exit codes 0, 1 and 2', async () => {
    const osm = path.join(work, 'grid.osm');
    writeFileSync(osm, streetGridOsm());
    const imported = await run(['--osm', osm, '--quiet']);
    expect(imported.code, imported.stderr).toBe(0);

    const places: [number, number][] = [[119.002, 25.432], [119.004, 25.434]];
    const good = await writeXlsx(work, 'centers.xlsx', {
      中心: [['编码', '名称', '类型', '经度', '纬度'], ...places.map(([x, y], i) => [`C${i + 1}`, `中心${i + 1}`, i === 0 ? '党群服务中心' : '综治中心', ...wgs84ToGcj02(x, y)])],
    });
    const before = await state();
    const dry = await run(['--centers', good, '--crs', 'gcj02', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^dry run \(nothing written\): centers from .*centers\.xlsx \(sheet "中心", converted from gcj02\)/);
    expect(dry.stdout).toMatch(/rows {11}2 read, 2 accepted, 0 refused/);
    expect(dry.stdout).toMatch(/added {8}2\n {6}C1 中心1 \(neighborhood\)/);
    expect(dry.stdout).toMatch(/coverage {7}city, before 0\.0% \(0 of \d+ households within 15 min\)\n {17}after {2}100\.0%/);
    expect(await state()).toEqual(before);

    const real = await run(['--centers', good, '--crs', 'gcj02']);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toMatch(/data version {3}\S+ \(announced to running servers\)/);
    // Each opening of the embedded database takes seconds: one read for both.
    const [after, stored] = await withDb(async (db) => [
      { digests: await tableDigests(db), version: (await readDataState(db)).version },
      await db.query<{ source_id: string; lon: number; lat: number }>("SELECT source_id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM centers WHERE source = 'file' ORDER BY source_id"),
    ] as const);
    expect(after.version).not.toBe(before.version);
    expect(stored.map((c) => c.source_id)).toEqual(['C1', 'C2']);
    stored.forEach((c, i) => expect(haversineM(c.lon, c.lat, ...places[i]!)).toBeLessThan(0.01));

    const bad = await writeXlsx(work, 'bad.xlsx', { 中心: [['编码', '名称', '类型', '经度', '纬度'], ['C1', '中心1', '党群服务中心', 119.002, 25.432], ['C9', '远方', '综治中心', 121.5, 31.2], ['C1', '重复', '派出所', 119.003, 25.433]] });
    const refused = await run(['--centers', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/update failed, the previous data is unchanged: 2 problems\n.*bad\.xlsx: sheet "中心" row 3, column D: "经度": the point \(121\.500000, 31\.200000\) is outside the city/);
    expect(refused.stderr).toMatch(/bad\.xlsx: sheet "中心" row 4, column A: "编码" "C1" is a duplicate: already on sheet "中心" row 2\n3 rows read, 1 accepted, 2 refused; nothing was written/);
    expect(await state()).toEqual(after);

    // Refused before the database is opened (they would change nothing: the runs above show what a run writes).
    for (const args of [['--centers', good, '--households', good], ['--osm', osm, '--dry-run'], ['--centers', good, '--city', 'X']]) {
      const wrong = await run(args);
      expect(wrong.code, args.join(' ')).toBe(2);
      expect(wrong.stderr).toMatch(/^(an update without --osm takes one of|--dry-run previews|--city names the city)/);
    }
  }, 400_000);
});
