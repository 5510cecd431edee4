/**
 * The place-name index without a database: entries and their parents from
 * rows, the ranking (exact, prefix, substring; shorter first; higher level
 * first; then by name), literal matching of characters that are wildcards
 * elsewhere, folding of case and full-width forms, types and limit.
 */
import { describe, expect, it } from 'vitest';
import { buildSearchIndex, charCount, foldText, searchEntries, type AreaRow, type CenterRow, type GridRow } from './search-index.ts';

const box = [119, 25.4, 119.01, 25.41] as [number, number, number, number];
const area = (code: string, level: AreaRow['level'], name: string, parentCode: string | null): AreaRow => ({ code, level, name, parentCode, lon: 119.005, lat: 25.405, bbox: box });
const grid = (code: string, name: string, parentCode: string): GridRow => ({ code, name, parentCode, lon: 119.005, lat: 25.405, bbox: box });
const center = (id: number, name: string, kind: string, parentCode: string | null): CenterRow => ({ id, name, kind, lon: 119.005, lat: 25.405, parentCode });

const AREAS: AreaRow[] = [
  area('3503', 'city', '莆田市', null),
  area('350302', 'district', '城厢区', '3503'),
  area('350302001', 'street', '龙桥街道', '350302'),
  area('350302002', 'street', '东岩街道', '350302'),
  area('350302001001', 'community', '上光社区', '350302001'),
  area('350302002001', 'community', '东岩社区', '350302002'),
  area('350302002002', 'community', '东岩山社区', '350302002'),
  area('350302002003', 'community', '新东岩社区', '350302002'),
  area('350302002004', 'community', 'Riverside Park', '350302002'),
];
const GRIDS: GridRow[] = [
  grid('350302002001001', '东岩社区第1网格', '350302002001'),
  grid('350302002001002', '东岩社区第2网格', '350302002001'),
  grid('350302001001001', '100%_满意网格', '350302001001'),
  grid('350302001001002', '100x满意网格', '350302001001'),
  grid('350302001001003', 'a\\b网格', '350302001001'),
];
const CENTERS: CenterRow[] = [
  center(1, '东岩社区党群服务中心', 'neighborhood', '350302002001'),
  center(2, '城厢区综治中心', 'governance', '350302001001'),
  center(3, 'RIVERSIDE clinic', 'community_health', null),
];
const index = buildSearchIndex(AREAS, GRIDS, CENTERS);
const names = (q: string, limit = 50, types?: Parameters<typeof searchEntries>[2]['types']) => searchEntries(index, q, { limit, types }).hits.map((h) => h.name);

describe('the place-name index', () => {
  it('gives every entry its parents, district first, and a context line; the city is not an entry', () => {
    const byName = new Map(index.entries.map((e) => [e.name, e]));
    expect(byName.has('莆田市')).toBe(false);
    expect(byName.get('城厢区')).toMatchObject({ type: 'district', parents: [], context: '莆田市' });
    expect(byName.get('东岩社区')).toMatchObject({ type: 'community', context: '城厢区 东岩街道' });
    expect(byName.get('东岩社区第1网格')!.parents).toEqual([
      { type: 'district', code: '350302', name: '城厢区' },
      { type: 'street', code: '350302002', name: '东岩街道' },
      { type: 'community', code: '350302002001', name: '东岩社区' },
    ]);
    expect(byName.get('东岩社区党群服务中心')).toMatchObject({ type: 'center', code: '1', kind: 'neighborhood', bbox: null, context: '党群服务中心 · 城厢区 东岩街道 东岩社区' });
    // A center outside every grid: its kind alone.
    expect(byName.get('RIVERSIDE clinic')).toMatchObject({ parents: [], context: '社区卫生服务中心（社区医院）' });
  });

  it('ranks exact before prefix before substring, shorter names and higher levels first within each', () => {
    const { hits } = searchEntries(index, '东岩社区', { limit: 50 });
    expect(hits.map((h) => [h.name, h.match])).toEqual([
      ['东岩社区', 'exact'],
      ['东岩社区第1网格', 'prefix'],
      ['东岩社区第2网格', 'prefix'],
      ['东岩社区党群服务中心', 'prefix'],
      ['新东岩社区', 'substring'],
    ]);
    // Same length (4): the street before the community; then the longer names.
    expect(names('东岩')).toEqual(['东岩街道', '东岩社区', '东岩山社区', '东岩社区第1网格', '东岩社区第2网格', '东岩社区党群服务中心', '新东岩社区']);
  });

  it('finds areas and grids by code: exact first, then the codes under it, shorter (higher) first', () => {
    const { hits } = searchEntries(index, '350302002001', { limit: 50 });
    expect(hits.map((h) => [h.code, h.match])).toEqual([
      ['350302002001', 'exact'],
      ['350302002001001', 'prefix'],
      ['350302002001002', 'prefix'],
    ]);
    expect(names('350302', 4)).toEqual(['城厢区', '龙桥街道', '东岩街道', '上光社区']);
  });

  it('matches %, _ and \\ literally, never as wildcards', () => {
    expect(names('%')).toEqual(['100%_满意网格']);
    expect(names('%_')).toEqual(['100%_满意网格']);
    expect(names('_')).toEqual(['100%_满意网格']);
    expect(names('100_满意')).toEqual([]);
    expect(names('\\')).toEqual(['a\\b网格']);
    expect(names('a\\b')).toEqual(['a\\b网格']);
    expect(names('.*')).toEqual([]);
  });

  it('ignores the case of Latin letters and reads full-width forms as ASCII', () => {
    expect(names('riverside')).toEqual(['Riverside Park', 'RIVERSIDE clinic']);
    expect(names('RIVERSIDE PARK')).toEqual(['Riverside Park']);
    expect(names('ｒｉｖｅｒｓｉｄｅ ｃｌｉｎｉｃ')).toEqual(['RIVERSIDE clinic']);
    expect(names('３５０３０２００２００１', 1)).toEqual(['东岩社区']);
    expect(foldText('ＡＢｃ１')).toBe('abc1');
  });

  it('keeps to the types and the limit asked for, and counts every match', () => {
    expect(names('东岩', 50, ['community'])).toEqual(['东岩社区', '东岩山社区', '新东岩社区']);
    expect(names('东岩', 50, ['grid', 'center'])).toEqual(['东岩社区第1网格', '东岩社区第2网格', '东岩社区党群服务中心']);
    const some = searchEntries(index, '网格', { limit: 2 });
    expect(some.hits).toHaveLength(2);
    expect(some.total).toBe(5);
    expect(searchEntries(index, '不存在', { limit: 10 })).toEqual({ total: 0, hits: [] });
  });

  it('orders ties the same way whatever the order of the rows', () => {
    const shuffled = buildSearchIndex([...AREAS].reverse(), [...GRIDS].reverse(), [...CENTERS].reverse());
    for (const q of ['东岩', '网格', '3503', 'r', '社区']) {
      expect(searchEntries(shuffled, q, { limit: 50 }).hits, q).toEqual(searchEntries(index, q, { limit: 50 }).hits);
    }
  });

  it('counts characters, not UTF-16 units', () => {
    expect(charCount('东岩')).toBe(2);
    expect(charCount('𠀀a')).toBe(2);
  });
});
