import type { Env } from '../env';
import type { Config } from '../config/config';
import type { Logger } from './log';
import type { AccessClaims } from '../tokens/claims';
import type { Staff } from '../admin/staff-member';
import type { RequestDatabase } from '../db/request-database';

/**
 * What middleware puts on the Hono context for the routes: one set for the whole app, so
 * every middleware and route shares one env type. The last ones exist only on the routes
 * whose middleware sets them.
 */
export interface AppVariables {
  requestId: string;
  config: Config;
  log: Logger;
  clientIp: string;
  /** Set by requireAuth (tokens/middleware.ts) on authenticated routes only. */
  auth: AccessClaims;
  /** Set on the admin API (admin/api-auth.ts) and the console (console/guard.ts) only. */
  staff: Staff;
  /** The console only: the CSRF token of the signed-in session, and the parsed form. */
  csrf: string;
  form: Record<string, string>;
  /** The IP limit's decision, when it runs alongside the first read (ratelimit/limit.ts limitByIpAlongside). */
  admission: Promise<void>;
  /** The request's D1 session (http/db-session.ts), opened on first use. */
  database: RequestDatabase;
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };
