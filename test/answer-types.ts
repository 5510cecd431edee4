/**
 * The shapes of the JSON answers the HTTP tests read, as far as they read
 * them (the OpenAPI test checks the whole answers against the document), so
 * that a renamed field is a type error in the tests, not an `any`.
 */
export type LonLat = [number, number];

export interface ErrorAnswer {
  error: { code: string; message: string; field?: string };
}

export interface NearestAnswer {
  center: { id: number; name: string; kind: string };
  walk_seconds: number;
  profile: string;
  speed_kmh: number;
  origin: { lon: number; lat: number; snapped: LonLat; access_m: number };
}

export interface IsochroneAnswer {
  features: {
    properties: {
      minutes: number;
      reachable_m: number;
      area_m2: number;
      household_units: number;
      households: number;
      persons: number;
      centers: number;
      centers_by_kind: Record<string, number>;
    };
  }[];
  properties: { profile: string; speed_kmh: number; snaps: { lon: number; lat: number; snapped: LonLat; access_m: number }[] };
}

/** The body of a Response as `T` (the caller names the shape it expects). */
export async function jsonOf<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
