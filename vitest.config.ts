import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';

export default defineConfig(async () => {
  // Every test file gets a D1 migrated from the same SQL that wrangler applies.
  const migrations = await readD1Migrations(path.join(__dirname, 'migrations'));
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          // ROBUSTNESS_SEED / ROBUSTNESS_RUNS: a longer or different robustness run (test/robustness.*).
          bindings: { TEST_MIGRATIONS: migrations, ROBUSTNESS_SEED: process.env.ROBUSTNESS_SEED ?? '', ROBUSTNESS_RUNS: process.env.ROBUSTNESS_RUNS ?? '' },
        },
      }),
    ],
    test: {
      include: ['test/**/*.test.ts'],
      setupFiles: ['./test/setup/apply-migrations.ts'],
      // oathtool behind a local HTTP port, for the MFA tests (the Workers pool cannot spawn it).
      globalSetup: ['./test/setup/oathtool.ts'],
      testTimeout: 30_000,
      // Structured request logs only for failing tests.
      silent: 'passed-only' as const,
      hookTimeout: 30_000,
    },
  };
});
