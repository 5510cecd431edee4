/**
 * Stored text must be text PostgreSQL can store as sent: the API fuzz found
 * a U+0000 or an unpaired surrogate in a center's name or services, or in a
 * scenario's name, description or changes, answered 500 (the database
 * refused it) or kept as U+FFFD. Now each is a 400 naming the field.
 */
import { expect, it } from 'vitest';
import { NewCenter, CenterPatch } from '../centers/center-schemas.ts';
import { NewScenario } from '../planning/scenario-schemas.ts';
import { checkInput } from './define-route.ts';
import { HttpError } from './error-codes.ts';
import { isStorableText } from './schema-rules.ts';

it('tells storable text from text with U+0000 or an unpaired surrogate', () => {
  for (const text of ['', 'Center', '中心 🗺️', 'مرحبا', '\u202Eabc', 'e\u0301', '\uFFFD', '\ud83d\uddfa']) expect(isStorableText(text), JSON.stringify(text)).toBe(true);
  for (const text of ['\u0000', 'a\u0000b', '\ud800', 'a\ud800', '\udfff', 'x\udc00y', '\ud83d', '\ud83d\ud83d', '\udc00\ud800']) expect(isStorableText(text), JSON.stringify(text)).toBe(false);
});

it('answers 400 naming the field for such text in every stored text field', () => {
  const center = { name: 'C', kind: 'governance', lon: 119, lat: 25.45 };
  const cases: [unknown, unknown, string][] = [
    [NewCenter, { ...center, name: 'a\u0000b' }, 'name'],
    [NewCenter, { ...center, services: ['ok', '\ud800'] }, 'services[1]'],
    [CenterPatch, { name: '\udfff' }, 'name'],
    [NewScenario, { name: 'x\u0000', changes: [] }, 'name'],
    [NewScenario, { name: 'x', description: '\u0000', changes: [] }, 'description'],
    [NewScenario, { name: 'x', changes: [{ op: 'add', ...center, name: '\ud83d' }] }, 'changes[0].name'],
    [NewScenario, { name: 'x', changes: [{ op: 'add', ...center, services: ['a\u0000'] }] }, 'changes[0].services[0]'],
  ];
  for (const [schema, body, field] of cases) {
    let error: unknown;
    try {
      checkInput(schema as typeof NewCenter, body, 'body');
    } catch (e) {
      error = e;
    }
    expect(error, field).toBeInstanceOf(HttpError);
    expect([(error as HttpError).code, (error as HttpError).field, (error as HttpError).message]).toEqual(['bad_request', field, expect.stringContaining('U+0000')]);
  }
  // Surrogate pairs (emoji) are text like any other.
  expect(checkInput(NewCenter, { ...center, name: '中心 🗺️', services: ['👶'] }, 'body')).toMatchObject({ name: '中心 🗺️' });
});
