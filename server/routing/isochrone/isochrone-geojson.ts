/**
 * GeoJSON for isochrones (RFC 7946): rings come from build-isochrones as
 * integers of 1e-7 degrees (about 1 cm), counter-clockwise outer rings and
 * clockwise holes. `isochroneGeoJsonText` writes the answer's text directly
 * from those integers: formatting an integer and placing the decimal point is
 * several times faster than JSON.stringify's shortest-double conversion on
 * nested arrays, which was a third of a whole Monaco request. The object
 * form (`isochroneFeatureCollection`, `geometryOf`) is for tests and other
 * callers that want objects; both give the same JSON.
 */

export type Position = [number, number];
export type IsochroneGeometry = { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] };

/** A ring in integers of 1e-7 degrees: lon,lat pairs, not repeated at the end. */
export type E7Ring = Int32Array;

/** What the writers need of a contour and of the call (build-isochrones' result has these). */
export interface ContourLike {
  minutes: number;
  polygons: E7Ring[][];
  geometry: IsochroneGeometry;
  reachableM: number;
  areaM2: number;
}
export interface ResultLike {
  contours: ContourLike[];
  method: { bufferM: number; generalizeM: number; cellSizeM: number };
}

const E7 = 1e7;

/** Polygon when there is one piece, else MultiPolygon (empty when there is none); rings closed. */
export function geometryOf(polygons: E7Ring[][]): IsochroneGeometry {
  const coordinates = polygons.map((rings) =>
    rings.map((ring) => {
      const n = ring.length / 2;
      const out: Position[] = new Array(n + 1);
      for (let i = 0; i < n; i++) out[i] = [ring[2 * i]! / E7, ring[2 * i + 1]! / E7];
      out[n] = out[0]!;
      return out;
    }),
  );
  return coordinates.length === 1 ? { type: 'Polygon', coordinates: coordinates[0]! } : { type: 'MultiPolygon', coordinates };
}

function featureProperties(c: ContourLike) {
  return { minutes: c.minutes, reachable_m: Math.round(c.reachableM), area_m2: Math.round(c.areaM2) };
}

function collectionProperties(result: ResultLike, extra: Record<string, unknown>) {
  return {
    ...extra,
    buffer_m: result.method.bufferM,
    generalize_m: result.method.generalizeM,
    cell_size_m: Math.round(result.method.cellSizeM * 100) / 100,
  };
}

/** The answer as objects: one Feature per contour, largest first so smaller ones draw on top. */
export function isochroneFeatureCollection(result: ResultLike, extra: Record<string, unknown> = {}) {
  return {
    type: 'FeatureCollection' as const,
    features: [...result.contours].reverse().map((c) => ({ type: 'Feature' as const, properties: featureProperties(c), geometry: c.geometry })),
    properties: collectionProperties(result, extra),
  };
}

/** The same answer as JSON text, written straight from the integer rings. */
export function isochroneGeoJsonText(result: ResultLike, extra: Record<string, unknown> = {}): string {
  const parts: string[] = ['{"type":"FeatureCollection","features":['];
  const contours = [...result.contours].reverse();
  contours.forEach((c, k) => {
    if (k > 0) parts.push(',');
    parts.push('{"type":"Feature","properties":', JSON.stringify(featureProperties(c)), ',"geometry":');
    const many = c.polygons.length !== 1;
    parts.push(many ? '{"type":"MultiPolygon","coordinates":[' : '{"type":"Polygon","coordinates":');
    c.polygons.forEach((rings, p) => {
      if (p > 0) parts.push(',');
      parts.push('[');
      rings.forEach((ring, r) => {
        if (r > 0) parts.push(',');
        parts.push(ringText(ring));
      });
      parts.push(']');
    });
    parts.push(many ? ']}}' : '}}');
  });
  parts.push('],"properties":', JSON.stringify(collectionProperties(result, extra)), '}');
  return parts.join('');
}

/** A closed ring as JSON: [[lon,lat],...,[lon0,lat0]]. */
function ringText(ring: E7Ring): string {
  const n = ring.length / 2;
  let out = '[';
  for (let i = 0; i <= n; i++) {
    const k = i === n ? 0 : i;
    out += (i > 0 ? ',[' : '[') + e7Text(ring[2 * k]!) + ',' + e7Text(ring[2 * k + 1]!) + ']';
  }
  return out + ']';
}

const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000'];

/** n / 1e7 as the shortest decimal that parses back to it (the same text JSON gives, up to form). */
export function e7Text(n: number): string {
  if (n < 0) return '-' + e7Text(-n);
  const whole = Math.floor(n / E7);
  let frac = n - whole * E7;
  if (frac === 0) return String(whole);
  let digits = 7;
  while (frac % 10 === 0) {
    frac /= 10;
    digits--;
  }
  const text = String(frac);
  return `${whole}.${ZEROS[digits - text.length]}${text}`;
}
