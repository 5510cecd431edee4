/**
 * Requests for the API fuzz test, made from the OpenAPI document alone:
 * every operation's parameters and body schema give a valid-ish request
 * (values inside the test city where a name says what a value is), which is
 * then sent as is, mutated in one place (one path or query parameter, one
 * body field at any depth, one header), made hostile everywhere, or wrapped
 * in a transport attack (2 MB and chunked bodies, malformed JSON, JSON that
 * is not an object, the wrong Content-Type, duplicate query parameters).
 * Everything is drawn from one seeded random source, so a run repeats.
 */
import { latToTileY, lonToTileX } from '../server/tiles/tile-envelope.ts';
import type { RawRequest } from './raw-http.ts';
import {
  boundaryNumber,
  boundaryNumbers,
  hostileJson,
  hostileParam,
  hostileString,
  pick,
  randomText,
  RawJson,
  SWEEP_HEADERS,
  SWEEP_JSON,
  SWEEP_PARAMS,
  toJsonText,
  type Random,
} from './fuzz-values.ts';

type Schema = Record<string, any>;

export interface FuzzParam {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

/** One operation of the document, as the fuzzer needs it. */
export interface FuzzOperation {
  id: string;
  method: string;
  /** The path template, e.g. /api/centers/{id}. */
  path: string;
  access: 'read' | 'planner' | 'admin';
  params: FuzzParam[];
  /** The JSON body's schema, refs resolved lazily. */
  body: Schema | undefined;
  /** The documented answers by status. */
  responses: Record<string, Schema>;
}

/** What valid values look like in the city under test. */
export interface FuzzContext {
  /** [west, south, east, north] of the data. */
  bbox: readonly [number, number, number, number];
  kinds: string[];
  centerIds: number[];
  scenarioIds: number[];
  /** Tokens for the Authorization header: planner, and admin for the admin operations. */
  tokens: { planner: string; admin: string };
  /** Ids of tokens the fuzz may revoke (never the two above). */
  tokenIds: number[];
}

/** How a request was made, for the summary. */
export type Strategy = 'sweep' | 'valid' | 'mutated' | 'hostile' | 'transport';
/** The Authorization header: none, a planner or admin token, or a broken one. */
export type Auth = 'none' | 'planner' | 'admin' | 'bogus';

export interface FuzzRequest extends RawRequest {
  op: FuzzOperation;
  strategy: Strategy;
  auth: Auth;
  /** What was done to it, for failure messages. */
  note: string;
}

type Doc = Record<string, any>;

const resolve = (doc: Doc, schema: Schema | undefined): Schema =>
  schema && typeof schema.$ref === 'string' ? resolve(doc, schema.$ref.slice(2).split('/').reduce((o: any, k: string) => o?.[k], doc)) : (schema ?? {});

/** Every operation in the document. */
export function operationsOf(doc: Doc): FuzzOperation[] {
  const out: FuzzOperation[] = [];
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      out.push({
        id: op.operationId,
        method: method.toUpperCase(),
        path,
        access: op['x-access'] ?? 'read',
        params: (op.parameters ?? []).map((p: any) => ({ name: p.name, in: p.in, required: !!p.required, schema: resolve(doc, p.schema) })),
        body: op.requestBody ? resolve(doc, op.requestBody.content['application/json'].schema) : undefined,
        responses: op.responses,
      });
    }
  }
  return out;
}

/** A request before it is written out: wire-ready path and query values, a JSON body. */
export interface Draft {
  path: Record<string, string>;
  query: [string, string][];
  headers: Record<string, string>;
  body: unknown;
  hasBody: boolean;
}

const round = (n: number, digits = 6) => Number(n.toFixed(digits));

