import type { LockoutPolicy } from '../state/lockout';
import { userState } from '../state/user-state';
import { ApiError } from '../http/errors';
import type { AdminContext } from './context';
import { adminAudit } from './audit';
import { assertMayActOn } from './roles';
import { loadTarget } from './target';

const LOCK_TRIES = 3;

/**
 * Blocks sign-in for `minutes`: the same lockout state five wrong passwords produce, so
 * login answers 423 with Retry-After until it runs out or an unlock. Open sessions stay
 * (deactivate ends those). The object's lockout takes its policy per call: one recorded
 * failure under a one-failure policy of the chosen length is that lock. A login that
 * starts in between holds a slot and makes the reservation fail; then it is tried again.
 */
export async function lockUser(ctx: AdminContext, id: string, minutes: number) {
  const target = await loadTarget(ctx.db, id);
  assertMayActOn(ctx.staff, target, 'users.lock');
  const state = userState(ctx.env, id);
  const policy: LockoutPolicy = { threshold: 1, lockMs: minutes * 60_000 };
  for (let attempt = 0; attempt < LOCK_TRIES; attempt++) {
    await state.unlock();
    const reservation = await state.beginLogin(policy, ctx.now);
    if (!reservation.ok) continue;
    await state.failLogin(reservation.id, policy, ctx.now);
    const lockout = await state.lockoutStatus(ctx.now);
    await adminAudit(ctx, 'admin_user_locked', id, { minutes, locked_until: lockout.locked_until });
    return lockout;
  }
  throw new ApiError('internal', 'The account could not be locked; try again.');
}

/** Clears a lockout, whether from failed logins or an admin lock. */
export async function unlockUser(ctx: AdminContext, id: string) {
  const target = await loadTarget(ctx.db, id);
  assertMayActOn(ctx.staff, target, 'users.lock');
  const state = userState(ctx.env, id);
  const before = await state.lockoutStatus(ctx.now);
  await state.unlock();
  await adminAudit(ctx, 'account_unlocked', id, { by: 'admin', was_locked: before.locked, failures: before.failures });
  return state.lockoutStatus(ctx.now);
}
