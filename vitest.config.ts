import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';

/**
 * The tests run as development, said explicitly: the top-level wrangler.toml is the
 * deployable (production) config. Secrets are pinned blank so a developer's `.dev.vars`
 * cannot change what the tests see; a test that needs one passes its own env.
 */
const TEST_VARS = {
  ENVIRONMENT: 'development',
  PUBLIC_URL: 'http://localhost:8787',
  MAIL_FROM: 'Gatehouse <no-reply@gatehouse.localhost>',
  MAIL_TRANSPORT: 'dev',
  CORS_ORIGINS: 'http://localhost:3000,http://localhost:5173',
  ENUMERATION_PROTECTION: 'false',
  JWT_PRIVATE_JWKS: '',
  MFA_ENCRYPTION_KEY: '',
  AUDIT_HASH_KEY: '',
  MAIL_HTTP_API_KEY: '',
  TURNSTILE_SECRET: '',
};

export default defineConfig(async () => {
  // Every test file gets a D1 migrated from the same SQL that wrangler applies.
  const migrations = await readD1Migrations(path.join(__dirname, 'migrations'));
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          // ROBUSTNESS_SEED / ROBUSTNESS_RUNS: a longer or different robustness run (test/robustness.*).
          bindings: { ...TEST_VARS, TEST_MIGRATIONS: migrations, ROBUSTNESS_SEED: process.env.ROBUSTNESS_SEED ?? '', ROBUSTNESS_RUNS: process.env.ROBUSTNESS_RUNS ?? '' },
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
