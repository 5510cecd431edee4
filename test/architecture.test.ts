/**
 * The seams of the code base, checked from the source (docs/architecture.md
 * says why they are there):
 * - server/ and data-pipeline/ never import each other; what both need is in
 *   kernel/, which imports neither. Only the two entry points (server/main.ts
 *   and data-pipeline/ingest-cli.ts) may reach across.
 * - Every HTTP route is mounted through defineRoute (http/define-route.ts),
 *   so every route has a schema and is in the OpenAPI document; the only
 *   other routes are the client's static files and the tiles' CORS
 *   middleware.
 * - Only server/http/ turns errors into statuses: nothing below it builds
 *   an HttpError or an error body.
 * - No module outside the tests is longer than MAX_MODULE_LINES.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY_POINTS = new Set(['server/main.ts', 'data-pipeline/ingest-cli.ts']);
/** Longest non-test module, lines (issue 8: "no non-test module over about 400 lines"). */
const MAX_MODULE_LINES = 400;

/** Repository-relative paths of the source files under `dir`. */
function sourceFiles(dir: string, pattern = /\.(ts|js|mjs)$/): string[] {
  const out: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(ROOT, relative), { withFileTypes: true })) {
      const child = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (pattern.test(entry.name)) out.push(child);
    }
  };
  walk(dir);
  return out;
}

/** The repository-relative files a module imports (static, dynamic and re-exports), relative specifiers only. */
function importsOf(file: string, text = readFileSync(path.join(ROOT, file), 'utf8')): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g)) {
    found.push(path.posix.normalize(path.posix.join(path.posix.dirname(file), m[2]!)));
  }
  return found;
}

/** Imports that cross the server/data-pipeline seam or leave the kernel, as "file -> import". */
function seamViolations(files: readonly string[], read: (file: string) => string): string[] {
  const area = (file: string) => file.split('/')[0]!;
  const violations: string[] = [];
  for (const file of files) {
    const from = area(file);
    for (const target of importsOf(file, read(file))) {
      const to = area(target);
      const crosses = (from === 'server' && to === 'data-pipeline') || (from === 'data-pipeline' && to === 'server');
      // Tests may share the fixtures in test/; kernel modules depend on nothing else.
      const kernelLeaks = from === 'kernel' && to !== 'kernel' && !(file.endsWith('.test.ts') && to === 'test');
      if ((crosses && !ENTRY_POINTS.has(file)) || kernelLeaks) violations.push(`${file} -> ${target}`);
    }
  }
  return violations;
}

const readSource = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

describe('architecture', () => {
  const server = sourceFiles('server');
  const pipeline = sourceFiles('data-pipeline');
  const kernel = sourceFiles('kernel');

  it('keeps server/ and data-pipeline/ apart (but for the entry points) and the kernel on its own', () => {
    expect(server.length).toBeGreaterThan(50);
    expect(pipeline.length).toBeGreaterThan(30);
    expect(seamViolations([...server, ...pipeline, ...kernel], readSource)).toEqual([]);
  });

  it('would notice an import across the seam, a dynamic one too', () => {
    const fake: Record<string, string> = {
      'server/tiles/x.ts': "import { writeBundle } from '../../data-pipeline/write-bundle.ts';",
      'data-pipeline/osm/y.ts': "const m = await import('../../server/routing/search/snap.ts');",
      'kernel/z.ts': "export { readDataState } from '../server/db/open-database.ts';",
      'server/main.ts': "import { buildDemoCity } from '../data-pipeline/build-demo-city.ts';",
      'server/ok.ts': "import { haversineM } from '../kernel/geo.ts';",
    };
    expect(seamViolations(Object.keys(fake), (f) => fake[f]!)).toEqual([
      'server/tiles/x.ts -> data-pipeline/write-bundle.ts',
      'data-pipeline/osm/y.ts -> server/routing/search/snap.ts',
      'kernel/z.ts -> server/db/open-database.ts',
    ]);
  });

  it('mounts every route through defineRoute, so every route has a schema', () => {
    // Hono's own ways to mount a handler on a path; define-route.ts is the one module that may call them.
    const direct = /\.(get|post|put|patch|delete|all)\(\s*['"`]\/|\.on\(\s*\[?\s*['"`][A-Za-z]+['"`]\s*,?\s*\]?\s*,\s*['"`]\//;
    const allowed = new Set(['server/http/define-route.ts', 'server/client-assets/client-asset-routes.ts']);
    const offenders = server.filter((file) => !file.endsWith('.test.ts') && !allowed.has(file) && direct.test(readSource(file)));
    expect(offenders).toEqual([]);
    const routeModules = server.filter((file) => file.endsWith('-routes.ts') && file !== 'server/client-assets/client-asset-routes.ts');
    expect(routeModules.length).toBeGreaterThan(6);
    for (const file of routeModules) expect(readSource(file), file).toContain('defineRoute(');
  });

  it('turns errors into statuses only in server/http/', () => {
    const outside = server.filter((file) => !file.startsWith('server/http/') && !file.endsWith('.test.ts'));
    const offenders = outside.filter((file) => /new HttpError\(|errorBody\(|HTTPException/.test(readSource(file)));
    // Routes may say "no such path" for a segment that does not fit their template; nothing else.
    expect(offenders.filter((file) => !/new HttpError\('not_found'/.test(readSource(file)) || /errorBody\(|HTTPException/.test(readSource(file)))).toEqual([]);
    for (const file of [...kernel, ...pipeline]) expect(readSource(file), file).not.toMatch(/server\/http\//);
  });

  it(`has no module over ${MAX_MODULE_LINES} lines outside the tests`, () => {
    // The string tables (client/locale-*.js) are data, one file per language as the client issue asks: they grow with the UI.
    const modules = [...server, ...pipeline, ...kernel, ...sourceFiles('client', /\.js$/)].filter((file) => !file.endsWith('.test.ts') && !/^client\/locale-[\w-]+\.js$/.test(file));
    const long = modules
      .map((file) => ({ file, lines: readSource(file).split('\n').length }))
      .filter(({ lines }) => lines > MAX_MODULE_LINES)
      .map(({ file, lines }) => `${file}: ${lines}`);
    expect(long).toEqual([]);
  });
});
