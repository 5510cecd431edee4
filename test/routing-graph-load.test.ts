/**
 * The graph from the tables (packed binary rows, both backends) equals the
 * graph built straight from the bundle; a snapshot round-trips every array;
 * a damaged snapshot is ignored (rebuild) and saving removes older ones.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeBundle } from '../data-pipeline/write-bundle.ts';
import { buildWalkGraph, inputFromNetwork, loadWalkGraph } from '../server/routing/graph/graph-builder.ts';
import { decodeSnapshot, encodeSnapshot, loadSnapshot, saveSnapshot, snapshotPath } from '../server/routing/graph/graph-snapshot.ts';
import { GRAPH_ARRAYS, type WalkGraph } from '../server/routing/graph/walk-graph.ts';
import { describeBackends, openTestDatabase, type TestDatabase } from './backends.ts';
import { syntheticCity } from './synthetic-city.ts';

function expectSameGraph(actual: WalkGraph, expected: WalkGraph) {
  expect(actual.version).toBe(expected.version);
  expect(actual.nodeCount).toBe(expected.nodeCount);
  expect(actual.edgeCount).toBe(expected.edgeCount);
  expect(actual.bounds).toEqual(expected.bounds);
  for (const name of GRAPH_ARRAYS) expect([name, Array.from(actual[name])]).toEqual([name, Array.from(expected[name])]);
}

describeBackends('walk graph from the tables', (kind) => {
  let t: TestDatabase;
  const bundle = syntheticCity({ seed: 9, cols: 15, rows: 12, oneWayShare: 0.2 });
  let version: string;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
    version = (await writeBundle(t.db, bundle)).version;
  }, 60_000);
  afterAll(() => t?.dispose());

  it('equals the graph built from the bundle', async () => {
    const fromTable = await loadWalkGraph(t.db);
    expectSameGraph(fromTable, buildWalkGraph(inputFromNetwork(bundle.network, version)));
  });

  it('round-trips through a snapshot file, ignores damaged ones and keeps only the newest', async () => {
    const graph = await loadWalkGraph(t.db);
    expectSameGraph(decodeSnapshot(encodeSnapshot(graph)), graph);
    const dir = mkdtempSync(path.join(tmpdir(), 'lc-snapshot-'));
    try {
      writeFileSync(path.join(dir, 'graph-old.bin'), 'stale');
      const file = await saveSnapshot(dir, graph);
      expect(readdirSync(dir)).toEqual([path.basename(file)]);
      expectSameGraph((await loadSnapshot(dir, graph.version))!, graph);
      expect(await loadSnapshot(dir, 'another-version')).toBeUndefined();
      const bytes = readFileSync(file);
      writeFileSync(file, bytes.subarray(0, bytes.length - 100));
      expect(await loadSnapshot(dir, graph.version)).toBeUndefined();
      expect(snapshotPath(dir, '3/../x')).toBe(path.join(dir, 'graph-3_.._x.bin'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
