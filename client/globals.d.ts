/**
 * Browser globals the client adds, for the type check of client/*.js
 * (tsconfig.client.json). Not served: the server serves only .html, .js,
 * .css, .svg, .png, .ico, .json and .map files from client/.
 */
interface Window {
  /** The map, for tests and debugging (app.js sets it once the map is made). */
  __map?: import('maplibre-gl').Map;
  /** The live map of the scenario comparison's swipe, while it is open (scenario-map.js). */
  __compareMap?: import('maplibre-gl').Map;
}
