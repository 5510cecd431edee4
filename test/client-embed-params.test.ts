/**
 * The embeddable map's settings without a browser (client/embed-params.js):
 * parameters read and defaulted, every value it cannot use named (the page
 * shows them), and the main style cut down to the chosen layers, with the
 * scenario's and the standard's tile parameters on the overlay only.
 */
import { describe, expect, it } from 'vitest';
import { TILE_LAYERS } from '../server/tiles/layers.ts';
import { buildTileJson, catalogEntry, type DataExtent } from '../server/tiles/tilejson.ts';

interface EmbedParams {
  mode: string;
  center: [number, number] | null;
  zoom: number | null;
  layers: string[];
  lang: string | null;
  scenario: string | null;
  panel: boolean;
  ignored: { name: string; value: string }[];
}
const load = async <T>(file: string) => (await import(new URL(`../client/${file}`, import.meta.url).href)) as T;
const { readEmbedParams, embedStyle, EMBED_LAYERS } = await load<{
  readEmbedParams(search: string): EmbedParams;
  embedStyle(style: any, params: Pick<EmbedParams, 'mode' | 'layers' | 'scenario'>): any;
  EMBED_LAYERS: string[];
}>('embed-params.js');
const mapStyle = await load<{ BASEMAP_LAYERS: string[]; OVERLAY_LAYERS: string[]; normalizeCatalog(c: unknown, t?: unknown[]): unknown; buildStyle(input: unknown): any }>('map-style.js');

const ORIGIN = 'http://127.0.0.1:8080';
const EXTENT: DataExtent = { bounds: [118.7, 25.2, 119.3, 25.65], source: 'demo:putian', city: '莆田市', version: '1-abc' };
const tileJson = (ids: string[]) =>
  buildTileJson({ layers: TILE_LAYERS.filter((l) => ids.includes(l.id)), tilesUrl: `${ORIGIN}/tiles/${ids.join(',')}/{z}/{x}/{y}.mvt`, extent: EXTENT });

function mainStyle() {
  const basemap = tileJson(mapStyle.BASEMAP_LAYERS);
  const overlay = tileJson(mapStyle.OVERLAY_LAYERS);
  const catalog = mapStyle.normalizeCatalog({ layers: TILE_LAYERS.map(catalogEntry) }, [basemap, overlay]);
  return mapStyle.buildStyle({ catalog, basemap, overlay, origin: ORIGIN });
}

describe('embed parameters', () => {
  it('defaults to the coverage map of every layer, no panel, nothing ignored', () => {
    expect(readEmbedParams('')).toEqual({ mode: 'coverage', center: null, zoom: null, layers: EMBED_LAYERS, lang: null, scenario: null, panel: false, ignored: [] });
  });

  it('reads every parameter', () => {
    expect(readEmbedParams('?mode=standard&center=119.01,25.44&zoom=15.5&layers=centers,grids&lang=en-GB&scenario=12&panel=legend')).toEqual({
      mode: 'standard',
      center: [119.01, 25.44],
      zoom: 15.5,
      layers: ['grids', 'centers'],
      lang: 'en',
      scenario: '12',
      panel: true,
      ignored: [],
    });
    expect(readEmbedParams('?lang=zh&panel=1&mode=ISOCHRONE')).toMatchObject({ lang: 'zh-CN', panel: true, mode: 'isochrone' });
    expect(readEmbedParams('?panel=0').panel).toBe(false);
  });

  it('drops what it cannot use, keeps the default, and names each value', () => {
    const params = readEmbedParams('?mode=heat&center=200,1&zoom=23&layers=roads,streets&lang=fr&scenario=0&panel=maybe&utm_source=x');
    expect(params).toMatchObject({ mode: 'coverage', center: null, zoom: null, layers: ['streets'], lang: null, scenario: null, panel: false });
    expect(params.ignored).toEqual([
      { name: 'mode', value: 'heat' },
      { name: 'center', value: '200,1' },
      { name: 'zoom', value: '23' },
      { name: 'layers', value: 'roads' },
      { name: 'lang', value: 'fr' },
      { name: 'scenario', value: '0' },
      { name: 'panel', value: 'maybe' },
    ]);
    for (const center of ['119', '119,25,3', 'a,b', ',25', '119,86']) expect(readEmbedParams(`?center=${center}`).center, center).toBeNull();
    for (const zoom of ['', 'x', '-1']) expect(readEmbedParams(`?zoom=${zoom}`).zoom, zoom).toBeNull();
    // Nothing known left: the whole map, not an empty one.
    expect(readEmbedParams('?layers=roads').layers).toEqual(EMBED_LAYERS);
  });
});

describe('embed style', () => {
  it('keeps the main style when every layer is asked for, without the route', () => {
    const style = embedStyle(mainStyle(), { mode: 'coverage', layers: EMBED_LAYERS, scenario: null });
    const ids = style.layers.map((l: { id: string }) => l.id);
    expect(ids).toEqual(expect.arrayContaining(['grids-share', 'streets', 'households', 'centers', 'isochrone-fill', 'origin']));
    expect(ids).not.toContain('route');
    expect(style.sources.overlay.tiles).toEqual(mainStyle().sources.overlay.tiles);
  });

  it('drops the layers not asked for, and a source none of the rest uses', () => {
    const style = embedStyle(mainStyle(), { mode: 'coverage', layers: ['grids', 'centers'], scenario: null });
    const vector = style.layers.filter((l: { 'source-layer'?: string }) => l['source-layer']).map((l: { 'source-layer': string }) => l['source-layer']);
    expect(new Set(vector)).toEqual(new Set(['grids', 'centers']));
    expect(style.sources.basemap).toBeUndefined();
    expect(style.sources.overlay).toBeDefined();
  });

  it('puts the scenario and the standard on the overlay tiles only, and colours households by tier', () => {
    const style = embedStyle(mainStyle(), { mode: 'standard', layers: EMBED_LAYERS, scenario: '7' });
    for (const url of style.sources.overlay.tiles) {
      expect(url).toContain('{z}/{x}/{y}.mvt?');
      const query = new URLSearchParams(url.split('?')[1]);
      expect(query.get('scenario')).toBe('7');
      expect(query.get('standard')).toBe('gb50180');
    }
    for (const url of style.sources.basemap.tiles) expect(url).not.toContain('?');
    const households = style.layers.find((l: { id: string }) => l.id === 'households');
    expect(JSON.stringify(households.paint['circle-color'])).toContain('tiers_met');
  });
});
