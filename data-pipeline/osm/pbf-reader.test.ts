// PBF reader tests: real data facts on Monaco (cross-checked with osmium
// fileinfo / tags-filter / getid), a handcrafted tiny PBF that must decode
// exactly like the equivalent XML, and the failure modes (truncated, garbage,
// unsupported features, handler errors).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import Pbf from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithData, sharedData } from '../../test/shared-data.ts';
import { OsmFormatError, type OsmHandler, type OsmMember, type Tags } from './osm-elements.ts';
import { readPbf } from './pbf-reader.ts';
import { readOsm } from './read-osm.ts';
import { readOsmXml } from './xml-reader.ts';

const monaco = sharedData('osm/monaco.osm.pbf');

const WALKABLE = new Set([
  'footway', 'pedestrian', 'path', 'steps', 'living_street', 'residential',
  'service', 'unclassified', 'tertiary', 'secondary', 'primary', 'track',
]);

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'pbf-reader-test-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** Records every callback as a plain value so two readers can be compared. */
function recorder(): { events: unknown[]; handler: Required<OsmHandler> } {
  const events: unknown[] = [];
  return {
    events,
    handler: {
      node: (id, lon, lat, tags) => events.push(['node', id, lon, lat, tags]),
      way: (id, refs, tags) => events.push(['way', id, Array.from(refs), tags]),
      relation: (id, members, tags) => events.push(['relation', id, members, tags]),
    },
  };
}

