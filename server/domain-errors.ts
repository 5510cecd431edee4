/**
 * What the domain cannot answer, said in the domain's words: a point off the
 * walk network, a center kind nobody has, a graph that is not loaded yet.
 * Services below the HTTP edge throw these and know nothing of statuses;
 * server/http/error-mapping.ts is the one place that turns each into a
 * status and a machine code. Messages say what happened and what to do.
 */

/** A request the domain cannot answer, for a reason the caller can act on. */
export abstract class DomainError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** [minLon, minLat, maxLon, maxLat] */
type Bounds = readonly [number, number, number, number];

/** A point outside the data's bounds (widened by the snap distance). */
export class OutsideData extends DomainError {
  constructor(label: string, lon: number, lat: number, bounds: Bounds) {
    super(`${label} (${lon}, ${lat}) is outside the data's bounds [${bounds.map((v) => v.toFixed(4)).join(', ')}]`);
  }
}

/** A point inside the data's bounds but too far from every walkable way. */
export class OffNetwork extends DomainError {
  constructor(label: string, lon: number, lat: number, maxDistanceM: number) {
    super(`${label} (${lon}, ${lat}) is more than ${maxDistanceM} m from any walkable way of the connected network (in the sea, outside the walk network, or beside a walkway fragment too small to start from)`);
  }
}

/** No center (of the kind asked for) within the search's time limit. */
export class NoCenterReachable extends DomainError {
  constructor(kind: string | undefined, maxSeconds: number, speedKmh: number, lon: number, lat: number) {
    super(`no ${kind ? `"${kind}" ` : ''}center is reachable within ${maxSeconds / 3600} h of walking at ${speedKmh} km/h from (${lon}, ${lat})`);
  }
}

/** The walk graph is not there: it failed to load, or the database has no walk network. */
export class GraphNotReady extends DomainError {
  constructor(readonly reason: 'unavailable' | 'no_network', detail?: string) {
    super(
      reason === 'no_network'
        ? 'the database has no walk network yet; import a city first (npm run ingest)'
        : `the walk graph could not be loaded${detail ? `: ${detail}` : ''}`,
    );
  }
}

/** Household coverage could not be computed. */
export class CoverageNotReady extends DomainError {
  constructor(detail?: string) {
    super(`coverage is not available${detail ? `: ${detail}` : ''}`);
  }
}

/** A center kind no center has. */
export class UnknownKind extends DomainError {
  constructor(
    readonly kind: string,
    readonly kinds: readonly string[],
  ) {
    super(`no centers of kind "${kind}"; kinds: ${kinds.join(', ') || '(none)'}`);
  }
}

/** No center has this id. */
export class UnknownCenter extends DomainError {
  constructor(readonly id: number) {
    super(`no center with id ${id}`);
  }
}

/** A tile layer that is not in the registry. */
export class UnknownLayer extends DomainError {
  constructor(name: string, known: readonly string[]) {
    super(`no tile layer "${name.slice(0, 64)}"; known layers: ${known.join(', ')}`);
  }
}

/** The reachable area is too large to trace at this buffer (the isochrone's raster would be too big). */
export class AreaTooLarge extends DomainError {
  constructor(
    message: string,
    readonly minBufferM: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Options a service was called with that make no sense (the HTTP edge
 * validates first; this guards other callers). `field` names the option.
 */
export class InvalidOption extends DomainError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** No scenario has this id. */
export class UnknownScenario extends DomainError {
  constructor(readonly id: number) {
    super(`no scenario with id ${id}`);
  }
}

/** No token has this id. */
export class UnknownToken extends DomainError {
  constructor(readonly id: number) {
    super(`no token has id ${id} (GET /api/tokens lists them)`);
  }
}

/** A scenario change names a center the live data no longer has. */
export class ScenarioConflict extends DomainError {
  constructor(
    readonly scenarioId: number | undefined,
    readonly centerId: number,
    readonly change: number,
  ) {
    super(
      `change ${change} of ${scenarioId === undefined ? 'the scenario' : `scenario ${scenarioId}`} names center ${centerId}, which the live data no longer has; edit the scenario (PATCH its changes)`,
    );
  }
}

/** The live data moved on since the scenario was evaluated: applying it now would not give what the planner saw. */
export class StaleScenario extends DomainError {
  constructor(
    readonly scenarioId: number,
    readonly evaluatedAt: string,
    readonly current: string,
  ) {
    super(`scenario ${scenarioId} was evaluated against data version ${evaluatedAt}, but the live data is at ${current} now; read the scenario again (GET), check its summary, then apply`);
  }
}
