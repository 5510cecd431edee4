/**
 * The style layers that draw a scenario on the main map: households it
 * brings into the 15-minute circle (gained), ones it drops (lost), and the
 * centers it removes (hollow rings where they were). They read the `change`
 * field, which only a scenario's overlay tiles carry, and start hidden.
 *
 * They are part of the first style (withScenarioLayers), not added after it
 * has loaded: MapLibre parses every tile of a source again when a layer on
 * that source is added, which on the first view cost a second parse of all
 * overlay tiles (hundreds of ms in a browser without a GPU).
 */
import { COLORS, SOURCES } from './map-style.js';

/** @typedef {import('maplibre-gl').LayerSpecification} Layer */

/** The scenario's style layers, by what they show. */
export const SCENARIO_LAYERS = { gained: 'scenario-gained', lost: 'scenario-lost', removed: 'scenario-removed' };

/**
 * Gained and lost households (drawn over the other households, under the route).
 * @returns {Layer[]}
 */
function scenarioHouseholdLayers() {
  /** @type {import('maplibre-gl').ExpressionSpecification} */
  const radius = ['interpolate', ['linear'], ['zoom'], 13, 3, 15, 5.5, 18, 10];
  return /** @type {const} */ ([[SCENARIO_LAYERS.lost, 'lost', COLORS.lost], [SCENARIO_LAYERS.gained, 'gained', COLORS.gained]]).map(([id, change, color]) => ({
    id,
    type: 'circle',
    source: SOURCES.overlay,
    'source-layer': 'households',
    filter: ['==', ['get', 'change'], change],
    layout: { visibility: 'none' },
    paint: { 'circle-color': color, 'circle-radius': radius, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.2 },
  }));
}

/**
 * Removed centers, on top of everything.
 * @returns {Layer}
 */
function scenarioRemovedLayer() {
  return {
    id: SCENARIO_LAYERS.removed,
    type: 'circle',
    source: SOURCES.overlay,
    'source-layer': 'centers',
    filter: ['==', ['get', 'change'], 'removed'],
    layout: { visibility: 'none' },
    paint: {
      'circle-color': '#ffffff',
      'circle-opacity': 0.9,
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 4, 16, 9],
      'circle-stroke-color': COLORS.lost,
      'circle-stroke-width': 3,
    },
  };
}

/**
 * The style with the scenario layers in place (hidden): households' under
 * the route, the removed centers' last. A style without the overlay, or
 * with no households or centers layer, is returned as it is.
 * @param {import('maplibre-gl').StyleSpecification} style
 * @returns {import('maplibre-gl').StyleSpecification}
 */
export function withScenarioLayers(style) {
  if (!style.sources[SOURCES.overlay]) return style;
  const layers = [...style.layers];
  if (layers.some((l) => l.id === 'households')) {
    const route = layers.findIndex((l) => l.id === 'route-casing');
    layers.splice(route < 0 ? layers.length : route, 0, ...scenarioHouseholdLayers());
  }
  if (layers.some((l) => l.id === 'centers')) layers.push(scenarioRemovedLayer());
  return { ...style, layers };
}
