import { describe, expect, it } from 'vitest';
import type { BBox } from './data-change.ts';
import { decodeAnnouncement, encodeAnnouncement } from './change-announcements.ts';

describe('announcements', () => {
  it('round-trip both kinds of change', () => {
    const features = { type: 'features' as const, version: '7-ab', layers: ['centers'], boxes: [[119, 25.4, 119.01, 25.41] as BBox] };
    expect(decodeAnnouncement(encodeAnnouncement('a', features))).toEqual({ origin: 'a', change: features });
    const replaced = { type: 'replaced' as const, version: '8-cd' };
    expect(decodeAnnouncement(encodeAnnouncement('import', replaced))).toEqual({ origin: 'import', change: replaced });
  });

  it('fit PostgreSQL payload limit by merging many boxes into one that covers them all', () => {
    const boxes: BBox[] = Array.from({ length: 400 }, (_, i) => [119 + i * 0.001, 25 + i * 0.0005, 119.0004 + i * 0.001, 25.0003 + i * 0.0005]);
    const payload = encodeAnnouncement('a', { type: 'features', version: '9-ef', layers: ['centers'], boxes });
    expect(payload.length).toBeLessThan(8000);
    const decoded = decodeAnnouncement(payload)!;
    expect(decoded.change).toMatchObject({ type: 'features', version: '9-ef', layers: ['centers'] });
    const [box] = (decoded.change as { boxes: BBox[] }).boxes;
    expect(box).toEqual([119, 25, 119.0004 + 399 * 0.001, 25.0003 + 399 * 0.0005]);
  });

  it('ignore payloads that are not ours', () => {
    for (const payload of [
      'hello',
      '{}',
      'null',
      '{"origin":"a"}',
      '{"origin":1,"change":{"type":"replaced","version":"v"}}',
      '{"origin":"a","change":{"type":"dropped","version":"v"}}',
      '{"origin":"a","change":{"type":"features","version":"v","layers":"centers","boxes":[]}}',
      '{"origin":"a","change":{"type":"features","version":"v","layers":["centers"],"boxes":[[1,2,3]]}}',
      '{"origin":"a","change":{"type":"features","version":"v","layers":["centers"],"boxes":[[1,2,3,"x"]]}}',
    ]) {
      expect(decodeAnnouncement(payload), payload).toBeUndefined();
    }
  });
});
