import os from 'node:os';
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

/**
 * wrangler.toml's consumers, but a batch leaves as soon as a message is in (no 1 s batch
 * window): a mail reaches the dev mailbox milliseconds after it is queued, so a test that
 * waits for one does not wait a second per hop. Retries, delays and the dead-letter queue
 * are as deployed. An entry here replaces wrangler's entry for the same queue whole.
 */
const TEST_QUEUE_CONSUMERS = {
  'gatehouse-mail': { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 5, retryDelay: 5, deadLetterQueue: 'gatehouse-mail-dlq' },
  'gatehouse-mail-dlq': { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 10 },
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
          queueConsumers: TEST_QUEUE_CONSUMERS,
          // An empty D1 that a migration test migrates step by step (test/migrations.*).
          d1Databases: { MIGRATION_TEST_DB: 'migration-test-db' },
          bindings: { ...TEST_VARS, TEST_MIGRATIONS: migrations, ROBUSTNESS_SEED: process.env.ROBUSTNESS_SEED ?? '', ROBUSTNESS_RUNS: process.env.ROBUSTNESS_RUNS ?? '' },
        },
      }),
    ],
    test: {
      // A capability with several case files (admin.*, mail.*, …) runs them from one
      // <capability>.test.ts that imports its <name>.cases.ts: each test file starts its own
      // workerd (about 2.5 s of CPU), so fewer files is most of what makes the suite fast.
      // Those case files share their group's storage; files that need storage of their own
      // (maintenance.*, tokens.dev-key) stay test files.
      include: ['test/**/*.test.ts'],
      setupFiles: ['./test/setup/apply-migrations.ts', './test/setup/fast-hashing.ts'],
      // oathtool behind a local HTTP port, for the MFA tests (the Workers pool cannot spawn it).
      globalSetup: ['./test/setup/oathtool.ts'],
      // Each test file gets its own workerd (isolated storage), which takes about 2 s to start,
      // and most tests wait on I/O more than they compute: vitest's default of one file at a
      // time on 2 cores (cores - 1) leaves a core idle. Measured on 12 files: 107 s -> 87 s.
      maxWorkers: Math.max(2, os.availableParallelism() - 1),
      testTimeout: 30_000,
      // Structured request logs only for failing tests.
      silent: 'passed-only' as const,
      hookTimeout: 30_000,
    },
  };
});
