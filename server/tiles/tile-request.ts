/**
 * A tile URL's parts as a checked request: the schema of the tile route's
 * path (layers, z, x, y) and of the query parameters the layers read. An
 * unknown layer is UnknownLayer (404: there is no such resource); a
 * malformed or out-of-range z/x/y is a 400 naming it. Nothing a caller
 * sends reaches SQL text: layers are picked from the registry, numbers are
 * bound parameters.
 */
import { z } from '@hono/zod-openapi';
import { UnknownLayer } from '../domain-errors.ts';
import { checkInput } from '../http/define-route.ts';
import { numberIn, shown } from '../http/schema-rules.ts';
import { MAX_ZOOM, SCENARIO_PARAM, STANDARD_PARAM, STANDARD_VALUES, type TileLayer } from './layers.ts';
import { perLayerList } from './tile-source.ts';

/** The deepest zoom any tile scheme uses; beyond it 2^z overflows tile math. */
const MAX_ANY_ZOOM = 30;
/** Longest layer list accepted, in characters (every layer once is far shorter). */
const MAX_LAYERS_LENGTH = 256;
/** Longest query parameter value a layer may receive. */
const MAX_PARAM_LENGTH = 128;

export interface TileRequest {
  /** Requested layers, in request order, each once. */
  layers: readonly TileLayer[];
  z: number;
  x: number;
  y: number;
  /** The query parameters the layers read (their `params`), as passed to the layer SQL. */
  query: Record<string, string>;
  /** Canonical cache key: layers, z/x/y and the values of those parameters. */
  key: string;
}

/**
 * The layers of a comma list such as "grids,centers", in order, each once.
 * Unknown names are UnknownLayer, which lists the known ones.
 */
export function parseLayerList(text: string, index: ReadonlyMap<string, TileLayer>): TileLayer[] {
  const read = readLayerList(text, index);
  if (!Array.isArray(read)) throw new UnknownLayer(read.unknown, [...index.keys()]);
  return read;
}

/** The layers of a list text, each once in the order given, or the name that is not a layer (the whole text when it is empty or too long). */
function readLayerList(text: string, index: ReadonlyMap<string, TileLayer>): TileLayer[] | { unknown: string } {
  if (text.length === 0 || text.length > MAX_LAYERS_LENGTH) return { unknown: text };
  const seen = new Set<string>();
  const layers: TileLayer[] = [];
  for (const name of text.split(',')) {
    const layer = index.get(name);
    if (!layer) return { unknown: name };
    if (seen.has(name)) continue;
    seen.add(name);
    layers.push(layer);
  }
  return layers;
}

/** A tile coordinate in a path: digits only (no signs, exponents, hex or spaces, which Number() would accept). */
function tileNumber(name: string, max: number, documentedMax?: number) {
  const what = `a whole number from 0 to ${max}`;
  return z
    .string()
    .regex(/^\d{1,10}$/, { error: (iss) => `must be ${what}, got ${shown(iss.input)}` })
    .transform(Number)
    .pipe(numberIn({ min: 0, max, integer: true, what, text: false }))
    .openapi({ type: 'integer', minimum: 0, ...(documentedMax === undefined ? {} : { maximum: documentedMax }), description: name });
}

/** The layer list of a path, documented as the enum of layer ids. */
export function layerListParam(index: ReadonlyMap<string, TileLayer>) {
  const ids = [...index.keys()] as [string, ...string[]];
  return z
    .string()
    .transform((text) => parseLayerList(text, index))
    .openapi({
      type: 'array',
      minItems: 1,
      items: { type: 'string', enum: ids },
      param: { style: 'simple', explode: false },
      description: `One layer or a comma list (a repeated layer counts once): ${ids.map((id) => `\`${id}\``).join(', ')}. An unknown layer is a 404 \`unknown_layer\`.`,
    });
}

/**
 * The tile path's schema: z at most the largest maxzoom of the layers asked
 * for, and 0 <= x, y < 2^z.
 */
export function tilePathParams(index: ReadonlyMap<string, TileLayer>) {
  const zoomMax = Math.min(MAX_ANY_ZOOM, Math.max(...[...index.values()].map((l) => l.maxzoom), MAX_ZOOM));
  return z
    .object({
      layers: layerListParam(index),
      z: tileNumber('Zoom, at most the largest maxzoom of the layers.', MAX_ANY_ZOOM, zoomMax),
      x: tileNumber('Column, 0 to 2^z - 1.', 2 ** MAX_ANY_ZOOM),
      y: tileNumber('Row from the north, 0 to 2^z - 1 (XYZ scheme).', 2 ** MAX_ANY_ZOOM),
    })
    .superRefine((tile, ctx) => {
      const maxzoom = Math.min(MAX_ANY_ZOOM, Math.max(...tile.layers.map((l) => l.maxzoom)));
      if (tile.z > maxzoom) {
        ctx.addIssue({ code: 'custom', path: ['z'], message: `must be a whole number from 0 to ${maxzoom}, got ${tile.z}` });
        return;
      }
      const last = 2 ** tile.z - 1;
      for (const axis of ['x', 'y'] as const) {
        if (tile[axis] > last) ctx.addIssue({ code: 'custom', path: [axis], message: `must be a whole number from 0 to ${last}, got ${tile[axis]}` });
      }
    });
}

