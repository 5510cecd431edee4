/**
 * A steady loop of mixed requests against a running server, for the fault
 * tests: each answer is recorded with the phase of the test it was sent in
 * (before, down, after, ...), its status, error code and Retry-After, so the
 * test can say what every route answered while the database was away.
 * Requests carry a timeout: a hang is recorded as status 0, like a refused
 * socket (the server died). A short pause between requests keeps the CPU of
 * a 2-core machine shared with other tests.
 */
import { SMALL_CITY_CENTER } from './tiles-fixture.ts';
import { latToTileY, lonToTileX } from '../server/tiles/tile-envelope.ts';

/** What a route needs: the database on every request, only memory, or /health (its own 503 body). */
export type Needs = 'database' | 'memory' | 'health';

export interface LoadRoute {
  name: string;
  needs: Needs;
  /** The path of the i-th request to this route (a new tile for every i, say, so no cache answers it). */
  path(i: number): string;
}

export interface Answer {
  route: string;
  needs: Needs;
  phase: string;
  status: number;
  /** The error code of an error body, `status` of a /health body, or the transport error's name for status 0. */
  code: string | undefined;
  retryAfter: string | null;
  /** When it was sent, ms since the load started, and how long it took. */
  sentMs: number;
  ms: number;
}

const [LON, LAT] = SMALL_CITY_CENTER;
/** Tiles at zoom 16 (the layers' most) in a 64 x 64 block around the city: 4,096 different ones before one repeats. */
const Z = 16;
const SIDE = 64;
const X0 = Math.floor(lonToTileX(LON, Z)) - SIDE / 2;
const Y0 = Math.floor(latToTileY(LAT, Z)) - SIDE / 2;

/** The small city's routes: tiles and the center list from the database, routing and coverage from memory, and /health. */
export const SMALL_CITY_ROUTES: readonly LoadRoute[] = [
  // One tile after another: each request is a tile the cache has not seen (loads start at different indexes).
  { name: 'tile', needs: 'database', path: (i) => `/tiles/centers,households/${Z}/${X0 + (i % SIDE)}/${Y0 + (Math.floor(i / SIDE) % SIDE)}.mvt` },
  { name: 'centers', needs: 'database', path: () => '/api/centers' },
  { name: 'isochrone', needs: 'memory', path: (i) => `/api/isochrone?lon=${(LON + ((i % 7) - 3) * 0.001).toFixed(4)}&lat=${(LAT + ((i % 5) - 2) * 0.001).toFixed(4)}&minutes=5,10` },
  { name: 'nearest', needs: 'memory', path: (i) => `/api/nearest?lon=${(LON + ((i % 5) - 2) * 0.002).toFixed(4)}&lat=${LAT}` },
  { name: 'coverage', needs: 'memory', path: () => '/api/coverage?level=community' },
  { name: 'health', needs: 'health', path: () => '/health' },
];

async function send(base: string, route: LoadRoute, i: number, phase: string, started: number, timeoutMs: number): Promise<Answer> {
  const sent = performance.now();
  const answer = (status: number, code: string | undefined, retryAfter: string | null): Answer => ({
    route: route.name,
    needs: route.needs,
    phase,
    status,
    code,
    retryAfter,
    sentMs: Math.round(sent - started),
    ms: Math.round(performance.now() - sent),
  });
  try {
    const res = await fetch(base + route.path(i), { signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    let code: string | undefined;
    if ((res.headers.get('content-type') ?? '').includes('json') && res.status !== 200) {
      const body = JSON.parse(text) as { error?: { code?: string }; status?: string };
      code = body.error?.code ?? body.status;
    }
    return answer(res.status, code, res.headers.get('retry-after'));
  } catch (error) {
    return answer(0, (error as Error).name, null);
  }
}

export interface Load {
  /** Stops sending, waits for the requests in flight and returns every answer. */
  stop(): Promise<Answer[]>;
  /** Answers so far. */
  readonly answers: readonly Answer[];
  /** performance.now() when the load started: `sentMs` counts from here. */
  readonly startedAt: number;
}

export interface LoadOptions {
  /** Concurrent request loops. */
  workers?: number;
  /** Pause after each answer, ms. */
  pauseMs?: number;
  /** A request not answered in this long counts as a hang (status 0), ms. */
  timeoutMs?: number;
  /** Index of each route's first request: a later load on the same app starts past the tiles an earlier one cached. */
  firstIndex?: number;
}

/**
 * Starts `workers` loops over `routes` (each worker starting at a different
 * route), tagging every request with `phase()` at the time it is sent.
 */
export function startLoad(base: string, routes: readonly LoadRoute[], phase: () => string, options: LoadOptions = {}): Load {
  const { workers = 3, pauseMs = 20, timeoutMs = 15_000, firstIndex = 0 } = options;
  const answers: Answer[] = [];
  const started = performance.now();
  const nextIndex = new Map(routes.map((r) => [r.name, firstIndex]));
  let stopping = false;
  const loop = async (offset: number) => {
    for (let k = offset; !stopping; k++) {
      const route = routes[k % routes.length]!;
      const i = nextIndex.get(route.name)!;
      nextIndex.set(route.name, i + 1);
      answers.push(await send(base, route, i, phase(), started, timeoutMs));
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  };
  const running = Array.from({ length: workers }, (_, w) => loop(w * 2));
  return {
    answers,
    startedAt: started,
    async stop() {
      stopping = true;
      await Promise.all(running);
      return answers;
    },
  };
}

/** A 2xx: 200, or 204 for an empty tile. */
export const succeeded = (a: Answer) => a.status >= 200 && a.status < 300;

/** "phase route status[/code]" -> count, for the report and for readable assertion failures. */
export function tally(answers: readonly Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of answers) {
    const key = `${a.phase} ${a.route} ${a.status}${a.code ? `/${a.code}` : ''}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Answers that break the rules of an outage: anything but a 2xx from a
 * route served from memory; from a database route anything but a 2xx or a
 * 503 `database_unavailable` with Retry-After; from /health anything but 200
 * or its 503 `unavailable` report. A 500 or a status 0 (no answer) breaks all.
 */
export function ruleBreakers(answers: readonly Answer[]): Answer[] {
  return answers.filter((a) => {
    if (succeeded(a)) return false;
    if (a.needs === 'memory') return true;
    if (a.needs === 'health') return !(a.status === 503 && a.code === 'unavailable');
    return !(a.status === 503 && a.code === 'database_unavailable' && a.retryAfter !== null && Number(a.retryAfter) > 0);
  });
}
