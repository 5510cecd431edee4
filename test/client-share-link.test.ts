/**
 * The shareable link's query string (client/share-link.js) and the search
 * box's rule for what it sends (client/search-box.js), without a browser:
 * a view written and read back is the same view, nonsense in a link is
 * left out, parameters the link does not own are kept, and the search box
 * sends nothing empty or longer than the server takes.
 */
import { describe, expect, it } from 'vitest';

/** Plain JS modules of the client (JSDoc-typed, no .d.ts), loaded by URL. */
const load = async <T>(file: string) => (await import(new URL(`../client/${file}`, import.meta.url).href)) as T;

interface SharedView {
  lang?: string;
  center?: [number, number];
  zoom?: number;
  place?: [number, number] | null;
  mode?: 'explore' | 'plan';
  scenario?: string | null;
}
const { readSharedView, sharedViewSearch } = await load<{
  readSharedView(search: string): SharedView;
  sharedViewSearch(search: string, view: SharedView): string;
}>('share-link.js');
const { searchText, MAX_QUERY_CHARS } = await load<{
  searchText(raw: string): { q: string } | { skip: 'empty' | 'long'; length: number };
  MAX_QUERY_CHARS: number;
}>('search-box.js');

describe('shareable link', () => {
  it('writes a view and reads the same view back', () => {
    const view: SharedView = { lang: 'en', center: [119.01234, 25.4321], zoom: 15.25, place: [119.012345, 25.432101], mode: 'plan', scenario: '3' };
    // The scenario is the planner tools' to write (scenario-url.js): kept as the address has it.
    expect(sharedViewSearch('', view)).toBe('?lang=en&center=119.01234,25.4321&zoom=15.25&place=119.012345,25.432101&mode=plan');
    const search = sharedViewSearch('?scenario=3&zoom=2', view);
    expect(search).toBe('?lang=en&center=119.01234,25.4321&zoom=15.25&place=119.012345,25.432101&mode=plan&scenario=3');
    expect(readSharedView(search)).toEqual(view);
  });

  it('rounds to what a link needs, and leaves out explore mode and a closed place', () => {
    const search = sharedViewSearch('', { lang: 'zh-CN', center: [119.0123456789, 25.4], zoom: 14.123456, place: null, mode: 'explore' });
    expect(search).toBe('?lang=zh-CN&center=119.01235,25.4&zoom=14.12');
    expect(readSharedView(search)).toEqual({ lang: 'zh-CN', center: [119.01235, 25.4], zoom: 14.12 });
  });

  it('keeps parameters it does not own, and replaces its own', () => {
    expect(sharedViewSearch('?debug=1&zoom=3&lang=en', { lang: 'zh-CN', zoom: 12 })).toBe('?lang=zh-CN&zoom=12&debug=1');
    expect(sharedViewSearch('?place=1,2', {})).toBe('');
  });

  it('leaves out what makes no sense', () => {
    expect(readSharedView('?center=200,25&zoom=40&place=abc&mode=fly&scenario=1e3')).toEqual({});
    expect(readSharedView('?center=119,95&zoom=-1&place=119.1,25.4,3')).toEqual({});
    expect(readSharedView('?place=%20119.5%20,%2025.5%20&zoom=0')).toEqual({ place: [119.5, 25.5], zoom: 0 });
  });
});

describe('search box', () => {
  it('sends the trimmed text, never an empty or over-long one', () => {
    expect(searchText('  上光社区 ')).toEqual({ q: '上光社区' });
    expect(searchText('   ')).toEqual({ skip: 'empty', length: 0 });
    expect(searchText('社'.repeat(MAX_QUERY_CHARS))).toEqual({ q: '社'.repeat(MAX_QUERY_CHARS) });
    expect(searchText('社'.repeat(MAX_QUERY_CHARS + 1))).toEqual({ skip: 'long', length: MAX_QUERY_CHARS + 1 });
    // Characters, not UTF-16 units: 64 emoji are 64 characters, as the server counts them.
    expect(searchText('😀'.repeat(MAX_QUERY_CHARS))).toEqual({ q: '😀'.repeat(MAX_QUERY_CHARS) });
  });
});
