import type { Env } from '../env';
import { getConfig } from '../config/config';
import type { Db } from '../db/client';
import type { UserRow } from '../db/schema';
import { auditInsert } from '../audit/record';
import { enqueueMail } from '../mail/enqueue';
import { createLogger, errorSummary } from '../http/log';
import { metaOf, type RequestMeta } from '../http/request-meta';

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
export async function mailMfaChange(env: Env, user: Pick<UserRow, 'id' | 'email'>, change: string, now: number): Promise<void> {
  await enqueueMail(env, { template: 'mfa_changed', to: user.email, userId: user.id, data: { change } }, now).catch((err: unknown) =>
    createLogger().error('mfa notice not queued', { user_id: user.id, ...errorSummary(err) }),
  );
}

/**
 * A wrong password or second factor, counted by the account's lockout: the audit event,
 * and when this failure started the lock, the lock event and the notice mail (as a wrong
 * password at login does).
 */
export async function recordFactorFailure(
  env: Env,
  db: Db,
  user: Pick<UserRow, 'id' | 'email'>,
  justLocked: boolean,
  meta: RequestMeta,
  metadata: Record<string, unknown>,
  now: number,
): Promise<void> {
  const events = [auditInsert(db, { type: 'login_failed', userId: user.id, ...metaOf(meta), metadata, at: now })];
  if (justLocked) {
    events.push(auditInsert(db, { type: 'account_locked', userId: user.id, ...metaOf(meta), metadata: { via: 'mfa', known_account: true }, at: now }));
  }
  await db.batch(events as [(typeof events)[number]]);
  if (justLocked) {
    const minutes = Math.round(getConfig(env).ttl.lockout / 60);
    await enqueueMail(env, { template: 'lockout_notice', to: user.email, userId: user.id, data: { minutes } }, now).catch((err: unknown) =>
      createLogger().error('lockout notice not queued', { user_id: user.id, ...errorSummary(err) }),
    );
  }
}
