/**
 * The client's style builder (client/map-style.js) against the server's real
 * catalog and TileJSON: a valid MapLibre style (checked by MapLibre's own
 * style-spec validator), our tiles only, households coloured by walk time and
 * grids by coverage share when the tiles carry them, and tile URLs that keep
 * their {z}/{x}/{y} and take a cache-busting version.
 */
import { describe, expect, it } from 'vitest';
import { TILE_LAYERS } from '../server/tiles/layers.ts';
import { buildTileJson, catalogEntry, type DataExtent } from '../server/tiles/tilejson.ts';

/** The parts of client/map-style.js used here (plain JS with JSDoc; no .d.ts to keep in step). */
interface MapStyleModule {
  BASEMAP_LAYERS: string[];
  OVERLAY_LAYERS: string[];
  tileUrl(template: string, origin: string, version?: string | number): string;
  normalizeCatalog(catalog: unknown, tileJsons?: unknown[]): Map<string, { id: string; minzoom: number; fields: Set<string> }>;
  householdColor(fields: Set<string>): { color: unknown; mode: string };
  gridShareExpression(fields: Set<string>): unknown;
  buildStyle(input: { catalog: unknown; basemap: unknown; overlay: unknown; origin: string; version?: string | number }): any;
}

// A computed specifier: TypeScript does not type-check the JS module, vitest loads it as is.
const mapStyle = (await import(new URL('../client/map-style.js', import.meta.url).href)) as MapStyleModule;
const scenarioStyle = (await import(new URL('../client/scenario-style.js', import.meta.url).href)) as {
  SCENARIO_LAYERS: Record<'gained' | 'lost' | 'removed', string>;
  withScenarioLayers(style: unknown): any;
};
const styleSpec = (await import('@maplibre/maplibre-gl-style-spec')) as unknown as { validateStyleMin(style: unknown): { message: string }[] };

const ORIGIN = 'http://127.0.0.1:8080';
const EXTENT: DataExtent = { bounds: [118.7, 25.2, 119.3, 25.65], source: 'osm:test.osm', city: 'Test', version: '1-abc' };

function tileJson(ids: string[]) {
  const layers = TILE_LAYERS.filter((l) => ids.includes(l.id));
  return buildTileJson({ layers, tilesUrl: `${ORIGIN}/tiles/${ids.join(',')}/{z}/{x}/{y}.mvt`, extent: EXTENT });
}

/** The style the client builds from the server's own documents. */
function realStyle(version?: number) {
  const catalogJson = { layers: TILE_LAYERS.map(catalogEntry) };
  const basemap = tileJson(mapStyle.BASEMAP_LAYERS);
  const overlay = tileJson(mapStyle.OVERLAY_LAYERS);
  const catalog = mapStyle.normalizeCatalog(catalogJson, [basemap, overlay]);
  return mapStyle.buildStyle({ catalog, basemap, overlay, origin: ORIGIN, version });
}

