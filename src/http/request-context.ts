import type { Context } from 'hono';
import type { Env } from '../env';
import { getConfig, type Config } from '../config/config';
import type { Db } from '../db/client';
import { dbOf, primaryDbOf } from './db-session';
import { clock } from '../clock';
import type { AppEnv } from './context';
import { errorSummary, type Logger } from './log';
import { requestMeta, type RequestMeta } from './request-meta';

/**
 * What a service needs from the request it serves, in one value instead of a row of
 * positional parameters: bindings, config, database, who is asking, the time the request
 * is judged at (the injectable clock), and the request's logger (it carries the request id).
 */
export interface RequestContext {
  env: Env;
  config: Config;
  /** The request's D1 session: reads may come from a replica (http/db-session.ts), writes go to the primary. */
  db: Db;
  /**
   * The D1 primary: what a sign-in reads when the object calls its row stale, or when
   * `db` has no such account (it may not have reached a replica yet): sign-in/fresh-account.ts.
   * The same handle as `db` when `db` starts at the primary (jobs; requests whose reads
   * decide writes; sign-in look-ups under enumeration protection).
   */
  primary: Db;
  meta: RequestMeta;
  now: number;
  log: Logger;
  /**
   * Runs `work` after the response has left (waitUntil), so the user does not wait for it;
   * a failure is logged with the request id. For writes the answer does not depend on and
   * that may be lost on a crash (a queue message the daily sweep would redo, a notice).
   */
  defer(label: string, work: () => Promise<unknown>): void;
  /**
   * Resolves once the request's rate limit admitted it; rejects with its 429. Absent
   * unless the route limits alongside its first read (limitByIpAlongside): then the
   * service awaits it together with that read, before any write or object call.
   */
  admitted?: Promise<void>;
}

/** The context of the request `c`, judged at `now` (the app clock by default). */
export function contextOf(c: Context<AppEnv>, now = clock.now()): RequestContext {
  const log = c.get('log');
  return {
    env: c.env,
    config: getConfig(c.env),
    db: dbOf(c),
    primary: primaryDbOf(c),
    meta: requestMeta(c),
    now,
    log,
    admitted: c.get('admission'),
    defer: (label, work) => c.executionCtx.waitUntil(work().catch((err: unknown) => log.error(`${label} failed`, errorSummary(err)))),
  };
}