export function createRequestMaker(doc: Doc, ctx: FuzzContext) {
  const [west, south, east, north] = ctx.bbox;
  let names = 0;
  const point = (random: Random): [number, number] => [round(west + random() * (east - west)), round(south + random() * (north - south))];

  /** A valid-ish JSON value for `schema`, by the field's name where the name says what it is. */
  function sample(schema: Schema, name: string, random: Random, full = false): unknown {
    schema = resolve(doc, schema);
    switch (name) {
      case 'lon':
        return point(random)[0];
      case 'lat':
        return point(random)[1];
      case 'bbox':
        // west,south,east,north (GET /api/households/uncovered): the data's own box.
        return [west, south, east, north];
      case 'origins':
      case 'candidates':
        return Array.from({ length: full ? 1 : 1 + Math.floor(random() * 3) }, () => point(random));
      case 'kind':
        return pick(random, ctx.kinds);
      case 'center_id':
        return pick(random, ctx.centerIds);
      case 'scenario':
        return pick(random, ctx.scenarioIds);
      case 'name':
        return `fuzz ${++names}`;
      case 'k':
        return 1 + Math.floor(random() * 3);
      case 'time_limit_s':
        return 1 + Math.floor(random() * 3);
      case 'method':
        return random() < 0.8 ? 'greedy' : 'exact';
      case 'changes': {
        // Full: one change of each kind (add, move, remove), so every kind's fields are there to mutate.
        const kinds: Schema[] = resolve(doc, schema.items).oneOf;
        if (full) return kinds.map((kind) => sample(kind, 'change', random, full));
        return Array.from({ length: Math.floor(random() * 3) }, () => sample(pick(random, kinds), 'change', random));
      }
    }
    if (schema.enum) return pick(random, schema.enum);
    const branches = schema.oneOf ?? schema.anyOf;
    if (branches) return sample(pick(random, branches), name, random, full);
    const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
    switch (type) {
      case 'object': {
        const out: Record<string, unknown> = {};
        const required: string[] = schema.required ?? [];
        for (const [key, sub] of Object.entries<Schema>(schema.properties ?? {})) {
          if (full || required.includes(key) || random() < 0.4) out[key] = sample(sub, key, random, full);
        }
        return out;
      }
      case 'array': {
        if (schema.prefixItems) return schema.prefixItems.map((s: Schema, i: number) => sample(s, i === 0 ? 'lon' : 'lat', random, full));
        const n = full ? Math.max(1, schema.minItems ?? 0) : Math.max(schema.minItems ?? 0, Math.floor(random() * 3));
        return Array.from({ length: n }, () => sample(schema.items ?? {}, name, random, full));
      }
      case 'integer':
      case 'number': {
        const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 0);
        const max = Math.min(schema.maximum ?? min + 100, min + 100);
        const n = min + random() * (max - min);
        return type === 'integer' ? Math.round(n) : round(n, 3);
      }
      case 'boolean':
        return random() < 0.5;
      case 'string':
        // A time a day from now: valid wherever a time is asked for (an expiry must be in the future).
        if (schema.format === 'date-time') return new Date(Date.now() + 86_400_000).toISOString();
        if (typeof schema.pattern === 'string' && schema.pattern.startsWith('^\\d')) return String(1 + Math.floor(random() * 100));
        return name === 'description' ? 'a fuzz scenario' : 'fuzz';
      default:
        return null;
    }
  }

  /** A parameter's valid value on the wire. */
  function paramValue(op: FuzzOperation, param: FuzzParam, random: Random, tile: { z: number; x: number; y: number }, full = false): string | undefined {
    if (param.in === 'path' && (param.name === 'z' || param.name === 'x' || param.name === 'y')) return String(tile[param.name]);
    if (param.name === 'layers') {
      const layers: string[] = param.schema.items.enum;
      return Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(random, layers)).join(',');
    }
    if (param.name === 'If-None-Match') return random() < 0.7 && !full ? undefined : pick(random, ['"abc"', '*', 'W/"x", "y"']);
    if (param.name === 'Accept-Encoding') return pick(random, ['gzip', 'br', 'gzip, br', 'identity']);
    if (param.name === 'scenario' && param.schema.type === 'string') return String(pick(random, ctx.scenarioIds));
    if (param.name === 'id') return String(pick(random, op.path.startsWith('/api/scenarios') ? ctx.scenarioIds : op.path.startsWith('/api/tokens') ? ctx.tokenIds : ctx.centerIds));
    if (!full && !param.required && random() < 0.4) return undefined;
    const value = sample(param.schema, param.name, random);
    return Array.isArray(value) ? value.map(String).join(',') : String(value);
  }

  /** A valid-ish request for `op`. */
  function draft(op: FuzzOperation, random: Random, full = false): Draft {
    const [lon, lat] = point(random);
    const z = 10 + Math.floor(random() * 7);
    const tile = { z, x: Math.floor(lonToTileX(lon, z)), y: Math.floor(latToTileY(lat, z)) };
    const d: Draft = { path: {}, query: [], headers: {}, body: undefined, hasBody: !!op.body };
    for (const param of op.params) {
      const value = paramValue(op, param, random, tile, full);
      if (value === undefined) continue;
      if (param.in === 'path') d.path[param.name] = encodeURIComponent(value).replaceAll('%2C', ',');
      else if (param.in === 'query') d.query.push([param.name, encodeURIComponent(value).replaceAll('%2C', ',')]);
      else d.headers[param.name.toLowerCase()] = value;
    }
    if (op.body) {
      const body = sample(op.body, 'body', random, full) as Record<string, unknown>;
      // Suggestions take exactly one of k and target_share: a rule between fields the schema cannot say.
      if ('k' in (op.body.properties ?? {})) {
        if ('k' in body && 'target_share' in body) delete body[random() < 0.5 ? 'k' : 'target_share'];
        if (!('k' in body) && !('target_share' in body)) body.k = 1 + Math.floor(random() * 3);
      }
      d.body = body;
    }
    return d;
  }

  /** Every place in a JSON value: [] is the value itself, ['a', 0] is value.a[0]. */
  function places(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
    out.push(at);
    if (Array.isArray(value)) value.forEach((v, i) => places(v, [...at, i], out));
    else if (value && typeof value === 'object' && !(value instanceof RawJson)) for (const [k, v] of Object.entries(value)) places(v, [...at, k], out);
    return out;
  }

  /** The schema of the value at `at` in a value of `schema` (the first branch that has it); {} when unknown. */
  function schemaAt(schema: Schema, at: (string | number)[]): Schema {
    let s = resolve(doc, schema);
    for (const part of at) {
      const branches: Schema[] = (s.oneOf ?? s.anyOf ?? [s]).map((b: Schema) => resolve(doc, b));
      const next = branches
        .map((b) => (typeof part === 'number' ? (b.prefixItems?.[part] ?? b.items) : b.properties?.[part]))
        .find((x) => x !== undefined);
      if (!next) return {};
      s = resolve(doc, next);
    }
    return s;
  }

  /** Replaces (or, with `remove`, deletes) the value at `at`. */
  function setAt(root: unknown, at: (string | number)[], value: unknown, remove = false): unknown {
    if (at.length === 0) return value;
    let parent: any = root;
    for (const part of at.slice(0, -1)) parent = parent[part];
    const last = at[at.length - 1]!;
    if (remove && Array.isArray(parent)) parent.splice(Number(last), 1);
    else if (remove) delete parent[last];
    else parent[last] = value;
    return root;
  }

  /** Changes one thing in a valid-ish request; returns what it did. */
  function mutate(op: FuzzOperation, d: Draft, random: Random): string {
    const targets: string[] = [];
    for (const p of op.params) targets.push(`${p.in}:${p.name}`);
    if (op.body) for (let i = 0; i < 3; i++) targets.push('body');
    targets.push('query:extra', 'query:duplicate');
    const target = pick(random, targets);
    if (target === 'body') {
      const at = pick(random, places(d.body));
      const r = random();
      if (r < 0.15 && at.length > 0) {
        d.body = setAt(d.body, at, undefined, true);
        return `body ${at.join('.')} removed`;
      }
      if (r < 0.25) {
        const container = at.length === 0 ? d.body : at.slice(0, -1).reduce((o: any, k) => o[k], d.body);
        if (container && typeof container === 'object' && !Array.isArray(container)) {
          const key = pick(random, ['lng', '__proto__', 'constructor', 'op', '', 'x'.repeat(500), randomText(random, 8), 'id', 'source']);
          (container as Record<string, unknown>)[key] = hostileJson(random);
          return `body field "${key.slice(0, 20)}" added at ${at.slice(0, -1).join('.')}`;
        }
      }
      // Half the time a value of the field's own type, so the check gets past the type to the limits and the database.
      const current = at.reduce((o: any, k) => o?.[k], d.body);
      const schema = schemaAt(op.body!, at);
      if (random() < 0.5 && typeof current === 'string') {
        d.body = setAt(d.body, at, hostileString(random));
        return `body ${at.join('.')} hostile text`;
      }
      if (random() < 0.5 && (schema.type === 'number' || schema.type === 'integer')) {
        d.body = setAt(d.body, at, boundaryNumber(random, schema));
        return `body ${at.join('.')} at a limit`;
      }
      d.body = setAt(d.body, at, hostileJson(random));
      return `body ${at.join('.') || '(whole)'} hostile`;
    }
    if (target === 'query:extra') {
      d.query.push([encodeURIComponent(pick(random, ['lng', 'x', '__proto__', 'constructor', 'callback', 'foo[bar]', 'a'.repeat(300)])), hostileParam(random)]);
      return 'unknown query parameter';
    }
    if (target === 'query:duplicate') {
      const name = pick(random, [...op.params.filter((p) => p.in === 'query').map((p) => p.name), 'lon']);
      d.query.push([name, hostileParam(random)], [name, hostileParam(random)]);
      return `duplicate ${name}`;
    }
    const [where, name] = target.split(':') as ['path' | 'query' | 'header', string];
    if (where === 'path') {
      d.path[name] = hostileParam(random);
      return `path ${name} hostile`;
    }
    const param = op.params.find((p) => p.in === where && p.name === name)!;
    if (where === 'query' && random() < 0.3 && (param.schema.type === 'number' || param.schema.type === 'integer')) {
      const value = boundaryNumber(random, param.schema);
      const text = value instanceof RawJson ? value.text : String(value);
      const index = d.query.findIndex(([k]) => k === name);
      if (index >= 0) d.query[index]![1] = text;
      else d.query.push([name, text]);
      return `query ${name} at a limit`;
    }
    if (where === 'query') {
      const index = d.query.findIndex(([k]) => k === name);
      if (index >= 0 && random() < 0.15) {
        d.query.splice(index, 1);
        return `query ${name} removed`;
      }
      if (index >= 0) d.query[index]![1] = hostileParam(random);
      else d.query.push([name, hostileParam(random)]);
      return `query ${name} hostile`;
    }
    d.headers[name.toLowerCase()] = headerText(random);
    return `header ${name} hostile`;
  }

  /** Every parameter and the body hostile. */
  function hostile(op: FuzzOperation, d: Draft, random: Random): string {
    for (const p of op.params) {
      if (p.in === 'path') d.path[p.name] = hostileParam(random);
      else if (p.in === 'query' && random() < 0.8) d.query.push([p.name, hostileParam(random)]);
      else if (p.in === 'header') d.headers[p.name.toLowerCase()] = headerText(random);
    }
    if (op.body) {
      const keys = Object.keys(op.body.properties ?? {});
      const body: Record<string, unknown> = {};
      for (const key of keys) if (random() < 0.6) body[key] = hostileJson(random);
      d.body = random() < 0.8 ? body : hostileJson(random);
    }
    return 'all hostile';
  }

  /** Header text Node will send: visible ASCII only. */
  function headerText(random: Random): string {
    return pick(random, ['*', '"', '""', 'W/', 'W/"', '", "', 'gzip;q=abc', 'br;q=-1', '*;q=0', 'x'.repeat(4000), randomText(random, 40)]).replace(/[^\x20-\x7e]/g, '?');
  }

  /** The request on the wire. */
  function write(op: FuzzOperation, d: Draft, random: Random, auth: Auth): RawRequest & { auth: Auth } {
    const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => d.path[name] ?? '');
    const query = d.query.map(([k, v]) => `${k}=${v}`).join('&');
    const headers: Record<string, string> = { ...d.headers };
    if (auth === 'planner' || auth === 'admin') headers.authorization = `Bearer ${ctx.tokens[auth]}`;
    if (auth === 'bogus') {
      headers.authorization = pick(random, [
        'Bearer ',
        'Bearer x',
        'Bearer lc_1_abcdef',
        'Basic dXNlcjpwYXNz',
        `Bearer ${ctx.tokens.planner}x`,
        `Bearer ${ctx.tokens.planner.slice(0, -2)}`,
        `bearer ${ctx.tokens.planner}`,
        `Bearer ${ctx.tokens.planner} extra`,
        `Bearer ${'a'.repeat(4000)}`,
        'Bearer %00',
        "Bearer ' OR 1=1 --",
      ]);
    }
    const request: RawRequest & { auth: Auth } = { method: op.method, path: query ? `${path}?${query}` : path, headers, auth };
    if (d.hasBody) {
      headers['content-type'] = 'application/json';
      request.body = d.body === undefined ? '' : toJsonText(d.body);
    }
    return request;
  }

  /** A transport-level attack on a valid-ish request. */
  function transport(op: FuzzOperation, d: Draft, random: Random, auth: Auth): { request: RawRequest & { auth: Auth }; note: string } {
    const request = write(op, d, random, auth);
    const headers = (request.headers ??= {}) as Record<string, string>;
    const r = random();
    const twoMb = 2 * 1024 * 1024;
    if (r < 0.2) {
      const kind = pick(random, ['string field', 'garbage', 'array', 'chunked']);
      headers['content-type'] = 'application/json';
      if (kind === 'string field') request.body = JSON.stringify({ name: 'x'.repeat(twoMb) });
      else if (kind === 'garbage') request.body = Buffer.alloc(twoMb, 0x7b);
      else if (kind === 'array') request.body = `[${'1,'.repeat(twoMb / 2)}1]`;
      else {
        request.body = JSON.stringify({ origins: Array.from({ length: 110_000 }, () => [119.0001, 25.4501]) });
        request.chunked = true;
      }
      return { request, note: `2 MB body (${kind})` };
    }
    if (r < 0.4) {
      headers['content-type'] = 'application/json';
      request.body = pick(random, ['{', '{"a":', '{"lon": NaN}', "{'a': 1}", '{"a":1,}', '{"a" 1}', '\u0000', '{"a":"\\x"}', '{"a":"\\ud800"}', 'nul', '{}}', Buffer.from([0xff, 0xfe, 0x7b, 0x7d]), Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d])]);
      return { request, note: 'malformed JSON' };
    }
    if (r < 0.55) {
      headers['content-type'] = 'application/json';
      request.body = pick(random, ['[]', '[{}]', '1', '-0', '"text"', 'null', 'true', '""', '1e309', ' ']);
      return { request, note: 'JSON that is not an object' };
    }
    if (r < 0.75) {
      const type = pick(random, ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/xml', '', 'application/json, text/plain', '*/*']);
      if (type === '') delete headers['content-type'];
      else headers['content-type'] = type;
      if (request.body === undefined || random() < 0.3) request.body = type.startsWith('application/x-www') ? 'lon=119&lat=25.45' : type.startsWith('multipart') ? '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n' : '<a>1</a>';
      return { request, note: `Content-Type "${type}"` };
    }
    if (r < 0.85) {
      const name = pick(random, [...op.params.filter((p) => p.in === 'query').map((p) => p.name), 'kind']);
      const extra = Array.from({ length: 2 + Math.floor(random() * 3) }, () => `${name}=${random() < 0.5 ? hostileParam(random) : encodeURIComponent(String(sample(op.params.find((p) => p.name === name)?.schema ?? {}, name, random)))}`);
      request.path += `${request.path.includes('?') ? '&' : '?'}${extra.join('&')}`;
      return { request, note: `duplicate query ${name}` };
    }
    headers['content-type'] = 'application/json';
    request.body = '';
    return { request, note: 'empty body' };
  }

  /** The token an operation needs (a planner token for public reads too: it only names the client). */
  const needed = (op: FuzzOperation): Auth => (op.access === 'admin' ? 'admin' : 'planner');
  const isNumber = (schema: Schema) => schema.type === 'number' || schema.type === 'integer';
  const shortText = (v: unknown) => (v instanceof RawJson ? v.text : (JSON.stringify(v) ?? String(v))).slice(0, 24);

  return {
    /** A valid-ish request with every optional field (the base of a sweep). */
    full: (op: FuzzOperation, random: Random): Draft => draft(op, random, true),

    /** `base` as it goes out, with the token the operation needs. */
    asRequest: (op: FuzzOperation, base: Draft, random: Random): FuzzRequest => ({ ...write(op, base, random, needed(op)), op, strategy: 'valid', note: 'sweep base' }),

    /**
     * A valid request with every optional field (`full`, checked by the
     * caller), then the same with one place changed to each hostile kind in turn: every parameter and every
     * body field at any depth (each change kind of a scenario, each element
     * of a pair) through SWEEP_* and the field's own limits. With the token,
     * so the checks past the access gate run.
     */
    sweep(op: FuzzOperation, base: Draft, random: Random): FuzzRequest[] {
      const copy = (): Draft => ({ path: { ...base.path }, query: base.query.map(([k, v]) => [k, v]), headers: { ...base.headers }, body: structuredClone(base.body), hasBody: base.hasBody });
      const out: FuzzRequest[] = [];
      const emit = (d: Draft, note: string) => out.push({ ...write(op, d, random, needed(op)), op, strategy: 'sweep', note });
      for (const param of op.params) {
        const values = param.in === 'header' ? SWEEP_HEADERS : [...SWEEP_PARAMS, ...(isNumber(param.schema) ? boundaryNumbers(param.schema).map(String) : [])];
        for (const value of values) {
          const d = copy();
          if (param.in === 'path') d.path[param.name] = value;
          else if (param.in === 'header') d.headers[param.name.toLowerCase()] = value;
          else {
            const index = d.query.findIndex(([k]) => k === param.name);
            if (index >= 0) d.query[index]![1] = value;
            else d.query.push([param.name, value]);
          }
          emit(d, `${param.in} ${param.name} = ${value.slice(0, 24)}`);
        }
      }
      if (op.body) {
        for (const at of places(base.body).filter((a) => a.length > 0)) {
          const schema = schemaAt(op.body, at);
          for (const value of [...SWEEP_JSON, ...(isNumber(schema) ? boundaryNumbers(schema) : [])]) {
            const d = copy();
            d.body = setAt(d.body, at, value);
            emit(d, `body ${at.join('.')} = ${shortText(value)}`);
          }
        }
      }
      return out;
    },

    /** Request number `i` of a run, drawn from `random`. */
    make(op: FuzzOperation, random: Random): FuzzRequest {
      // Writes mostly with the token they need: without one the gate answers before any check runs.
      const a = random();
      let auth: Auth;
      if (op.access === 'read') auth = a < 0.45 ? 'planner' : a < 0.9 ? 'none' : 'bogus';
      else if (op.access === 'planner') auth = a < 0.7 ? 'planner' : a < 0.9 ? 'none' : 'bogus';
      else auth = a < 0.5 ? 'admin' : a < 0.7 ? 'planner' : a < 0.9 ? 'none' : 'bogus';
      const d = draft(op, random);
      const s = random();
      if (s < 0.15) return { ...write(op, d, random, auth), op, strategy: 'valid', note: 'valid-ish' };
      if (s < 0.6) {
        const note = mutate(op, d, random);
        return { ...write(op, d, random, auth), op, strategy: 'mutated', note };
      }
      if (s < 0.8) {
        const note = hostile(op, d, random);
        return { ...write(op, d, random, auth), op, strategy: 'hostile', note };
      }
      const { request, note } = transport(op, d, random, auth);
      return { ...request, op, strategy: 'transport', note };
    },
  };
}
