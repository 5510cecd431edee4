import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBackends, openTestDatabase, type TestDatabase } from '../../test/backends.ts';
import type { MultiPolygonCoords } from '../import-bundle.ts';
import { BinaryCopyWriter, copyStatement } from './binary-copy.ts';

describe('copyStatement', () => {
  it('takes plain identifiers only', () => {
    expect(copyStatement('walk_nodes', ['id', 'geom'], 'STDIN')).toBe('COPY walk_nodes (id, geom) FROM STDIN (FORMAT binary)');
    expect(() => copyStatement('walk_nodes; DROP TABLE x', ['id'], 'STDIN')).toThrow(/not a plain identifier/);
    expect(() => copyStatement('t', ['"id"'], 'STDIN')).toThrow(/not a plain identifier/);
  });
});

describe('BinaryCopyWriter', () => {
  it('refuses rows with too many or too few fields', () => {
    const w = new BinaryCopyWriter();
    w.row(1).int4(1);
    expect(() => w.int4(2)).toThrow(/more fields/);
    const v = new BinaryCopyWriter();
    v.row(2).int4(1);
    expect(() => v.row(1)).toThrow(/missing 1 field/);
    expect(() => v.end()).toThrow(/missing 1 field/);
  });

  it('encodes a flat ring like the same polygon given as arrays, closing open rings once', () => {
    const bytes = (encode: (w: BinaryCopyWriter) => void) => {
      const w = new BinaryCopyWriter();
      encode(w.row(1));
      return Buffer.concat(w.end());
    };
    const closed = new Float64Array([0, 0, 2, 0, 2, 2, 0, 0]);
    const open = closed.subarray(0, 6);
    const polygon: MultiPolygonCoords = [[[[0, 0], [2, 0], [2, 2], [0, 0]]]];
    const expected = bytes((w) => w.multiPolygon(polygon));
    expect(bytes((w) => w.ringPolygon({ coords: closed, from: 0, to: 4 }))).toEqual(expected);
    expect(bytes((w) => w.ringPolygon({ coords: open, from: 0, to: 3 }))).toEqual(expected);
  });

  it('hands on chunks as it goes, each ending on a row boundary', () => {
    const w = new BinaryCopyWriter();
    let early = 0;
    for (let i = 0; i < 40_000; i++) {
      w.row(2).int4(i).text(`row ${i} with some text to fill the chunk`);
      early += w.takeChunks().length;
    }
    const last = w.end();
    expect(early).toBeGreaterThan(3);
    expect(last.length).toBe(1);
  });
});

// Every field type the importer writes, read back through SQL on both backends.
describeBackends('binary COPY', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
    await t.db.exec(`CREATE TABLE copy_probe (
      i int, b bigint, r real, d double precision, s text, a text[],
      p geometry(Point, 4326), l geometry(LineString, 4326), m geometry(MultiPolygon, 4326), g geometry(Geometry, 4326), f geometry(MultiPolygon, 4326))`);
  });
  afterAll(() => t?.dispose());

  it('round-trips every field type, NULLs and non-ASCII text', async () => {
    const square: MultiPolygonCoords = [[[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], [[0.2, 0.2], [0.2, 0.4], [0.4, 0.4], [0.2, 0.2]]]];
    const w = new BinaryCopyWriter();
    // f: an open ring from flat coordinates (vertices 1..3 of 5), closed by the writer.
    const flat = new Float64Array([9, 9, 0, 0, 2, 0, 2, 2, 9, 9]);
    w.row(11).int4(-7).int8(9_007_199_254_740_991).float4(2.5).float8(Math.PI).text('莆田市 城厢区').textArray(['health', 'market'])
      .point(119.0077, 25.4541).lineFromFlat(new Float64Array([9, 9, 1, 2, 3, 4, 5, 6]), 1, 4).multiPolygon(square).line([[7, 8], [9, 10]])
      .ringPolygon({ coords: flat, from: 1, to: 4 });
    w.row(11).null().null().null().null().text(null).textArray([]).null().null().multiPolygon(null).null().null();
    await t.db.transaction((tx) => tx.copyBinary('copy_probe', ['i', 'b', 'r', 'd', 's', 'a', 'p', 'l', 'm', 'g', 'f'], w.end()));

    const rows = await t.db.query<Record<string, unknown>>(
      `SELECT i, b, r, d, s, a, ST_AsText(p) AS p, ST_AsText(l) AS l, ST_AsText(m) AS m, ST_AsText(g) AS g, ST_AsText(f) AS f,
              ST_SRID(p) AS srid, ST_Area(m) AS area
       FROM copy_probe ORDER BY i NULLS LAST`,
    );
    expect(rows).toEqual([
      {
        i: -7,
        b: 9_007_199_254_740_991,
        r: 2.5,
        d: Math.PI,
        s: '莆田市 城厢区',
        a: ['health', 'market'],
        p: 'POINT(119.0077 25.4541)',
        l: 'LINESTRING(1 2,3 4,5 6)',
        m: 'MULTIPOLYGON(((0 0,1 0,1 1,0 1,0 0),(0.2 0.2,0.2 0.4,0.4 0.4,0.2 0.2)))',
        g: 'LINESTRING(7 8,9 10)',
        f: 'MULTIPOLYGON(((0 0,2 0,2 2,0 0)))',
        srid: 4326,
        area: expect.closeTo(1 - 0.02, 9),
      },
      { i: null, b: null, r: null, d: null, s: null, a: [], p: null, l: null, m: null, g: null, f: null, srid: null, area: null },
    ]);
  });

  it('a bad row fails the COPY and leaves the table as it was', async () => {
    const before = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM copy_probe');
    const w = new BinaryCopyWriter();
    w.row(1).int4(1);
    w.row(1).text('not an int'); // wrong byte length for int4
    await expect(t.db.transaction((tx) => tx.copyBinary('copy_probe', ['i'], w.end()))).rejects.toThrow();
    expect(await t.db.query('SELECT count(*)::int AS n FROM copy_probe')).toEqual(before);
  });
});
