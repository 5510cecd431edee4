/**
 * Failed imports leave the previous data intact: a malformed OSM file, a
 * GeoJSON with a broken feature, and an import process killed midway. Each
 * error names what was wrong.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends, openTestDatabase, createServerDatabase, serverUrl, type TestDatabase } from './backends.ts';
import { describeWithData, sharedData } from './shared-data.ts';
import { ingest } from '../data-pipeline/ingest.ts';
import { readCounts } from '../server/health/health-routes.ts';
import { readDataState } from '../kernel/db/data-state.ts';
import { openDatabase } from '../server/db/open-database.ts';
import type { BackendKind } from '../kernel/db/database.ts';

const neukoelln = sharedData('osm/neukoelln.osm');
const monaco = sharedData('osm/monaco.osm.pbf');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'lc-ingest-'));

describeWithData('failed imports', [neukoelln, monaco], () => {
  describeBackends('keep the previous data', (kind) => {
    let t: TestDatabase;
    let before: Record<string, number>;
    let version: string;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      await ingest(t.db, { osm: neukoelln.path });
      before = await readCounts(t.db);
      version = (await readDataState(t.db)).version;
    });
    afterAll(() => t?.dispose());

    const unchanged = async () => {
      expect(await readCounts(t.db)).toEqual(before);
      expect((await readDataState(t.db)).version).toBe(version);
    };

    it('a malformed OSM XML file: error names the file and line', async () => {
      const bad = path.join(work, `broken-${kind}.osm`);
      const text = readFileSync(neukoelln.path, 'utf8');
      // Cut the file in the middle of the ways and add a stray closing tag.
      writeFileSync(bad, text.slice(0, Math.floor(text.length * 0.8)) + '</node></osm>');
      await expect(ingest(t.db, { osm: bad })).rejects.toThrow(new RegExp(`broken-${kind}\\.osm.*line \\d+`));
      await unchanged();
    });

    it('a truncated PBF: error names the file', async () => {
      const bad = path.join(work, `truncated-${kind}.osm.pbf`);
      writeFileSync(bad, readFileSync(monaco.path).subarray(0, 900_000));
      await expect(ingest(t.db, { osm: bad })).rejects.toThrow(/truncated-.*\.osm\.pbf/);
      await unchanged();
    });

    it('a GeoJSON with a broken feature: error names the file and the feature', async () => {
      const centers = path.join(work, `centers-${kind}.geojson`);
      writeFileSync(
        centers,
        JSON.stringify({
          type: 'FeatureCollection',
          features: [
            { type: 'Feature', properties: { name: 'A', kind: 'neighborhood' }, geometry: { type: 'Point', coordinates: [13.44, 52.48] } },
            { type: 'Feature', id: 'c2', properties: { name: 'B', kind: 'governance' }, geometry: { type: 'Point', coordinates: ['x', 52.48] } },
          ],
        }),
      );
      await expect(ingest(t.db, { osm: neukoelln.path, centers })).rejects.toThrow(/centers-.*\.geojson: feature 1 \(id c2\): invalid coordinate/);
      const households = path.join(work, `households-${kind}.csv`);
      writeFileSync(households, 'lon,lat,households\n13.44,52.48,12\n13.45,52.48,many\n');
      await expect(ingest(t.db, { osm: neukoelln.path, households })).rejects.toThrow(/households-.*\.csv: line 3: "households" must be a whole number/);
      await unchanged();
    });

    it('a missing file: error names it', async () => {
      await expect(ingest(t.db, { osm: path.join(work, 'nope.osm.pbf') })).rejects.toThrow(/nope\.osm\.pbf.*not found/);
      await unchanged();
    });
  });

  describeBackends('an import killed midway', (kind: BackendKind) => {
    it('leaves the previous data whole', async () => {
      // A real process, killed with SIGKILL while it writes: no cleanup code runs.
      const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'error' };
      let drop = async () => {};
      if (kind === 'postgis') {
        const server = await createServerDatabase(serverUrl!);
        env.DATABASE_URL = server.url;
        drop = server.drop;
      } else {
        env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'lc-kill-'));
      }
      const run = (args: string[], killOn?: RegExp) =>
        new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', 'data-pipeline/ingest-cli.ts', ...args], { cwd: ROOT, env });
          let stderr = '';
          child.stderr.on('data', (d) => {
            stderr += d;
            if (killOn && killOn.test(stderr)) child.kill('SIGKILL');
          });
          child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
        });
      try {
        const first = await run(['--osm', neukoelln.path]);
        expect(first.code, first.stderr).toBe(0);
        const open = () => openDatabase({ databaseUrl: env.DATABASE_URL || undefined, dataDir: env.DATA_DIR });
        let db = await open();
        const before = await readCounts(db);
        const version = (await readDataState(db)).version;
        await db.close();

        const killed = await run(['--osm', monaco.path], /writing to the database/);
        expect(killed.signal).toBe('SIGKILL');

        db = await open();
        try {
          expect(await readCounts(db)).toEqual(before);
          expect((await readDataState(db)).version).toBe(version);
        } finally {
          await db.close();
        }
      } finally {
        await drop();
      }
    });
  });
});
