/**
 * The place-name index behind GET /api/search: every district, street/town,
 * community, grid and center of one data version as an entry (its name,
 * code, the chain of units it belongs to, a representative point and, for
 * areas, its extent), and the search over them. Pure: the rows come from
 * search-data.ts, the caching from search-service.ts.
 *
 * Matching is literal: the text is looked for as it is, after folding both
 * sides the same way (Unicode NFKC, so full-width ＡＢ１ from a Chinese input
 * method matches AB1; then lower case, so Latin text matches in any case).
 * No character of the query is a wildcard. Ranking, stable and the same on
 * every backend (no database collation is involved):
 *   1. the match class: the whole name or code (exact), its start (prefix),
 *      anywhere in it (substring); an entry takes the best of name and code;
 *   2. the shorter matched text (the name, or the code where the code
 *      matched better): the closest match to what was typed;
 *   3. the higher level: district, street, community, grid, then center;
 *   4. the matched text, then the name, then the code, in UTF-16 order (so
 *      units found by code come in the order of their codes).
 */
import { LIFE_CIRCLE_STANDARD } from '../../kernel/life-circle-standard.ts';

/** What a result is, from the highest level down; centers last. */
export const SEARCH_TYPES = ['district', 'street', 'community', 'grid', 'center'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];
export type AreaLevel = 'city' | 'district' | 'street' | 'community';

/** [west, south, east, north], WGS84 degrees. */
export type Extent = [number, number, number, number];

export interface Parent {
  type: 'district' | 'street' | 'community';
  code: string;
  name: string;
}

export interface SearchEntry {
  type: SearchType;
  /** The division or grid code; a center's id as text. */
  code: string;
  name: string;
  /** The units it lies in, the district first (a district: none). */
  parents: Parent[];
  /** One line for a list: the parents' names, a center's kind before them, a district's city. */
  context: string;
  /** A center's kind; null for areas. */
  kind: string | null;
  /** A point on the area (ST_PointOnSurface) or the center itself; null for an area without geometry. */
  lon: number | null;
  lat: number | null;
  /** An area's extent; null for centers and areas without geometry. */
  bbox: Extent | null;
}

/** An admin unit as search-data.ts reads it (the city too, for names; it is not a result). */
export interface AreaRow {
  code: string;
  level: AreaLevel;
  name: string;
  parentCode: string | null;
  lon: number | null;
  lat: number | null;
  bbox: Extent | null;
}

export interface GridRow {
  code: string;
  name: string;
  /** The community the grid belongs to (its parents follow from it), else the street, else the district. */
  parentCode: string | null;
  lon: number;
  lat: number;
  bbox: Extent;
}

export interface CenterRow {
  id: number;
  name: string;
  kind: string;
  lon: number;
  lat: number;
  /** The lowest unit of the grid the center lies in; null outside every grid. */
  parentCode: string | null;
}

export type MatchClass = 'exact' | 'prefix' | 'substring';
const CLASSES: readonly MatchClass[] = ['exact', 'prefix', 'substring'];

export interface SearchHit extends SearchEntry {
  match: MatchClass;
}

export interface SearchIndex {
  readonly entries: readonly SearchEntry[];
  /** Folded names and codes, by entry. */
  readonly names: readonly string[];
  readonly codes: readonly string[];
  /**
   * Where an entry's name and its code stand in the ranking within a match
   * class (by length, level, the text itself, then name and code), worked
   * out once: a query's order is then its match class and one of these.
   */
  readonly nameRank: Int32Array;
  readonly codeRank: Int32Array;
  /** The entry of each rank (ranks 0 .. 2 * entries - 1). */
  readonly entryOfRank: Int32Array;
}

export interface SearchOptions {
  /** Most results returned. */
  limit: number;
  /** Only these types; all when absent. */
  types?: readonly SearchType[];
}

/** The text as matching sees it: NFKC (full-width letters and digits as ASCII), lower case. */
export function foldText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Characters, not UTF-16 units: what "64 characters" counts. */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

const LEVEL_RANK: Record<SearchType, number> = { district: 0, street: 1, community: 2, grid: 3, center: 4 };

/** The chain of admin units from `code` up, district first, the city left out. */
function parentsOf(code: string | null, areas: ReadonlyMap<string, AreaRow>): Parent[] {
  const chain: Parent[] = [];
  // Bounded by the number of units, so a cycle in bad data cannot loop.
  for (let area = code === null ? undefined : areas.get(code), n = 0; area && n <= areas.size; area = area.parentCode === null ? undefined : areas.get(area.parentCode), n++) {
    if (area.level !== 'city') chain.unshift({ type: area.level, code: area.code, name: area.name });
  }
  return chain;
}

const line = (parents: readonly Parent[]) => parents.map((p) => p.name).join(' ');

