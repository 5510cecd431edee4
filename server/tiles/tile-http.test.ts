import { describe, expect, it } from 'vitest';
import { matchesIfNoneMatch, negotiateEncoding, tileCacheControl, tileEtag } from './tile-http.ts';

describe('tile HTTP helpers', () => {
  it('negotiates br before gzip, by q-value, with * and malformed weights', () => {
    expect(negotiateEncoding(undefined)).toBeNull();
    expect(negotiateEncoding('')).toBeNull();
    expect(negotiateEncoding('identity')).toBeNull();
    expect(negotiateEncoding('gzip')).toBe('gzip');
    expect(negotiateEncoding('gzip, deflate, br')).toBe('br');
    expect(negotiateEncoding('br;q=0.5, gzip')).toBe('gzip');
    expect(negotiateEncoding('br;q=0, gzip;q=0')).toBeNull();
    expect(negotiateEncoding('*')).toBe('br');
    expect(negotiateEncoding('br;q=0, *')).toBe('gzip');
    expect(negotiateEncoding('GZIP')).toBe('gzip');
    expect(negotiateEncoding('x-gzip')).toBe('gzip');
    expect(negotiateEncoding('br;q=abc, gzip;q=2')).toBeNull();
    expect(negotiateEncoding(';;;,,,=')).toBeNull();
  });

  it('gives each encoding its own strong ETag and matches any of them on If-None-Match', () => {
    expect(tileEtag('abc', null)).toBe('"abc"');
    expect(tileEtag('abc', 'br')).toBe('"abc-br"');
    expect(tileEtag('abc', 'gzip')).toBe('"abc-gz"');
    expect(matchesIfNoneMatch('"abc"', 'abc')).toBe(true);
    expect(matchesIfNoneMatch('W/"abc-gz"', 'abc')).toBe(true);
    expect(matchesIfNoneMatch('"x", "abc-br"', 'abc')).toBe(true);
    expect(matchesIfNoneMatch('*', 'abc')).toBe(true);
    expect(matchesIfNoneMatch('"abcd"', 'abc')).toBe(false);
    expect(matchesIfNoneMatch('', 'abc')).toBe(false);
    expect(matchesIfNoneMatch(undefined, 'abc')).toBe(false);
  });

  it('lets shared caches store tiles and revalidate them', () => {
    expect(tileCacheControl(0)).toBe('public, max-age=0, must-revalidate');
    expect(tileCacheControl(60)).toBe('public, max-age=60');
  });
});
