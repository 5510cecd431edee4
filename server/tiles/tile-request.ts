/**
 * Parses a tile URL's parts into a checked request, or throws the caller's
 * error: an unknown layer is 404 (there is no such resource), a malformed or
 * out-of-range z/x/y is 400. Checks happen here, at the entry, so everything
 * below may trust its input; nothing a caller sends can reach SQL text
 * (layers are picked from the registry, numbers are bound parameters).
 */
import { badRequest, notFound } from '../http/errors.ts';
import type { TileLayer } from './layers.ts';

/** The deepest zoom any tile scheme uses; beyond it 2^z overflows tile math. */
const MAX_ANY_ZOOM = 30;
/** Longest layer list accepted, in characters (every layer once is far shorter). */
const MAX_LAYERS_LENGTH = 256;

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

/** Longest query parameter value a layer may receive. */
const MAX_PARAM_LENGTH = 128;

/**
 * The layers of a comma list such as "grids,centers". Unknown names are a
 * 404 that lists the known ones; a repeated layer counts once.
 */
export function parseLayerList(text: string, index: ReadonlyMap<string, TileLayer>): TileLayer[] {
  if (text.length === 0 || text.length > MAX_LAYERS_LENGTH) {
    throw notFound(`no tile layer "${text.slice(0, 64)}"; known layers: ${[...index.keys()].join(', ')}`, 'unknown_layer');
  }
  const seen = new Set<string>();
  const layers: TileLayer[] = [];
  for (const name of text.split(',')) {
    const layer = index.get(name);
    if (!layer) throw notFound(`no tile layer "${name.slice(0, 64)}"; known layers: ${[...index.keys()].join(', ')}`, 'unknown_layer');
    if (seen.has(name)) continue;
    seen.add(name);
    layers.push(layer);
  }
  return layers;
}

function integer(text: string, name: string, max: number): number {
  // Digits only: no signs, exponents, hex or spaces, which Number() would accept.
  if (!/^\d{1,10}$/.test(text)) throw badRequest(`${name} must be a whole number from 0 to ${max}, got "${text.slice(0, 32)}"`, 'bad_tile');
  const value = Number(text);
  if (value > max) throw badRequest(`${name} must be a whole number from 0 to ${max}, got ${text}`, 'bad_tile');
  return value;
}

/** Parses and checks z/x/y for the layers: 0 <= x, y < 2^z and z within the layers' zooms (at most their maxzoom). */
export function parseTileRequest(
  layersText: string,
  zText: string,
  xText: string,
  yText: string,
  index: ReadonlyMap<string, TileLayer>,
  urlQuery: Readonly<Record<string, string | undefined>> = {},
): TileRequest {
  const layers = parseLayerList(layersText, index);
  const maxzoom = Math.min(MAX_ANY_ZOOM, Math.max(...layers.map((l) => l.maxzoom)));
  const z = integer(zText, 'z', maxzoom);
  const last = 2 ** z - 1;
  const x = integer(xText, 'x', last);
  const y = integer(yText, 'y', last);
  const query: Record<string, string> = {};
  for (const name of [...new Set(layers.flatMap((l) => l.params ?? []))].sort()) {
    const value = urlQuery[name];
    if (value === undefined || value === '') continue;
    if (value.length > MAX_PARAM_LENGTH) throw badRequest(`${name} must be at most ${MAX_PARAM_LENGTH} characters`, 'bad_tile');
    query[name] = value;
  }
  const suffix = Object.keys(query).length ? `?${new URLSearchParams(query).toString()}` : '';
  return { layers, z, x, y, query, key: `${layers.map((l) => l.id).join(',')}/${z}/${x}/${y}${suffix}` };
}
