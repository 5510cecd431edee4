/**
 * The demo city's bundle for tests in server/, which never import the
 * import pipeline themselves (docs/architecture.md): generated once per
 * test file and kept, since a generation takes a few seconds.
 */
import { generateDemoCity as generate } from '../data-pipeline/demo-city/generate-demo-city.ts';
import type { ImportBundle } from '../kernel/import-bundle.ts';

let bundle: ImportBundle | undefined;

/** The demo city with the default seed (the same bundle on every call in one test file). */
export function generateDemoCity(): ImportBundle {
  return (bundle ??= generate({}));
}
