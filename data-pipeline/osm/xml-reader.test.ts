// XML reader tests: real data facts on the Neukölln Overpass extract (counts
// cross-checked with osmium fileinfo / tags-filter), element assembly on small
// inline documents, chunk boundaries, and errors that must carry line:column.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithData, sharedData } from '../../test/shared-data.ts';
import { OsmFormatError, type OsmMember, type Tags } from './osm-elements.ts';
import { readOsm } from './read-osm.ts';
import { readOsmXml } from './xml-reader.ts';

const neukoelln = sharedData('osm/neukoelln.osm');

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'xml-reader-test-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function writeTmp(name: string, content: string): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

describeWithData('readOsmXml on Neukölln', neukoelln, () => {
  it('reads every element in file order and finds the dangling way refs', async () => {
    const nodeIds = new Set<number>();
    const refs: number[] = [];
    const order: string[] = [];
    let highwayWays = 0;
    let relations = 0;
    let first: unknown;
    const stats = await readOsmXml(neukoelln.path, {
      node(id, lon, lat, tags) {
        first ??= [id, lon, lat, tags];
        nodeIds.add(id);
        if (order.at(-1) !== 'node') order.push('node');
      },
      way(_id, wayRefs, tags) {
        refs.push(...Array.from(wayRefs));
        if (tags.highway !== undefined) highwayWays++;
        if (order.at(-1) !== 'way') order.push('way');
      },
      relation() {
        relations++;
        if (order.at(-1) !== 'relation') order.push('relation');
      },
    });
    console.log(`Neukölln XML: ${stats.nodes} nodes, ${stats.ways} ways, ${stats.relations} relations in ${stats.ms.toFixed(1)} ms`);

    expect(stats).toMatchObject({ nodes: 4_771, ways: 700, relations: 18, bytes: 1_466_704 });
    expect(nodeIds.size).toBe(4_771);
    expect(relations).toBe(18);
    expect(order).toEqual(['node', 'way', 'relation']);
    expect(first).toEqual([27_554_989, 13.4408274, 52.4733906, null]);
    expect(highwayWays).toBe(211);
    expect(refs.filter((ref) => !nodeIds.has(ref))).toHaveLength(3);
  });

  it('decodes relation members', async () => {
    let boundary: { members: OsmMember[]; tags: Tags } | undefined;
    await readOsmXml(neukoelln.path, {
      node() {},
      way() {},
      relation(id, members, tags) {
        if (id === 1_398_391) boundary = { members, tags };
      },
    });
    expect(boundary?.members).toHaveLength(4);
    expect(boundary?.members[0]).toEqual({ type: 'way', ref: 269_904_934, role: 'outer' });
    expect(boundary?.tags.type).toBe('boundary');
  });

  it('reports progress up to the file size', async () => {
    const seen: number[] = [];
    await readOsm(neukoelln.path, { node() {}, way() {} }, { onProgress: (p) => seen.push(p.bytesRead) });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(1_466_704);
  });
});

const SMALL = `<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="test">
  <bounds minlat="52" minlon="13" maxlat="53" maxlon="14"/>
  <node id="1" lat="52.5" lon="13.25"/>
  <node id="-2" lat="-0.0000001" lon="-179.9999999">
    <tag k="amenity" v="café &amp; &quot;bar&quot;"/>
    <tag k="name" v="Straße"/>
  </node>
  <way id="10">
    <nd ref="1"/>
    <nd ref="-2"/>
    <nd ref="1"/>
    <tag k="highway" v="footway"/>
  </way>
  <way id="11"><nd ref="1"/></way>
  <relation id="20">
    <member type="way" ref="10" role="outer"/>
    <member type="node" ref="1"/>
    <tag k="type" v="multipolygon"/>
  </relation>
</osm>
`;

describe('readOsmXml on small documents', () => {
  it('assembles nodes, ways and relations with their tags', async () => {
    const events: unknown[] = [];
    const stats = await readOsmXml(writeTmp('small.osm', SMALL), {
      node: (id, lon, lat, tags) => events.push(['node', id, lon, lat, tags]),
      way: (id, refs, tags) => events.push(['way', id, Array.from(refs), tags]),
      relation: (id, members, tags) => events.push(['relation', id, members, tags]),
    });
    expect(stats).toMatchObject({ nodes: 2, ways: 2, relations: 1 });
    expect(events).toEqual([
      ['node', 1, 13.25, 52.5, null],
      ['node', -2, -179.9999999, -0.0000001, { amenity: 'café & "bar"', name: 'Straße' }],
      ['way', 10, [1, -2, 1], { highway: 'footway' }],
      ['way', 11, [1], {}],
      ['relation', 20, [{ type: 'way', ref: 10, role: 'outer' }, { type: 'node', ref: 1, role: '' }], { type: 'multipolygon' }],
    ]);
  });

  it('counts relations but skips them when the handler has no relation callback', async () => {
    const stats = await readOsmXml(writeTmp('small-norel.osm', SMALL), { node() {}, way() {} });
    expect(stats.relations).toBe(1);
  });

  it('survives chunk boundaries inside tags and multi-byte characters', async () => {
    const count = 20_000; // ~2 MB, several 256 KiB chunks
    const nodes = Array.from({ length: count }, (_, i) =>
      `<node id="${i + 1}" lat="52.${i}" lon="13.${i}"><tag k="name" v="Straße ${i} ✓"/></node>`);
    const path = writeTmp('big.osm', `<osm version="0.6">\n${nodes.join('\n')}\n</osm>\n`);
    let seen = 0;
    let bad = 0;
    await readOsmXml(path, {
      node(id, lon, lat, tags) {
        seen++;
        if (tags?.name !== `Straße ${id - 1} ✓` || lat !== Number(`52.${id - 1}`) || lon !== Number(`13.${id - 1}`)) bad++;
      },
      way() {},
    });
    expect(seen).toBe(count);
    expect(bad).toBe(0);
  });

  it('passes handler errors through unchanged', async () => {
    const boom = new Error('handler failed');
    const error = await readOsmXml(writeTmp('small-throw.osm', SMALL), { node() {}, way() { throw boom; } }).catch((e: unknown) => e);
    expect(error).toBe(boom);
  });
});

async function xmlError(name: string, content: string): Promise<OsmFormatError> {
  const error = await readOsmXml(writeTmp(name, content), { node() {}, way() {}, relation() {} }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OsmFormatError);
  expect((error as Error).message).toContain(name);
  return error as OsmFormatError;
}

describe('readOsmXml errors', () => {
  it('reports malformed XML with line and column', async () => {
    const error = await xmlError('malformed.osm', '<osm version="0.6">\n  <node id="1" lat="1" lon="2">\n  </way>\n</osm>\n');
    expect(error.where).toMatch(/^line 3:\d+$/);
    expect(error.message).toMatch(/malformed\.osm: line 3:\d+: malformed XML: /);
  });

  it('reports an unterminated document', async () => {
    const error = await xmlError('unterminated.osm', '<osm version="0.6">\n  <node id="1" lat="1" lon="2"/>\n');
    expect(error.message).toContain('malformed XML');
  });

  it('names the element and line of a non-numeric id or coordinate', async () => {
    const badId = await xmlError('bad-id.osm', '<osm>\n<node id="1" lat="1" lon="2"/>\n<node id="abc" lat="1" lon="2"/>\n</osm>');
    expect(badId.where).toMatch(/^line 3:/);
    expect(badId.message).toContain('<node>: id "abc" is not a number');
    const badLat = await xmlError('bad-lat.osm', '<osm>\n\n<node id="7" lat="north" lon="2"/>\n</osm>');
    expect(badLat.message).toMatch(/line 3:\d+: <node id="7">: lat "north" is not a number/);
    const noLon = await xmlError('no-lon.osm', '<osm>\n<node id="7" lat="1"/>\n</osm>');
    expect(noLon.message).toContain('<node id="7">: lon is missing');
    const badRef = await xmlError('bad-ref.osm', '<osm>\n<way id="5">\n<nd ref="x1"/>\n</way>\n</osm>');
    expect(badRef.message).toMatch(/line 3:\d+: <nd> in way 5: ref "x1" is not a number/);
    const badMember = await xmlError('bad-member.osm', '<osm>\n<relation id="5"><member type="area" ref="1" role=""/></relation>\n</osm>');
    expect(badMember.message).toContain('type="area"');
  });

  it('rejects documents that are not OSM', async () => {
    const html = await xmlError('page.osm', '<html><body>Not found</body></html>');
    expect(html.message).toContain('root element is <html>, expected <osm>');
    const empty = await xmlError('empty.osm', '');
    expect(empty.message).toMatch(/no <osm> element|malformed XML/);
  });

  it('throws "file not found" through readOsm', async () => {
    const missing = join(tmp, 'missing.osm');
    await expect(readOsm(missing, { node() {}, way() {} })).rejects.toThrow(`file not found: ${missing}`);
  });
});
