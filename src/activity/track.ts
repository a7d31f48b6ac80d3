import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/context';
import { afterResponse } from '../http/after-response';
import { clock } from '../clock';
import { dbOf } from '../http/db-session';
import { claimLastActiveWrite, recordLastActive } from './last-active';

/**
 * last_active for every authenticated request, off the response path: after the route
 * has answered, an isolate-local memo says whether this user's write is due (at most one
 * a minute per isolate), and the write itself runs in waitUntil with a condition that
 * holds across isolates (recordLastActive). Only answered requests count: a refused one
 * (4xx, 5xx) changes nothing, as bad input never does.
 */
export const trackLastActive: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const auth = c.get('auth');
  if (!auth || c.res.status >= 400) return;
  const now = clock.now();
  if (!claimLastActiveWrite(auth.sub, now)) return;
  const db = dbOf(c);
  afterResponse(c, 'last_active', async () => void (await recordLastActive(db, auth.sub, auth.sid, now)));
};
