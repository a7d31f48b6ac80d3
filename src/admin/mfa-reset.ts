import { eq } from 'drizzle-orm';
import { users, type UserRow } from '../db/schema';
import { validationError } from '../http/errors';
import { accountState } from '../accounts/state/client';
import { deleteRecoveryCodes, deleteTotp, findTotp, unusedRecoveryCodes } from '../mfa/store';
import { MFA_CHANGES, mailMfaChange } from '../mfa/notify';
import type { AdminContext } from './context';
import { adminAudit } from './audit';
import { assertMayActOn } from './roles';
import { endAllSessions } from './sessions';
import { loadTarget } from './target';

const NOTHING_TO_RESET = 'This account has no two-factor authentication to reset.';

/**
 * For an owner who lost both their authenticator and their recovery codes: the TOTP
 * secret (confirmed or still pending) and every recovery code go, two-factor is off, and
 * every session ends (an attacker who enrolled their own authenticator loses theirs too).
 * The owner signs in with the password alone and can enrol again; they are mailed a
 * notice, so a reset they did not ask for does not go unseen. Audited at high severity.
 */
export async function resetUserMfa(ctx: AdminContext, id: string): Promise<{ user: UserRow; revoked: number }> {
  const target = await loadTarget(ctx.db, id, 'live');
  assertMayActOn(ctx.staff, target, 'users.reset_mfa');
  const [totp, recoveryCodes] = await Promise.all([findTotp(ctx.db, id), unusedRecoveryCodes(ctx.db, id)]);
  if (!target.mfaEnabled && !totp && recoveryCodes === 0) throw validationError({ non_field_errors: [NOTHING_TO_RESET] }, NOTHING_TO_RESET);
  const at = new Date(ctx.now);
  const [, , [updated]] = await ctx.db.batch([
    deleteTotp(ctx.db, id),
    deleteRecoveryCodes(ctx.db, id),
    ctx.db.update(users).set({ mfaEnabled: false, updatedAt: at }).where(eq(users.id, id)).returning(),
    adminAudit(ctx, 'admin_mfa_reset', id, { was_enabled: target.mfaEnabled, had_pending_setup: !!totp && !totp.confirmedAt, unused_recovery_codes: recoveryCodes }),
  ]);
  await accountState(ctx.env, id).forgetTotpSteps();
  const revoked = await endAllSessions(ctx.env, id, ctx.now, at.getTime());
  await mailMfaChange(ctx, target, MFA_CHANGES.adminReset);
  return { user: updated ?? { ...target, mfaEnabled: false }, revoked };
}
