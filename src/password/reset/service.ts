import type { RequestContext } from '../../http/request-context';
import type { UserRow } from '../../db/schema';
import { auditInsert } from '../../audit/record';
import { ApiError } from '../../http/errors';
import { normalizePassword } from '../hashing';
import { findUserByEmail } from '../../users/queries';
import { accountState } from '../../accounts/state/client';
import { metaOf } from '../../http/request-meta';
import { attemptCode, previewResetCode } from '../../codes/one-time-codes';
import { accountRead, readAccount } from '../../sign-in/fresh-account';
import type { CodeOwner } from '../../codes/emailed-secret';
import { mailCode } from '../../codes/mail';
import { assertAcceptable, assertNotReused } from '../acceptable';
import { revokeSessions, sendPasswordChangedMail, storeNewPassword } from '../store';
import type { ResetInput } from './schemas';

/**
 * Mails a reset code to an active account, verified or not (as Django does: the code
 * itself proves the mailbox); does nothing for any other address.
 */
export async function sendResetCode(ctx: RequestContext, email: string): Promise<void> {
  const { env, db, meta, now } = ctx;
  // Runs after the answer: the primary, so a just-registered account is found.
  const user = await findUserByEmail(ctx.primary, email);
  if (!user || !user.isActive) return;
  await mailCode(env, user, 'reset', now);
  await auditInsert(db, { type: 'password_reset_requested', userId: user.id, ...metaOf(meta), at: now });
}

/**
 * Sets a new password with an emailed reset code. Works while the account is locked out
 * by failed attempts and clears that lockout; refused with 423 while an admin lock holds
 * (the code stays unspent), which it never clears. Revokes every session; signs nobody in.
 *
 * The code is checked first (nothing about the account is said without it), but spent
 * only once the new password passed the policy and the history: a refused password
 * does not cost the user their code. Spending is atomic, so of parallel resets with the
 * same code exactly one goes through. Wrong codes, and codes for addresses without an
 * account, cost the owner's daily budget alike (429 once it is spent).
 */
export async function resetPassword(ctx: RequestContext, input: ResetInput): Promise<void> {
  const { env, db, meta, now } = ctx;
  // The primary is asked too when the replica has no such account (sign-in/fresh-account.ts).
  const { found: user } = await readAccount(ctx, accountRead((from) => findUserByEmail(from, input.email)));
  const owner: CodeOwner = { userId: user?.id ?? null, email: input.email };
  // The object checks the code against its ledger's hash: no KV read first.
  if (!user || (await previewResetCode(env, owner, input.code, now)) !== 'ok') return refuseCode(ctx, user, owner, input.code);
  if (!user.isActive) throw new ApiError('account_disabled');

  const password = normalizePassword(input.new_password);
  await assertAcceptable(ctx, user, password, 'new_password');
  await assertNotReused(db, user, password, ctx.config.passwordHistory);
  const outcome = await attemptCode(env, 'reset', owner, input.code, now);
  if (outcome !== 'ok') throw new ApiError('otp_invalid');

  const written = await storeNewPassword(db, user, password, { type: 'password_reset', userId: user.id, actorId: user.id, ...metaOf(meta), at: now }, now);
  await clearLockout(ctx, user);
  await revokeSessions(env, user.id, null, now, written);
  await sendPasswordChangedMail(ctx, user);
}

/** A code that will not do: it still costs a try (and the daily budget), then otp_invalid. */
async function refuseCode(ctx: RequestContext, user: UserRow | undefined, owner: CodeOwner, code: string): Promise<never> {
  const { env, db, meta, now } = ctx;
  const outcome = await attemptCode(env, 'reset', owner, code, now);
  if (user) await auditInsert(db, { type: 'otp_failed', userId: user.id, ...metaOf(meta), metadata: { purpose: 'reset', outcome }, at: now });
  throw new ApiError('otp_invalid');
}

/**
 * Proving the mailbox is enough to end a failure lockout: the password that was being
 * guessed is gone. An admin lock is not touched (a reset cannot even start under one).
 */
async function clearLockout(ctx: RequestContext, user: UserRow): Promise<void> {
  const { env, db, meta, now } = ctx;
  const { wasLocked } = await accountState(env, user.id).clearFailures(now);
  if (wasLocked) {
    await auditInsert(db, { type: 'account_unlocked', userId: user.id, actorId: user.id, ...metaOf(meta), metadata: { by: 'password_reset' }, at: now });
  }
}
