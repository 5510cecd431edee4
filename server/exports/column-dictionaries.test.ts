/**
 * The export dictionaries: every entry has its Chinese and its English, with
 * the same placeholders, the Chinese in Chinese and the English without
 * Chinese; column keys are unique per export; headers fill their
 * placeholders and a share's header says 0-1 only in CSV.
 */
import { describe, expect, it } from 'vitest';
import { COVERAGE_EXPORT, EXPORT_DICTIONARIES, EXPORT_LANGS, headerOf, SCENARIO_EXPORT, STANDARD_EXPORT, wordsIn, type Words } from './column-dictionaries.ts';

/** Every object holding a `zh` or an `en` in the dictionaries, with where it is. */
function entries(value: unknown, where: string, out: [string, Partial<Words>][] = []): [string, Partial<Words>][] {
  if (Array.isArray(value)) value.forEach((v, i) => entries(v, `${where}[${i}]`, out));
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('zh' in record || 'en' in record) out.push([where, record as Partial<Words>]);
    for (const [key, inner] of Object.entries(record)) if (key !== 'zh' && key !== 'en') entries(inner, `${where}.${key}`, out);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const HAN = /\p{Script=Han}/u;

describe('export dictionaries', () => {
  const all = entries(EXPORT_DICTIONARIES, 'dictionaries');

  it('give every column, sheet and file name in both languages, with the same placeholders', () => {
    expect(all.length).toBeGreaterThan(30);
    const problems: string[] = [];
    for (const [where, words] of all) {
      for (const lang of EXPORT_LANGS) if (typeof words[lang] !== 'string' || words[lang]!.trim() === '') problems.push(`${where}: no ${lang}`);
      if (typeof words.zh === 'string' && typeof words.en === 'string') {
        if (placeholders(words.zh).join() !== placeholders(words.en).join()) problems.push(`${where}: placeholders differ`);
        if (HAN.test(words.en)) problems.push(`${where}: Chinese in the English "${words.en}"`);
      }
    }
    expect(problems).toEqual([]);
    // Texts that name something (not a unit such as "（0–1）") are written in Chinese.
    const named = all.filter(([where]) => !where.endsWith('SHARE_UNIT'));
    expect(named.filter(([, w]) => !HAN.test(w.zh ?? '')).map(([where]) => where)).toEqual([]);
  });

  it('would notice a column without its English', () => {
    const broken = { columns: [{ key: 'x', type: 'count', zh: '户数' }] };
    expect(entries(broken, 'broken').filter(([, w]) => typeof w.en !== 'string')).toHaveLength(1);
  });

  it('has each field once per export', () => {
    const keys = (columns: { key: string }[]) => columns.map((c) => c.key);
    for (const columns of [[...COVERAGE_EXPORT.columns, ...COVERAGE_EXPORT.scenarioColumns], SCENARIO_EXPORT.columns, STANDARD_EXPORT.lead, STANDARD_EXPORT.tier, STANDARD_EXPORT.kind, STANDARD_EXPORT.all]) {
      expect(new Set(keys(columns)).size).toBe(columns.length);
    }
  });

  it('fills placeholders, and gives a share 0-1 in its header only in CSV', () => {
    const share = COVERAGE_EXPORT.columns.find((c) => c.key === 'share')!;
    expect(headerOf(share, 'zh', 'csv', { minutes: 10 })).toBe('10 分钟覆盖率（0–1）');
    expect(headerOf(share, 'zh', 'xlsx', { minutes: 10 })).toBe('10 分钟覆盖率');
    expect(headerOf(share, 'en', 'csv', { minutes: 5 })).toBe('Share within 5 min (0–1)');
    const households = COVERAGE_EXPORT.columns.find((c) => c.key === 'households')!;
    expect(headerOf(households, 'en', 'csv')).toBe('Households');
    expect(wordsIn(STANDARD_EXPORT.kind[0]!, 'zh', { minutes: 5, kind: '幼儿园' })).toBe('5 分钟内可达幼儿园的户数');
    // A placeholder without a value stays visible rather than vanishing.
    expect(wordsIn(STANDARD_EXPORT.kind[0]!, 'en', { minutes: 5 })).toBe('{kind} within 5 min: households');
  });
});
