import type { Env as WorkerEnv } from '../src/env';

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      TEST_MIGRATIONS: D1Migration[];
      // The Worker's own types win over worker-configuration.d.ts's generated Cloudflare.Env:
      // a missing mail binding is a case the tests build (and production refuses).
      MAILER?: WorkerEnv['MAILER'];
      MAIL_QUEUE: WorkerEnv['MAIL_QUEUE'];
      MIGRATION_TEST_DB: D1Database;
    }
    interface GlobalProps {
      mainModule: typeof import('../src/index');
      durableNamespaces: 'UserState' | 'RateLimiter';
    }
  }
}
