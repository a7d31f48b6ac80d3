import { eq } from 'drizzle-orm';
import type { Env } from '../env';
import type { Db } from '../db/client';
import { passwordHistory, users, type UserRow } from '../db/schema';
import { auditInsert, type AuditInput } from '../audit/record';
import { hashPassword } from './hashing';
import { mailBestEffort, type MailSender } from '../mail/enqueue';
import { accountState } from '../accounts/state/client';

/**
 * The new hash, password_changed_at, the history entry and the audit event: all or nothing.
 * Returns the users.updated_at it wrote (ms): the fence revokeSessions raises with it.
 */
export async function storeNewPassword(db: Db, user: UserRow, password: string, audit: AuditInput, now: number): Promise<number> {
  const passwordHash = await hashPassword(password);
  const at = new Date(now);
  await db.batch([
    db.update(users).set({ passwordHash, passwordChangedAt: at, updatedAt: at }).where(eq(users.id, user.id)),
    db.insert(passwordHistory).values({ userId: user.id, passwordHash, createdAt: at, ip: audit.ip ?? null, via: audit.type }),
    auditInsert(db, audit),
  ]);
  user.passwordHash = passwordHash;
  return at.getTime();
}

/**
 * Revokes every session of the user but `keep` (null: all), with the global KV marks, and
 * raises the account's fence to `fence`, the updated_at storeNewPassword wrote, so no
 * sign-in decides on a replica's row that still has the old hash (accounts/state/fence.ts).
 */
export async function revokeSessions(env: Env, userId: string, keep: string | null, now: number, fence: number): Promise<number> {
  return (await accountState(env, userId).revokeSessions({ keep, reason: 'password', fence }, now)).length;
}

/** The "your password was changed" notice. The change stands even if it cannot be queued. */
export async function sendPasswordChangedMail(sender: MailSender, user: Pick<UserRow, 'id' | 'email'>): Promise<void> {
  const data = { time: new Date(sender.now).toISOString() };
  await mailBestEffort(sender, { template: 'password_changed', to: user.email, userId: user.id, data }, 'password-changed notice');
}
