import type { MiddlewareHandler } from 'hono';
import { eq } from 'drizzle-orm';
import type { AppEnv } from '../http/context';
import { ApiError } from '../http/errors';
import { dbOf } from '../http/db-session';
import { profiles } from '../db/schema';

/** After requireLiveSession on every social write: a suspended account reads but does not act (403). */
export const requireNotSuspended: MiddlewareHandler<AppEnv> = async (c, next) => {
  const [row] = await dbOf(c).select({ suspended: profiles.isSuspended }).from(profiles).where(eq(profiles.userId, c.get('auth').sub)).limit(1);
  if (row?.suspended) throw new ApiError('account_suspended');
  await next();
};
