/**
 * Conditional GETs: whether If-None-Match names a representation the client
 * already has. RFC 9110 compares If-None-Match weakly: `W/"x"` matches `"x"`,
 * and `*` matches anything.
 */

/** True when the header lists `*` or an entity tag whose opaque part is one of `opaques`. */
export function ifNoneMatchHas(header: string | undefined, opaques: readonly string[]): boolean {
  if (!header) return false;
  for (const raw of header.split(',')) {
    const tag = raw.trim();
    if (tag === '*') return true;
    if (opaques.includes(tag.replace(/^W\//, '').replace(/^"|"$/g, ''))) return true;
  }
  return false;
}
