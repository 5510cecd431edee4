import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGridsFile } from './grids-file.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'lc-grid-totals-'));
const square = [[[7.41, 43.73], [7.42, 43.73], [7.42, 43.74], [7.41, 43.74], [7.41, 43.73]]];
let n = 0;
/** A grids file with one feature per properties object. */
function gridsFile(...properties: Record<string, unknown>[]): string {
  const file = path.join(dir, `grids-${n++}.geojson`);
  const features = properties.map((p, i) => ({ type: 'Feature', properties: { code: `G${i}`, ...p }, geometry: { type: 'Polygon', coordinates: square } }));
  writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features }));
  return file;
}

describe('household totals in a grids file', () => {
  it('reads households and persons, in English or Chinese, as numbers or digit strings; absent or empty is no total', () => {
    const file = gridsFile(
      { households: 120, persons: 300 },
      { 户数: '45', 人口: ' 110 ' },
      { households: 7 },
      {},
      { households: '', 户数: null },
      { households: 0 },
      { households: 12, 户数: 12 },
    );
    expect(readGridsFile(file).map((g) => [g.code, g.households, g.persons])).toEqual([
      ['G0', 120, 300],
      ['G1', 45, 110],
      ['G2', 7, null],
      ['G3', null, null],
      ['G4', null, null],
      ['G5', 0, null],
      ['G6', 12, null],
    ]);
  });

  it('refuses a count that is not a whole number >= 0, naming the file, the feature and the property', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ households: -3 }, /feature 1: "households" must be a whole number >= 0, got -3/],
      [{ households: 2.5 }, /feature 1: "households" must be a whole number >= 0, got 2\.5/],
      [{ 户数: '1,200' }, /feature 1: "户数" must be a whole number >= 0, got "1,200"/],
      [{ households: 10, persons: 'many' }, /feature 1: "persons" must be a whole number >= 0, got "many"/],
      [{ households: 10, 人口: true }, /feature 1: "人口" must be a whole number >= 0, got true/],
    ];
    for (const [props, message] of cases) {
      const file = gridsFile({ households: 1 }, props);
      expect(() => readGridsFile(file)).toThrow(message);
      expect(() => readGridsFile(file)).toThrow(file);
    }
  });

  it('refuses two names that disagree, persons without households, and persons in a grid of 0 households', () => {
    expect(() => readGridsFile(gridsFile({ households: 10, 户数: 11 }))).toThrow(/feature 0: "households" \(10\) and "户数" \(11\) disagree/);
    expect(() => readGridsFile(gridsFile({ persons: 30 }))).toThrow(/feature 0: "persons" is given without "households"/);
    expect(() => readGridsFile(gridsFile({ households: 0, 人口: 5 }))).toThrow(/feature 0: "persons" is 5 but "households" is 0/);
  });
});
