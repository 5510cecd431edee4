// npm run ingest: runs data-pipeline/ingest-cli.ts from a bundle compiled
// with esbuild (dist/cli/ingest.mjs), rebuilt whenever a source file is newer.
// Why: loading TypeScript through tsx costs ~0.45 s at every start, more than
// reading and building a small city; the bundle starts in ~0.1 s. The bundle
// and its chunks sit two folders deep like server/db/migrate.ts, so
// import.meta.url finds sql/migrations the same way. pg is bundled in (its
// many small files took ~45 ms to load); modules imported on demand (the
// PGlite backend, the XML reader) become chunks loaded only when used.
// The bundle is also rebuilt when this script or package-lock.json (a new
// pg, say) is newer, or a JSON source (the living-circle standard, which the
// bundle inlines); it is built beside dist/cli and moved into place.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = path.join(root, 'data-pipeline/ingest-cli.ts');
const outdir = path.join(root, 'dist/cli');
const bundle = path.join(outdir, 'ingest.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    if (item.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (item.name.endsWith('.ts') || item.name.endsWith('.json')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

const stale =
  !existsSync(bundle) ||
  Math.max(
    newestSource(path.join(root, 'kernel')),
    newestSource(path.join(root, 'data-pipeline')),
    newestSource(path.join(root, 'server')),
    statSync(fileURLToPath(import.meta.url)).mtimeMs,
    existsSync(path.join(root, 'package-lock.json')) ? statSync(path.join(root, 'package-lock.json')).mtimeMs : 0,
  ) > statSync(bundle).mtimeMs;
if (stale) {
  const { build } = await import('esbuild');
  const staging = `${outdir}.${process.pid}`;
  await build({
    entryPoints: { ingest: entry },
    outdir: staging,
    bundle: true,
    splitting: true,
    chunkNames: '[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // PGlite loads its WASM and data files relative to its own modules, so it
    // stays in node_modules; pg-native is an optional driver we never use;
    // exceljs (CommonJS, ~0.5 s to load) is imported only for .xlsx files.
    external: ['@electric-sql/*', 'pg-native', 'esbuild', 'exceljs'],
    // pg probes for Cloudflare Workers by constructing a fetch Response, which
    // makes Node load its whole fetch implementation (~10 ms) in a process
    // that never fetches. The importer has no other use for Response.
    define: { Response: 'undefined' },
    // pg is CommonJS: give its require() calls a real require.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  // Swap in whole: no stale chunks from an older build stay beside the new ones.
  rmSync(outdir, { recursive: true, force: true });
  renameSync(staging, outdir);
}
await import(pathToFileURL(bundle).href);
