/**
 * Serves the MapLibre client: `client/` (its pages: index.html at `/`,
 * embed.html at `/embed`, developers.html at `/developers`; every file
 * under `/client/`) and MapLibre's dist files from node_modules under
 * `/vendor/`, so `npm start` serves a working map with no build step and no
 * CDN.
 *
 * Path traversal is impossible by construction: the servable files are a
 * whitelist built once at start (the plain files directly inside `client/`
 * with a known extension, and a fixed list of vendor files), and a request
 * is answered only when its last path segment equals one of those names.
 * Nothing from the URL ever reaches the file system.
 *
 * Every page goes out with the page's security headers (a same-origin
 * Content-Security-Policy and friends, http/security-headers.ts); /embed's
 * differ in one point: any site may frame it (that is what it is for).
 *
 * The first view fetches one script of ours: each page's module script
 * (`/client/app.js` for `/`) goes out bundled with every module it imports
 * (client-bundles.ts, made in memory at start by main.ts, else when the page
 * is first asked for); the plain modules stay servable by name, for the
 * bundle's source map and for anyone who wants one.
 *
 * Caching: the pages and the client modules are `no-cache` with an ETag
 * (small, and edits must show on reload; a revisit costs one 304 each, all
 * at once thanks to the preloads); vendor files are cached for a year
 * because the pages reference them with the package version in the query,
 * so an upgrade changes their URL.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Hono, type Context } from 'hono';
import { CLIENT_PAGE_HEADERS, EMBED_PAGE_HEADERS } from '../http/security-headers.ts';
import { silentLogger, type Logger } from '../logger.ts';
import { clientBundler, type ClientBundler } from './client-bundles.ts';
import { developerExample } from './developer-example.ts';
import { publicOrigin } from '../http/public-origin.ts';

/** Content types by file extension; files with other extensions are never served. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** MapLibre's dist files served under /vendor/. */
const VENDOR_FILES = ['maplibre-gl.js', 'maplibre-gl.css', 'maplibre-gl.js.map'];

/** Revalidate every time (ETag makes that a 304). */
const NO_CACHE = 'no-cache';
/** Versioned URLs: a year, never revalidated. */
const LONG_CACHE = 'public, max-age=31536000, immutable';

/** Smaller files go out as they are: gzip would save less than its header costs. */
const MIN_GZIP_BYTES = 1024;

/** Text types worth gzipping; images are compressed already. */
const COMPRESSIBLE = /^(text\/|application\/json|image\/svg)/;

/** The pages' placeholder for the MapLibre version (cache-busting query of the vendor URLs). */
const VERSION_PLACEHOLDER = /__MAPLIBRE_VERSION__/g;

/** The pages: path, file in client/ and the headers it goes out with. */
const PAGES: readonly { path: string; file: string; headers: Readonly<Record<string, string>> }[] = [
  { path: '/', file: 'index.html', headers: CLIENT_PAGE_HEADERS },
  { path: '/index.html', file: 'index.html', headers: CLIENT_PAGE_HEADERS },
  { path: '/embed', file: 'embed.html', headers: EMBED_PAGE_HEADERS },
  { path: '/developers', file: 'developers.html', headers: CLIENT_PAGE_HEADERS },
];

/** A module script of a page, `<script type="module" src="/client/x.js"></script>`: its entry is served bundled. */
const MODULE_SCRIPT = /<script type="module" src="\/client\/([\w.-]+\.js)"><\/script>/g;

export interface ClientAssetRoutesOptions {
  /** The client folder; default `<repo>/client`. */
  clientDir?: string;
  /** MapLibre's dist folder; default resolved from node_modules. */
  vendorDir?: string;
  /** Where a bundle that cannot be built is reported. */
  logger?: Pick<Logger, 'warn'>;
  /** Bundle every page's script now, not when its page is first asked for (default false). */
  bundleAtStart?: boolean;
}

/** One servable file, read once: bytes, its gzipped copy (made at start), type, ETag and cache policy. */
interface StaticFile {
  body: Bytes;
  /** Text big enough for gzip to pay. */
  gzippable: boolean;
  gzipped?: Promise<Bytes | undefined>;
  type: string;
  etag: string;
  cacheControl: string;
}

