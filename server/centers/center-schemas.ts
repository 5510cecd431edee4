/**
 * The centers API's shapes: a center as stored (Center), a center to add
 * (NewCenter) and the fields to change (CenterPatch), with the limits the
 * API puts on its own input. Unknown fields are a 400, so that a typo such
 * as `lng` is an error instead of a silently ignored move; text that the
 * database cannot store as sent (U+0000, an unpaired surrogate) is a 400.
 */
import { z } from '@hono/zod-openapi';
import { isStorableText, shown, UNSTORABLE_TEXT } from '../http/schema-rules.ts';
import { idParam, kindField, lonField, mercatorLatField } from '../http/schemas.ts';

/** Longest center name, characters. */
const MAX_NAME = 200;
/** Services a center may list, and the longest one. */
const MAX_SERVICES = 50;
const MAX_SERVICE = 100;
/** Center ids are int4 and positive; nine digits keep any id below 2^31. */
export const MAX_CENTER_ID = 999_999_999;

const FIELDS = ['name', 'kind', 'services', 'lon', 'lat'] as const;

const NAME_RULE = `a non-empty string of at most ${MAX_NAME} characters`;
export const nameField = z
  .string({ error: (iss) => (iss.input === undefined ? `is required: ${NAME_RULE}` : `must be ${NAME_RULE}, got ${shown(iss.input)}`) })
  .refine(isStorableText, { error: UNSTORABLE_TEXT })
  // The length limit counts what was sent; the name is stored trimmed.
  .max(MAX_NAME, { error: `must be ${NAME_RULE}` })
  .trim()
  .min(1, { error: `must be ${NAME_RULE}` })
  .openapi({ description: 'Surrounding spaces are trimmed. No U+0000 or unpaired surrogates.', minLength: 1, maxLength: MAX_NAME });

const SERVICES_RULE = `an array of at most ${MAX_SERVICES} non-empty strings of at most ${MAX_SERVICE} characters`;
export const servicesField = z
  .array(
    z
      .string({ error: `must be a non-empty string of at most ${MAX_SERVICE} characters` })
      .refine(isStorableText, { error: UNSTORABLE_TEXT })
      .max(MAX_SERVICE, { error: `must be a non-empty string of at most ${MAX_SERVICE} characters` })
      .trim()
      .min(1, { error: `must be a non-empty string of at most ${MAX_SERVICE} characters` })
      .openapi({ minLength: 1, maxLength: MAX_SERVICE }),
    { error: (iss) => `must be ${SERVICES_RULE}, got ${shown(iss.input)}` },
  )
  .max(MAX_SERVICES, { error: `must be ${SERVICES_RULE}` })
  .openapi({ description: 'Services offered; each a non-empty string, trimmed, without U+0000 or unpaired surrogates.' });

/** A strict object whose unknown keys are named in the message with the accepted ones. */
const strictCenterObject = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field "${String(iss.keys[0]).slice(0, 64)}"; a center has ${FIELDS.join(', ')}` : undefined),
  });

export const NewCenter = strictCenterObject({
  name: nameField,
  kind: kindField,
  services: servicesField.default([]),
  lon: lonField,
  lat: mercatorLatField,
}).openapi('NewCenter', { description: 'A center to add. Unknown fields are a 400, so that a typo such as `lng` is not ignored.' });

export const CenterPatch = strictCenterObject({
  name: nameField.optional(),
  kind: kindField.optional(),
  services: servicesField.optional(),
  lon: lonField.optional(),
  lat: mercatorLatField.optional(),
})
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), { error: `nothing to change: give at least one of ${FIELDS.join(', ')}` })
  .openapi('CenterPatch', { description: 'The fields to change (at least one); absent fields stay. Unknown fields are a 400.', minProperties: 1 });

export const Center = z
  .strictObject({
    id: z.int().min(1),
    name: z.string(),
    kind: z.string().openapi({ examples: ['neighborhood', 'governance'] }),
    services: z.array(z.string()),
    lon: z.number().min(-180).max(180),
    lat: z.number().min(-90).max(90),
    source: z.string().openapi({ description: "Where it came from: `osm`, `demo`, an import's source, or `api` for centers added through this API." }),
  })
  // Plain types: imported centers need not meet the limits this API puts on its own input.
  .openapi('Center', { description: 'A community service center.' });

export const CenterList = z.strictObject({ centers: z.array(Center).openapi({ description: 'By id.' }) }).openapi('CenterList');

/** The {id} path parameter. */
export const CenterIdParams = z.object({ id: idParam(MAX_CENTER_ID).openapi({ description: 'Center id.' }) });
