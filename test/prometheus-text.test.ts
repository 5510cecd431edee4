/**
 * The strict exposition-format parser the metrics tests rely on
 * (prometheus-text.ts): it reads what prom-client writes, values and
 * escapes included, and it refuses each kind of fault it claims to catch,
 * so a metrics test that passes through it cannot pass on broken text.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ExpositionError, parsePrometheusText, sampleValue } from './prometheus-text.ts';

const GOOD = `# HELP http_requests_total Requests.
# TYPE http_requests_total counter
http_requests_total{method="GET",route="/a"} 3
http_requests_total{method="POST",route="/a"} 1 1700000000000

# HELP latency_seconds Latency.
# TYPE latency_seconds histogram
latency_seconds_bucket{le="0.1",route="/a"} 1
latency_seconds_bucket{le="1",route="/a"} 2
latency_seconds_bucket{le="+Inf",route="/a"} 3
latency_seconds_sum{route="/a"} 4.5
latency_seconds_count{route="/a"} 3
# TYPE temperature gauge
temperature -1.5e3
`;

/** GOOD with one line replaced (by its text) or removed (replacement null). */
const broken = (line: string, replacement: string | null) => {
  expect(GOOD).toContain(`${line}\n`);
  return GOOD.replace(`${line}\n`, replacement === null ? '' : `${replacement}\n`);
};