/** Bytes a Response body accepts (an ArrayBuffer-backed view, which Node's Buffer type does not promise). */
type Bytes = Uint8Array<ArrayBuffer>;

/** A copy of a Buffer as plain bytes; files are read once at start, so the copy costs nothing per request. */
const bytes = (buffer: Uint8Array): Bytes => new Uint8Array(buffer);

function defaultClientDir(): string {
  return fileURLToPath(new URL('../../client/', import.meta.url));
}

/** MapLibre's package folder's dist, found the way Node resolves the package. */
function defaultVendorDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('maplibre-gl'));
}

function maplibreVersion(vendorDir: string): string {
  const pkg = JSON.parse(readFileSync(path.join(vendorDir, '..', 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0';
}

const gzipAsync = promisify(gzip);

/**
 * A servable file. Text worth it is gzipped at once, off the event loop (in
 * libuv's pool): MapLibre's 1 MB script took 50 to 300 ms to compress
 * in-line on the first request after a start, holding up every other
 * request of that first view.
 */
function staticFile(body: Bytes, name: string, cacheControl: string): StaticFile {
  const type = CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream';
  const etag = `"${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"`;
  const file: StaticFile = { body, type, etag, cacheControl, gzippable: COMPRESSIBLE.test(type) && body.byteLength > MIN_GZIP_BYTES };
  // Source maps (6 MB) only when a developer's tools ask.
  if (!name.endsWith('.map')) gzipped(file);
  return file;
}

/** The file's gzipped copy, made once (undefined when not worth it, or should gzip fail). */
function gzipped(file: StaticFile): Promise<Bytes | undefined> {
  if (!file.gzippable) return Promise.resolve(undefined);
  file.gzipped ??= gzipAsync(file.body).then(bytes, () => undefined);
  return file.gzipped;
}

/** A page as served: the vendor version filled in. */
function preparePage(html: string, version: string): string {
  return html.replace(VERSION_PLACEHOLDER, version);
}

/** The module script entries of a page (file names in the client folder). */
function pageEntries(html: string): string[] {
  return [...html.matchAll(MODULE_SCRIPT)].map((match) => match[1]!);
}

/**
 * The plain files directly inside `dir` with a known extension (the client
 * whitelist), and each page's module script entries that are among them.
 */
function readClientFiles(dir: string, version: string): { files: Map<string, StaticFile>; entries: Map<string, string[]> } {
  const names = readdirSync(dir).filter((name) => path.extname(name) in CONTENT_TYPES && !name.startsWith('.') && statSync(path.join(dir, name)).isFile());
  const files = new Map<string, StaticFile>();
  const entries = new Map<string, string[]>();
  for (const name of names) {
    const full = path.join(dir, name);
    if (!name.endsWith('.html')) {
      files.set(name, staticFile(bytes(readFileSync(full)), name, NO_CACHE));
      continue;
    }
    // Pages name the vendor files with MapLibre's version, so their long cache ends with an upgrade.
    const html = readFileSync(full, 'utf8');
    files.set(name, staticFile(bytes(Buffer.from(preparePage(html, version))), name, NO_CACHE));
    entries.set(name, pageEntries(html).filter((entry) => names.includes(entry)));
  }
  return { files, entries };
}

/** An entry's bundle as servable files (script and source map), made once; undefined when it could not be built. */
type BundledFiles = (entry: string) => Promise<{ js: StaticFile; map: StaticFile } | undefined>;

function bundledFiles(bundler: ClientBundler): BundledFiles {
  const made = new Map<string, ReturnType<BundledFiles>>();
  return (entry) => {
    let files = made.get(entry);
    if (!files) {
      files = bundler(entry).then((bundle) => bundle && { js: staticFile(bytes(bundle.js), entry, NO_CACHE), map: staticFile(bytes(bundle.map), `${entry}.map`, NO_CACHE) });
      made.set(entry, files);
    }
    return files;
  };
}

function readVendorFiles(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of VENDOR_FILES) {
    const full = path.join(dir, name);
    try {
      files.set(name, staticFile(bytes(readFileSync(full)), name, LONG_CACHE));
    } catch {
      // The source map is optional; the JS and CSS are checked below.
    }
  }
  for (const required of ['maplibre-gl.js', 'maplibre-gl.css']) {
    if (!files.has(required)) throw new Error(`client: ${path.join(dir, required)} is missing; run npm ci to install maplibre-gl`);
  }
  return files;
}

function acceptsGzip(c: Context): boolean {
  return /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
}

/**
 * Answers one whitelisted file: 304 on a matching ETag, gzip when asked and
 * worth it. A page goes out with `pageHeaders` (default: the client page's).
 */
async function sendFile(c: Context, file: StaticFile, pageHeaders: Readonly<Record<string, string>> = CLIENT_PAGE_HEADERS): Promise<Response> {
  const headers: Record<string, string> = {
    'content-type': file.type,
    'cache-control': file.cacheControl,
    etag: file.etag,
    'x-content-type-options': 'nosniff',
    vary: 'accept-encoding',
    // The page's policy: scripts, styles, workers and data from this origin only (http/security-headers.ts).
    ...(file.type.startsWith('text/html') ? pageHeaders : {}),
  };
  if (c.req.header('if-none-match') === file.etag) return new Response(null, { status: 304, headers });
  const compressed = acceptsGzip(c) ? await gzipped(file) : undefined;
  if (compressed) return new Response(compressed, { status: 200, headers: { ...headers, 'content-encoding': 'gzip' } });
  return new Response(file.body, { status: 200, headers });
}

/**
 * GET the pages (`/`, `/index.html`, `/embed`, `/developers`), the
 * developers' runnable example (`/developers/example.html`),
 * `/client/{file}` and `/vendor/{file}`; anything else falls through to the
 * app's 404. A page whose file is missing is not served (only index.html
 * must be there).
 */
export function clientAssetRoutes(options: ClientAssetRoutesOptions = {}): Hono {
  const vendorDir = options.vendorDir ?? defaultVendorDir();
  const version = maplibreVersion(vendorDir);
  const clientDir = options.clientDir ?? defaultClientDir();
  const { files: client, entries: entriesOf } = readClientFiles(clientDir, version);
  const vendor = readVendorFiles(vendorDir);
  if (!client.has('index.html')) throw new Error(`client: ${path.join(clientDir, 'index.html')} is missing`);
  const bundles = bundledFiles(clientBundler(clientDir, options.logger ?? silentLogger));
  // Every page's module script entry is served as its bundle.
  const entries = new Set([...entriesOf.values()].flat());
  if (options.bundleAtStart) for (const entry of entries) void bundles(entry);

  const app = new Hono();
  for (const page of PAGES) {
    const file = client.get(page.file);
    if (!file) continue;
    app.get(page.path, (c) => {
      // Started now, ready when the browser asks for the script a moment later.
      for (const entry of entriesOf.get(page.file) ?? []) void bundles(entry);
      return sendFile(c, file, page.headers);
    });
  }
  // Made per request: the example names this server by the address its reader used (as the TileJSONs do).
  app.get('/developers/example.html', (c) => {
    const example = developerExample({ origin: publicOrigin(c), maplibreVersion: version, language: c.req.query('lang') });
    return c.body(example.html, 200, { ...CLIENT_PAGE_HEADERS, 'content-security-policy': example.csp, 'content-type': CONTENT_TYPES['.html']!, 'cache-control': NO_CACHE });
  });
  // Map lookups by exact name: '..', encoded slashes or dots never match a whitelisted name.
  app.get('/client/:name', async (c) => {
    const name = c.req.param('name');
    const entry = name.endsWith('.js.map') ? name.slice(0, -'.map'.length) : name;
    if (entries.has(entry)) {
      const bundled = await bundles(entry);
      if (bundled) return sendFile(c, entry === name ? bundled.js : bundled.map);
    }
    const file = client.get(name);
    return file ? sendFile(c, file) : c.notFound();
  });
  app.get('/vendor/:name', (c) => {
    const file = vendor.get(c.req.param('name'));
    return file ? sendFile(c, file) : c.notFound();
  });
  return app;
}
