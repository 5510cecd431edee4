/**
 * Security headers: the client page's policy (only its own origin may supply
 * its scripts, styles, images, workers and data; no one may frame it but
 * itself) and `nosniff` on every answer, so a browser never reads a JSON
 * error or a tile as HTML or script whatever its bytes look like.
 *
 * The client page is one HTML file with no inline script or style element;
 * MapLibre runs its workers from blob: URLs and draws images from data: and
 * blob: URLs, hence those two sources. The one allowance beyond the origin is
 * `style-src-attr 'unsafe-inline'`: the panel sizes its coverage bars and
 * colours its legend swatches with style attributes (client/panel.js). That
 * admits inline style *attributes* only (no <style> elements, no style
 * sheets from elsewhere), and the panel builds its DOM with textContent, so
 * no text from the API becomes markup.
 */
import type { MiddlewareHandler } from 'hono';

/** The client page's Content-Security-Policy. */
export const CLIENT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/**
 * The embeddable map's policy (/embed): the client page's, except that any
 * site may frame it. Other apps show our map in an iframe; the page holds
 * no controls that change data (it only reads tiles and isochrones, which
 * any origin may read anyway), so being framed by a stranger exposes
 * nothing a clickjacker could use. The main page keeps `frame-ancestors
 * 'self'`: a planner signed in there can add and remove centers.
 */
export const EMBED_CSP = CLIENT_CSP.replace("frame-ancestors 'self'", 'frame-ancestors *');

/** Headers for the client's HTML page. */
export const CLIENT_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CLIENT_CSP,
  'x-content-type-options': 'nosniff',
  // The page's URL (with its map position) stays on this site.
  'referrer-policy': 'same-origin',
  // For browsers without frame-ancestors.
  'x-frame-options': 'SAMEORIGIN',
  // A page this one opens cannot reach back into it (window.opener).
  'cross-origin-opener-policy': 'same-origin',
};

/** Middleware: `X-Content-Type-Options: nosniff` on every answer that lacks it. */
export function noSniff(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (!c.res.headers.has('x-content-type-options')) c.res.headers.set('x-content-type-options', 'nosniff');
  };
}

/**
 * Headers for the embeddable map (/embed): the client page's with any
 * framer allowed (EMBED_CSP). No X-Frame-Options: it has no "any origin"
 * value, and browsers that know frame-ancestors ignore it anyway.
 */
export const EMBED_PAGE_HEADERS: Readonly<Record<string, string>> = Object.fromEntries([
  ...Object.entries(CLIENT_PAGE_HEADERS).filter(([name]) => name !== 'x-frame-options'),
  ['content-security-policy', EMBED_CSP],
]);
