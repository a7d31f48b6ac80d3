import { accountState } from '../accounts/state/client';
import type { AdminContext } from './context';
import { adminAudit } from './audit';
import { assertMayActOn } from './roles';
import { loadTarget } from './target';

/**
 * Locks the account for `minutes`: an admin lock, kept apart from the failure lockout,
 * that every way in honours (password, emailed code, reset, second factor, refresh)
 * until it ends or an admin unlocks. A new lock replaces an earlier one. Open sessions
 * are not ended (deactivate does that), but cannot refresh while it holds.
 * Answers both locks: `admin_lock` and the untouched failure `lockout`.
 */
export async function lockUser(ctx: AdminContext, id: string, minutes: number, reason: string | null = null) {
  const target = await loadTarget(ctx.db, id);
  assertMayActOn(ctx.staff, target, 'users.lock');
  const state = accountState(ctx.env, id);
  const until = ctx.now + minutes * 60_000;
  const adminLock = await state.lockFor({ until, lockedAt: ctx.now, actor: { id: ctx.staff.id, email: ctx.staff.email }, reason });
  await adminAudit(ctx, 'admin_user_locked', id, { minutes, locked_until: adminLock?.locked_until, ...(reason ? { reason } : {}) });
  return { admin_lock: adminLock, lockout: await state.lockoutStatus(ctx.now) };
}

/** Lifts an admin lock and clears the failure lockout, in one step. */
export async function unlockUser(ctx: AdminContext, id: string) {
  const target = await loadTarget(ctx.db, id);
  assertMayActOn(ctx.staff, target, 'users.lock');
  const state = accountState(ctx.env, id);
  const before = await state.unlock(ctx.now);
  await adminAudit(ctx, 'account_unlocked', id, {
    by: 'admin',
    was_locked: before.lockout.locked,
    failures: before.lockout.failures,
    was_admin_locked: before.adminLock !== null,
  });
  return { admin_lock: null, lockout: await state.lockoutStatus(ctx.now) };
}
