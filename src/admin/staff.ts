import type { Env } from '../env';
import { createDb } from '../db/client';
import { findUserById } from '../users/queries';
import { userState } from '../state/user-state';
import { isStaffRole } from './permissions';
import type { Staff } from './context';

export type StaffLookup = { ok: true; staff: Staff } | { ok: false; reason: 'forbidden' | 'signed_out' };

/**
 * Who is asking, checked on every request rather than trusted from a token or cookie:
 * the account must be live, active and staff now, and its session still open, so a
 * demotion, deactivation or "sign out everywhere" ends admin access at once.
 */
export async function loadStaff(env: Env, userId: string, sessionId: string, now: number): Promise<StaffLookup> {
  const [user, session] = await Promise.all([
    findUserById(createDb(env.DB), userId),
    userState(env, userId).getSession(sessionId, now),
  ]);
  if (!user || !user.isActive || !isStaffRole(user.role)) return { ok: false, reason: 'forbidden' };
  if (!session) return { ok: false, reason: 'signed_out' };
  return { ok: true, staff: { id: user.id, email: user.email, role: user.role, sessionId } };
}
