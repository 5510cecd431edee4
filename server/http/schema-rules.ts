/**
 * The building blocks of every route schema: one rule per kind of value (a
 * number in a range, a whole number, a name from a list, a pattern), each a
 * zod schema that validates, supplies its default, documents its limits in
 * the OpenAPI document and words its own error message. Concepts built from
 * these (a coordinate, a minutes list, a center kind) are in schemas.ts.
 *
 * Messages are predicates ("must be between -90 and 90, got 95"); the route
 * layer (define-route.ts) puts the field's name in front. Numbers come as
 * JSON numbers or, where `text` allows (query strings, and bodies that
 * mirror a query), as decimal text; an empty or blank text value counts as
 * absent, so `?speed_kmh=` takes the default.
 */
import { z } from '@hono/zod-openapi';

/** Plain decimal text: Number('') is 0 and Number('0x10') is 16, so Number() alone accepts too much. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Blank text counts as absent (`?speed_kmh=` takes the default). */
export function absentIfBlank(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
}

/** A finite number from decimal text; anything else as it is (and rejected by the number check). */
export function numberFromText(value: unknown): unknown {
  value = absentIfBlank(value);
  if (typeof value !== 'string') return value;
  const text = value.trim();
  return DECIMAL.test(text) && Number.isFinite(Number(text)) ? Number(text) : value;
}

/** How a rejected value reads in a message: text in quotes, numbers as they are. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return `"${value.slice(0, 64)}"`;
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 64 ? `${text.slice(0, 61)}...` : text;
}

export interface NumberRule {
  min: number;
  max: number;
  /** True when min itself is not allowed (a speed above 0). */
  exclusiveMin?: boolean;
  /** Whole numbers only. */
  integer?: boolean;
  /** Accept decimal text as well as JSON numbers (query strings; default true). */
  text?: boolean;
  /** What the value is, for messages: default "a number between MIN and MAX". */
  what?: string;
  /** Put in front of the message, e.g. "(lat)" for a pair's second element. */
  label?: string;
}

/** The message for a rejected number, by what went wrong. */
function numberMessage(rule: NumberRule, input: unknown, code: string): string {
  const what = rule.what ?? `a${rule.integer ? ' whole' : ''} number between ${rule.min} and ${rule.max}`;
  const label = rule.label ? `${rule.label} ` : '';
  if (input === undefined) return `${label}is required: ${what}`;
  if (code === 'too_small' || code === 'too_big') {
    // With its own wording ("a walking speed ...") the range is said in it.
    return rule.what ? `${label}must be ${what}, got ${shown(input)}` : `${label}must be between ${rule.min} and ${rule.max}, got ${shown(input)}`;
  }
  return `${label}must be ${what}, got ${shown(input)}`;
}

/** A number in [min, max] (or (min, max]). Required unless `.optional()` / `.default()` is added to the result of `numberIn(...)`. */
export function numberIn(rule: NumberRule) {
  const error = (iss: { input?: unknown; code?: string }) => numberMessage(rule, iss.input, iss.code ?? '');
  let schema = z.number({ error });
  if (rule.integer) schema = schema.int({ error });
  schema = rule.exclusiveMin ? schema.gt(rule.min, { error }) : schema.min(rule.min, { error });
  schema = schema.max(rule.max, { error });
  return schema;
}

/** numberIn with the text and blank handling of `rule.text` (default on). */
export function numberParam(rule: NumberRule) {
  return z.preprocess(rule.text === false ? (v: unknown) => v : numberFromText, numberIn(rule));
}

/** numberParam that may be left out, with its default. */
export function numberParamOr(rule: NumberRule, fallback: number) {
  return z.preprocess(rule.text === false ? (v: unknown) => v : numberFromText, numberIn(rule).default(fallback));
}

/** One of a fixed list of names, trimmed; optional with `fallback` as the default. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, fallback?: T[number]) {
  const error = (iss: { input?: unknown }) => `must be one of ${values.join(', ')}, got ${shown(iss.input)}`;
  const schema = z.enum(values, { error });
  return z.preprocess((v) => (typeof v === 'string' ? absentIfBlank(v.trim()) : absentIfBlank(v)), fallback === undefined ? schema : schema.default(fallback as never));
}

/** Text matching `pattern`, described as `what` in messages (e.g. "a lower-case name ..."). */
export function textMatching(pattern: RegExp, what: string) {
  const error = (iss: { input?: unknown }) => (iss.input === undefined ? `is required: ${what}` : `must be ${what}, got ${shown(iss.input)}`);
  return z.string({ error }).regex(pattern, { error });
}

/**
 * U+0000, or a surrogate without its pair: PostgreSQL stores neither (text
 * and jsonb refuse U+0000; jsonb refuses an unpaired surrogate, and text
 * would keep U+FFFD instead), so text that is stored must not hold them.
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The message for text with UNSTORABLE characters. */
export const UNSTORABLE_TEXT = 'must not contain U+0000 or an unpaired surrogate (text that is not valid Unicode)';

/** True when PostgreSQL can store `text` as it is (see UNSTORABLE). */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}
