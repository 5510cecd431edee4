/**
 * The developers' runnable example (GET /developers/example.html): a whole
 * HTML page that draws our vector tiles (from their TileJSON) with MapLibre
 * and the walk isochrone of a clicked point (GET /api/isochrone). The
 * developers page (client/developers.js) shows this very text for copying
 * and runs it in a frame, so what a developer copies is what they saw work.
 *
 * It names this server by the address its reader used (`origin`), so the
 * copy works from any other site: MapLibre's files from /vendor/ are plain
 * script and style loads, and the TileJSON, tiles and isochrones are open
 * to every origin (CORS). Comments and the one message it writes are in the
 * reader's language (zh-CN by default, `?lang=en`).
 *
 * Served with the client page's policy plus the hashes of its one inline
 * script and style element, computed from the text sent: nothing else
 * inline can run, and nothing from outside this origin loads.
 */
import { createHash } from 'node:crypto';
import { CLIENT_CSP } from '../http/security-headers.ts';

/** The example's words, by language. */
const WORDS = {
  'zh-CN': {
    lang: 'zh-CN',
    title: '15分钟生活圈：MapLibre 示例',
    vendor: 'MapLibre GL JS：可直接使用本服务提供的副本',
    hint: '点击地图，查看从该点出发的 5、10、15 分钟步行等时圈。',
    tiles: '1. 矢量瓦片：TileJSON 给出所选图层的瓦片地址、缩放级别、范围和中心',
    grids: '网格按 15 分钟覆盖率着色（coverage_share，0 到 1）',
    console: '便于在浏览器控制台中查看',
    isochrone: '2. 等时圈：GET /api/isochrone 返回 GeoJSON，每个时长一个（多）多边形，属性含可达户数',
    order: '大的在下，小的在上',
    reached: (n: string) => `\`步行 15 分钟可达 \${${n}} 户\``,
  },
  en: {
    lang: 'en',
    title: '15-minute living circle: MapLibre example',
    vendor: 'MapLibre GL JS: this service serves a copy you may use',
    hint: 'Click the map for the 5, 10 and 15-minute walk from that point.',
    tiles: '1. Vector tiles: the TileJSON gives the tile URL, zooms, bounds and center of the chosen layers',
    grids: 'Grids coloured by their 15-minute coverage (coverage_share, 0 to 1)',
    console: 'for the browser console',
    isochrone: '2. Isochrones: GET /api/isochrone answers GeoJSON, one (Multi)Polygon per contour, with the households it reaches',
    order: 'largest first, so the smaller ones draw on top',
    reached: (n: string) => `\`\${${n}} households within a 15-minute walk\``,
  },
} as const;

type Words = (typeof WORDS)[keyof typeof WORDS];

export interface DeveloperExampleInput {
  /** This server as its reader reached it, e.g. `https://map.example.org`. */
  origin: string;
  /** MapLibre's version, the cache-busting query of the /vendor/ URLs. */
  maplibreVersion: string;
  /** `en` for English; anything else is Chinese. */
  language?: string | undefined;
}

const STYLE = `
  html, body { height: 100%; margin: 0; font: 14px system-ui, sans-serif; }
  #map { position: absolute; inset: 0; }
  #info { position: absolute; top: 10px; right: 10px; max-width: 260px; padding: 6px 10px; background: #fff; border-radius: 4px; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.3); }
`;

function script(origin: string, w: Words): string {
  return `
const SERVER = ${JSON.stringify(origin)};
const info = document.getElementById('info');

// ${w.tiles}
const tiles = await (await fetch(\`\${SERVER}/tiles/water,streets,grids,centers.json\`)).json();

const map = new maplibregl.Map({
  container: 'map',
  center: [tiles.center[0], tiles.center[1]],
  zoom: 13,
  style: {
    version: 8,
    sources: {
      living: { type: 'vector', tiles: tiles.tiles, minzoom: tiles.minzoom, maxzoom: tiles.maxzoom },
      isochrone: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    },
    layers: [
      { id: 'land', type: 'background', paint: { 'background-color': '#f2efe9' } },
      { id: 'water', type: 'fill', source: 'living', 'source-layer': 'water', paint: { 'fill-color': '#a8cbe6' } },
      // ${w.grids}
      {
        id: 'grids', type: 'fill', source: 'living', 'source-layer': 'grids',
        paint: { 'fill-color': ['interpolate', ['linear'], ['coalesce', ['get', 'coverage_share'], 0], 0, '#e66101', 1, '#08519c'], 'fill-opacity': 0.3 },
      },
      { id: 'streets', type: 'line', source: 'living', 'source-layer': 'streets', paint: { 'line-color': '#ffffff', 'line-width': 1.5 } },
      {
        id: 'isochrone', type: 'fill', source: 'isochrone',
        paint: { 'fill-color': ['match', ['get', 'minutes'], 5, '#08519c', 10, '#3182bd', '#9ecae1'], 'fill-opacity': 0.4 },
      },
      { id: 'centers', type: 'circle', source: 'living', 'source-layer': 'centers', paint: { 'circle-radius': 4, 'circle-color': '#c2185b', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1 } },
    ],
  },
});
window.map = map; // ${w.console}

// ${w.isochrone}
async function showIsochrone([lon, lat]) {
  const response = await fetch(\`\${SERVER}/api/isochrone?lon=\${lon}&lat=\${lat}&minutes=5,10,15\`);
  const answer = await response.json();
  if (!response.ok) {
    info.textContent = answer.error.message;
    return;
  }
  answer.features.sort((a, b) => b.properties.minutes - a.properties.minutes); // ${w.order}
  map.getSource('isochrone').setData(answer);
  const households = answer.features.find((f) => f.properties.minutes === 15).properties.households.toLocaleString();
  info.textContent = ${w.reached('households')};
}

map.on('load', () => showIsochrone([tiles.center[0], tiles.center[1]]));
map.on('click', (event) => showIsochrone(event.lngLat.toArray()));
`;
}

const PLAIN_ORIGIN = /^https?:\/\/[A-Za-z0-9.\-:[\]]+$/;
const FALLBACK_ORIGIN = 'http://localhost:8080';

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The example page and the Content-Security-Policy that lets exactly its inline script and style run. */
export function developerExample({ origin: asked, maplibreVersion, language }: DeveloperExampleInput): { html: string; csp: string } {
  // Goes into HTML and script text as it is: only a plain scheme and host characters (publicOrigin's rule) pass.
  const origin = PLAIN_ORIGIN.test(asked) ? asked : FALLBACK_ORIGIN;
  const w = language === 'en' ? WORDS.en : WORDS['zh-CN'];
  const code = script(origin, w);
  const vendor = `${origin}/vendor`;
  const html = `<!doctype html>
<html lang="${w.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${w.title}</title>
<!-- ${w.vendor} -->
<link rel="stylesheet" href="${vendor}/maplibre-gl.css?v=${maplibreVersion}">
<script src="${vendor}/maplibre-gl.js?v=${maplibreVersion}"></script>
<style>${STYLE}</style>
</head>
<body>
<div id="map"></div>
<div id="info">${w.hint}</div>
<script type="module">${code}</script>
</body>
</html>
`;
  const csp = CLIENT_CSP.replace("script-src 'self'", `script-src 'self' ${sha256(code)}`).replace("style-src 'self'", `style-src 'self' ${sha256(STYLE)}`);
  return { html, csp };
}
