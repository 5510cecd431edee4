import { describe, expect, it } from 'vitest';
import { layerIndex } from './layers.ts';
import { makeCachedTile, TileCache, type CachedTile } from './tile-cache.ts';
import { latToTileY, lonToTileX } from './tile-envelope.ts';

const layers = layerIndex();
const centers = [layers.get('centers')!];
const grids = [layers.get('grids')!];

function tileAt(lon: number, lat: number, z: number, l = centers, size = 100): CachedTile {
  const x = Math.floor(lonToTileX(lon, z));
  const y = Math.floor(latToTileY(lat, z));
  return makeCachedTile(`${l.map((a) => a.id).join(',')}/${z}/${x}/${y}`, z, x, y, l, new Uint8Array(size).fill(z));
}

async function put(cache: TileCache, tile: CachedTile): Promise<CachedTile> {
  return cache.get(tile.key, tile, async () => tile);
}

describe('tile cache', () => {
  it('keeps tiles under the byte budget, least recently used out first', async () => {
    const cache = new TileCache({ maxBytes: 3 * 1400 });
    const a = await put(cache, tileAt(119, 25.4, 14, centers, 1000));
    const b = await put(cache, tileAt(119.1, 25.4, 14, centers, 1000));
    const c = await put(cache, tileAt(119.2, 25.4, 14, centers, 1000));
    await put(cache, a); // a is now the youngest
    await put(cache, tileAt(119.3, 25.4, 14, centers, 1000));
    expect(cache.has(a.key)).toBe(true);
    expect(cache.has(b.key)).toBe(false);
    expect(cache.has(c.key)).toBe(true);
    expect(cache.stats().bytes).toBeLessThanOrEqual(cache.maxBytes);
    // Variants count against the budget too.
    cache.addVariant(a, 'gzip', new Uint8Array(1300));
    expect(cache.stats().bytes).toBeLessThanOrEqual(cache.maxBytes);
  });

  it('drops exactly the tiles a change touches, at every zoom, for dependent layers only', async () => {
    const cache = new TileCache({ maxBytes: 1 << 24 });
    const here: CachedTile[] = [];
    const far: CachedTile[] = [];
    for (let z = 0; z <= 16; z++) {
      here.push(await put(cache, tileAt(119.0, 25.45, z)));
      far.push(await put(cache, tileAt(118.5, 25.0, z)));
    }
    const gridTile = await put(cache, tileAt(119.0, 25.45, 14, grids));
    const dropped = cache.invalidate({ type: 'features', version: 'v2', layers: ['centers'], boxes: [[119.0, 25.45, 119.0, 25.45]] });
    for (const t of here) expect(cache.has(t.key), t.key).toBe(false);
    // A far point's tile goes only at the zooms where it is the changed tile.
    for (const t of far) expect(cache.has(t.key), t.key).toBe(t.key !== here[t.z]!.key);
    expect(far.filter((t) => cache.has(t.key)).length).toBeGreaterThanOrEqual(8);
    expect(cache.has(gridTile.key)).toBe(true);
    expect(dropped).toBeGreaterThanOrEqual(17);
    // Households changes reach the grids layer (it shows household totals).
    cache.invalidate({ type: 'features', version: 'v3', layers: ['households'], boxes: [[119.0, 25.45, 119.0, 25.45]] });
    expect(cache.has(gridTile.key)).toBe(false);
  });

  it('drops a neighbour tile when the change lies in its buffer', async () => {
    const cache = new TileCache({ maxBytes: 1 << 24 });
    const z = 14;
    const lat = 25.4;
    const x = 13600;
    const y = Math.floor(latToTileY(lat, z));
    const neighbour = makeCachedTile(`centers/${z}/${x + 1}/${y}`, z, x + 1, y, centers, new Uint8Array(10));
    const farther = makeCachedTile(`centers/${z}/${x + 2}/${y}`, z, x + 2, y, centers, new Uint8Array(10));
    await put(cache, neighbour);
    await put(cache, farther);
    // A point 10 tile units inside the right edge of tile x: within the 64-unit buffer of x + 1.
    const lon = ((x + 1 - 10 / 4096) / 2 ** z) * 360 - 180;
    cache.invalidate({ type: 'features', version: 'v2', layers: ['centers'], boxes: [[lon, lat, lon, lat]] });
    expect(cache.has(neighbour.key)).toBe(false);
    expect(cache.has(farther.key)).toBe(true);
  });

  it('clears everything on replaced', async () => {
    const cache = new TileCache({ maxBytes: 1 << 24 });
    await put(cache, tileAt(119, 25.4, 10));
    await put(cache, tileAt(10, 50, 10, grids));
    expect(cache.invalidate({ type: 'replaced', version: 'v9' })).toBe(2);
    expect(cache.stats().entries).toBe(0);
    expect(cache.stats().bytes).toBe(0);
  });

  it('shares one load among concurrent requests', async () => {
    const cache = new TileCache({ maxBytes: 1 << 24 });
    const tile = tileAt(119, 25.4, 12);
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const load = async () => {
      loads++;
      await gate;
      return tile;
    };
    const all = Promise.all(Array.from({ length: 20 }, () => cache.get(tile.key, tile, load)));
    release();
    const results = await all;
    expect(loads).toBe(1);
    expect(results.every((r) => r === tile)).toBe(true);
    expect(cache.stats().coalesced).toBe(19);
  });

  it('never caches a load that a change overtook, and later requests load afresh', async () => {
    const cache = new TileCache({ maxBytes: 1 << 24 });
    const old = tileAt(119, 25.4, 12);
    const fresh = makeCachedTile(old.key, old.z, old.x, old.y, centers, new Uint8Array([1, 2, 3]));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = cache.get(old.key, old, async () => {
      await gate;
      return old;
    });
    cache.invalidate({ type: 'features', version: 'v2', layers: ['centers'], boxes: [[119, 25.4, 119, 25.4]] });
    const second = cache.get(old.key, old, async () => fresh);
    release();
    expect(await first).toBe(old);
    expect(await second).toBe(fresh);
    expect(await cache.get(old.key, old, async () => old)).toBe(fresh);
  });

  it('ETags (content hashes) change with content only', () => {
    const a = makeCachedTile('k', 1, 0, 0, centers, new Uint8Array([1, 2, 3]));
    const b = makeCachedTile('k', 1, 0, 0, centers, new Uint8Array([1, 2, 3]));
    const c = makeCachedTile('k', 1, 0, 0, centers, new Uint8Array([1, 2, 4]));
    expect(a.hash).toBe(b.hash);
    expect(a.hash).not.toBe(c.hash);
    expect(a.hash).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
