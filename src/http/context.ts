import type { Env } from '../env';
import type { Config } from '../config/config';
import type { Logger } from './log';

/** What middleware puts on the Hono context for the routes. */
export interface AppVariables {
  requestId: string;
  config: Config;
  log: Logger;
  clientIp: string;
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };
