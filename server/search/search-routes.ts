/**
 * GET /api/search?q=&limit=&types=
 * Districts, streets/towns, communities, grids and centers by their own
 * names and codes, best first (search-index.ts says how matches rank), each
 * with the units it lies in, a point to fly to and, for areas, the extent
 * to fit: what a resident's search box needs to find their community.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { defineRoute } from '../http/define-route.ts';
import { badRequest, internalError, json } from '../http/responses.ts';
import { absentIfBlank, numberParamOr, shown } from '../http/schema-rules.ts';
import { charCount, SEARCH_TYPES, type SearchType } from './search-index.ts';
import type { SearchService } from './search-service.ts';

/** Longest query, characters. */
export const MAX_QUERY_CHARS = 64;
/** Results per answer: the default and the most. */
export const DEFAULT_SEARCH_LIMIT = 10;
export const MAX_SEARCH_LIMIT = 50;

const Q_TEXT = `a name or code to look for, 1 to ${MAX_QUERY_CHARS} characters`;

/** ?q=: checked as sent (not empty, not only spaces, at most MAX_QUERY_CHARS characters), then trimmed. */
const queryText = z
  .string({ error: (iss) => (iss.input === undefined ? `is required: ${Q_TEXT}` : `must be ${Q_TEXT}, got ${shown(iss.input)}`) })
  .check((ctx) => {
    const text = ctx.value;
    if (!/\S/.test(text)) ctx.issues.push({ code: 'custom', input: text, message: `must not be empty or only spaces: ${Q_TEXT}` });
    else if (charCount(text) > MAX_QUERY_CHARS) ctx.issues.push({ code: 'custom', input: text, message: `must be at most ${MAX_QUERY_CHARS} characters, got ${charCount(text)}` });
  })
  .transform((text) => text.trim())
  .openapi({
    description: `What to look for: a Chinese or Latin name, or a division or grid code, or part of one (matched literally, Latin letters in any case; full-width letters and digits as their ASCII forms). At most ${MAX_QUERY_CHARS} characters, not only spaces; surrounding spaces are ignored.`,
    minLength: 1,
    maxLength: MAX_QUERY_CHARS,
    pattern: '\\S',
    examples: ['上光社区', '350302001', 'Grid 1'],
  });

const typeList = SEARCH_TYPES.join(', ');

/** ?types=community,grid: a comma list of result types; all when absent. */
const typesQuery = z
  .preprocess(
    (value) => {
      value = absentIfBlank(value);
      return typeof value === 'string' ? value.split(',').map((t) => t.trim()) : value;
    },
    z
      .array(z.enum(SEARCH_TYPES, { error: (iss) => `must list types among ${typeList}, got ${shown(iss.input)}` }))
      .min(1)
      .default([...SEARCH_TYPES]),
  )
  .transform((types) => SEARCH_TYPES.filter((t) => types.includes(t)))
  .openapi({ description: `Only these result types, as a comma list (${typeList}); all when absent.`, param: { style: 'form', explode: false } });

const Type = z.enum(SEARCH_TYPES);

const Result = z
  .strictObject({
    type: Type,
    code: z.string().openapi({ description: 'The division or grid code; a center\'s id (as text, GET /api/centers/{id}).' }),
    name: z.string(),
    context: z.string().openapi({ description: 'One line saying where it is: the district, street and community names it lies in (a center\'s kind before them; a district\'s city).', examples: ['城厢区 龙桥街道'] }),
    parents: z
      .array(z.strictObject({ type: z.enum(['district', 'street', 'community']), code: z.string(), name: z.string() }))
      .openapi({ description: 'The units it lies in, the district first (a center: those of the grid it lies in).' }),
    kind: z.string().nullable().openapi({ description: 'A center\'s kind; null for areas.' }),
    lon: z.number().nullable().openapi({ description: 'A point on the area (PostGIS ST_PointOnSurface), or the center; null for an area the data has no shape for.' }),
    lat: z.number().nullable(),
    bbox: z
      .tuple([z.number(), z.number(), z.number(), z.number()])
      .nullable()
      .openapi({ description: 'An area\'s extent [west, south, east, north]; null for centers.', minItems: 4, maxItems: 4 }),
    match: z.enum(['exact', 'prefix', 'substring']).openapi({ description: 'How the name or the code matched: whole, its start, or anywhere in it.' }),
  })
  .openapi('SearchResult');

const SearchAnswer = z
  .strictObject({
    q: z.string().openapi({ description: 'The text looked for, trimmed.' }),
    types: z.array(Type),
    limit: z.int(),
    total: z.int().min(0).openapi({ description: 'Matches in all; `results` holds the first `limit`.' }),
    data_version: z.string(),
    results: z.array(Result).openapi({ description: 'Exact matches first, then prefix, then substring matches; within each, the shorter name (or code, where the code matched better) first, then the higher level (district, street, community, grid, center), then by that name or code.' }),
  })
  .openapi('SearchAnswer');

export function searchRoutes(search: SearchService) {
  const app = new OpenAPIHono();
  defineRoute(
    app,
    {
      method: 'get',
      path: '/api/search',
      operationId: 'searchPlaces',
      tags: ['places'],
      summary: 'Districts, streets, communities, grids and centers by name or code',
      description:
        'Looks for the text in the names and codes of the data\'s own districts, streets/towns, communities, grids and centers. Each result says where it lies and gives a point on it (and an area\'s extent) to show it on a map; a point is what GET /api/place takes.',
      query: z.object({
        q: queryText,
        limit: numberParamOr({ min: 1, max: MAX_SEARCH_LIMIT, integer: true }, DEFAULT_SEARCH_LIMIT).openapi({ description: 'Most results to return.' }),
        types: typesQuery,
      }),
      responses: {
        200: { description: 'The matches, best first.', content: json(SearchAnswer) },
        400: badRequest('`q` is missing, empty, only spaces or too long, or `limit` or `types` is out of range (the message and `field` name it).'),
        500: internalError,
      },
    },
    async (c, { query }) => {
      const types: SearchType[] = query.types;
      const answer = await search.search(query.q, { limit: query.limit, types });
      return c.json({ q: query.q, types, limit: query.limit, total: answer.total, data_version: answer.version, results: answer.hits });
    },
  );
  return app;
}
