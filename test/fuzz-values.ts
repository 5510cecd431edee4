/**
 * Hostile values for fuzz tests, in the three forms a request carries them:
 * JSON values for bodies (including number tokens JSON.stringify cannot
 * write, such as NaN or 1e309, spliced into the text raw), text for query
 * and path parameters (percent-encoded on the way out), and pieces that go
 * out already encoded (a lone surrogate, a bare %, an encoded slash).
 */

export type Random = () => number;

export function pick<T>(random: Random, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

/** A number token written into JSON text as is (NaN, 1e309, -0, 0x10 ...). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Number tokens: some valid JSON (1e309 parses to Infinity, -0 to -0), some not (NaN, 0x10, +1, .5). */
export const RAW_NUMBERS = ['NaN', 'Infinity', '-Infinity', '1e309', '-1e309', '-0', '1e-400', '9007199254740993', '123456789012345678901234567890', '0x10', '+1', '.5', '01', '1.', '1e', '--1'];

const LONG = 'x'.repeat(10_000);

/** Text that tends to break things: numbers as words, unicode, SQL, paths, sizes. */
export const HOSTILE_TEXT: readonly string[] = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-1e309',
  '-0',
  '0',
  '-1',
  '1.5',
  '1e3',
  '0x10',
  '0b11',
  '1_000',
  '99999999999999999999999',
  '1e-300',
  '5e-324',
  '0.0000001',
  '2147483648',
  '-2147483649',
  '9007199254740993',
  '',
  ' ',
  '\t',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '[1,2]',
  '{"a":1}',
  "'; DROP TABLE centers; --",
  '1 OR 1=1',
  "' OR '1'='1",
  '$1',
  'pg_sleep(10)',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '/etc/passwd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '\u0000',
  'a\u0000b',
  'مرحبا بالعالم',
  '\u202Egnp.exe',
  'שלום',
  '🗺️👨‍👩‍👧‍👦',
  '中文名称',
  'ＫＩＮＤ',
  '٣',
  '１２',
  'e\u0301',
  '\uFEFF',
  '\u2028',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '<script>alert(1)</script>',
  '${7*7}',
  '%s%s%s%n',
  'x'.repeat(300),
  'x'.repeat(4000),
  ',',
  ',,,',
  '5,,10',
  '5,10,15,20,25,30,35,40,45,50,55,60,1',
  'neighborhood',
  'NEIGHBORHOOD',
  ' neighborhood ',
];

/** Pieces sent already percent-encoded: invalid or lone-surrogate UTF-8, bare %, encoded separators. */
export const ENCODED_PIECES: readonly string[] = [
  '%ED%A0%80', // a lone high surrogate as UTF-8 bytes (invalid UTF-8)
  '%ED%B0%80', // a lone low surrogate
  '%D8%00',
  '%FF%FE',
  '%C0%AF', // overlong '/'
  '%E0%A4%A',
  '%',
  '%%',
  '%zz',
  '%00',
  '%0A',
  '%0D%0A',
  '%2F',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f',
  '%252e%252e%252f',
  '%26',
  '%3D',
  '%23',
  '%3F',
  '+',
  '%20',
  '%E2%80%AE', // right-to-left override
];

/** Strings that the database or a parser may choke on, for a field that takes text. */
export function hostileString(random: Random): string {
  if (random() < 0.5) return pick(random, HOSTILE_TEXT);
  return pick(random, ['\u0000', 'a\u0000b', '\ud800', 'a\udfff', '\ud83d', '🗺️', 'x'.repeat(201), 'x'.repeat(10_000), '', ' ']);
}

/** Numbers at and just past the limits of a number schema (minimum, maximum, exclusiveMinimum). */
export function boundaryNumbers(schema: { minimum?: number; maximum?: number; exclusiveMinimum?: number }): number[] {
  const values: number[] = [];
  for (const limit of [schema.minimum, schema.maximum, schema.exclusiveMinimum]) {
    if (limit === undefined) continue;
    values.push(limit, limit + 1e-9, limit - 1e-9, limit * 10 + 1, limit + Number.EPSILON * Math.max(1, Math.abs(limit)));
  }
  return values;
}

/** One of boundaryNumbers, or a tiny or negative-zero number. */
export function boundaryNumber(random: Random, schema: { minimum?: number; maximum?: number; exclusiveMinimum?: number }): unknown {
  return pick(random, [5e-324, 1e-300, -5e-324, new RawJson('-0'), 0.5, ...boundaryNumbers(schema)]);
}

