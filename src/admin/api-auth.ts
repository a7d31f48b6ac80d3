import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../http/errors';
import { clock } from '../clock';
import { requireAuth } from '../tokens';
import type { AppEnv } from '../http/context';
import { loadStaff } from './staff';

const REFUSALS = { signed_out: 'unauthorized', forbidden: 'forbidden', mfa_required: 'mfa_enrollment_required' } as const;

/**
 * Bearer token, then the account behind it must be staff right now with its session open:
 * 401 without a token or with a closed session, 403 for everyone else, and 403
 * mfa_enrollment_required for staff without two-factor when REQUIRE_ADMIN_MFA is on.
 */
export const staffFromToken: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { sub, sid } = c.get('auth');
  const found = await loadStaff(c.env, sub, sid, clock.now());
  if (!found.ok) throw new ApiError(REFUSALS[found.reason]);
  c.set('staff', found.staff);
  await next();
};

export const adminAuth = [requireAuth, staffFromToken] as const;
