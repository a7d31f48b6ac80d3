import type { Context } from 'hono';
import type { Env } from '../env';
import { getConfig, type Config } from '../config/config';
import { createDb, type Db } from '../db/client';
import { clock } from '../clock';
import type { AppEnv } from './context';
import type { Logger } from './log';
import { requestMeta, type RequestMeta } from './request-meta';

/**
 * What a service needs from the request it serves, in one value instead of a row of
 * positional parameters: bindings, config, database, who is asking, the time the request
 * is judged at (the injectable clock), and the request's logger (it carries the request id).
 */
export interface RequestContext {
  env: Env;
  config: Config;
  db: Db;
  meta: RequestMeta;
  now: number;
  log: Logger;
}

/** The context of the request `c`, judged at `now` (the app clock by default). */
export function contextOf(c: Context<AppEnv>, now = clock.now()): RequestContext {
  return { env: c.env, config: getConfig(c.env), db: createDb(c.env.DB), meta: requestMeta(c), now, log: c.get('log') };
}
