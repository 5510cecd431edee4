/**
 * Streaming OSM XML reader (the format served by the OSM API and Overpass).
 * The file goes through saxes chunk by chunk, so memory does not grow with the
 * file; elements are emitted in file order through the same OsmHandler as the
 * PBF reader, so the rest of the pipeline does not care which format it got.
 * XML is forgiving about content, we are not: a bad id or coordinate is an
 * OsmFormatError with the line, because silently dropping a node would corrupt
 * the walking graph much further downstream.
 */

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { OsmFormatError, type OsmHandler, type OsmMember, type Tags } from './osm-elements.ts';
import { setTag, wayRefsBuffer, type ReadOptions, type ReadStats } from './read-common.ts';

const CHUNK_BYTES = 256 * 1024;
const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

export async function readOsmXml(file: string, handler: OsmHandler, options: ReadOptions = {}): Promise<ReadStats> {
  const started = performance.now();
  const totalBytes = (await stat(file)).size;
  const parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  const builder = new ElementBuilder(file, handler, () => `line ${parser.line}:${parser.column}`);
  parser.on('error', (err) => {
    // saxes prefixes "line:column: "; our `where` carries the position instead.
    throw new OsmFormatError(file, builder.where(), `malformed XML: ${err.message.replace(/^\d+:\d+: /, '')}`);
  });
  parser.on('opentag', (tag) => builder.open(tag));
  parser.on('closetag', (tag) => builder.close(tag.name));

  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: CHUNK_BYTES });
  for await (const chunk of stream) {
    options.signal?.throwIfAborted();
    parser.write(chunk as string);
    options.onProgress?.({ bytesRead: stream.bytesRead, totalBytes });
  }
  parser.close();
  builder.finish();
  const { nodes, ways, relations } = builder;
  return { nodes, ways, relations, bytes: totalBytes, ms: performance.now() - started };
}

type ElementKind = 'node' | 'way' | 'relation';

/**
 * Turns SAX open/close events into handler calls. Children (<tag>, <nd>,
 * <member>) accumulate on the open element, which is emitted when it closes;
 * anything outside <node>/<way>/<relation> (bounds, note, meta, changesets)
 * is ignored.
 */
class ElementBuilder {
  nodes = 0;
  ways = 0;
  relations = 0;

  private sawRoot = false;
  private current: ElementKind | null = null;
  private id = 0;
  private lon = 0;
  private lat = 0;
  private tags: Tags | null = null;
  private members: OsmMember[] = [];
  private readonly refs = wayRefsBuffer();
  private readonly wantRelations: boolean;

  constructor(
    private readonly file: string,
    private readonly handler: OsmHandler,
    readonly where: () => string,
  ) {
    this.wantRelations = typeof handler.relation === 'function';
  }

  open(tag: SaxesTagPlain): void {
    const name = tag.name;
    const attrs = tag.attributes;
    if (!this.sawRoot) {
      this.sawRoot = true;
      if (name !== 'osm') this.fail(`root element is <${name}>, expected <osm>`);
      return;
    }
    if (this.current === null) {
      if (name === 'node' || name === 'way' || name === 'relation') this.start(name, attrs);
    } else if (name === 'tag') {
      this.addTag(attrs);
    } else if (name === 'nd' && this.current === 'way') {
      this.refs.push(this.integer(attrs, 'ref', 'nd'));
    } else if (name === 'member' && this.current === 'relation' && this.wantRelations) {
      this.addMember(attrs);
    }
  }

  close(name: string): void {
    if (name !== this.current) return;
    if (name === 'node') this.emitNode();
    else if (name === 'way') this.emitWay();
    else this.emitRelation();
    this.current = null;
  }

  finish(): void {
    if (!this.sawRoot) this.fail('no <osm> element; empty or not an OSM XML file');
  }

  private start(kind: ElementKind, attrs: Record<string, string>): void {
    this.current = kind;
    this.id = this.integer(attrs, 'id', kind);
    this.tags = null;
    if (kind === 'node') {
      this.lat = this.decimal(attrs, 'lat', 'node');
      this.lon = this.decimal(attrs, 'lon', 'node');
    } else if (kind === 'way') {
      this.refs.clear();
    } else {
      this.members = [];
    }
  }

  private addTag(attrs: Record<string, string>): void {
    const k = attrs.k;
    const v = attrs.v;
    if (k === undefined || v === undefined) this.fail(`<tag> in ${this.current} ${this.id} needs both k and v`);
    this.tags ??= {};
    setTag(this.tags, k, v);
  }

  private addMember(attrs: Record<string, string>): void {
    const type = attrs.type;
    if (type !== 'node' && type !== 'way' && type !== 'relation') {
      this.fail(`<member> of relation ${this.id} has type="${type ?? ''}", expected node, way or relation`);
    }
    this.members.push({ type, ref: this.integer(attrs, 'ref', 'member'), role: attrs.role ?? '' });
  }

  private emitNode(): void {
    this.nodes++;
    this.handler.node(this.id, this.lon, this.lat, this.tags);
  }

  private emitWay(): void {
    this.ways++;
    this.handler.way(this.id, this.refs.view(), this.tags ?? {});
  }

  private emitRelation(): void {
    this.relations++;
    if (this.wantRelations) this.handler.relation!(this.id, this.members, this.tags ?? {});
  }

  private integer(attrs: Record<string, string>, attr: string, element: string): number {
    const value = attrs[attr];
    if (value === undefined || !INTEGER.test(value)) this.badNumber(element, attr, value);
    return Number(value);
  }

  private decimal(attrs: Record<string, string>, attr: string, element: string): number {
    const value = attrs[attr];
    if (value === undefined || !DECIMAL.test(value)) this.badNumber(element, attr, value);
    return Number(value);
  }

  private badNumber(element: string, attr: string, value: string | undefined): never {
    const child = element === 'nd' || element === 'member';
    const label = child ? `<${element}> in ${this.current} ${this.id}` : attr === 'id' ? `<${element}>` : `<${element} id="${this.id}">`;
    const what = value === undefined ? 'is missing' : `"${value}" is not a number`;
    this.fail(`${label}: ${attr} ${what}`);
  }

  private fail(message: string): never {
    throw new OsmFormatError(this.file, this.where(), message);
  }
}