/** One value of each hostile kind, for sweeping one body field through all of them. */
export const SWEEP_JSON: readonly unknown[] = [
  'a\u0000b',
  '\ud800',
  'x'.repeat(10_000),
  '',
  "'; DROP TABLE centers; --",
  '🗺️ مرحبا \u202E',
  null,
  true,
  {},
  [],
  [1, 2, 3],
  new RawJson('NaN'),
  new RawJson('1e309'),
  new RawJson('-0'),
  2 ** 53 + 2,
  -1,
  5e-324,
];

/** One value of each hostile kind for a query or path parameter, as sent (encoded). */
export const SWEEP_PARAMS: readonly string[] = [
  'NaN',
  'Infinity',
  '1e309',
  '-0',
  '99999999999999999999999',
  '-1',
  '1e-300',
  '',
  'x'.repeat(4000),
  '%00',
  '%ED%A0%80',
  '..%2F..%2Fetc%2Fpasswd',
  encodeURIComponent("'; DROP TABLE centers; --"),
  encodeURIComponent('🗺️ مرحبا'),
  '%',
  '1,2,3',
];

/** The same for a header (visible ASCII only). */
export const SWEEP_HEADERS: readonly string[] = ['*', '"', 'W/', '""', 'x'.repeat(4000), 'gzip;q=abc', 'br;q=-1', '*;q=0', ', ,', '"a", W/"b", *'];

/** JSON values that break schemas: wrong types, edge numbers, odd strings, prototype keys. */
export function hostileJson(random: Random): unknown {
  const r = random();
  if (r < 0.2) return new RawJson(pick(random, RAW_NUMBERS));
  if (r < 0.45) return pick(random, HOSTILE_TEXT);
  if (r < 0.55) return pick(random, [LONG, LONG + LONG, '\ud800', '\udfff', 'a\ud800b', '\u0000', 'é'.repeat(201)]);
  return pick(random, [
    null,
    true,
    false,
    0,
    -1,
    1.5,
    -1e21,
    1e21,
    2 ** 31,
    -(2 ** 31) - 1,
    Number.MAX_SAFE_INTEGER,
    Number.MIN_SAFE_INTEGER,
    5e-324,
    [],
    [1],
    [1, 2],
    [1, 2, 3],
    ['119', '25.45'],
    [[]],
    [[119, 25.45]],
    [null, null],
    {},
    { a: 1 },
    { op: 'add' },
    { __proto__: null, constructor: { prototype: { polluted: true } } },
    JSON.parse('{"__proto__": {"polluted": true}}'),
    Array.from({ length: 1000 }, (_, i) => i),
    nested(200),
  ]);
}

/** [[[...]]] `depth` deep. */
function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** JSON text of `value`, with RawJson tokens written raw (the text may then not be JSON at all). */
export function toJsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `\u0001RAW${raws.length - 1}\u0001`;
    }
    return v;
  });
  return text.replace(/"\\u0001RAW(\d+)\\u0001"/g, (_m, i: string) => raws[Number(i)]!);
}

/** A query or path value out on the wire: hostile text encoded, an encoded piece, or a mix. */
export function hostileParam(random: Random): string {
  const r = random();
  if (r < 0.55) return encodeURIComponent(pick(random, HOSTILE_TEXT));
  if (r < 0.8) return pick(random, ENCODED_PIECES);
  if (r < 0.9) return `${encodeURIComponent(pick(random, HOSTILE_TEXT).slice(0, 20))}${pick(random, ENCODED_PIECES)}`;
  return encodeURIComponent(randomText(random));
}

/** Random text: printable ASCII, symbols, and code points from anywhere in the BMP and beyond. */
export function randomText(random: Random, maxLength = 24): string {
  const length = Math.floor(random() * maxLength);
  let s = '';
  for (let i = 0; i < length; i++) {
    const r = random();
    if (r < 0.55) s += String.fromCharCode(32 + Math.floor(random() * 95));
    else if (r < 0.8) s += String.fromCodePoint(0x80 + Math.floor(random() * 0xd000));
    else if (r < 0.9) s += String.fromCodePoint(0x10000 + Math.floor(random() * 0x1000));
    else s += pick(random, ['%', '/', ',', '.', '?', '#', '&', '=', '..', '\\', '"', "'", ';']);
  }
  return s;
}
