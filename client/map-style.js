/**
 * The MapLibre style, built from the tile catalog and two TileJSONs: the
 * basemap (water, buildings, streets, admin) and the living-circle overlay
 * (grids, households, centers), kept as separate sources so that a change
 * to the centers reloads only the overlay. Only our own vector tiles: no
 * glyphs, sprites or external sources, so only fill, line and circle layers.
 *
 * Data-driven parts adapt to the fields the catalog declares: households
 * are coloured by `walk_seconds` (or `covered`) when the tiles carry them,
 * grids get a coverage-share choropleth when a share (or covered and
 * households) is there; otherwise those layers fall back to plain colours
 * and the legend says so.
 */

/** Basemap tile layers, bottom to top. */
export const BASEMAP_LAYERS = ['water', 'buildings', 'streets', 'admin'];
/** Living-circle tile layers: the ones that change with the centers. */
export const OVERLAY_LAYERS = ['grids', 'households', 'centers'];

/** Sources the app updates at run time. */
export const SOURCES = { basemap: 'basemap', overlay: 'overlay', isochrone: 'isochrone', route: 'route', origin: 'origin' };

/** The 15-minute threshold, and the 5 and 10 minute rings, in seconds. */
export const WALK_BANDS = [300, 600, 900];

/**
 * Colours shared by the style and the legend. Walk times and coverage never
 * rely on red against green: covered households go from dark to light blue
 * with the walk (the isochrones' own blues), households not covered are
 * orange, unreachable ones dark purple, and the grid choropleth runs from
 * orange to blue (ColorBrewer's PuOr/RdBu ends, safe for the common colour
 * vision deficiencies); every colour also has its label in the legend.
 */
export const COLORS = {
  land: '#f2efe9',
  water: '#a8cbe6',
  building: '#dcd6cc',
  street: '#ffffff',
  streetCasing: '#cfc8bc',
  admin: '#6b6370',
  grid: '#8a7fae',
  walk: ['#08519c', '#3182bd', '#9ecae1'],
  uncovered: '#e66101',
  unreachable: '#542788',
  household: '#5f6b7a',
  centers: { neighborhood: '#c2185b', governance: '#00796b', other: '#6d4c41' },
  candidate: '#111111',
  /** Scenario comparison: households a scenario brings into the circle, and ones it drops out of it. */
  gained: '#2166ac',
  lost: '#b35806',
  share: ['#e66101', '#fdb863', '#d1e5f0', '#6baed6', '#08519c'],
  isochrone: { 5: '#08519c', 10: '#3182bd', 15: '#9ecae1' },
  route: '#1f2328',
};

/** Grid properties that may hold the coverage share (0..1), in order of preference. */
const SHARE_FIELDS = ['share', 'covered_share', 'coverage_share'];

/**
 * @typedef {{ id: string, minzoom: number, maxzoom: number, fields: Set<string> }} CatalogLayer
 * @typedef {Map<string, CatalogLayer>} Catalog
 * @typedef {import('maplibre-gl').ExpressionSpecification} Expression
 * @typedef {import('maplibre-gl').LayerSpecification} Layer
 * @typedef {Omit<import('maplibre-gl').FillLayerSpecification, 'id' | 'source' | 'source-layer'>
 *   | Omit<import('maplibre-gl').LineLayerSpecification, 'id' | 'source' | 'source-layer'>
 *   | Omit<import('maplibre-gl').CircleLayerSpecification, 'id' | 'source' | 'source-layer'>} TileLayerBody
 *   a style layer drawn from a vector source, without its id and source
 */

/**
 * Field names of a catalog or TileJSON layer entry: `fields` as an object
 * (TileJSON vector_layers: name -> type) or a list of names or `{ name }`.
 * @param {any} fields
 * @returns {Set<string>}
 */
function fieldNames(fields) {
  if (Array.isArray(fields)) return new Set(fields.map((f) => (typeof f === 'string' ? f : f?.name)).filter(Boolean));
  if (fields && typeof fields === 'object') return new Set(Object.keys(fields));
  return new Set();
}

/**
 * The catalog as a map by layer id; accepts `{ layers: [...] }` or a bare list,
 * and fills fields missing there from the TileJSONs' vector_layers.
 * @param {any} catalog
 * @param {any[]} tileJsons
 * @returns {Catalog}
 */
