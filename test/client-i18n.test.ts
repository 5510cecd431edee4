/**
 * The client's languages: both string files have the same keys, the same
 * placeholders per key and no empty text; every key the client's code and
 * pages use exists in both; the starting language follows the address, an
 * earlier choice, then the browser, and is Chinese otherwise.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Plain JS modules of the client (JSDoc-typed, no .d.ts), loaded by URL. */
const load = async <T>(file: string) => (await import(new URL(`../client/${file}`, import.meta.url).href)) as T;
const zh = (await load<{ default: Record<string, string> }>('locale-zh-CN.js')).default;
const en = (await load<{ default: Record<string, string> }>('locale-en.js')).default;
type Sources = { address?: string | null; stored?: string | null; browser?: readonly string[] };
const { chooseLanguage, languageOf } = await load<{ chooseLanguage(s: Sources): string; languageOf(code: string | null): string | undefined }>('i18n.js');

const CLIENT = fileURLToPath(new URL('../client/', import.meta.url));
const LANGUAGES: Record<string, Record<string, string>> = { 'zh-CN': zh, en };

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Keys the code names: t('key') and string literals shaped like keys ('section.name'). */
function keysUsedInCode(): Map<string, string> {
  const used = new Map<string, string>();
  for (const name of readdirSync(CLIENT)) {
    const text = readFileSync(path.join(CLIENT, name), 'utf8');
    if (name.endsWith('.js') && !name.startsWith('locale-')) {
      for (const m of text.matchAll(/'([a-z][A-Za-z]*\.[A-Za-z][A-Za-z0-9.]*)'/g)) {
        const key = m[1]!;
        if (/\.(js|css|json|html|svg|png|mvt)$/.test(key)) continue;
        used.set(key, name);
      }
    }
    if (name.endsWith('.html')) {
      for (const m of text.matchAll(/data-i18n="([^"]+)"/g)) used.set(m[1]!, name);
      for (const m of text.matchAll(/data-i18n-attr="([^"]+)"/g)) {
        for (const pair of m[1]!.split(';')) used.set(pair.split(':')[1]!.trim(), name);
      }
    }
  }
  return used;
}

describe('client strings', () => {
  it('has the same keys in Chinese and English, with the same placeholders and no empty text', () => {
    const zhKeys = Object.keys(zh).sort();
    const enKeys = Object.keys(en).sort();
    expect(zhKeys.filter((k) => !(k in en)), 'keys missing in English').toEqual([]);
    expect(enKeys.filter((k) => !(k in zh)), 'keys missing in Chinese').toEqual([]);
    expect(zhKeys.length).toBeGreaterThan(50);
    for (const key of zhKeys) {
      expect(placeholders(zh[key]!), key).toEqual(placeholders(en[key]!));
      for (const [language, strings] of Object.entries(LANGUAGES)) expect(strings[key]!.trim(), `${language} ${key}`).not.toBe('');
    }
  });

  it('has every key the code and pages use, in both languages', () => {
    const used = keysUsedInCode();
    expect(used.size).toBeGreaterThan(30);
    const missing = [...used].filter(([key]) => !(key in zh) || !(key in en)).map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });

  it("names the standard's facility kinds as kernel/life-circle-standard.json does", () => {
    // The search box and the scenario popups know a center's kind by its code only: the names come from here.
    const standard = JSON.parse(readFileSync(new URL('../kernel/life-circle-standard.json', import.meta.url), 'utf8')) as { kinds: { kind: string; name: string; nameZh: string }[] };
    expect(standard.kinds.length).toBeGreaterThan(10);
    for (const { kind, name, nameZh } of standard.kinds) {
      // The two planning kinds carry the programme's name after the standard's ("党群服务中心（党建+）").
      if (kind === 'neighborhood' || kind === 'governance') {
        expect(zh[`kind.${kind}`], kind).toMatch(new RegExp(`^${nameZh}`));
        expect(en[`kind.${kind}`], kind).toBe(name);
      } else {
        expect([zh[`kind.${kind}`], en[`kind.${kind}`]], kind).toEqual([nameZh, name]);
      }
    }
  });

  it('writes the Chinese strings in Chinese', () => {
    // A copy-paste of the English file into the Chinese one would pass the key checks.
    const han = Object.entries<string>(zh).filter(([key, text]) => !key.startsWith('maplibre.ScaleControl') && /\p{Script=Han}/u.test(text));
    expect(han.length / Object.keys(zh).length).toBeGreaterThan(0.9);
  });
});

describe('starting language', () => {
  it('reads language codes', () => {
    expect(languageOf('zh')).toBe('zh-CN');
    expect(languageOf('zh-Hans-CN')).toBe('zh-CN');
    expect(languageOf('en-GB')).toBe('en');
    expect(languageOf('fr')).toBeUndefined();
    expect(languageOf(null)).toBeUndefined();
  });

  it('takes the address first, then an earlier choice, then the browser, else Chinese', () => {
    expect(chooseLanguage({ address: 'en', stored: 'zh-CN', browser: ['zh-CN'] })).toBe('en');
    expect(chooseLanguage({ address: null, stored: 'en', browser: ['zh-CN'] })).toBe('en');
    expect(chooseLanguage({ address: 'xx', stored: null, browser: ['fr-FR', 'en-US', 'zh-CN'] })).toBe('en');
    expect(chooseLanguage({ address: null, stored: null, browser: ['fr-FR', 'zh-TW', 'en'] })).toBe('zh-CN');
    expect(chooseLanguage({ address: null, stored: null, browser: ['fr-FR'] })).toBe('zh-CN');
    expect(chooseLanguage({})).toBe('zh-CN');
  });
});
