/**
 * A strict parser of Prometheus' text exposition format (version 0.0.4, as
 * Prometheus documents it in "Exposition formats"), for the metrics tests:
 * it throws, naming the line, on anything a scraper could reject or
 * misread, instead of being lenient the way a scraper is.
 *
 * Checked: lines end with a line feed, the last one too; `# HELP` and
 * `# TYPE` lines name a valid metric, at most once each, before the family's
 * first sample, with a known type and only `\\` and `\n` escapes in help;
 * sample lines as `name{label="value",...} value [timestamp]` with valid
 * metric and label names (no reserved `__` names, no repeats), label values
 * with only `\\`, `\"` and `\n` escapes, Go float values (NaN, +Inf, -Inf)
 * and integer timestamps; every family's lines in one group; no sample
 * twice; counters never negative or NaN; a histogram's `_bucket` samples
 * with `le`, its `_sum` and `_count` without, and in each of its series
 * buckets in increasing `le` order, cumulative counts that never fall, a
 * `+Inf` bucket equal to `_count`, and a `_sum`; with `declaredOnly`, a
 * HELP and a TYPE for every family.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  /** The sample's own name (`x_bucket` for a histogram x's bucket). */
  name: string;
  labels: Record<string, string>;
  value: number;
  timestamp?: number;
  line: number;
}

export interface Family {
  name: string;
  type: MetricType;
  help: string | undefined;
  samples: Sample[];
}

export class ExpositionError extends Error {}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
/** Go's strconv.ParseFloat as Prometheus reads a value: decimal or exponent notation, NaN and signed Inf. */
const FLOAT = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?Inf|NaN)$/;
const INTEGER = /^-?\d+$/;

function fail(line: number, message: string): never {
  throw new ExpositionError(`line ${line}: ${message}`);
}

function parseFloatStrict(text: string, line: number, what: string): number {
  if (!FLOAT.test(text)) fail(line, `${what} "${text}" is not a float`);
  if (text.endsWith('Inf')) return text.startsWith('-') ? -Infinity : Infinity;
  return text === 'NaN' ? NaN : Number(text);
}

/** Unescapes a help text (`\\`, `\n`) or a label value (also `\"`); any other escape is an error. */
function unescape(text: string, line: number, quotes: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = text[++i];
    if (next === '\\') out += '\\';
    else if (next === 'n') out += '\n';
    else if (next === '"' && quotes) out += '"';
    else fail(line, `invalid escape "\\${next ?? ''}"`);
  }
  return out;
}

/** `{a="x",b="y"}` from position `at` (the brace); returns the labels and the position after the closing brace. */
function parseLabels(text: string, at: number, line: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = at + 1;
  for (;;) {
    if (text[i] === '}') return { labels, end: i + 1 };
    const eq = text.indexOf('=', i);
    if (eq < 0) fail(line, 'label without "="');
    const name = text.slice(i, eq);
    if (!LABEL_NAME.test(name)) fail(line, `invalid label name "${name}"`);
    if (name.startsWith('__')) fail(line, `label name "${name}" is reserved`);
    if (Object.hasOwn(labels, name)) fail(line, `label "${name}" twice`);
    if (text[eq + 1] !== '"') fail(line, `label "${name}" value is not quoted`);
    let j = eq + 2;
    while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    if (j >= text.length) fail(line, `label "${name}" value is not closed`);
    labels[name] = unescape(text.slice(eq + 2, j), line, true);
    i = j + 1;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') fail(line, `expected "," or "}" after label "${name}"`);
  }
}

function parseSample(text: string, line: number): Sample {
  const nameEnd = text.search(/[{ \t]/);
  if (nameEnd <= 0) fail(line, 'a sample needs a name and a value');
  const name = text.slice(0, nameEnd);
  if (!METRIC_NAME.test(name)) fail(line, `invalid metric name "${name}"`);
  let rest = text.slice(nameEnd);
  let labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    const parsed = parseLabels(rest, 0, line);
    labels = parsed.labels;
    rest = rest.slice(parsed.end);
  }
  if (!/^[ \t]/.test(rest)) fail(line, 'no blank between the name (or labels) and the value');
  const fields = rest.trim().split(/[ \t]+/);
  if (fields.length < 1 || fields.length > 2 || fields[0] === '') fail(line, `expected a value and an optional timestamp, got "${rest.trim()}"`);
  const value = parseFloatStrict(fields[0]!, line, 'value');
  const sample: Sample = { name, labels, value, line };
  if (fields[1] !== undefined) {
    if (!INTEGER.test(fields[1])) fail(line, `timestamp "${fields[1]}" is not an integer`);
    sample.timestamp = Number(fields[1]);
  }
  return sample;
}

/** The family a sample belongs to, given the families typed so far. */
function familyOf(name: string, typed: Map<string, Family>): string {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!name.endsWith(suffix)) continue;
    const base = name.slice(0, -suffix.length);
    const family = typed.get(base);
    if (family && (family.type === 'histogram' || (family.type === 'summary' && suffix !== '_bucket'))) return base;
  }
  return name;
}

const seriesKey = (labels: Record<string, string>, without?: string) =>
  JSON.stringify(Object.keys(labels).filter((k) => k !== without).sort().map((k) => [k, labels[k]]));

