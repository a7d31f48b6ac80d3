import type { Env } from '../env';
import { getConfig } from '../config/config';
import { checkSession } from '../sessions/liveness';
import { isStaffRole } from './permissions';
import type { Staff } from './context';

export type StaffLookup = { ok: true; staff: Staff } | { ok: false; reason: 'forbidden' | 'signed_out' | 'mfa_required' };

/**
 * Who is asking, checked on every request rather than trusted from a token or cookie:
 * the account must be live, active and staff now, and its session still open (the one
 * session check every state-changing route uses), so a demotion, deactivation or "sign
 * out everywhere" ends admin access at once. With REQUIRE_ADMIN_MFA, staff without
 * two-factor are not served until they enrol.
 */
export async function loadStaff(env: Env, userId: string, sessionId: string, now: number): Promise<StaffLookup> {
  const check = await checkSession(env, userId, sessionId, now);
  if (!check.ok) return { ok: false, reason: check.reason === 'signed_out' ? 'signed_out' : 'forbidden' };
  const { user } = check;
  if (!isStaffRole(user.role)) return { ok: false, reason: 'forbidden' };
  if (getConfig(env).requireAdminMfa && !user.mfaEnabled) return { ok: false, reason: 'mfa_required' };
  return { ok: true, staff: { id: user.id, email: user.email, role: user.role, sessionId } };
}
