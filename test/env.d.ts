import type { Env as WorkerEnv } from '../src/env';

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      TEST_MIGRATIONS: D1Migration[];
      MIGRATION_TEST_DB: D1Database;
    }
    interface GlobalProps {
      mainModule: typeof import('../src/index');
      durableNamespaces: 'UserState' | 'RateLimiter';
    }
  }
}