describe('parsePrometheusText', () => {
  it("reads prom-client's own output, escapes and all", async () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'c_total', help: 'a "counter"\\with\nlines', labelNames: ['route'], registers: [registry] });
    const gauge = new Gauge({ name: 'g', help: 'a gauge', labelNames: ['name'], registers: [registry] });
    const histogram = new Histogram({ name: 'h_seconds', help: 'a histogram', labelNames: ['kind'], buckets: [0.1, 1], registers: [registry] });
    counter.inc({ route: '/api/centers/:id' }, 2);
    gauge.set({ name: 'quote " backslash \\ newline \n end' }, -0.25);
    histogram.observe({ kind: 'x' }, 0.05);
    histogram.observe({ kind: 'x' }, 0.5);
    histogram.observe({ kind: 'x' }, 5);
    const families = parsePrometheusText(await registry.metrics());
    expect(families.get('c_total')).toMatchObject({ type: 'counter', help: 'a "counter"\\with\nlines' });
    expect(sampleValue(families, 'c_total', { route: '/api/centers/:id' })).toBe(2);
    expect(sampleValue(families, 'g', { name: 'quote " backslash \\ newline \n end' })).toBe(-0.25);
    expect(sampleValue(families, 'h_seconds_bucket', { kind: 'x', le: '0.1' })).toBe(1);
    expect(sampleValue(families, 'h_seconds_bucket', { kind: 'x', le: '+Inf' })).toBe(3);
    expect(sampleValue(families, 'h_seconds_count', { kind: 'x' })).toBe(3);
    expect(sampleValue(families, 'h_seconds_sum', { kind: 'x' })).toBeCloseTo(5.55, 10);
  });

  it('reads the hand-written example, timestamps and exponents included', () => {
    const families = parsePrometheusText(GOOD);
    expect([...families.keys()]).toEqual(['http_requests_total', 'latency_seconds', 'temperature']);
    expect(families.get('http_requests_total')!.samples[1]).toMatchObject({ value: 1, timestamp: 1700000000000 });
    expect(sampleValue(families, 'temperature')).toBe(-1500);
    expect(families.get('temperature')!.help).toBeUndefined();
  });

  const faults: [string, string, RegExp][] = [
    ['no final line feed', GOOD.slice(0, -1), /does not end with a line feed/],
    ['a bad metric name', broken('temperature -1.5e3', '1temperature 2'), /invalid metric name "1temperature"/],
    ['a bad label name', broken('http_requests_total{method="GET",route="/a"} 3', 'http_requests_total{method-x="GET"} 3'), /invalid label name "method-x"/],
    ['a reserved label name', broken('http_requests_total{method="GET",route="/a"} 3', 'http_requests_total{__name__="x"} 3'), /reserved/],
    ['a label twice', broken('http_requests_total{method="GET",route="/a"} 3', 'http_requests_total{method="GET",method="POST"} 3'), /label "method" twice/],
    ['an unquoted label value', broken('http_requests_total{method="GET",route="/a"} 3', 'http_requests_total{method=GET} 3'), /not quoted/],
    ['an unknown escape', broken('http_requests_total{method="GET",route="/a"} 3', 'http_requests_total{method="G\\tET"} 3'), /invalid escape/],
    ['an unclosed label value', broken('http_requests_total{method="GET",route="/a"} 3', 'http_requests_total{method="GET} 3'), /not closed|expected/],
    ['a value that is not a float', broken('temperature -1.5e3', 'temperature warm'), /value "warm" is not a float/],
    ['a fractional timestamp', broken('temperature -1.5e3', 'temperature 1 17.5'), /timestamp "17.5" is not an integer/],
    ['an unknown type', broken('# TYPE temperature gauge', '# TYPE temperature thermometer'), /unknown type "thermometer"/],
    ['TYPE twice', broken('# TYPE temperature gauge', '# TYPE temperature gauge\n# TYPE temperature gauge'), /second TYPE/],
    ['HELP twice', broken('# HELP latency_seconds Latency.', '# HELP latency_seconds Latency.\n# HELP latency_seconds Again.'), /second HELP/],
    ['TYPE after samples', broken('# TYPE temperature gauge', 'temperature 1\n# TYPE temperature gauge'), /after its samples|twice/],
    ['a family in two groups', `${GOOD}http_requests_total{method="PUT",route="/a"} 1\n`, /not in one group/],
    ['the same sample twice', broken('http_requests_total{method="POST",route="/a"} 1 1700000000000', 'http_requests_total{route="/a",method="GET"} 1'), /twice/],
    ['a negative counter', broken('http_requests_total{method="GET",route="/a"} 3', 'http_requests_total{method="GET",route="/a"} -3'), /counter http_requests_total is -3/],
    ['a NaN counter', broken('http_requests_total{method="GET",route="/a"} 3', 'http_requests_total{method="GET",route="/a"} NaN'), /counter http_requests_total is NaN/],
    ['a bucket without le', broken('latency_seconds_bucket{le="1",route="/a"} 2', 'latency_seconds_bucket{route="/a"} 2'), /without le/],
    ['buckets out of order', broken('latency_seconds_bucket{le="1",route="/a"} 2', 'latency_seconds_bucket{le="0.05",route="/a"} 2'), /increasing le order/],
    ['falling bucket counts', broken('latency_seconds_bucket{le="1",route="/a"} 2', 'latency_seconds_bucket{le="1",route="/a"} 0'), /below the previous/],
    ['no +Inf bucket', broken('latency_seconds_bucket{le="+Inf",route="/a"} 3', null), /without a \+Inf bucket/],
    ['a count unlike +Inf', broken('latency_seconds_count{route="/a"} 3', 'latency_seconds_count{route="/a"} 4'), /_count 4 differs from its \+Inf bucket 3/],
    ['no _sum', broken('latency_seconds_sum{route="/a"} 4.5', null), /without _sum/],
    ['le on _count', broken('latency_seconds_count{route="/a"} 3', 'latency_seconds_count{le="+Inf",route="/a"} 3'), /with an le label/],
  ];
  it('refuses, when asked, a sample of no declared family (the format reads it as untyped)', () => {
    const declared = broken('# TYPE temperature gauge', '# HELP temperature Degrees.\n# TYPE temperature gauge');
    expect(parsePrometheusText(declared, { declaredOnly: true }).size).toBe(3);
    const stray = `${declared}http_requests_total_sum 1\n`;
    expect(parsePrometheusText(stray).get('http_requests_total_sum')?.type).toBe('untyped');
    expect(() => parsePrometheusText(stray, { declaredOnly: true })).toThrow(/http_requests_total_sum has no TYPE/);
    expect(() => parsePrometheusText(GOOD, { declaredOnly: true })).toThrow(/temperature has no HELP/);
  });

  for (const [what, text, message] of faults) {
    it(`refuses ${what}`, () => {
      expect(() => parsePrometheusText(text)).toThrow(ExpositionError);
      expect(() => parsePrometheusText(text)).toThrow(message);
    });
  }
});
