/**
 * Planning on real data, Monaco: coverage repaired after seeded random
 * center changes (adds, moves, removes) equals a from-scratch evaluation
 * unit by unit; and a center in the sea off Monaco (7.46, 43.75), which no
 * one can walk to, is refused (422) as a new center and as a scenario's.
 */
import { jsonOf, type ErrorAnswer } from './answer-types.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../data-pipeline/ingest.ts';
import { osmToBundle } from '../data-pipeline/osm/osm-to-bundle.ts';
import { createApp, type App } from '../server/app.ts';
import { silentLogger } from '../server/logger.ts';
import { buildEdgeIndex } from '../server/routing/graph/edge-index.ts';
import { buildWalkGraph, inputFromNetwork } from '../server/routing/graph/graph-builder.ts';
import { openTestDatabase, type TestDatabase } from './backends.ts';
import { compareChanges } from './center-changes-fixture.ts';
import { describeWithData, sharedData } from './shared-data.ts';
import { bearer, testToken } from './auth-fixture.ts';

const monaco = sharedData('osm/monaco.osm.pbf');
/** Open water east of the harbour, 1.5 km from the nearest walkway. */
const AT_SEA = { lon: 7.46, lat: 43.75 };

describeWithData('planning on Monaco', monaco, () => {
  it('repairs coverage after seeded random center changes to what a from-scratch evaluation gives', async () => {
    const { bundle } = await osmToBundle(monaco.path, { city: 'Monaco' });
    const graph = buildWalkGraph(inputFromNetwork(bundle.network, 'monaco'));
    const index = buildEdgeIndex(graph);
    const centers = { lon: bundle.centers.map((c) => c.lon), lat: bundle.centers.map((c) => c.lat) };
    const result = compareChanges(graph, index, bundle.households, centers, 60, 11);
    expect(result.mismatches).toEqual([]);
    expect(result.changedUnits.filter((n) => n < result.units / 2).length).toBeGreaterThan(30);
  });

  describe('a center in the sea', () => {
    let t: TestDatabase;
    let app: App;
    beforeAll(async () => {
      t = await openTestDatabase('pglite');
      await ingest(t.db, { osm: monaco.path });
      app = await createApp({ db: t.db, logger: silentLogger, dataDir: undefined });
    }, 180_000);
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
    });

    it('is refused as a new center and as a scenario\'s, naming the point', async () => {
      const send = async (path: string, body: unknown) =>
        app.http.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(await testToken(t.db)) }, body: JSON.stringify(body) });
      const center = await send('/api/centers', { name: 'Buoy', kind: 'neighborhood', ...AT_SEA });
      expect(center.status).toBe(422);
      expect((await jsonOf<ErrorAnswer>(center)).error).toMatchObject({ code: 'off_network', message: expect.stringContaining('(7.46, 43.75)') });
      const scenario = await send('/api/scenarios', { name: 'Buoy', changes: [{ op: 'add', name: 'Buoy', kind: 'neighborhood', ...AT_SEA }] });
      expect(scenario.status).toBe(422);
      expect((await jsonOf<ErrorAnswer>(scenario)).error.message).toMatch(/changes\[0\] \(add\) \(7\.46, 43\.75\) is more than 500 m from any walkable way/);
      expect((await jsonOf<{ centers: { name: string }[] }>(await app.http.request('/api/centers'))).centers.every((c) => c.name !== 'Buoy')).toBe(true);
    });
  });
});
