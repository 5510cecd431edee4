import { describe, expect, it } from 'vitest';
import { httpErrorOf } from '../http/error-mapping.ts';
import { layerIndex, type TileLayer } from './layers.ts';
import { seededRandom } from '../../test/seeded-random.ts';
import { fastTilePath, parseLayerList, parseTileRequest, tilePathParams } from './tile-request.ts';

const index = layerIndex();

function status(fn: () => unknown): number | 'ok' {
  try {
    fn();
    return 'ok';
  } catch (error) {
    const known = httpErrorOf(error);
    if (known) return known.status;
    throw error;
  }
}

describe('tile requests', () => {
  it('parses a layer list in order, each layer once', () => {
    expect(parseLayerList('centers,grids,centers', index).map((l) => l.id)).toEqual(['centers', 'grids']);
  });

  it('answers 404 for unknown layers, naming the known ones', () => {
    for (const bad of ['', 'nope', 'grids,', ',grids', 'grids,nope', 'GRIDS', "grids'; DROP TABLE grids; --", 'x'.repeat(300), 'grids centers']) {
      expect(status(() => parseLayerList(bad, index))).toBe(404);
    }
    try {
      parseLayerList('nope', index);
    } catch (error) {
      expect((error as Error).message).toContain('known layers: admin, grids, centers');
    }
  });

  it('answers 400 for z/x/y that are not whole numbers in range, and for z over the layers\' max', () => {
    const ok = (z: string, x: string, y: string) => status(() => parseTileRequest('grids', z, x, y, index));
    expect(ok('14', '13000', '7000')).toBe('ok');
    expect(ok('0', '0', '0')).toBe('ok');
    expect(ok('16', '65535', '65535')).toBe('ok');
    for (const [z, x, y] of [
      ['17', '0', '0'],
      ['-1', '0', '0'],
      ['1', '2', '0'],
      ['1', '0', '2'],
      ['1.5', '0', '0'],
      ['1e1', '0', '0'],
      ['0x1', '0', '0'],
      [' 1', '0', '0'],
      ['1', '-0', '0'],
      ['99999999999', '0', '0'],
      ['', '0', '0'],
      ['14', '99999999999999999999', '0'],
      ['NaN', '0', '0'],
      ['Infinity', '0', '0'],
    ]) {
      expect(ok(z!, x!, y!), `${z}/${x}/${y}`).toBe(400);
    }
  });

  it('keys the cache by layers, z/x/y and the query parameters a layer reads', () => {
    const scenarioLayer: TileLayer = { ...index.get('households')!, id: 'households', params: ['scenario'] };
    const custom = new Map([['households', scenarioLayer]]);
    const a = parseTileRequest('households', '14', '1', '2', custom, { scenario: '7', other: 'x' });
    expect(a.key).toBe('households/14/1/2?scenario=7');
    expect(a.query).toEqual({ scenario: '7' });
    // A layer that declares no parameter ignores them (households reads scenario now; streets reads none).
    expect(parseTileRequest('streets', '14', '1', '2', index, { scenario: '7' }).key).toBe('streets/14/1/2');
    expect(parseTileRequest('households', '14', '1', '2', index, { scenario: '7' }).key).toBe('households/14/1/2?scenario=7');
    expect(status(() => parseTileRequest('households', '14', '1', '2', custom, { scenario: 'x'.repeat(200) }))).toBe(400);
  });

  it('reads a well-formed tile path by hand exactly as the schema does, and leaves everything else to the schema', () => {
    // A registry whose layers stop at different zooms, so the "z over the layers' max" rule is exercised per layer list.
    const shallow: TileLayer = { ...index.get('grids')!, id: 'grids', maxzoom: 12 };
    const mixed = new Map([...index, ['grids', shallow]]);
    const random = seededRandom(7);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    const ids = [...index.keys()];
    const numbers = ['0', '1', '7', '00', '012', '12', '13', '16', '17', '30', '31', '-1', '1.0', '1e1', '0x1', ' 1', '', 'NaN', '9999999999', '99999999999', '٣'];
    for (const registry of [index, mixed]) {
      const schema = tilePathParams(registry);
      let fast = 0;
      for (let i = 0; i < 4000; i++) {
        const layers = random() < 0.9 ? Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(ids)).join(',') : pick(['', 'nope', 'grids,', ',grids', 'grids,,centers', 'GRIDS', 'x'.repeat(300)]);
        const z = random() < 0.7 ? String(Math.floor(random() * 20)) : pick(numbers);
        const side = 2 ** Math.min(Number(z) || 0, 30);
        const coordinate = () => (random() < 0.8 ? String(Math.floor(random() * side * 1.1)) : pick(numbers));
        const [x, y] = [coordinate(), coordinate()];
        const got = fastTilePath(layers, z, x, y, registry);
        let want: unknown;
        try {
          const result = schema.safeParse({ layers, z, x, y });
          want = result.success ? result.data : 'refused';
        } catch {
          want = 'refused'; // an unknown layer (404)
        }
        if (got === undefined) {
          // Left to the schema only when the schema refuses it: the hand path takes every good tile.
          expect(want, `${layers}/${z}/${x}/${y}`).toBe('refused');
        } else {
          fast++;
          expect(got, `${layers}/${z}/${x}/${y}`).toEqual(want);
        }
      }
      // Both outcomes occur often: the comparison above is not vacuous either way.
      expect(fast).toBeGreaterThan(1000);
      expect(fast).toBeLessThan(3600);
    }
  });
});
