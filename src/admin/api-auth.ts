import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../http/errors';
import { clock } from '../clock';
import { requireAuth } from '../tokens';
import type { AdminEnv } from './context';
import { loadStaff } from './staff';

/** Bearer token, then the account behind it must be staff right now: 401 without a token, 403 for everyone else. */
export const staffFromToken: MiddlewareHandler<AdminEnv> = async (c, next) => {
  const { sub, sid } = c.get('auth');
  const found = await loadStaff(c.env, sub, sid, clock.now());
  if (!found.ok) throw new ApiError(found.reason === 'signed_out' ? 'unauthorized' : 'forbidden');
  c.set('staff', found.staff);
  await next();
};

export const adminAuth = [requireAuth as unknown as MiddlewareHandler<AdminEnv>, staffFromToken] as const;
