/**
 * Locates the real-world data sets that live outside the repo in
 * ../shared/data (too big to commit). On a developer machine without them the
 * tests that need them skip loudly instead of failing; in CI, where the data
 * must be present, REQUIRE_SHARED_DATA=1 turns a missing file into a failure
 * so a broken data mount cannot pass as a green run of skipped tests.
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

/** test/shared-data.ts -> <repo>/test -> <repo> -> ../shared/data */
const SHARED_DATA_ROOT = new URL('../../shared/data/', import.meta.url);

export function sharedDataRequired(): boolean {
  return process.env.REQUIRE_SHARED_DATA === '1';
}

function resolveShared(relative: string): string {
  return fileURLToPath(new URL(relative, SHARED_DATA_ROOT));
}

/**
 * Absolute path of `relative` under shared/data (e.g. 'osm/monaco.osm.pbf'),
 * or undefined when it is missing; throws instead when REQUIRE_SHARED_DATA=1.
 */
export function sharedDataPath(relative: string): string | undefined {
  const path = resolveShared(relative);
  if (existsSync(path)) return path;
  if (sharedDataRequired()) throw new Error(`shared data file missing: ${path} (REQUIRE_SHARED_DATA=1)`);
  return undefined;
}

export interface SharedData {
  /** Absolute path, whether or not the file exists. */
  path: string;
  exists: boolean;
  /** Tests using this file should skip: it is missing and not required. */
  skip: boolean;
}

/** Like sharedDataPath but never throws, for use at test-collection time; warns when the file is missing. */
export function sharedData(relative: string): SharedData {
  const path = resolveShared(relative);
  const exists = existsSync(path);
  const required = sharedDataRequired();
  if (!exists) {
    console.warn(`shared data file missing: ${path}${required ? ' (REQUIRE_SHARED_DATA=1: tests will fail)' : ' (tests skipped)'}`);
  }
  return { path, exists, skip: !exists && !required };
}

function missingMessage(files: SharedData[]): string {
  return `missing shared data: ${files.filter((f) => !f.exists).map((f) => f.path).join(', ')}`;
}

/**
 * describe() for tests that need shared data: runs when all files exist,
 * skips with the reason in its name when one is missing, and with
 * REQUIRE_SHARED_DATA=1 replaces the suite with one failing test.
 */
export function describeWithData(name: string, files: SharedData | SharedData[], body: () => void): void {
  const list = Array.isArray(files) ? files : [files];
  if (list.every((f) => f.exists)) {
    describe(name, body);
  } else if (sharedDataRequired()) {
    describe(name, () => {
      it('has its shared data files', () => {
        throw new Error(`${missingMessage(list)} (REQUIRE_SHARED_DATA=1)`);
      });
    });
  } else {
    describe.skip(`${name} (${missingMessage(list)})`, body);
  }
}
