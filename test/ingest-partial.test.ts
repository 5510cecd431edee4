/**
 * A partial update of the centers (`npm run ingest -- --centers FILE`
 * without --osm) on the Monaco extract, on both backends, with the server
 * running on the same database:
 * - a file that adds, moves, renames and removes centers (matched by code)
 *   changes exactly those rows, leaves the walk network, households, grids,
 *   buildings, water and divisions as they were (row text compared), bumps
 *   the data version once and records each change in the audit trail;
 * - the running app follows: on PostGIS by the announcement alone (its
 *   poller is set to an hour), on the embedded database by publishing the
 *   returned change in the same process; its city coverage becomes what the
 *   dry run said, its centers and households tiles show the new state;
 * - the dry run reports what the real run then does and writes nothing;
 * - a file with bad rows, or a file that is not there, leaves everything.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends, openTestDatabase, type TestDatabase } from './backends.ts';
import { describeWithData, sharedData } from './shared-data.ts';
import { cityCoverage, followed, revision, storedCenters, tableDigests, writeCsv } from './partial-fixture.ts';
import { decodeTile } from './tiles-fixture.ts';
import { ingest } from '../data-pipeline/ingest.ts';
import { partialUpdate, type PartialOptions, type PartialReport } from '../data-pipeline/partial/partial-update.ts';
import { RowsRefused } from '../data-pipeline/inputs/row-problems.ts';
import { createApp, type App } from '../server/app.ts';
import { silentLogger } from '../server/logger.ts';
import { CLI_ACTOR, recordAudit } from '../server/auth/audit-log.ts';
import { cityCoverageChange } from '../server/coverage/city-coverage.ts';
import { latToTileY, lonToTileX } from '../server/tiles/tile-envelope.ts';
import { haversineM } from '../kernel/geo.ts';

const monaco = sharedData('osm/monaco.osm.pbf');
const work = mkdtempSync(path.join(tmpdir(), 'lc-partial-'));
const HOUR = 3_600_000;
/** How far the moved centers go (deg of longitude, ~240 m at Monaco). */
const SHIFT = 0.003;

/** Tiles at the layers' most detailed zoom. */
const Z = 16;

/** The features of `layer` in the tile holding (lon, lat), each with its distance in tile pixels from that point. */
async function tileFeatures(app: App, layer: string, lon: number, lat: number) {
  const x = lonToTileX(lon, Z);
  const y = latToTileY(lat, Z);
  const res = await app.http.request(`/tiles/${layer}/${Z}/${Math.floor(x)}/${Math.floor(y)}.mvt`);
  if (res.status === 204) return [];
  expect(res.status).toBe(200);
  const decoded = decodeTile(new Uint8Array(await res.arrayBuffer()))[layer];
  if (!decoded) return [];
  const px = (x - Math.floor(x)) * decoded.extent;
  const py = (y - Math.floor(y)) * decoded.extent;
  return decoded.features.map((f) => ({ ...f, offPx: Math.hypot(f.geometry[0]![0]!.x - px, f.geometry[0]![0]!.y - py) }));
}

/** The feature `id` drawn at (lon, lat) (within 2 px), if any. */
async function drawnAt(app: App, layer: string, id: number, lon: number, lat: number) {
  return (await tileFeatures(app, layer, lon, lat)).find((f) => f.id === id && f.offPx <= 2);
}