describeWithData('readPbf on Monaco', monaco, () => {
  it('decodes every element with sane coordinates and tags', async () => {
    let nodes = 0;
    let ways = 0;
    let relations = 0;
    let outsideBbox = 0;
    let outsidePadded = 0;
    let taggedNodes = 0;
    let amenityNodes = 0;
    let refCount = 0;
    const walkable: Record<string, number> = {};
    const stats = await readPbf(monaco.path, {
      node(_id, lon, lat, tags) {
        nodes++;
        if (lon < 7.349 || lon > 7.491 || lat < 43.7148 || lat > 43.77) outsideBbox++;
        if (lon < 7.348 || lon > 7.492 || lat < 43.7138 || lat > 43.771) outsidePadded++;
        if (tags !== null) {
          taggedNodes++;
          if (tags.amenity !== undefined) amenityNodes++;
        }
      },
      way(_id, refs, tags) {
        ways++;
        refCount += refs.length;
        const highway = tags.highway;
        if (highway !== undefined && WALKABLE.has(highway)) walkable[highway] = (walkable[highway] ?? 0) + 1;
      },
      relation() {
        relations++;
      },
    });
    console.log(`Monaco PBF: ${stats.nodes} nodes, ${stats.ways} ways, ${stats.relations} relations in ${stats.ms.toFixed(1)} ms`);

    expect(nodes).toBe(180_118);
    expect(ways).toBe(27_377);
    expect(relations).toBe(212);
    expect(stats).toMatchObject({ nodes: 180_118, ways: 27_377, relations: 212, bytes: 1_759_101 });
    // One node sits at lat 43.7147967, just south of the header bbox.
    expect(outsideBbox).toBeLessThanOrEqual(10);
    expect(outsidePadded).toBe(0);
    expect(taggedNodes).toBe(3_090);
    expect(amenityNodes).toBe(422);
    expect(refCount).toBe(238_855);
    expect(walkable).toEqual({
      footway: 566, pedestrian: 96, path: 169, steps: 259, living_street: 22, residential: 660,
      service: 394, unclassified: 63, tertiary: 83, secondary: 140, primary: 309, track: 63,
    });
    expect(Object.values(walkable).reduce((a, b) => a + b, 0)).toBe(2_824);
  });

  it('decodes known elements exactly (values from osmium getid)', async () => {
    const nodes = new Map<number, [number, number]>();
    let way: { refs: number[]; tags: Tags } | undefined;
    let relation: { members: OsmMember[]; tags: Tags } | undefined;
    await readPbf(monaco.path, {
      node(id, lon, lat) {
        if (id === 21_911_863 || id === 4_035_273_179) nodes.set(id, [lon, lat]);
      },
      way(id, refs, tags) {
        if (id === 4_097_656) way = { refs: Array.from(refs), tags };
      },
      relation(id, members, tags) {
        if (id === 7385) relation = { members, tags };
      },
    });
    expect(nodes.get(21_911_863)).toEqual([7.422028, 43.7370125]);
    expect(nodes.get(4_035_273_179)).toEqual([7.3628142, 43.7250224]);
    expect(way).toEqual({
      refs: [21912089, 1079750744, 2104793864, 1110560507, 21912093, 21912095, 1079751630, 21912097, 21912099],
      tags: { name: 'Avenue Princesse Alice', lanes: '2', oneway: 'yes', highway: 'primary' },
    });
    expect(relation?.members).toHaveLength(20);
    expect(relation?.members[0]).toEqual({ type: 'way', ref: 398372185, role: 'outer' });
    expect(relation?.tags).toMatchObject({ name: 'Alpes-Maritimes', type: 'boundary', 'name:de': 'Seealpen' });
  });

  it('counts relations without decoding them when the handler has no relation callback', async () => {
    const stats = await readPbf(monaco.path, { node() {}, way() {} });
    expect(stats).toMatchObject({ nodes: 180_118, ways: 27_377, relations: 212 });
  });

  it('reports progress up to the file size and honours an abort signal', async () => {
    const seen: number[] = [];
    await readPbf(monaco.path, { node() {}, way() {} }, {
      onProgress: (p) => {
        expect(p.totalBytes).toBe(1_759_101);
        seen.push(p.bytesRead);
      },
    });
    expect(seen.length).toBeGreaterThan(2);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(1_759_101);

    const controller = new AbortController();
    let nodes = 0;
    const read = readPbf(monaco.path, {
      node() {
        if (++nodes === 1000) controller.abort(new Error('enough'));
      },
      way() {},
    }, { signal: controller.signal });
    await expect(read).rejects.toThrow('enough');
    expect(nodes).toBeLessThan(180_118);
  });

  it('rejects a truncated copy with an OsmFormatError naming the file and blob', async () => {
    const truncated = join(tmp, 'monaco-truncated.osm.pbf');
    writeFileSync(truncated, readFileSync(monaco.path).subarray(0, 1_000_000));
    const error = await readPbf(truncated, { node() {}, way() {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OsmFormatError);
    expect((error as Error).message).toContain('monaco-truncated.osm.pbf');
    expect((error as Error).message).toMatch(/blob #\d+ at byte \d+: truncated file/);
  });

  it('is read through readOsm by extension', async () => {
    const stats = await readOsm(monaco.path, { node() {}, way() {} });
    expect(stats.nodes).toBe(180_118);
  });
});

// ------------------------------------------------------------ tiny handcrafted PBF

interface TinyNode { id: number; latNano: number; lonNano: number; tags: Tags | null }
interface TinyWay { id: number; refs: number[]; tags: Tags }
interface TinyRelation { id: number; members: OsmMember[]; tags: Tags }

// Coordinates in nanodegrees, chosen to be representable with both
// granularity 100 / no offset and granularity 1000 / odd offsets.
const DENSE: TinyNode[] = [
  { id: 1, latNano: 43_700_002_500, lonNano: 7_399_999_700, tags: null },
  { id: 2, latNano: 43_700_003_500, lonNano: 7_400_001_700, tags: { amenity: 'cafe', name: 'Café "Ü" & <b>' } },
  { id: 3, latNano: 43_700_003_500, lonNano: 7_400_001_700, tags: null },
];
const PLAIN: TinyNode[] = [{ id: 5, latNano: -33_250_000_500, lonNano: -500_000_300, tags: { highway: 'crossing' } }];
const WAYS: TinyWay[] = [
  { id: 10, refs: [1, 2, 5, 99], tags: { highway: 'footway' } },
  { id: 11, refs: [2, 1], tags: {} },
];
const RELATIONS: TinyRelation[] = [{
  id: 20,
  members: [{ type: 'node', ref: 1, role: 'stop' }, { type: 'way', ref: 10, role: '' }, { type: 'relation', ref: 21, role: 'sub' }],
  tags: { type: 'route' },
}];

interface Variant { granularity: number; latOffset: number; lonOffset: number }
const PLAIN_VARIANT: Variant = { granularity: 100, latOffset: 0, lonOffset: 0 };
const OFFSET_VARIANT: Variant = { granularity: 1000, latOffset: 500, lonOffset: -300 };

function deltas(values: number[]): number[] {
  return values.map((v, i) => v - (i === 0 ? 0 : values[i - 1]));
}

class StringTable {
  readonly strings = [''];
  id(s: string): number {
    let i = this.strings.indexOf(s);
    if (i === -1) i = this.strings.push(s) - 1;
    return i;
  }
}

function messageBytes(write: (pbf: Pbf) => void): Uint8Array {
  const pbf = new Pbf();
  write(pbf);
  return pbf.finish().slice();
}

function encodeBlock(v: Variant, badStringIndex = false): Uint8Array {
  const st = new StringTable();
  const raw = (nano: number, offset: number): number => (nano - offset) / v.granularity;
  const tagIds = (tags: Tags | null): [number[], number[]] => {
    const entries = Object.entries(tags ?? {});
    return [entries.map(([k]) => (badStringIndex ? 999 : st.id(k))), entries.map(([, val]) => st.id(val))];
  };
  const dense = messageBytes((g) => g.writeMessage(2, (_: null, p: Pbf) => {
    p.writePackedSVarint(1, deltas(DENSE.map((n) => n.id)));
    p.writePackedSVarint(8, deltas(DENSE.map((n) => raw(n.latNano, v.latOffset))));
    p.writePackedSVarint(9, deltas(DENSE.map((n) => raw(n.lonNano, v.lonOffset))));
    p.writePackedVarint(10, DENSE.flatMap((n) => {
      const [keys, vals] = tagIds(n.tags);
      return [...keys.flatMap((k, i) => [k, vals[i]]), 0];
    }));
  }, null));
  const plain = messageBytes((g) => PLAIN.forEach((n) => g.writeMessage(1, (_: null, p: Pbf) => {
    const [keys, vals] = tagIds(n.tags);
    p.writeSVarintField(1, n.id);
    p.writePackedVarint(2, keys);
    p.writePackedVarint(3, vals);
    p.writeSVarintField(8, raw(n.latNano, v.latOffset));
    p.writeSVarintField(9, raw(n.lonNano, v.lonOffset));
  }, null)));
  const ways = messageBytes((g) => WAYS.forEach((w) => g.writeMessage(3, (_: null, p: Pbf) => {
    const [keys, vals] = tagIds(w.tags);
    p.writeVarintField(1, w.id);
    p.writePackedVarint(2, keys);
    p.writePackedVarint(3, vals);
    p.writePackedSVarint(8, deltas(w.refs));
  }, null)));
  const relations = messageBytes((g) => RELATIONS.forEach((r) => g.writeMessage(4, (_: null, p: Pbf) => {
    const [keys, vals] = tagIds(r.tags);
    p.writeVarintField(1, r.id);
    p.writePackedVarint(2, keys);
    p.writePackedVarint(3, vals);
    p.writePackedVarint(8, r.members.map((m) => st.id(m.role)));
    p.writePackedSVarint(9, deltas(r.members.map((m) => m.ref)));
    p.writePackedVarint(10, r.members.map((m) => ['node', 'way', 'relation'].indexOf(m.type)));
  }, null)));
  return messageBytes((block) => {
    block.writeMessage(1, (_: null, p: Pbf) => st.strings.forEach((s) => p.writeBytesField(1, Buffer.from(s, 'utf8'))), null);
    for (const group of [dense, plain, ways, relations]) block.writeBytesField(2, group);
    block.writeVarintField(17, v.granularity);
    block.writeVarintField(19, v.latOffset);
    block.writeVarintField(20, v.lonOffset);
  });
}

type Compression = 'raw' | 'zlib' | 'lzma';

function frame(type: string, payload: Uint8Array, compression: Compression): Buffer {
  const blob = messageBytes((b) => {
    if (compression === 'raw') {
      b.writeBytesField(1, payload);
      return;
    }
    b.writeVarintField(2, payload.length);
    b.writeBytesField(compression === 'zlib' ? 3 : 4, compression === 'zlib' ? deflateSync(payload) : payload);
  });
  return frameBlob(type, blob);
}

/** A serialized Blob message with its BlobHeader and length prefix. */
function frameBlob(type: string, blob: Uint8Array): Buffer {
  const header = messageBytes((h) => {
    h.writeStringField(1, type);
    h.writeVarintField(3, blob.length);
  });
  const length = Buffer.alloc(4);
  length.writeUInt32BE(header.length);
  return Buffer.concat([length, header, blob]);
}

function headerBlock(features: string[]): Uint8Array {
  return messageBytes((h) => features.forEach((f) => h.writeStringField(4, f)));
}

interface TinyOptions { variant?: Variant; compression?: Compression; features?: string[]; badStringIndex?: boolean }

function tinyPbf(options: TinyOptions = {}): Buffer {
  const compression = options.compression ?? 'zlib';
  return Buffer.concat([
    frame('OSMHeader', headerBlock(options.features ?? ['OsmSchema-V0.6', 'DenseNodes']), compression),
    frame('OSMData', encodeBlock(options.variant ?? PLAIN_VARIANT, options.badStringIndex), compression),
  ]);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

function xmlTags(tags: Tags | null): string {
  return Object.entries(tags ?? {}).map(([k, v]) => `<tag k="${escapeXml(k)}" v="${escapeXml(v)}"/>`).join('');
}

function tinyXml(): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6">', '<bounds minlat="43" minlon="7" maxlat="44" maxlon="8"/>'];
  for (const n of [...DENSE, ...PLAIN]) {
    lines.push(`<node id="${n.id}" lat="${n.latNano / 1e9}" lon="${n.lonNano / 1e9}" version="1">${xmlTags(n.tags)}</node>`);
  }
  for (const w of WAYS) lines.push(`<way id="${w.id}">${w.refs.map((r) => `<nd ref="${r}"/>`).join('')}${xmlTags(w.tags)}</way>`);
  for (const r of RELATIONS) {
    const members = r.members.map((m) => `<member type="${m.type}" ref="${m.ref}" role="${m.role}"/>`).join('');
    lines.push(`<relation id="${r.id}">${members}${xmlTags(r.tags)}</relation>`);
  }
  lines.push('</osm>');
  return lines.join('\n');
}

function writeTmp(name: string, content: string | Uint8Array): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

async function pbfError(name: string, content: Uint8Array): Promise<OsmFormatError> {
  const path = writeTmp(name, content);
  const error = await readPbf(path, { node() {}, way() {}, relation() {} }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OsmFormatError);
  expect((error as Error).message).toContain(name);
  return error as OsmFormatError;
}

describe('readPbf on a handcrafted file', () => {
  it('decodes dense nodes, plain nodes, ways and relations exactly', async () => {
    const { events, handler } = recorder();
    const stats = await readPbf(writeTmp('tiny.osm.pbf', tinyPbf()), handler);
    expect(stats).toMatchObject({ nodes: 4, ways: 2, relations: 1 });
    expect(events).toEqual([
      ['node', 1, 7.3999997, 43.7000025, null],
      ['node', 2, 7.4000017, 43.7000035, { amenity: 'cafe', name: 'Café "Ü" & <b>' }],
      ['node', 3, 7.4000017, 43.7000035, null],
      ['node', 5, -0.5000003, -33.2500005, { highway: 'crossing' }],
      ['way', 10, [1, 2, 5, 99], { highway: 'footway' }],
      ['way', 11, [2, 1], {}],
      ['relation', 20, RELATIONS[0].members, { type: 'route' }],
    ]);
  });

  it.each([
    ['zlib, granularity 100', { compression: 'zlib', variant: PLAIN_VARIANT }],
    ['raw, granularity 100', { compression: 'raw', variant: PLAIN_VARIANT }],
    ['zlib, granularity 1000 with offsets', { compression: 'zlib', variant: OFFSET_VARIANT }],
  ] as const)('agrees with the XML reader (%s)', async (_label, options) => {
    const fromPbf = recorder();
    const fromXml = recorder();
    await readPbf(writeTmp('agree.osm.pbf', tinyPbf(options)), fromPbf.handler);
    await readOsmXml(writeTmp('agree.osm', tinyXml()), fromXml.handler);
    expect(fromPbf.events).toHaveLength(7);
    expect(fromPbf.events).toEqual(fromXml.events);
  });

  it('passes handler errors through unchanged', async () => {
    const path = writeTmp('tiny-throw.osm.pbf', tinyPbf());
    const boom = new Error('handler failed');
    const error = await readPbf(path, { node() {}, way() { throw boom; } }).catch((e: unknown) => e);
    expect(error).toBe(boom);
  });

  it('rejects history files and unknown required features', async () => {
    const history = await pbfError('history.osm.pbf', tinyPbf({ features: ['OsmSchema-V0.6', 'HistoricalInformation'] }));
    expect(history.message).toMatch(/blob #0 at byte 0: .*HistoricalInformation/);
    const unknown = await pbfError('unknown-feature.osm.pbf', tinyPbf({ features: ['OsmSchema-V0.6', 'Flux-Capacitor'] }));
    expect(unknown.message).toContain('unsupported required feature "Flux-Capacitor"');
  });

  it('rejects lzma blobs, a missing header and bad string indexes', async () => {
    const lzma = await pbfError('lzma.osm.pbf', tinyPbf({ compression: 'lzma' }));
    expect(lzma.message).toContain('unsupported Blob compression "lzma"');
    const headless = await pbfError('headless.osm.pbf', frame('OSMData', encodeBlock(PLAIN_VARIANT), 'zlib'));
    expect(headless.message).toContain('expected "OSMHeader"');
    const badIndex = await pbfError('bad-index.osm.pbf', tinyPbf({ badStringIndex: true }));
    expect(badIndex.message).toMatch(/blob #1 at byte \d+: corrupt PrimitiveBlock.*string index 999/);
  });

  it('reads ahead yet decodes in file order and fails at the bad blob after the good ones', async () => {
    const data = frame('OSMData', encodeBlock(PLAIN_VARIANT), 'zlib');
    const badZlib = frameBlob(
      'OSMData',
      messageBytes((b) => {
        b.writeVarintField(2, 100);
        b.writeBytesField(3, Buffer.from('this is not zlib data'));
      }),
    );
    // header, 6 data blobs, a blob of an unknown type (skipped), a corrupt one, then more data.
    const file = Buffer.concat([
      frame('OSMHeader', headerBlock(['OsmSchema-V0.6', 'DenseNodes']), 'zlib'),
      ...Array.from({ length: 6 }, () => data),
      frame('Junk', Buffer.from('whatever'), 'raw'),
      badZlib,
      data,
    ]);
    const { events, handler } = recorder();
    const path = writeTmp('ahead.osm.pbf', file);
    const error = await readPbf(path, handler).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OsmFormatError);
    expect((error as OsmFormatError).where).toMatch(/^blob #8 at byte \d+$/);
    expect((error as Error).message).toContain('corrupt zlib data');
    const one = recorder();
    await readPbf(writeTmp('one.osm.pbf', tinyPbf()), one.handler);
    expect(events).toEqual(Array.from({ length: 6 }, () => one.events).flat());
  });

  it('rejects garbage and truncation with the byte offset', async () => {
    const garbage = await pbfError('garbage.osm.pbf', Buffer.from('this is not a protocol buffer at all'));
    expect(garbage.where).toBe('blob #0 at byte 0');
    expect(garbage.message).toContain('BlobHeader length');
    const full = tinyPbf();
    const cut = await pbfError('cut.osm.pbf', full.subarray(0, full.length - 5));
    expect(cut.where).toMatch(/^blob #1 at byte \d+$/);
    expect(cut.message).toContain('truncated file');
    const stub = await pbfError('stub.osm.pbf', full.subarray(0, 2));
    expect(stub.message).toContain('truncated file: BlobHeader length');
  });
});

describe('readOsm', () => {
  it('throws "file not found" for a missing file', async () => {
    const missing = join(tmpdir(), 'no-such-dir-for-osm-test', 'nothing.osm.pbf');
    await expect(readOsm(missing, { node() {}, way() {} })).rejects.toThrow(`file not found: ${missing}`);
  });

  it('sniffs the format of files without a known extension', async () => {
    const pbf = await readOsm(writeTmp('download.bin', tinyPbf()), { node() {}, way() {} });
    expect(pbf).toMatchObject({ nodes: 4, ways: 2, relations: 1 });
    const xml = await readOsm(writeTmp('interpreter', `\ufeff${tinyXml()}`), { node() {}, way() {} });
    expect(xml).toMatchObject({ nodes: 4, ways: 2, relations: 1 });
  });
});
