/**
 * Each page's module script (app.js, embed.js, developers.js) bundled with
 * every module it imports into one script, in memory, by esbuild: the first
 * view then fetches one script where it fetched some forty modules. On two
 * busy cores those forty queued on the browser's six connections behind
 * MapLibre's own script, which arrived at 0.94 s instead of 0.37 s and held
 * the page's DOMContentLoaded with it (a probe of the first view, this VM).
 *
 * No build step and nothing written: the asset routes have a bundle made
 * the first time it is needed (the page's request starts it, so it is ready
 * when the browser asks for the script; main.ts at start) and keep it for
 * the process, made from the files as they are at that moment, with a
 * linked source map (served beside it) whose sources are the plain
 * modules, which stay servable one by one. A bundle that cannot be
 * built (a syntax error in a module, an import of a missing file) is logged
 * and its entry goes out as the plain module it is: the browser then loads
 * its imports itself, slower but the same page.
 */
import path from 'node:path';
import { build } from 'esbuild';
import type { Logger } from '../logger.ts';

/** A bundled entry: the script and its source map, as bytes. */
export interface ClientBundle {
  js: Uint8Array;
  map: Uint8Array;
}

/** Builds the bundle of an entry (a file name directly inside the client folder); undefined, and logged, when it cannot be built. The caller keeps it. */
export type ClientBundler = (entry: string) => Promise<ClientBundle | undefined>;

export function clientBundler(clientDir: string, logger: Pick<Logger, 'warn'>): ClientBundler {
  return (entry) =>
    bundleEntry(clientDir, entry).catch((error: Error) => {
      logger.warn('client: serving the module unbundled, its bundle failed', { entry, error: error.message });
      return undefined;
    });
}

async function bundleEntry(clientDir: string, entry: string): Promise<ClientBundle> {
  const result = await build({
    entryPoints: [path.join(clientDir, entry)],
    bundle: true,
    format: 'esm',
    // Output named as the entry, in the client folder (nothing is written): the script's
    // sourceMappingURL is then `<entry>.map` beside it, and the map's sources the plain modules.
    outdir: clientDir,
    write: false,
    sourcemap: 'linked',
    logLevel: 'silent',
  });
  const js = result.outputFiles.find((file) => file.path.endsWith('.js'));
  const map = result.outputFiles.find((file) => file.path.endsWith('.js.map'));
  if (!js || !map) throw new Error(`esbuild gave no script or map for ${entry}`);
  return { js: js.contents, map: map.contents };
}
