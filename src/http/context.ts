import type { Env } from '../env';
import type { Config } from '../config/config';
import type { Logger } from './log';
import type { AccessClaims } from '../tokens/claims';

/** What middleware puts on the Hono context for the routes. */
export interface AppVariables {
  requestId: string;
  config: Config;
  log: Logger;
  clientIp: string;
  /** Set by requireAuth (tokens/middleware.ts) on authenticated routes only. */
  auth: AccessClaims;
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };
