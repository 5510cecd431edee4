/**
 * The map's GeoJSON overlays (isochrone, route, origin): their layers are in
 * the style from the start but hidden while the source is empty, and shown
 * once it holds something. An empty source with visible layers is not free:
 * MapLibre tiles it like any other (a job per visible tile and source, in the
 * same worker as the vector tiles) and draws one more frame when those empty
 * tiles arrive; in the first view that was 18 jobs and a frame of 100 to
 * 250 ms in a browser without a GPU, before the tiles that show anything.
 */

/**
 * Whether GeoJSON holds anything to draw.
 * @param {import('geojson').GeoJSON} data
 */
function hasFeatures(data) {
  return data.type === 'FeatureCollection' ? data.features.length > 0 : true;
}

/**
 * Sets a GeoJSON source's data and shows its layers when there is any, hides them when not.
 * @param {import('maplibre-gl').Map} map
 * @param {string} sourceId
 * @param {import('geojson').GeoJSON} data
 */
export function setOverlayData(map, sourceId, data) {
  const source = /** @type {import('maplibre-gl').GeoJSONSource | undefined} */ (map.getSource(sourceId));
  if (!source) return;
  source.setData(data);
  const visibility = hasFeatures(data) ? 'visible' : 'none';
  for (const id of map.getLayersOrder()) {
    if (map.getLayer(id)?.source === sourceId && map.getLayoutProperty(id, 'visibility') !== visibility) map.setLayoutProperty(id, 'visibility', visibility);
  }
}