function checkFamily(family: Family): void {
  const { name, type } = family;
  // (A sample is in a family by its name, familyOf: a counter's or gauge's are named as it by construction.)
  for (const s of family.samples) if (type === 'counter' && !(s.value >= 0)) fail(s.line, `counter ${name} is ${s.value}`);
  if (type === 'summary') {
    for (const s of family.samples) {
      if (s.name === name && !('quantile' in s.labels)) fail(s.line, `summary sample ${name} without quantile`);
      if (s.name !== name && 'quantile' in s.labels) fail(s.line, `${s.name} with a quantile label`);
    }
  }
  if (type !== 'histogram') return;
  const series = new Map<string, { buckets: Sample[]; sum?: Sample; count?: Sample }>();
  const entry = (labels: Record<string, string>, without?: string) => {
    const key = seriesKey(labels, without);
    let e = series.get(key);
    if (!e) series.set(key, (e = { buckets: [] }));
    return e;
  };
  for (const s of family.samples) {
    if (s.name === `${name}_bucket`) {
      if (!('le' in s.labels)) fail(s.line, `${s.name} without le`);
      parseFloatStrict(s.labels.le!, s.line, 'le');
      entry(s.labels, 'le').buckets.push(s);
    } else {
      // _sum or _count (familyOf puts no other name here)
      if ('le' in s.labels) fail(s.line, `${s.name} with an le label`);
      const e = entry(s.labels);
      if (s.name.endsWith('_sum')) e.sum = s;
      else e.count = s;
    }
  }
  for (const e of series.values()) {
    const first = e.buckets[0] ?? e.sum ?? e.count!;
    if (e.buckets.length === 0) fail(first.line, `histogram ${name} series without buckets`);
    let lastLe = -Infinity;
    let lastCount = -Infinity;
    for (const b of e.buckets) {
      const le = parseFloatStrict(b.labels.le!, b.line, 'le');
      if (!(le > lastLe)) fail(b.line, `histogram ${name} buckets not in increasing le order`);
      if (!(b.value >= lastCount) || !Number.isInteger(b.value)) fail(b.line, `histogram ${name} bucket count ${b.value} is below the previous bucket's or not whole`);
      lastLe = le;
      lastCount = b.value;
    }
    if (lastLe !== Infinity) fail(e.buckets.at(-1)!.line, `histogram ${name} series without a +Inf bucket`);
    if (!e.count) fail(first.line, `histogram ${name} series without _count`);
    if (e.count.value !== lastCount) fail(e.count.line, `histogram ${name} _count ${e.count.value} differs from its +Inf bucket ${lastCount}`);
    if (!e.sum) fail(first.line, `histogram ${name} series without _sum`);
  }
}

/**
 * Parses exposition text into its families by name; throws an
 * ExpositionError naming the line at the first fault. `declaredOnly`: every
 * family must have its HELP and TYPE (the format allows a bare sample as an
 * untyped metric; prom-client never writes one, so one would be a stray).
 */
export function parsePrometheusText(text: string, options: { declaredOnly?: boolean } = {}): Map<string, Family> {
  if (text.length > 0 && !text.endsWith('\n')) throw new ExpositionError('the text does not end with a line feed');
  const families = new Map<string, Family>();
  const seen = new Set<string>();
  const closed = new Set<string>();
  let current: string | undefined;
  const open = (name: string, line: number): Family => {
    if (current !== name) {
      if (closed.has(name)) fail(line, `the lines of ${name} are not in one group`);
      if (current !== undefined) closed.add(current);
      current = name;
    }
    let family = families.get(name);
    if (!family) families.set(name, (family = { name, type: 'untyped', help: undefined, samples: [] }));
    return family;
  };
  const typed = new Set<string>();
  const lines = text.split('\n');
  lines.pop(); // after the last line feed
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.includes('\r')) fail(line, 'carriage return in a line');
    if (raw.trim() === '') return;
    if (raw.startsWith('#')) {
      const m = /^#[ \t]+(HELP|TYPE)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(raw);
      if (!m) return; // any other comment
      const [, keyword, name, rest = ''] = m;
      if (!METRIC_NAME.test(name!)) fail(line, `invalid metric name "${name}" in ${keyword}`);
      const family = open(name!, line);
      if (keyword === 'HELP') {
        if (family.help !== undefined) fail(line, `second HELP for ${name}`);
        family.help = unescape(rest, line, false);
      } else {
        if (typed.has(name!)) fail(line, `second TYPE for ${name}`);
        if (family.samples.length > 0) fail(line, `TYPE for ${name} after its samples`);
        if (!TYPES.has(rest.trim() as MetricType)) fail(line, `unknown type "${rest.trim()}" for ${name}`);
        family.type = rest.trim() as MetricType;
        typed.add(name!);
      }
      return;
    }
    const sample = parseSample(raw, line);
    const family = open(familyOf(sample.name, families), line);
    const key = `${sample.name}${seriesKey(sample.labels)}`;
    if (seen.has(key)) fail(line, `sample ${sample.name} with these labels twice`);
    seen.add(key);
    family.samples.push(sample);
  });
  for (const family of families.values()) {
    checkFamily(family);
    if (options.declaredOnly && (!typed.has(family.name) || family.help === undefined)) {
      fail(family.samples[0]?.line ?? 0, `${family.name} has no ${typed.has(family.name) ? 'HELP' : 'TYPE'}`);
    }
  }
  return families;
}

/** The value of the one sample of `name` with exactly these labels (besides none other), or undefined. */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
  const key = seriesKey(labels);
  for (const family of families.values()) {
    for (const s of family.samples) if (s.name === name && seriesKey(s.labels) === key) return s.value;
  }
  return undefined;
}
