// npm run ingest: runs data-pipeline/ingest-cli.ts from a bundle compiled
// with esbuild (dist/cli/ingest.mjs), rebuilt whenever a source file is newer.
// Why: loading TypeScript through tsx costs ~0.45 s at every start, more than
// reading and building a small city; the bundle starts in ~0.1 s. The bundle
// sits two folders deep like server/db/migrate.ts, so its import.meta.url
// finds sql/migrations the same way.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = path.join(root, 'data-pipeline/ingest-cli.ts');
const bundle = path.join(root, 'dist/cli/ingest.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    if (item.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (item.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

const stale =
  !existsSync(bundle) ||
  Math.max(newestSource(path.join(root, 'data-pipeline')), newestSource(path.join(root, 'server'))) > statSync(bundle).mtimeMs;
if (stale) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [entry],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external', // node_modules load as usual
    logLevel: 'warning',
  });
}
await import(pathToFileURL(bundle).href);
