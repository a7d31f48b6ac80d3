import type { RequestContext } from '../http/request-context';
import type { UserRow } from '../db/schema';
import { auditInsert } from '../audit/record';
import { mailBestEffort, type MailSender } from '../mail/enqueue';
import { metaOf } from '../http/request-meta';

/** The phrases of the mfa_changed mail ("A change was made …: <change>."). */
export const MFA_CHANGES = {
  enabled: 'two-factor authentication was turned on',
  disabled: 'two-factor authentication was turned off',
  regenerated: 'new recovery codes were generated, and the old ones no longer work',
  adminReset:
    'an administrator turned two-factor authentication off: your authenticator app and recovery codes no longer work, and every session was signed out',
  recoveryUsed: (remaining: number) =>
    `a recovery code was used to sign in (${remaining} unused ${remaining === 1 ? 'code remains' : 'codes remain'})`,
} as const;

/** The owner hears of every change to their second factor; a mail that cannot be queued is logged, not fatal. */
export async function mailMfaChange(sender: MailSender, user: Pick<UserRow, 'id' | 'email'>, change: string): Promise<void> {
  await mailBestEffort(sender, { template: 'mfa_changed', to: user.email, userId: user.id, data: { change } }, 'mfa notice');
}

/**
 * A wrong password or second factor, counted by the account's lockout: the audit event,
 * and when this failure started the lock, the lock event and the notice mail (as a wrong
 * password at login does).
 */
export async function recordFactorFailure(ctx: RequestContext, user: Pick<UserRow, 'id' | 'email'>, justLocked: boolean, metadata: Record<string, unknown>): Promise<void> {
  const { db, meta, now } = ctx;
  const events = [auditInsert(db, { type: 'login_failed', userId: user.id, ...metaOf(meta), metadata, at: now })];
  if (justLocked) {
    events.push(auditInsert(db, { type: 'account_locked', userId: user.id, ...metaOf(meta), metadata: { via: 'mfa', known_account: true }, at: now }));
  }
  await db.batch(events as [(typeof events)[number]]);
  if (justLocked) {
    const minutes = Math.round(ctx.config.ttl.lockout / 60);
    await mailBestEffort(ctx, { template: 'lockout_notice', to: user.email, userId: user.id, data: { minutes } }, 'lockout notice');
  }
}
