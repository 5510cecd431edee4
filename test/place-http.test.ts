/**
 * GET /api/place on both backends, on the seeded synthetic city with steps
 * (so profiles differ by more than speed) and centers of seven facility
 * kinds of the standard, no governance center, and one park beyond the
 * network. At seeded points and every profile choice, each kind on the card
 * must be what GET /api/nearest?kind=&profile= answers for the same point
 * (center, walk, distance, route), `met` must be walk_seconds <= minutes * 60,
 * each tier met exactly when all its kinds are. Then the kinds the card
 * lists, and the errors: 422 off the data, 400 for bad input.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CenterRow, ImportBundle } from '../kernel/import-bundle.ts';
import { LIFE_CIRCLE_STANDARD } from '../kernel/life-circle-standard.ts';
import { writeBundle } from '../data-pipeline/write-bundle.ts';
import { createApp, type App } from '../server/app.ts';
import { silentLogger } from '../server/logger.ts';
import { describeBackends, openTestDatabase, type TestDatabase } from './backends.ts';
import { syntheticCity } from './synthetic-city.ts';
import { networkBounds, randomPointIn, seededRandom, syntheticNetwork } from './synthetic-graph.ts';

/** Seven kinds over all three tiers, two of them elderly care; no governance center. */
const KINDS = ['kindergarten', 'elderly_day_care', 'primary_school', 'middle_school', 'neighborhood', 'elderly_care', 'culture'];

function placeCity(): { bundle: ImportBundle; network: ReturnType<typeof syntheticNetwork> } {
  const seed = 11;
  const bundle = syntheticCity({ seed, households: 200, centers: 21 });
  // The same network syntheticCity builds, for its steps: stored as class 'steps', walked slower by the elderly.
  const network = syntheticNetwork({ cols: 24, rows: 24, seed });
  bundle.network.classNames = ['footway', 'steps'];
  bundle.network.classIndex = Uint8Array.from(network.steps!);
  const centers: CenterRow[] = bundle.centers.map((c, i) => ({ ...c, name: `${KINDS[i % KINDS.length]} ${i}`, kind: KINDS[i % KINDS.length]! }));
  // The first elderly day care beside the first kindergarten, so a point there meets the 5-minute tier.
  centers[1] = { ...centers[1]!, lon: centers[0]!.lon + 0.0003, lat: centers[0]!.lat };
  const [, minLat, maxLon] = networkBounds(network);
  // A park 2 km east of the network: the data has one, nobody can walk to it.
  centers.push({ name: 'Far park', kind: 'park', services: [], source: 'test', sourceId: null, lon: maxLon + 0.02, lat: minLat + 0.005 });
  return { bundle: { ...bundle, centers }, network };
}

interface PlaceKind {
  kind: string;
  minutes: number;
  profile: string;
  speed_kmh: number;
  centers: number;
  center: { id: number; name: string; kind: string; lon: number; lat: number } | null;
  walk_seconds: number | null;
  distance_m: number | null;
  route: { type: 'LineString'; coordinates: [number, number][] } | null;
  met: boolean;
}
interface Place {
  profile: string | null;
  origin: { lon: number; lat: number; snapped: [number, number]; access_m: number };
  kinds: PlaceKind[];
  tiers: { minutes: number; kinds: string[]; missing_kinds: string[]; met: boolean }[];
  all_tiers_met: boolean;
}