/** Entries for every area, grid and center, with their parents resolved through the admin units. */
export function buildSearchIndex(areas: readonly AreaRow[], grids: readonly GridRow[], centers: readonly CenterRow[]): SearchIndex {
  const byCode = new Map(areas.map((a) => [a.code, a]));
  const entries: SearchEntry[] = [];
  for (const a of areas) {
    if (a.level === 'city') continue;
    const parents = parentsOf(a.parentCode, byCode);
    const city = a.parentCode === null ? undefined : byCode.get(a.parentCode);
    const context = a.level === 'district' ? (city?.level === 'city' ? city.name : '') : line(parents);
    entries.push({ type: a.level, code: a.code, name: a.name, parents, context, kind: null, lon: a.lon, lat: a.lat, bbox: a.bbox });
  }
  for (const g of grids) {
    const parents = parentsOf(g.parentCode, byCode);
    entries.push({ type: 'grid', code: g.code, name: g.name, parents, context: line(parents), kind: null, lon: g.lon, lat: g.lat, bbox: g.bbox });
  }
  for (const c of centers) {
    const parents = parentsOf(c.parentCode, byCode);
    const kindName = LIFE_CIRCLE_STANDARD.kindByName.get(c.kind)?.nameZh ?? c.kind;
    const context = parents.length > 0 ? `${kindName} · ${line(parents)}` : kindName;
    entries.push({ type: 'center', code: String(c.id), name: c.name, parents, context, kind: c.kind, lon: c.lon, lat: c.lat, bbox: null });
  }
  return { entries, names: entries.map((e) => foldText(e.name)), codes: entries.map((e) => foldText(e.code)), ...rankTexts(entries) };
}

/** Ranks every entry's name and code together (see SearchIndex): 2 * entries ranks. */
function rankTexts(entries: readonly SearchEntry[]): Pick<SearchIndex, 'nameRank' | 'codeRank' | 'entryOfRank'> {
  const n = entries.length;
  // Text t < n is entry t's name, t >= n entry t - n's code.
  const textOf = (t: number) => (t < n ? entries[t]!.name : entries[t - n]!.code);
  const entryOf = (t: number) => entries[t < n ? t : t - n]!;
  const lengths = Int32Array.from({ length: 2 * n }, (_, t) => charCount(textOf(t)));
  const order = Array.from({ length: 2 * n }, (_, t) => t).sort(
    (a, b) =>
      lengths[a]! - lengths[b]! ||
      LEVEL_RANK[entryOf(a).type] - LEVEL_RANK[entryOf(b).type] ||
      byCodeUnit(textOf(a), textOf(b)) ||
      byCodeUnit(entryOf(a).name, entryOf(b).name) ||
      byCodeUnit(entryOf(a).code, entryOf(b).code) ||
      a - b,
  );
  const nameRank = new Int32Array(n);
  const codeRank = new Int32Array(n);
  const entryOfRank = new Int32Array(2 * n);
  order.forEach((t, rank) => {
    if (t < n) nameRank[t] = rank;
    else codeRank[t - n] = rank;
    entryOfRank[rank] = t < n ? t : t - n;
  });
  return { nameRank, codeRank, entryOfRank };
}

/** 0 exact, 1 prefix, 2 substring, 3 no match. */
function classOf(text: string, q: string): number {
  const at = text.indexOf(q);
  if (at < 0) return 3;
  if (at > 0) return 2;
  return text.length === q.length ? 0 : 1;
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The entries matching `q` (trimmed by the caller, not empty), best first,
 * at most `limit`, and how many match in all.
 */
export function searchEntries(index: SearchIndex, q: string, options: SearchOptions): { total: number; hits: SearchHit[] } {
  const folded = foldText(q);
  const wanted = new Set<SearchType>(options.types ?? SEARCH_TYPES);
  const { entries, names, codes, nameRank, codeRank, entryOfRank } = index;
  const ranks = 2 * entries.length;
  // One number per match: its class, then the rank of the text that matched (the name, unless the code matched better).
  const keys = new Int32Array(entries.length);
  let total = 0;
  for (let i = 0; i < entries.length; i++) {
    if (!wanted.has(entries[i]!.type)) continue;
    const byName = classOf(names[i]!, folded);
    const byCode = classOf(codes[i]!, folded);
    if (byName === 3 && byCode === 3) continue;
    keys[total++] = byName <= byCode ? byName * ranks + nameRank[i]! : byCode * ranks + codeRank[i]!;
  }
  const best = keys.subarray(0, total).sort();
  const hits: SearchHit[] = [];
  for (let k = 0; k < Math.min(total, options.limit); k++) {
    const key = best[k]!;
    hits.push({ ...entries[entryOfRank[key % ranks]!]!, match: CLASSES[Math.floor(key / ranks)]! });
  }
  return { total, hits };
}