describeWithData('partial update of the centers', monaco, () => {
  describeBackends('on Monaco with a running server', (kind) => {
    let t: TestDatabase;
    let app: App;
    beforeAll(async () => {
      t = await openTestDatabase(kind);
      await ingest(t.db, { osm: monaco.path, city: 'Monaco' });
      app = await createApp({ db: t.db, logger: silentLogger, dataDir: undefined, pollIntervalMs: HOUR });
      await app.idle();
    });
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
    });
    const options = (file: string, more: Partial<PartialOptions> = {}): PartialOptions => ({
      table: 'centers',
      file,
      coverage: cityCoverageChange,
      audit: (tx, entry) => recordAudit(tx, CLI_ACTOR, entry),
      ...more,
    });

    it('adds, moves, renames and removes exactly the rows the file says; the rest stays byte for byte; the server follows', async () => {
      const before = await storedCenters(t.db);
      const list = [...before.values()];
      // Moved: three service centers (15-minute kinds), so coverage changes; removed: two more; renamed: one.
      const service = list.filter((c) => ['hospital', 'police', 'townhall', 'post'].includes(c.kind));
      const moved = service.slice(0, 3);
      const removed = service.slice(3, 5);
      const renamed = list.find((c) => !service.slice(0, 5).includes(c))!;
      const nodes = await t.db.query<{ lon: number; lat: number }>('SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM walk_nodes WHERE id IN (100, 2000) ORDER BY id');
      const added = [
        ['NEW-1', '新党群服务中心', '党群服务中心', nodes[0]!.lon, nodes[0]!.lat],
        ['NEW-2', 'Governance centre', 'governance', nodes[1]!.lon, nodes[1]!.lat],
      ] as const;
      const rows: (string | number | null)[][] = [['编码', '名称', '类型', '经度', '纬度', '备注']];
      for (const c of list) {
        if (removed.includes(c)) continue;
        const lon = moved.includes(c) ? c.lon + SHIFT : c.lon;
        rows.push([c.code, c === renamed ? '改名中心' : c.name, c.kind, lon, c.lat, 'note']);
      }
      for (const a of added) rows.push([...a, null]);
      const file = writeCsv(work, `centers-${kind}.csv`, rows);

      const digests = await tableDigests(t.db);
      const rev = await revision(t.db);
      const liveBefore = await cityCoverage(app);
      expect(await drawnAt(app, 'centers', moved[0]!.id, moved[0]!.lon, moved[0]!.lat)).toBeDefined();
      const walkBefore = new Map((await t.db.query<{ id: number; s: number | null }>('SELECT id, walk_seconds AS s FROM households')).map((r) => [Number(r.id), r.s]));

      // Dry run: the plan and the coverage before and after; nothing written.
      const dry = await partialUpdate(t.db, options(file, { dryRun: true }));
      expect(dry.rows).toEqual({ read: list.length, accepted: list.length, refused: 0 });
      expect(dry.ignoredColumns).toEqual(['备注']);
      expect(dry.centers!.mode).toBe('merge');
      expect(dry.centers!.added.map((a) => [a.code, a.kind])).toEqual([['NEW-1', 'neighborhood'], ['NEW-2', 'governance']]);
      expect(dry.centers!.moved.map((m) => m.id)).toEqual(moved.map((c) => c.id));
      for (const m of dry.centers!.moved) {
        const c = before.get(m.id)!;
        expect(m.movedM).toBeCloseTo(haversineM(c.lon, c.lat, c.lon + SHIFT, c.lat), 6);
        expect(m.movedM).toBeGreaterThan(200);
      }
      expect(dry.centers!.changed.map((c) => [c.id, c.fields])).toEqual([[renamed.id, ['name']]]);
      expect(dry.centers!.removed.map((r) => r.id).sort()).toEqual(removed.map((c) => c.id).sort());
      expect(dry.centers!.unchanged).toBe(list.length - 6);
      // Its "before" is what the running server answers now.
      const city = (c: { households: number; covered: number; share: number | null }) => ({ households: c.households, covered: c.covered, share: c.share });
      expect(dry.coverage!.before).toEqual({ minutes: 15, ...city(liveBefore.total) });
      expect(dry.coverage!.after.covered).not.toBe(dry.coverage!.before.covered);
      expect(await tableDigests(t.db)).toEqual(digests);
      expect(await revision(t.db)).toBe(rev);

      // The real run does what the dry run said.
      const real = await partialUpdate(t.db, options(file));
      const same = (r: PartialReport) => ({ centers: r.centers, households: r.households, rows: r.rows, unchanged: r.unchanged });
      expect(same(real)).toEqual(same(dry));
      expect(await revision(t.db)).toBe(rev + 1);
      expect(real.change).toMatchObject({ type: 'features', version: real.version, layers: ['centers'] });

      // Exactly those rows: every other center's row text is as it was.
      const after = await storedCenters(t.db);
      for (const [id, c] of before) {
        if (removed.includes(c)) expect(after.has(id)).toBe(false);
        else if (moved.includes(c)) expect([after.get(id)!.lon, after.get(id)!.lat, after.get(id)!.name]).toEqual([c.lon + SHIFT, c.lat, c.name]);
        else if (c === renamed) expect(after.get(id)!.name).toBe('改名中心');
        else expect(after.get(id)!.text).toBe(c.text);
      }
      const fresh = [...after.values()].filter((c) => !before.has(c.id));
      expect(fresh.map((c) => [c.code, c.name, c.kind, c.lon, c.lat])).toEqual(added.map((a) => [a[0], a[1], a[2] === '党群服务中心' ? 'neighborhood' : a[2], a[3], a[4]]));
      // New ids come after every id there was.
      expect(Math.min(...fresh.map((c) => c.id))).toBeGreaterThan(Math.max(...before.keys()));
      const digestsAfter = await tableDigests(t.db);
      for (const table of Object.keys(digests)) if (table !== 'centers') expect(digestsAfter[table], table).toBe(digests[table]);
      const audit = await t.db.query<{ action: string; entity_id: string }>("SELECT action, entity_id FROM audit_log WHERE entity = 'center' ORDER BY id");
      expect(audit.filter((a) => a.action === 'center.remove').map((a) => Number(a.entity_id)).sort()).toEqual(removed.map((c) => c.id).sort());
      expect(audit.filter((a) => a.action === 'center.update')).toHaveLength(4);
      expect(audit.filter((a) => a.action === 'center.add')).toHaveLength(2);

      // The running server follows: coverage as the dry run said, tiles of the new state.
      await followed(app, real.version!, kind === 'pglite' ? real.change : undefined);
      const live = await cityCoverage(app);
      expect({ minutes: 15, ...city(live.total) }).toEqual(dry.coverage!.after);
      expect(await drawnAt(app, 'centers', moved[0]!.id, moved[0]!.lon, moved[0]!.lat)).toBeUndefined();
      expect((await drawnAt(app, 'centers', moved[0]!.id, moved[0]!.lon + SHIFT, moved[0]!.lat))?.properties.name).toBe(moved[0]!.name);
      expect(await drawnAt(app, 'centers', removed[0]!.id, removed[0]!.lon, removed[0]!.lat)).toBeUndefined();
      const addedTile = await tileFeatures(app, 'centers', added[0][3], added[0][4]);
      expect(addedTile.find((f) => f.properties.name === '新党群服务中心' && f.offPx <= 2)?.properties.kind).toBe('neighborhood');
      // A household unit whose walk changed shows its new time in its tile.
      const walkAfter = await t.db.query<{ id: number; s: number | null; lon: number; lat: number }>('SELECT id, walk_seconds AS s, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM households ORDER BY id');
      const changed = walkAfter.find((h) => h.s !== null && walkBefore.get(Number(h.id)) !== null && Math.abs(h.s - walkBefore.get(Number(h.id))!) > 30);
      expect(changed, 'some unit walks more than 30 s more or less').toBeDefined();
      const unit = await drawnAt(app, 'households', Number(changed!.id), changed!.lon, changed!.lat);
      expect(unit?.properties.walk_seconds).toBeCloseTo(changed!.s!, 0);

      // The same file again changes nothing, and says so.
      const again = await partialUpdate(t.db, options(file));
      expect(again.unchanged).toBe(true);
      expect(await revision(t.db)).toBe(rev + 1);
    });

    it('a file with bad rows or no file at all leaves everything as it was', async () => {
      const digests = await tableDigests(t.db);
      const rev = await revision(t.db);
      const [c] = await t.db.query<{ lon: number; lat: number }>('SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM centers ORDER BY id LIMIT 1');
      const file = writeCsv(work, `bad-${kind}.csv`, [
        ['code', 'name', 'kind', 'lon', 'lat'],
        ['OK-1', 'Fine', 'police', c!.lon, c!.lat],
        ['OK-1', 'Twice', 'police', c!.lon, c!.lat],
        ['X-2', 'Nowhere', 'police', 7.9, 43.73],
        ['X-3', 'Shop', 'superstore', c!.lon, c!.lat],
        ['X-4', 'No lat', 'post', c!.lon, null],
      ]);
      const error = await partialUpdate(t.db, options(file)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RowsRefused);
      const refused = error as RowsRefused;
      expect(refused.problems.map((p) => [p.row, p.column])).toEqual([[3, 'code'], [4, 'lon'], [5, 'kind'], [6, 'lat']]);
      expect(refused.counts).toEqual({ read: 5, accepted: 1, refused: 4 });
      expect(refused.message).toMatch(/line 4: "lon": the point \(7\.900000, 43\.730000\) is outside the city/);
      expect(refused.message).toMatch(/line 5: "kind" "superstore" is not a known center kind/);
      expect(refused.message).toMatch(/5 rows read, 1 accepted, 4 refused; nothing was written$/);
      await expect(partialUpdate(t.db, options(path.join(work, 'missing.csv')))).rejects.toThrow(/missing\.csv: file: not found/);
      expect(await tableDigests(t.db)).toEqual(digests);
      expect(await revision(t.db)).toBe(rev);
    });
  });
});
