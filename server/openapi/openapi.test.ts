/**
 * The OpenAPI document against the app it describes (PGlite, the small test
 * city): every mounted route is documented and every documented operation is
 * mounted; real answers, good and bad, validate against the documented
 * schema of their status (with the documented error codes and required
 * headers), every documented status is seen at least once; documented
 * parameter and body limits accept and reject exactly what the routes do;
 * the document has the shape OpenAPI 3.1 asks for; and /docs is a
 * self-contained page that renders every operation (in chromium, when there).
 */
import { WALK_PROFILES, type WalkProfileName } from '../../kernel/walk-speed.ts';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { Hono } from 'hono';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../test/backends.ts';
import { testToken } from '../../test/auth-fixture.ts';
import type { Role } from '../http/route-access.ts';
import { SMALL_CITY_CENTER, storeSmallCity } from '../../test/tiles-fixture.ts';
import { createApp, type App } from '../app.ts';
import type { Database } from '../../kernel/db/database.ts';
import { healthRoutes } from '../health/health-routes.ts';
import { handleError, handleNotFound } from '../http/error-mapping.ts';
import { silentLogger } from '../logger.ts';
import { latToTileY, lonToTileX } from '../tiles/tile-envelope.ts';
import { createOpenApiDocument, OPENAPI_PATH } from './openapi-document.ts';

/** The document is plain JSON, walked by key. */
type Doc = Record<string, any>;
interface Route {
  method: string;
  path: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** The client's pages and static files: served by the app, not part of the API (its pages are documented on /developers and in the README). */
const CLIENT_ROUTES = new Set([
  'GET /',
  'GET /index.html',
  'GET /embed',
  'GET /developers',
  'GET /developers/example.html',
  'GET /client/:name',
  'GET /vendor/:name',
]);
/** Operators' routes: mounted by configuration and left out of the document (metrics/metrics-routes.ts; test/metrics-http.test.ts). */
const OPERATOR_ROUTES = new Set(['GET /metrics']);
/** Statuses no valid or invalid input can cause: a 500 is a bug (errors.ts). */
const UNREACHABLE_STATUSES = new Set(['500']);
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const [LON, LAT] = SMALL_CITY_CENTER;
const tileOf = (z: number, lon = LON, lat = LAT) => `${z}/${Math.floor(lonToTileX(lon, z))}/${Math.floor(latToTileY(lat, z))}`;
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A JSON pointer to a document key, as a URI fragment part. */
const pointerPart = (key: string) => encodeURIComponent(key.replace(/~/g, '~0').replace(/\//g, '~1'));

/** Method and path of every route the app answers, middleware, client files and operator routes left out. */
function mountedRoutes(app: { routes: readonly { method: string; path: string }[] }): Route[] {
  const routes = new Map<string, Route>();
  for (const r of app.routes) {
    // app.use() registers middleware for every method on a wildcard path: it answers no request by itself.
    if (r.method === 'ALL' && r.path.endsWith('*')) continue;
    const key = `${r.method} ${r.path}`;
    if (!CLIENT_ROUTES.has(key) && !OPERATOR_ROUTES.has(key)) routes.set(key, { method: r.method, path: r.path });
  }
  return [...routes.values()];
}

function documentedOperations(doc: Doc): (Route & { op: any; pathItem: any })[] {
  return Object.entries(doc.paths as Record<string, any>).flatMap(([path, pathItem]) =>
    METHODS.filter((m) => pathItem[m]).map((m) => ({ method: m.toUpperCase(), path, op: pathItem[m], pathItem })),
  );
}

/**
 * Whether a Hono path serves an OpenAPI path: literal segments equal; a
 * `:param` segment stands for a templated one (`{id}`, or `{y}.mvt`, which
 * Hono routes as `:file`), and where the template is the whole segment the
 * names must agree.
 */
function servedBy(honoPath: string, openApiPath: string): boolean {
  const h = honoPath.split('/');
  const o = openApiPath.split('/');
  if (h.length !== o.length) return false;
  return h.every((segment, i) => {
    const other = o[i]!;
    if (!segment.startsWith(':')) return segment === other;
    const whole = /^\{([^}]+)\}$/.exec(other);
    return whole ? whole[1] === segment.slice(1) : other.includes('{');
  });
}

/** Routes mounted but not documented, and operations documented but not mounted. */
function compareRoutes(mounted: Route[], documented: Route[]): { undocumented: string[]; unmounted: string[] } {
  const match = (a: Route, b: Route) => a.method === b.method && servedBy(a.path, b.path);
  return {
    undocumented: mounted.filter((m) => !documented.some((d) => match(m, d))).map((r) => `${r.method} ${r.path}`),
    unmounted: documented.filter((d) => !mounted.some((m) => match(m, d))).map((r) => `${r.method} ${r.path}`),
  };
}

/** Ajv over the whole document, so `#/components/schemas/X` resolves as it does for OpenAPI tools. */
function createValidator(doc: Doc) {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  // The document's own fields are not JSON Schema keywords; declared, Ajv lets them be.
  for (const key of Object.keys(doc)) ajv.addKeyword(key);
  // OpenAPI 3.1's own schema keyword (the variant of a oneOf by a property's value): a hint, not a constraint.
  ajv.addKeyword('discriminator');
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  ajv.addSchema(doc, 'urn:living-circle:openapi');
  const compiled = new Map<string, ValidateFunction>();
  const at = (pointer: string) => {
    let validate = compiled.get(pointer);
    if (!validate) {
      validate = ajv.compile({ $ref: `urn:living-circle:openapi#${pointer}` });
      compiled.set(pointer, validate);
    }
    return validate;
  };
  return {
    /** Errors of `value` against the schema at a JSON pointer ('' when valid). */
    check(pointer: string, value: unknown): string {
      const validate = at(pointer);
      return validate(value) ? '' : ajv.errorsText(validate.errors, { dataVar: 'body' });
    },
  };
}

const resolveRef = (doc: Doc, value: any): any =>
  value && typeof value.$ref === 'string' ? resolveRef(doc, value.$ref.slice(2).split('/').reduce((o: any, k: string) => o?.[k], doc)) : value;

const templateRegex = (path: string) => new RegExp(`^${path.split(/\{[^}]+\}/).map(escapeRegex).join('[^/]+')}$`);

/** A query or path value as the routes read it: numbers from numeric text, comma lists for explode=false arrays. */
function coerce(schema: any, raw: string): unknown {
  if (schema?.type === 'array') return raw.split(',').map((part) => coerce(schema.items, part));
  if ((schema?.type === 'number' || schema?.type === 'integer') && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw.trim())) return Number(raw);
  return raw;
}

describe('OpenAPI document', () => {
  // The document is generated from the routes the app mounts, so it exists once the app does.
  let doc: Doc;
  let validator: ReturnType<typeof createValidator>;
  let operations: ReturnType<typeof documentedOperations>;
  /** Templates with fewer parameters first, so /tiles/catalog.json wins over /tiles/{layers}.json. */
  let templates: { path: string; regex: RegExp }[];
  /** "operationId status" pairs answered so far. */
  const seen = new Set<string>();
  let city: TestDatabase;
  let empty: TestDatabase;
  let app: App;
  let emptyApp: App;
  /** Tokens by app and role: call() sends the app's planner token unless told otherwise. */
  const tokens = new Map<App, Partial<Record<Role, string>>>();

  beforeAll(async () => {
    [city, empty] = await Promise.all([openTestDatabase('pglite'), openTestDatabase('pglite')]);
    await storeSmallCity(city.db);
    app = await createApp({ db: city.db, logger: silentLogger, dataDir: undefined });
    emptyApp = await createApp({ db: empty.db, logger: silentLogger, dataDir: undefined });
    tokens.set(app, { planner: await testToken(city.db), admin: await testToken(city.db, 'admin'), reader: await testToken(city.db, 'reader') });
    tokens.set(emptyApp, { planner: await testToken(empty.db) });
    doc = createOpenApiDocument(app.http) as Doc;
    validator = createValidator(doc);
    operations = documentedOperations(doc);
    templates = Object.keys(doc.paths)
      .sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0))
      .map((path) => ({ path, regex: templateRegex(path) }));
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await emptyApp?.close();
    await city?.dispose();
    await empty?.dispose();
  });