export function normalizeCatalog(catalog, tileJsons = []) {
  /** @type {Catalog} */
  const layers = new Map();
  const list = Array.isArray(catalog) ? catalog : (catalog?.layers ?? []);
  for (const layer of list) {
    layers.set(layer.id, { id: layer.id, minzoom: layer.minzoom ?? 0, maxzoom: layer.maxzoom ?? 22, fields: fieldNames(layer.fields) });
  }
  for (const tileJson of tileJsons) {
    for (const vector of tileJson?.vector_layers ?? []) {
      const known = layers.get(vector.id);
      if (!known) layers.set(vector.id, { id: vector.id, minzoom: vector.minzoom ?? 0, maxzoom: vector.maxzoom ?? 22, fields: fieldNames(vector.fields) });
      else if (known.fields.size === 0) known.fields = fieldNames(vector.fields);
    }
  }
  return layers;
}

/**
 * A tile URL template made absolute (MapLibre fetches tiles from a worker,
 * where relative URLs do not resolve) with a cache-busting `v` parameter.
 * String concatenation, not `new URL`, which would escape the `{z}` braces.
 * @param {string} template e.g. `/tiles/grids/{z}/{x}/{y}.mvt`
 * @param {string} origin e.g. `http://localhost:8080`
 * @param {string | number | undefined} version
 * @returns {string}
 */
export function tileUrl(template, origin, version) {
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(template) ? template : `${origin}${template.startsWith('/') ? '' : '/'}${template}`;
  if (version === undefined || version === '') return absolute;
  const withoutV = absolute.replace(/([?&])v=[^&]*&?/, '$1').replace(/[?&]$/, '');
  return `${withoutV}${withoutV.includes('?') ? '&' : '?'}v=${encodeURIComponent(String(version))}`;
}

/**
 * A vector source from a TileJSON.
 * @param {import('./api.js').TileJson} tileJson
 * @param {string} origin
 * @param {string | number | undefined} version
 * @returns {import('maplibre-gl').VectorSourceSpecification}
 */
export function vectorSource(tileJson, origin, version) {
  /** @type {import('maplibre-gl').VectorSourceSpecification} */
  const source = {
    type: 'vector',
    tiles: (tileJson.tiles ?? []).map((t) => tileUrl(t, origin, version)),
    minzoom: tileJson.minzoom ?? 0,
    maxzoom: tileJson.maxzoom ?? 16,
  };
  // The server credits OpenStreetMap when the data came from it (not for the generated demo city).
  if (tileJson.attribution) source.attribution = tileJson.attribution;
  if (Array.isArray(tileJson.bounds) && tileJson.bounds.length === 4) source.bounds = tileJson.bounds;
  return source;
}

/**
 * Household colour: by walk time band when the tiles carry `walk_seconds`,
 * else covered / not covered, else one neutral colour.
 * @param {Set<string>} fields
 * @returns {{ color: import('maplibre-gl').DataDrivenPropertyValueSpecification<string>, mode: 'walk' | 'covered' | 'plain' }}
 */
export function householdColor(fields) {
  if (fields.has('walk_seconds')) {
    /** @type {Expression} */
    const seconds = ['to-number', ['get', 'walk_seconds'], -1];
    /** @type {Expression} */
    const color = ['case',
      ['any', ['!', ['has', 'walk_seconds']], ['<', seconds, 0]], COLORS.unreachable,
      ['<=', seconds, WALK_BANDS[0]], COLORS.walk[0],
      ['<=', seconds, WALK_BANDS[1]], COLORS.walk[1],
      ['<=', seconds, WALK_BANDS[2]], COLORS.walk[2],
      COLORS.uncovered];
    return { color, mode: 'walk' };
  }
  if (fields.has('covered')) {
    return { color: ['case', ['==', ['get', 'covered'], true], COLORS.walk[1], COLORS.uncovered], mode: 'covered' };
  }
  return { color: COLORS.household, mode: 'plain' };
}

/**
 * The grids' coverage share (0..1) as an expression, or null when the tiles
 * carry neither a share nor covered and households counts.
 * @param {Set<string>} fields
 * @returns {Expression | null}
 */
export function gridShareExpression(fields) {
  const name = SHARE_FIELDS.find((f) => fields.has(f));
  if (name) return ['to-number', ['get', name], -1];
  if (fields.has('covered') && fields.has('households')) {
    /** @type {Expression} */
    const households = ['to-number', ['get', 'households'], 0];
    return ['case', ['>', households, 0], ['/', ['to-number', ['get', 'covered'], 0], households], -1];
  }
  return null;
}

/**
 * Centers coloured by kind.
 * @returns {Expression}
 */
function centerColor() {
  return ['match', ['get', 'kind'],
    'neighborhood', COLORS.centers.neighborhood,
    'governance', COLORS.centers.governance,
    COLORS.centers.other];
}

/**
 * A style layer over one tile layer, from the overlay or the basemap source.
 * @param {string} id @param {string} sourceLayer @param {TileLayerBody} rest
 * @returns {Layer}
 */
function vectorLayer(id, sourceLayer, rest) {
  const source = OVERLAY_LAYERS.includes(sourceLayer) ? SOURCES.overlay : SOURCES.basemap;
  return { id, source, 'source-layer': sourceLayer, ...rest };
}

/**
 * Water areas and waterways.
 * @returns {Layer[]}
 */
function waterLayers() {
  /** @type {Expression} */
  const polygon = ['match', ['geometry-type'], ['Polygon', 'MultiPolygon'], true, false];
  /** @type {Expression} */
  const line = ['match', ['geometry-type'], ['LineString', 'MultiLineString'], true, false];
  return [
    vectorLayer('water-fill', 'water', { type: 'fill', filter: polygon, paint: { 'fill-color': COLORS.water } }),
    vectorLayer('water-line', 'water', {
      type: 'line',
      filter: line,
      paint: { 'line-color': COLORS.water, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1, 16, 6] },
    }),
  ];
}

/** @returns {Layer[]} */
function buildingLayers() {
  return [vectorLayer('buildings', 'buildings', { type: 'fill', paint: { 'fill-color': COLORS.building, 'fill-outline-color': '#c5bdb0' } })];
}

/**
 * Streets: a casing and a white line, wider for main roads.
 * @returns {Layer[]}
 */
function streetLayers() {
  /** @type {Expression} */
  const major = ['match', ['get', 'class'], ['trunk', 'primary', 'secondary', 'tertiary', 'primary_link', 'secondary_link', 'tertiary_link'], true, false];
  /** @type {(scale: number) => Expression} */
  const width = (scale) => ['interpolate', ['exponential', 1.6], ['zoom'],
    10, ['case', major, 1 * scale, 0.3 * scale],
    16, ['case', major, 9 * scale, 4 * scale]];
  /** @type {import('maplibre-gl').LineLayerSpecification['layout']} */
  const layout = { 'line-cap': 'round', 'line-join': 'round' };
  return [
    vectorLayer('streets-casing', 'streets', { type: 'line', layout, paint: { 'line-color': COLORS.streetCasing, 'line-width': width(1.4) } }),
    vectorLayer('streets', 'streets', { type: 'line', layout, paint: { 'line-color': COLORS.street, 'line-width': width(1) } }),
  ];
}

/** @returns {Layer[]} */
function adminLayers() {
  return [
    vectorLayer('admin', 'admin', {
      type: 'line',
      filter: ['match', ['get', 'level'], ['city', 'district', 'street'], true, false],
      paint: {
        'line-color': COLORS.admin,
        'line-width': ['match', ['get', 'level'], 'city', 2.5, 'district', 2, 1],
        'line-dasharray': [3, 2],
        'line-opacity': 0.8,
      },
    }),
  ];
}

/**
 * Grid outlines, and the coverage choropleth when the share is known.
 * @param {Set<string>} fields
 * @returns {Layer[]}
 */
function gridLayers(fields) {
  const share = gridShareExpression(fields);
  /** @type {Layer[]} */
  const layers = [];
  if (share) {
    const [c0, c1, c2, c3, c4] = COLORS.share;
    layers.push(vectorLayer('grids-share', 'grids', {
      type: 'fill',
      filter: ['>=', share, 0],
      paint: {
        'fill-color': ['interpolate', ['linear'], share, 0, c0, 0.5, c1, 0.75, c2, 0.9, c3, 1, c4],
        'fill-opacity': ['interpolate', ['linear'], ['zoom'], 10, 0.45, 15, 0.2],
      },
    }));
  }
  layers.push(vectorLayer('grids-outline', 'grids', {
    type: 'line',
    ...(share ? { minzoom: 11 } : {}), // over the choropleth from z11: below, colour tells grids apart (2,000 outlines: a fifth of the tile work)
    paint: { 'line-color': COLORS.grid, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.3, 15, 1.2], 'line-opacity': 0.7 },
  }));
  return layers;
}

/**
 * @param {Set<string>} fields
 * @returns {Layer[]}
 */
function householdLayers(fields) {
  /** @type {Expression} */
  const radius = ['interpolate', ['linear'], ['zoom'], 14, 2.2, 16, 4.5, 18, 8];
  return [vectorLayer('households', 'households', {
    type: 'circle',
    paint: {
      'circle-color': householdColor(fields).color,
      'circle-radius': radius,
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 14, 0.3, 16, 0.8],
    },
  })];
}

/**
 * Centers; candidates added through the API stand out by their dark ring.
 * @returns {Layer[]}
 */