/** A value of a query parameter a layer reads. */
const layerParamValue = z.string().max(MAX_PARAM_LENGTH, { error: `must be at most ${MAX_PARAM_LENGTH} characters` });
/** A scenario id: the digits of a positive whole number (kept as text: it is part of the cache key). */
const scenarioValue = z.string().regex(/^[1-9]\d{0,8}$/, { error: (iss) => `must be a scenario id (a positive whole number), got ${shown(iss.input)}` });

/** The standard to colour households by. */
const standardValue = z.enum(STANDARD_VALUES, { error: (iss) => `must be one of ${STANDARD_VALUES.join(', ')}, got ${shown(iss.input)}` });

/** The layer ids of a list, comma-separated, and the query parameters its layers read, sorted, each once. */
const listFacts = perLayerList((layers) => ({
  ids: layers.map((l) => l.id).join(','),
  params: [...new Set(layers.flatMap((l) => l.params ?? []))].sort(),
}));

/** The values of the query parameters the layers read (their `params`), checked. */
function layerQuery(params: readonly string[], urlQuery: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const query: Record<string, string> = {};
  for (const name of params) {
    const value = urlQuery[name];
    if (value === undefined || value === '') continue;
    query[name] = checkInput(name === SCENARIO_PARAM ? scenarioValue : name === STANDARD_PARAM ? standardValue : layerParamValue, value, 'query', name);
  }
  return query;
}

/** A checked tile request with its cache key, from a path already parsed by tilePathParams. */
export function tileRequest(path: { layers: TileLayer[]; z: number; x: number; y: number }, urlQuery: Readonly<Record<string, string | undefined>> = {}): TileRequest {
  const { layers, z, x, y } = path;
  const { ids, params } = listFacts(layers);
  const query = layerQuery(params, urlQuery);
  const suffix = Object.keys(query).length ? `?${new URLSearchParams(query).toString()}` : '';
  return { layers, z, x, y, query, key: `${ids}/${z}/${x}/${y}${suffix}` };
}

const TILE_NUMBER = /^\d{1,10}$/;

/**
 * tilePathParams's result for a well-formed tile path, by hand: the tile
 * route reads every request this way first, since the schema's generic
 * steps cost about 0.1 ms a request until the JIT has seen thousands of
 * them. Undefined for anything the schema might refuse (an
 * unknown layer, a number out of range): the schema then decides, so every
 * error and its wording stay the schema's. tile-request.test.ts checks that
 * both agree.
 */
export function fastTilePath(
  layersText: string,
  zText: string,
  xText: string,
  yText: string,
  index: ReadonlyMap<string, TileLayer>,
): { layers: TileLayer[]; z: number; x: number; y: number } | undefined {
  if (!TILE_NUMBER.test(zText) || !TILE_NUMBER.test(xText) || !TILE_NUMBER.test(yText)) return undefined;
  const list = knownLayerList(layersText, index);
  if (!list) return undefined;
  const z = Number(zText);
  const x = Number(xText);
  const y = Number(yText);
  const last = 2 ** z - 1;
  if (z > Math.min(MAX_ANY_ZOOM, list.maxzoom) || x > last || y > last) return undefined;
  return { layers: list.layers, z, x, y };
}

/** Layer lists fastTilePath has read, by registry and text (a map asks for the same few lists for every tile). */
const knownLists = new WeakMap<ReadonlyMap<string, TileLayer>, Map<string, { layers: TileLayer[]; maxzoom: number }>>();
/** How many lists each registry keeps: any client's few, not every list someone could write. */
const MAX_KNOWN_LISTS = 256;

/**
 * The layers of a list text as readLayerList reads them, frozen and shared
 * by the requests for the same list (the per-list facts of perLayerList hang
 * on it), with their largest maxzoom; undefined for a list it would refuse.
 */
function knownLayerList(text: string, index: ReadonlyMap<string, TileLayer>): { layers: TileLayer[]; maxzoom: number } | undefined {
  let lists = knownLists.get(index);
  if (!lists) knownLists.set(index, (lists = new Map()));
  const known = lists.get(text);
  if (known) return known;
  const layers = readLayerList(text, index);
  if (!Array.isArray(layers)) return undefined;
  let maxzoom = 0;
  for (const layer of layers) if (layer.maxzoom > maxzoom) maxzoom = layer.maxzoom;
  const list = { layers: Object.freeze(layers) as TileLayer[], maxzoom };
  if (lists.size < MAX_KNOWN_LISTS) lists.set(text, list);
  return list;
}

/** The path schema of each layer registry, built once (a schema per request would cost more than the check). */
const pathSchemas = new WeakMap<ReadonlyMap<string, TileLayer>, ReturnType<typeof tilePathParams>>();

/** Parses and checks a tile URL's parts (what the tile route does with its path and query). */
export function parseTileRequest(
  layersText: string,
  zText: string,
  xText: string,
  yText: string,
  index: ReadonlyMap<string, TileLayer>,
  urlQuery: Readonly<Record<string, string | undefined>> = {},
): TileRequest {
  let schema = pathSchemas.get(index);
  if (!schema) pathSchemas.set(index, (schema = tilePathParams(index)));
  const path = checkInput(schema, { layers: layersText, z: zText, x: xText, y: yText }, 'params');
  return tileRequest(path, urlQuery);
}
