import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, thousands } from './progress.ts';

describe('thousands', () => {
  it('groups digits by three', () => {
    expect([0, 7, 999, 1000, 25272, 946257, 1234567].map(thousands)).toEqual(['0', '7', '999', '1,000', '25,272', '946,257', '1,234,567']);
  });
});

function capture(isTTY = false) {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  stream.isTTY = isTTY;
  return { stream, text: () => text };
}

describe('createProgress', () => {
  it('writes one line per stage when not on a terminal, and nothing when quiet', () => {
    const out = capture();
    const p = createProgress(out.stream);
    p.stage('reading');
    p.update(1, 2, 'bytes');
    p.stage('writing');
    p.update(12345, 20000, 'rows');
    p.done();
    expect(out.text()).toMatch(/^reading …\nreading: done in \d+\.\d\d s\nwriting …\nwriting: done in \d+\.\d\d s\n$/);
    const quiet = capture();
    const q = createProgress(quiet.stream, true);
    q.stage('reading');
    q.done();
    expect(quiet.text()).toBe('');
  });

  it('redraws one line on a terminal, with counts grouped by three', () => {
    const out = capture(true);
    const p = createProgress(out.stream);
    p.stage('writing');
    p.update(20000, 20000, 'households');
    p.done();
    expect(out.text()).toContain('writing … 100% (20,000 of 20,000 households)');
    expect(out.text()).toMatch(/writing … done in \d+\.\d\d s\n$/);
  });
});
