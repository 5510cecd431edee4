/**
 * The tile source interface (Martin's `Source`): anything that turns a
 * checked tile request into MVT bytes. Two implementations, one per backend:
 * the PostGIS server's SQL functions (sql-tile-source.ts) and the embedded
 * TypeScript encoder (embedded-tile-source.ts). HTTP, caching and
 * invalidation live above this and never know which one they have.
 */
import type { TileLayer } from './layers.ts';
import type { MvtLayerWriter } from './embedded/mvt-encoder.ts';

/** Which tile of which layers. */
export interface TileAddress {
  layers: readonly TileLayer[];
  z: number;
  x: number;
  y: number;
}

export interface TileSource {
  /** 'postgis' (ST_AsMVT functions) or 'embedded' (TypeScript encoder). */
  readonly id: string;
  /**
   * The tile's MVT bytes: the layers in order, each left out when it has no
   * features here (or z is outside its zoom range); zero bytes when empty.
   * `query` is the tile URL's query parameters, passed to the layer SQL as json.
   */
  getTile(tile: TileAddress, query?: Readonly<Record<string, string>>): Promise<Uint8Array>;
}

/**
 * `compute` of a layer list, remembered for lists that cannot change: the
 * frozen ones the tile route shares between the requests for the same list
 * (tile-request.ts); other lists get it computed afresh. What the tile
 * route derives from its list per tile (ids, dependencies, the statement)
 * costs more than the lookup until the JIT has seen thousands of tiles.
 */
export function perLayerList<T>(compute: (layers: readonly TileLayer[]) => T): (layers: readonly TileLayer[]) => T {
  const memo = new WeakMap<readonly TileLayer[], T>();
  return (layers) => {
    if (!Object.isFrozen(layers)) return compute(layers);
    let value = memo.get(layers);
    if (value === undefined) memo.set(layers, (value = compute(layers)));
    return value;
  };
}

/** Layers that have features at zoom z. */
export function layersAtZoom(layers: readonly TileLayer[], z: number): TileLayer[] {
  return layers.filter((l) => z >= l.minzoom && z <= l.maxzoom);
}

/**
 * A scenario's version of the layers that declare the `scenario` parameter
 * (planning/scenario-tiles.ts): `prepare` evaluates the scenario (or throws
 * its domain error) and gives the tag its tiles are cached under.
 */
export interface ScenarioTileSource {
  prepare(id: number): Promise<PreparedOverlay>;
}

/** Layers made from an in-memory evaluation: the tag the tiles are cached under, and the layer writer. */
export interface PreparedOverlay {
  tag: string;
  writeLayer(layer: TileLayer, tile: TileAddress): Promise<MvtLayerWriter>;
}

/**
 * The households coloured by the living-circle tiers they meet (`?standard=`,
 * standard/standard-tiles.ts): `prepare` makes (or reuses) the check of the
 * live data and gives the tag its tiles are cached under.
 */
export interface StandardTileSource {
  prepare(standard: string): Promise<PreparedOverlay>;
}