  function operationFor(method: string, pathname: string) {
    const template = templates.find((t) => t.regex.test(pathname) && doc.paths[t.path][method.toLowerCase()]);
    if (!template) throw new Error(`no documented operation for ${method} ${pathname}`);
    return { path: template.path, pathItem: doc.paths[template.path], op: doc.paths[template.path][method.toLowerCase()] };
  }

  /** Checks an answer against the documented response of its status; returns its status, JSON body and error code. */
  async function checkResponse(method: string, url: string, res: Response) {
    const pathname = new URL(url, 'http://test').pathname;
    const { path, op } = operationFor(method, pathname);
    const where = `${method} ${url} -> ${res.status}`;
    const spec = op.responses[String(res.status)];
    expect(spec, `${where}: status not documented`).toBeDefined();
    const response = resolveRef(doc, spec);
    for (const [name, header] of Object.entries<any>(response.headers ?? {})) {
      if (header.required) expect(res.headers.get(name), `${where}: header ${name}`).not.toBeNull();
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    seen.add(`${op.operationId} ${res.status}`);
    if (!response.content) {
      expect(bytes.byteLength, `${where}: documented without a body`).toBe(0);
      return { status: res.status, body: undefined, code: undefined };
    }
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
    expect(Object.keys(response.content), `${where}: content type`).toContain(type);
    if (!/json$/.test(type)) return { status: res.status, body: bytes, code: undefined };
    const body = JSON.parse(new TextDecoder().decode(bytes));
    const base = typeof spec.$ref === 'string' ? spec.$ref.slice(1) : `/paths/${pointerPart(path)}/${method.toLowerCase()}/responses/${res.status}`;
    expect(validator.check(`${base}/content/${pointerPart(type)}/schema`, body), where).toBe('');
    return { status: res.status, body, code: body?.error?.code as string | undefined };
  }

  async function call(method: string, url: string, options: { body?: unknown; raw?: string; headers?: Record<string, string>; on?: App; as?: Role | 'anonymous' } = {}) {
    const role = options.as ?? 'planner';
    const token = role === 'anonymous' ? undefined : tokens.get(options.on ?? app)?.[role];
    const init: RequestInit = { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers } };
    if (options.body !== undefined || options.raw !== undefined) {
      init.body = options.raw ?? JSON.stringify(options.body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await (options.on ?? app).http.request(url, init);
    return { ...(await checkResponse(method, url, res.clone())), headers: res.headers };
  }

  /** Whether a query or path value is valid by the documented parameter schema. */
  function documentedValid(method: string, pathname: string, name: string, raw: string): boolean {
    const { path, pathItem, op } = operationFor(method, pathname);
    const own = (op.parameters ?? []).findIndex((p: any) => resolveRef(doc, p).name === name);
    const shared = (pathItem.parameters ?? []).findIndex((p: any) => resolveRef(doc, p).name === name);
    if (own < 0 && shared < 0) throw new Error(`${method} ${path} documents no parameter ${name}`);
    const pointer = own >= 0 ? `/paths/${pointerPart(path)}/${method.toLowerCase()}/parameters/${own}` : `/paths/${pointerPart(path)}/parameters/${shared}`;
    const schema = resolveRef(doc, own >= 0 ? op.parameters[own] : pathItem.parameters[shared]).schema;
    return validator.check(`${pointer}/schema`, coerce(schema, raw)) === '';
  }

  function documentedBodyValid(method: string, path: string, body: unknown): boolean {
    return validator.check(`/paths/${pointerPart(path)}/${method.toLowerCase()}/requestBody/content/application~1json/schema`, body) === '';
  }

  /** Each value: the documented schema accepts it exactly when the route does not answer 400. */
  async function expectQueryAgreement(route: string, base: Record<string, string>, name: string, values: string[]) {
    for (const value of values) {
      const url = `${route}?${new URLSearchParams({ ...base, [name]: value })}`;
      const { status, code } = await call('GET', url);
      const rejected = status === 400 && code !== 'unknown_kind';
      expect([url, !rejected]).toEqual([url, documentedValid('GET', route, name, value)]);
    }
  }

  describe('routes', () => {
    it('documents every route the app mounts and mounts every documented operation', () => {
      const mounted = mountedRoutes(app.http);
      expect(mounted.length).toBeGreaterThan(10);
      expect(compareRoutes(mounted, operations)).toEqual({ undocumented: [], unmounted: [] });
    });

    it('would notice an undocumented route or a documented one that is gone', () => {
      const mounted = mountedRoutes(app.http);
      const added = compareRoutes([...mounted, { method: 'POST', path: '/api/not-a-route' }, { method: 'GET', path: '/api/centers/:centerId' }], operations);
      expect(added.undocumented).toEqual(['POST /api/not-a-route', 'GET /api/centers/:centerId']);
      const removed = compareRoutes(mounted.filter((r) => r.path !== '/tiles/:file'), operations);
      expect(removed.unmounted).toEqual(['GET /tiles/{layers}.json']);
    });
  });

  describe('answers validate against the documented responses', () => {
    const [lon, lat] = [LON + 0.0004, LAT + 0.0003];

    it('/health, ready and not, and with the database down', async () => {
      const ready = await call('GET', '/health');
      expect(ready.status).toBe(200);
      expect(ready.body.graph.ready).toBe(true);
      const bare = await call('GET', '/health', { on: emptyApp });
      expect(bare.status).toBe(200);
      expect(bare.body.graph.ready).toBe(false);
      // The health route alone on a database that fails every query.
      const down = new Hono();
      down.onError(handleError(silentLogger));
      down.notFound(handleNotFound);
      const failing = { kind: 'pglite', query: () => Promise.reject(new Error('connection refused')) } as unknown as Database;
      down.route('/', healthRoutes(failing));
      const res = await checkResponse('GET', '/health', await down.request('/health'));
      expect(res.status).toBe(503);
      expect(res.body.database.error).toBe('connection refused');
    });

    it('/api/nearest', async () => {
      expect((await call('GET', `/api/nearest?lon=${lon}&lat=${lat}`)).status).toBe(200);
      expect((await call('GET', `/api/nearest?lon=${lon}&lat=${lat}&kind=governance&speed_kmh=6`)).status).toBe(200);
      expect((await call('GET', `/api/nearest?lon=${lon}`)).code).toBe('bad_request');
      expect((await call('GET', `/api/nearest?lon=${lon}&lat=${lat}&kind=library`)).code).toBe('unknown_kind');
      expect((await call('GET', '/api/nearest?lon=0&lat=0')).code).toBe('outside_data_bounds');
      // Two hours at 0.1 km/h is 200 m: no center is that close to the south-west corner.
      expect((await call('GET', `/api/nearest?lon=${LON - 0.015}&lat=${LAT - 0.015}&speed_kmh=0.1`)).code).toBe('no_center_reachable');
      expect((await call('GET', `/api/nearest?lon=${lon}&lat=${lat}`, { on: emptyApp })).code).toBe('no_walk_network');
    });

    it('/api/isochrone, GET and POST', async () => {
      const get = await call('GET', `/api/isochrone?lon=${lon}&lat=${lat}&minutes=5,10`);
      expect(get.status).toBe(200);
      expect((await call('GET', `/api/isochrone?lon=${lon}&lat=${lat}&minutes=5,10`, { headers: { 'if-none-match': get.headers.get('etag')! } })).status).toBe(304);
      expect(get.body.features.map((f: any) => f.properties.minutes)).toEqual([10, 5]);
      expect((await call('GET', `/api/isochrone?lon=${lon}&lat=${lat}&minutes=0`)).code).toBe('bad_request');
      expect((await call('GET', '/api/isochrone?lon=0&lat=0')).code).toBe('outside_data_bounds');
      expect((await call('GET', `/api/isochrone?lon=${lon}&lat=${lat}`, { on: emptyApp })).code).toBe('no_walk_network');
      const post = await call('POST', '/api/isochrone', { body: { origins: [[lon, lat], [LON - 0.01, LAT - 0.01]], minutes: [5] } });
      expect(post.status).toBe(200);
      expect(post.body.properties.origins).toBe(2);
      expect((await call('POST', '/api/isochrone', { body: { origins: [[lon, lat]], lng: 1 } })).code).toBe('bad_request');
      expect((await call('POST', '/api/isochrone', { raw: '{"origins": [' })).code).toBe('bad_body');
      expect((await call('POST', '/api/isochrone', { body: { origins: [[lon, lat], [0, 0]] } })).code).toBe('outside_data_bounds');
      expect((await call('POST', '/api/isochrone', { raw: `{"origins": [${'[119.0, 25.45],'.repeat(80_000)}[119.0, 25.45]]}` })).code).toBe('payload_too_large');
      expect((await call('POST', '/api/isochrone', { body: { origins: [[lon, lat]] }, on: emptyApp })).code).toBe('no_walk_network');
    });

    it('/api/coverage', async () => {
      for (const query of ['', '?level=grid&minutes=10', '?level=community&kind=governance&speed_kmh=5', '?format=csv', '?level=grid&format=xlsx&lang=en']) {
        expect((await call('GET', `/api/coverage${query}`)).status).toBe(200);
      }
      expect((await call('GET', '/api/coverage?level=province')).code).toBe('bad_request');
      expect((await call('GET', '/api/coverage?scenario=9999')).code).toBe('unknown_scenario');
      expect((await call('GET', '/api/coverage?kind=library')).code).toBe('unknown_kind');
      expect((await call('GET', '/api/coverage', { on: emptyApp })).code).toBe('no_walk_network');
    });

    it('/api/households/uncovered', async () => {
      for (const query of ['', '?minutes=5&bbox=118.9,25.4,119.1,25.5', '?kind=governance&speed_kmh=5']) {
        expect((await call('GET', `/api/households/uncovered${query}`)).status).toBe(200);
      }
      expect((await call('GET', '/api/households/uncovered?bbox=1,2,3')).code).toBe('bad_request');
      expect((await call('GET', '/api/households/uncovered?scenario=9999')).code).toBe('unknown_scenario');
      expect((await call('GET', '/api/households/uncovered?kind=library')).code).toBe('unknown_kind');
      expect((await call('GET', '/api/households/uncovered', { on: emptyApp })).code).toBe('no_walk_network');
    });

    it('/api/standard', async () => {
      for (const query of ['', '?level=grid', '?level=street&profile=elderly&strict=true', '?format=csv&lang=en', '?level=grid&format=xlsx']) {
        expect((await call('GET', `/api/standard${query}`)).status).toBe(200);
      }
      expect((await call('GET', '/api/standard?profile=runner')).code).toBe('bad_request');
      expect((await call('GET', '/api/standard', { on: emptyApp })).code).toBe('no_walk_network');
    });

    it('/api/place', async () => {
      const card = await call('GET', `/api/place?lon=${lon}&lat=${lat}`);
      expect(card.status).toBe(200);
      expect(card.body.kinds.map((k: { kind: string }) => k.kind)).toEqual(['neighborhood', 'governance']);
      expect((await call('GET', `/api/place?lon=${lon}&lat=${lat}&profile=elderly`)).status).toBe(200);
      expect((await call('GET', `/api/place?lon=${lon}`)).code).toBe('bad_request');
      expect((await call('GET', '/api/place?lon=0&lat=0')).code).toBe('outside_data_bounds');
      expect((await call('GET', `/api/place?lon=${lon}&lat=${lat}`, { on: emptyApp })).code).toBe('no_walk_network');
    });

    it('/api/search', async () => {
      expect((await call('GET', '/api/search?q=Community')).body.results.length).toBeGreaterThan(0);
      expect((await call('GET', '/api/search?q=Center&types=center,grid&limit=3')).body.results).toHaveLength(3);
      expect((await call('GET', '/api/search?q=nothing%20like%20this')).body.total).toBe(0);
      expect((await call('GET', '/api/search?q=%20')).code).toBe('bad_request');
      expect((await call('GET', '/api/search?q=Grid&types=village')).code).toBe('bad_request');
    });

    it('/api/centers: list, get, add, change, remove and their errors', async () => {
      expect((await call('GET', '/api/centers')).body.centers.length).toBe(12);
      expect((await call('GET', '/api/centers?kind=governance')).status).toBe(200);
      expect((await call('GET', '/api/centers?kind=Not%20a%20kind')).code).toBe('bad_request');
      expect((await call('GET', '/api/centers/1')).body.id).toBe(1);
      expect((await call('GET', '/api/centers/abc')).code).toBe('bad_request');
      expect((await call('GET', '/api/centers/999')).code).toBe('unknown_center');
      const added = await call('POST', '/api/centers', { body: { name: 'Docs center', kind: 'neighborhood', lon: LON, lat: LAT } });
      expect(added.status).toBe(201);
      expect(added.headers.get('location')).toBe(`/api/centers/${added.body.id}`);
      expect((await call('POST', '/api/centers', { body: { name: 'No place', kind: 'neighborhood' } })).code).toBe('bad_request');
      expect((await call('POST', '/api/centers', { raw: 'not json' })).code).toBe('bad_body');
      const oversized = JSON.stringify({ name: 'Too long', kind: 'neighborhood', lon: LON, lat: LAT, services: ['s'.repeat(70_000)] });
      expect((await call('POST', '/api/centers', { raw: oversized })).code).toBe('payload_too_large');
      expect((await call('PATCH', '/api/centers/1', { raw: oversized })).code).toBe('payload_too_large');
      expect((await call('PATCH', `/api/centers/${added.body.id}`, { body: { services: ['elderly'] } })).body.services).toEqual(['elderly']);
      expect((await call('PATCH', `/api/centers/${added.body.id}`, { body: {} })).code).toBe('bad_request');
      expect((await call('PATCH', '/api/centers/999', { body: { name: 'x' } })).code).toBe('unknown_center');
      expect((await call('DELETE', `/api/centers/${added.body.id}`)).body.name).toBe('Docs center');
      expect((await call('DELETE', `/api/centers/${added.body.id}`)).code).toBe('unknown_center');
      expect((await call('DELETE', '/api/centers/0')).code).toBe('bad_request');
    });

    it('/api/plan/suggest: sites with their bound, and its errors', async () => {
      const answer = await call('POST', '/api/plan/suggest', { body: { k: 2 } });
      expect(answer.status).toBe(200);
      expect(answer.body.sites).toHaveLength(2);
      expect((await call('POST', '/api/plan/suggest', { body: { k: 2, target_share: 0.9 } })).code).toBe('bad_request');
      expect((await call('POST', '/api/plan/suggest', { raw: '[1]' })).code).toBe('bad_body');
      expect((await call('POST', '/api/plan/suggest', { body: { k: 1, kind: 'school' } })).code).toBe('unknown_kind');
      expect((await call('POST', '/api/plan/suggest', { body: { k: 1, scenario: 9999 } })).code).toBe('unknown_scenario');
      expect((await call('POST', '/api/plan/suggest', { raw: `{"k": 1, "candidates": [${'[119.0, 25.45],'.repeat(150_000)}[119.0, 25.45]]}` })).code).toBe('payload_too_large');
      expect((await call('POST', '/api/plan/suggest', { body: { k: 1, candidates: [[LON + 1, LAT]] } })).code).toBe('outside_data_bounds');
      expect((await call('POST', '/api/plan/suggest', { body: { k: 1 }, on: emptyApp })).code).toBe('no_walk_network');
    });

    it('/api/scenarios: list, store, read, edit, apply and remove, with their errors', async () => {
      const add = { op: 'add', name: 'Docs plan', kind: 'neighborhood', lon: LON - 0.01, lat: LAT - 0.01 };
      expect((await call('GET', '/api/scenarios')).status).toBe(200);
      const created = await call('POST', '/api/scenarios', { body: { name: 'Docs', changes: [add] } });
      expect(created.status).toBe(201);
      const id = created.body.id as number;
      expect((await call('POST', '/api/scenarios', { body: { name: 'Docs', changes: [{ op: 'remove', center_id: 999 }] } })).code).toBe('bad_request');
      expect((await call('POST', '/api/scenarios', { raw: `{"name": "big", "description": "${'d'.repeat(300_000)}", "changes": []}` })).code).toBe('payload_too_large');
      expect((await call('POST', '/api/scenarios', { body: { name: 'Far', changes: [{ ...add, lon: LON + 1 }] } })).code).toBe('outside_data_bounds');
      expect((await call('POST', '/api/scenarios', { body: { name: 'Empty', changes: [] }, on: emptyApp })).code).toBe('no_walk_network');
      expect((await call('GET', `/api/scenarios/${id}`)).status).toBe(200);
      expect((await call('GET', `/api/scenarios/${id}?format=csv`)).status).toBe(200);
      expect((await call('GET', `/api/scenarios/${id}?format=xlsx&lang=en`)).status).toBe(200);
      expect((await call('GET', `/api/scenarios/${id}?format=pdf`)).code).toBe('bad_request');
      expect((await call('GET', '/api/scenarios/x')).code).toBe('bad_request');
      expect((await call('GET', '/api/scenarios/9999')).code).toBe('unknown_scenario');
      expect((await call('GET', '/api/scenarios/1', { on: emptyApp })).code).toBe('no_walk_network');
      expect((await call('PATCH', `/api/scenarios/${id}`, { body: { description: 'edited' } })).body.revision).toBe(2);
      expect((await call('PATCH', `/api/scenarios/${id}`, { body: {} })).code).toBe('bad_request');
      expect((await call('PATCH', '/api/scenarios/9999', { body: { name: 'x' } })).code).toBe('unknown_scenario');
      expect((await call('PATCH', `/api/scenarios/${id}`, { raw: `{"description": "${'d'.repeat(300_000)}"}` })).code).toBe('payload_too_large');
      expect((await call('PATCH', `/api/scenarios/${id}`, { body: { changes: [{ ...add, lon: LON + 1 }] } })).code).toBe('outside_data_bounds');
      expect((await call('PATCH', '/api/scenarios/1', { body: { name: 'x' }, on: emptyApp })).code).toBe('no_walk_network');
      // A scenario that moves a center the live data then loses: 409 on reads, on its tiles and on apply.
      const temporary = await call('POST', '/api/centers', { body: { name: 'Temporary', kind: 'governance', lon: LON, lat: LAT } });
      const moving = await call('POST', '/api/scenarios', { body: { name: 'Moving', changes: [{ op: 'move', center_id: temporary.body.id, lon: LON + 0.001, lat: LAT }] } });
      await call('DELETE', `/api/centers/${temporary.body.id}`);
      await app.idle();
      expect((await call('GET', `/api/scenarios/${moving.body.id}`)).code).toBe('scenario_conflict');
      expect((await call('PATCH', `/api/scenarios/${moving.body.id}`, { body: { name: 'Moving, renamed' } })).code).toBe('scenario_conflict');
      expect((await call('GET', `/api/coverage?scenario=${moving.body.id}`)).code).toBe('scenario_conflict');
      expect((await call('GET', `/api/households/uncovered?scenario=${moving.body.id}`)).code).toBe('scenario_conflict');
      expect((await call('GET', `/tiles/households/${tileOf(14)}.mvt?scenario=${moving.body.id}`)).code).toBe('scenario_conflict');
      expect((await call('POST', '/api/plan/suggest', { body: { k: 1, scenario: moving.body.id } })).code).toBe('scenario_conflict');
      // Its last evaluation was before the center went: the live data moved on since.
      expect((await call('POST', `/api/scenarios/${moving.body.id}/apply`)).code).toBe('stale_scenario');
      expect((await call('GET', `/tiles/households/${tileOf(14)}.mvt?scenario=${id}`)).status).toBe(200);
      expect((await call('GET', `/api/coverage?scenario=${id}&level=grid`)).status).toBe(200);
      // Stale: evaluated, then the live data changes before apply.
      await call('GET', `/api/scenarios/${id}`);
      const meanwhile = await call('POST', '/api/centers', { body: { name: 'Meanwhile', kind: 'governance', lon: LON + 0.002, lat: LAT } });
      await app.idle();
      expect((await call('POST', `/api/scenarios/${id}/apply`)).code).toBe('stale_scenario');
      await call('GET', `/api/scenarios/${id}`);
      expect((await call('POST', `/api/scenarios/${id}/apply`)).status).toBe(200);
      await app.idle();
      expect((await call('POST', '/api/scenarios/x/apply')).code).toBe('bad_request');
      expect((await call('POST', '/api/scenarios/9999/apply')).code).toBe('unknown_scenario');
      expect((await call('POST', '/api/scenarios/1/apply', { on: emptyApp })).code).toBe('no_walk_network');
      expect((await call('DELETE', `/api/scenarios/${id}`)).body.id).toBe(id);
      expect((await call('DELETE', `/api/scenarios/${id}`)).code).toBe('unknown_scenario');
      expect((await call('DELETE', '/api/scenarios/0')).code).toBe('bad_request');
      await call('DELETE', `/api/centers/${meanwhile.body.id}`);
      // Centers no one can walk to, and centers on a database without a walk network.
      expect((await call('POST', '/api/centers', { body: { name: 'At sea', kind: 'governance', lon: LON + 1, lat: LAT } })).code).toBe('outside_data_bounds');
      expect((await call('PATCH', '/api/centers/1', { body: { lon: LON + 1 } })).code).toBe('outside_data_bounds');
      expect((await call('POST', '/api/centers', { body: { name: 'Nowhere', kind: 'governance', lon: LON, lat: LAT }, on: emptyApp })).code).toBe('no_walk_network');
      expect((await call('PATCH', '/api/centers/1', { body: { lon: LON, lat: LAT }, on: emptyApp })).code).toBe('no_walk_network');
    });

    it('/tiles: catalog, TileJSON and tiles, with 204, 304 and errors', async () => {
      const catalog = await call('GET', '/tiles/catalog.json');
      expect(catalog.status).toBe(200);
      expect((await call('GET', '/tiles/catalog.json', { headers: { 'if-none-match': catalog.headers.get('etag')! } })).status).toBe(304);
      const tilejson = await call('GET', '/tiles/grids,centers.json');
      expect(tilejson.status).toBe(200);
      expect((await call('GET', '/tiles/grids,centers.json', { headers: { 'if-none-match': tilejson.headers.get('etag')! } })).status).toBe(304);
      expect((await call('GET', '/tiles/nope.json')).code).toBe('unknown_layer');
      const tile = `/tiles/grids,centers,streets/${tileOf(14)}.mvt`;
      const plain = await call('GET', tile);
      expect(plain.status).toBe(200);
      expect((await call('GET', tile, { headers: { 'accept-encoding': 'gzip' } })).headers.get('content-encoding')).toBe('gzip');
      expect((await call('GET', tile, { headers: { 'if-none-match': plain.headers.get('etag')! } })).status).toBe(304);
      expect((await call('GET', '/tiles/grids,centers/14/0/0.mvt')).status).toBe(204);
      expect((await call('GET', '/tiles/grids/17/0/0.mvt')).code).toBe('bad_request');
      expect((await call('GET', '/tiles/nope/3/1/1.mvt')).code).toBe('unknown_layer');
    });

    it('/api/events: a stream whose first events validate as DataVersionEvent and DataChange', async () => {
      const res = await app.http.request('/api/events');
      const { op } = operationFor('GET', '/api/events');
      expect(op.responses[String(res.status)], 'status documented').toBeDefined();
      expect(Object.keys(op.responses['200'].content)).toContain((res.headers.get('content-type') ?? '').split(';')[0]!.trim());
      seen.add(`${op.operationId} ${res.status}`);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      // A center change (added then removed) gives change events after the version.
      const added = await call('POST', '/api/centers', { body: { name: 'Event probe', kind: 'neighborhood', lon: LON, lat: LAT } });
      await call('DELETE', `/api/centers/${added.body.id}`);
      while ((text.match(/^event: change$/gm) ?? []).length < 2) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      await reader.cancel();
      const events = text.split('\n\n').filter((b) => b.startsWith('event:')).map((b) => ({
        event: /^event: (.*)$/m.exec(b)![1],
        data: JSON.parse(/^data: (.*)$/m.exec(b)![1]!),
      }));
      expect(events[0]!.event).toBe('version');
      expect(validator.check('/components/schemas/DataVersionEvent', events[0]!.data)).toBe('');
      const changes = events.filter((e) => e.event === 'change');
      expect(changes.length).toBeGreaterThanOrEqual(2);
      for (const change of changes) expect(validator.check('/components/schemas/DataChange', change.data)).toBe('');
    });

    it('token-protected operations: 401 without or with a wrong token, 403 for a low role; reads need none', async () => {
      let protectedOps = 0;
      for (const { method, path, op } of operations) {
        const url = path.replace(/\{[^}]+\}/g, '1');
        if (op['x-access'] === 'read') {
          expect(op.security, `${method} ${path}`).toEqual([{}, { bearer: [] }]);
          continue;
        }
        protectedOps++;
        expect(op.security, `${method} ${path}`).toEqual([{ bearer: [] }]);
        const none = await call(method, url, { as: 'anonymous', body: method === 'GET' || method === 'DELETE' ? undefined : {} });
        expect([url, none.status, none.code, none.headers.get('www-authenticate')]).toEqual([url, 401, 'unauthorized', 'Bearer realm="living-circle"']);
        const wrong = await call(method, url, { as: 'anonymous', headers: { authorization: 'Bearer lc_1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
        expect([url, wrong.status, wrong.code]).toEqual([url, 401, 'unauthorized']);
        expect(wrong.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
        const low = await call(method, url, { as: op['x-access'] === 'admin' ? 'planner' : 'reader' });
        expect([url, low.status, low.code]).toEqual([url, 403, 'forbidden']);
      }
      expect(protectedOps).toBeGreaterThanOrEqual(12);
    });

    it('429 with Retry-After for expensive requests over the client\'s rate', async () => {
      const limited = await createApp({
        db: city.db,
        logger: silentLogger,
        dataDir: undefined,
        limits: { manyOrigins: 1, isochroneMany: { burst: 1, perMinute: 1 }, suggest: { burst: 1, perMinute: 1 } },
      });
      tokens.set(limited, tokens.get(app)!);
      try {
        await limited.idle();
        const origins = { origins: [[lon, lat], [lon + 0.001, lat]], minutes: [5] };
        expect((await call('POST', '/api/isochrone', { on: limited, body: origins })).status).toBe(200);
        const over = await call('POST', '/api/isochrone', { on: limited, body: origins });
        expect([over.status, over.code, Number(over.headers.get('retry-after')) > 0]).toEqual([429, 'rate_limited', true]);
        expect((await call('POST', '/api/plan/suggest', { on: limited, body: { k: 1 } })).status).toBe(200);
        expect((await call('POST', '/api/plan/suggest', { on: limited, body: { k: 1 } })).status).toBe(429);
      } finally {
        await limited.close();
      }
    });

    it('/api/audit, center history, the session and tokens', async () => {
      const center = (await call('POST', '/api/centers', { body: { name: 'Audited', kind: 'neighborhood', lon, lat } })).body;
      await call('DELETE', `/api/centers/${center.id}`);
      const history = await call('GET', `/api/centers/${center.id}/history`);
      expect(history.status).toBe(200);
      expect(history.body.records.map((r: { action: string }) => r.action)).toEqual(['center.add', 'center.remove']);
      expect((await call('GET', '/api/centers/0/history')).status).toBe(400);
      const page = await call('GET', '/api/audit?limit=1');
      expect(page.status).toBe(200);
      expect(page.body.records).toHaveLength(1);
      const rest = await call('GET', `/api/audit?since=${page.body.next}&limit=1000`);
      expect(rest.body.records[0].id).toBeGreaterThan(page.body.records[0].id);
      expect((await call('GET', '/api/audit?since=2026-01-01T00:00:00Z')).status).toBe(200);
      expect((await call('GET', '/api/audit?since=yesterday')).status).toBe(400);
      expect((await call('GET', '/api/session')).body).toMatchObject({ name: 'test planner', role: 'planner' });
      expect((await call('GET', '/api/session', { as: 'admin' })).body).toMatchObject({ name: 'test admin', role: 'admin' });
      expect((await call('GET', '/api/tokens', { as: 'admin' })).body.tokens.map((t: { role: string }) => t.role)).toEqual(['planner', 'admin', 'reader']);
      const made = await call('POST', '/api/tokens', { as: 'admin', body: { role: 'reader', name: '外部应用' } });
      expect(made.status).toBe(201);
      expect(made.body.token).toMatch(/^lc_\d+_/);
      expect((await call('POST', '/api/tokens', { as: 'admin', body: { role: 'boss', name: 'x' } })).status).toBe(400);
      expect((await call('POST', '/api/tokens', { as: 'admin', raw: JSON.stringify({ role: 'reader', name: 'x'.repeat(5000) }) })).status).toBe(413);
      expect((await call('DELETE', `/api/tokens/${made.body.record.id}`, { as: 'admin' })).body.revoked_at).toEqual(expect.any(String));
      expect((await call('DELETE', '/api/tokens/99999', { as: 'admin' })).status).toBe(404);
      expect((await call('DELETE', '/api/tokens/x', { as: 'admin' })).status).toBe(400);
    });

    it('/api/openapi.json and /docs', async () => {
      const served = await call('GET', OPENAPI_PATH);
      expect(served.body).toEqual(JSON.parse(JSON.stringify(doc)));
      expect(served.headers.get('cache-control')).toMatch(/public/);
      expect((await call('GET', OPENAPI_PATH, { headers: { 'if-none-match': served.headers.get('etag')! } })).status).toBe(304);
      expect((await call('GET', '/docs')).status).toBe(200);
    });
  });

  describe('documented limits and defaults agree with the routes', () => {
    const point = { lon: String(LON + 0.0004), lat: String(LAT + 0.0003) };

    it('query parameters of /api/nearest, /api/isochrone, /api/coverage and /api/search', async () => {
      await expectQueryAgreement('/api/nearest', point, 'lon', ['-180', '180', '180.5', 'x', '']);
      await expectQueryAgreement('/api/nearest', point, 'lat', ['-90', '90.01']);
      await expectQueryAgreement('/api/nearest', point, 'speed_kmh', ['0', '0.5', '20', '20.01', 'fast']);
      await expectQueryAgreement('/api/nearest', point, 'kind', ['governance', 'Gov-1', 'a b', 'k'.repeat(64), 'k'.repeat(65)]);
      await expectQueryAgreement('/api/isochrone', point, 'minutes', ['60', '60.5', '1,2,3,4,5,6,7,8,9,10,11,12', '1,2,3,4,5,6,7,8,9,10,11,12,13', '5,x']);
      await expectQueryAgreement('/api/isochrone', point, 'buffer_m', ['4.9', '5', '500', '501']);
      await expectQueryAgreement('/api/isochrone', point, 'generalize', ['-1', '0', '500', '500.5']);
      await expectQueryAgreement('/api/coverage', {}, 'level', ['city', 'district', 'street', 'community', 'grid', 'unit']);
      await expectQueryAgreement('/api/coverage', {}, 'minutes', ['0', '0.5', '60', '61']);
      await expectQueryAgreement('/api/coverage', {}, 'profile', ['default', 'elderly', 'child', 'runner']);
      await expectQueryAgreement('/api/standard', {}, 'strict', ['true', 'false', 'yes']);
      await expectQueryAgreement('/api/coverage', {}, 'format', ['json', 'csv', 'xlsx', 'pdf', 'CSV']);
      await expectQueryAgreement('/api/standard', {}, 'lang', ['zh', 'en', 'fr', 'zh-CN']);
      await expectQueryAgreement('/api/centers', {}, 'kind', ['governance', 'a_1', 'Governance', '1a', 'a-b']);
      await expectQueryAgreement('/api/place', point, 'profile', ['default', 'elderly', 'child', 'runner', '']);
      await expectQueryAgreement('/api/search', {}, 'q', ['', ' ', 'G', ' Grid ', 'x'.repeat(64), 'x'.repeat(65), '社'.repeat(65), '𠀀'.repeat(64), `${' '.repeat(60)}Grid`]);
      await expectQueryAgreement('/api/search', { q: 'Grid' }, 'limit', ['0', '1', '50', '51', '1.5', 'ten']);
      await expectQueryAgreement('/api/search', { q: 'Grid' }, 'types', ['grid', 'grid,center', 'district,street,community,grid,center', 'village', 'grid,village']);
    });

    it('path parameters of centers and tiles', async () => {
      const maxId = doc.paths['/api/centers/{id}'].get.parameters.find((p: any) => p.name === 'id').schema.maximum as number;
      for (const id of ['1', String(maxId), String(maxId + 1), '0', '-1', '1.5']) {
        const { status } = await call('GET', `/api/centers/${id}`);
        expect([id, status !== 400]).toEqual([id, documentedValid('GET', `/api/centers/${id}`, 'id', id)]);
      }
      const maxZoom = doc.paths['/tiles/{layers}/{z}/{x}/{y}.mvt'].get.parameters[1].schema.maximum as number;
      for (const z of [String(maxZoom), String(maxZoom + 1)]) {
        const url = `/tiles/streets/${tileOf(Number(z))}.mvt`;
        const { status } = await call('GET', url);
        expect([z, status !== 400]).toEqual([z, documentedValid('GET', url, 'z', z)]);
      }
    });

    it('center bodies (checked on a missing id, so nothing changes)', async () => {
      const fields = doc.components.schemas.NewCenter.properties;
      const bodies: unknown[] = [
        { name: 'n'.repeat(fields.name.maxLength) },
        { name: 'n'.repeat(fields.name.maxLength + 1) },
        { name: '' },
        { services: Array.from({ length: fields.services.maxItems }, () => 's') },
        { services: Array.from({ length: fields.services.maxItems + 1 }, () => 's') },
        { services: ['s'.repeat(fields.services.items.maxLength)] },
        { services: ['s'.repeat(fields.services.items.maxLength + 1)] },
        { lat: fields.lat.maximum },
        { lat: fields.lat.maximum + 0.0001 },
        { lon: -180 },
        { lon: '119' },
        { kind: 'a_1' },
        { kind: 'A' },
        { lng: 119 },
        {},
      ];
      for (const body of bodies) {
        const { status } = await call('PATCH', '/api/centers/999', { body });
        expect([body, status === 404]).toEqual([body, documentedBodyValid('PATCH', '/api/centers/{id}', body)]);
      }
    });

    it('isochrone bodies', async () => {
      const origin = [LON + 0.0004, LAT + 0.0003];
      const bodies: unknown[] = [
        { origins: [origin] },
        { origins: [] },
        { origins: [origin], minutes: [5, 60] },
        { origins: [origin], minutes: [61] },
        { origins: [origin], minutes: 5 },
        { origins: [origin], speed_kmh: 0 },
        { origins: [origin], buffer_m: 4 },
        { origins: [origin], generalize: 10 },
        { origins: [[origin[0], origin[1], 0]] },
        { origins: [origin], lng: 1 },
        [origin],
      ];
      for (const body of bodies) {
        const { status } = await call('POST', '/api/isochrone', { body });
        expect([body, status !== 400]).toEqual([body, documentedBodyValid('POST', '/api/isochrone', body)]);
      }
    });

    it('defaults are what the routes use when a parameter is left out', async () => {
      const isochrone = doc.paths['/api/isochrone'].get.parameters;
      const defaultOf = (params: any[], name: string) => params.find((p) => p.name === name).schema.default;
      const iso = await call('GET', `/api/isochrone?lon=${point.lon}&lat=${point.lat}`);
      expect(iso.body.features.map((f: any) => f.properties.minutes)).toEqual([...defaultOf(isochrone, 'minutes')].reverse());
      // speed_kmh has no default of its own: the profile's speed is used.
      expect(defaultOf(isochrone, 'speed_kmh')).toBeUndefined();
      expect(iso.body.properties).toMatchObject({
        profile: defaultOf(isochrone, 'profile'),
        speed_kmh: WALK_PROFILES[defaultOf(isochrone, 'profile') as WalkProfileName].speedKmh,
        buffer_m: defaultOf(isochrone, 'buffer_m'),
        generalize_m: defaultOf(isochrone, 'generalize'),
      });
      const coverage = doc.paths['/api/coverage'].get.parameters;
      const cov = await call('GET', '/api/coverage');
      expect(cov.body).toMatchObject({
        level: defaultOf(coverage, 'level'),
        minutes: defaultOf(coverage, 'minutes'),
        profile: defaultOf(coverage, 'profile'),
        speed_kmh: WALK_PROFILES[defaultOf(coverage, 'profile') as WalkProfileName].speedKmh,
        kind: null,
      });
    });
  });

  it('saw every documented status of every operation (but 500, which only a bug gives)', () => {
    const documented = operations.flatMap(({ op }) => Object.keys(op.responses).map((status) => `${op.operationId} ${status}`));
    const missing = documented.filter((key) => !seen.has(key) && !UNREACHABLE_STATUSES.has(key.split(' ')[1]!));
    expect(missing).toEqual([]);
  });

  describe('shape', () => {
    it('is OpenAPI 3.1.0 with info, paths and complete operations', () => {
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
      const ids = operations.map(({ op }) => op.operationId);
      expect(new Set(ids).size).toBe(ids.length);
      const tags = new Set((doc.tags as { name: string }[]).map((t) => t.name));
      for (const { method, path, op, pathItem } of operations) {
        const where = `${method} ${path}`;
        expect(op.operationId, where).toMatch(/^[a-z][A-Za-z0-9]*$/);
        expect(op.summary, where).toEqual(expect.stringMatching(/\S/));
        expect(Object.keys(op.responses).length, where).toBeGreaterThan(0);
        for (const tag of op.tags ?? []) expect(tags.has(tag), `${where}: tag ${tag}`).toBe(true);
        for (const [status, response] of Object.entries<any>(op.responses)) {
          expect(status, where).toMatch(/^[1-5]\d\d$/);
          const resolved = resolveRef(doc, response);
          expect(resolved.description, `${where} ${status}`).toEqual(expect.stringMatching(/\S/));
          // Every error is the one JSON shape; /health's 503 is its readiness report.
          if (Number(status) >= 400 && op.operationId !== 'getHealth') {
            expect(JSON.stringify(resolved.content), `${where} ${status}`).toContain('"$ref":"#/components/schemas/Error"');
          }
        }
        const params = [...(pathItem.parameters ?? []), ...(op.parameters ?? [])].map((p: any) => resolveRef(doc, p));
        expect(new Set(params.map((p) => `${p.in} ${p.name}`)).size, where).toBe(params.length);
        for (const p of params) {
          expect(['query', 'header', 'path', 'cookie'], where).toContain(p.in);
          expect(p.schema, `${where} ${p.name}`).toBeDefined();
        }
        const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
        const inPath = params.filter((p) => p.in === 'path');
        expect(inPath.map((p) => p.name).sort(), where).toEqual(templated);
        expect(inPath.every((p) => p.required === true), where).toBe(true);
      }
    });

    it('has every $ref resolvable and every schema valid JSON Schema 2020-12 (Ajv strict)', () => {
      const refs: string[] = [];
      const walk = (value: unknown): void => {
        if (Array.isArray(value)) value.forEach(walk);
        else if (value && typeof value === 'object') {
          for (const [key, inner] of Object.entries(value)) {
            if (key === '$ref' && typeof inner === 'string') refs.push(inner);
            else walk(inner);
          }
        }
      };
      walk(doc);
      expect(refs.length).toBeGreaterThan(20);
      for (const ref of refs) expect(resolveRef(doc, { $ref: ref }), ref).toBeDefined();
      for (const name of Object.keys(doc.components.schemas)) expect(() => validator.check(`/components/schemas/${name}`, null), name).not.toThrow();
    });

    it('takes the tile layers from the layer registry', async () => {
      const catalog = (await (await app.http.request('/tiles/catalog.json')).json()) as { layers: { id: string }[] };
      expect(doc.components.schemas.CatalogLayer.properties.id.enum).toEqual(catalog.layers.map((l) => l.id));
    });
  });

  describe('/docs', () => {
    it('is self-contained HTML that reads the document', async () => {
      const res = await app.http.request('/docs');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      const html = await res.text();
      expect(html).toContain(OPENAPI_PATH);
      expect(html.match(/https?:\/\/[^\s"'<>]*/gi) ?? []).toEqual([]);
      expect(html).not.toMatch(/<(script|link|img|iframe)\b[^>]*\b(src|href)=/i);
    });
  });
});

/** The page in a real browser: renders every operation, logs no error (CSP included), fetches only from its origin. */
function browserSuite() {
  let server: ServerType;
  let base: string;

  let test: TestDatabase;
  let app: App;
  let doc: Doc;

  beforeAll(async () => {
    // The page of the whole API, served by an app on an empty database.
    test = await openTestDatabase('pglite');
    app = await createApp({ db: test.db, logger: silentLogger, dataDir: undefined });
    doc = createOpenApiDocument(app.http) as Doc;
    ({ server, base } = await new Promise<{ server: ServerType; base: string }>((resolve) => {
      const s = serve({ fetch: app.http.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({ server: s, base: `http://127.0.0.1:${info.port}` }));
    }));
  });
  afterAll(async () => {
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await app?.close();
    await test?.dispose();
  }, 60_000);

  it('renders every operation and every schema', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      const external: string[] = [];
      page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
      page.on('pageerror', (e) => void problems.push(e.message));
      page.on('request', (r) => void (r.url().startsWith(base) || external.push(r.url())));
      await page.goto(`${base}/docs`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
      const ids = documentedOperations(doc).map(({ op }) => op.operationId);
      expect(await page.$$eval('section.op', (sections) => sections.map((s) => s.id))).toEqual(expect.arrayContaining(ids));
      expect(await page.$$eval('section.op', (sections) => sections.length)).toBe(ids.length);
      expect(await page.$$eval('section.schema', (sections) => sections.length)).toBe(Object.keys(doc.components.schemas).length);
      // A parameter's limits and a response's error codes made it onto the page.
      const nearest = await page.textContent('#getNearest');
      expect(nearest).toContain('speed_kmh');
      expect(nearest).toContain('outside_data_bounds');
      expect(problems).toEqual([]);
      expect(external).toEqual([]);
    } finally {
      await browser.close();
    }
  });
}

if (existsSync(CHROMIUM)) {
  describe('/docs in chromium', browserSuite);
} else if (process.env.CI) {
  describe('/docs in chromium', () => {
    it('has a browser', () => {
      throw new Error(`no chromium at ${CHROMIUM}: CI must install it (apt-get install chromium) or set CHROMIUM_PATH`);
    });
  });
} else {
  const reason = `no chromium at ${CHROMIUM}; apt-get install chromium, or set CHROMIUM_PATH`;
  console.warn(`/docs browser test skipped: ${reason}`);
  describe.skip(`/docs in chromium (skipped: ${reason})`, browserSuite);
}