function centerLayers() {
  return [vectorLayer('centers', 'centers', {
    type: 'circle',
    paint: {
      'circle-color': centerColor(),
      // The city's two kinds of service centers are what the map is about; other facilities
      // (kindergartens, shops, schools: the 5- and 10-minute kinds from z13) stay small.
      'circle-radius': ['interpolate', ['linear'], ['zoom'],
        8, ['match', ['get', 'kind'], ['neighborhood', 'governance'], 2.5, 1.5],
        12, ['match', ['get', 'kind'], ['neighborhood', 'governance'], 5, 2.5],
        16, ['match', ['get', 'kind'], ['neighborhood', 'governance'], 9, 5]],
      'circle-stroke-color': ['case', ['==', ['get', 'source'], 'api'], COLORS.candidate, '#ffffff'],
      'circle-stroke-width': ['case', ['==', ['get', 'source'], 'api'], 3, ['match', ['get', 'kind'], ['neighborhood', 'governance'], 1.5, 0.8]],
    },
  })];
}

/** The GeoJSON overlays' layers start hidden: shown with data by geojson-overlay.js (why: there). */
const hiddenUntilData = () => /** @type {{ visibility: 'none' }} */ ({ visibility: 'none' });

/**
 * Nested isochrone fills: 15 minutes first so 10 and 5 draw on top.
 * @returns {Layer[]}
 */
function isochroneLayers() {
  /** @type {Expression} */
  const color = ['match', ['to-number', ['get', 'minutes'], 0], 5, COLORS.isochrone[5], 10, COLORS.isochrone[10], COLORS.isochrone[15]];
  return [
    { id: 'isochrone-fill', type: 'fill', source: SOURCES.isochrone, layout: hiddenUntilData(), paint: { 'fill-color': color, 'fill-opacity': 0.28 } },
    { id: 'isochrone-line', type: 'line', source: SOURCES.isochrone, layout: hiddenUntilData(), paint: { 'line-color': color, 'line-width': 1.5 } },
  ];
}

/** @returns {Layer[]} */
function routeLayers() {
  return [
    { id: 'route-casing', type: 'line', source: SOURCES.route, layout: { ...hiddenUntilData(), 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': '#ffffff', 'line-width': 7 } },
    { id: 'route', type: 'line', source: SOURCES.route, layout: { ...hiddenUntilData(), 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': COLORS.route, 'line-width': 4 } },
    { id: 'origin', type: 'circle', source: SOURCES.origin, layout: hiddenUntilData(),
      paint: { 'circle-color': '#222222', 'circle-radius': 6, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } },
  ];
}

/**
 * An empty GeoJSON source, filled by the app (a new object each: MapLibre keeps a reference).
 * @returns {import('maplibre-gl').GeoJSONSourceSpecification}
 */
const emptyGeoJson = () => ({ type: 'geojson', data: { type: 'FeatureCollection', features: [] } });

/**
 * The whole style. A layer is drawn when the catalog lists it and its
 * TileJSON (basemap or overlay; null when none of its layers exist) is given.
 * @param {{ catalog: Catalog, basemap: import('./api.js').TileJson | null, overlay: import('./api.js').TileJson | null, origin: string, version?: string | number }} input
 * @returns {import('maplibre-gl').StyleSpecification}
 */
export function buildStyle({ catalog, basemap, overlay, origin, version }) {
  const has = (/** @type {string} */ id) => catalog.has(id) && Boolean(OVERLAY_LAYERS.includes(id) ? overlay : basemap);
  const fields = (/** @type {string} */ id) => catalog.get(id)?.fields ?? new Set();
  /** @type {Layer[]} */
  const layers = [
    { id: 'background', type: 'background', paint: { 'background-color': COLORS.land } },
    ...(has('water') ? waterLayers() : []),
    ...(has('grids') ? gridLayers(fields('grids')) : []),
    ...(has('buildings') ? buildingLayers() : []),
    ...(has('streets') ? streetLayers() : []),
    ...(has('admin') ? adminLayers() : []),
    ...isochroneLayers(),
    ...(has('households') ? householdLayers(fields('households')) : []),
    ...routeLayers(),
    ...(has('centers') ? centerLayers() : []),
  ];
  return {
    version: 8,
    name: '15-minute living circle',
    sources: {
      ...(basemap ? { [SOURCES.basemap]: vectorSource(basemap, origin, undefined) } : {}),
      ...(overlay ? { [SOURCES.overlay]: vectorSource(overlay, origin, version) } : {}),
      [SOURCES.isochrone]: emptyGeoJson(),
      [SOURCES.route]: emptyGeoJson(),
      [SOURCES.origin]: emptyGeoJson(),
    },
    layers,
  };
}