describeBackends('GET /api/place', (kind) => {
  let t: TestDatabase;
  let app: App;
  const { bundle, network } = placeCity();

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    await writeBundle(t.db, bundle);
    app = await createApp({ db: t.db, logger: silentLogger, dataDir: undefined });
    await app.idle();
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const get = async (url: string) => {
    const res = await app.http.request(url);
    return { status: res.status, body: (await res.json()) as any };
  };

  it('gives each kind the walk, center and route /api/nearest gives, met within its tier, and tiers met when all their kinds are', async () => {
    const random = seededRandom(21);
    const seen = { met: 0, unmet: 0, cards: 0, tier5Met: 0 };
    // Seeded points, and points beside centers, where the tiers are met.
    const points = [...Array.from({ length: 5 }, () => randomPointIn(network, random)), ...bundle.centers.slice(0, 7).map((c) => [c.lon + 0.0002, c.lat] as [number, number])];
    for (const [lon, lat] of points) {
      for (const profile of [undefined, 'default', 'elderly', 'child']) {
        const query = `lon=${lon}&lat=${lat}${profile ? `&profile=${profile}` : ''}`;
        const { status, body } = await get(`/api/place?${query}`);
        expect([query, status]).toEqual([query, 200]);
        const card = body as Place;
        seen.cards++;
        expect(card.profile).toBe(profile ?? null);
        for (const k of card.kinds) {
          const where = `${query} ${k.kind}`;
          const elderlyCare = LIFE_CIRCLE_STANDARD.kindByName.get(k.kind)!.elderlyCare;
          expect([where, k.profile]).toEqual([where, profile ?? (elderlyCare ? 'elderly' : 'default')]);
          expect([where, k.minutes]).toEqual([where, LIFE_CIRCLE_STANDARD.kindByName.get(k.kind)!.tier]);
          const nearest = await get(`/api/nearest?lon=${lon}&lat=${lat}&kind=${k.kind}&profile=${k.profile}`);
          if (k.centers === 0) {
            expect([where, nearest.body.error?.code, k.center, k.walk_seconds, k.met]).toEqual([where, 'unknown_kind', null, null, false]);
          } else if (nearest.status === 404) {
            expect([where, k.center, k.walk_seconds, k.distance_m, k.route, k.met]).toEqual([where, null, null, null, null, false]);
          } else {
            expect([where, nearest.status]).toEqual([where, 200]);
            expect([where, k.walk_seconds, k.distance_m, k.center?.id, k.speed_kmh]).toEqual([where, nearest.body.walk_seconds, nearest.body.distance_m, nearest.body.center.id, nearest.body.speed_kmh]);
            expect(k.route!.coordinates).toEqual(nearest.body.route.geometry.coordinates);
            expect(card.origin).toEqual(nearest.body.origin);
          }
          expect([where, k.met]).toEqual([where, k.walk_seconds !== null && k.walk_seconds <= k.minutes * 60]);
          seen[k.met ? 'met' : 'unmet']++;
        }
        for (const tier of card.tiers) {
          const own = card.kinds.filter((k) => k.minutes === tier.minutes);
          expect(tier.kinds).toEqual(own.map((k) => k.kind));
          expect([query, tier.minutes, tier.met]).toEqual([query, tier.minutes, own.every((k) => k.met)]);
        }
        expect(card.all_tiers_met).toBe(card.tiers.every((tier) => tier.met));
        if (card.tiers[0]!.met) seen.tier5Met++;
      }
    }
    expect(seen.cards).toBe(48);
    expect(seen.met).toBeGreaterThan(20);
    expect(seen.unmet).toBeGreaterThan(20);
    expect(seen.tier5Met).toBeGreaterThan(0);
  });

  it('lists the standard kinds the data has and the planning kinds always, in the standard\'s order, the rest as missing', async () => {
    const [lon, lat] = [bundle.centers[0]!.lon, bundle.centers[0]!.lat];
    const { body } = await get(`/api/place?lon=${lon}&lat=${lat}`);
    const card = body as Place;
    expect(card.kinds.map((k) => k.kind)).toEqual(['kindergarten', 'elderly_day_care', 'primary_school', 'park', 'neighborhood', 'governance', 'middle_school', 'elderly_care', 'culture']);
    expect(card.kinds.find((k) => k.kind === 'governance')).toMatchObject({ centers: 0, center: null, walk_seconds: null, met: false });
    expect(card.kinds.find((k) => k.kind === 'park')).toMatchObject({ centers: 1, center: null, walk_seconds: null, route: null, met: false });
    expect(card.tiers.map((t) => t.minutes)).toEqual([5, 10, 15]);
    expect(card.tiers[0]!.missing_kinds).toEqual(['community_station', 'health_station', 'pharmacy', 'convenience']);
    // The 15-minute tier has governance, which the data has none of: never met.
    expect(card.tiers[2]!.met).toBe(false);
    expect(card.all_tiers_met).toBe(false);
    // Standing at a kindergarten.
    expect(card.kinds[0]).toMatchObject({ kind: 'kindergarten', center: { id: 1 }, met: true });
    expect(card.kinds[0]!.walk_seconds).toBeLessThan(30);
  });

  it('walks elderly-care kinds at the elderly profile unless one profile is asked for', async () => {
    const [lon, lat] = [bundle.centers[1]!.lon + 0.003, bundle.centers[1]!.lat];
    const mixed = (await get(`/api/place?lon=${lon}&lat=${lat}`)).body as Place;
    const walkers = (await get(`/api/place?lon=${lon}&lat=${lat}&profile=default`)).body as Place;
    const care = (card: Place) => card.kinds.find((k) => k.kind === 'elderly_day_care')!;
    expect([care(mixed).profile, care(mixed).speed_kmh, care(walkers).profile, care(walkers).speed_kmh]).toEqual(['elderly', 3.3, 'default', 4]);
    expect(care(mixed).walk_seconds!).toBeGreaterThan(care(walkers).walk_seconds!);
    expect(mixed.kinds.find((k) => k.kind === 'kindergarten')).toEqual(walkers.kinds.find((k) => k.kind === 'kindergarten'));
  });

  it('answers 422 for a point far from the network and 400 for bad input, as /api/nearest does', async () => {
    const [west, south, east] = networkBounds(network);
    for (const url of [`/api/place?lon=${east + 1}&lat=${south}`, '/api/place?lon=0&lat=0']) {
      const { status, body } = await get(url);
      expect([url, status, body.error.code]).toEqual([url, 422, 'outside_data_bounds']);
      expect((await get(url.replace('/api/place', '/api/nearest'))).status).toBe(422);
    }
    for (const [url, field] of [
      [`/api/place?lat=${south}`, 'lon'],
      [`/api/place?lon=abc&lat=${south}`, 'lon'],
      [`/api/place?lon=${west}&lat=95`, 'lat'],
      [`/api/place?lon=${west}&lat=${south}&profile=runner`, 'profile'],
    ] as const) {
      const { status, body } = await get(url);
      expect([url, status, body.error.code, body.error.field]).toEqual([url, 400, 'bad_request', field]);
    }
  });
});