describe('client map style', () => {
  it('is a valid MapLibre style built from the server catalog and TileJSON', () => {
    const style = realStyle(7);
    expect(styleSpec.validateStyleMin(style).map((e) => e.message)).toEqual([]);
    const ids = style.layers.map((l: { id: string }) => l.id);
    expect(ids).toEqual(expect.arrayContaining(['water-fill', 'buildings', 'streets', 'admin', 'grids-share', 'grids-outline', 'households', 'centers', 'route', 'isochrone-fill']));
    // Households and centers draw above the basemap and the isochrone.
    expect(ids.indexOf('households')).toBeGreaterThan(ids.indexOf('isochrone-fill'));
    expect(ids.indexOf('centers')).toBeGreaterThan(ids.indexOf('streets'));
  });

  it('starts with the GeoJSON overlays (isochrone, route, origin) hidden and every vector layer shown', () => {
    // Empty GeoJSON with visible layers is tiled and drawn all the same: 18 worker jobs and a frame in the first view.
    const style = realStyle();
    const geojson = new Set(Object.entries(style.sources).filter(([, s]) => (s as { type: string }).type === 'geojson').map(([id]) => id));
    expect([...geojson].sort()).toEqual(['isochrone', 'origin', 'route']);
    for (const layer of style.layers as { id: string; source: string; layout?: { visibility?: string } }[]) {
      if (geojson.has(layer.source)) expect(layer.layout?.visibility, layer.id).toBe('none');
      else if (layer.source === 'basemap' || (layer.source === 'overlay' && !layer.id.startsWith('scenario'))) expect(layer.layout?.visibility ?? 'visible', layer.id).toBe('visible');
    }
  });

  it('uses our own tiles only: no glyphs, sprites or outside URLs', () => {
    const style = realStyle();
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    // Everything the map fetches: source tiles and TileJSON URLs (the attribution's link is only a link).
    const sources = Object.values(style.sources) as { tiles?: string[]; url?: string; data?: unknown }[];
    const urls = sources.flatMap((s) => [...(s.tiles ?? []), ...(s.url ? [s.url] : []), ...(typeof s.data === 'string' ? [s.data] : [])]);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url.startsWith(`${ORIGIN}/tiles/`), url).toBe(true);
    expect(style.layers.some((l: { type: string }) => l.type === 'symbol')).toBe(false);
  });

  it('passes the TileJSON attribution through', () => {
    const style = realStyle();
    expect(style.sources.basemap.attribution).toContain('OpenStreetMap contributors');
  });

  it('colours households by walk time and grids by coverage share with the real fields', () => {
    const catalog = mapStyle.normalizeCatalog({ layers: TILE_LAYERS.map(catalogEntry) });
    expect(mapStyle.householdColor(catalog.get('households')!.fields).mode).toBe('walk');
    expect(mapStyle.gridShareExpression(catalog.get('grids')!.fields)).not.toBeNull();
  });

  it('falls back to plain colours when the tiles carry no coverage', () => {
    expect(mapStyle.householdColor(new Set(['households'])).mode).toBe('plain');
    expect(mapStyle.householdColor(new Set(['covered'])).mode).toBe('covered');
    expect(mapStyle.gridShareExpression(new Set(['code']))).toBeNull();
    expect(mapStyle.gridShareExpression(new Set(['covered', 'households']))).not.toBeNull();
  });

  it('leaves out a group whose TileJSON is missing and stays valid', () => {
    const catalog = mapStyle.normalizeCatalog({ layers: TILE_LAYERS.filter((l) => mapStyle.OVERLAY_LAYERS.includes(l.id)).map(catalogEntry) });
    const style = mapStyle.buildStyle({ catalog, basemap: null, overlay: tileJson(mapStyle.OVERLAY_LAYERS), origin: ORIGIN });
    expect(styleSpec.validateStyleMin(style).map((e) => e.message)).toEqual([]);
    expect(style.sources.basemap).toBeUndefined();
    expect(style.layers.some((l: { source?: string }) => l.source === 'basemap')).toBe(false);
  });

  it('makes tile URLs absolute, keeps the braces and sets one version parameter', () => {
    expect(mapStyle.tileUrl('/tiles/a/{z}/{x}/{y}.mvt', ORIGIN, undefined)).toBe(`${ORIGIN}/tiles/a/{z}/{x}/{y}.mvt`);
    expect(mapStyle.tileUrl('/tiles/a/{z}/{x}/{y}.mvt', ORIGIN, 5)).toBe(`${ORIGIN}/tiles/a/{z}/{x}/{y}.mvt?v=5`);
    expect(mapStyle.tileUrl(`${ORIGIN}/t/{z}/{x}/{y}.mvt?scenario=2`, 'http://other', 6)).toBe(`${ORIGIN}/t/{z}/{x}/{y}.mvt?scenario=2&v=6`);
    const once = mapStyle.tileUrl('/t/{z}/{x}/{y}.mvt', ORIGIN, 1);
    expect(mapStyle.tileUrl(once, ORIGIN, 2)).toBe(`${ORIGIN}/t/{z}/{x}/{y}.mvt?v=2`);
    expect(mapStyle.tileUrl(`${ORIGIN}/t/{z}/{x}/{y}.mvt?v=1&scenario=3`, ORIGIN, 2)).toBe(`${ORIGIN}/t/{z}/{x}/{y}.mvt?scenario=3&v=2`);
  });

  it('has the scenario layers in the first style, hidden, households under the route and removed centers on top', () => {
    const style = scenarioStyle.withScenarioLayers(realStyle());
    expect(styleSpec.validateStyleMin(style).map((e) => e.message)).toEqual([]);
    const ids: string[] = style.layers.map((l: { id: string }) => l.id);
    const { gained, lost, removed } = scenarioStyle.SCENARIO_LAYERS;
    for (const id of [gained, lost, removed]) {
      const layer = style.layers.find((l: { id: string }) => l.id === id);
      expect(layer, id).toMatchObject({ source: 'overlay', layout: { visibility: 'none' } });
    }
    expect(ids.indexOf(gained)).toBeGreaterThan(ids.indexOf('households'));
    expect(ids.indexOf(gained)).toBeLessThan(ids.indexOf('route-casing'));
    expect(ids.at(-1)).toBe(removed);
    // Without the overlay there is nothing to add.
    const bare = { ...realStyle(), sources: {}, layers: [] };
    expect(scenarioStyle.withScenarioLayers(bare)).toBe(bare);
  });
});
