// Test runner settings. Storage tests run against PGlite always and against a
// PostGIS server when DATABASE_URL or TEST_DATABASE_URL is set; the two share
// one machine with 2 cores, so files run in few workers and get long timeouts
// (PGlite's first start with PostGIS takes 10-15 s).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['kernel/**/*.test.ts', 'server/**/*.test.ts', 'data-pipeline/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
