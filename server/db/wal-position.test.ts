import { describe, expect, it } from 'vitest';
import { formatLsn, insertPositionAsRecordEnd, parseLsn } from './wal-position.ts';

describe('WAL positions', () => {
  it('reads and prints LSNs as PostgreSQL does', () => {
    expect(parseLsn('0/3000148')).toBe(0x3000148n);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n);
    expect(formatLsn(parseLsn('16/B374D848'))).toBe('16/B374D848');
    expect(parseLsn('FFFFFFFF/FFFFFFFF') > parseLsn('1/0')).toBe(true);
    for (const bad of ['', '0', '0/', '/1', '0/123456789', 'x/1', '0/1 ']) expect(() => parseLsn(bad), bad).toThrow(/not a WAL position/);
  });

  it('moves an insert position just past a page header back to the page boundary, and nothing else', () => {
    const block = 8192n;
    const segment = 16n * 1024n * 1024n;
    // Past a short header inside a segment: the last record ended at the boundary.
    expect(insertPositionAsRecordEnd(5n * block + 24n, block, segment)).toBe(5n * block);
    // Past the long header of a segment's first page.
    expect(insertPositionAsRecordEnd(3n * segment + 40n, block, segment)).toBe(3n * segment);
    // A record that ends 40 bytes into an ordinary page, or 24 into a segment's first one, is a real end.
    expect(insertPositionAsRecordEnd(5n * block + 40n, block, segment)).toBe(5n * block + 40n);
    expect(insertPositionAsRecordEnd(3n * segment + 24n, block, segment)).toBe(3n * segment + 24n);
    expect(insertPositionAsRecordEnd(5n * block + 1000n, block, segment)).toBe(5n * block + 1000n);
  });
});
